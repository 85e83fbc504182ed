-- Mail waiting to leave, and what became of it (model/outbox.c).  A row is
-- written in the same transaction as the record that causes it (a reply,
-- an invitation), so that a message leaves when, and only when, its record
-- was saved; the sender then hands it to the relay outside any transaction.
--
-- kind and record_id name the record it belongs to (its kind learns each
-- outcome through its on_mail hook).  message holds the composed bytes
-- (RFC 5322, CRLF), mail_from and rcpt_to the envelope ("" as mail_from is
-- the null sender).  A queued row is due once next_attempt_at has passed; a
-- sender that takes it counts an attempt, stamps sending_since and moves
-- next_attempt_at on by its lease, so that a second sender leaves it alone
-- until the first has recorded the outcome (or died and the lease ran out).
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    mail_from TEXT NOT NULL,
    rcpt_to TEXT NOT NULL,
    subject TEXT,
    message TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    sending_since TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    updated_at TEXT NOT NULL,
    sent_at TEXT,
    CHECK ((state = 'queued') = (next_attempt_at IS NOT NULL))
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_record ON outbox (kind, record_id);
