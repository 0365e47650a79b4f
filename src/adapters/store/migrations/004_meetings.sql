-- 004: booking meetings in Outlook. Graph's free/busy and invitations work by email address.
ALTER TABLE people ADD COLUMN email text;
ALTER TABLE meetings ADD COLUMN title text;
-- Attendees whose calendars could not be read (e.g. guests from another tenant).
ALTER TABLE meetings ADD COLUMN unchecked text[] NOT NULL DEFAULT '{}';
