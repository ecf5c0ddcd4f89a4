-- Payees and payment batches (支付批次), and the cities' yearly budgets.
--
-- A claim names its payee: `social_security_card` or `bank_account` (the bank's name, and the
-- account number sealed with the portal's key) or `institution` (the class's institution). A
-- trainee may keep one on the profile for later claims. Once paid, a claim has the day and
-- finance's reference, and the batch it was paid in.
ALTER TABLE subsidy_claims ADD COLUMN payee_kind TEXT;
ALTER TABLE subsidy_claims ADD COLUMN payee_bank TEXT;
ALTER TABLE subsidy_claims ADD COLUMN payee_account_sealed BLOB;
ALTER TABLE subsidy_claims ADD COLUMN batch_id INTEGER;
ALTER TABLE subsidy_claims ADD COLUMN paid_on TEXT;
ALTER TABLE subsidy_claims ADD COLUMN payment_reference TEXT;
CREATE INDEX subsidy_claims_batch ON subsidy_claims (batch_id);
ALTER TABLE users ADD COLUMN payee_kind TEXT;
ALTER TABLE users ADD COLUMN payee_bank TEXT;
ALTER TABLE users ADD COLUMN payee_account_sealed BLOB;

-- A batch is `open` until the HR officer marks it `paid` (the day, the reference, who, when).
CREATE TABLE payment_batches (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    city       TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by INTEGER,
    paid_on    TEXT,
    reference  TEXT,
    paid_at    TEXT,
    paid_by    INTEGER
);
CREATE INDEX payment_batches_city ON payment_batches (city, id);

-- The claims a batch holds, with the amount and the payee as they were when it was gathered
-- (what finance was given). A claim that leaves it stays listed: `left_as` `returned` (a bank
-- return, after payment) or `removed` (undone before payment), with why, who and when.
CREATE TABLE payment_batch_claims (
    batch_id             INTEGER NOT NULL REFERENCES payment_batches (id),
    claim_id             INTEGER NOT NULL REFERENCES subsidy_claims (id),
    amount_fen           INTEGER NOT NULL,
    payee_kind           TEXT NOT NULL,
    payee_bank           TEXT,
    payee_account_sealed BLOB,
    left_as              TEXT,
    left_reason          TEXT,
    left_by              INTEGER,
    left_at              TEXT,
    PRIMARY KEY (batch_id, claim_id)
);
CREATE INDEX payment_batch_claims_claim ON payment_batch_claims (claim_id);

-- A city's subsidy budget for a calendar year (set with `peixun set-policy --budget-yuan`).
CREATE TABLE subsidy_budgets (
    city       TEXT NOT NULL,
    year       INTEGER NOT NULL,
    budget_fen INTEGER NOT NULL CHECK (budget_fen >= 0),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (city, year)
);
