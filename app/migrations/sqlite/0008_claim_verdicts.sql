-- Every rule's verdict on a claim when it was made (subsidy::rules::Verdict as JSON), shown
-- with the claim as `reasons`; claims made before have none kept.
ALTER TABLE subsidy_claims ADD COLUMN verdicts TEXT NOT NULL DEFAULT '[]';
