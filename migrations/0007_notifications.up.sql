-- In-app notifications: what happened and a link to where the person must act. The same message goes
-- by email through River's job queue (River's own tables are created by its migrator, run after these
-- migrations). Subject and body never carry a student's details; the page behind the link does, and
-- it checks who may see them.

CREATE TABLE notifications (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL,
    -- What kind of event it was (referral_submitted, pack_sent…), for filtering and for the logs.
    kind       text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]*$'),
    subject    text NOT NULL CHECK (btrim(subject) <> ''),
    body       text NOT NULL DEFAULT '',
    -- A path on this site, never an absolute URL, so a link can only lead into the portal.
    link       text NOT NULL CHECK (link ~ '^/' AND link !~ '^//'),
    read_at    timestamptz
);
-- A person's notifications, newest first, paged by keyset on id.
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);
-- The unread count shown in the navigation on every page.
CREATE INDEX notifications_user_unread_idx ON notifications (user_id, id DESC) WHERE read_at IS NULL;
