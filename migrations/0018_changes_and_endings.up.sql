-- Changes and endings: change-of-day requests and the days a placement runs on from a date,
-- withdrawal requests with the meeting before them, outcomes and qualifications, Year 11 post-16
-- destinations and the date CAP checks them by, the hours a student spends at the home school, and
-- what the school census asks about each placement that the portal cannot know by itself.

-- A request to change the days and sessions of a placement: started by the school or the provider,
-- agreed by both, submitted by the school, applied by CAP from a date (due two working days after
-- submission).
CREATE TABLE change_of_day_requests (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    placement_id       bigint NOT NULL REFERENCES placements (id),
    requested_by_side  text NOT NULL CHECK (requested_by_side IN ('school', 'provider')),
    created_at         timestamptz NOT NULL,
    created_by         bigint NOT NULL REFERENCES users (id),
    -- The days and sessions when the request was made, and those asked for.
    current_days       smallint[] NOT NULL,
    current_sessions   text[] NOT NULL,
    new_days           smallint[] NOT NULL CHECK (cardinality(new_days) > 0 AND new_days <@ '{1,2,3,4,5}'::smallint[]),
    new_sessions       text[] NOT NULL CHECK (cardinality(new_sessions) > 0 AND new_sessions <@ '{am,pm}'::text[]),
    reason             text NOT NULL CHECK (btrim(reason) <> ''),
    -- The impact considered on the student's achievement, health and well-being.
    impact             text NOT NULL CHECK (btrim(impact) <> ''),
    school_agreed_at   timestamptz,
    school_agreed_by   bigint REFERENCES users (id),
    provider_agreed_at timestamptz,
    provider_agreed_by bigint REFERENCES users (id),
    submitted_at       timestamptz,
    submitted_by       bigint REFERENCES users (id),
    due_on             date,
    applied_at         timestamptz,
    applied_by         bigint REFERENCES users (id),
    effective_from     date,
    cancelled_at       timestamptz,
    cancelled_by       bigint REFERENCES users (id),
    cancel_reason      text NOT NULL DEFAULT '',
    status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'submitted', 'applied', 'cancelled')),
    CHECK ((school_agreed_at IS NULL) = (school_agreed_by IS NULL)),
    CHECK ((provider_agreed_at IS NULL) = (provider_agreed_by IS NULL)),
    -- Nobody submits a change both sides have not agreed.
    CHECK (submitted_at IS NULL OR (school_agreed_at IS NOT NULL AND provider_agreed_at IS NOT NULL)),
    CHECK ((submitted_at IS NULL) = (due_on IS NULL)),
    CHECK (status <> 'open' OR submitted_at IS NULL),
    CHECK (status NOT IN ('submitted', 'applied') OR submitted_at IS NOT NULL),
    CHECK ((status = 'applied') = (applied_at IS NOT NULL AND effective_from IS NOT NULL)),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);
-- One request under way per placement at a time.
CREATE UNIQUE INDEX change_of_day_requests_open_key ON change_of_day_requests (placement_id) WHERE status IN ('open', 'submitted');
CREATE INDEX change_of_day_requests_placement_idx ON change_of_day_requests (placement_id, id);
-- CAP's queue: submitted requests by due day.
CREATE INDEX change_of_day_requests_due_idx ON change_of_day_requests (due_on, id) WHERE status = 'submitted';

-- The days and sessions a placement runs on from a date. placements.days and placements.sessions are
-- those of the latest change (or of the start, with none); each change keeps the days and sessions it
-- replaced, so the register of any day follows the days in force on that day and the past is never
-- rewritten.
CREATE TABLE placement_day_changes (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    placement_id      bigint NOT NULL REFERENCES placements (id),
    effective_from    date NOT NULL,
    days              smallint[] NOT NULL CHECK (cardinality(days) > 0 AND days <@ '{1,2,3,4,5}'::smallint[]),
    sessions          text[] NOT NULL CHECK (cardinality(sessions) > 0 AND sessions <@ '{am,pm}'::text[]),
    previous_days     smallint[] NOT NULL,
    previous_sessions text[] NOT NULL,
    request_id        bigint REFERENCES change_of_day_requests (id),
    applied_at        timestamptz NOT NULL,
    applied_by        bigint NOT NULL REFERENCES users (id),
    UNIQUE (placement_id, effective_from)
);

