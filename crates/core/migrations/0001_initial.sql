-- Organizations own connectors (and, later, agents).
CREATE TABLE organizations (
    id               TEXT PRIMARY KEY NOT NULL,
    name             TEXT NOT NULL UNIQUE,
    inbound_base_url TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;

-- Non-secret settings only: the secret of a connector lives in the OS keychain.
CREATE TABLE connectors (
    id              TEXT PRIMARY KEY NOT NULL,
    org_id          TEXT NOT NULL REFERENCES organizations(id) ON DELETE RESTRICT,
    kind            TEXT NOT NULL CHECK (kind IN ('whatsapp', 'sms', 'email')),
    provider        TEXT NOT NULL CHECK (provider IN ('twilio', 'telnyx', '46elks', 'smtp')),
    name            TEXT NOT NULL,
    settings        TEXT NOT NULL,
    receive_inbound INTEGER NOT NULL DEFAULT 1,
    secret_stored   INTEGER NOT NULL DEFAULT 0,
    state           TEXT NOT NULL DEFAULT 'not_checked'
                    CHECK (state IN ('not_checked', 'active', 'error')),
    state_reason    TEXT,
    checked_at      TEXT,
    webhook_token   TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (org_id, name)
) STRICT;

CREATE TABLE recipients (
    id           INTEGER PRIMARY KEY,
    connector_id TEXT NOT NULL REFERENCES connectors(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    number       TEXT NOT NULL,
    backup_email TEXT,
    UNIQUE (connector_id, number)
) STRICT;

CREATE INDEX recipients_by_connector ON recipients(connector_id, position);
