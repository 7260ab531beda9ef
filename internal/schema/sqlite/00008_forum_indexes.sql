-- +goose Up
-- Indexes for the case trail and the decision list: which decision corrects
-- which, the cases a forum handled, and the lists' orderings.
CREATE INDEX decisions_corrects ON decisions (corrects_id);
CREATE INDEX decisions_decided_id ON decisions (decided_on, id);
CREATE INDEX case_steps_forum ON case_steps (forum_id);
CREATE INDEX cases_registered ON cases (registered_on, id);
