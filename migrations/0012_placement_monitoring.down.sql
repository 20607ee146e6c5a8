DROP TABLE IF EXISTS meeting_actions;
DROP TABLE IF EXISTS monitoring_meetings;
DROP TABLE IF EXISTS behaviour_incidents;
DROP TABLE IF EXISTS progress_reviews;
DROP TABLE IF EXISTS monitoring_alerts;
DROP TABLE IF EXISTS attendance_mark_history;
DROP TABLE IF EXISTS attendance_marks;
DROP TABLE IF EXISTS registers;
DROP TABLE IF EXISTS placement_review_dates;
DROP INDEX IF EXISTS placements_provider_idx;
DROP INDEX IF EXISTS placements_student_idx;
ALTER TABLE placements DROP CONSTRAINT IF EXISTS placements_end_after_start,
    DROP COLUMN IF EXISTS ended_on, DROP COLUMN IF EXISTS monitoring_officer_id,
    DROP COLUMN IF EXISTS reintegration_plan, DROP COLUMN IF EXISTS objectives,
    DROP COLUMN IF EXISTS hours_per_week, DROP COLUMN IF EXISTS planned_end_date, DROP COLUMN IF EXISTS sessions;
