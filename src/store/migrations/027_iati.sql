-- The donors' IATI activities (domains/donors/iati.c): what donors publish
-- to the International Aid Transparency Initiative, imported from their
-- IATI 2.03 files, and the summary the funding landscape is read from.
--
-- An activity is known by its iati-identifier: importing it again replaces
-- it and everything below it (its row keeps its id).  Amounts are integers
-- in minor units of their currency; percentages (shares) in hundredths of
-- a percent (33.33% is 3333), NULL when the file gave none.  Dates are
-- YYYY-MM-DD, NULL when absent.
CREATE TABLE iati_activities (
    id INTEGER PRIMARY KEY,
    identifier TEXT NOT NULL UNIQUE,
    reporting_org_ref TEXT NOT NULL DEFAULT '',
    reporting_org_name TEXT NOT NULL DEFAULT '',
    title_en TEXT NOT NULL DEFAULT '',
    title_fr TEXT NOT NULL DEFAULT '',
    title_es TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    default_currency TEXT NOT NULL DEFAULT '',
    planned_start TEXT,
    actual_start TEXT,
    planned_end TEXT,
    actual_end TEXT,
    source_file TEXT NOT NULL DEFAULT '',
    source_line INTEGER NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL
);

CREATE TABLE iati_participants (
    activity INTEGER NOT NULL REFERENCES iati_activities (id),
    role TEXT NOT NULL DEFAULT '',
    ref TEXT NOT NULL DEFAULT '',
    type TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX iati_participants_activity ON iati_participants (activity);

CREATE TABLE iati_sectors (
    activity INTEGER NOT NULL REFERENCES iati_activities (id),
    vocabulary TEXT NOT NULL DEFAULT '1',
    code TEXT NOT NULL,
    share INTEGER
);
CREATE INDEX iati_sectors_activity ON iati_sectors (activity);

-- Recipient countries (kind 'country', an ISO 3166-1 alpha-2 code) and
-- regions (kind 'region', with their vocabulary), which share 100% together.
CREATE TABLE iati_places (
    activity INTEGER NOT NULL REFERENCES iati_activities (id),
    kind TEXT NOT NULL,
    vocabulary TEXT NOT NULL DEFAULT '',
    code TEXT NOT NULL,
    share INTEGER
);
CREATE INDEX iati_places_activity ON iati_places (activity);

CREATE TABLE iati_budgets (
    activity INTEGER NOT NULL REFERENCES iati_activities (id),
    type TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT '',
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    currency TEXT NOT NULL,
    value INTEGER NOT NULL,
    value_date TEXT
);
CREATE INDEX iati_budgets_activity ON iati_budgets (activity);

-- year is the transaction date's (else its value date's, else 0).  sector
-- and country are the transaction's own, NULL when it gives none.
CREATE TABLE iati_transactions (
    id INTEGER PRIMARY KEY,
    activity INTEGER NOT NULL REFERENCES iati_activities (id),
    type TEXT NOT NULL,
    date TEXT,
    year INTEGER NOT NULL,
    currency TEXT NOT NULL,
    value INTEGER NOT NULL,
    value_date TEXT,
    provider_ref TEXT NOT NULL DEFAULT '',
    provider_name TEXT NOT NULL DEFAULT '',
    receiver_ref TEXT NOT NULL DEFAULT '',
    receiver_name TEXT NOT NULL DEFAULT '',
    sector_vocabulary TEXT,
    sector TEXT,
    country TEXT
);
CREATE INDEX iati_transactions_activity ON iati_transactions (activity);

-- The organisations the files name, by ref, with the name they last gave:
-- how the funding landscape labels a donor.
CREATE TABLE iati_organisations (
    ref TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

-- The funding landscape's summary, kept by the import in the activity's
-- own transaction: each transaction cut over its activity's sectors and
-- recipient countries and regions by their shares (its own sector or
-- country when it gives one), exactly in minor units (core/apportion.h),
-- and the parts of one activity added up by donor, year, sector, place,
-- currency and type.  donor is the provider's ref (the reporting
-- organisation's for outgoing money without a provider), '' when unknown;
-- sector and country '' when the activity gives none.  A pivot reads this
-- table's covering index alone: thousands of rows where the transactions
-- are millions.
CREATE TABLE funding_facts (
    activity INTEGER NOT NULL REFERENCES iati_activities (id),
    type TEXT NOT NULL,
    year INTEGER NOT NULL,
    donor TEXT NOT NULL,
    sector TEXT NOT NULL,
    country TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount INTEGER NOT NULL
);
CREATE INDEX funding_facts_activity ON funding_facts (activity);
CREATE INDEX funding_facts_pivot ON funding_facts (type, year, donor, sector, country, currency, amount);
