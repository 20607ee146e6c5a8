-- Placements, monitored: what a placement agreed at its start, the daily registers and their marks
-- (corrections keep the original), progress reviews, behaviour incidents, attendance and behaviour
-- meetings with their actions, and the alerts already sent (so a job that runs twice alerts once).

ALTER TABLE placements
    ADD COLUMN sessions              text[] NOT NULL DEFAULT '{am,pm}'
        CHECK (cardinality(sessions) > 0 AND sessions <@ '{am,pm}'::text[]),
    ADD COLUMN planned_end_date      date,
    ADD COLUMN hours_per_week        numeric(4, 1) CHECK (hours_per_week > 0 AND hours_per_week <= 40),
    ADD COLUMN objectives            text NOT NULL DEFAULT '',
    ADD COLUMN reintegration_plan    text NOT NULL DEFAULT '',
    ADD COLUMN monitoring_officer_id bigint REFERENCES users (id),
    -- The last day the student is expected (a withdrawal or an ending sets it); registers stop after it.
    ADD COLUMN ended_on              date,
    ADD CONSTRAINT placements_end_after_start CHECK (planned_end_date IS NULL OR planned_end_date >= start_date);
CREATE INDEX placements_provider_idx ON placements (provider_id, start_date);
CREATE INDEX placements_student_idx ON placements (student_id);

-- Review dates: at least one every half term, set when the placement starts and changeable by CAP.
CREATE TABLE placement_review_dates (
    placement_id bigint NOT NULL REFERENCES placements (id),
    due_on       date NOT NULL,
    PRIMARY KEY (placement_id, due_on)
);

-- A register taken: one per provider, day and session.
CREATE TABLE registers (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider_id bigint NOT NULL REFERENCES organisations (id),
    on_date     date NOT NULL,
    session     text NOT NULL CHECK (session IN ('am', 'pm')),
    taken_at    timestamptz NOT NULL,
    taken_by    bigint NOT NULL REFERENCES users (id),
    UNIQUE (provider_id, on_date, session)
);

-- A learner's mark in a register, as it stands now; attendance_mark_history keeps what it replaced.
CREATE TABLE attendance_marks (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    placement_id   bigint NOT NULL REFERENCES placements (id),
    register_id    bigint NOT NULL REFERENCES registers (id),
    on_date        date NOT NULL,
    session        text NOT NULL CHECK (session IN ('am', 'pm')),
    status         text NOT NULL CHECK (status IN ('present', 'late', 'absent', 'no_session')),
    late_minutes   integer CHECK (late_minutes BETWEEN 1 AND 300),
    absence_reason text CHECK (absence_reason IN ('illness', 'medical', 'excluded', 'unauthorised', 'other')),
    note           text NOT NULL DEFAULT '',
    code           text NOT NULL,
    version        integer NOT NULL DEFAULT 1,
    recorded_at    timestamptz NOT NULL,
    recorded_by    bigint NOT NULL REFERENCES users (id),
    UNIQUE (placement_id, on_date, session),
    CHECK ((status = 'late') = (late_minutes IS NOT NULL)),
    CHECK ((status = 'absent') = (absence_reason IS NOT NULL))
);
CREATE INDEX attendance_marks_register_idx ON attendance_marks (register_id);
CREATE INDEX attendance_marks_date_idx ON attendance_marks (on_date, session) WHERE status = 'absent';

CREATE TABLE attendance_mark_history (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mark_id        bigint NOT NULL REFERENCES attendance_marks (id),
    version        integer NOT NULL,
    status         text NOT NULL,
    late_minutes   integer,
    absence_reason text,
    note           text NOT NULL,
    code           text NOT NULL,
    recorded_at    timestamptz NOT NULL,
    recorded_by    bigint NOT NULL REFERENCES users (id),
    replaced_at    timestamptz NOT NULL,
    replaced_by    bigint NOT NULL REFERENCES users (id),
    reason         text NOT NULL CHECK (btrim(reason) <> ''),
    UNIQUE (mark_id, version)
);

-- Alerts already sent, by what they are about, so a job that runs twice alerts once.
CREATE TABLE monitoring_alerts (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind    text NOT NULL CHECK (kind IN ('absence', 'register_missing', 'review_overdue')),
    subject text NOT NULL,
    sent_at timestamptz NOT NULL,
    UNIQUE (kind, subject)
);

CREATE TABLE progress_reviews (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    placement_id bigint NOT NULL REFERENCES placements (id),
    held_on      date NOT NULL,
    participants text NOT NULL,
    -- progress against each objective: [{"objective": "...", "progress": "..."}]
    progress     jsonb NOT NULL DEFAULT '[]',
    targets      text NOT NULL DEFAULT '',
    next_review  date,
    recorded_at  timestamptz NOT NULL,
    recorded_by  bigint NOT NULL REFERENCES users (id)
);
CREATE INDEX progress_reviews_placement_idx ON progress_reviews (placement_id, held_on);

CREATE TABLE behaviour_incidents (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    placement_id bigint NOT NULL REFERENCES placements (id),
    occurred_at  timestamptz NOT NULL,
    what         text NOT NULL CHECK (btrim(what) <> ''),
    action_taken text NOT NULL DEFAULT '',
    who_told     text NOT NULL DEFAULT '',
    cpoms_ref    text NOT NULL DEFAULT '',
    recorded_at  timestamptz NOT NULL,
    recorded_by  bigint NOT NULL REFERENCES users (id)
);
CREATE INDEX behaviour_incidents_placement_idx ON behaviour_incidents (placement_id, occurred_at);

-- Attendance and behaviour meetings, from the reference pack's meeting forms.
CREATE TABLE monitoring_meetings (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    placement_id  bigint NOT NULL REFERENCES placements (id),
    kind          text NOT NULL CHECK (kind IN ('attendance', 'behaviour')),
    incident_id   bigint REFERENCES behaviour_incidents (id),
    held_on       date NOT NULL,
    -- who attended: {"provider": "...", "school": "...", "cap": "...", "student": true, "parent": "..."}
    attendees     jsonb NOT NULL DEFAULT '{}',
    -- who completed the record during the meeting: the CAP Monitoring Officer, or the provider when no
    -- Monitoring Officer was present.
    completed_by  text NOT NULL CHECK (completed_by IN ('monitoring_officer', 'provider')),
    concerns      text NOT NULL CHECK (btrim(concerns) <> ''),
    next_meeting  date,
    recorded_at   timestamptz NOT NULL,
    recorded_by   bigint NOT NULL REFERENCES users (id),
    CHECK (incident_id IS NULL OR kind = 'behaviour')
);
CREATE INDEX monitoring_meetings_placement_idx ON monitoring_meetings (placement_id, held_on);

CREATE TABLE meeting_actions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id bigint NOT NULL REFERENCES monitoring_meetings (id),
    action     text NOT NULL CHECK (btrim(action) <> ''),
    owner_id   bigint NOT NULL REFERENCES users (id),
    due_on     date NOT NULL,
    done_at    timestamptz,
    done_by    bigint REFERENCES users (id)
);
CREATE INDEX meeting_actions_owner_idx ON meeting_actions (owner_id, due_on) WHERE done_at IS NULL;
