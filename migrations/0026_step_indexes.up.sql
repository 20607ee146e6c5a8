-- Referrals at one step, in the order of how long each has waited there (CAP's work queue, one query
-- a step) and newest first (the referral list filtered by step): at scale a rare step's few were
-- found by walking every referral in the other order (issue 15, make bench).
CREATE INDEX referrals_step_waiting_idx ON referrals (step, step_since, id);
CREATE INDEX referrals_step_newest_idx ON referrals (step, id DESC);
-- The first of these does all that (step, step_since) did.
DROP INDEX referrals_step_idx;
