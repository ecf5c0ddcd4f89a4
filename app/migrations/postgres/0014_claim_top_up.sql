-- PostgreSQL twin of ../sqlite/0014_claim_top_up.sql.
-- A claim made before a job was recorded may be topped up once to the employed share: the
-- top-up is a claim of its own (the difference), reviewed like any other, pointing at the
-- claim it completes. It is not another subsidy: the yearly cap and the once-rules skip it.
ALTER TABLE subsidy_claims ADD COLUMN top_up_of BIGINT REFERENCES subsidy_claims (id);
DROP INDEX subsidy_claims_one_per_certificate;
CREATE UNIQUE INDEX subsidy_claims_one_per_certificate ON subsidy_claims (certificate_id)
    WHERE status != 'rejected' AND top_up_of IS NULL;
CREATE UNIQUE INDEX subsidy_claims_one_top_up ON subsidy_claims (top_up_of)
    WHERE status != 'rejected' AND top_up_of IS NOT NULL;
