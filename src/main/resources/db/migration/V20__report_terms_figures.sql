-- The top keywords' figures are read from this index alone (the rows of a hundred terms over a month, scattered
-- over the table, cost a page read each otherwise).
DROP INDEX report_day_terms_term;
CREATE INDEX report_day_terms_term ON report_day_terms (kind, term, day)
    INCLUDE (site_key, sessions, calls, answered, missed, talk_seconds, first_time, leads, deals, revenue);
