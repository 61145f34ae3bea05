-- The audit log is read filtered (issue 10 §2): an organization's or a connector's entries newest
-- first, and the distinct actions an organization's log holds (the UI's action filter).
CREATE INDEX audit_by_org ON audit(org_id, id);
CREATE INDEX audit_by_connector ON audit(connector_id, id);
CREATE INDEX audit_by_org_action ON audit(org_id, action);
