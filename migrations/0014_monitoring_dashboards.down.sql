DROP INDEX IF EXISTS attendance_marks_day_idx;
