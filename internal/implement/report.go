package implement

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// Report is what the compiled report of an implementation shows: the whole
// workspace, the forum cases (with their decisions) linked to the support
// or to the implementation, and the day the summary was last saved.
type Report struct {
	Workspace
	Linked []LinkedCase
	// SummaryOn is the day the summary was written or accepted; zero when
	// it never was.
	SummaryOn date.Date
}

// LinkedCase is a forum case linked to the support or the implementation.
type LinkedCase struct {
	ID           int64            `json:"id"`
	Number       string           `json:"number"`
	Title        string           `json:"title"`
	Status       string           `json:"status"`
	RegisteredOn date.Date        `json:"registered_on"`
	Decisions    []LinkedDecision `json:"decisions"`
}

// LinkedDecision is a decision made in a linked case.
type LinkedDecision struct {
	ID        int64     `json:"id"`
	Forum     string    `json:"forum"`
	DecidedOn date.Date `json:"decided_on"`
	Text      string    `json:"text"`
}

// Report gathers the compiled report of implementation id, if the user may
// read it.
func (s *Service) Report(ctx context.Context, id int64) (Report, error) {
	w, err := s.Workspace(ctx, id)
	if err != nil {
		return Report{}, err
	}
	r := Report{Workspace: w}
	if r.Linked, err = linkedCases(ctx, s.db, w.Implementation.SupportID, id); err != nil {
		return Report{}, err
	}
	if r.SummaryOn, err = summarySavedOn(ctx, s.db, id); err != nil {
		return Report{}, err
	}
	return r, nil
}

// Deeper lists the gap analyses that need the deeper analysis, in the order
// of the recommendations.
func (w Workspace) Deeper() []Gap {
	var out []Gap
	for _, g := range w.GapList() {
		if NeedsDeeper(g.Size, g.CrowdingOut) {
			out = append(out, g)
		}
	}
	return out
}

// Facts are the aggregated, non-personal facts of an implementation that
// the summary's drafter is given: counts and the support's title and kind,
// never a name, a unit or a free-text answer.
type Facts struct {
	SupportTitle      string     `json:"support_title"`
	SupportKind       string     `json:"support_kind"`
	Recommendations   int        `json:"recommendations"`
	Profile           GapProfile `json:"gap_profile"`
	DeeperAnalyses    int        `json:"deeper_analyses"`
	Actions           int        `json:"actions"`
	ActionsDone       int        `json:"actions_done"`
	ActionsOverdue    int        `json:"actions_overdue"`
	ChecklistSettled  int        `json:"checklist_settled" doc:"Required checklist items done or waived"`
	ChecklistRequired int        `json:"checklist_required"`
	PlannedEnd        date.Date  `json:"planned_end,omitzero"`
}

// FactsOf sums up the workspace for the drafter.
func FactsOf(w Workspace) Facts {
	f := Facts{SupportTitle: w.Support.Title, SupportKind: string(w.Support.Kind), Recommendations: len(w.Recommendations),
		Profile: w.Profile, DeeperAnalyses: len(w.Deeper()), Actions: w.Progress.Actions, ActionsDone: w.Progress.Done,
		ActionsOverdue: w.Progress.Overdue, PlannedEnd: w.Implementation.PlannedEnd}
	for _, it := range w.Checklist {
		if it.Required {
			f.ChecklistRequired++
			if it.Settled() {
				f.ChecklistSettled++
			}
		}
	}
	return f
}

// prompts words the drafter's instructions and the facts, in Swedish as
// the region's records are.
func (s *Service) prompts(f Facts) (system, user string) {
	system = s.say("implement.report.prompt.system")
	kind := s.say("catalog.kind." + f.SupportKind)
	end := s.say("implement.report.prompt.no_end")
	if !f.PlannedEnd.IsZero() {
		end = f.PlannedEnd.String()
	}
	p := f.Profile
	lines := []string{
		s.say("implement.report.prompt.support", "title", f.SupportTitle, "kind", kind),
		s.say("implement.report.prompt.recommendations", "count", strconv.Itoa(f.Recommendations)),
		s.say("implement.report.prompt.profile", "none", strconv.Itoa(p.None), "small", strconv.Itoa(p.Small),
			"moderate", strconv.Itoa(p.Moderate), "large", strconv.Itoa(p.Large), "not_judged", strconv.Itoa(p.NotJudged),
			"crowding_out", strconv.Itoa(p.CrowdingOut)),
		s.say("implement.report.prompt.deeper", "count", strconv.Itoa(f.DeeperAnalyses)),
		s.say("implement.report.prompt.actions", "count", strconv.Itoa(f.Actions), "done", strconv.Itoa(f.ActionsDone),
			"overdue", strconv.Itoa(f.ActionsOverdue)),
		s.say("implement.report.prompt.checklist", "settled", strconv.Itoa(f.ChecklistSettled), "required", strconv.Itoa(f.ChecklistRequired)),
		s.say("implement.report.prompt.planned_end", "date", end),
	}
	return system, s.say("implement.report.prompt.user") + "\n" + strings.Join(lines, "\n")
}

// CanDraft reports whether summaries can be drafted by machine: an
// endpoint is configured.
func (s *Service) CanDraft() bool { return s.drafter != nil }

// The summaries' drafting failures, both errs.ErrUnavailable.
var (
	// ErrNoDrafter means no drafting endpoint is configured.
	ErrNoDrafter = fmt.Errorf("implement: no summary drafter configured: %w", errs.ErrUnavailable)
	// ErrDraftFailed means the endpoint failed or did not answer in time.
	ErrDraftFailed = fmt.Errorf("implement: drafting the summary failed: %w", errs.ErrUnavailable)
)

