-- +goose Up
-- The yearly prioritisation round (prioriteringsomgång): candidates from the
-- catalog, the assessor groups that rate them, the criteria and scale stored
-- with the round so that old rounds keep their meaning, each group's rating
-- sheet per candidate, and the proposal and HSL's decision per candidate.
CREATE TABLE priority_rounds (
    id            INTEGER PRIMARY KEY,
    year          INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    title         TEXT NOT NULL,
    instructions  TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    deadline      TEXT NOT NULL,
    scale_min     INTEGER NOT NULL,
    scale_max     INTEGER NOT NULL,
    scale_labels  TEXT NOT NULL DEFAULT '[]',
    opened_on     TEXT,
    closed_on     TEXT,
    case_id       INTEGER REFERENCES cases (id),
    decision_id   INTEGER REFERENCES decisions (id),
    decided_on    TEXT,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX priority_rounds_year ON priority_rounds (year);

CREATE TABLE priority_criteria (
    id          INTEGER PRIMARY KEY,
    round_id    INTEGER NOT NULL REFERENCES priority_rounds (id) ON DELETE CASCADE,
    axis        TEXT NOT NULL,
    label       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    weight      INTEGER NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 10),
    position    INTEGER NOT NULL
);
CREATE INDEX priority_criteria_round ON priority_criteria (round_id, position);

CREATE TABLE priority_groups (
    round_id INTEGER NOT NULL REFERENCES priority_rounds (id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES org_groups (id),
    PRIMARY KEY (round_id, group_id)
);
CREATE INDEX priority_groups_group ON priority_groups (group_id);

CREATE TABLE priority_candidates (
    id             INTEGER PRIMARY KEY,
    round_id       INTEGER NOT NULL REFERENCES priority_rounds (id) ON DELETE CASCADE,
    support_id     INTEGER NOT NULL REFERENCES supports (id),
    position       INTEGER NOT NULL,
    proposed_order INTEGER,
    planned_start  TEXT,
    planned_end    TEXT,
    proposal_note  TEXT NOT NULL DEFAULT '',
    outcome        TEXT NOT NULL DEFAULT '',
    decided_order  INTEGER,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (round_id, support_id)
);
CREATE INDEX priority_candidates_support ON priority_candidates (support_id);

-- One group's rating of one candidate: a sheet with a score and comment per
-- criterion, saved as a whole and versioned so that two members of a group
-- rating at once never overwrite each other. The scores are packed in one
-- column as "criterion_id:score,…" (criteria not yet scored left out): a
-- round of 200 candidates × 40 groups × 8 criteria is 8 000 sheets, not
-- 64 000 rows, to read for its results. Comments, fewer and longer, have
-- their own rows.
CREATE TABLE priority_sheets (
    id           INTEGER PRIMARY KEY,
    round_id     INTEGER NOT NULL REFERENCES priority_rounds (id) ON DELETE CASCADE,
    candidate_id INTEGER NOT NULL REFERENCES priority_candidates (id) ON DELETE CASCADE,
    group_id     INTEGER NOT NULL REFERENCES org_groups (id),
    scores       TEXT NOT NULL DEFAULT '',
    updated_by   TEXT NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (candidate_id, group_id)
);
CREATE INDEX priority_sheets_round ON priority_sheets (round_id, group_id);

CREATE TABLE priority_comments (
    sheet_id     INTEGER NOT NULL REFERENCES priority_sheets (id) ON DELETE CASCADE,
    criterion_id INTEGER NOT NULL REFERENCES priority_criteria (id) ON DELETE CASCADE,
    comment      TEXT NOT NULL,
    PRIMARY KEY (sheet_id, criterion_id)
);
