-- Issue 12 §2: a connector's sends filtered by a status word are read through an index.
-- The filter matches the provider's status or the outcome (`unknown`, `failed`…); with only the
-- connector's time index, a status that no send has (the recovery banner asks every connector
-- page for `unknown` sends) walked every attempt of the connector: 1.5 s at 1,000,000 sends, far
-- more from a cold disk. With this index and `message_attempts_by_outcome` each side is a seek.
CREATE INDEX message_attempts_by_status ON message_attempts(connector_id, status, created_at);
