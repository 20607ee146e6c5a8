-- The pg_trgm extension stays: other areas may index with it too.
DROP TABLE IF EXISTS student_imports;
DROP TABLE IF EXISTS student_professionals;
DROP TABLE IF EXISTS student_contacts;
DROP TABLE IF EXISTS students;
DROP FUNCTION IF EXISTS students_check_school();
