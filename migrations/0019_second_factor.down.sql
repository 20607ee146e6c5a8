DROP TABLE IF EXISTS second_factor_recovery_codes;
DROP TABLE IF EXISTS second_factors;
