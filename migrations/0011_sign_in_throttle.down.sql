CREATE TABLE sign_in_lockouts (
    email        text PRIMARY KEY,
    locked_at    timestamptz NOT NULL,
    locked_until timestamptz NOT NULL
);

DROP INDEX sign_in_attempts_throttled_idx;
DROP INDEX sign_in_attempts_succeeded_idx;
DROP INDEX sign_in_attempts_failed_client_idx;
DROP INDEX sign_in_attempts_failed_pair_idx;
DROP INDEX sign_in_attempts_failed_email_idx;

ALTER TABLE sign_in_attempts ADD COLUMN succeeded boolean NOT NULL DEFAULT false;
UPDATE sign_in_attempts SET succeeded = true WHERE outcome = 'succeeded';
ALTER TABLE sign_in_attempts
    ALTER COLUMN succeeded DROP DEFAULT,
    DROP COLUMN outcome,
    DROP COLUMN client,
    DROP COLUMN kind;
CREATE INDEX sign_in_attempts_email_at_idx ON sign_in_attempts (email, at DESC);
