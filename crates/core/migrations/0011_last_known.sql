-- Offline (issue 11 §5): the last good answer of each live provider read the app shows (the
-- WhatsApp senders list, the templates), with the time it was read, so an unreachable provider
-- shows the last known state and its age instead of an empty screen. The numbers list has its
-- own table (numbers, 0003) and needs no snapshot here. `body` is the answer as shown (JSON):
-- no secret and no webhook token is in it.
CREATE TABLE last_known (
    connector_id  TEXT NOT NULL REFERENCES connectors(id) ON DELETE CASCADE,
    -- What was read: 'senders', 'templates', 'templates_all'.
    subject       TEXT NOT NULL,
    fetched_at    TEXT NOT NULL,
    body          TEXT NOT NULL,
    PRIMARY KEY (connector_id, subject)
) STRICT;
