-- What a rollback needs besides the URL: the method written, the Telnyx messaging profile the
-- number was on (empty: none) and is put on, and whether a failed write may have reached the
-- provider anyway (a timeout or a 5xx on an idempotent write), so the rollback restores it too.
ALTER TABLE webhook_job_items ADD COLUMN new_method TEXT;
ALTER TABLE webhook_job_items ADD COLUMN previous_profile TEXT;
ALTER TABLE webhook_job_items ADD COLUMN new_profile TEXT;
ALTER TABLE webhook_job_items ADD COLUMN may_have_landed INTEGER NOT NULL DEFAULT 0;
