DROP TRIGGER IF EXISTS academic_years_reference_data ON academic_years;
DROP TRIGGER IF EXISTS terms_reference_data ON terms;
DROP TRIGGER IF EXISTS bank_holidays_reference_data ON bank_holidays;
DROP TRIGGER IF EXISTS organisations_reference_data ON organisations;
DROP FUNCTION IF EXISTS reference_data_changed();
DROP TABLE IF EXISTS reference_data_version;
