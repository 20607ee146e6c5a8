-- A programme open only in set referral windows, none of them in a round's year, goes to none of that
-- year's rounds: Focus 11 took referrals in the autumn term of 2025/26 only, but the rollover had copied
-- it into 2026/27's rounds. A round left with no programme keeps its kinds (there is nothing to decide).
UPDATE panel_rounds r SET kinds = open.kinds
FROM (SELECT r2.id, ARRAY(
        SELECT k FROM unnest(r2.kinds) AS k
        WHERE NOT EXISTS (SELECT 1 FROM programmes p WHERE p.kind = k AND p.active)
           OR EXISTS (SELECT 1 FROM programmes p WHERE p.kind = k AND p.active AND (
                NOT EXISTS (SELECT 1 FROM programme_windows w WHERE w.programme_id = p.id)
                OR EXISTS (SELECT 1 FROM programme_windows w WHERE w.programme_id = p.id AND w.academic_year = r2.academic_year))))
      AS kinds FROM panel_rounds r2) AS open
WHERE open.id = r.id AND cardinality(open.kinds) > 0 AND open.kinds <> r.kinds;
