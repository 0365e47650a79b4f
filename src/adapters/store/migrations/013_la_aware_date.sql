-- 013: each `la_aware` event names the date the local authority became aware (`data.awareOn`), which
-- the Panel-notification clocks now count from (profiles: `starts.dateField: awareOn`, the latest
-- event). Events recorded before had no date: the awareness was the moment the referral was received
-- (the event's own instant), so that instant's London date is written in, and nothing moves.
UPDATE case_events
   SET data = data || jsonb_build_object('awareOn', to_char(at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD'))
 WHERE type = 'la_aware' AND NOT (data ? 'awareOn');
