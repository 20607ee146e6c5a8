DROP TABLE IF EXISTS form_submissions;
