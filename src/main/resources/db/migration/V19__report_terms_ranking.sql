-- The largest keywords (or landing pages) of a range are found from these columns alone, read from the index
-- without the table's rows; then every figure of the top ones is read by term. A month of a large site holds tens
-- of thousands of keyword-days.
CREATE INDEX report_day_terms_rank ON report_day_terms (kind, day) INCLUDE (term, calls, sessions);
CREATE INDEX report_day_terms_term ON report_day_terms (kind, term, day);
DROP INDEX report_day_terms_day;