-- A request to withdraw a student from a placement: started by the school or the provider; when the
-- provider asks, a meeting with CAP and the school is recorded before it is submitted (when the school
-- asks, a discussion with a Monitoring Officer may be). CAP processes it within five working days,
-- ending this placement or every placement of the student on the same course from a date.
CREATE TABLE withdrawal_requests (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    placement_id        bigint NOT NULL REFERENCES placements (id),
    requested_by_side   text NOT NULL CHECK (requested_by_side IN ('school', 'provider')),
    created_at          timestamptz NOT NULL,
    created_by          bigint NOT NULL REFERENCES users (id),
    reason              text NOT NULL CHECK (btrim(reason) <> ''),
    impact              text NOT NULL CHECK (btrim(impact) <> ''),
    meeting_held_on     date,
    meeting_attendees   text NOT NULL DEFAULT '',
    meeting_notes       text NOT NULL DEFAULT '',
    meeting_recorded_at timestamptz,
    meeting_recorded_by bigint REFERENCES users (id),
    submitted_at        timestamptz,
    submitted_by        bigint REFERENCES users (id),
    due_on              date,
    processed_at        timestamptz,
    processed_by        bigint REFERENCES users (id),
    last_day            date,
    outcome_note        text NOT NULL DEFAULT '',
    cancelled_at        timestamptz,
    cancelled_by        bigint REFERENCES users (id),
    cancel_reason       text NOT NULL DEFAULT '',
    status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'submitted', 'processed', 'cancelled')),
    CHECK ((meeting_recorded_at IS NULL) = (meeting_held_on IS NULL)),
    -- A provider's request is never submitted before the meeting with CAP and the school.
    CHECK (requested_by_side <> 'provider' OR submitted_at IS NULL OR meeting_recorded_at IS NOT NULL),
    CHECK ((submitted_at IS NULL) = (due_on IS NULL)),
    CHECK (status <> 'open' OR submitted_at IS NULL),
    CHECK (status NOT IN ('submitted', 'processed') OR submitted_at IS NOT NULL),
    CHECK ((status = 'processed') = (processed_at IS NOT NULL AND last_day IS NOT NULL)),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);
CREATE UNIQUE INDEX withdrawal_requests_open_key ON withdrawal_requests (placement_id) WHERE status IN ('open', 'submitted');
CREATE INDEX withdrawal_requests_placement_idx ON withdrawal_requests (placement_id, id);
CREATE INDEX withdrawal_requests_due_idx ON withdrawal_requests (due_on, id) WHERE status = 'submitted';

-- The placements a processed withdrawal ended: the one asked about, or every one on the course.
CREATE TABLE withdrawal_ended_placements (
    withdrawal_id bigint NOT NULL REFERENCES withdrawal_requests (id),
    placement_id  bigint NOT NULL REFERENCES placements (id),
    PRIMARY KEY (withdrawal_id, placement_id)
);

-- How a placement ended.
CREATE TABLE placement_outcomes (
    placement_id bigint PRIMARY KEY REFERENCES placements (id),
    outcome      text NOT NULL CHECK (outcome IN ('completed', 'withdrawn', 'transferred')),
    notes        text NOT NULL DEFAULT '',
    recorded_at  timestamptz NOT NULL,
    recorded_by  bigint NOT NULL REFERENCES users (id)
);

-- Qualifications and awards achieved on a placement.
CREATE TABLE placement_qualifications (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    placement_id  bigint NOT NULL REFERENCES placements (id),
    name          text NOT NULL CHECK (btrim(name) <> ''),
    level         text NOT NULL DEFAULT '',
    awarding_body text NOT NULL DEFAULT '',
    recorded_at   timestamptz NOT NULL,
    recorded_by   bigint NOT NULL REFERENCES users (id)
);
CREATE INDEX placement_qualifications_placement_idx ON placement_qualifications (placement_id, id);

-- A Year 11 student's post-16 destination in an academic year; "not known" has no date confirmed.
CREATE TABLE post16_destinations (
    student_id    bigint NOT NULL REFERENCES students (id),
    academic_year text NOT NULL REFERENCES academic_years (code),
    destination   text NOT NULL CHECK (destination IN ('further_education', 'apprenticeship', 'employment_with_training',
                                                       'training', 'other', 'neet', 'not_known')),
    detail        text NOT NULL DEFAULT '',
    confirmed_on  date,
    recorded_at   timestamptz NOT NULL,
    recorded_by   bigint NOT NULL REFERENCES users (id),
    PRIMARY KEY (student_id, academic_year),
    CHECK ((destination = 'not_known') = (confirmed_on IS NULL))
);

-- The date by which CAP expects every Year 11 student to have a confirmed destination, per year.
CREATE TABLE neet_check_dates (
    academic_year text PRIMARY KEY REFERENCES academic_years (code),
    check_on      date NOT NULL,
    set_at        timestamptz NOT NULL,
    set_by        bigint NOT NULL REFERENCES users (id)
);

-- The hours a week a student spends at the home school, as the school records them, and the date a
-- part-time timetable is next reviewed.
CREATE TABLE student_timetables (
    student_id        bigint PRIMARY KEY REFERENCES students (id),
    home_school_hours numeric(4, 1) NOT NULL CHECK (home_school_hours >= 0 AND home_school_hours <= 40),
    review_on         date,
    recorded_at       timestamptz NOT NULL,
    recorded_by       bigint NOT NULL REFERENCES users (id)
);

-- What the school census asks about a placement that the portal cannot work out: why it was
-- arranged and the pupil's association with the setting (codes in internal/placement/census.go).
CREATE TABLE placement_census (
    placement_id bigint PRIMARY KEY REFERENCES placements (id),
    reason       text NOT NULL,
    association  text NOT NULL,
    recorded_at  timestamptz NOT NULL,
    recorded_by  bigint NOT NULL REFERENCES users (id)
);
