/*
 * mailin — e-mail into the desk.  Messages are read from a Maildir's new/
 * folder; each one either joins the inquiry it belongs to or opens a new
 * inquiry, and is then moved to cur/, where it stays as the original (its
 * attachments are read back from there).
 *
 * Who may join a thread.  A message names inquiries by its In-Reply-To and
 * References (the Message-IDs of a thread's messages) and by the reference
 * numbers in its subject.  None of that proves anything: references are
 * numbered in sequence, and threading headers are written by the sender
 * like the rest.  So a message joins an inquiry it names only when its
 * sender already takes part in that inquiry's conversation: the requester,
 * the sender of a message the inquiry received, or the recipient of a reply
 * it sent (the desk itself, the sender of the replies, does not count).
 * Otherwise it opens a new inquiry, routed as any new mail is, whose
 * "mentioned" says which one it named; the inquiry named is left exactly as
 * it was: no message, no reopening.
 *
 * What fits.  Names and subjects come cleaned by formats/mail.c (one line,
 * no controls), texts lose their control characters here, and a value
 * longer than the fields that hold it is cut to them, on a character
 * boundary and with an ellipsis; past 100 attachments only the first 100
 * are listed.  The message's record says what was cut ("cut", the subject
 * in full, the attachments left out) and the original in cur/ keeps it all,
 * so such a message is imported, never refused.
 *
 * Automatic replies join a thread on the same terms and are otherwise set
 * aside; our own messages come back (a loop) are set aside.  Neither is
 * ever answered.  Only regular files are read from new/: a link is never
 * followed, a pipe, a folder or a device is never opened.  Those, and a
 * message that cannot be read, move to quarantine/ with a .reason file
 * beside them: never lost, and `liaison mail retry` tries them again.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/textfit.h"
#include "domains/inquiries/inquiries.h"
#include "formats/address.h"
#include "formats/mail.h"

static const user mail_user = { .id = 0, .name = "e-mail", .role = ROLE_INTAKE };

typedef struct found_id {
	int64_t inquiry;
} found_id;

static int take_inquiry(void *ctx, store_row *row)
{
	((found_id *)ctx)->inquiry = store_int(row, 0);
	return 1;
}

/* ---- what fits --------------------------------------------------------------------- */

/* A message's values as its records hold them, cut to their fields (the
 * shorter of the two where the inquiry and the message both hold one);
 * strings in the model's arena, the JSON arrays owned here. */
typedef struct fitted {
	const char *subject, *subject_full, *text, *name, *message_id, *in_reply_to;
	json_t *attachments;
	size_t left_out;   /* attachments beyond the list's room */
	json_t *cut;       /* the message's fields that were cut, by name */
	size_t id_room;    /* characters of a Message-ID kept, for looking one up as it was kept */
} fitted;

/* The characters a value may have: the message's field's room, and the
 * inquiry's field's when the value also fills one there. */
static size_t room(const registry *reg, const char *inquiry_field, const char *message_field)
{
	size_t n = entity_field(registry_find(reg, "inquiry-messages"), message_field)->max;
	const field_def *f = inquiry_field ? entity_field(registry_find(reg, "inquiries"), inquiry_field) : NULL;
	return f && f->max < n ? f->max : n;
}

static void note_cut(fitted *f, const char *field)
{
	size_t i;
	json_t *x;
	json_array_foreach(f->cut, i, x)
		if (!strcmp(json_string_value(x), field))
			return;
	json_array_append_new(f->cut, json_string(field));
}

/* s cut to max characters, noted as field when it was. */
static const char *fit(model_ctx *m, fitted *f, const char *s, size_t max, const char *field)
{
	if (!s)
		return NULL;
	buf b = BUF_INIT;
	if (text_cut(&b, s, strlen(s), max))
		note_cut(f, field);
	const char *kept = arena_strdup(&m->a, buf_str(&b));
	buf_free(&b);
	return kept;
}

