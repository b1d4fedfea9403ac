-- Entries of the Redis write-behind logs (visits, lease history) that PostgreSQL refused on their own, so the
-- rest of their batch could be written. Kept for an admin to see (GET /v1/admin/parked-writes): the payload
-- as bytes, since what made PostgreSQL refuse it is usually text its text types cannot hold.
CREATE TABLE parked_writes (
    id        bigserial PRIMARY KEY,
    stream    text COLLATE "C" NOT NULL,
    entry_id  text COLLATE "C" NOT NULL,
    payload   bytea NOT NULL,
    error     text NOT NULL,
    parked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX parked_writes_parked_at ON parked_writes (parked_at DESC);
