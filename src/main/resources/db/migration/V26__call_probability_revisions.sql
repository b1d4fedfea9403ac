-- When a call's probability is next revised with its pool's call model as it stands then (null: final, or none to
-- revise). A pool's first days fit the model on hours of calls, and the calls that come after a call are what tell
-- its number's holders apart; see ProbabilityReviser.
ALTER TABLE calls ADD COLUMN probability_revise_at timestamptz;
CREATE INDEX calls_probability_revise ON calls (probability_revise_at) WHERE probability_revise_at IS NOT NULL;
