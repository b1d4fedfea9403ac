-- Calls no AMI event was seen of (they started and ended while the link to the PBX was down), read afterwards
-- from the PBX's own call records (CDR).
ALTER TABLE calls ADD COLUMN recovered boolean NOT NULL DEFAULT false;
