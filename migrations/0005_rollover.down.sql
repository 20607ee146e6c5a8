ALTER TABLE terms DROP COLUMN draft;
ALTER TABLE academic_years DROP COLUMN draft;
