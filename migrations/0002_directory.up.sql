-- The CAP Directory: what a training provider needs beyond its organisations row (its DSL contact and
-- delivery sites), the programmes CAP offers, and the windows in which a programme takes referrals.

-- Only training providers have directory details, sites and programmes; schools and CAP never do.
CREATE FUNCTION directory_require_provider() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.organisation_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM organisations WHERE id = NEW.organisation_id AND kind = 'provider') THEN
        RAISE EXCEPTION 'organisation % is not a training provider', NEW.organisation_id
            USING ERRCODE = 'check_violation', CONSTRAINT = TG_TABLE_NAME || '_provider_kind';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TABLE provider_details (
    organisation_id bigint PRIMARY KEY REFERENCES organisations (id),
    dsl_name        text NOT NULL DEFAULT '',
    dsl_email       text NOT NULL DEFAULT '',
    dsl_phone       text NOT NULL DEFAULT '',
    -- Set when CAP stops working with the provider (organisations.active turns false with it). The
    -- rows stay so referrals and placements keep showing where they were.
    retired_at      timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER provider_details_require_provider BEFORE INSERT OR UPDATE ON provider_details
    FOR EACH ROW EXECUTE FUNCTION directory_require_provider();

-- Where a provider delivers, besides the address on its organisations row.
CREATE TABLE provider_sites (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations (id),
    name            text NOT NULL CHECK (btrim(name) <> ''),
    address         text NOT NULL DEFAULT '',
    postcode        text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX provider_sites_org_name_key ON provider_sites (organisation_id, lower(name));
CREATE TRIGGER provider_sites_require_provider BEFORE INSERT OR UPDATE ON provider_sites
    FOR EACH ROW EXECUTE FUNCTION directory_require_provider();

CREATE TABLE programmes (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- A stable handle for programmes loaded from data files (the demo), so a second load finds them
    -- even after CAP has renamed them. Programmes added in the portal have none.
    slug                text UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$'),
    tier                smallint NOT NULL CHECK (tier BETWEEN 1 AND 3),
    kind                text NOT NULL CHECK (kind IN (
        'course', 'insight', 'flourish', 'supported_transfer', 'refocus', 'focus11', 'year11_post16')),
    name                text NOT NULL CHECK (btrim(name) <> ''),
    -- The training provider; Supported Transfer alone has none (the student moves to another school).
    organisation_id     bigint REFERENCES organisations (id),
    -- A copy of the provider's name, kept by triggers, so the generated search vector can include it.
    provider_name       text NOT NULL DEFAULT '',
    category            text CHECK (category IN (
        'Vocational Learning', 'Practical Skill Development', 'Personal Development', 'Curriculum Support', 'Employability')),
    description         text NOT NULL DEFAULT '',
    qualifications      text NOT NULL DEFAULT '',
    duration            text NOT NULL CHECK (btrim(duration) <> ''),
    duration_weeks      smallint CHECK (duration_weeks BETWEEN 1 AND 52),
    days_per_week       smallint NOT NULL CHECK (days_per_week BETWEEN 1 AND 5),
    -- The weekdays it runs on, ISO numbered: 1 Monday … 5 Friday.
    days_offered        int[] NOT NULL CHECK (
        cardinality(days_offered) BETWEEN 1 AND 5 AND days_offered <@ '{1,2,3,4,5}'::int[]),
    fee_pence           integer CHECK (fee_pence >= 0),
    fee_basis           text CHECK (fee_basis IN ('day', 'week', 'course')),
    year_groups         int[] NOT NULL CHECK (
        cardinality(year_groups) BETWEEN 1 AND 5 AND year_groups <@ '{7,8,9,10,11}'::int[]),
    capacity_per_cohort integer CHECK (capacity_per_cohort > 0),
    goes_to_panel       boolean NOT NULL DEFAULT false,
    active              boolean NOT NULL DEFAULT true,
    retired_at          timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    search              tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, name), 'A') ||
        setweight(to_tsvector('english'::regconfig, description || ' ' || qualifications), 'B') ||
        setweight(to_tsvector('english'::regconfig, provider_name), 'C')
    ) STORED,
    CONSTRAINT programmes_tier_kind CHECK (
        (kind IN ('course', 'year11_post16') AND tier = 1) OR
        (kind IN ('insight', 'flourish') AND tier = 2) OR
        (kind IN ('supported_transfer', 'refocus', 'focus11') AND tier = 3)),
    CONSTRAINT programmes_provider_needed CHECK ((kind = 'supported_transfer') = (organisation_id IS NULL)),
    CONSTRAINT programmes_course_category CHECK (kind <> 'course' OR category IS NOT NULL),
    CONSTRAINT programmes_days CHECK (days_per_week <= cardinality(days_offered)),
    CONSTRAINT programmes_fee CHECK ((fee_pence IS NULL) = (fee_basis IS NULL)),
    CONSTRAINT programmes_retired CHECK (active = (retired_at IS NULL))
);

