CREATE INDEX referrals_step_idx ON referrals (step, step_since);
DROP INDEX IF EXISTS referrals_step_newest_idx;
DROP INDEX IF EXISTS referrals_step_waiting_idx;
