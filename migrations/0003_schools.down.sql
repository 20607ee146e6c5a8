DROP INDEX IF EXISTS slas_year_idx;
ALTER TABLE slas
    DROP CONSTRAINT IF EXISTS slas_signed_has_date,
    DROP COLUMN IF EXISTS updated_at,
    DROP COLUMN IF EXISTS recorded_by;
DROP TABLE IF EXISTS sla_offers;
