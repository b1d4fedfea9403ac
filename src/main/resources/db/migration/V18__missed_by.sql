-- The extensions or queue members whose phone rang for the call and who missed it, comma-separated (the
-- operators report counts their missed calls).
ALTER TABLE calls ADD COLUMN missed_by text;
