DROP TRIGGER IF EXISTS organisations_reference_data ON organisations;
DROP FUNCTION IF EXISTS reference_data_changed();
DROP TABLE IF EXISTS reference_data_version;
