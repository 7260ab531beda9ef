-- +goose Up
-- The implementation workspace (införande) of a knowledge support decided
-- for introduction: its working group, the gap analysis per recommendation
-- on a template versioned per sjukvårdsregion, questionnaires to the units,
-- the action plan with its revisions and comment rounds, the communication
-- plan, the readiness checklist, and other regions' analyses imported for
-- comparison.

-- Gap-analysis templates: one numbered series per sjukvårdsregion, so the
-- regions of one sjukvårdsregion share one model. A published version is
-- never changed; a change is a new version. questions is a JSON array.
CREATE TABLE gap_templates (
    id                INTEGER PRIMARY KEY,
    healthcare_region TEXT NOT NULL REFERENCES healthcare_regions (code),
    number            INTEGER NOT NULL CHECK (number >= 1),
    title             TEXT NOT NULL,
    questions         TEXT NOT NULL,
    published_on      TEXT,
    published_by      TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    UNIQUE (healthcare_region, number)
);

-- The region's model of the readiness checklist, copied into each new
-- implementation.
CREATE TABLE checklist_model (
    id             INTEGER PRIMARY KEY,
    item_key       TEXT NOT NULL UNIQUE,
    label          TEXT NOT NULL,
    required       INTEGER NOT NULL DEFAULT 0,
    municipal_only INTEGER NOT NULL DEFAULT 0,
    position       INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE implementations (
    id                INTEGER PRIMARY KEY,
    support_id        INTEGER NOT NULL UNIQUE REFERENCES supports (id),
    template_id       INTEGER NOT NULL REFERENCES gap_templates (id),
    sponsor_id        INTEGER REFERENCES people (id),
    started_on        TEXT NOT NULL,
    planned_end       TEXT,
    introduced_on     TEXT,
    summary           TEXT NOT NULL DEFAULT '',
    summary_by        TEXT NOT NULL DEFAULT '',
    summary_machine   INTEGER NOT NULL DEFAULT 0,
    summary_draft     TEXT NOT NULL DEFAULT '',
    summary_draft_at  TIMESTAMP,
    plan_revision     INTEGER NOT NULL DEFAULT 0,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);

-- Working-group members besides the support's improvement leads (which the
-- catalog keeps in support_leads) and the sponsoring manager.
CREATE TABLE implementation_members (
    implementation_id INTEGER NOT NULL REFERENCES implementations (id) ON DELETE CASCADE,
    person_id         INTEGER NOT NULL REFERENCES people (id),
    PRIMARY KEY (implementation_id, person_id)
);
CREATE INDEX implementation_members_person ON implementation_members (person_id);

-- The municipalities the introduction concerns.
CREATE TABLE implementation_municipalities (
    implementation_id INTEGER NOT NULL REFERENCES implementations (id) ON DELETE CASCADE,
    municipality      TEXT NOT NULL REFERENCES municipalities (code),
    PRIMARY KEY (implementation_id, municipality)
);

