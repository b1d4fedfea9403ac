-- Every page view writes a sessions row and a leases row (and ends the lease later), so these tables take
-- most of the service's writes. These changes make each write cheaper:
-- * identifiers compare byte by byte (COLLATE "C"): they are codes, not words, and the database's locale
--   would compare them through strcoll() on every step down an index;
-- * a lease is identified by (session, number), which the writer upserts on anyway: the surrogate id, its
--   sequence and its index cost every insert and every update;
-- * a live lease is updated about once a minute (its last activity) and once when it ends: pages of leases
--   keep 30 % free (new pages only), so an update can put the row's new version on its own page and
--   skip every index (a HOT update) instead of adding an entry to each;
-- * no query reads sessions by visitor, and an index on visitor ids (random, made by browsers) sends every
--   insert to a random page of it.
DROP INDEX sessions_visitor;

ALTER TABLE sessions
    ALTER COLUMN id TYPE text COLLATE "C",
    ALTER COLUMN site_key TYPE text COLLATE "C",
    ALTER COLUMN visitor_id TYPE text COLLATE "C";

ALTER TABLE leases
    DROP COLUMN id,
    DROP CONSTRAINT leases_session_number,
    ALTER COLUMN pool_id TYPE text COLLATE "C",
    ALTER COLUMN number TYPE text COLLATE "C",
    ALTER COLUMN session_id TYPE text COLLATE "C",
    ALTER COLUMN visitor_id TYPE text COLLATE "C",
    ADD CONSTRAINT leases_pkey PRIMARY KEY (session_id, number);

ALTER TABLE leases SET (fillfactor = 70);
