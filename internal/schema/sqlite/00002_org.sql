-- +goose Up
CREATE TABLE healthcare_regions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE regions (
    code              TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    healthcare_region TEXT NOT NULL REFERENCES healthcare_regions (code),
    county_code       TEXT NOT NULL UNIQUE
);

CREATE TABLE municipalities (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    region TEXT NOT NULL REFERENCES regions (code)
);

CREATE TABLE org_settings (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    home_region         TEXT NOT NULL REFERENCES regions (code),
    annual_cost_per_fte INTEGER NOT NULL,
    overhead_percent    INTEGER NOT NULL,
    travel_per_person   INTEGER NOT NULL,
    key_role_limit      INTEGER NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE units (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES units (id),
    level      TEXT NOT NULL,
    name       TEXT NOT NULL,
    hsa_id     TEXT UNIQUE,
    kind       TEXT NOT NULL,
    valid_from TEXT,
    valid_to   TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX units_parent ON units (parent_id);

CREATE TABLE unit_history (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    changed_at TIMESTAMP NOT NULL,
    changed_by TEXT NOT NULL,
    name       TEXT NOT NULL,
    parent_id  INTEGER,
    level      TEXT NOT NULL
);
CREATE INDEX unit_history_unit ON unit_history (unit_id, changed_at);

CREATE TABLE org_groups (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL,
    code              TEXT UNIQUE,
    name              TEXT NOT NULL,
    name_en           TEXT NOT NULL DEFAULT '',
    level             TEXT NOT NULL,
    parent_id         INTEGER REFERENCES org_groups (id),
    healthcare_region TEXT REFERENCES healthcare_regions (code),
    host_region       TEXT REFERENCES healthcare_regions (code),
    area              TEXT NOT NULL DEFAULT '',
    mandate           TEXT NOT NULL DEFAULT '',
    seats             INTEGER NOT NULL DEFAULT 0,
    reference         INTEGER NOT NULL DEFAULT 0,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX org_groups_parent ON org_groups (parent_id);
CREATE INDEX org_groups_kind ON org_groups (kind);

CREATE TABLE people (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    title          TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    unit_id        INTEGER REFERENCES units (id),
    region         TEXT REFERENCES regions (code),
    workplace_kind TEXT NOT NULL DEFAULT '',
    hsa_id         TEXT UNIQUE,
    user_id        INTEGER UNIQUE REFERENCES users (id) ON DELETE SET NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX people_unit ON people (unit_id);
CREATE INDEX people_name ON people (name);

CREATE TABLE memberships (
    id                           INTEGER PRIMARY KEY,
    group_id                     INTEGER NOT NULL REFERENCES org_groups (id),
    person_id                    INTEGER NOT NULL REFERENCES people (id),
    role                         TEXT NOT NULL,
    represents_region            TEXT REFERENCES regions (code),
    represents_healthcare_region TEXT REFERENCES healthcare_regions (code),
    share_bp                     INTEGER NOT NULL DEFAULT 0 CHECK (share_bp BETWEEN 0 AND 10000),
    composition                  TEXT NOT NULL DEFAULT '',
    start_date                   TEXT NOT NULL,
    end_date                     TEXT,
    created_at                   TIMESTAMP NOT NULL,
    updated_at                   TIMESTAMP NOT NULL,
    version                      INTEGER NOT NULL DEFAULT 1,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX memberships_group ON memberships (group_id);
CREATE INDEX memberships_person ON memberships (person_id);
