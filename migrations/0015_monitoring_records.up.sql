-- Progress reviews, behaviour incidents and meetings are recorded once however often their form is
-- sent: each form carries a one-time token, kept with the record it made. A meeting's actions are
-- read by meeting.
ALTER TABLE progress_reviews ADD COLUMN form_token text UNIQUE;
ALTER TABLE behaviour_incidents ADD COLUMN form_token text UNIQUE;
ALTER TABLE monitoring_meetings ADD COLUMN form_token text UNIQUE;
CREATE INDEX meeting_actions_meeting_idx ON meeting_actions (meeting_id, id);
CREATE INDEX monitoring_meetings_incident_idx ON monitoring_meetings (incident_id) WHERE incident_id IS NOT NULL;
