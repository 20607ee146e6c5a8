-- A version for the reference data every page reads and that changes a few times a year (issue 15,
-- make bench): the organisations a list's filters offer, the academic years, terms and bank holidays. The portal reads the version with the
-- signed-in person on every request (auth.LoadPrincipal, no statement of its own) and keeps what it
-- read under that version, so a change is seen on the next request, by every portal process.
-- Any write to those tables moves it on in the same transaction.
CREATE TABLE reference_data_version (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version  bigint NOT NULL
);
INSERT INTO reference_data_version (version) VALUES (1);

CREATE FUNCTION reference_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE reference_data_version SET version = version + 1;
    RETURN NULL;
END $$;

CREATE TRIGGER organisations_reference_data AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION reference_data_changed();
CREATE TRIGGER academic_years_reference_data AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON academic_years
    FOR EACH STATEMENT EXECUTE FUNCTION reference_data_changed();
CREATE TRIGGER terms_reference_data AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON terms
    FOR EACH STATEMENT EXECUTE FUNCTION reference_data_changed();
CREATE TRIGGER bank_holidays_reference_data AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bank_holidays
    FOR EACH STATEMENT EXECUTE FUNCTION reference_data_changed();
