-- +goose Up
-- Forums: groups of the organisation registry that meet and decide or advise.
CREATE TABLE forums (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL UNIQUE REFERENCES org_groups (id),
    description TEXT NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

-- The mandate register: what a forum may decide or only advise on, for whom.
CREATE TABLE forum_mandates (
    id         INTEGER PRIMARY KEY,
    forum_id   INTEGER NOT NULL REFERENCES forums (id) ON DELETE CASCADE,
    subject    TEXT NOT NULL,
    case_kind  TEXT NOT NULL DEFAULT '',
    power      TEXT NOT NULL,
    scope      TEXT NOT NULL,
    notes      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX forum_mandates_forum ON forum_mandates (forum_id);

CREATE TABLE meetings (
    id                  INTEGER PRIMARY KEY,
    forum_id            INTEGER NOT NULL REFERENCES forums (id),
    title               TEXT NOT NULL DEFAULT '',
    starts_at           TIMESTAMP NOT NULL,
    ends_at             TIMESTAMP NOT NULL,
    place               TEXT NOT NULL DEFAULT '',
    link                TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL,
    adjusters           TEXT NOT NULL DEFAULT '',
    approved_at         TIMESTAMP,
    approved_by         TEXT NOT NULL DEFAULT '',
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    CHECK (ends_at >= starts_at)
);
CREATE INDEX meetings_forum ON meetings (forum_id, starts_at);
CREATE INDEX meetings_starts ON meetings (starts_at);

CREATE TABLE cases (
    id                    INTEGER PRIMARY KEY,
    number                TEXT NOT NULL UNIQUE,
    title                 TEXT NOT NULL,
    kind                  TEXT NOT NULL,
    description           TEXT NOT NULL DEFAULT '',
    responsible_person_id INTEGER REFERENCES people (id),
    status                TEXT NOT NULL,
    registered_on         TEXT NOT NULL,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL,
    version               INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cases_status ON cases (status);
CREATE INDEX cases_responsible ON cases (responsible_person_id);

-- Agenda items; minutes are written per item.
CREATE TABLE agenda_items (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    presenter   TEXT NOT NULL DEFAULT '',
    case_id     INTEGER REFERENCES cases (id),
    minutes     TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX agenda_items_meeting ON agenda_items (meeting_id, position);
CREATE INDEX agenda_items_case ON agenda_items (case_id);

CREATE TABLE meeting_attendance (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people (id),
    status     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (meeting_id, person_id)
);

-- The workflow trail of a case: registered, prepared, anchoring (with forum,
-- meeting and outcome), decision, follow-up, closed.
CREATE TABLE case_steps (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    step_date  TEXT NOT NULL,
    forum_id   INTEGER REFERENCES forums (id),
    meeting_id INTEGER REFERENCES meetings (id),
    outcome    TEXT NOT NULL DEFAULT '',
    comment    TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX case_steps_case ON case_steps (case_id, step_date);
CREATE INDEX case_steps_meeting ON case_steps (meeting_id);

-- Any record in the system can be linked to a case.
CREATE TABLE case_links (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    label      TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    UNIQUE (case_id, entity, entity_id)
);
CREATE INDEX case_links_entity ON case_links (entity, entity_id);

-- Documents of cases, meetings and decisions; the bytes are in files.
CREATE TABLE forum_documents (
    id          INTEGER PRIMARY KEY,
    file_id     INTEGER NOT NULL REFERENCES files (id),
    case_id     INTEGER REFERENCES cases (id) ON DELETE CASCADE,
    meeting_id  INTEGER REFERENCES meetings (id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    CHECK (case_id IS NOT NULL OR meeting_id IS NOT NULL)
);
CREATE INDEX forum_documents_case ON forum_documents (case_id);
CREATE INDEX forum_documents_meeting ON forum_documents (meeting_id);

-- Decisions are immutable once the minutes of their meeting are approved; a
-- correction is a new decision that references the old one.
CREATE TABLE decisions (
    id                    INTEGER PRIMARY KEY,
    case_id               INTEGER REFERENCES cases (id),
    forum_id              INTEGER NOT NULL REFERENCES forums (id),
    meeting_id            INTEGER REFERENCES meetings (id),
    agenda_item_id        INTEGER REFERENCES agenda_items (id) ON DELETE SET NULL,
    decided_on            TEXT NOT NULL,
    text                  TEXT NOT NULL,
    follow_up_on          TEXT,
    responsible_person_id INTEGER REFERENCES people (id),
    corrects_id           INTEGER REFERENCES decisions (id),
    created_by            TEXT NOT NULL DEFAULT '',
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL,
    version               INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX decisions_forum ON decisions (forum_id, decided_on);
CREATE INDEX decisions_case ON decisions (case_id);
CREATE INDEX decisions_follow_up ON decisions (follow_up_on);
CREATE INDEX decisions_decided ON decisions (decided_on);

-- The documents a decision was based on.
CREATE TABLE decision_basis (
    decision_id INTEGER NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES forum_documents (id),
    PRIMARY KEY (decision_id, document_id)
);

-- Which municipalities take part according to a decision.
CREATE TABLE decision_municipalities (
    decision_id  INTEGER NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    municipality TEXT NOT NULL REFERENCES municipalities (code),
    PRIMARY KEY (decision_id, municipality)
);

-- Follow-up of a decision, recorded when done; kept apart from the decision
-- so the decision itself stays immutable.
CREATE TABLE decision_followups (
    id          INTEGER PRIMARY KEY,
    decision_id INTEGER NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    done_on     TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX decision_followups_decision ON decision_followups (decision_id);

-- Region–municipality process: a case sent to a municipality and its answer.
CREATE TABLE municipal_requests (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    municipality TEXT NOT NULL REFERENCES municipalities (code),
    sent_on      TEXT NOT NULL,
    deadline     TEXT NOT NULL,
    question     TEXT NOT NULL DEFAULT '',
    answer       TEXT NOT NULL DEFAULT 'pending',
    comment      TEXT NOT NULL DEFAULT '',
    answered_on  TEXT,
    answered_by  TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (case_id, municipality),
    CHECK (deadline >= sent_on)
);
CREATE INDEX municipal_requests_municipality ON municipal_requests (municipality, answer);

-- Who answers for a municipality: users with the kommun role linked to it.
CREATE TABLE municipality_contacts (
    municipality TEXT NOT NULL REFERENCES municipalities (code),
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (municipality, user_id)
);
CREATE INDEX municipality_contacts_user ON municipality_contacts (user_id);
