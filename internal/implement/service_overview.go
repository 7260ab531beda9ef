package implement

import (
	"context"
	"errors"
	"fmt"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// OverviewStatus narrows the overview to implementations in work or to
// those introduced.
type OverviewStatus string

// The overview's filters; "" is both.
const (
	OverviewInWork     OverviewStatus = "in_work"
	OverviewIntroduced OverviewStatus = "introduced"
)

// OverviewStatuses lists the filters.
var OverviewStatuses = []OverviewStatus{OverviewInWork, OverviewIntroduced}

// recentlyIntroducedDays is how long an introduced implementation stays on
// the overview: twelve months.
const recentlyIntroducedDays = 365

// OverviewRow is one implementation as the overview shows it.
type OverviewRow struct {
	ID                int64          `json:"id"`
	SupportID         int64          `json:"support_id"`
	SupportTitle      string         `json:"support_title"`
	SupportStatus     catalog.Status `json:"support_status"`
	StartedOn         date.Date      `json:"started_on"`
	PlannedEnd        date.Date      `json:"planned_end,omitzero"`
	IntroducedOn      date.Date      `json:"introduced_on,omitzero"`
	Progress          Progress       `json:"progress"`
	ChecklistRequired int            `json:"checklist_required" doc:"Required checklist items"`
	ChecklistSettled  int            `json:"checklist_settled" doc:"Required checklist items done or waived"`
	Ready             bool           `json:"ready" doc:"Every required checklist item is done or waived"`
	Profile           GapProfile     `json:"gap_profile"`
	Leads             int            `json:"leads" doc:"The support's responsible improvement leads"`
	PersonDependent   bool           `json:"person_dependent" doc:"Fewer than two improvement leads: the work rests on one person or none"`
}

// Status is where the implementation stands on the overview.
func (r OverviewRow) Status() OverviewStatus {
	if r.IntroducedOn.IsZero() {
		return OverviewInWork
	}
	return OverviewIntroduced
}

// Overview lists every implementation not yet introduced and those
// introduced in the last twelve months, by start, with their progress,
// overdue actions, checklist, gap profile and improvement leads; filtered by
// status when st is not "". Only those who read every workspace see it.
func (s *Service) Overview(ctx context.Context, st OverviewStatus) ([]OverviewRow, error) {
	if !CanOversee(ctx) {
		return nil, fmt.Errorf("implementation overview: %w", errs.ErrForbidden)
	}
	switch st {
	case "", OverviewInWork, OverviewIntroduced:
	default:
		return nil, errs.Invalidf("status", "validation.choice")
	}
	today := s.Today()
	since := today.AddDays(-recentlyIntroducedDays)
	rows, err := overviewRows(ctx, s.db, since)
	if err != nil {
		return nil, err
	}
	progress, err := overviewProgress(ctx, s.db, since, today)
	if err != nil {
		return nil, err
	}
	checklists, err := overviewChecklists(ctx, s.db, since)
	if err != nil {
		return nil, err
	}
	gaps, err := overviewGaps(ctx, s.db, since)
	if err != nil {
		return nil, err
	}
	recs, err := overviewRecommendations(ctx, s.db, since)
	if err != nil {
		return nil, err
	}
	leads, err := overviewLeads(ctx, s.db, since)
	if err != nil {
		return nil, err
	}
	out := make([]OverviewRow, 0, len(rows))
	for _, r := range rows {
		if st != "" && r.Status() != st {
			continue
		}
		r.Progress = progress[r.ID]
		c := checklists[r.ID]
		r.ChecklistRequired, r.ChecklistSettled = c.required, c.settled
		r.Ready = c.settled >= c.required
		r.Profile = gaps[r.ID]
		r.Profile.NotJudged = max(recs[r.SupportID]-r.Profile.None-r.Profile.Small-r.Profile.Moderate-r.Profile.Large, 0)
		r.Leads = leads[r.SupportID]
		r.PersonDependent = r.Leads < 2
		out = append(out, r)
	}
	return out, nil
}

// StartChoice is a support whose workspace may be started: decided for
// introduction (or already being introduced) and without one.
type StartChoice struct {
	ID     int64          `json:"id"`
	Title  string         `json:"title"`
	Status catalog.Status `json:"status"`
}

// StartChoices lists the supports the coordinator may start a workspace
// for, by title.
func (s *Service) StartChoices(ctx context.Context) ([]StartChoice, error) {
	if err := requireCoordinator(ctx); err != nil {
		return nil, err
	}
	return startChoices(ctx, s.db)
}

// SupportLink is where the catalog's support page links to the support's
// introduction: its workspace when there is one and the user may read it,
// the start form for the coordinator when the support is decided, else "".
func (s *Service) SupportLink(ctx context.Context, supportID int64) (string, error) {
	m, err := findImplementationOfSupport(ctx, s.db, supportID)
	switch {
	case err == nil:
		r, err := rights(ctx, s.db, m)
		if err != nil || !r.Read {
			return "", err
		}
		return fmt.Sprintf("/inforande/%d", m.ID), nil
	case !errors.Is(err, errs.ErrNotFound):
		return "", err
	}
	if !CanCoordinate(ctx) {
		return "", nil
	}
	sp, err := catalog.SupportIn(ctx, s.db, supportID)
	if err != nil {
		return "", err
	}
	if sp.Status != catalog.Decided && sp.Status != catalog.BeingIntroduced {
		return "", nil
	}
	return fmt.Sprintf("/inforande/ny?stod=%d", supportID), nil
}

// GroupPeople returns the names of the people with ids, for the working
// group's form (people chosen but not yet saved).
func (s *Service) GroupPeople(ctx context.Context, ids []int64) (map[int64]string, error) {
	return personNames(ctx, s.db, distinct(ids))
}