// maxSummary is the longest summary, in characters.
const maxSummary = 4000

// DraftSummary asks the drafter for a summary of implementation id from its
// aggregated facts only, and stores the answer as a draft waiting for a
// person of the working group to accept it; the summary itself does not
// change. version is the implementation's version as the user saw it. An
// endpoint that fails changes nothing.
func (s *Service) DraftSummary(ctx context.Context, id, version int64) (Implementation, error) {
	if s.drafter == nil {
		return Implementation{}, ErrNoDrafter
	}
	w, err := s.Workspace(ctx, id)
	if err != nil {
		return Implementation{}, err
	}
	if !w.Rights.Edit {
		return Implementation{}, fmt.Errorf("implementation %d: not in the working group: %w", id, errs.ErrForbidden)
	}
	if !w.Implementation.IntroducedOn.IsZero() {
		return Implementation{}, fmt.Errorf("implementation %d: introduced: %w", id, errs.ErrLocked)
	}
	if w.Implementation.Version != version {
		return Implementation{}, errs.ErrConflict
	}
	system, user := s.prompts(FactsOf(w))
	text, err := s.drafter.Draft(ctx, system, user)
	if err != nil {
		return Implementation{}, fmt.Errorf("%w: %w", ErrDraftFailed, err)
	}
	if r := []rune(strings.TrimSpace(text)); len(r) > maxSummary {
		text = string(r[:maxSummary])
	}
	var out Implementation
	err = s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := editable(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if before.Version != version {
			return nil, errs.ErrConflict
		}
		if err := setSummaryDraft(ctx, tx, id, strings.TrimSpace(text), version, now); err != nil {
			return nil, err
		}
		out, err = findImplementation(ctx, tx, id)
		return []audit.Change{{Entity: entityImplementation, EntityID: id, Action: audit.Update, Before: before, After: out}}, err
	})
	return out, err
}

// SummaryAction is what a person does with the summary.
type SummaryAction string

// The summary actions.
const (
	// SummarySave saves the text as the summary (written or edited by the
	// person); a waiting draft stays.
	SummarySave SummaryAction = "save"
	// SummaryAccept accepts the waiting machine draft, as edited in the
	// text, as the summary and clears the draft.
	SummaryAccept SummaryAction = "accept"
	// SummaryDiscard throws the waiting draft away.
	SummaryDiscard SummaryAction = "discard"
)

// SummaryActions lists the actions.
var SummaryActions = []SummaryAction{SummarySave, SummaryAccept, SummaryDiscard}

// SummaryInput is a change of the summary by a person.
type SummaryInput struct {
	Action  SummaryAction `json:"action" enum:"save,accept,discard" doc:"save: the text is the summary; accept: the waiting machine draft, as edited in text, becomes the summary; discard: the draft is thrown away"`
	Text    string        `json:"text,omitempty" maxLength:"4000" doc:"The summary (save, accept); empty with save clears it"`
	Version int64         `json:"version" doc:"The implementation's version as read"`
}

// SaveSummary writes, accepts or discards by version. The person's name is
// recorded as the summary's author; a summary accepted from a machine draft
// is marked so, and stays marked when it is edited later, until it is
// cleared.
func (s *Service) SaveSummary(ctx context.Context, id int64, in SummaryInput) (Implementation, error) {
	in.Text = strings.TrimSpace(in.Text)
	var v errs.ValidationError
	switch in.Action {
	case SummarySave:
		v.Text("text", in.Text, false, maxSummary)
	case SummaryAccept:
		v.Text("text", in.Text, true, maxSummary)
	case SummaryDiscard:
	default:
		v.Add("action", "validation.choice")
	}
	if err := v.Err(); err != nil {
		return Implementation{}, err
	}
	var out Implementation
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := editable(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if before.Version != in.Version {
			return nil, errs.ErrConflict
		}
		m := before
		switch in.Action {
		case SummarySave:
			m.Summary, m.SummaryBy = in.Text, audit.DisplayName(ctx)
			if in.Text == "" {
				m.SummaryBy, m.SummaryMachine = "", false
			}
		case SummaryAccept:
			if before.SummaryDraft == "" {
				return nil, errs.Invalidf("text", "implement.report.no_draft")
			}
			m.Summary, m.SummaryBy, m.SummaryMachine = in.Text, audit.DisplayName(ctx), true
			m.SummaryDraft, m.SummaryDraftAt = "", nil
		case SummaryDiscard:
			if before.SummaryDraft == "" {
				return nil, errs.Invalidf("text", "implement.report.no_draft")
			}
			m.SummaryDraft, m.SummaryDraftAt = "", nil
		}
		if err := setSummary(ctx, tx, m, now); err != nil {
			return nil, err
		}
		out, err = findImplementation(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		entity := entitySummary
		if in.Action == SummaryDiscard {
			entity = entityImplementation // the summary itself did not change
		}
		return []audit.Change{{Entity: entity, EntityID: id, Action: audit.Update, Before: before, After: out}}, nil
	})
	return out, err
}

// ReportFileName is the file name of a support's report, e.g.
// "inforanderapport-12.pdf".
func ReportFileName(id int64, ext string) string {
	return "inforanderapport-" + strconv.FormatInt(id, 10) + ext
}

// isUnavailable reports whether err is a drafting failure to show the user.
func isUnavailable(err error) bool { return errors.Is(err, errs.ErrUnavailable) }

// reportLocale is the locale whose words the report uses.
func reportLocale(loc i18n.Locale) i18n.Locale {
	if l, _ := i18n.Parse(string(loc)); l == i18n.EN {
		return i18n.EN
	}
	return i18n.SV
}
