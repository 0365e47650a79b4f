-- 006: the change-notification subscription on the partnership mailbox's events.
CREATE TABLE graph_subscriptions (
  id            text PRIMARY KEY,
  resource      text NOT NULL,
  -- Graph echoes this on every notification; anything else is not from our subscription.
  client_state  text NOT NULL,
  expires_at    timestamptz NOT NULL,
  created_at    timestamptz NOT NULL
);
