"""Users as records (admins manage them), passwords and API tokens."""
from harness import ServerTest, PASSWORD


class Users(ServerTest):
    def test_admin_creates_a_user_who_signs_in_after_a_password_is_set(self):
        r = self.s.post("/api/v1/users", {"name": "farah", "role": "staff", "division": "MCD", "language": "fr"}, user="root")
        self.assertStatus(r, 201)
        u = r.json()
        self.assertNotIn("password_hash", u)
        self.assertEqual((u["role"], u["division"], u["language"]), ("staff", "MCD", "fr"))
        login = {"name": "farah", "password": "a-new-long-password"}
        self.assertStatus(self.s.post("/api/v1/session", login), 401)
        self.assertStatus(self.s.post("/api/v1/users/%d/password" % u["id"], {"password": "a-new-long-password"}, user="root"), 204)
        self.assertStatus(self.s.post("/api/v1/session", login), 201)

    def test_only_admins_write_users(self):
        self.assertProblem(self.s.post("/api/v1/users", {"name": "gil", "role": "admin"}, user="ana"), 403)
        r = self.s.get("/api/v1/users/ana", user="root").json()
        self.assertProblem(self.s.patch("/api/v1/users/%d" % r["id"], {"role": "admin"}, r["version"], user="ana"), 403)
        names = [u["name"] for u in self.s.get("/api/v1/users?limit=100", user="dora").json()["items"]]
        self.assertIn("ana", names)  # staff read the list, to pick owners and colleagues

    def test_bad_users_are_refused(self):
        self.assertProblem(self.s.post("/api/v1/users", {"name": "has space", "role": "staff"}, user="root"), 422, "name")
        self.assertProblem(self.s.post("/api/v1/users", {"name": "pat", "role": "partner"}, user="root"), 422, "organization")
        self.assertProblem(self.s.post("/api/v1/users", {"name": "quin", "role": "chief"}, user="root"), 422, "role")
        self.assertProblem(self.s.post("/api/v1/users", {"name": "ana", "role": "staff"}, user="root"), 409)

    def test_own_password_needs_the_current_one(self):
        me = self.s.get("/api/v1/users/emil", user="emil").json()
        path = "/api/v1/users/%d/password" % me["id"]
        self.assertProblem(self.s.post(path, {"password": "another-long-password"}, user="emil"), 403)
        self.assertProblem(self.s.post(path, {"password": "short", "current_password": PASSWORD}, user="emil"), 422)
        self.assertStatus(self.s.post(path, {"password": "another-long-password", "current_password": PASSWORD}, user="emil"), 204)
        other = self.s.get("/api/v1/users/ana", user="emil").json()
        self.assertProblem(self.s.post("/api/v1/users/%d/password" % other["id"], {"password": "x" * 20}, user="emil"), 403)

    def test_tokens_created_and_revoked(self):
        me = self.s.get("/api/v1/users/dora", user="dora").json()
        r = self.s.post("/api/v1/users/%d/tokens" % me["id"], user="dora")
        self.assertStatus(r, 201)
        token = r.json()["token"]
        self.assertStatus(self.s.get("/api/v1/countries/FR", token=token), 200)
        self.assertStatus(self.s.get("/api/v1/session", token=token), 200)
        self.assertStatus(self.s.delete("/api/v1/users/%d/tokens" % me["id"], user="root"), 204)
        # the server may trust a checked token for a few seconds; a fresh server does not
        self.s.stop()
        self.s.start()
        self.assertProblem(self.s.get("/api/v1/session", token=token), 401)
