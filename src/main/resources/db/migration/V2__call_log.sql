-- the call log's default order (newest ring first) and its keyset pages
CREATE INDEX calls_started ON calls (started_at DESC, id DESC);
