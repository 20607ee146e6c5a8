DROP INDEX IF EXISTS referrals_waiting_idx;
DROP INDEX IF EXISTS panel_cases_referral_idx;
DROP INDEX IF EXISTS placements_ended_on_idx;
DROP INDEX IF EXISTS placements_active_start_idx;
DROP INDEX IF EXISTS placements_referral_idx;
