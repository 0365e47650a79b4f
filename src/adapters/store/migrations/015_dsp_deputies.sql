-- #15 item 11: each agency's DSP may have named deputies, each acting between two London dates
-- (inclusive). A deputy is not a DSP: the admin card's lock-out rule still needs a DSP per agency.
CREATE TABLE dsp_deputies (
  agency        text NOT NULL,
  user_id       text NOT NULL,
  display_name  text,
  acts_from     date NOT NULL,
  acts_until    date NOT NULL,
  PRIMARY KEY (agency, user_id),
  CHECK (acts_from <= acts_until)
);

-- Who cast a vote in whose place: set when a deputy votes for the agency's DSP ({ "id", "name" }).
ALTER TABLE votes ADD COLUMN voted_by jsonb, ADD COLUMN in_place_of jsonb;
