-- 012: the cards the bot posts about a meeting (the booking notice, the poll, a decline notice) are
-- remembered like the case's other cards, so they follow the case: once the meeting's step is done,
-- or the meeting is cancelled or moved, each says so and loses its buttons. Their recipient names the
-- meeting and the card ("<meeting id>|booked", "<meeting id>|poll", "<meeting id>|declined|..."). A
-- booking keeps what its notice said of the invitations, so a redrawn notice says the same.
ALTER TABLE case_messages DROP CONSTRAINT case_messages_purpose_check;
ALTER TABLE case_messages ADD CONSTRAINT case_messages_purpose_check CHECK (purpose IN ('channel_card', 'dsp_copy', 'notifier_card', 'info_request', 'alert', 'meeting'));
ALTER TABLE meetings ADD COLUMN invited integer;
ALTER TABLE meetings ADD COLUMN calendar_note text;
