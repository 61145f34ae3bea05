-- Issue 12 §2: the Numbers tab reads a connector's list a page at a time as it scrolls, in the
-- list's order (those in the account by E.164, then those gone from it). Through the primary key
-- alone each page sorted the connector's every number (24 ms for the last page of 10,000); this
-- index holds them in that order, so a page is a walk from its offset.
CREATE INDEX numbers_in_list_order ON numbers(connector_id, gone, e164);
