package sqlitestore

// migrations are applied in order, each in its own transaction, and never
// edited once released: add a new one instead. schema_version holds the
// number applied.
var migrations = []string{
	// 1: records, timeline, cursors, anchors, audit.
	`
CREATE TABLE records (
	n            INTEGER PRIMARY KEY,
	route        TEXT    NOT NULL,
	id           BLOB    NOT NULL,
	src_chain    TEXT    NOT NULL,
	src_height   INTEGER NOT NULL,
	src_tx       TEXT    NOT NULL,
	emitter      BLOB    NOT NULL,
	sequence     INTEGER NOT NULL,
	dest_chain   TEXT    NOT NULL,
	receiver     TEXT    NOT NULL,
	content_type TEXT    NOT NULL,
	payload      BLOB    NOT NULL,
	payload_hash BLOB    NOT NULL,
	state        TEXT    NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_at      INTEGER NOT NULL DEFAULT 0,
	evidence     BLOB,
	prepared     BLOB,
	dest_tx      TEXT    NOT NULL DEFAULT '',
	last_error   TEXT    NOT NULL DEFAULT '',
	traceparent  TEXT    NOT NULL DEFAULT '',
	observed_at  INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	UNIQUE (route, id)
);
CREATE INDEX records_by_id ON records (id);
CREATE INDEX records_due ON records (route, next_at, sequence)
	WHERE state NOT IN ('confirmed', 'skipped', 'dead');
CREATE INDEX records_open ON records (route, sequence)
	WHERE state NOT IN ('confirmed', 'skipped');

CREATE TABLE events (
	n       INTEGER PRIMARY KEY,
	rec     INTEGER NOT NULL REFERENCES records (n),
	at      INTEGER NOT NULL,
	stage   TEXT    NOT NULL,
	chain   TEXT    NOT NULL DEFAULT '',
	tx      TEXT    NOT NULL DEFAULT '',
	attempt INTEGER NOT NULL DEFAULT 0,
	detail  TEXT    NOT NULL DEFAULT '',
	error   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX events_by_rec ON events (rec, n);

CREATE TABLE cursors (
	route      TEXT PRIMARY KEY,
	cursor     TEXT    NOT NULL,
	updated_at INTEGER NOT NULL
);

CREATE TABLE anchors (
	n          INTEGER PRIMARY KEY,
	chain      TEXT    NOT NULL,
	height     INTEGER NOT NULL,
	scheme     TEXT    NOT NULL,
	digest     TEXT    NOT NULL,
	state      BLOB    NOT NULL,
	created_at INTEGER NOT NULL,
	UNIQUE (chain, digest)
);
CREATE INDEX anchors_by_height ON anchors (chain, height);

CREATE TABLE audit (
	n          INTEGER PRIMARY KEY,
	at         INTEGER NOT NULL,
	actor      TEXT    NOT NULL,
	action     TEXT    NOT NULL,
	route      TEXT    NOT NULL,
	record_id  BLOB    NOT NULL,
	reason     TEXT    NOT NULL,
	from_state TEXT    NOT NULL,
	to_state   TEXT    NOT NULL
);
`,
	// 2: ordered routes ask for the observed records of a route; without
	// the state in the index that query scanned every verified record
	// waiting for its turn.
	`
CREATE INDEX records_observed ON records (route, next_at, sequence)
	WHERE state = 'observed';
`,
	// 3: when the source ledger committed the record (Unix nanoseconds),
	// for latency figures. NULL when unknown: records stored before, and
	// sources that cannot tell.
	`
ALTER TABLE records ADD COLUMN src_time INTEGER;
`,
	// 4: StageTimes reads the records of a route confirmed in a window;
	// a confirmed record is never written again, so updated_at is the
	// time its confirmation was stored.
	`
CREATE INDEX records_confirmed ON records (route, updated_at)
	WHERE state = 'confirmed';
`,
	// 5: anchors carry the emitter they vouch for, and their digest now
	// covers the chain, scheme, emitter and height as well as the state.
	// Anchors stored before cannot be checked under the new digest, so
	// they are dropped: at start the engine stores each chain's configured
	// anchor again and moves trust forward from there.
	`
DELETE FROM anchors;
ALTER TABLE anchors ADD COLUMN emitter BLOB NOT NULL DEFAULT x'';
`,
	// 6: batches. A batch submission is stored, with the transaction id
	// and the prepared bytes its members share, in the same transaction
	// that moves its members to submitting; each member names its batch.
	`
CREATE TABLE batches (
	id         TEXT PRIMARY KEY,
	route      TEXT    NOT NULL,
	dest_tx    TEXT    NOT NULL,
	prepared   BLOB    NOT NULL,
	size       INTEGER NOT NULL,
	created_at INTEGER NOT NULL
);
ALTER TABLE records ADD COLUMN batch TEXT NOT NULL DEFAULT '';
CREATE INDEX records_by_batch ON records (batch) WHERE batch != '';
CREATE INDEX records_unbatched_sent ON records (route, next_at, sequence)
	WHERE state IN ('submitting', 'submitted') AND batch = '';
`,
	// 7: the batch loop asks for verified records and for batches in
	// flight many times a second; through records_due both scanned every
	// observed record ahead of them.
	`
CREATE INDEX records_verified ON records (route, next_at, sequence)
	WHERE state = 'verified';
CREATE INDEX records_batched_sent ON records (route, next_at, sequence)
	WHERE state IN ('submitting', 'submitted') AND batch != '';
`,
	// 8: evidence bundles in a table of their own. In the records row,
	// every state change rewrote the bundle with the row: with 1 KiB of
	// evidence the store managed about 4,000 records a second under the
	// engine's writes, with 16 bytes about 6,500 (BenchmarkStoreLifecycle).
	// records.evidence stays, NULL, for stores that read it before.
	`
CREATE TABLE evidence (
	rec    INTEGER PRIMARY KEY REFERENCES records (n),
	bundle BLOB    NOT NULL
);
INSERT INTO evidence (rec, bundle) SELECT n, evidence FROM records WHERE evidence IS NOT NULL;
UPDATE records SET evidence = NULL WHERE evidence IS NOT NULL;
`,
}
