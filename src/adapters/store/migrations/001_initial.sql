-- 001: cases, their events and clocks, votes, meetings, the outbox, conversation references,
-- role assignments and the hash-chained audit log.

CREATE TABLE cases (
  id            uuid PRIMARY KEY,
  reference     text NOT NULL UNIQUE,
  profile_id    text NOT NULL,
  -- The child's local authority, whose Serious Incident Notifier notifies the Panel.
  local_authority text NOT NULL,
  type          text NOT NULL CHECK (type IN ('serious_incident_notification', 'learning_request')),
  stage         text NOT NULL,
  -- The only child data that may be shown in the open: initials, age band, incident date.
  summary       jsonb NOT NULL,
  received_at   timestamptz NOT NULL,
  created_at    timestamptz NOT NULL,
  closed_at     timestamptz
);
CREATE INDEX cases_open ON cases (received_at) WHERE closed_at IS NULL;

-- Full referral details, kept apart from the summary and read only by roles the profile allows.
CREATE TABLE case_details (
  case_id   uuid PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
  referral  jsonb NOT NULL
);

CREATE TABLE reference_counters (
  prefix  text NOT NULL,
  year    integer NOT NULL,
  last    integer NOT NULL,
  PRIMARY KEY (prefix, year)
);

CREATE TABLE case_events (
  id           bigserial PRIMARY KEY,
  case_id      uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  type         text NOT NULL,
  at           timestamptz NOT NULL,
  data         jsonb NOT NULL DEFAULT '{}',
  actor        text NOT NULL,
  recorded_at  timestamptz NOT NULL
);
CREATE INDEX case_events_by_case ON case_events (case_id, at, id);

CREATE TABLE participants (
  case_id       uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  user_id       text NOT NULL,
  role          text NOT NULL,
  display_name  text,
  PRIMARY KEY (case_id, user_id, role)
);

-- One vote per agency per case: the primary key is what makes a double click harmless.
CREATE TABLE votes (
  case_id    uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  agency     text NOT NULL,
  voter_id   text NOT NULL,
  decision   text NOT NULL,
  rationale  text NOT NULL,
  cast_at    timestamptz NOT NULL,
  PRIMARY KEY (case_id, agency)
);

-- Clocks as last computed from the case's events, kept so the deadline watch can find due ones by index.
CREATE TABLE clocks (
  case_id       uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  clock_id      text NOT NULL,
  item          text NOT NULL DEFAULT '',
  state         text NOT NULL,
  owner         text NOT NULL,
  statutory     boolean NOT NULL,
  started_on    date,
  due_date      date,
  due_at        timestamptz,
  due_soon_at   timestamptz,
  completed_at  timestamptz,
  PRIMARY KEY (case_id, clock_id, item)
);
CREATE INDEX clocks_running_by_due_soon ON clocks (due_soon_at) WHERE state IN ('pending', 'due_soon', 'overdue');

CREATE TABLE meetings (
  id              uuid PRIMARY KEY,
  case_id         uuid NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
  kind            text NOT NULL,
  transaction_id  text NOT NULL UNIQUE,
  graph_event_id  text,
  starts_at       timestamptz,
  ends_at         timestamptz,
  join_url        text,
  status          text NOT NULL,
  updated_at      timestamptz NOT NULL
);

-- Messages to send, each at most once: the dedupe key is (clock, level, recipient) or the like.
CREATE TABLE outbox (
  id            bigserial PRIMARY KEY,
  dedupe_key    text NOT NULL UNIQUE,
  case_id       uuid REFERENCES cases (id) ON DELETE CASCADE,
  kind          text NOT NULL,
  recipient     text NOT NULL,
  payload       jsonb NOT NULL,
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'claimed', 'sent', 'failed')),
  attempts      integer NOT NULL DEFAULT 0,
  available_at  timestamptz NOT NULL,
  claimed_by    text,
  claimed_at    timestamptz,
  sent_at       timestamptz,
  last_error    text,
  created_at    timestamptz NOT NULL
);
CREATE INDEX outbox_ready ON outbox (available_at) WHERE status = 'pending';

CREATE TABLE conversation_refs (
  key         text PRIMARY KEY,
  kind        text NOT NULL,
  reference   jsonb NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL
);

-- Who holds each role, by Entra object id (guests from other tenants too). scope: agency or local authority.
CREATE TABLE role_assignments (
  role          text NOT NULL,
  scope         text NOT NULL DEFAULT '',
  user_id       text NOT NULL,
  display_name  text,
  PRIMARY KEY (role, scope, user_id)
);

-- Append-only: each entry carries the hash of the one before, so an edit or a gap shows on verify.
CREATE TABLE audit_log (
  seq        bigint PRIMARY KEY,
  at         timestamptz NOT NULL,
  actor      text NOT NULL,
  action     text NOT NULL,
  case_id    uuid,
  details    jsonb NOT NULL,
  prev_hash  text NOT NULL,
  hash       text NOT NULL
);
CREATE INDEX audit_log_by_case ON audit_log (case_id, seq);

-- The chain's head, one row: appending locks it, which orders concurrent appends.
CREATE TABLE audit_head (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  seq        bigint NOT NULL,
  hash       text NOT NULL
);
INSERT INTO audit_head (seq, hash) VALUES (0, 'genesis');

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
