-- Connector settings become one shape per provider, tagged with it: {"provider": "twilio",
-- "accountSid": …}. Until now they were one flat object of optional fields for every provider
-- (SMTP's as smtpHost, smtpPort, smtpSecurity). A required field that an older version left
-- empty becomes '' (a port 0), which the settings type can hold and the validator names when the
-- connector is next edited. Settings that are not JSON at all were already unreadable and stay
-- as they are.
UPDATE connectors
SET settings = CASE provider
    WHEN 'twilio' THEN json_object(
        'provider', 'twilio',
        'accountSid', coalesce(json_extract(settings, '$.accountSid'), ''),
        'apiKeySid', json_extract(settings, '$.apiKeySid'),
        'from', json_extract(settings, '$.from'),
        'baseUrl', json_extract(settings, '$.baseUrl'),
        'messagingBaseUrl', json_extract(settings, '$.messagingBaseUrl'),
        'contentBaseUrl', json_extract(settings, '$.contentBaseUrl'))
    WHEN 'telnyx' THEN json_object(
        'provider', 'telnyx',
        'messagingProfileId', json_extract(settings, '$.messagingProfileId'),
        'from', json_extract(settings, '$.from'),
        'baseUrl', json_extract(settings, '$.baseUrl'))
    WHEN '46elks' THEN json_object(
        'provider', '46elks',
        'username', coalesce(json_extract(settings, '$.username'), ''),
        'from', json_extract(settings, '$.from'),
        'baseUrl', json_extract(settings, '$.baseUrl'))
    WHEN 'smtp' THEN json_object(
        'provider', 'smtp',
        'host', coalesce(json_extract(settings, '$.smtpHost'), ''),
        'port', coalesce(json_extract(settings, '$.smtpPort'), 0),
        'security', coalesce(json_extract(settings, '$.smtpSecurity'), 'starttls'),
        'username', json_extract(settings, '$.username'),
        'from', coalesce(json_extract(settings, '$.from'), ''))
    END
WHERE json_valid(settings);
