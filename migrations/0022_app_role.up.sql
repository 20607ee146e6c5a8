-- Least privilege (issue 14). The portal serves as a member of the NOLOGIN group role capportal_app,
-- which may read and write rows and use sequences but owns nothing: it cannot create, alter or drop a
-- table, a trigger or a function, so it cannot switch off or remove the audit log's protections. It
-- may only add to the audit log and read it. The role that runs the migrations owns the schema.
--
-- Roles belong to the whole server, not to one database, so every database on it (each test
-- database, say) shares capportal_app: it is created only when missing, and a second database
-- creating it at the same moment is not an error.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'capportal_app') THEN
        CREATE ROLE capportal_app NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN
        NULL;
    WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'the role running the migrations may not create roles: create the group role once as an administrator (CREATE ROLE capportal_app NOLOGIN), or migrate as a role with CREATEROLE';
END
$$;

GRANT USAGE ON SCHEMA public TO capportal_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO capportal_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO capportal_app;
-- The audit log is append-only: its triggers refuse changes, and the portal's role may not even try.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM capportal_app;
-- The migrations' own bookkeeping is read-only to the portal.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM capportal_app;

-- Tables and sequences later migrations create (River's job tables, which are migrated after these)
-- are the portal's to read and write too. A later append-only table revokes what it must.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO capportal_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO capportal_app;
