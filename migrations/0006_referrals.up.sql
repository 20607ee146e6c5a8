-- Referrals: the CAP multi-agency application, its documents, its pathway (current step and an
-- append-only history of events), the packs sent to training providers, their application responses,
-- and the placement CAP sets up from an accepted one.

-- Yearly counters behind references like CAP-2627-00042.
CREATE TABLE referral_counters (
    academic_year text PRIMARY KEY REFERENCES academic_years (code),
    last_number   integer NOT NULL DEFAULT 0
);

CREATE TABLE referrals (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Given at submission; a draft has none.
    reference        text UNIQUE CHECK (reference ~ '^CAP-[0-9]{4}-[0-9]{5}$'),
    academic_year    text NOT NULL REFERENCES academic_years (code),
    school_id        bigint NOT NULL REFERENCES organisations (id),
    student_id       bigint NOT NULL REFERENCES students (id),
    programme_id     bigint NOT NULL REFERENCES programmes (id),
    -- The training provider the pack goes to (none for Supported Transfer).
    provider_id      bigint REFERENCES organisations (id),
    pathway          text NOT NULL CHECK (pathway IN ('tier1', 'flourish', 'supported_transfer', 'refocus', 'focus11')),
    step             text NOT NULL,
    -- When the referral reached its current step: the age of a pack waiting for a response.
    step_since       timestamptz NOT NULL,
    -- The application as typed, section by section; frozen into referral_versions at submission.
    answers          jsonb NOT NULL DEFAULT '{}',
    -- A Tier 1 coordinator's confirmation that they submit without a commissioning agreement.
    no_commissioning_confirmed boolean NOT NULL DEFAULT false,
    -- What the programme was when the referral was submitted (the directory may change later).
    programme_snapshot jsonb,
    version          integer NOT NULL DEFAULT 0,
    interview_on     date,
    interview_time   text NOT NULL DEFAULT '',
    -- The one-time token of the form that started the draft: a second click finds the first draft.
    start_token      text NOT NULL UNIQUE,
    created_at       timestamptz NOT NULL,
    created_by       bigint NOT NULL REFERENCES users (id),
    updated_at       timestamptz NOT NULL,
    submitted_at     timestamptz,
    submitted_by     bigint REFERENCES users (id),
    CHECK ((reference IS NULL) = (step = 'draft'))
);
CREATE INDEX referrals_school_idx ON referrals (school_id, id DESC);
CREATE INDEX referrals_step_idx ON referrals (step, step_since);
CREATE INDEX referrals_student_idx ON referrals (student_id);
-- One draft per student and programme: two starts at once (two tabs) carry on with the same draft.
CREATE UNIQUE INDEX referrals_one_draft_key ON referrals (student_id, programme_id) WHERE step = 'draft';
CREATE INDEX referrals_provider_idx ON referrals (provider_id, id DESC);
CREATE INDEX referrals_list_idx ON referrals (id DESC) WHERE step <> 'draft';

-- The answers as submitted, and each later correction with its reason.
CREATE TABLE referral_versions (
    referral_id bigint NOT NULL REFERENCES referrals (id),
    version     integer NOT NULL CHECK (version >= 1),
    answers     jsonb NOT NULL,
    reason      text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    created_by  bigint NOT NULL REFERENCES users (id),
    PRIMARY KEY (referral_id, version)
);

-- Who moved the referral, from which step to which, when and why.
CREATE TABLE referral_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    referral_id bigint NOT NULL REFERENCES referrals (id),
    at          timestamptz NOT NULL,
    actor_id    bigint REFERENCES users (id),
    actor_name  text NOT NULL DEFAULT '',
    actor_org   text NOT NULL DEFAULT '',
    action      text NOT NULL,
    from_step   text NOT NULL DEFAULT '',
    to_step     text NOT NULL DEFAULT '',
    note        text NOT NULL DEFAULT ''
);
CREATE INDEX referral_events_referral_idx ON referral_events (referral_id, id);

CREATE FUNCTION referral_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER referral_events_append_only BEFORE UPDATE OR DELETE ON referral_events
    FOR EACH ROW EXECUTE FUNCTION referral_versions_append_only();
CREATE TRIGGER referral_events_no_truncate BEFORE TRUNCATE ON referral_events
    FOR EACH STATEMENT EXECUTE FUNCTION referral_versions_append_only();
CREATE TRIGGER referral_versions_append_only BEFORE UPDATE OR DELETE ON referral_versions
    FOR EACH ROW EXECUTE FUNCTION referral_versions_append_only();

