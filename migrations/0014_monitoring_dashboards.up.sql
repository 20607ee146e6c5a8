-- The monitoring dashboards read a half term's marks across every placement at once (attendance below
-- 90% this half term): by date, with what the rate needs, so the page reads the index alone rather than
-- every mark ever recorded.
CREATE INDEX attendance_marks_day_idx ON attendance_marks (on_date, placement_id) INCLUDE (status);
