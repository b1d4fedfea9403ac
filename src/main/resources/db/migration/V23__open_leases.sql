-- The leases open now (no end yet), by number: a page left open keeps its number for weeks, and attribution
-- must find such a lease however old, while reading the rest of a number's history only from the month or so
-- before the ring. Looking for open leases in every month's partition costs a plan and an index probe per
-- month, growing with the history; this table holds the few open ones alone. Kept by the triggers below on
-- every write to leases, whoever the writer (the lease log, the pool's recovery closing leases lost with
-- Redis); each trigger's statements read the rows as committed when they run, after the lease rows' own
-- locks, so two writers of one lease cannot leave it behind. Attribution takes it as a bound only (the lease
-- row itself says whether it is open), and the hourly keeper drops any entry whose lease has ended.
CREATE TABLE open_leases (
    number     text COLLATE "C" NOT NULL, -- as in leases: compared with its columns, by its index
    session_id text COLLATE "C" NOT NULL,
    started_at timestamptz NOT NULL,
    PRIMARY KEY (number, started_at, session_id)
);

INSERT INTO open_leases (number, session_id, started_at)
SELECT number, session_id, started_at FROM leases WHERE ended_at IS NULL;

-- the rows a statement wrote, as they now stand: open ones are entered; ended or deleted ones leave
CREATE FUNCTION open_leases_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO open_leases (number, session_id, started_at)
    SELECT number, session_id, started_at FROM changed WHERE TG_OP <> 'DELETE' AND ended_at IS NULL
    ON CONFLICT DO NOTHING;
    DELETE FROM open_leases o USING changed c
    WHERE (TG_OP = 'DELETE' OR c.ended_at IS NOT NULL)
      AND o.number = c.number AND o.started_at = c.started_at AND o.session_id = c.session_id;
    RETURN NULL;
END
$$;

-- a statement's rows at once (an insert … on conflict update fires the insert and the update trigger, each
-- with its own rows)
CREATE TRIGGER open_leases_on_insert AFTER INSERT ON leases REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION open_leases_keep();
CREATE TRIGGER open_leases_on_update AFTER UPDATE ON leases REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION open_leases_keep();
CREATE TRIGGER open_leases_on_delete AFTER DELETE ON leases REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION open_leases_keep();

-- attribution no longer looks for a number's open leases month by month
DROP INDEX leases_number_open;
