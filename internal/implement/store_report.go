package implement

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// entitySummary names the changes of an implementation's summary in the
// audit log; the report dates the summary by its latest record.
const entitySummary = "implementation_summary"

// setSummaryDraft stores a machine-drafted summary waiting for a person,
// by version.
func setSummaryDraft(ctx context.Context, q db.Querier, id int64, draft string, version int64, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "implementations", id, `UPDATE implementations SET summary_draft = ?, summary_draft_at = ?,
		updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`, draft, now, now, id, version)
}

// setSummary stores the summary as a person wrote or accepted it and clears
// or keeps the waiting draft, by version.
func setSummary(ctx context.Context, q db.Querier, m Implementation, now time.Time) error {
	var draftAt any
	if m.SummaryDraftAt != nil {
		draftAt = *m.SummaryDraftAt
	}
	return db.UpdateVersioned(ctx, q, "implementations", m.ID, `UPDATE implementations SET summary = ?, summary_by = ?,
		summary_machine = ?, summary_draft = ?, summary_draft_at = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`, m.Summary, m.SummaryBy, m.SummaryMachine, m.SummaryDraft, draftAt, now, m.ID, m.Version)
}

// summarySavedOn is the day (in Sweden) the summary was last written,
// accepted or cleared: its latest audit record; zero when it never was.
func summarySavedOn(ctx context.Context, q db.Querier, id int64) (date.Date, error) {
	var at time.Time
	err := q.QueryRowContext(ctx, `SELECT at FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY at DESC, id DESC LIMIT 1`,
		entitySummary, strconv.FormatInt(id, 10)).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return date.Date{}, nil
	}
	if err != nil {
		return date.Date{}, fmt.Errorf("summary date of implementation %d: %w", id, err)
	}
	return date.Of(at, i18n.Stockholm()), nil
}

// linkedCases lists the forum cases linked to the support or to the
// implementation, oldest registered first, each with its decisions in the
// order they were made.
func linkedCases(ctx context.Context, q db.Querier, supportID, implementationID int64) ([]LinkedCase, error) {
	cases, err := db.All(ctx, q, func(s db.Scanner) (LinkedCase, error) {
		var c LinkedCase
		return c, s.Scan(&c.ID, &c.Number, &c.Title, &c.Status, &c.RegisteredOn)
	}, `SELECT c.id, c.number, c.title, c.status, c.registered_on FROM cases c
		WHERE c.id IN (SELECT case_id FROM case_links WHERE (entity = 'support' AND entity_id = ?) OR (entity = ? AND entity_id = ?))
		ORDER BY c.registered_on, c.id`, strconv.FormatInt(supportID, 10), EntityImplementation, strconv.FormatInt(implementationID, 10))
	if err != nil {
		return nil, fmt.Errorf("cases linked to implementation %d: %w", implementationID, err)
	}
	for i := range cases {
		cases[i].Decisions, err = db.All(ctx, q, func(s db.Scanner) (LinkedDecision, error) {
			var d LinkedDecision
			return d, s.Scan(&d.ID, &d.Forum, &d.DecidedOn, &d.Text)
		}, `SELECT d.id, g.name, d.decided_on, d.text FROM decisions d
			JOIN forums f ON f.id = d.forum_id JOIN org_groups g ON g.id = f.group_id
			WHERE d.case_id = ? ORDER BY d.decided_on, d.id`, cases[i].ID)
		if err != nil {
			return nil, fmt.Errorf("decisions of case %d: %w", cases[i].ID, err)
		}
	}
	return cases, nil
}
