-- 002: what the Teams bot needs to remember.

-- People the bot has seen, by Entra object id: their Teams user id (29:...) is needed to open a 1:1
-- chat and to list them in a card's refresh.userIds; the display name comes from the team roster.
CREATE TABLE people (
  aad_object_id  text PRIMARY KEY,
  teams_user_id  text NOT NULL,
  display_name   text,
  tenant_id      text,
  updated_at     timestamptz NOT NULL
);

-- Messages the bot posted about a case, so it can update them: the channel card that starts the
-- case's thread, and each DSP's 1:1 copy.
CREATE TABLE case_messages (
  case_id          uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  purpose          text NOT NULL CHECK (purpose IN ('channel_card', 'dsp_copy', 'notifier_card')),
  recipient        text NOT NULL DEFAULT '',
  conversation_id  text NOT NULL,
  activity_id      text NOT NULL,
  posted_at        timestamptz NOT NULL,
  PRIMARY KEY (case_id, purpose, recipient)
);
