-- The registers expected on a day, per provider and session, kept once worked out (issue 15, make
-- bench: working them out reads every placement running that day, 80 ms at scale factor 10, on every
-- monitoring officer's dashboard and every run of the monitoring job).
--
-- placement.expectedRegisters works a day's registers out in Go (the school days, the days in force
-- after a change of day, the Refocus phases) and stores them under the version it read them at.
-- Anything that can change which learners are expected (a placement written, a change of day, the
-- terms, the bank holidays, a programme's kind) moves the version on in the same transaction, so
-- that registers stored under an older version are never read again: a reader works the day out
-- afresh at the new version. Version and placements are read in one snapshot, so a day stored is
-- exactly what that version's placements expect.
CREATE TABLE expected_registers_version (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version  bigint NOT NULL
);
INSERT INTO expected_registers_version (version) VALUES (1);

-- A day worked out at a version (it may expect no register at all).
CREATE TABLE expected_register_days (
    on_date       date NOT NULL,
    version       bigint NOT NULL,
    worked_out_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (on_date, version)
);

CREATE TABLE expected_registers (
    on_date     date NOT NULL,
    version     bigint NOT NULL,
    provider_id bigint NOT NULL REFERENCES organisations (id),
    session     text NOT NULL CHECK (session IN ('am', 'pm')),
    expected    integer NOT NULL CHECK (expected > 0),
    PRIMARY KEY (on_date, version, provider_id, session),
    FOREIGN KEY (on_date, version) REFERENCES expected_register_days (on_date, version) ON DELETE CASCADE
);

CREATE FUNCTION expected_registers_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE expected_registers_version SET version = version + 1;
    RETURN NULL;
END $$;

CREATE TRIGGER placements_expected_registers
    AFTER INSERT OR DELETE OR UPDATE OF provider_id, programme_id, start_date, planned_end_date, ended_on, status, days, sessions
    ON placements FOR EACH STATEMENT EXECUTE FUNCTION expected_registers_changed();
CREATE TRIGGER placements_expected_registers_truncate AFTER TRUNCATE ON placements
    FOR EACH STATEMENT EXECUTE FUNCTION expected_registers_changed();
CREATE TRIGGER placement_day_changes_expected_registers AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON placement_day_changes
    FOR EACH STATEMENT EXECUTE FUNCTION expected_registers_changed();
CREATE TRIGGER terms_expected_registers AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON terms
    FOR EACH STATEMENT EXECUTE FUNCTION expected_registers_changed();
CREATE TRIGGER bank_holidays_expected_registers AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bank_holidays
    FOR EACH STATEMENT EXECUTE FUNCTION expected_registers_changed();
CREATE TRIGGER programmes_expected_registers AFTER UPDATE OF kind ON programmes
    FOR EACH STATEMENT EXECUTE FUNCTION expected_registers_changed();