static void fit_message(model_ctx *m, const mail_message *msg, fitted *f)
{
	const registry *reg = m->reg;
	*f = (fitted){ .cut = json_array(), .attachments = json_array(), .id_room = room(reg, NULL, "message_id") };
	size_t subject_room = room(reg, "subject", "subject");
	f->subject = fit(m, f, msg->subject, subject_room, "subject");
	if (text_chars(msg->subject, strlen(msg->subject)) > subject_room)   /* the whole of it, beside */
		f->subject_full = fit(m, f, msg->subject, room(reg, NULL, "subject_full"), "subject");
	buf text = BUF_INIT;
	text_drop_controls(&text, msg->text ? msg->text : "", msg->text ? strlen(msg->text) : 0);
	f->text = fit(m, f, buf_str(&text), room(reg, "body", "body"), "body");
	buf_free(&text);
	f->name = fit(m, f, msg->from_name, room(reg, "requester_name", "from_name"), "from_name");
	f->message_id = fit(m, f, msg->message_id, f->id_room, "message_id");
	f->in_reply_to = fit(m, f, msg->in_reply_to, room(reg, NULL, "in_reply_to"), "in_reply_to");
	size_t listed = entity_field(registry_find(reg, "inquiry-messages"), "attachments")->max;
	for (size_t i = 0; i < msg->nattachments && i < listed; i++) {
		const mail_attachment *a = &msg->attachments[i];
		char *line = arena_printf(&m->a, "%s (%s, %zu bytes)", a->filename, a->content_type, a->len);
		json_array_append_new(f->attachments, json_string(fit(m, f, line, LIST_ITEM_MAX, "attachments")));
	}
	if (msg->nattachments > listed) {
		f->left_out = msg->nattachments - listed;
		note_cut(f, "attachments");
	}
}

static void fitted_free(fitted *f)
{
	json_decref(f->cut);
	json_decref(f->attachments);
}

/* ---- which inquiry a message belongs to ------------------------------------------------ */

/* The inquiries a message names, tried in turn: the first whose
 * conversation its sender takes part in is joined; the first of the others
 * is only mentioned. */
typedef struct belonging {
	store_conn *c;
	const fitted *f;
	const char *sender;   /* From's address, NULL when there was none */
	int64_t joined, mentioned;
	char mentioned_ref[32];
	char ref[32];         /* scratch: the reference of the inquiry being looked at */
	int member;           /* scratch: the sender found in it */
} belonging;

/* The inquiry a message with this Message-ID belongs to, or 0.  Ids are
 * looked up as they are kept: cut to their field. */
static int64_t by_message_id(store_conn *c, const char *id, size_t id_room)
{
	if (!id || !*id)
		return 0;
	buf kept = BUF_INIT;
	text_cut(&kept, id, strlen(id), id_room);
	static const char *const cols[] = { "inquiry" };
	store_cond w = COND_EQ("message_id", sv_text(buf_str(&kept)));
	store_select q = { .table = "inquiry_messages", .cols = cols, .ncols = 1, .where = &w, .nwhere = 1, .limit = 1 };
	found_id f = { 0 };
	store_query(c, &q, take_inquiry, &f);
	buf_free(&kept);
	return f.inquiry;
}

static int requester_row(void *ctx, store_row *row)
{
	belonging *b = ctx;
	const char *ref = store_text(row, 0, NULL);
	snprintf(b->ref, sizeof b->ref, "%s", ref ? ref : "");
	b->member = mail_address_same(store_text(row, 1, NULL), b->sender);
	return 1;
}

/* The requester's side of a message: who wrote in, or whom a reply went to. */
static int message_row(void *ctx, store_row *row)
{
	belonging *b = ctx;
	const char *dir = store_text(row, 0, NULL);
	int col = !dir ? -1 : !strcmp(dir, "in") ? 1 : !strcmp(dir, "out") ? 2 : -1;
	b->member = col > 0 && mail_address_same(store_text(row, col, NULL), b->sender);
	return b->member;   /* found: enough */
}

/* Whether the sender takes part in inquiry id's conversation. */
static int takes_part(belonging *b, int64_t id)
{
	static const char *const icols[] = { "reference", "requester_email" };
	store_cond wi = COND_EQ("id", SV_INT_(id));
	store_select qi = { .table = "inquiries", .cols = icols, .ncols = 2, .where = &wi, .nwhere = 1, .limit = 1 };
	b->member = 0;
	store_query(b->c, &qi, requester_row, b);
	if (b->member || !b->sender)
		return b->member;
	static const char *const mcols[] = { "direction", "from_addr", "to_addr" };
	store_cond wm = COND_EQ("inquiry", SV_INT_(id));
	store_select qm = { .table = "inquiry_messages", .cols = mcols, .ncols = 3, .where = &wm, .nwhere = 1 };
	store_query(b->c, &qm, message_row, b);
	return b->member;
}

