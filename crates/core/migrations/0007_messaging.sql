-- Messaging: every send attempt with its status history, and the error log.

-- One row per attempt to send a message (a test send from the app or the CLI). `status` is the
-- provider's own word (queued, sent, delivered, sending_failed, created…) or one of ours
-- (`sending`: the request is being written; `unknown`: it may or may not have reached the
-- provider; `refused`: the provider said no at once; `not_sent`: it could not be reached).
-- `outcome` is what the statistics count: sending | unknown | sent | delivered | failed.
CREATE TABLE message_attempts (
    id                  TEXT PRIMARY KEY NOT NULL,
    connector_id        TEXT NOT NULL REFERENCES connectors(id) ON DELETE CASCADE,
    org_id              TEXT NOT NULL,
    -- 'send' for a send from Switchboard; a later history import adds 'import'.
    origin              TEXT NOT NULL DEFAULT 'send',
    provider            TEXT NOT NULL,
    channel             TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp')),
    from_address        TEXT NOT NULL,
    to_number           TEXT NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('text', 'media', 'template')),
    body                TEXT,
    template_sid        TEXT,
    template_variables  TEXT,
    media_urls          TEXT NOT NULL DEFAULT '[]',
    validity_period     INTEGER,
    status_callback     TEXT,
    provider_message_id TEXT,
    status              TEXT NOT NULL,
    outcome             TEXT NOT NULL
                        CHECK (outcome IN ('sending', 'unknown', 'sent', 'delivered', 'failed')),
    final               INTEGER NOT NULL DEFAULT 0,
    error_code          TEXT,
    error_kind          TEXT,
    error_message       TEXT,
    price               TEXT,
    price_unit          TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    -- When the provider took the message, when it was delivered, when it became final.
    accepted_at         TEXT,
    delivered_at        TEXT,
    final_at            TEXT,
    -- From the provider taking it to its delivery (for the delivery-time percentiles).
    delivery_ms         INTEGER,
    -- The backup email (a later slice): its state, address and why it failed.
    fallback_status     TEXT,
    fallback_to         TEXT,
    fallback_error      TEXT
) STRICT;

CREATE INDEX message_attempts_by_connector ON message_attempts(connector_id, created_at);
-- The statistics read only indexes: counts, days, delivery times and error codes from the
-- first, the newest failure from the second.
CREATE INDEX message_attempts_by_outcome
    ON message_attempts(connector_id, outcome, created_at, delivery_ms, error_code, error_kind);
CREATE INDEX message_attempts_by_final ON message_attempts(connector_id, outcome, final_at);
CREATE INDEX message_attempts_open ON message_attempts(created_at) WHERE final = 0;
CREATE INDEX message_attempts_by_provider_id ON message_attempts(provider_message_id);

-- Every status an attempt went through, with its time.
CREATE TABLE message_status_history (
    id         INTEGER PRIMARY KEY,
    attempt_id TEXT NOT NULL REFERENCES message_attempts(id) ON DELETE CASCADE,
    status     TEXT NOT NULL,
    at         TEXT NOT NULL,
    error_code TEXT
) STRICT;

CREATE INDEX message_status_history_by_attempt ON message_status_history(attempt_id, id);

-- The error log is the connector's event log, extended: credential checks already write there,
-- and one log (one table, one id order) keeps "newest first" and the connector's Last Error
-- cheap. Rows from before this schema were all credential checks.
ALTER TABLE events ADD COLUMN org_id TEXT;
ALTER TABLE events ADD COLUMN kind TEXT;
ALTER TABLE events ADD COLUMN action TEXT NOT NULL DEFAULT 'credential_check'
    CHECK (action IN ('send', 'status_query', 'credential_check', 'webhook_set', 'bulk_job',
                      'backup_email', 'import'));
ALTER TABLE events ADD COLUMN number TEXT;
ALTER TABLE events ADD COLUMN attempt_id TEXT;

UPDATE events SET org_id = (SELECT org_id FROM connectors WHERE connectors.id = events.connector_id);

-- A credential check writes its event without the new columns: fill in the organization and,
-- for a failed check, the kind of the failure it just recorded on the connector.
CREATE TRIGGER events_fill_check AFTER INSERT ON events
WHEN NEW.org_id IS NULL AND NEW.connector_id IS NOT NULL
BEGIN
    UPDATE events SET
        org_id = (SELECT org_id FROM connectors WHERE id = NEW.connector_id),
        kind = COALESCE(NEW.kind, CASE WHEN NEW.level = 'error' THEN
            (SELECT json_extract(state_failure, '$.kind') FROM connectors
             WHERE id = NEW.connector_id) END)
    WHERE id = NEW.id;
END;

CREATE INDEX events_by_org ON events(org_id, id);
CREATE INDEX events_by_level ON events(level, id);
CREATE INDEX events_by_action ON events(action, id);
CREATE INDEX events_by_connector_level ON events(connector_id, level, id);
CREATE INDEX events_by_connector_action ON events(connector_id, action, id);
