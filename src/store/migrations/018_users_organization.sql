-- when: SELECT 1 FROM pragma_table_info('users') WHERE name = 'organization_id'
-- Users of 017's kind in a database that a build of the time has opened
-- since: it added the registry's columns beside the old ones and left them
-- empty for the users already there.  They take the old values, and
-- organization_id, which nothing reads any more, goes.
UPDATE users SET organization = coalesce(organization, organization_id), version = coalesce(version, 1),
                 classification = coalesce(classification, 'internal'), updated_at = coalesce(updated_at, created_at);
ALTER TABLE users DROP COLUMN organization_id;
-- language was NOT NULL DEFAULT 'en' then, and a user without one could not
-- be written: the column is made again without the rule.
ALTER TABLE users ADD COLUMN language_018 TEXT;
UPDATE users SET language_018 = language;
ALTER TABLE users DROP COLUMN language;
ALTER TABLE users RENAME COLUMN language_018 TO language;
