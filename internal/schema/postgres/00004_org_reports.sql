-- +goose Up
-- Covering indexes for the organisation reports (representation,
-- participation cost, person dependence). Each report reads memberships by
-- group (counts per group; deputies and successors in the same group and
-- role) or by person (a person's memberships of a year) from the index alone,
-- without visiting the table.
CREATE INDEX memberships_report ON memberships (group_id, role, start_date, end_date)
    INCLUDE (person_id, represents_region, represents_healthcare_region, share_bp);
CREATE INDEX memberships_person_period ON memberships (person_id, start_date, end_date)
    INCLUDE (role, group_id, share_bp, represents_region);