static void consider(belonging *b, int64_t id)
{
	if (!id || b->joined || id == b->mentioned)
		return;
	if (takes_part(b, id)) {
		b->joined = id;
	} else if (!b->mentioned) {
		b->mentioned = id;
		snprintf(b->mentioned_ref, sizeof b->mentioned_ref, "%s", b->ref);
	}
}

/* "INQ-2026-000123" anywhere in the subject: each one an inquiry named. */
static void by_reference(belonging *b, const char *subject)
{
	const char *s = subject ? strstr(subject, "INQ-") : NULL;
	for (; s && !b->joined; s = strstr(s + 4, "INQ-")) {
		char ref[16];
		if (strlen(s) < 15 || s[8] != '-')
			continue;
		memcpy(ref, s, 15);
		ref[15] = '\0';
		static const char *const cols[] = { "id" };
		store_cond w = COND_EQ("reference", sv_text(ref));
		store_select q = { .table = "inquiries", .cols = cols, .ncols = 1, .where = &w, .nwhere = 1, .limit = 1 };
		found_id f = { 0 };
		store_query(b->c, &q, take_inquiry, &f);
		consider(b, f.inquiry);
	}
}

/* The threading headers first (the latest message named first), then the subject. */
static void thread_of(belonging *b, const mail_message *msg)
{
	consider(b, by_message_id(b->c, msg->in_reply_to, b->f->id_room));
	for (size_t i = msg->nreferences; !b->joined && i > 0; i--)
		consider(b, by_message_id(b->c, msg->references[i - 1], b->f->id_room));
	by_reference(b, msg->subject);
}

/* A person of the registry with this address, or 0. */
static int64_t person_with(store_conn *c, const char *addr)
{
	if (!addr)
		return 0;
	static const char *const cols[] = { "id" };
	store_cond w[] = { COND("emails", OP_CONTAINS, sv_text(addr)), COND_EQ("archived", SV_INT_(0)) };
	store_select q = { .table = "persons", .cols = cols, .ncols = 1, .where = w, .nwhere = 2, .limit = 1 };
	found_id f = { 0 };
	store_query(c, &q, take_inquiry, &f);
	return f.inquiry;
}

static json_t *message_json(const mail_message *msg, const fitted *f)
{
	char at[32];
	if (msg->date > 0)
		clock_iso((time_t)msg->date, at);
	else
		clock_now_iso(at);
	json_t *j = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s, s:O, s:s}", "direction", "in", "subject",
			      f->subject, "body", *f->text ? f->text : "(no text)", "from_name", f->name, "from_addr",
			      msg->from_addr, "message_id", f->message_id, "in_reply_to", f->in_reply_to, "at", at,
			      "attachments", f->attachments, "delivery", "received");
	if (json_array_size(f->cut))
		json_object_set(j, "cut", f->cut);
	if (f->subject_full)
		json_object_set_new(j, "subject_full", json_string(f->subject_full));
	if (f->left_out)
		json_object_set_new(j, "attachments_left_out", json_integer((json_int_t)f->left_out));
	return j;
}

/* A new inquiry from the message, routed as new inquiries are; mentioned is
 * the reference of an inquiry it named but could not join, or NULL. */
static int open_inquiry(model_ctx *m, store_conn *c, const mail_message *msg, const fitted *f, const char *mentioned,
			record *inq)
{
	const entity *ie = registry_find(m->reg, "inquiries");
	json_t *body = json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "channel", "email", "subject",
				 *f->subject ? f->subject : "(no subject)", "body", *f->text ? f->text : "(no text)",
				 "requester_name", f->name, "requester_email", msg->from_addr);
	int64_t person = person_with(c, msg->from_addr);
	if (person)
		json_object_set_new(body, "requester_person", json_integer(person));
	record r;
	int rc = model_build_create(m, c, ie, body, CREATE_FORCE, &r);
	if (rc == 0 && mentioned)   /* set by the desk, never by a body: written after validation */
		*record_field(&r, "mentioned") = sv_text(arena_strdup(&m->a, mentioned));
	if (rc == 0 && (rc = model_insert(m, c, &r)) == 0)
		*inq = r;
	json_decref(body);
	return rc;
}

/* Where the original stays (cur/), kept on messages with attachments: the
 * attachments are read back from it when someone downloads one. */
static int keep_original(model_ctx *m, store_conn *c, record *msg_rec, const mail_message *msg, const char *raw)
{
	if (!msg->nattachments || !raw)
		return 0;
	record after = model_copy(m, msg_rec);
	*record_field(&after, "raw") = sv_text(raw);
	return model_write_record(m, c, &after, msg_rec, "original kept");
}

