-- Sign-in throttling by email and client address together, by client address alone, and by email
-- alone only with a growing delay (internal/auth/throttle.go). The lockout by email alone is gone: it
-- let anyone lock anyone out of their account.

ALTER TABLE sign_in_attempts
    -- What was attempted: a password now; a second-factor code will be another kind.
    ADD COLUMN kind text NOT NULL DEFAULT 'password' CHECK (kind <> ''),
    -- The client's address as the throttle counts it (an IPv6 address by its /64); '' before this.
    ADD COLUMN client text NOT NULL DEFAULT '',
    -- A throttled attempt was refused before its password counted, so it is not a failure.
    ADD COLUMN outcome text NOT NULL DEFAULT 'failed' CHECK (outcome IN ('succeeded', 'failed', 'throttled'));
UPDATE sign_in_attempts SET outcome = 'succeeded' WHERE succeeded;
ALTER TABLE sign_in_attempts
    ALTER COLUMN kind DROP DEFAULT,
    ALTER COLUMN client DROP DEFAULT,
    ALTER COLUMN outcome DROP DEFAULT,
    DROP COLUMN succeeded;

-- One index for each question the throttle asks, each bounded by a time window, so the table can grow
-- without the questions slowing.
DROP INDEX sign_in_attempts_email_at_idx;
CREATE INDEX sign_in_attempts_failed_email_idx ON sign_in_attempts (email, kind, at) WHERE outcome = 'failed';
CREATE INDEX sign_in_attempts_failed_pair_idx ON sign_in_attempts (email, client, kind, at) WHERE outcome = 'failed';
CREATE INDEX sign_in_attempts_failed_client_idx ON sign_in_attempts (client, kind, at) WHERE outcome = 'failed';
CREATE INDEX sign_in_attempts_succeeded_idx ON sign_in_attempts (email, kind, at) WHERE outcome = 'succeeded';
CREATE INDEX sign_in_attempts_throttled_idx ON sign_in_attempts (at) WHERE outcome = 'throttled';

DROP TABLE sign_in_lockouts;
