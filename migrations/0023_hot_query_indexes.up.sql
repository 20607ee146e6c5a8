-- Indexes the hot pages need at scale (issue 15, make bench): each one is a plan that read a whole
-- big table at scale factor 1 (internal/scale TestHotQueryPlans).

-- A referral's placements, ended ones too (placements_referral_active_key covers only the active one):
-- the referral page and its timeline.
CREATE INDEX placements_referral_idx ON placements (referral_id, id);
-- The placements running on a day (the registers expected today, on the CAP and provider
-- dashboards): the active ones by start, and the ended ones by their last day.
CREATE INDEX placements_active_start_idx ON placements (start_date) WHERE status = 'active';
CREATE INDEX placements_ended_on_idx ON placements (ended_on) WHERE ended_on IS NOT NULL;
-- Whether a referral ever went to a panel, and its cases in order: the referral page.
CREATE INDEX panel_cases_referral_idx ON panel_cases (referral_id, id);
-- CAP's lists in the order of how long each referral has waited at its step (the work queue's
-- "oldest first", and the referral list sorted by waiting), across every step but drafts.
CREATE INDEX referrals_waiting_idx ON referrals (step_since, id) WHERE step <> 'draft';
