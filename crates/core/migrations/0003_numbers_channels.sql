-- The numbers and WhatsApp senders seen at the provider, with what Switchboard knows of them.
-- One row per number per connector (a connector lists one kind: numbers, or senders).
CREATE TABLE numbers (
    connector_id     TEXT NOT NULL REFERENCES connectors(id) ON DELETE CASCADE,
    e164             TEXT NOT NULL,
    provider_id      TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('number', 'whatsapp_sender')),
    friendly_name    TEXT,
    capabilities     TEXT NOT NULL DEFAULT '[]',
    provider_status  TEXT,
    quality_rating   TEXT,
    messaging_limit  TEXT,
    offline_reasons  TEXT NOT NULL DEFAULT '[]',
    -- The inbound webhook as last read from the provider, and what overrides it there.
    webhook_url      TEXT,
    webhook_method   TEXT,
    webhook_override TEXT,
    extra            TEXT,
    active           INTEGER NOT NULL DEFAULT 0,
    webhook_state    TEXT NOT NULL DEFAULT 'unknown'
                     CHECK (webhook_state IN ('unknown', 'configured', 'not_set', 'needs_reset', 'failed')),
    webhook_reason   TEXT,
    gone             INTEGER NOT NULL DEFAULT 0,
    last_seen_at     TEXT NOT NULL,
    PRIMARY KEY (connector_id, e164)
) STRICT;

-- When each connector's list was last fetched from the provider.
CREATE TABLE number_lists (
    connector_id TEXT PRIMARY KEY NOT NULL REFERENCES connectors(id) ON DELETE CASCADE,
    fetched_at   TEXT NOT NULL
) STRICT;

CREATE TABLE agents (
    id          TEXT PRIMARY KEY NOT NULL,
    org_id      TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT,
    created_at  TEXT NOT NULL,
    UNIQUE (org_id, name)
) STRICT;

-- A channel binds one number to one agent; a number is in at most one channel.
CREATE TABLE channels (
    agent_id     TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    connector_id TEXT NOT NULL,
    e164         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (connector_id, e164),
    FOREIGN KEY (connector_id, e164) REFERENCES numbers(connector_id, e164) ON DELETE CASCADE
) STRICT;

CREATE INDEX channels_by_agent ON channels(agent_id);

-- Bulk webhook changes: the job, and its journal (written before each change).
CREATE TABLE webhook_jobs (
    id           TEXT PRIMARY KEY NOT NULL,
    connector_id TEXT NOT NULL REFERENCES connectors(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('set', 'rollback')),
    rollback_of  TEXT REFERENCES webhook_jobs(id),
    state        TEXT NOT NULL CHECK (state IN ('running', 'finished', 'rolled_back')),
    created_at   TEXT NOT NULL,
    finished_at  TEXT
) STRICT;

CREATE TABLE webhook_job_items (
    job_id          TEXT NOT NULL REFERENCES webhook_jobs(id) ON DELETE CASCADE,
    e164            TEXT NOT NULL,
    provider_id     TEXT NOT NULL,
    previous_url    TEXT,
    previous_method TEXT,
    new_url         TEXT,
    outcome         TEXT NOT NULL DEFAULT 'pending'
                    CHECK (outcome IN ('pending', 'changed', 'failed')),
    reason          TEXT,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (job_id, e164)
) STRICT;

-- Every change made to numbers, webhooks and channels: who/what, before and after.
CREATE TABLE audit (
    id           INTEGER PRIMARY KEY,
    org_id       TEXT,
    connector_id TEXT,
    action       TEXT NOT NULL,
    target       TEXT NOT NULL,
    before       TEXT,
    after        TEXT,
    created_at   TEXT NOT NULL
) STRICT;

CREATE INDEX audit_by_time ON audit(id);
