/**
 * PostgreSQL schema migrations, in order: entry k brings the database from schema version k to k+1
 * (kept in `meta`). Never edit a shipped entry; append a new one. Times are ISO 8601 UTC text and
 * flags 0/1 integers, as in SQLite, so both stores return the same rows to the same repositories.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE ingestion_log (
    seq          BIGSERIAL PRIMARY KEY,
    doc_id       TEXT NOT NULL,
    content_hash TEXT,
    kind         TEXT CHECK (kind IN ('article', 'project')),
    event        TEXT NOT NULL CHECK (event IN ('new', 'updated', 'removed')),
    at           TEXT NOT NULL,
    news         INTEGER NOT NULL DEFAULT 1 CHECK (news IN (0, 1))
  );
  CREATE INDEX ingestion_log_doc ON ingestion_log (doc_id, seq);

  CREATE TABLE subscriptions (
    id               BIGSERIAL PRIMARY KEY,
    guild_id         TEXT NOT NULL,
    channel_id       TEXT NOT NULL,
    cron             TEXT NOT NULL,
    timezone         TEXT NOT NULL,
    query            TEXT,
    status           TEXT NOT NULL CHECK (status IN ('active', 'paused')),
    paused_reason    TEXT,
    cursor_seq       BIGINT NOT NULL,
    backfill         INTEGER NOT NULL DEFAULT 0 CHECK (backfill BETWEEN 0 AND 25),
    created_by       TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    last_run_at      TEXT,
    mention_role_id  TEXT,
    claimed_by       TEXT,
    claim_expires_at TEXT
  );
  CREATE INDEX subscriptions_guild ON subscriptions (guild_id);

  CREATE TABLE deliveries (
    id              BIGSERIAL PRIMARY KEY,
    subscription_id BIGINT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    from_seq        BIGINT NOT NULL,
    to_seq          BIGINT NOT NULL,
    item_count      INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered')),
    created_at      TEXT NOT NULL,
    delivered_at    TEXT
  );
  CREATE UNIQUE INDEX deliveries_one_pending ON deliveries (subscription_id) WHERE status = 'pending';
  CREATE INDEX deliveries_subscription ON deliveries (subscription_id);

  CREATE TABLE delivery_parts (
    delivery_id BIGINT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    part        INTEGER NOT NULL,
    nonce       TEXT NOT NULL UNIQUE,
    payload     TEXT NOT NULL,
    message_id  TEXT,
    posted_at   TEXT,
    PRIMARY KEY (delivery_id, part)
  );

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
    first_fetched_at TEXT,
    claimed_by       TEXT,
    claim_expires_at TEXT
  );

  CREATE TABLE web_documents (
    id            TEXT PRIMARY KEY,
    source_id     TEXT NOT NULL,
    record        TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    published_at  TEXT,
    first_seen_at TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    fingerprint   TEXT NOT NULL
  );
  CREATE INDEX web_documents_source ON web_documents (source_id);
  CREATE INDEX web_documents_first_seen ON web_documents (first_seen_at);

  CREATE TABLE web_document_keys (
    key    TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES web_documents (id) ON DELETE CASCADE
  );
  CREATE INDEX web_document_keys_doc ON web_document_keys (doc_id);
  `,
  `
  -- Article pages that failed in a way that may heal, per item (JSON, see core/sources/pageRetries):
  -- the feed's validators are kept and the next fetch retries just these pages.
  ALTER TABLE source_states ADD COLUMN page_retries TEXT NOT NULL DEFAULT '[]';
  `,
  `
  -- Per-server settings (/settings): the language of replies and digests, when the server chose one.
  CREATE TABLE guild_settings (
    guild_id   TEXT PRIMARY KEY,
    language   TEXT,
    updated_at TEXT NOT NULL
  );
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