static int file_message(model_ctx *m, store_conn *c, const mail_message *msg, const char *raw, mail_report *rep)
{
	fitted f;
	fit_message(m, msg, &f);
	belonging b = { .c = c, .f = &f, .sender = msg->from_addr };
	record inq, out;
	json_t *mj = NULL;
	int rc = -1;
	if (f.message_id && by_message_id(c, f.message_id, f.id_room)) {
		rep->ignored++; /* the same message imported before */
		rc = 0;
		goto done;
	}
	thread_of(&b, msg);
	mj = message_json(msg, &f);
	if (b.joined) {
		if (model_load(m, c, registry_find(m->reg, "inquiries"), b.joined, &inq) == 0 &&
		    inquiries_add_message(m, c, &inq, mj, &out) == 0 && keep_original(m, c, &out, msg, raw) == 0 &&
		    (msg->auto_reply || inquiries_reopen(m, c, &inq) == 0)) {
			rep->joined++;
			rc = 0;
		}
	} else if (msg->auto_reply) {
		rep->ignored++; /* an automatic answer to nothing we know of, or sent by a stranger */
		rc = 0;
	} else if (open_inquiry(m, c, msg, &f, b.mentioned ? b.mentioned_ref : NULL, &inq) == 0 &&
		   inquiries_add_message(m, c, &inq, mj, &out) == 0 && keep_original(m, c, &out, msg, raw) == 0) {
		rep->imported++;
		rc = 0;
	}
done:
	json_decref(mj);
	fitted_free(&f);
	return rc;
}

typedef struct pending {
	char *name, *path;
	char *kept;          /* where the file will stay once read: DIR/cur/NAME:2,S, absolute */
	mail_message msg;
} pending;

/* Files parsed messages in one transaction: all or none.  0, or -1 with
 * the reason of the message that failed. */
static int file_batch(store *st, const registry *reg, pending *v, size_t n, mail_report *rep, char *err, size_t errlen)
{
	model_ctx m;
	model_init(&m, st, reg, &mail_user);
	mail_report got = { 0 };
	store_conn *c = store_begin(st);
	int ok = c != NULL;
	for (size_t i = 0; ok && i < n; i++)
		ok = file_message(&m, c, &v[i].msg, v[i].kept, &got) == 0;
	if (c && !ok)
		store_rollback(c);
	else if (c && store_commit(c) != STORE_OK)
		ok = 0;
	if (ok) {
		rep->imported += got.imported;
		rep->joined += got.joined;
		rep->ignored += got.ignored;
	} else {
		snprintf(err, errlen, "%s%s%s", !c ? "the database is busy" : m.detail ? m.detail : "the message could not be stored",
			 m.nerrors ? ": " : "", m.nerrors ? m.errors[0].field : "");
	}
	model_done(&m);
	return ok ? 0 : -1;
}

/* ---- the Maildir ---------------------------------------------------------------------- */

/* Why an entry of new/ is not read, or NULL for a regular file. */
static const char *not_regular(mode_t mode)
{
	if (S_ISREG(mode))
		return NULL;
	if (S_ISLNK(mode))
		return "not a regular file: a symbolic link (never followed)";
	if (S_ISFIFO(mode))
		return "not a regular file: a named pipe";
	if (S_ISDIR(mode))
		return "not a regular file: a folder";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "not a regular file: a device";
	if (S_ISSOCK(mode))
		return "not a regular file: a socket";
	return "not a regular file";
}

/* lstat first, so that what is not a regular file is never opened (a
 * link never followed, a device never woken); O_NOFOLLOW and O_NONBLOCK
 * cover the entry being swapped between lstat and open (a link is not
 * followed, a pipe does not block), and fstat says what was opened. */
char *mailin_read(const char *path, size_t *len, const char **why)
{
	struct stat seen, sb;
	*why = NULL;
	if (lstat(path, &seen) || (*why = not_regular(seen.st_mode)))
		return NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		if (errno == ELOOP)
			*why = not_regular(S_IFLNK);
		return NULL;
	}
	char *data = NULL;
	size_t got = 0;
	if (fstat(fd, &sb) || (*why = not_regular(sb.st_mode)))
		goto done;
	if (!(data = malloc((size_t)sb.st_size + 1)))
		goto done;
	while (got < (size_t)sb.st_size) {
		ssize_t n = read(fd, data + got, (size_t)sb.st_size - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got != (size_t)sb.st_size) {
		free(data);
		data = NULL;
		goto done;
	}
	data[got] = '\0';
	*len = got;
done:
	close(fd);
	return data;
}

