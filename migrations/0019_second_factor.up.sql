-- The second factor (issue 13): one TOTP key per person, sealed with AES-GCM under the portal's
-- CAP_SECOND_FACTOR_KEY so a copy of the database alone does not give the codes away, and ten
-- single-use recovery codes kept only as hashes.
CREATE TABLE second_factors (
    user_id      bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    -- nonce || ciphertext of the base32 key.
    sealed_key   bytea NOT NULL,
    -- NULL while enrolment waits for the first correct code; the requirement counts only confirmed ones.
    confirmed_at timestamptz,
    -- The last TOTP time step accepted: a code is accepted only for a later step, so never twice.
    last_step    bigint NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL
);

CREATE TABLE second_factor_recovery_codes (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- SHA-256 of the normalised code: the codes are random, so no salt or slow hash is needed.
    code_hash  bytea NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL,
    UNIQUE (user_id, code_hash)
);
CREATE INDEX second_factor_recovery_codes_unused_idx ON second_factor_recovery_codes (user_id) WHERE used_at IS NULL;
