-- 010: every post that follows a change goes through the outbox. A coalesced message (a case's card
-- refresh) is one row per case, re-armed when asked for again: `again` marks a request that came
-- while the row was being sent, so it goes once more with the latest state. Information request and
-- alert cards are remembered like the other cards, so they can follow the case; `card_hash` is what a
-- card last showed, so a refresh updates only the cards whose content changed.
ALTER TABLE outbox ADD COLUMN again boolean NOT NULL DEFAULT false;
-- Each claim has its own token: a sender holds a message only while the token is its own. Two
-- senders in one process (the periodic round and the one an action wakes) share an instance id, so
-- the instance id alone let one post a message the other had taken over (found by the crash test).
ALTER TABLE outbox ADD COLUMN claim_token uuid;
ALTER TABLE outbox_attempts ADD COLUMN claim_token uuid;
ALTER TABLE case_messages DROP CONSTRAINT case_messages_purpose_check;
ALTER TABLE case_messages ADD CONSTRAINT case_messages_purpose_check CHECK (purpose IN ('channel_card', 'dsp_copy', 'notifier_card', 'info_request', 'alert'));
ALTER TABLE case_messages ADD COLUMN card_hash text;
