-- The channel figures that add up (calls, answered, missed, talk, first-time callers, leads, deals, revenue, visits)
-- per site, local day (the site's time zone) and source, medium and campaign: what the console's overview,
-- channels and funnel read, so a month of a large call log is a few thousand rows, not every call. Rebuilt by
-- the service (report/ReportDays) for every day a call or visit changed since its last pass.
CREATE TABLE report_days (
    site_key     text          NOT NULL,  -- '' for calls of no site
    day          date          NOT NULL,
    source       text          NOT NULL,  -- '' when none
    medium       text          NOT NULL,
    campaign     text          NOT NULL,
    timezone     text          NOT NULL,  -- the zone the day was cut in: a site whose zone changes is rebuilt
    sessions     integer       NOT NULL,
    calls        integer       NOT NULL,
    answered     integer       NOT NULL,
    missed       integer       NOT NULL,
    talk_seconds bigint        NOT NULL,
    first_time   integer       NOT NULL,
    leads        integer       NOT NULL,
    deals        integer       NOT NULL,
    revenue      numeric(18, 2) NOT NULL,
    PRIMARY KEY (site_key, day, source, medium, campaign)
);
CREATE TABLE report_days_state (
    id           boolean PRIMARY KEY DEFAULT true CHECK (id),
    -- calls changed and visits begun from here on are not in report_days yet
    pending_from timestamptz   NOT NULL,
    refreshed_at timestamptz
);
INSERT INTO report_days_state (pending_from) VALUES ('-infinity');
-- The same per answering extension (the operators report), by the same passes.
CREATE TABLE operator_days (
    site_key     text          NOT NULL,
    day          date          NOT NULL,
    extension    text          NOT NULL,
    answered     integer       NOT NULL,
    missed       integer       NOT NULL,  -- calls that rang this phone and that it missed (calls.missed_by)
    ring_seconds bigint        NOT NULL,
    ring_counted integer       NOT NULL,
    talk_seconds bigint        NOT NULL,
    leads        integer       NOT NULL,
    deals        integer       NOT NULL,
    revenue      numeric(18, 2) NOT NULL,
    PRIMARY KEY (site_key, day, extension)
);
-- the lost-deals report reads only the calls whose outcome is LOST
CREATE INDEX calls_lost_started ON calls (started_at) WHERE outcome_status = 'LOST';
-- a report across sites reads a range of days
CREATE INDEX report_days_day ON report_days (day);
-- The same by keyword and by landing page (without its query string), by the same passes.
CREATE TABLE report_day_terms (
    site_key     text          NOT NULL,
    day          date          NOT NULL,
    kind         text          NOT NULL CHECK (kind IN ('keyword', 'landing')),
    term         text          NOT NULL,  -- '' when none
    timezone     text          NOT NULL,
    sessions     integer       NOT NULL,
    calls        integer       NOT NULL,
    answered     integer       NOT NULL,
    missed       integer       NOT NULL,
    talk_seconds bigint        NOT NULL,
    first_time   integer       NOT NULL,
    leads        integer       NOT NULL,
    deals        integer       NOT NULL,
    revenue      numeric(18, 2) NOT NULL,
    PRIMARY KEY (site_key, day, kind, term)
);
CREATE INDEX report_day_terms_day ON report_day_terms (kind, day);
