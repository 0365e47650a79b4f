-- 011: every Teams limit, for every instance. Each request the bot makes to Teams is logged under
-- each key it counts against (its thread and its tenant), with how many operations it is (a 1:1 card
-- is two: the chat's creation and the message). A sender takes its slot in one transaction: it locks
-- the keys (in key order), counts every window of each key from this log and logs the request only if
-- all of them have room, so two instances cannot both take the last slot. A request counts from when
-- its answer came (`answered_at`; while in flight, as arriving now: domain/delivery/teamsRateLimits.ts).
-- A row is kept for its key's longest window (an hour for a thread, a second for the tenant), then pruned.
CREATE TABLE send_log (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key          text NOT NULL,
  at           timestamptz NOT NULL,
  ops          integer NOT NULL CHECK (ops > 0),
  answered_at  timestamptz,
  keep_until   timestamptz NOT NULL
);
CREATE INDEX send_log_by_key ON send_log (key, at);
CREATE INDEX send_log_by_expiry ON send_log (keep_until);

-- A 1:1 chat's conversation id and the person it is with, so a card update there counts against the
-- same thread as the sends to that person (which are keyed by the person's Teams id, known before the
-- chat exists). Filled as the bot sends 1:1, and here from the 1:1 cards it already remembers.
CREATE TABLE personal_chats (
  conversation_id  text PRIMARY KEY,
  teams_user_id    text NOT NULL
);
INSERT INTO personal_chats (conversation_id, teams_user_id)
SELECT DISTINCT ON (m.conversation_id) m.conversation_id, p.teams_user_id
FROM case_messages m JOIN people p ON p.aad_object_id = split_part(m.recipient, '|', 1)
WHERE m.purpose <> 'channel_card'
ORDER BY m.conversation_id, m.posted_at DESC;

-- Replaced by send_log: it counted 7 a second per conversation only.
DROP TABLE send_rate;
