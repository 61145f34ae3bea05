-- What the last credential check learned about the provider account.
ALTER TABLE connectors ADD COLUMN account_name TEXT;
ALTER TABLE connectors ADD COLUMN account_type TEXT;
ALTER TABLE connectors ADD COLUMN state_warning TEXT;

-- The connector's event log: every check, and later every send and webhook change.
CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    connector_id TEXT REFERENCES connectors(id) ON DELETE CASCADE,
    level        TEXT NOT NULL CHECK (level IN ('info', 'warning', 'error')),
    code         TEXT,
    message      TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;

CREATE INDEX events_by_connector ON events(connector_id, id);
