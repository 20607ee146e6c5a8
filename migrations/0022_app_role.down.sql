-- The role itself stays: it belongs to the server, and other databases on it may use it.
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM capportal_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM capportal_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM capportal_app;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM capportal_app;
REVOKE USAGE ON SCHEMA public FROM capportal_app;
