-- PostgreSQL twin of ../sqlite/0012_claim_breakdown.sql.
-- How a claim's amount was made, kept when it was decided (subsidy::Breakdown as JSON):
-- the standard, the share, the days attended, the living allowance, the groups, the job.
ALTER TABLE subsidy_claims ADD COLUMN breakdown TEXT;