-- Uploaded documents, kept in the database. The type is what the content is, not what the name says.
CREATE TABLE referral_documents (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    referral_id   bigint NOT NULL REFERENCES referrals (id),
    kind          text NOT NULL CHECK (kind IN ('risk_assessment', 'commissioning_agreement', 'other')),
    file_name     text NOT NULL CHECK (btrim(file_name) <> '' AND file_name !~ '[/\\]'),
    content_type  text NOT NULL CHECK (content_type IN (
        'application/pdf', 'application/msword',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'image/png', 'image/jpeg')),
    size_bytes    integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
    sha256        text NOT NULL,
    content       bytea NOT NULL,
    -- Risk assessments: the day it was completed and whose template it is ('cap' or 'school').
    completed_on  date,
    template      text CHECK (template IN ('cap', 'school')),
    description   text NOT NULL DEFAULT '',
    uploaded_at   timestamptz NOT NULL,
    uploaded_by   bigint NOT NULL REFERENCES users (id),
    -- A document removed from a draft is kept (nothing submitted is lost) but no longer part of it.
    removed_at    timestamptz,
    removed_by    bigint REFERENCES users (id),
    CHECK (kind <> 'risk_assessment' OR (completed_on IS NOT NULL AND template IS NOT NULL))
);
CREATE INDEX referral_documents_referral_idx ON referral_documents (referral_id, id);

-- Packs sent to training providers. A provider sees a referral only while it holds an open pack for it;
-- a redirect to another provider withdraws the old pack.
CREATE TABLE referral_packs (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    referral_id  bigint NOT NULL REFERENCES referrals (id),
    provider_id  bigint NOT NULL REFERENCES organisations (id),
    sent_at      timestamptz NOT NULL,
    sent_by      bigint NOT NULL REFERENCES users (id),
    withdrawn_at timestamptz
);
CREATE UNIQUE INDEX referral_packs_open_key ON referral_packs (referral_id) WHERE withdrawn_at IS NULL;
CREATE INDEX referral_packs_provider_idx ON referral_packs (provider_id, referral_id) WHERE withdrawn_at IS NULL;

-- The provider's application response to a pack.
CREATE TABLE application_responses (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    referral_id          bigint NOT NULL REFERENCES referrals (id),
    pack_id              bigint NOT NULL UNIQUE REFERENCES referral_packs (id),
    provider_id          bigint NOT NULL REFERENCES organisations (id),
    receipt_acknowledged boolean NOT NULL CHECK (receipt_acknowledged),
    can_meet_needs       boolean NOT NULL,
    can_manage_risk      boolean NOT NULL,
    decision             text NOT NULL CHECK (decision IN ('accept', 'decline')),
    start_date           date,
    -- ISO weekdays, 1 Monday … 5 Friday.
    days                 smallint[] NOT NULL DEFAULT '{}',
    decline_reason       text CHECK (decline_reason IN ('need', 'risk', 'capacity', 'other')),
    decline_detail       text NOT NULL DEFAULT '',
    notes                text NOT NULL DEFAULT '',
    submitted_at         timestamptz NOT NULL,
    submitted_by         bigint NOT NULL REFERENCES users (id),
    processed_at         timestamptz,
    processed_by         bigint REFERENCES users (id),
    CHECK (decision <> 'accept' OR (start_date IS NOT NULL AND cardinality(days) > 0)),
    CHECK (decision <> 'decline' OR (decline_reason IS NOT NULL AND btrim(decline_detail) <> ''))
);
CREATE INDEX application_responses_referral_idx ON application_responses (referral_id, id);

-- A student at a provider on given days from a start date. Monitoring is built on this later.
CREATE TABLE placements (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    referral_id             bigint NOT NULL REFERENCES referrals (id),
    application_response_id bigint NOT NULL UNIQUE REFERENCES application_responses (id),
    student_id              bigint NOT NULL REFERENCES students (id),
    school_id               bigint NOT NULL REFERENCES organisations (id),
    provider_id             bigint NOT NULL REFERENCES organisations (id),
    programme_id            bigint NOT NULL REFERENCES programmes (id),
    academic_year           text NOT NULL REFERENCES academic_years (code),
    start_date              date NOT NULL,
    days                    smallint[] NOT NULL CHECK (cardinality(days) > 0),
    status                  text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
    -- Whether the school used one of its SLA's paid-for Tier 1 QA placements.
    qa_placement            boolean NOT NULL DEFAULT false,
    created_at              timestamptz NOT NULL,
    created_by              bigint NOT NULL REFERENCES users (id)
);
CREATE UNIQUE INDEX placements_referral_active_key ON placements (referral_id) WHERE status = 'active';
CREATE INDEX placements_school_idx ON placements (school_id, academic_year);

-- No placement without an accepted application response for the same referral.
CREATE FUNCTION placements_require_acceptance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM application_responses
                   WHERE id = NEW.application_response_id AND referral_id = NEW.referral_id
                     AND decision = 'accept') THEN
        RAISE EXCEPTION 'placement % needs an accepted application response', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'placements_accepted_response';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER placements_require_acceptance BEFORE INSERT OR UPDATE ON placements
    FOR EACH ROW EXECUTE FUNCTION placements_require_acceptance();
