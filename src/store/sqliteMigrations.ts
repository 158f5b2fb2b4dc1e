/**
 * SQLite schema migrations, in order: entry k brings the database from user_version k to k+1. Never edit a
 * shipped entry; append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  -- Append-only. AUTOINCREMENT so a sequence number is never reused, even after the last row is deleted.
  CREATE TABLE ingestion_log (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id       TEXT NOT NULL,
    content_hash TEXT,
    kind         TEXT CHECK (kind IN ('article', 'project')),
    event        TEXT NOT NULL CHECK (event IN ('new', 'updated', 'removed')),
    at           TEXT NOT NULL
  ) STRICT;
  CREATE INDEX ingestion_log_doc ON ingestion_log (doc_id, seq);

  CREATE TABLE subscriptions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id      TEXT NOT NULL,
    channel_id    TEXT NOT NULL,
    cron          TEXT NOT NULL,
    timezone      TEXT NOT NULL,
    query         TEXT,
    status        TEXT NOT NULL CHECK (status IN ('active', 'paused')),
    paused_reason TEXT,
    cursor_seq    INTEGER NOT NULL,
    backfill      INTEGER NOT NULL DEFAULT 0 CHECK (backfill BETWEEN 0 AND 25),
    created_by    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    last_run_at   TEXT
  ) STRICT;
  CREATE INDEX subscriptions_guild ON subscriptions (guild_id);

  CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    from_seq        INTEGER NOT NULL,
    to_seq          INTEGER NOT NULL,
    item_count      INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered')),
    created_at      TEXT NOT NULL,
    delivered_at    TEXT
  ) STRICT;
  -- At most one delivery in flight per subscription: the cursor moves in one line.
  CREATE UNIQUE INDEX deliveries_one_pending ON deliveries (subscription_id) WHERE status = 'pending';

  CREATE TABLE delivery_parts (
    delivery_id INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    part        INTEGER NOT NULL,
    nonce       TEXT NOT NULL UNIQUE,
    payload     TEXT NOT NULL,
    message_id  TEXT,
    posted_at   TEXT,
    PRIMARY KEY (delivery_id, part)
  ) STRICT;
  `,
  `
  -- Live sources. A log entry that is not news (found on a source's first fetch, or too old) is
  -- indexed like any other but never posted in a digest.
  ALTER TABLE ingestion_log ADD COLUMN news INTEGER NOT NULL DEFAULT 1 CHECK (news IN (0, 1));

  -- Fetch state per source id of sources.json. A row outlives its source's removal from the file,
  -- so re-adding a source does not flood digests again.
  CREATE TABLE source_states (
    source_id        TEXT PRIMARY KEY,
    disabled_reason  TEXT,
    failures         INTEGER NOT NULL DEFAULT 0,
    failing_since    TEXT,
    last_error       TEXT,
    last_status      TEXT CHECK (last_status IN ('ok', 'not-modified', 'failed')),
    last_fetched_at  TEXT,
    next_fetch_at    TEXT,
    etag             TEXT,
    last_modified    TEXT,
    first_fetched_at TEXT
  ) STRICT;

  -- Documents fetched from sources, durable across restarts; the record is the CLI's JSON contract.
  CREATE TABLE web_documents (
    id            TEXT PRIMARY KEY,
    source_id     TEXT NOT NULL,
    record        TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    published_at  TEXT,
    first_seen_at TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    fingerprint   TEXT NOT NULL
  ) STRICT;
  CREATE INDEX web_documents_source ON web_documents (source_id);

  -- Every way in to a document: canonical URLs and the item ids of each source that carried it.
  CREATE TABLE web_document_keys (
    key    TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES web_documents (id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX web_document_keys_doc ON web_document_keys (doc_id);

  -- /digest subscribe mention: a role pinged once per digest.
  ALTER TABLE subscriptions ADD COLUMN mention_role_id TEXT;
  `,
  `
  -- Claims (several processes on one database): which process runs a subscription's digest, or
  -- fetches a source, and until when. An expired claim is anyone's.
  ALTER TABLE subscriptions ADD COLUMN claimed_by TEXT;
  ALTER TABLE subscriptions ADD COLUMN claim_expires_at TEXT;
  ALTER TABLE source_states ADD COLUMN claimed_by TEXT;
  ALTER TABLE source_states ADD COLUMN claim_expires_at TEXT;
  `,
  `
  -- Article pages that failed in a way that may heal, per item (JSON, see core/sources/pageRetries):
  -- the feed's validators are kept and the next fetch retries just these pages.
  ALTER TABLE source_states ADD COLUMN page_retries TEXT NOT NULL DEFAULT '[]';
  `,
  `
  -- The indexes PostgreSQL's schema had from the start (test/store/schemaParity.test.ts keeps the
  -- two alike): a subscription's deliveries (its removal cascades to them), and the documents first
  -- seen since a time (the near-duplicate check of a fetch).
  CREATE INDEX deliveries_subscription ON deliveries (subscription_id);
  CREATE INDEX web_documents_first_seen ON web_documents (first_seen_at);
  `,
  `
  -- Per-server settings (/settings): the language of replies and digests, when the server chose one.
  CREATE TABLE guild_settings (
    guild_id   TEXT PRIMARY KEY,
    language   TEXT,
    updated_at TEXT NOT NULL
  ) STRICT;
  `,
  `
  -- Why a digest is still pending: the last posting error, kept for /digest why and the panel.
  ALTER TABLE deliveries ADD COLUMN last_error TEXT;
  `,
  `
  -- /digest subscribe language: only documents in this language (BCP 47; \`fr\` also takes
  -- \`fr-*\`), and the digest written in it when it has a catalog. NULL: every language.
  ALTER TABLE subscriptions ADD COLUMN language TEXT;
  `,
];
