-- The open-lease trigger plans its two statements for each call, for the rows that statement wrote. With the
-- default plan cache a connection settles on one generic plan after its first few calls, costed for whatever
-- those calls wrote: a connection whose first lease statements were large (a bulk load, the pool's recovery
-- ending thousands of leases) then wrote batches of 500 leases at a third of the rate of a fresh connection
-- (HistoryBench: 4,900 a second against 15,000; planning each call costs a fraction of a millisecond).
ALTER FUNCTION open_leases_keep() SET plan_cache_mode = force_custom_plan;
