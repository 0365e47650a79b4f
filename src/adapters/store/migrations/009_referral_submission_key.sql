-- 009: a referral form submitted twice by the same request (a retry after a lost answer) is one case.
ALTER TABLE cases ADD COLUMN submission_key text;
CREATE UNIQUE INDEX cases_by_submission_key ON cases (submission_key) WHERE submission_key IS NOT NULL;
