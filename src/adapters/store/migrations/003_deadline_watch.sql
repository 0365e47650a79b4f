-- 003: the deadline watch. Alerts are raised from the clocks' alert ladders and delivered through
-- the outbox exactly once (a crash mid-send resends at most that message, recorded as a resend).

-- Each running clock's alert ladder (due soon, overdue, each escalation) as instants, how many rungs
-- have been handled, and the next instant it needs attention: the watch reads only rows due now.
ALTER TABLE clocks ADD COLUMN alert_levels text[] NOT NULL DEFAULT '{}';
ALTER TABLE clocks ADD COLUMN alert_times timestamptz[] NOT NULL DEFAULT '{}';
ALTER TABLE clocks ADD COLUMN alert_stage integer NOT NULL DEFAULT 0;
ALTER TABLE clocks ADD COLUMN next_alert_at timestamptz;
CREATE INDEX clocks_next_alert ON clocks (next_alert_at) WHERE next_alert_at IS NOT NULL;

-- An alert raised for one person about one rung of one clock.
CREATE TABLE alerts (
  id               uuid PRIMARY KEY,
  case_id          uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  clock_id         text NOT NULL,
  item             text NOT NULL DEFAULT '',
  due_date         date NOT NULL,
  level            text NOT NULL,
  recipient        text NOT NULL,
  raised_at        timestamptz NOT NULL,
  acknowledged_at  timestamptz,
  snoozed_until    timestamptz,
  UNIQUE (case_id, clock_id, item, due_date, level, recipient)
);

-- Outbox: 'held' waits for an adapter that is not configured yet (email before Outlook);
-- 'cancelled' was not needed any more (acknowledged, or the clock stopped).
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'claimed', 'sent', 'failed', 'held', 'cancelled'));
ALTER TABLE outbox ADD COLUMN reclaims integer NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN lease_until timestamptz;
-- Set just before a message goes out: a crash after it means the message may have reached Teams.
ALTER TABLE outbox ADD COLUMN sending_since timestamptz;
CREATE INDEX outbox_lease ON outbox (lease_until) WHERE status = 'claimed';

-- Every attempt to deliver an outbox message; a resend after a crash is recorded as such.
CREATE TABLE outbox_attempts (
  id           bigserial PRIMARY KEY,
  outbox_id    bigint NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
  instance_id  text NOT NULL,
  resend       boolean NOT NULL,
  started_at   timestamptz NOT NULL,
  finished_at  timestamptz,
  outcome      text
);
CREATE INDEX outbox_attempts_by_message ON outbox_attempts (outbox_id);

-- Sends per conversation per second, shared by every instance (Teams allows 7 per second per thread).
CREATE TABLE send_rate (
  conversation_key  text NOT NULL,
  second            timestamptz NOT NULL,
  sent              integer NOT NULL,
  PRIMARY KEY (conversation_key, second)
);
