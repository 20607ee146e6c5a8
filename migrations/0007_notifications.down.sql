-- River's tables are left in place: they hold no schema of ours, and the next `migrate up` reuses them.
DROP TABLE notifications;
