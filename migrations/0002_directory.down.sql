DROP TABLE IF EXISTS programme_windows;
DROP TRIGGER IF EXISTS organisations_rename_programmes ON organisations;
DROP FUNCTION IF EXISTS organisations_rename_programmes();
DROP TABLE IF EXISTS programmes;
DROP FUNCTION IF EXISTS programmes_set_provider_name();
DROP TABLE IF EXISTS provider_sites;
DROP TABLE IF EXISTS provider_details;
DROP FUNCTION IF EXISTS directory_require_provider();
