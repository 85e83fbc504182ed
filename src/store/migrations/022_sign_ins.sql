-- The platform's table of who is signed in, by browser, is "sign_ins": a
-- session is a governing body's meeting, the record people mean by the word.
ALTER TABLE sessions RENAME TO sign_ins;
