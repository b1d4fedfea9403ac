-- Core tables. number-pool.yaml is synced into sites / pools / pool_numbers; Redis holds the live pool
-- state and PostgreSQL keeps the record (sessions, lease history, calls) that attribution relies on.

CREATE TABLE sites (
    key             text PRIMARY KEY,
    name            text        NOT NULL,
    region          text        NOT NULL,
    domains         text        NOT NULL,           -- comma-separated, as configured
    printed_numbers text        NOT NULL,           -- comma-separated E.164
    default_number  text,
    attribution     text        NOT NULL,
    active          boolean     NOT NULL DEFAULT true,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE pools (
    id                  text PRIMARY KEY,
    site_key            text        NOT NULL REFERENCES sites (key),
    kind                text        NOT NULL CHECK (kind IN ('STATIC', 'DYNAMIC')),
    position            integer     NOT NULL,
    match_rule          text        NOT NULL,        -- JSON of the match conditions
    hold_seconds        bigint      NOT NULL,
    late_window_seconds bigint      NOT NULL,
    exhaustion          text        NOT NULL,
    attribute_source    text,
    attribute_medium    text,
    attribute_campaign  text,
    active              boolean     NOT NULL DEFAULT true,
    updated_at          timestamptz NOT NULL DEFAULT now()
);

-- A number belongs to one pool at a time; removed numbers are kept (state DRAINING/REMOVED) so calls
-- to them can still be attributed to their last holder.
CREATE TABLE pool_numbers (
    number     text PRIMARY KEY,
    pool_id    text        NOT NULL REFERENCES pools (id),
    state      text        NOT NULL CHECK (state IN ('ACTIVE', 'DRAINING', 'QUARANTINED')),
    origin     text        NOT NULL DEFAULT 'CONFIG' CHECK (origin IN ('CONFIG', 'API')), -- API: added by an admin, kept on reload
    added_at   timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pool_numbers_pool ON pool_numbers (pool_id, state);

-- A visit: one visitor's session on a site, with what it came from.
CREATE TABLE sessions (
    id            text PRIMARY KEY,
    site_key      text        NOT NULL,
    visitor_id    text        NOT NULL,
    pool_id       text,
    number        text,
    started_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    source        text,
    medium        text,
    campaign      text,
    content       text,
    keyword       text,
    landing_url   text,
    referrer      text,
    gclid         text,
    yclid         text,
    fbclid        text,
    ga_client_id  text,
    page_title    text,
    user_agent    text,
    ip            text,
    bot           boolean     NOT NULL DEFAULT false
);
CREATE INDEX sessions_site_started ON sessions (site_key, started_at);
CREATE INDEX sessions_visitor ON sessions (visitor_id, started_at);

-- Who held which number from when to when: what attribution reads, and what survives a Redis restart.
CREATE TABLE leases (
    id           bigserial PRIMARY KEY,
    pool_id      text        NOT NULL,
    number       text        NOT NULL,
    session_id   text        NOT NULL,
    visitor_id   text        NOT NULL,
    started_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    ended_at     timestamptz,
    shared       boolean     NOT NULL DEFAULT false,
    CONSTRAINT leases_session_number UNIQUE (session_id, number)
);
-- attribution: which lease on number N covered instant T, or ended last before it
CREATE INDEX leases_number_started ON leases (number, started_at DESC);
CREATE INDEX leases_pool_started ON leases (pool_id, started_at);
CREATE INDEX leases_open ON leases (pool_id) WHERE ended_at IS NULL;

CREATE TABLE calls (
    id                 bigserial PRIMARY KEY,
    pbx                text        NOT NULL,
    linkedid           text        NOT NULL,
    did                text,
    caller             text,
    caller_name        text,
    started_at         timestamptz NOT NULL,
    answered_at        timestamptz,
    ended_at           timestamptz,
    ring_seconds       integer,
    talk_seconds       integer,
    disposition        text,
    extension          text,
    incomplete         boolean     NOT NULL DEFAULT false,
    site_key           text,
    pool_id            text,
    session_id         text,
    attribution_method text        NOT NULL DEFAULT 'UNATTRIBUTED',
    confidence         text,
    source             text,
    medium             text,
    campaign           text,
    keyword            text,
    landing_url        text,
    referrer           text,
    gclid              text,
    yclid              text,
    fbclid             text,
    ga_client_id       text,
    repeat_caller      boolean     NOT NULL DEFAULT false,
    first_call_id      bigint,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT calls_pbx_linkedid UNIQUE (pbx, linkedid)
);
-- incremental CRM sync: keyset on (updated_at, id)
CREATE INDEX calls_updated ON calls (updated_at, id);
CREATE INDEX calls_site_started ON calls (site_key, started_at);
CREATE INDEX calls_caller ON calls (caller, started_at);
CREATE INDEX calls_did_started ON calls (did, started_at);
