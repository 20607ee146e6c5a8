DROP TABLE IF EXISTS cohort_places;
