"""A user's credentials end when an administrator says so, at once, on every
server thread: archiving a user ends their tokens and sessions, a changed role
holds from the next request, and an administrator's password reset signs the
user out everywhere."""
import sqlite3

from harness import PASSWORD, ServerTest, cli, session_cookie

NEW_CONNECTIONS = 40   # each request opens its own: with four threads, every one of them answers some


class Ending(ServerTest):
    server_args = ("--threads", "4")

    def newcomer(self, name, role="staff", division="IPD"):
        cli(self.s.db, "user", "add", name, "--role", role, "--division", division, stdin=PASSWORD + "\n")
        token = cli(self.s.db, "token", "create", name).stdout.strip()
        uid = self.s.get("/api/v1/users/%s" % name, user="root").json()["id"]
        return token, uid

    def statuses(self, token, path="/api/v1/session"):
        return {self.s.get(path, token=token).status for _ in range(NEW_CONNECTIONS)}

    def signed_in(self, name):
        r = self.s.post("/api/v1/session", {"name": name, "password": PASSWORD})
        self.assertStatus(r, 201)
        return session_cookie(r)

    def test_archiving_a_user_ends_their_tokens_and_sessions_at_once(self):
        token, uid = self.newcomer("ines")
        cookie = self.signed_in("ines")
        self.assertEqual(self.statuses(token), {200})   # cached on every thread by now
        self.assertStatus(self.s.delete("/api/v1/users/%d" % uid, user="root"), 204)
        self.assertEqual(self.statuses(token), {401})
        self.assertProblem(self.s.get("/api/v1/session", headers={"Cookie": cookie}), 401)
        # ended in the database too, not only refused while the user is archived
        with sqlite3.connect(self.s.db) as db:
            self.assertEqual(db.execute("SELECT count(*) FROM sign_ins WHERE user_id = ?", (uid,)).fetchone()[0], 0)
            self.assertEqual(db.execute("SELECT count(*) FROM api_tokens WHERE user_id = ? AND revoked = 0",
                                        (uid,)).fetchone()[0], 0)

    def test_a_changed_role_holds_from_the_next_request(self):
        token, uid = self.newcomer("jonas")
        body = {"name": {"en": "Lindqvist Coastal Forum"}, "type": "cso"}
        self.assertStatus(self.s.post("/api/v1/organizations?force=true", body, token=token), 201)
        self.assertEqual(self.statuses(token), {200})
        user = self.s.get("/api/v1/users/%d" % uid, user="root").json()
        self.assertStatus(self.s.patch("/api/v1/users/%d" % uid, {"role": "viewer"}, user["version"], user="root"), 200)
        for _ in range(NEW_CONNECTIONS // 4):
            self.assertProblem(self.s.post("/api/v1/organizations?force=true", body, token=token), 403)
        self.assertEqual(self.s.get("/api/v1/session", token=token).json()["role"], "viewer")

    def test_a_token_revoked_elsewhere_ends_at_once(self):
        token, uid = self.newcomer("kaia")
        self.assertEqual(self.statuses(token), {200})
        # revoked by another process, not through this server
        with sqlite3.connect(self.s.db) as db:
            db.execute("UPDATE api_tokens SET revoked = 1 WHERE user_id = ?", (uid,))
        self.assertEqual(self.statuses(token), {401})

    def test_an_administrators_password_reset_signs_the_user_out(self):
        token, uid = self.newcomer("lorens")
        cookie = self.signed_in("lorens")
        own = self.signed_in("lorens")
        # the user changing their own password keeps their sessions
        r = self.s.post("/api/v1/users/lorens/password", {"password": "a-brand-new-passphrase",
                                                          "current_password": PASSWORD}, token=token)
        self.assertStatus(r, 204)
        self.assertStatus(self.s.get("/api/v1/session", headers={"Cookie": own}), 200)
        # an administrator's reset closes every one of them
        r = self.s.post("/api/v1/users/lorens/password", {"password": "reset-by-the-administrator"}, user="root")
        self.assertStatus(r, 204)
        for c in (cookie, own):
            self.assertProblem(self.s.get("/api/v1/session", headers={"Cookie": c}), 401)
        self.assertStatus(self.s.get("/api/v1/session", token=token), 200)   # tokens are not passwords
