-- Ad spend per day and channel, as posted by the marketer or a BI export; the cost side of ROMI.
-- Posting a day and channel again replaces its amount. An empty medium or campaign means "any".
CREATE TABLE spend (
    site_key  text          NOT NULL,
    day       date          NOT NULL,
    source    text          NOT NULL,
    medium    text          NOT NULL DEFAULT '',
    campaign  text          NOT NULL DEFAULT '',
    amount    numeric(16, 2) NOT NULL CHECK (amount >= 0),
    currency  text,
    updated_at timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (site_key, day, source, medium, campaign)
);
-- the channel report reads calls and sessions of one site in a date range
CREATE INDEX calls_site_started_id ON calls (site_key, started_at, id);
