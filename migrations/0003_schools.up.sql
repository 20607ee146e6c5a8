-- Schools and their SLAs. A school is an organisation of kind 'school' (its URN, name, address and phone
-- are there already), and its coordinator, DSL and headteacher are the users holding those roles in it,
-- so neither is repeated here.

-- What the CAP SLA offers in one academic year, from the SLA document. It is data rather than code so that
-- rollover can copy it into the next year as a draft for CAP to confirm. The services are columns: they are
-- the fixed list the SLA document names, and each is either in that year's offer or not.
CREATE TABLE sla_offers (
    academic_year            text PRIMARY KEY REFERENCES academic_years (code),
    -- Tier 1: open access with this many paid-for quality-assured placements (course fees still apply).
    tier1_qa_placements      integer NOT NULL DEFAULT 15 CHECK (tier1_qa_placements >= 0),
    -- A year's subscription to the When The Adults Change Behaviour Programme.
    wtac_programme           boolean NOT NULL DEFAULT true,
    collaborative_leadership boolean NOT NULL DEFAULT true,
    -- A SEMHL practitioner in school half a day a week.
    semhl_practitioner       boolean NOT NULL DEFAULT true,
    -- Network and training events for behaviour leads, pastoral leads, SENDCos and CAP coordinators.
    network_events           boolean NOT NULL DEFAULT true,
    -- The date by which schools are asked to sign, when CAP sets one.
    signing_deadline         date,
    -- A copied offer stays a draft until a CAP admin confirms it.
    draft                    boolean NOT NULL DEFAULT true,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now()
);

-- Who last recorded a school's SLA, and when; a signed SLA always has the date it was signed.
ALTER TABLE slas
    ADD COLUMN recorded_by bigint REFERENCES users (id),
    ADD COLUMN updated_at  timestamptz,
    ADD CONSTRAINT slas_signed_has_date CHECK (NOT signed OR signed_on IS NOT NULL);

-- The schools list joins one year's SLAs.
CREATE INDEX slas_year_idx ON slas (academic_year, school_id);
