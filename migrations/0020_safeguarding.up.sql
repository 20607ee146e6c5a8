-- Safeguarding records (issue 13): the student's chronology of concerns, the Child Exploitation
-- Indicator Tool, Force Intelligence Bureau submissions, and LADO reports. Every table is
-- append-only: entries are added, never changed; a correction is a new entry naming what it corrects.

-- safeguarding_entries is the chronology. A record (a concern, a CE tool record, an FIB submission)
-- has no parent; what is added to it later (an action or update, a MASH referral, a CPOMS reference,
-- police involvement, a correction) names the record as its parent.
CREATE TABLE safeguarding_entries (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    student_id  bigint NOT NULL REFERENCES students (id),
    kind        text NOT NULL CHECK (kind IN ('concern', 'ce_tool', 'fib', 'update', 'mash', 'cpoms', 'police', 'correction')),
    parent_id   bigint REFERENCES safeguarding_entries (id),
    corrects_id bigint REFERENCES safeguarding_entries (id),
    -- The organisation the author recorded it for (their school, provider, or CAP).
    org_id      bigint NOT NULL REFERENCES organisations (id),
    author_id   bigint NOT NULL REFERENCES users (id),
    recorded_at timestamptz NOT NULL,
    -- What was recorded, by kind (see internal/safeguarding).
    body        jsonb NOT NULL,
    -- The form's one-time token: the same form sent twice records one entry.
    token       text NOT NULL UNIQUE,
    CONSTRAINT safeguarding_entries_roots CHECK ((kind IN ('concern', 'ce_tool', 'fib')) = (parent_id IS NULL)),
    CONSTRAINT safeguarding_entries_corrections CHECK ((kind = 'correction') = (corrects_id IS NOT NULL))
);
CREATE INDEX safeguarding_entries_student_idx ON safeguarding_entries (student_id, recorded_at);
CREATE INDEX safeguarding_entries_parent_idx ON safeguarding_entries (parent_id) WHERE parent_id IS NOT NULL;

-- Which organisations were told of a record: the one that recorded it, and the provider the student
-- was placed with when it was recorded. A provider's DSL sees only the records their provider made or
-- was told of.
CREATE TABLE safeguarding_told (
    entry_id bigint NOT NULL REFERENCES safeguarding_entries (id),
    org_id   bigint NOT NULL REFERENCES organisations (id),
    told_at  timestamptz NOT NULL,
    PRIMARY KEY (entry_id, org_id)
);
CREATE INDEX safeguarding_told_org_idx ON safeguarding_told (org_id, entry_id);

-- LADO reports go to the CAP Service Lead only. lado_entries are what is added to a report: the LADO
-- referral, decisions, the outcome, updates and corrections.
CREATE TABLE lado_reports (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id   bigint NOT NULL REFERENCES users (id),
    recorded_at timestamptz NOT NULL,
    body        jsonb NOT NULL,
    token       text NOT NULL UNIQUE
);
CREATE TABLE lado_entries (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id   bigint NOT NULL REFERENCES lado_reports (id),
    kind        text NOT NULL CHECK (kind IN ('referral', 'decision', 'outcome', 'update', 'correction')),
    author_id   bigint NOT NULL REFERENCES users (id),
    recorded_at timestamptz NOT NULL,
    body        jsonb NOT NULL,
    token       text NOT NULL UNIQUE
);
CREATE INDEX lado_entries_report_idx ON lado_entries (report_id, recorded_at);

CREATE FUNCTION safeguarding_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'safeguarding records are append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER safeguarding_entries_append_only BEFORE UPDATE OR DELETE ON safeguarding_entries
    FOR EACH ROW EXECUTE FUNCTION safeguarding_refuse_change();
CREATE TRIGGER safeguarding_entries_no_truncate BEFORE TRUNCATE ON safeguarding_entries
    FOR EACH STATEMENT EXECUTE FUNCTION safeguarding_refuse_change();
CREATE TRIGGER safeguarding_told_append_only BEFORE UPDATE OR DELETE ON safeguarding_told
    FOR EACH ROW EXECUTE FUNCTION safeguarding_refuse_change();
CREATE TRIGGER safeguarding_told_no_truncate BEFORE TRUNCATE ON safeguarding_told
    FOR EACH STATEMENT EXECUTE FUNCTION safeguarding_refuse_change();
CREATE TRIGGER lado_reports_append_only BEFORE UPDATE OR DELETE ON lado_reports
    FOR EACH ROW EXECUTE FUNCTION safeguarding_refuse_change();
CREATE TRIGGER lado_reports_no_truncate BEFORE TRUNCATE ON lado_reports
    FOR EACH STATEMENT EXECUTE FUNCTION safeguarding_refuse_change();
CREATE TRIGGER lado_entries_append_only BEFORE UPDATE OR DELETE ON lado_entries
    FOR EACH ROW EXECUTE FUNCTION safeguarding_refuse_change();
CREATE TRIGGER lado_entries_no_truncate BEFORE TRUNCATE ON lado_entries
    FOR EACH STATEMENT EXECUTE FUNCTION safeguarding_refuse_change();
