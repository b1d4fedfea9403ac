-- The parked-deliveries gauge counts these every 30 s: an index on the few parked rows, not a scan of the log.
CREATE INDEX webhook_deliveries_parked ON webhook_deliveries (webhook_id) WHERE state = 'PARKED';
