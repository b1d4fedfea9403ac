-- What a CRM says a call became; setting the same outcome again changes nothing.
ALTER TABLE calls
    ADD COLUMN outcome_status   text CHECK (outcome_status IN ('LEAD', 'QUALIFIED', 'DEAL', 'LOST', 'SPAM')),
    ADD COLUMN outcome_value    numeric(16, 2),
    ADD COLUMN outcome_currency text,
    ADD COLUMN outcome_deal_id  text,
    ADD COLUMN outcome_at       timestamptz;

-- Webhook subscriptions, per site.
CREATE TABLE webhooks (
    id         bigserial PRIMARY KEY,
    site_key   text        NOT NULL,
    url        text        NOT NULL,
    events     text[]      NOT NULL,
    secret     text        NOT NULL,             -- signs deliveries; needed in clear to sign
    active     boolean     NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_site ON webhooks (site_key) WHERE active;

-- The outbox and the delivery log in one: a row per event and subscription, written in the same statement
-- (so the same transaction) as the call change it reports, then sent until delivered or parked.
CREATE TABLE webhook_deliveries (
    id              bigserial PRIMARY KEY,
    webhook_id      bigint      NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event           text        NOT NULL,
    call_id         bigint      NOT NULL,
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    state           text        NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'DELIVERED', 'PARKED')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    retry_until     timestamptz NOT NULL DEFAULT now() + interval '24 hours',
    last_status     integer,
    last_error      text,
    delivered_at    timestamptz
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, id DESC);