-- A provider runs one current programme of a name; a retired one may be replaced by a new one.
CREATE UNIQUE INDEX programmes_provider_name_key ON programmes (coalesce(organisation_id, 0), lower(name)) WHERE active;
-- Search and its filters. Results are in name order unless ranked by the words searched for.
CREATE INDEX programmes_search_idx ON programmes USING gin (search);
CREATE INDEX programmes_days_idx ON programmes USING gin (days_offered);
CREATE INDEX programmes_year_groups_idx ON programmes USING gin (year_groups);
CREATE INDEX programmes_active_name_idx ON programmes (lower(name), id) WHERE active;
CREATE INDEX programmes_tier_name_idx ON programmes (tier, lower(name), id) WHERE active;
CREATE INDEX programmes_category_name_idx ON programmes (category, lower(name), id) WHERE active;
CREATE INDEX programmes_provider_name_idx ON programmes (organisation_id, lower(name), id);

CREATE FUNCTION programmes_set_provider_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.organisation_id IS NULL THEN
        NEW.provider_name := '';
        RETURN NEW;
    END IF;
    SELECT name INTO NEW.provider_name FROM organisations WHERE id = NEW.organisation_id AND kind = 'provider';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'organisation % is not a training provider', NEW.organisation_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'programmes_provider_kind';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER programmes_set_provider_name BEFORE INSERT OR UPDATE ON programmes
    FOR EACH ROW EXECUTE FUNCTION programmes_set_provider_name();

-- Renaming a provider, from any screen, renames it in its programmes' search text too.
CREATE FUNCTION organisations_rename_programmes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE programmes SET provider_name = NEW.name WHERE organisation_id = NEW.id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER organisations_rename_programmes AFTER UPDATE OF name ON organisations
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name AND NEW.kind = 'provider')
    EXECUTE FUNCTION organisations_rename_programmes();

-- The periods in which a programme takes referrals. A programme with none takes them all year round.
CREATE TABLE programme_windows (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    programme_id  bigint NOT NULL REFERENCES programmes (id),
    academic_year text NOT NULL REFERENCES academic_years (code),
    opens_on      date NOT NULL,
    closes_on     date NOT NULL,
    label         text NOT NULL CHECK (btrim(label) <> ''),
    -- Rollover copies a year's windows into the next as drafts; they take effect once CAP confirms them.
    draft         boolean NOT NULL DEFAULT false,
    -- The window this one was copied from, so copying a year twice adds nothing.
    copied_from   bigint REFERENCES programme_windows (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (closes_on >= opens_on)
);
CREATE INDEX programme_windows_programme_idx ON programme_windows (programme_id, opens_on);
CREATE INDEX programme_windows_year_idx ON programme_windows (academic_year, draft);
CREATE UNIQUE INDEX programme_windows_copied_from_key ON programme_windows (copied_from);
