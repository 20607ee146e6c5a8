CREATE OR REPLACE FUNCTION placements_require_acceptance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM application_responses
                   WHERE id = NEW.application_response_id AND referral_id = NEW.referral_id
                     AND decision = 'accept') THEN
        RAISE EXCEPTION 'placement % needs an accepted application response', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'placements_accepted_response';
    END IF;
    RETURN NEW;
END;
$$;
DELETE FROM placements WHERE cohort_place_id IS NOT NULL;
ALTER TABLE placements DROP CONSTRAINT placements_one_source, DROP COLUMN cohort_place_id,
    ALTER COLUMN application_response_id SET NOT NULL;
DROP TABLE IF EXISTS transfers;
DROP TABLE IF EXISTS panel_cases;
DROP TABLE IF EXISTS panel_attendance;
DROP TABLE IF EXISTS panel_meetings;
ALTER TABLE referrals DROP COLUMN IF EXISTS panel_late_reason, DROP COLUMN IF EXISTS panel_round_id;
