DROP TABLE panel_starts;
DROP TABLE panel_rounds;
