DROP INDEX IF EXISTS referrals_school_open_idx;
