-- The call log's change feed: a row per event a change to a call raises, written by the statement that changes
-- the call (so both commit or neither). Webhooks take the rows out and queue a delivery per subscription; the
-- call log no longer writes webhook_deliveries itself.
CREATE TABLE call_changes (
    id          bigserial   PRIMARY KEY,
    call_id     bigint      NOT NULL,
    site_key    text,
    event       text        NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT now()
);
