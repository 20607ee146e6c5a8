DROP INDEX IF EXISTS organisations_kind_lower_name_idx;
