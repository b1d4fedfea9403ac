-- Why a CRM lost the deal a call became (outcome LOST), for the lost-deals report.
ALTER TABLE calls ADD COLUMN outcome_lost_reason text;
