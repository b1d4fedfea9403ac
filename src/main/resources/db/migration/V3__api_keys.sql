-- API keys: only a hash of each secret is kept (see ApiKeys).
CREATE TABLE api_keys (
    id         bigserial PRIMARY KEY,
    name       text        NOT NULL,
    key_hash   text        NOT NULL UNIQUE,
    prefix     text        NOT NULL,
    role       text        NOT NULL CHECK (role IN ('READ', 'WRITE', 'ADMIN')),
    site_key   text,                                -- null: every site
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);
