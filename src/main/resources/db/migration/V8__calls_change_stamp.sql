-- A call's change is stamped with the clock while its statement runs, not with its transaction's start:
-- an incremental sync reads only up to the oldest transaction in progress (pg_stat_activity.xact_start), and a
-- writer shows there only a moment after its transaction started. A stamp taken while the statement runs is
-- never earlier than what the reader could have seen, so no change can land behind a client's cursor.
ALTER TABLE calls ALTER COLUMN updated_at SET DEFAULT clock_timestamp();
