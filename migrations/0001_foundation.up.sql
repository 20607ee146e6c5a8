-- Foundation: organisations, users and their roles, sessions, sign-in throttling, the audit log,
-- academic years, terms and bank holidays, and the per-year SLA a school holds.

CREATE TABLE organisations (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('la', 'school', 'provider')),
    slug         text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$'),
    name         text NOT NULL CHECK (btrim(name) <> ''),
    urn          text,
    ukprn        text,
    setting_type text,
    address      text NOT NULL DEFAULT '',
    postcode     text NOT NULL DEFAULT '',
    phone        text NOT NULL DEFAULT '',
    email        text NOT NULL DEFAULT '',
    registered   boolean NOT NULL DEFAULT true,
    active       boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organisations_urn_key ON organisations (urn) WHERE urn IS NOT NULL;
CREATE UNIQUE INDEX organisations_ukprn_key ON organisations (ukprn) WHERE ukprn IS NOT NULL;
CREATE INDEX organisations_kind_name_idx ON organisations (kind, name);

CREATE TABLE users (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email          text NOT NULL CHECK (email = lower(btrim(email)) AND email LIKE '%_@_%'),
    name           text NOT NULL CHECK (btrim(name) <> ''),
    password_hash  text NOT NULL,
    active         boolean NOT NULL DEFAULT true,
    -- Bumped whenever every session of the user must end (deactivation, password change).
    session_epoch  integer NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    deactivated_at timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_name_idx ON users (lower(name), id);

CREATE TABLE memberships (
    user_id         bigint NOT NULL REFERENCES users (id),
    organisation_id bigint NOT NULL REFERENCES organisations (id),
    role            text NOT NULL CHECK (role IN (
        'coordinator', 'dsl', 'headteacher',
        'provider_staff', 'provider_dsl',
        'cap_admin', 'monitoring_officer', 'cap_dsl', 'service_lead',
        'panel_member')),
    granted_at      timestamptz NOT NULL DEFAULT now(),
    granted_by      bigint REFERENCES users (id),
    PRIMARY KEY (user_id, organisation_id, role)
);
CREATE INDEX memberships_organisation_idx ON memberships (organisation_id, role);

-- A role only makes sense in its kind of organisation (panel members sit in any).
CREATE FUNCTION memberships_check_kind() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    org_kind text;
BEGIN
    SELECT kind INTO org_kind FROM organisations WHERE id = NEW.organisation_id;
    IF NEW.role IN ('coordinator', 'dsl', 'headteacher') AND org_kind <> 'school'
       OR NEW.role IN ('provider_staff', 'provider_dsl') AND org_kind <> 'provider'
       OR NEW.role IN ('cap_admin', 'monitoring_officer', 'cap_dsl', 'service_lead') AND org_kind <> 'la' THEN
        RAISE EXCEPTION 'role % cannot be held in a % organisation', NEW.role, org_kind
            USING ERRCODE = 'check_violation', CONSTRAINT = 'memberships_role_kind';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER memberships_check_kind BEFORE INSERT OR UPDATE ON memberships
    FOR EACH ROW EXECUTE FUNCTION memberships_check_kind();

-- scs/pgxstore's table.
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- Sign-in attempts are kept by the email typed, whether or not an account has it, so that an unknown
-- email and a wrong password are throttled, and answered, the same way.
CREATE TABLE sign_in_attempts (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email     text NOT NULL,
    at        timestamptz NOT NULL,
    succeeded boolean NOT NULL
);
CREATE INDEX sign_in_attempts_email_at_idx ON sign_in_attempts (email, at DESC);

CREATE TABLE sign_in_lockouts (
    email        text PRIMARY KEY,
    locked_at    timestamptz NOT NULL,
    locked_until timestamptz NOT NULL
);

-- The audit log is append-only: the database itself refuses to change or remove a row.
CREATE TABLE audit_log (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    actor_user_id bigint REFERENCES users (id),
    actor_email   text NOT NULL DEFAULT '',
    action        text NOT NULL,
    subject_type  text NOT NULL DEFAULT '',
    subject_id    text NOT NULL DEFAULT '',
    summary       text NOT NULL DEFAULT '',
    details       jsonb NOT NULL DEFAULT '{}'::jsonb,
    request_id    text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_email, at DESC, id DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC, id DESC);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_type, subject_id, at DESC, id DESC);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

CREATE TABLE academic_years (
    code      text PRIMARY KEY CHECK (code ~ '^[0-9]{4}/[0-9]{2}$'),
    starts_on date NOT NULL,
    ends_on   date NOT NULL CHECK (ends_on > starts_on)
);

CREATE TABLE terms (
    academic_year   text NOT NULL REFERENCES academic_years (code),
    name            text NOT NULL CHECK (name IN ('Autumn', 'Spring', 'Summer')),
    starts_on       date NOT NULL,
    ends_on         date NOT NULL CHECK (ends_on > starts_on),
    half_term_start date NOT NULL,
    half_term_end   date NOT NULL,
    PRIMARY KEY (academic_year, name)
);

CREATE TABLE bank_holidays (
    day  date PRIMARY KEY,
    name text NOT NULL
);

-- One SLA per school per academic year; the directory work adds its entitlements.
CREATE TABLE slas (
    school_id     bigint NOT NULL REFERENCES organisations (id),
    academic_year text NOT NULL REFERENCES academic_years (code),
    signed        boolean NOT NULL DEFAULT false,
    signed_on     date,
    PRIMARY KEY (school_id, academic_year),
    CHECK (signed OR signed_on IS NULL)
);
