-- Schema 1 of the phone's store. Ids are UUIDs in hyphenated text; dates are
-- YYYY-MM-DD text; money is a whole number of fen (hundredths of a yuan);
-- times are Unix milliseconds. Every record row keeps the record as JSON
-- (`body`), the schema version that wrote it, and `head`: the op id of its
-- latest local version.

CREATE TABLE households (
    id TEXT PRIMARY KEY NOT NULL,
    schema INTEGER NOT NULL,
    head TEXT,
    body TEXT NOT NULL,
    head_name TEXT NOT NULL,
    village TEXT NOT NULL,
    masked_id TEXT NOT NULL
);
CREATE INDEX households_by_place ON households(village, head_name, id);

-- One per household per year; not a foreign key, because a pull may bring a
-- ledger before its household.
CREATE TABLE ledgers (
    id TEXT PRIMARY KEY NOT NULL,
    schema INTEGER NOT NULL,
    head TEXT,
    body TEXT NOT NULL,
    household_id TEXT NOT NULL,
    year INTEGER NOT NULL
);
CREATE INDEX ledgers_by_household ON ledgers(household_id, year);

-- The work columns repeat the Attachment 4 quantities for the tally.
CREATE TABLE visits (
    id TEXT PRIMARY KEY NOT NULL,
    schema INTEGER NOT NULL,
    head TEXT,
    body TEXT NOT NULL,
    instructor_id TEXT NOT NULL,
    date TEXT NOT NULL,
    policy INTEGER NOT NULL,
    trained INTEGER NOT NULL,
    tech INTEGER NOT NULL,
    problems INTEGER NOT NULL,
    funds INTEGER NOT NULL,
    sold INTEGER NOT NULL,
    coop INTEGER NOT NULL
);
CREATE INDEX visits_tally
    ON visits(date, instructor_id, policy, trained, tech, problems, funds, sold, coop);

-- Which households a visit served. `flags` holds the four items counted in
-- households: 1 industry choice, 2 project support, 4 sales help, 8 benefit link.
CREATE TABLE visit_households (
    visit_id TEXT NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
    household_id TEXT NOT NULL,
    date TEXT NOT NULL,
    instructor_id TEXT NOT NULL,
    flags INTEGER NOT NULL,
    PRIMARY KEY (visit_id, household_id)
) WITHOUT ROWID;
CREATE INDEX visit_households_by_household ON visit_households(household_id, date);
CREATE INDEX visit_households_flagged
    ON visit_households(date, household_id, flags, instructor_id) WHERE flags != 0;

-- Areas and instructors, which phones only receive.
CREATE TABLE directory (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    schema INTEGER NOT NULL,
    head TEXT,
    body TEXT NOT NULL
);

CREATE TABLE photos (
    sha256 TEXT PRIMARY KEY NOT NULL,
    visit_id TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    local_path TEXT NOT NULL,
    received INTEGER NOT NULL DEFAULT 0,
    complete INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX photos_pending ON photos(created_at) WHERE complete = 0;

-- Operations waiting for the server, in `seq` order. A rejected entry keeps
-- its code and reason until the record is saved again.
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    base TEXT,
    op TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    last_attempt_at INTEGER,
    rejected_code TEXT,
    rejected_reason TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX outbox_by_record ON outbox(record_id);

CREATE TABLE outbox_households (
    seq INTEGER NOT NULL REFERENCES outbox(seq) ON DELETE CASCADE,
    household_id TEXT NOT NULL,
    PRIMARY KEY (household_id, seq)
) WITHOUT ROWID;
CREATE INDEX outbox_households_by_seq ON outbox_households(seq);

-- A record with two versions to reconcile: `theirs` is the server's (NULL
-- until pulled), `ours` the phone's (NULL when the phone had none).
CREATE TABLE conflicts (
    record_id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    their_head TEXT NOT NULL,
    theirs TEXT,
    ours TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE conflict_households (
    record_id TEXT NOT NULL REFERENCES conflicts(record_id) ON DELETE CASCADE,
    household_id TEXT NOT NULL,
    PRIMARY KEY (household_id, record_id)
) WITHOUT ROWID;
CREATE INDEX conflict_households_by_record ON conflict_households(record_id);

CREATE TABLE sync_state (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;
