-- 005: attendees' answers to a booked meeting, read back from the calendar.
ALTER TABLE meetings ADD COLUMN responses jsonb NOT NULL DEFAULT '{}';
ALTER TABLE meetings ADD COLUMN checked_at timestamptz;
CREATE INDEX meetings_upcoming ON meetings (starts_at) WHERE status = 'booked';
