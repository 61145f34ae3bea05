-- Diagnosis runs (issue 11 §1): each run of `diagnose` on a connector, kept so the next run can
-- say what was fixed or is new since. The findings are stored as shown (JSON), already redacted:
-- no secret and no webhook token ever reaches them.
CREATE TABLE diagnosis_runs (
    id            TEXT PRIMARY KEY NOT NULL,
    connector_id  TEXT NOT NULL REFERENCES connectors(id) ON DELETE CASCADE,
    started_at    TEXT NOT NULL,
    finished_at   TEXT NOT NULL,
    wall_ms       INTEGER NOT NULL,
    errors        INTEGER NOT NULL,
    warnings      INTEGER NOT NULL,
    -- The whole run (findings, comparison, timings) as JSON.
    run           TEXT NOT NULL
) STRICT;

CREATE INDEX diagnosis_runs_by_connector ON diagnosis_runs(connector_id, started_at);
