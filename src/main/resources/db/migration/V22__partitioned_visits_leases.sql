-- Visits and leases get a row per page-view session, forever: they are partitioned by month of their start
-- (UTC), so that a month can be made, pruned and dropped as a whole. The service makes each month's partitions
-- ahead of time (retention/VisitHistory); rows of a month without one land in the default partition and are
-- moved out when it is made. A partitioned table's keys hold its partition key: a visit is (id, started_at),
-- its start being fixed when it is made; a lease is (session, number, started_at), each hold of a number by a
-- session its own row.

ALTER TABLE sessions RENAME TO sessions_unpartitioned;
ALTER INDEX sessions_pkey RENAME TO sessions_unpartitioned_pkey;
ALTER INDEX sessions_site_started RENAME TO sessions_unpartitioned_site_started;
CREATE TABLE sessions (
    id           text COLLATE "C" NOT NULL,
    site_key     text COLLATE "C" NOT NULL,
    visitor_id   text COLLATE "C" NOT NULL,
    pool_id      text,
    number       text,
    started_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    source       text,
    medium       text,
    campaign     text,
    content      text,
    keyword      text,
    landing_url  text,
    referrer     text,
    gclid        text,
    yclid        text,
    fbclid       text,
    ga_client_id text,
    page_title   text,
    user_agent   text,
    ip           text,
    bot          boolean     NOT NULL DEFAULT false,
    msclkid      text,
    ttclid       text,
    PRIMARY KEY (id, started_at)
) PARTITION BY RANGE (started_at);
CREATE INDEX sessions_site_started ON sessions (site_key, started_at);
CREATE TABLE sessions_default PARTITION OF sessions DEFAULT;

ALTER TABLE leases RENAME TO leases_unpartitioned;
ALTER INDEX leases_pkey RENAME TO leases_unpartitioned_pkey;
ALTER INDEX leases_number_started RENAME TO leases_unpartitioned_number_started;
ALTER INDEX leases_pool_started RENAME TO leases_unpartitioned_pool_started;
ALTER INDEX leases_open RENAME TO leases_unpartitioned_open;
CREATE TABLE leases (
    pool_id      text COLLATE "C" NOT NULL,
    number       text COLLATE "C" NOT NULL,
    session_id   text COLLATE "C" NOT NULL,
    visitor_id   text COLLATE "C" NOT NULL,
    started_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    ended_at     timestamptz,
    shared       boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (session_id, number, started_at)
) PARTITION BY RANGE (started_at);
-- Attribution: which leases of number N were live at instant T or ended last before it, the latest end first
-- (live ones as ending at infinity). By end, not start: a number's leases that started before T are its whole
-- history, those that ended after T - window a handful; and each month's partition answers from one probe. The
-- start rides along: for a T in the past the leases that began after it are passed over in the index alone.
CREATE INDEX leases_number_ended ON leases (number, coalesce(ended_at, 'infinity'::timestamptz)) INCLUDE (started_at);
-- a pool's leases live in a period (utilisation, the sizing fit's week), read from the period's start on
CREATE INDEX leases_pool_ended ON leases (pool_id, coalesce(ended_at, 'infinity'::timestamptz));
CREATE INDEX leases_open ON leases (pool_id) WHERE ended_at IS NULL;
-- attribution's open leases of a number older than the month or so it reads by start: tiny in every month
CREATE INDEX leases_number_open ON leases (number) WHERE ended_at IS NULL;
-- a live lease is updated about once a minute and once when it ends: room on its page for a HOT update
CREATE TABLE leases_default PARTITION OF leases DEFAULT WITH (fillfactor = 70);

-- a partition per month of the rows there are, and of this month and the next two
DO $$
DECLARE
    first date := date_trunc('month', least(
            (SELECT min(started_at) FROM sessions_unpartitioned),
            (SELECT min(started_at) FROM leases_unpartitioned),
            now()) AT TIME ZONE 'UTC')::date;
    m date;
BEGIN
    m := first;
    WHILE m <= (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '2 months')::date LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF sessions FOR VALUES FROM (%L) TO (%L)',
                       'sessions_' || to_char(m, 'YYYY_MM'), m::timestamp AT TIME ZONE 'UTC',
                       (m + interval '1 month')::timestamp AT TIME ZONE 'UTC');
        EXECUTE format('CREATE TABLE %I PARTITION OF leases FOR VALUES FROM (%L) TO (%L) WITH (fillfactor = 70)',
                       'leases_' || to_char(m, 'YYYY_MM'), m::timestamp AT TIME ZONE 'UTC',
                       (m + interval '1 month')::timestamp AT TIME ZONE 'UTC');
        m := (m + interval '1 month')::date;
    END LOOP;
END $$;

INSERT INTO sessions (id, site_key, visitor_id, pool_id, number, started_at, last_seen_at, source, medium, campaign, content,
                      keyword, landing_url, referrer, gclid, yclid, fbclid, ga_client_id, page_title, user_agent, ip, bot,
                      msclkid, ttclid)
SELECT id, site_key, visitor_id, pool_id, number, started_at, last_seen_at, source, medium, campaign, content,
       keyword, landing_url, referrer, gclid, yclid, fbclid, ga_client_id, page_title, user_agent, ip, bot, msclkid, ttclid
FROM sessions_unpartitioned;
INSERT INTO leases (pool_id, number, session_id, visitor_id, started_at, last_seen_at, ended_at, shared)
SELECT pool_id, number, session_id, visitor_id, started_at, last_seen_at, ended_at, shared FROM leases_unpartitioned;
DROP TABLE sessions_unpartitioned;
DROP TABLE leases_unpartitioned;

-- Months whose visits were pruned (retention): their visit counts in the daily tables are kept as they were
-- when the month was pruned (the visits that held no called number are gone from sessions).
CREATE TABLE visit_months_pruned (
    month     date        PRIMARY KEY,  -- first day (UTC)
    ends_at   timestamptz NOT NULL,     -- the month's end: visits before the last one's are pruned
    pruned_at timestamptz NOT NULL,
    visits    bigint      NOT NULL,     -- before
    kept      bigint      NOT NULL,
    leases    bigint      NOT NULL,
    leases_kept bigint    NOT NULL
);
-- The visit counts of the daily tables' site-days that began before the pruned months' end, frozen then.
CREATE TABLE report_visits_frozen (
    site_key text NOT NULL,
    day      date NOT NULL,
    kind     text NOT NULL CHECK (kind IN ('channel', 'keyword', 'landing')),
    -- channel: source, medium, campaign; keyword and landing: the term in k1
    k1       text NOT NULL,
    k2       text NOT NULL,
    k3       text NOT NULL,
    sessions integer NOT NULL,
    PRIMARY KEY (site_key, day, kind, k1, k2, k3)
);
