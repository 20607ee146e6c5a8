DROP TABLE IF EXISTS lado_entries;
DROP TABLE IF EXISTS lado_reports;
DROP TABLE IF EXISTS safeguarding_told;
DROP TABLE IF EXISTS safeguarding_entries;
DROP FUNCTION IF EXISTS safeguarding_refuse_change();
