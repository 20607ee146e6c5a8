-- Each placement's attended and recorded sessions per half term, kept in the same transaction as its
-- marks are written, corrected or removed (a trigger on attendance_marks), so the dashboards' "attendance
-- below 90% this half term" reads the low placements from an index instead of aggregating every mark of
-- the half term (issue 15, make bench).
--
-- A half term is as placement.HalfTermOf has it: from the term's start to the day before its break, or
-- from the first weekday after the break to the term's end. Marks outside those (in a break, or between
-- terms) are in no half term and are not tallied, as the dashboard never counted them.

-- The first day of the half term d falls in, or NULL.
CREATE FUNCTION attendance_half_term_from(d date) RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN d < t.half_term_start THEN t.starts_on
        WHEN d > t.half_term_end AND d >= h.from_day THEN h.from_day
    END
    FROM terms t
    CROSS JOIN LATERAL (SELECT CASE extract(isodow FROM t.half_term_end + 1)
            WHEN 6 THEN t.half_term_end + 3
            WHEN 7 THEN t.half_term_end + 2
            ELSE t.half_term_end + 1 END AS from_day) h
    WHERE d BETWEEN t.starts_on AND t.ends_on
    ORDER BY t.starts_on
    LIMIT 1
$$;

CREATE TABLE attendance_tallies (
    placement_id bigint NOT NULL REFERENCES placements (id),
    half_from    date NOT NULL,
    attended     integer NOT NULL CHECK (attended >= 0), -- present or late
    recorded     integer NOT NULL CHECK (recorded >= attended), -- every mark but no_session
    PRIMARY KEY (placement_id, half_from)
);
-- The placements below 90% in a half term, lowest first. The 90 is placement.LowAttendancePercent; the
-- dashboard's query repeats the predicate so that the planner can use this index.
CREATE INDEX attendance_tallies_low_idx ON attendance_tallies (half_from, ((attended::float8 / recorded)), placement_id)
    WHERE recorded > 0 AND attended * 100 < recorded * 90;

CREATE FUNCTION attendance_tally_add(placement bigint, d date, status text, sign integer) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    half date := attendance_half_term_from(d);
    att  integer := CASE WHEN status IN ('present', 'late') THEN sign ELSE 0 END;
    rec  integer := CASE WHEN status <> 'no_session' THEN sign ELSE 0 END;
BEGIN
    IF half IS NULL OR (att = 0 AND rec = 0) THEN
        RETURN;
    END IF;
    IF sign < 0 THEN
        -- The mark taken away was tallied when it was written. (An INSERT … ON CONFLICT would check
        -- the constraints on the negative row it proposes.)
        UPDATE attendance_tallies SET attended = attended + att, recorded = recorded + rec
        WHERE placement_id = placement AND half_from = half;
        RETURN;
    END IF;
    INSERT INTO attendance_tallies AS t (placement_id, half_from, attended, recorded)
    VALUES (placement, half, att, rec)
    ON CONFLICT (placement_id, half_from)
    DO UPDATE SET attended = t.attended + excluded.attended, recorded = t.recorded + excluded.recorded;
END
$$;

CREATE FUNCTION attendance_marks_tally() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM attendance_tally_add(OLD.placement_id, OLD.on_date, OLD.status, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM attendance_tally_add(NEW.placement_id, NEW.on_date, NEW.status, 1);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER attendance_marks_tally AFTER INSERT OR DELETE OR UPDATE OF placement_id, on_date, status
    ON attendance_marks FOR EACH ROW EXECUTE FUNCTION attendance_marks_tally();

-- Every tally worked out again from the marks: after a bulk load that bypassed the trigger (seed scale
-- loads the marks with session_replication_role = replica), and whenever the terms change.
CREATE FUNCTION attendance_tallies_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    -- No mark is written while the tallies are worked out again.
    LOCK TABLE attendance_marks IN SHARE MODE;
    DELETE FROM attendance_tallies;
    INSERT INTO attendance_tallies (placement_id, half_from, attended, recorded)
    SELECT m.placement_id, h.half_from,
        count(*) FILTER (WHERE m.status IN ('present', 'late')),
        count(*) FILTER (WHERE m.status <> 'no_session')
    FROM attendance_marks m
    JOIN (SELECT t.starts_on AS half_from, t.starts_on AS from_day, t.half_term_start - 1 AS to_day FROM terms t
          UNION ALL
          SELECT h.from_day, h.from_day, t.ends_on FROM terms t
          CROSS JOIN LATERAL (SELECT CASE extract(isodow FROM t.half_term_end + 1)
                  WHEN 6 THEN t.half_term_end + 3
                  WHEN 7 THEN t.half_term_end + 2
                  ELSE t.half_term_end + 1 END AS from_day) h) h
      ON m.on_date BETWEEN h.from_day AND h.to_day
    GROUP BY m.placement_id, h.half_from
    HAVING count(*) FILTER (WHERE m.status <> 'no_session') > 0;
END
$$;

CREATE FUNCTION terms_attendance_tallies() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM attendance_tallies_rebuild();
    RETURN NULL;
END
$$;

CREATE TRIGGER terms_attendance_tallies AFTER INSERT OR DELETE OR UPDATE OF starts_on, ends_on, half_term_start, half_term_end
    ON terms FOR EACH STATEMENT EXECUTE FUNCTION terms_attendance_tallies();

SELECT attendance_tallies_rebuild();
