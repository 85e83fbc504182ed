/*
 * accounts — users, their passwords, API tokens and browser sessions.
 *
 * Passwords are hashed with Argon2id; tokens and session ids are 256 random
 * bits, so a plain SHA-256 of them is what the database keeps: a stolen
 * database yields no usable credential, and looking one up stays one
 * indexed query per request.
 */
#ifndef LIAISON_ACCOUNTS_H
#define LIAISON_ACCOUNTS_H

#include "model/model.h"

#define SESSION_HOURS 12

extern const entity_def users_entity;

/* A user as loaded from the database, owning its strings. */
typedef struct account {
	user u;
	char name[128];
	char division[8];
	char language[8];
	char time_zone[64];
	char csrf[65];  /* for a session: the token its forms must echo */
} account;

int accounts_add(store *s, const char *name, const char *role, const char *division, int64_t org_id,
		 const char *password, char *err, size_t errlen);
/* A new API token for the user named name.  label says what it is for (NULL:
 * none); expires is its last day, YYYY-MM-DD (NULL: a year from today), after
 * which it no longer signs anyone in. */
#define TOKEN_LABEL_MAX 100
int accounts_token_create(store *s, const char *name, const char *label, const char *expires, char *token,
			  size_t tokenlen, char *err, size_t errlen);
/* What is wrong with a token's label or last day, in English for the
 * catalogs, and which ("label", "expires") into *field; NULL when nothing. */
const char *accounts_token_problem(const char *label, const char *expires, const char **field);

/* 0 found, -1 not found or wrong; look-ups never say which. */
int accounts_by_password(store *s, const char *name, const char *password, account *out);
int accounts_by_token(store *s, const char *token, account *out);
int accounts_by_name(store *s, const char *name, account *out);
int accounts_by_session(store *s, const char *sid, account *out);
int accounts_by_id(store *s, int64_t id, account *out);

int accounts_session_create(store *s, const account *a, char sid[65], char csrf[65]);
int accounts_session_delete(store *s, const char *sid);

int accounts_count(store *s, int64_t *n);

/* {"items": [{"kind": "users", "id", "title", "email"}]}: up to ten users, by name, a word of whose
 * name or e-mail begins with prefix: a picker's choices.  For staff (who may read users); else 401
 * or 403. */
int accounts_suggest(model_ctx *m, const char *prefix);

/* Secrets kept only as their hash: 256 random bits as 64 hex digits, and
 * the SHA-256 (hex) the database keeps of one. */
void secret_random(char out[65]);
void secret_hash(const char *secret, char out[65]);

/* Why a password cannot be used, as a sentence for people (English, marked for
 * the catalogs), or NULL when it can: it must be UTF-8 text of at least
 * ACCOUNTS_PASSWORD_MIN characters (not bytes: "ñ" is one) and at most
 * ACCOUNTS_PASSWORD_MAX bytes. */
#define ACCOUNTS_PASSWORD_MIN 12
#define ACCOUNTS_PASSWORD_MAX 1024
const char *accounts_password_problem(const char *password);

int accounts_set_password(store *s, const user *by, int64_t user_id, const char *password, char *err, size_t errlen);
int accounts_tokens_revoke(store *s, const user *by, int64_t user_id, char *err, size_t errlen);
/* {"items": [{"id", "created_at", "revoked"}]}: a user's tokens, newest first (never the tokens
 * themselves: only their hashes are kept).  0, or -1 when the store failed. */
int accounts_tokens_list(store *s, int64_t user_id, buf *out);

#endif
