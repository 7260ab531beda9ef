package implement

import (
	"context"
	"fmt"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// The overview reads every implementation on it with one query per part
// (actions, checklists, gaps, recommendations, leads), each grouped by
// implementation or support, never one query per implementation.

// overviewScope joins what an overview query reads to the implementations
// on the overview: not introduced, or introduced on or after the parameter.
const overviewScope = `(i.introduced_on IS NULL OR i.introduced_on >= ?)`

func overviewRows(ctx context.Context, q db.Querier, since date.Date) ([]OverviewRow, error) {
	rows, err := db.All(ctx, q, func(s db.Scanner) (OverviewRow, error) {
		var r OverviewRow
		var status string
		err := s.Scan(&r.ID, &r.SupportID, &r.SupportTitle, &status, &r.StartedOn, &r.PlannedEnd, &r.IntroducedOn)
		r.SupportStatus = catalog.Status(status)
		return r, err
	}, `SELECT i.id, i.support_id, s.title, s.status, i.started_on, i.planned_end, i.introduced_on
		FROM implementations i JOIN supports s ON s.id = i.support_id
		WHERE `+overviewScope+`
		ORDER BY i.started_on, i.id`, since)
	if err != nil {
		return nil, fmt.Errorf("overview: implementations: %w", err)
	}
	return rows, nil
}

// overviewProgress sums up each plan on day today as PlanProgress does:
// actions not cancelled, done, overdue (planned or started past due), and
// their effort.
func overviewProgress(ctx context.Context, q db.Querier, since, today date.Date) (map[int64]Progress, error) {
	type row struct {
		id int64
		p  Progress
	}
	rows, err := db.All(ctx, q, func(s db.Scanner) (row, error) {
		var r row
		return r, s.Scan(&r.id, &r.p.Actions, &r.p.Done, &r.p.Overdue, &r.p.Effort, &r.p.EffortDone)
	}, `SELECT a.implementation_id, COUNT(*),
			SUM(CASE WHEN a.status = ? THEN 1 ELSE 0 END),
			SUM(CASE WHEN a.status IN (?, ?) AND a.due_on < ? THEN 1 ELSE 0 END),
			SUM(a.effort_hours),
			SUM(CASE WHEN a.status = ? THEN a.effort_hours ELSE 0 END)
		FROM actions a JOIN implementations i ON i.id = a.implementation_id
		WHERE a.status <> ? AND `+overviewScope+`
		GROUP BY a.implementation_id`,
		string(ActionDone), string(ActionPlanned), string(ActionStarted), today, string(ActionDone), string(ActionCancelled), since)
	if err != nil {
		return nil, fmt.Errorf("overview: actions: %w", err)
	}
	out := make(map[int64]Progress, len(rows))
	for _, r := range rows {
		p := r.p
		switch {
		case p.Effort > 0:
			p.Percent = p.EffortDone * 100 / p.Effort
		case p.Actions > 0:
			p.Percent = p.Done * 100 / p.Actions
		}
		out[r.id] = p
	}
	return out, nil
}

type checklistCount struct{ required, settled int }

func overviewChecklists(ctx context.Context, q db.Querier, since date.Date) (map[int64]checklistCount, error) {
	type row struct {
		id int64
		checklistCount
	}
	rows, err := db.All(ctx, q, func(s db.Scanner) (row, error) {
		var r row
		return r, s.Scan(&r.id, &r.required, &r.settled)
	}, `SELECT c.implementation_id,
			SUM(CASE WHEN c.required THEN 1 ELSE 0 END),
			SUM(CASE WHEN c.required AND c.state IN (?, ?) THEN 1 ELSE 0 END)
		FROM checklist_items c JOIN implementations i ON i.id = c.implementation_id
		WHERE `+overviewScope+`
		GROUP BY c.implementation_id`, string(ItemDone), string(ItemWaived), since)
	if err != nil {
		return nil, fmt.Errorf("overview: checklists: %w", err)
	}
	out := make(map[int64]checklistCount, len(rows))
	for _, r := range rows {
		out[r.id] = r.checklistCount
	}
	return out, nil
}

// overviewGaps counts each implementation's judged gaps by size and those
// marked crowding-out; NotJudged is left for the caller, who knows the
// number of recommendations.
func overviewGaps(ctx context.Context, q db.Querier, since date.Date) (map[int64]GapProfile, error) {
	type row struct {
		id       int64
		size     string
		n, crowd int
	}
	rows, err := db.All(ctx, q, func(s db.Scanner) (row, error) {
		var r row
		return r, s.Scan(&r.id, &r.size, &r.n, &r.crowd)
	}, `SELECT g.implementation_id, g.gap, COUNT(*), SUM(CASE WHEN g.crowding_out THEN 1 ELSE 0 END)
		FROM gap_analyses g JOIN implementations i ON i.id = g.implementation_id
		WHERE `+overviewScope+`
		GROUP BY g.implementation_id, g.gap`, since)
	if err != nil {
		return nil, fmt.Errorf("overview: gaps: %w", err)
	}
	out := map[int64]GapProfile{}
	for _, r := range rows {
		p := out[r.id]
		switch GapSize(r.size) {
		case GapNone:
			p.None += r.n
		case GapSmall:
			p.Small += r.n
		case GapModerate:
			p.Moderate += r.n
		case GapLarge:
			p.Large += r.n
		}
		p.CrowdingOut += r.crowd
		out[r.id] = p
	}
	return out, nil
}

// overviewRecommendations counts the recommendations of each support on
// the overview.
func overviewRecommendations(ctx context.Context, q db.Querier, since date.Date) (map[int64]int, error) {
	return overviewCounts(ctx, q, "recommendations", `SELECT r.support_id, COUNT(*)
		FROM recommendations r JOIN implementations i ON i.support_id = r.support_id
		WHERE `+overviewScope+`
		GROUP BY r.support_id`, since)
}

// overviewLeads counts the responsible improvement leads of each support on
// the overview.
func overviewLeads(ctx context.Context, q db.Querier, since date.Date) (map[int64]int, error) {
	return overviewCounts(ctx, q, "leads", `SELECT l.support_id, COUNT(*)
		FROM support_leads l JOIN implementations i ON i.support_id = l.support_id
		WHERE `+overviewScope+`
		GROUP BY l.support_id`, since)
}

func overviewCounts(ctx context.Context, q db.Querier, what, query string, args ...any) (map[int64]int, error) {
	type row struct {
		id int64
		n  int
	}
	rows, err := db.All(ctx, q, func(s db.Scanner) (row, error) {
		var r row
		return r, s.Scan(&r.id, &r.n)
	}, query, args...)
	if err != nil {
		return nil, fmt.Errorf("overview: %s: %w", what, err)
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.id] = r.n
	}
	return out, nil
}

// startChoices lists the supports decided for introduction (or already
// being introduced) that have no workspace, by title.
func startChoices(ctx context.Context, q db.Querier) ([]StartChoice, error) {
	cs, err := db.All(ctx, q, func(s db.Scanner) (StartChoice, error) {
		var c StartChoice
		var status string
		err := s.Scan(&c.ID, &c.Title, &status)
		c.Status = catalog.Status(status)
		return c, err
	}, `SELECT s.id, s.title, s.status FROM supports s
		WHERE s.status IN (?, ?) AND NOT EXISTS (SELECT 1 FROM implementations i WHERE i.support_id = s.id)
		ORDER BY s.title, s.id`, string(catalog.Decided), string(catalog.BeingIntroduced))
	if err != nil {
		return nil, fmt.Errorf("start choices: %w", err)
	}
	return cs, nil
}
