-- 008: a poll among the best slots when some attendees' calendars could not be read.
ALTER TABLE meetings ADD COLUMN poll jsonb;
ALTER TABLE meetings DROP CONSTRAINT IF EXISTS meetings_status_check;
