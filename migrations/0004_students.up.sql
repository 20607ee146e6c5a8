-- Students: a school's own pupils with their census-style details, parent/carer contacts, the
-- professionals involved, and the CSV imports from a school's MIS (kept so that a preview survives
-- between requests and a confirm applies exactly what was previewed).

-- Trigram indexes make "part of a name or UPN" searches use an index across every school (CAP staff).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE students (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id            bigint NOT NULL REFERENCES organisations (id),
    -- DfE format: check letter, 11 digits, then a digit (permanent) or a letter (temporary). The check
    -- letter itself is verified in Go, which gives the coordinator a sentence rather than a constraint name.
    upn                  text NOT NULL CHECK (upn ~ '^[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]$'),
    legal_first_name     text NOT NULL CHECK (btrim(legal_first_name) <> ''),
    legal_last_name      text NOT NULL CHECK (btrim(legal_last_name) <> ''),
    preferred_first_name text NOT NULL DEFAULT '',
    preferred_last_name  text NOT NULL DEFAULT '',
    date_of_birth        date NOT NULL,
    sex                  text NOT NULL CHECK (sex IN ('F', 'M', 'U')),
    -- Referrals are for Years 7 to 11, but sixth-form students can be recorded.
    year_group           smallint NOT NULL CHECK (year_group BETWEEN 7 AND 13),
    sen_status           text NOT NULL DEFAULT 'none' CHECK (sen_status IN ('none', 'sen_support', 'ehcp')),
    fsm                  boolean NOT NULL DEFAULT false,
    looked_after         boolean NOT NULL DEFAULT false,
    cp_cin_status        text NOT NULL DEFAULT 'none' CHECK (cp_cin_status IN ('none', 'cin', 'cp')),
    ethnicity            text NOT NULL DEFAULT '',
    address              text NOT NULL DEFAULT '',
    postcode             text NOT NULL DEFAULT '',
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    created_by           bigint REFERENCES users (id),
    updated_by           bigint REFERENCES users (id),
    -- What the list's search looks in: every name the student goes by, and the UPN.
    search_text          text GENERATED ALWAYS AS (lower(
        legal_first_name || ' ' || legal_last_name || ' ' || preferred_first_name || ' ' ||
        preferred_last_name || ' ' || upn)) STORED
);
-- A UPN identifies one pupil across the whole service, whichever school they are at.
CREATE UNIQUE INDEX students_upn_key ON students (upn);
-- The school's list, in surname order, paged by keyset.
CREATE INDEX students_school_name_idx ON students (school_id, lower(legal_last_name), lower(legal_first_name), id);
-- CAP staff's list across every school, in the same order.
CREATE INDEX students_name_idx ON students (lower(legal_last_name), lower(legal_first_name), id);
CREATE INDEX students_search_idx ON students USING gin (search_text gin_trgm_ops);

-- A student's home school is a school, never CAP or a training provider.
CREATE FUNCTION students_check_school() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM organisations WHERE id = NEW.school_id AND kind = 'school') THEN
        RAISE EXCEPTION 'organisation % is not a school', NEW.school_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'students_school_kind';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER students_check_school BEFORE INSERT OR UPDATE OF school_id ON students
    FOR EACH ROW EXECUTE FUNCTION students_check_school();

-- Parents and carers, in the order the school contacts them.
CREATE TABLE student_contacts (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    student_id              bigint NOT NULL REFERENCES students (id) ON DELETE CASCADE,
    priority                smallint NOT NULL CHECK (priority >= 1),
    name                    text NOT NULL CHECK (btrim(name) <> ''),
    relationship            text NOT NULL DEFAULT '',
    phone                   text NOT NULL DEFAULT '',
    email                   text NOT NULL DEFAULT '',
    address                 text NOT NULL DEFAULT '',
    parental_responsibility boolean NOT NULL DEFAULT false,
    UNIQUE (student_id, priority)
);

-- Professionals involved with the student (social worker, early help worker, educational psychologist…).
CREATE TABLE student_professionals (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    student_id bigint NOT NULL REFERENCES students (id) ON DELETE CASCADE,
    position   smallint NOT NULL CHECK (position >= 1),
    name       text NOT NULL CHECK (btrim(name) <> ''),
    role       text NOT NULL DEFAULT '',
    agency     text NOT NULL DEFAULT '',
    phone      text NOT NULL DEFAULT '',
    email      text NOT NULL DEFAULT '',
    UNIQUE (student_id, position)
);

-- An uploaded MIS export: its parsed rows wait here, as previewed, until the coordinator confirms.
CREATE TABLE student_imports (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id   bigint NOT NULL REFERENCES organisations (id),
    uploaded_by bigint NOT NULL REFERENCES users (id),
    uploaded_at timestamptz NOT NULL,
    file_name   text NOT NULL,
    file_sha256 text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
    -- The columns the file had and each row as parsed, with its problems.
    rows        jsonb NOT NULL,
    status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied')),
    applied_at  timestamptz,
    applied_by  bigint REFERENCES users (id),
    -- What applying did: counts of created, updated, unchanged and skipped rows.
    result      jsonb,
    CHECK ((status = 'applied') = (applied_at IS NOT NULL))
);
CREATE INDEX student_imports_school_idx ON student_imports (school_id, uploaded_at DESC);
CREATE INDEX student_imports_sha_idx ON student_imports (school_id, file_sha256) WHERE status = 'applied';
