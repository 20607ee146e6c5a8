-- The panel calendar: each academic year's panel rounds (a referral deadline, the Supported Transfer
-- Headteacher Placement Meeting, the programmes the round covers) and the starts they feed (Refocus
-- cohorts, Flourish start dates). Dates are stored with the weekday the source gave for them, so a
-- published "Wednesday 14 July" that is really a Tuesday stays visible until a CAP admin corrects it.

CREATE TABLE panel_rounds (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    academic_year           text NOT NULL REFERENCES academic_years (code),
    -- The row of the published table, 1 first.
    position                smallint NOT NULL CHECK (position > 0),
    -- The "Programme Referral Items" cell as published.
    items                   text NOT NULL CHECK (btrim(items) <> ''),
    kinds                   text[] NOT NULL CHECK (
        cardinality(kinds) > 0 AND kinds <@ '{flourish,supported_transfer,refocus,focus11}'::text[]),
    referral_deadline       date NOT NULL,
    deadline_weekday_stated text NOT NULL CHECK (deadline_weekday_stated IN
        ('Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday')),
    -- The Supported Transfer Headteacher Placement Meeting; none ("N/A") for a Flourish-only round.
    headteacher_meeting     date,
    meeting_weekday_stated  text CHECK (meeting_weekday_stated IN
        ('Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday')),
    draft                   boolean NOT NULL DEFAULT false,
    -- The round a rollover copied this one from, so copying twice adds nothing.
    copied_from             bigint UNIQUE REFERENCES panel_rounds (id) ON DELETE SET NULL,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    UNIQUE (academic_year, position),
    CONSTRAINT panel_rounds_meeting_weekday CHECK ((headteacher_meeting IS NULL) = (meeting_weekday_stated IS NULL)),
    CONSTRAINT panel_rounds_meeting_after_deadline CHECK (headteacher_meeting IS NULL OR headteacher_meeting >= referral_deadline)
);
-- The next round whose deadline a referral meets: confirmed rounds in deadline order.
CREATE INDEX panel_rounds_deadline_idx ON panel_rounds (referral_deadline, position) WHERE NOT draft;

-- A programme's start date or cohort that a round leads to.
CREATE TABLE panel_starts (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    programme_kind        text NOT NULL CHECK (programme_kind IN ('flourish', 'supported_transfer', 'refocus', 'focus11')),
    academic_year         text NOT NULL REFERENCES academic_years (code),
    name                  text NOT NULL CHECK (btrim(name) <> ''), -- "Cohort 1", "January start"
    note                  text NOT NULL DEFAULT '',                -- as published: "10 weeks"
    starts_on             date NOT NULL,
    starts_weekday_stated text NOT NULL CHECK (starts_weekday_stated IN
        ('Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday')),
    ends_on               date,
    ends_weekday_stated   text CHECK (ends_weekday_stated IN
        ('Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday')),
    -- Places in a cohort (Refocus: the directory's capacity per cohort); none for a start date.
    capacity              integer CHECK (capacity > 0),
    -- The round whose decisions lead to this start; none when that round is in a year not in the portal.
    fed_by_round          bigint REFERENCES panel_rounds (id),
    -- The row of the published table this start is printed beside.
    listed_with_round     bigint REFERENCES panel_rounds (id),
    draft                 boolean NOT NULL DEFAULT false,
    copied_from           bigint UNIQUE REFERENCES panel_starts (id) ON DELETE SET NULL,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (academic_year, programme_kind, name),
    CONSTRAINT panel_starts_ends CHECK ((ends_on IS NULL) = (ends_weekday_stated IS NULL) AND (ends_on IS NULL OR ends_on >= starts_on))
);
CREATE INDEX panel_starts_year_idx ON panel_starts (academic_year, starts_on);
CREATE INDEX panel_starts_fed_by_idx ON panel_starts (fed_by_round);
CREATE INDEX panel_starts_listed_with_idx ON panel_starts (listed_with_round);
