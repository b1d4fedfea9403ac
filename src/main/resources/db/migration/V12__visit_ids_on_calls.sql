-- What CRMs asked to see on a call: the visitor (to join visits across sessions), utm_content, and the click
-- ids of Microsoft Ads (msclkid) and TikTok (ttclid), which visits now keep too.
ALTER TABLE sessions ADD COLUMN msclkid text, ADD COLUMN ttclid text;
ALTER TABLE calls ADD COLUMN visitor_id text, ADD COLUMN content text, ADD COLUMN msclkid text, ADD COLUMN ttclid text;
