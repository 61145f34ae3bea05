-- Message history imported from the provider (issue 9 §5): every message the provider lists for
-- a connector's numbers and senders, once per provider message id. Test sends made through
-- Switchboard are kept with their attempts elsewhere; these rows are what the account really sent
-- and received, so the statistics are made of real traffic.
CREATE TABLE messages (
    connector_id        TEXT NOT NULL REFERENCES connectors(id) ON DELETE CASCADE,
    -- SM…/MM… (Twilio), the message uuid (Telnyx), s… (46elks).
    provider_message_id TEXT NOT NULL,
    direction           TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    from_address        TEXT NOT NULL,
    to_address          TEXT NOT NULL,
    -- The provider's own word (delivered, undelivered, gw_reject, failed, …).
    status              TEXT NOT NULL,
    -- What statistics count: pending | sent | delivered | failed | received.
    outcome             TEXT NOT NULL
                        CHECK (outcome IN ('pending', 'sent', 'delivered', 'failed', 'received')),
    error_code          TEXT,
    price               TEXT,
    price_unit          TEXT,
    -- RFC 3339 UTC with milliseconds, as every time Switchboard stores.
    sent_at             TEXT NOT NULL,
    -- The first characters of the text when the provider lists it (Telnyx's records have none).
    body_excerpt        TEXT,
    imported_at         TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    PRIMARY KEY (connector_id, provider_message_id)
) STRICT;

CREATE INDEX messages_by_time ON messages(connector_id, sent_at);
CREATE INDEX messages_by_outcome ON messages(connector_id, outcome, sent_at);

-- Where the next import starts: the start of the last import that finished. The next one asks
-- for what was sent since then minus an overlap window (late status changes, clock skew).
CREATE TABLE message_sync (
    connector_id  TEXT PRIMARY KEY NOT NULL REFERENCES connectors(id) ON DELETE CASCADE,
    synced_until  TEXT NOT NULL,
    last_sync_at  TEXT NOT NULL,
    last_fetched  INTEGER NOT NULL,
    last_new      INTEGER NOT NULL,
    last_pages    INTEGER NOT NULL
) STRICT;
