-- +goose Up
-- The catalog of knowledge supports (kunskapsstöd): care pathways, national
-- guidelines, care programmes, clinical knowledge documents, drug
-- recommendation lists and local routines, with their lifecycle.
CREATE TABLE supports (
    id                       INTEGER PRIMARY KEY,
    kind                     TEXT NOT NULL,
    phase                    TEXT NOT NULL DEFAULT '',
    code                     TEXT UNIQUE,
    title                    TEXT NOT NULL,
    national_owner_id        INTEGER REFERENCES org_groups (id),
    local_owner_id           INTEGER REFERENCES org_groups (id),
    publisher                TEXT NOT NULL DEFAULT '',
    edition                  TEXT NOT NULL DEFAULT '',
    published_on             TEXT,
    link                     TEXT NOT NULL DEFAULT '',
    concerns_municipalities  INTEGER NOT NULL DEFAULT 0,
    status                   TEXT NOT NULL,
    reference                INTEGER NOT NULL DEFAULT 0,
    created_at               TIMESTAMP NOT NULL,
    updated_at               TIMESTAMP NOT NULL,
    version                  INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX supports_status ON supports (status);
CREATE INDEX supports_national_owner ON supports (national_owner_id);
CREATE INDEX supports_local_owner ON supports (local_owner_id);

-- The units a support affects.
CREATE TABLE support_units (
    support_id INTEGER NOT NULL REFERENCES supports (id) ON DELETE CASCADE,
    unit_id    INTEGER NOT NULL REFERENCES units (id),
    PRIMARY KEY (support_id, unit_id)
);
CREATE INDEX support_units_unit ON support_units (unit_id);

-- The responsible improvement leads (verksamhetsutvecklare) of a support.
CREATE TABLE support_leads (
    support_id INTEGER NOT NULL REFERENCES supports (id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people (id),
    PRIMARY KEY (support_id, person_id)
);
CREATE INDEX support_leads_person ON support_leads (person_id);

CREATE TABLE recommendations (
    id            INTEGER PRIMARY KEY,
    support_id    INTEGER NOT NULL REFERENCES supports (id) ON DELETE CASCADE,
    code          TEXT NOT NULL DEFAULT '',
    text          TEXT NOT NULL,
    priority      INTEGER CHECK (priority BETWEEN 1 AND 10),
    do_not_do     INTEGER NOT NULL DEFAULT 0,
    research_only INTEGER NOT NULL DEFAULT 0,
    position      INTEGER NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX recommendations_support ON recommendations (support_id, position);

-- The lifecycle history: every dated, reasoned change of a support's status.
CREATE TABLE support_transitions (
    id          INTEGER PRIMARY KEY,
    support_id  INTEGER NOT NULL REFERENCES supports (id) ON DELETE CASCADE,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    reason      TEXT NOT NULL,
    by_name     TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX support_transitions_support ON support_transitions (support_id, on_date, id);