-- One gap analysis per recommendation, made with one template version. A
-- recommendation with an analysis, or asked about in a questionnaire, cannot
-- be deleted from the catalog (no cascade: the analysis is not lost unseen).
CREATE TABLE gap_analyses (
    id                INTEGER PRIMARY KEY,
    implementation_id INTEGER NOT NULL REFERENCES implementations (id) ON DELETE CASCADE,
    recommendation_id INTEGER NOT NULL UNIQUE REFERENCES recommendations (id),
    template_id       INTEGER NOT NULL REFERENCES gap_templates (id),
    gap               TEXT NOT NULL DEFAULT '',
    crowding_out      INTEGER NOT NULL DEFAULT 0,
    answers           TEXT NOT NULL DEFAULT '{}',
    updated_by        TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX gap_analyses_implementation ON gap_analyses (implementation_id);

CREATE TABLE gap_units (
    gap_id  INTEGER NOT NULL REFERENCES gap_analyses (id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units (id),
    PRIMARY KEY (gap_id, unit_id)
);
CREATE INDEX gap_units_unit ON gap_units (unit_id);

CREATE TABLE actions (
    id                INTEGER PRIMARY KEY,
    implementation_id INTEGER NOT NULL REFERENCES implementations (id) ON DELETE CASCADE,
    title             TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    responsible_id    INTEGER REFERENCES people (id),
    start_on          TEXT NOT NULL,
    due_on            TEXT NOT NULL,
    status            TEXT NOT NULL,
    effort_hours      INTEGER NOT NULL DEFAULT 0 CHECK (effort_hours >= 0),
    milestone         INTEGER NOT NULL DEFAULT 0,
    done_on           TEXT,
    position          INTEGER NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    CHECK (due_on >= start_on)
);
CREATE INDEX actions_implementation ON actions (implementation_id, position);
CREATE INDEX actions_responsible ON actions (responsible_id);

-- The gaps an action closes (of the same implementation; checked by the service).
CREATE TABLE action_gaps (
    action_id INTEGER NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    gap_id    INTEGER NOT NULL REFERENCES gap_analyses (id) ON DELETE CASCADE,
    PRIMARY KEY (action_id, gap_id)
);
CREATE INDEX action_gaps_gap ON action_gaps (gap_id);

CREATE TABLE communications (
    id                INTEGER PRIMARY KEY,
    implementation_id INTEGER NOT NULL REFERENCES implementations (id) ON DELETE CASCADE,
    target_group      TEXT NOT NULL,
    message           TEXT NOT NULL,
    channel           TEXT NOT NULL,
    planned_on        TEXT NOT NULL,
    responsible_id    INTEGER REFERENCES people (id),
    done_on           TEXT,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX communications_implementation ON communications (implementation_id, planned_on);

CREATE TABLE checklist_items (
    id                INTEGER PRIMARY KEY,
    implementation_id INTEGER NOT NULL REFERENCES implementations (id) ON DELETE CASCADE,
    item_key          TEXT NOT NULL DEFAULT '',
    label             TEXT NOT NULL,
    required          INTEGER NOT NULL DEFAULT 0,
    state             TEXT NOT NULL DEFAULT 'open',
    note              TEXT NOT NULL DEFAULT '',
    case_id           INTEGER REFERENCES cases (id),
    waive_reason      TEXT NOT NULL DEFAULT '',
    decided_by        TEXT NOT NULL DEFAULT '',
    decided_on        TEXT,
    position          INTEGER NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX checklist_items_implementation ON checklist_items (implementation_id, position);

-- Questionnaires on current practice sent to many units at once.
CREATE TABLE unit_surveys (
    id                INTEGER PRIMARY KEY,
    implementation_id INTEGER NOT NULL REFERENCES implementations (id) ON DELETE CASCADE,
    title             TEXT NOT NULL,
    message           TEXT NOT NULL DEFAULT '',
    deadline          TEXT NOT NULL,
    status            TEXT NOT NULL,
    sent_on           TEXT,
    closed_on         TEXT,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX unit_surveys_implementation ON unit_surveys (implementation_id);

CREATE TABLE survey_recommendations (
    survey_id         INTEGER NOT NULL REFERENCES unit_surveys (id) ON DELETE CASCADE,
    recommendation_id INTEGER NOT NULL REFERENCES recommendations (id),
    PRIMARY KEY (survey_id, recommendation_id)
);

-- One recipient per unit, answered by the unit's contact.
CREATE TABLE survey_recipients (
    id               INTEGER PRIMARY KEY,
    survey_id        INTEGER NOT NULL REFERENCES unit_surveys (id) ON DELETE CASCADE,
    unit_id          INTEGER NOT NULL REFERENCES units (id),
    contact_id       INTEGER REFERENCES people (id),
    answered_at      TIMESTAMP,
    answered_by      TEXT NOT NULL DEFAULT '',
    reminders        INTEGER NOT NULL DEFAULT 0,
    last_reminded_on TEXT,
    version          INTEGER NOT NULL DEFAULT 1,
    UNIQUE (survey_id, unit_id)
);
CREATE INDEX survey_recipients_contact ON survey_recipients (contact_id);
CREATE INDEX survey_recipients_unit ON survey_recipients (unit_id);

CREATE TABLE survey_answers (
    recipient_id      INTEGER NOT NULL REFERENCES survey_recipients (id) ON DELETE CASCADE,
    recommendation_id INTEGER NOT NULL REFERENCES recommendations (id),
    compliance        TEXT NOT NULL,
    comment           TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (recipient_id, recommendation_id)
);

-- Revisions of the action plan: a snapshot (JSON) each time the plan is
-- sent for comments or revised after them.
CREATE TABLE plan_revisions (
    id                INTEGER PRIMARY KEY,
    implementation_id INTEGER NOT NULL REFERENCES implementations (id) ON DELETE CASCADE,
    number            INTEGER NOT NULL,
    note              TEXT NOT NULL DEFAULT '',
    snapshot          TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL,
    UNIQUE (implementation_id, number)
);

-- Comment rounds (remiss) on the proposed action plan.
CREATE TABLE comment_rounds (
    id                INTEGER PRIMARY KEY,
    implementation_id INTEGER NOT NULL REFERENCES implementations (id) ON DELETE CASCADE,
    revision          INTEGER NOT NULL,
    message           TEXT NOT NULL DEFAULT '',
    deadline          TEXT NOT NULL,
    sent_on           TEXT NOT NULL,
    closed_on         TEXT,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX comment_rounds_implementation ON comment_rounds (implementation_id);

-- Who a comment round goes to: a unit or a municipality.
CREATE TABLE comment_recipients (
    id           INTEGER PRIMARY KEY,
    round_id     INTEGER NOT NULL REFERENCES comment_rounds (id) ON DELETE CASCADE,
    unit_id      INTEGER REFERENCES units (id),
    municipality TEXT REFERENCES municipalities (code),
    CHECK ((unit_id IS NULL) <> (municipality IS NULL))
);
CREATE INDEX comment_recipients_round ON comment_recipients (round_id);

CREATE TABLE plan_comments (
    id           INTEGER PRIMARY KEY,
    round_id     INTEGER NOT NULL REFERENCES comment_rounds (id) ON DELETE CASCADE,
    recipient_id INTEGER NOT NULL REFERENCES comment_recipients (id) ON DELETE CASCADE,
    author       TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    answer       TEXT NOT NULL DEFAULT '',
    answered_by  TEXT NOT NULL DEFAULT '',
    answered_at  TIMESTAMP,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX plan_comments_round ON plan_comments (round_id, created_at);

-- Another region's template and gap analysis, imported for comparison.
CREATE TABLE gap_comparisons (
    id                INTEGER PRIMARY KEY,
    implementation_id INTEGER NOT NULL REFERENCES implementations (id) ON DELETE CASCADE,
    source_region     TEXT NOT NULL,
    schema_version    TEXT NOT NULL,
    payload           TEXT NOT NULL,
    sha256            TEXT NOT NULL,
    imported_by       TEXT NOT NULL,
    imported_at       TIMESTAMP NOT NULL
);
CREATE INDEX gap_comparisons_implementation ON gap_comparisons (implementation_id);

-- +goose Down
DROP TABLE gap_comparisons;
DROP TABLE plan_comments;
DROP TABLE comment_recipients;
DROP TABLE comment_rounds;
DROP TABLE plan_revisions;
DROP TABLE survey_answers;
DROP TABLE survey_recipients;
DROP TABLE survey_recommendations;
DROP TABLE unit_surveys;
DROP TABLE checklist_items;
DROP TABLE communications;
DROP TABLE action_gaps;
DROP TABLE actions;
DROP TABLE gap_units;
DROP TABLE gap_analyses;
DROP TABLE implementation_municipalities;
DROP TABLE implementation_members;
DROP TABLE implementations;
DROP TABLE checklist_model;
DROP TABLE gap_templates;
