-- The probability that a call's attribution is right (the attributed visit's share of the call intensity of
-- every recent holder of the number, from the pool's fitted call-delay model); null when not attributed to a visit.
ALTER TABLE calls ADD COLUMN probability double precision;