/* dir + "/" + name, malloc'ed. */
static char *path_of(const char *dir, const char *name, const char *suffix)
{
	buf b = BUF_INIT;
	buf_printf(&b, "%s/%s%s", dir, name, suffix ? suffix : "");
	return b.data ? b.data : calloc(1, 1);
}

/* Moves the entry itself (a link stays a link) and writes why beside it;
 * the .reason file is never opened through a link someone put there. */
static void quarantine(const char *dir, const char *name, const char *from, const char *reason)
{
	char *qdir = path_of(dir, "quarantine", NULL), *to = path_of(qdir, name, NULL), *why = path_of(qdir, name, ".reason");
	mkdir(qdir, 0700);
	int fd = rename(from, to) == 0 ? open(why, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600) : -1;
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f) {
		fprintf(f, "%s\n", reason);
		fclose(f);
	} else if (fd >= 0) {
		close(fd);
	}
	free(qdir);
	free(to);
	free(why);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in new/, sorted: Maildir names start with the time of arrival. */
static char **names_in(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **v = NULL;
	size_t cap = 0;
	*n = 0;
	struct dirent *ent;
	while ((ent = readdir(d))) {
		if (ent->d_name[0] == '.')
			continue;
		if (*n == cap) {
			char **nv = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof *v);
			if (!nv)
				break;
			v = nv;
		}
		v[(*n)++] = strdup(ent->d_name);
	}
	closedir(d);
	if (!v)
		v = calloc(1, sizeof *v);
	qsort(v, *n, sizeof *v, by_name);
	return v;
}

#define BATCH 200   /* messages per transaction: commits, not parsing, were the cost */

/* The messages of a batch that parsed, filed together; when that fails,
 * one by one, so that only the bad ones go to quarantine. */
static void file_pending(store *st, const registry *reg, const char *dir, pending *v, size_t n,
			 mail_report *rep)
{
	char why[300];
	int together = file_batch(st, reg, v, n, rep, why, sizeof why) == 0;
	for (size_t i = 0; i < n; i++) {
		if (!together && file_batch(st, reg, &v[i], 1, rep, why, sizeof why)) {
			rep->quarantined++;
			quarantine(dir, v[i].name, v[i].path, why);
		} else {
			rename(v[i].path, v[i].kept);
		}
		mail_free(&v[i].msg);
		free(v[i].path);
		free(v[i].kept);
	}
}

int mailin_import_dir(store *st, const registry *reg, const char *dir, mail_report *rep, char *err, size_t errlen)
{
	char *abs = realpath(dir, NULL);
	char *newdir = path_of(abs ? abs : dir, "new", NULL), *curdir = path_of(abs ? abs : dir, "cur", NULL);
	free(abs);
	size_t n = 0, k = 0;
	char **names = names_in(newdir, &n);
	pending *batch = calloc(BATCH, sizeof *batch);
	if (!names || !batch) {
		snprintf(err, errlen, "%s: %s (a Maildir has new/, cur/ and tmp/)", newdir, strerror(errno));
		free(batch);
		free(names);
		free(newdir);
		free(curdir);
		return -1;
	}
	mkdir(curdir, 0700);
	for (size_t i = 0; i < n; i++) {
		char *from = path_of(newdir, names[i], NULL), why[300];
		size_t len = 0;
		const char *unread;
		char *data = mailin_read(from, &len, &unread);
		pending *p = &batch[k];
		if (!data) {
			if (unread) {
				rep->read++;
				rep->quarantined++;
				quarantine(dir, names[i], from, unread);
			}
			free(from);
			continue;
		}
		rep->read++;
		if (mail_parse(data, len, &p->msg, why, sizeof why)) {
			rep->quarantined++;
			quarantine(dir, names[i], from, why);
			free(from);
		} else if (p->msg.loop) {
			rep->ignored++;
			char *to = path_of(curdir, names[i], ":2,S");
			rename(from, to);
			free(to);
			free(from);
			mail_free(&p->msg);
		} else {
			p->name = names[i];
			p->path = from;
			p->kept = path_of(curdir, names[i], ":2,S");
			if (++k == BATCH) {
				file_pending(st, reg, dir, batch, k, rep);
				k = 0;
			}
		}
		free(data);
	}
	file_pending(st, reg, dir, batch, k, rep);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(batch);
	free(newdir);
	free(curdir);
	return 0;
}
