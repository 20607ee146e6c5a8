-- Panel meetings and their cases: a referral on a Tier 2 or Tier 3 pathway joins the agenda of the
-- round it met the deadline for; each of the round's panels (Review and Authorisation, Multi-Agency,
-- Supported Transfer Headteacher Placement Meeting) meets on a day CAP schedules, with attendance, and
-- decides its cases with minutes, a rationale and conditions. Each decision has an outcome letter that
-- must be shared with the school within three working days of the meeting.

-- The round a submitted referral joined when it was submitted, and why it is not an earlier one.
ALTER TABLE referrals
    ADD COLUMN panel_round_id bigint REFERENCES panel_rounds (id),
    ADD COLUMN panel_late_reason text NOT NULL DEFAULT '';

CREATE TABLE panel_meetings (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id   bigint NOT NULL REFERENCES panel_rounds (id),
    panel      text NOT NULL CHECK (panel IN ('review', 'multi_agency', 'headteacher')),
    held_on    date NOT NULL,
    -- The panel member who chairs the meeting and records its decisions.
    chair_id   bigint REFERENCES users (id),
    -- Attendees who are not portal users (a social worker, an Early Help officer), one per line.
    others     text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    created_by bigint REFERENCES users (id),
    updated_at timestamptz NOT NULL,
    UNIQUE (round_id, panel)
);

-- Who attended a meeting.
CREATE TABLE panel_attendance (
    meeting_id bigint NOT NULL REFERENCES panel_meetings (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id),
    PRIMARY KEY (meeting_id, user_id)
);

CREATE TABLE panel_cases (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id            bigint NOT NULL REFERENCES panel_rounds (id),
    panel               text NOT NULL CHECK (panel IN ('review', 'multi_agency', 'headteacher')),
    referral_id         bigint NOT NULL REFERENCES referrals (id),
    -- The agenda's order, set by CAP admins; SLA schools' Tier 2 cases are placed before others'.
    position            integer NOT NULL,
    sla_priority        boolean NOT NULL DEFAULT false,
    added_at            timestamptz NOT NULL,
    added_by            bigint REFERENCES users (id),
    -- The case this one was deferred from.
    carried_from        bigint UNIQUE REFERENCES panel_cases (id),
    minutes             text NOT NULL DEFAULT '',
    decision            text CHECK (decision IN ('approved', 'not_approved', 'deferred')),
    rationale           text NOT NULL DEFAULT '',
    conditions          text NOT NULL DEFAULT '',
    -- Supported Transfer: the school the Headteacher Placement Meeting allocated.
    receiving_school_id bigint REFERENCES organisations (id),
    decided_at          timestamptz,
    decided_by          bigint REFERENCES users (id),
    -- The members who took part in the decision, and those who could not (from the referring school).
    took_part           bigint[] NOT NULL DEFAULT '{}',
    excluded            bigint[] NOT NULL DEFAULT '{}',
    -- The outcome letter: due three working days after the meeting, shared by CAP.
    letter_due          date,
    letter_shared_at    timestamptz,
    letter_shared_by    bigint REFERENCES users (id),
    UNIQUE (round_id, panel, referral_id),
    CONSTRAINT panel_cases_decided CHECK ((decision IS NULL) = (decided_at IS NULL) AND (decision IS NULL) = (letter_due IS NULL)),
    CONSTRAINT panel_cases_rationale CHECK (decision IS NULL OR btrim(rationale) <> ''),
    CONSTRAINT panel_cases_shared CHECK (letter_shared_at IS NULL OR decision IS NOT NULL)
);
-- A referral waits on at most one panel at a time.
CREATE UNIQUE INDEX panel_cases_open_key ON panel_cases (referral_id) WHERE decision IS NULL;
CREATE INDEX panel_cases_agenda_idx ON panel_cases (round_id, panel, position, id);
CREATE INDEX panel_cases_letters_idx ON panel_cases (letter_due) WHERE decision IS NOT NULL AND letter_shared_at IS NULL;

-- Supported Transfer: the twelve-week placement at the receiving school, its review and the outcome.
CREATE TABLE transfers (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    referral_id         bigint NOT NULL UNIQUE REFERENCES referrals (id),
    case_id             bigint NOT NULL REFERENCES panel_cases (id),
    home_school_id      bigint NOT NULL REFERENCES organisations (id),
    receiving_school_id bigint NOT NULL REFERENCES organisations (id),
    starts_on           date NOT NULL,
    ends_on             date NOT NULL,
    review_on           date,
    review_notes        text NOT NULL DEFAULT '',
    outcome             text CHECK (outcome IN ('stays', 'returns')),
    outcome_notes       text NOT NULL DEFAULT '',
    outcome_at          timestamptz,
    created_at          timestamptz NOT NULL,
    created_by          bigint REFERENCES users (id),
    CHECK (receiving_school_id <> home_school_id),
    CHECK (ends_on > starts_on),
    CHECK ((outcome IS NULL) = (outcome_at IS NULL))
);

-- Placements on the Academy's pathways come from a cohort place, not an application response.
ALTER TABLE placements
    ALTER COLUMN application_response_id DROP NOT NULL,
    ADD COLUMN cohort_place_id bigint UNIQUE REFERENCES cohort_places (id),
    ADD CONSTRAINT placements_one_source CHECK ((application_response_id IS NULL) <> (cohort_place_id IS NULL));

CREATE OR REPLACE FUNCTION placements_require_acceptance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.cohort_place_id IS NOT NULL THEN
        IF NOT EXISTS (SELECT 1 FROM cohort_places
                       WHERE id = NEW.cohort_place_id AND referral_id = NEW.referral_id AND status = 'placed') THEN
            RAISE EXCEPTION 'placement % needs a place in a cohort', NEW.id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'placements_cohort_place';
        END IF;
        RETURN NEW;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM application_responses
                   WHERE id = NEW.application_response_id AND referral_id = NEW.referral_id
                     AND decision = 'accept') THEN
        RAISE EXCEPTION 'placement % needs an accepted application response', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'placements_accepted_response';
    END IF;
    RETURN NEW;
END;
$$;
