-- The months after its own in which a visit began a lease. A visit's leases are read from the month its id
-- names; most begin within it, and reading every later month instead cost a plan and an index probe per month
-- (a call's page over two years of history: 2.4 times the read of one month). The lease log enters a month
-- here when it writes a lease begun after the visit's own month (a page open across a month's end, or for
-- weeks), in the same transaction as the lease; retention drops the entries of a pruned month whose leases
-- went with it.
CREATE TABLE visit_lease_months (
    session_id text COLLATE "C" NOT NULL, -- as in leases
    month      date NOT NULL,             -- the first day of the (UTC) month
    PRIMARY KEY (session_id, month)
);

-- the history written before: the visit's own month from its row (the same clock read as its id's)
INSERT INTO visit_lease_months (session_id, month)
SELECT DISTINCT l.session_id, date_trunc('month', l.started_at AT TIME ZONE 'UTC')::date
FROM leases l JOIN sessions s ON s.id = l.session_id
WHERE l.started_at >= (date_trunc('month', (s.started_at + interval '1 minute') AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
