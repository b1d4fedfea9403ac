-- GET /v1/calls?keyword=...: no other index narrows a keyword filter, so a rare keyword made PostgreSQL scan
-- the whole log in ring-time order (p95 ~390 ms a page at 1,000,000 calls, ~6 ms with this index; see
-- CallLogBench). Partial: calls without a keyword, about half of them, cost no index write.
CREATE INDEX calls_keyword_started ON calls (keyword, started_at) WHERE keyword IS NOT NULL;
-- GET /v1/calls?source=...: the same for a rare source (a partner, a new ad network), ~490 ms a page without it.
CREATE INDEX calls_source_started ON calls (source, started_at) WHERE source IS NOT NULL;
