-- Sites had an attribution model (first-touch or last-touch) that nothing read: calls go to the visit that held
-- the number when they rang. The setting is gone from number-pool.yaml, and its column with it.
ALTER TABLE sites DROP COLUMN attribution;
