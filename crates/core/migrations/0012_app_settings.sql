-- Issue 12 §1: the app's own preferences, shared by the app and the CLI (one row per setting).
-- Today: `updates.check` ('on' / 'off'), whether the app looks for a signed update on launch.
-- Nothing secret is ever stored here.
CREATE TABLE app_settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
