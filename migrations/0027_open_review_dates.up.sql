-- The monitoring dashboard's overdue progress reviews, read from the dates still open rather than by
-- looking up every running placement's dates (issue 15, make bench: one index probe per running
-- placement, 36 ms at scale factor 1 and ten times that at factor 10).
--
-- A review date is open while its placement is active and no progress review has been held for it: a
-- review held from placement_review_early_days() days before the date onwards counts for it (Go's
-- placement.ReviewEarlyDays, which a test holds to this). Triggers keep the flag in the same
-- transaction as each review, date or change of status is written.
CREATE FUNCTION placement_review_early_days() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 7';

ALTER TABLE placement_review_dates ADD COLUMN open boolean NOT NULL DEFAULT true;

-- Whether a placement's date is open, as the flag has it.
CREATE FUNCTION placement_review_date_open(pid bigint, due date) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM placements p WHERE p.id = pid AND p.status = 'active')
       AND NOT EXISTS (SELECT 1 FROM progress_reviews r
                       WHERE r.placement_id = pid AND r.held_on >= due - placement_review_early_days())
$$;

-- Works every date of a placement out again, changing only those that differ.
CREATE FUNCTION placement_review_dates_refresh(pid bigint) RETURNS void LANGUAGE sql AS $$
    UPDATE placement_review_dates d SET open = placement_review_date_open(d.placement_id, d.due_on)
    WHERE d.placement_id = pid AND d.open IS DISTINCT FROM placement_review_date_open(d.placement_id, d.due_on)
$$;

CREATE FUNCTION placement_review_dates_set_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.open := placement_review_date_open(NEW.placement_id, NEW.due_on);
    RETURN NEW;
END $$;
CREATE TRIGGER placement_review_dates_open BEFORE INSERT OR UPDATE OF placement_id, due_on ON placement_review_dates
    FOR EACH ROW EXECUTE FUNCTION placement_review_dates_set_open();

CREATE FUNCTION progress_reviews_close_dates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM placement_review_dates_refresh(OLD.placement_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM placement_review_dates_refresh(NEW.placement_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER progress_reviews_close_dates AFTER INSERT OR UPDATE OF placement_id, held_on OR DELETE ON progress_reviews
    FOR EACH ROW EXECUTE FUNCTION progress_reviews_close_dates();

CREATE FUNCTION placements_close_review_dates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM placement_review_dates_refresh(NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER placements_close_review_dates AFTER UPDATE OF status ON placements
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION placements_close_review_dates();

-- The dates already there.
UPDATE placement_review_dates d SET open = placement_review_date_open(d.placement_id, d.due_on)
WHERE d.open IS DISTINCT FROM placement_review_date_open(d.placement_id, d.due_on);

-- The open dates in date order: the dashboard reads its first 25 and counts the rest up to 1,000.
CREATE INDEX placement_review_dates_open_idx ON placement_review_dates (due_on, placement_id) WHERE open;
