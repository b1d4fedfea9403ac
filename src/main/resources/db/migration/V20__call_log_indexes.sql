-- GET /v1/calls?keyword=...: no other index narrows a keyword filter, so a rare keyword made PostgreSQL scan
-- the whole log in ring-time order (p95 ~390 ms a page at 1,000,000 calls, ~6 ms with this index; see
-- CallLogBench). Partial: calls without a keyword, about half of them, cost no index write.
CREATE INDEX calls_keyword_started ON calls (keyword, started_at) WHERE keyword IS NOT NULL;
