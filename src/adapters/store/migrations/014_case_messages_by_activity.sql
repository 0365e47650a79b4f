-- 014: every card action answered in place marks the clicked card for redrawing by its activity id
-- (forgetCardShown, on every vote): without an index that read every card the partnership has.
CREATE INDEX case_messages_by_activity ON case_messages (activity_id);
