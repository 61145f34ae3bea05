-- The typed failure of the last credential check (a ProviderFailure as JSON: provider, kind,
-- providerCode, httpStatus, message, cause, fix, docsUrl), beside its one-line state_reason.
ALTER TABLE connectors ADD COLUMN state_failure TEXT;
