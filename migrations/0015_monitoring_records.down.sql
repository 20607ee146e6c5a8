DROP INDEX IF EXISTS monitoring_meetings_incident_idx;
DROP INDEX IF EXISTS meeting_actions_meeting_idx;
ALTER TABLE monitoring_meetings DROP COLUMN IF EXISTS form_token;
ALTER TABLE behaviour_incidents DROP COLUMN IF EXISTS form_token;
ALTER TABLE progress_reviews DROP COLUMN IF EXISTS form_token;
