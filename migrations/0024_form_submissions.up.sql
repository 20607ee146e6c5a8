-- A create form is acted on once however often it is sent (a double click, a retry over a poor
-- connection, ten tabs): each form carries a one-time token, and the first request to send it claims
-- the token here; the others wait for it and are sent where it led. Kept for two days, then forgotten.
CREATE TABLE form_submissions (
    token      text PRIMARY KEY,
    user_id    bigint NOT NULL,
    route      text NOT NULL,
    location   text,
    claimed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX form_submissions_claimed_at_idx ON form_submissions (claimed_at);
