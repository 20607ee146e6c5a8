DROP TRIGGER IF EXISTS terms_attendance_tallies ON terms;
DROP FUNCTION IF EXISTS terms_attendance_tallies();
DROP FUNCTION IF EXISTS attendance_tallies_rebuild();
DROP TRIGGER IF EXISTS attendance_marks_tally ON attendance_marks;
DROP FUNCTION IF EXISTS attendance_marks_tally();
DROP FUNCTION IF EXISTS attendance_tally_add(bigint, date, text, integer);
DROP TABLE IF EXISTS attendance_tallies;
DROP FUNCTION IF EXISTS attendance_half_term_from(date);
