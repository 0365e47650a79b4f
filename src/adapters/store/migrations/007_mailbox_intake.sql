-- 007: referrals by email. Each new email in the partnership mailbox becomes a draft for the business
-- manager to triage: completed as a referral, or marked as not one. Nothing is decided automatically.
CREATE TABLE mailbox_state (
  mailbox     text PRIMARY KEY,
  delta_link  text,
  updated_at  timestamptz NOT NULL
);

CREATE TABLE email_referrals (
  id            uuid PRIMARY KEY,
  message_id    text NOT NULL UNIQUE,
  received_at   timestamptz,
  from_address  text,
  from_name     text,
  subject       text,
  body_preview  text,
  status        text NOT NULL CHECK (status IN ('draft', 'converted', 'not_referral')),
  case_id       uuid REFERENCES cases (id),
  decided_by    text,
  decided_at    timestamptz,
  created_at    timestamptz NOT NULL
);

-- The email's attachments, kept with the draft (the referral form is often attached).
CREATE TABLE email_attachments (
  id                 bigserial PRIMARY KEY,
  email_referral_id  uuid NOT NULL REFERENCES email_referrals (id) ON DELETE CASCADE,
  name               text NOT NULL,
  content_type       text,
  size               integer,
  content            bytea
);
