-- A report in another time zone reads each site's whole days of a range, which may differ by site: the ranking of
-- the largest terms filters rows by site, from the index alone.
DROP INDEX report_day_terms_rank;
CREATE INDEX report_day_terms_rank ON report_day_terms (kind, day) INCLUDE (site_key, term, calls, sessions);
