-- Academic-year rollover copies a year into the next as a draft that a CAP admin confirms.
ALTER TABLE academic_years ADD COLUMN draft boolean NOT NULL DEFAULT false;
ALTER TABLE terms ADD COLUMN draft boolean NOT NULL DEFAULT false;
