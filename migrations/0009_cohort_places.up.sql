-- Places in a cohort (Refocus, Focus 11). A cohort never holds more than its capacity: places are
-- given with the cohort's row locked, and beyond capacity a case waits on the cohort's waiting list
-- in priority order, to be offered the next cohort.
CREATE TABLE cohort_places (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    start_id     bigint NOT NULL REFERENCES panel_starts (id),
    referral_id  bigint NOT NULL REFERENCES referrals (id),
    status       text NOT NULL CHECK (status IN ('placed', 'waiting', 'moved', 'withdrawn')),
    -- Higher first: SLA schools' cases before others'.
    priority     smallint NOT NULL DEFAULT 0,
    requested_at timestamptz NOT NULL,
    placed_at    timestamptz,
    -- A case moved to a later cohort keeps its row here, marked moved, with the place it moved to.
    moved_to     bigint REFERENCES cohort_places (id),
    UNIQUE (start_id, referral_id),
    CHECK ((status = 'placed') = (placed_at IS NOT NULL) OR status IN ('moved', 'withdrawn'))
);
CREATE INDEX cohort_places_placed_idx ON cohort_places (start_id) WHERE status = 'placed';
CREATE INDEX cohort_places_waiting_idx ON cohort_places (start_id, priority DESC, requested_at, id) WHERE status = 'waiting';
-- A referral holds at most one place or waiting-list entry at a time.
CREATE UNIQUE INDEX cohort_places_one_live_key ON cohort_places (referral_id) WHERE status IN ('placed', 'waiting');
