-- A school's dashboard counts its referrals in progress and its drafts (issue 15, make bench): the
-- count read every referral the school ever made (813 rows for one school at scale factor 1, 1.4 ms,
-- and ten times that at factor 10). The referrals not yet placed or closed are few at any time, and
-- this index holds only those, so the count reads them alone.
CREATE INDEX referrals_school_open_idx ON referrals (school_id, step)
    WHERE step NOT IN ('placement_active', 'closed', 'transfer_outcome');
