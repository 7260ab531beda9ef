// Package priority is the yearly prioritisation round (prioriteringsomgång):
// the coordinator opens a round for a year with candidate knowledge supports
// from the catalog, the assessor groups (LPOs, program areas) that rate them
// and a deadline; each group rates each candidate on importance and
// feasibility against the criteria and scale stored with the round; the
// results (aggregate scores with spread, the importance × feasibility matrix,
// a ranking with ties) become a proposal that is anchored in the primary-care
// council and decided by HSL through the forum capability, with a decision
// basis as DOCX and PDF; HSL's decision moves the supports in the catalog and
// gives the year's time plan.
package priority

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// Permissions: everyone signed in reads rounds, results and the time plan
// (ledning and revisor among them); the coordinator (and admin) runs rounds;
// members of an assessor group rate for their group, which the service checks
// against the organisation registry; ledning (and the coordinator) record
// HSL's decision.
var (
	Read   = access.SignedIn
	Run    = access.Permission{Name: "priority.run", Roles: []access.Role{access.Coordinator}}
	Rate   = access.SignedIn
	Decide = access.Permission{Name: "priority.decide", Roles: []access.Role{access.Coordinator, access.Leadership}}
)

// Status is where a round stands.
type Status string

// The statuses of a round, in order.
const (
	Draft   Status = "draft"   // being prepared: candidates, groups, criteria, scale, deadline
	Open    Status = "open"    // groups rate until the deadline
	Closed  Status = "closed"  // rating is over; results, proposal, anchoring
	Decided Status = "decided" // HSL's decision is recorded
)

// Statuses lists every status in order.
var Statuses = []Status{Draft, Open, Closed, Decided}

// Axis is one of the two questions every candidate is judged on.
type Axis string

// The axes.
const (
	Importance  Axis = "importance"  // viktigt: significance/urgency, impact on care, spread
	Feasibility Axis = "feasibility" // möjligt: resources, managers, support, culture, timing
)

// Axes lists both axes, importance first.
var Axes = []Axis{Importance, Feasibility}

// Limits of a round's configuration.
const (
	MaxCriteria   = 20
	MaxScaleSteps = 10
	maxTitle      = 200
	maxText       = 4000
	maxLabel      = 200
	maxComment    = 2000
)

// Criterion is one question of a round, on one axis, with a weight in the
// axis mean. Its label and description are stored with the round.
type Criterion struct {
	ID          int64  `json:"id"`
	Axis        Axis   `json:"axis" enum:"importance,feasibility"`
	Label       string `json:"label"`
	Description string `json:"description,omitempty"`
	Weight      int    `json:"weight" minimum:"1" maximum:"10" doc:"Weight in the axis mean; 1 unless some criteria count more"`
	Position    int    `json:"position" readOnly:"true"`
}

// Scale is the range of whole-number scores of a round, with an optional
// label per step (Labels[0] names Min).
type Scale struct {
	Min    int      `json:"min"`
	Max    int      `json:"max"`
	Labels []string `json:"labels" doc:"Optional name of each step, from min to max; empty or one per step"`
}

// Steps lists the scores of the scale, lowest first.
func (s Scale) Steps() []int {
	out := make([]int, 0, s.Max-s.Min+1)
	for v := s.Min; v <= s.Max; v++ {
		out = append(out, v)
	}
	return out
}

// Label returns the name of score v, or "" when the scale has no labels.
func (s Scale) Label(v int) string {
	if i := v - s.Min; len(s.Labels) == s.Max-s.Min+1 && i >= 0 && i < len(s.Labels) {
		return s.Labels[i]
	}
	return ""
}

// Contains reports whether v is a score of the scale.
func (s Scale) Contains(v int) bool { return v >= s.Min && v <= s.Max }

// Mid is the middle of the scale, where the matrix's quadrants divide.
func (s Scale) Mid() float64 { return float64(s.Min+s.Max) / 2 }

// Round is one prioritisation round.
type Round struct {
	ID           int64       `json:"id"`
	Year         int         `json:"year" doc:"The year whose introductions the round prioritises"`
	Title        string      `json:"title"`
	Instructions string      `json:"instructions,omitempty" doc:"What the assessor groups are asked to do"`
	Status       Status      `json:"status" readOnly:"true" enum:"draft,open,closed,decided"`
	Deadline     date.Date   `json:"deadline" doc:"Last day on which groups may rate"`
	Scale        Scale       `json:"scale"`
	Criteria     []Criterion `json:"criteria" doc:"The questions, importance first; stored with the round"`
	OpenedOn     date.Date   `json:"opened_on,omitzero" readOnly:"true"`
	ClosedOn     date.Date   `json:"closed_on,omitzero" readOnly:"true"`
	CaseID       int64       `json:"case_id,omitempty" readOnly:"true" doc:"The forum case through which the proposal is anchored and decided"`
	DecisionID   int64       `json:"decision_id,omitempty" readOnly:"true" doc:"HSL's decision in the forum capability"`
	DecidedOn    date.Date   `json:"decided_on,omitzero" readOnly:"true"`
	CreatedAt    time.Time   `json:"created_at" readOnly:"true"`
	UpdatedAt    time.Time   `json:"updated_at" readOnly:"true"`
	Version      int64       `json:"version"`
}

// Configurable reports whether the round's candidates, groups, criteria and
// scale may still change: only while it is a draft.
func (r Round) Configurable() bool { return r.Status == Draft }

// AcceptsRatings reports whether a rating may be saved on day: the round is
// open and the deadline has not passed.
func (r Round) AcceptsRatings(day date.Date) bool {
	return r.Status == Open && !day.After(r.Deadline)
}

// CriteriaOn lists the round's criteria on axis a, in order.
func (r Round) CriteriaOn(a Axis) []Criterion {
	var out []Criterion
	for _, c := range r.Criteria {
		if c.Axis == a {
			out = append(out, c)
		}
	}
	return out
}

// Normalize trims the round's text and numbers its criteria, importance first.
func (r *Round) Normalize() {
	r.Title = strings.TrimSpace(r.Title)
	r.Instructions = strings.TrimSpace(r.Instructions)
	for i := range r.Scale.Labels {
		r.Scale.Labels[i] = strings.TrimSpace(r.Scale.Labels[i])
	}
	if slices.IndexFunc(r.Scale.Labels, func(s string) bool { return s != "" }) < 0 {
		r.Scale.Labels = nil
	}
	for i := range r.Criteria {
		r.Criteria[i].Label = strings.TrimSpace(r.Criteria[i].Label)
		r.Criteria[i].Description = strings.TrimSpace(r.Criteria[i].Description)
		if r.Criteria[i].Weight == 0 {
			r.Criteria[i].Weight = 1
		}
	}
	slices.SortStableFunc(r.Criteria, func(a, b Criterion) int {
		return slices.Index(Axes, a.Axis) - slices.Index(Axes, b.Axis)
	})
	for i := range r.Criteria {
		r.Criteria[i].Position = i + 1
	}
}

// Validate checks the round's own fields: title, year, deadline, a scale of
// 2 to 10 steps with no or one label per step, and 1 to 20 criteria with at
// least one on each axis.
func (r Round) Validate() error {
	var v errs.ValidationError
	v.Text("title", r.Title, true, maxTitle)
	v.Text("instructions", r.Instructions, false, maxText)
	if r.Year < 2000 || r.Year > 2100 {
		v.Add("year", "validation.range", "min", "2000", "max", "2100")
	}
	if r.Deadline.IsZero() {
		v.Add("deadline", "validation.required")
	}
	steps := r.Scale.Max - r.Scale.Min + 1
	switch {
	case r.Scale.Min < 0 || r.Scale.Max > 100:
		v.Add("scale", "priority.scale.range")
	case steps < 2 || steps > MaxScaleSteps:
		v.Add("scale", "priority.scale.steps", "max", "10")
	case len(r.Scale.Labels) != 0 && (len(r.Scale.Labels) != steps || slices.Contains(r.Scale.Labels, "")):
		v.Add("scale_labels", "priority.scale.labels", "steps", itoa(steps))
	}
	for _, l := range r.Scale.Labels {
		if utf8.RuneCountInString(l) > maxLabel {
			v.Add("scale_labels", "validation.too_long", "max", itoa(maxLabel))
			break
		}
	}
	if len(r.Criteria) > MaxCriteria {
		v.Add("criteria", "priority.criteria.too_many", "max", itoa(MaxCriteria))
	}
	for _, a := range Axes {
		if len(r.CriteriaOn(a)) == 0 {
			v.Add("criteria", "priority.criteria.axis_missing")
			break
		}
	}
	for i, c := range r.Criteria {
		name := "criteria." + itoa(i)
		if !slices.Contains(Axes, c.Axis) {
			v.Add(name+".axis", "validation.choice")
		}
		v.Text(name+".label", c.Label, true, maxLabel)
		v.Text(name+".description", c.Description, false, maxText)
		if c.Weight < 1 || c.Weight > 10 {
			v.Add(name+".weight", "validation.range", "min", "1", "max", "10")
		}
	}
	return v.Err()
}

// Candidate is a knowledge support on a round, with the proposal for it and,
// once HSL has decided, the outcome.
type Candidate struct {
	ID            int64          `json:"id"`
	RoundID       int64          `json:"round_id" readOnly:"true"`
	SupportID     int64          `json:"support_id"`
	SupportTitle  string         `json:"support_title" readOnly:"true"`
	SupportKind   catalog.Kind   `json:"support_kind" readOnly:"true"`
	SupportStatus catalog.Status `json:"support_status" readOnly:"true" doc:"The support's status in the catalog now"`
	Position      int            `json:"position" readOnly:"true" doc:"The candidate's number in the round, from 1"`
	Proposal
	Outcome      catalog.Status `json:"outcome,omitempty" readOnly:"true" enum:"decided,watched,not_relevant," doc:"What HSL decided: introduce, watch again or not relevant"`
	DecidedOrder int            `json:"decided_order,omitempty" readOnly:"true"`
	Version      int64          `json:"version"`
}

// Proposal is what the coordinator proposes for a candidate: whether to
// introduce it, in what order, from when to when.
type Proposal struct {
	Proposed      bool      `json:"proposed" doc:"Proposed for introduction"`
	ProposedOrder int       `json:"proposed_order,omitempty" doc:"Proposed order of introduction, from 1"`
	PlannedStart  date.Date `json:"planned_start,omitzero"`
	PlannedEnd    date.Date `json:"planned_end,omitzero"`
	Note          string    `json:"proposal_note,omitempty"`
}

// Validate checks a proposal: a proposed candidate has an order from 1 and a
// planned start; the end is not before the start.
func (p Proposal) Validate() error {
	var v errs.ValidationError
	if p.Proposed {
		if p.ProposedOrder < 1 {
			v.Add("proposed_order", "validation.required")
		}
		if p.PlannedStart.IsZero() {
			v.Add("planned_start", "validation.required")
		}
	} else if p.ProposedOrder != 0 {
		v.Add("proposed_order", "priority.proposal.order_without_proposal")
	}
	if p.ProposedOrder < 0 {
		v.Add("proposed_order", "validation.range", "min", "1", "max", "999")
	}
	if !p.PlannedEnd.IsZero() && !p.PlannedStart.IsZero() && p.PlannedEnd.Before(p.PlannedStart) {
		v.Add("planned_end", "priority.proposal.end_before_start")
	}
	v.Text("proposal_note", p.Note, false, maxText)
	return v.Err()
}

// AssessorGroup is a group of the organisation registry that rates the
// candidates of a round.
type AssessorGroup struct {
	GroupID int64  `json:"group_id"`
	Name    string `json:"name" readOnly:"true"`
	Kind    string `json:"kind" readOnly:"true"`
}

// Score is one criterion's score on a sheet and the group's comment on it.
// A nil Value is not yet rated.
type Score struct {
	CriterionID int64  `json:"criterion_id"`
	Value       *int   `json:"value,omitempty" doc:"The score on the round's scale; absent while not rated"`
	Comment     string `json:"comment,omitempty"`
}

// Sheet is one group's rating of one candidate: a score and a comment per
// criterion. It is saved as a whole, by version, so that a second member of
// the group who saves at the same time sees the first's rating instead of
// overwriting it.
type Sheet struct {
	ID          int64     `json:"id" readOnly:"true"`
	RoundID     int64     `json:"round_id" readOnly:"true"`
	CandidateID int64     `json:"candidate_id"`
	GroupID     int64     `json:"group_id"`
	Scores      []Score   `json:"scores" doc:"One per criterion of the round, in the round's order"`
	UpdatedBy   string    `json:"updated_by,omitempty" readOnly:"true"`
	UpdatedAt   time.Time `json:"updated_at,omitzero" readOnly:"true"`
	Version     int64     `json:"version" doc:"0 for a sheet not yet saved"`
}

// Score returns the sheet's score for criterion id.
func (s Sheet) Score(id int64) Score {
	for _, sc := range s.Scores {
		if sc.CriterionID == id {
			return sc
		}
	}
	return Score{CriterionID: id}
}

// Complete reports whether every criterion of r is scored on the sheet.
func (s Sheet) Complete(r Round) bool {
	for _, c := range r.Criteria {
		if s.Score(c.ID).Value == nil {
			return false
		}
	}
	return len(r.Criteria) > 0
}

// Check checks the sheet against round r: every score belongs to one of the
// round's criteria, at most once, and lies on its scale; comments are not
// too long. Fields are named scores.N.value and scores.N.comment by the
// criterion's place in the round.
func (s Sheet) Check(r Round) error {
	var v errs.ValidationError
	seen := map[int64]bool{}
	for _, sc := range s.Scores {
		i := slices.IndexFunc(r.Criteria, func(c Criterion) bool { return c.ID == sc.CriterionID })
		if i < 0 || seen[sc.CriterionID] {
			v.Add("scores", "priority.sheet.unknown_criterion", "id", itoa64(sc.CriterionID))
			continue
		}
		seen[sc.CriterionID] = true
		name := "scores." + itoa(i)
		if sc.Value != nil && !r.Scale.Contains(*sc.Value) {
			v.Add(name+".value", "priority.sheet.off_scale", "min", itoa(r.Scale.Min), "max", itoa(r.Scale.Max))
		}
		v.Text(name+".comment", strings.TrimSpace(sc.Comment), false, maxComment)
	}
	return v.Err()
}

// Decision is HSL's decision on a closed round, recorded by ledning or the
// coordinator: the forum decision (date, text, meeting) and the outcome of
// each candidate.
type Decision struct {
	DecidedOn date.Date         `json:"decided_on"`
	MeetingID int64             `json:"meeting_id,omitempty" doc:"The HSL meeting, if the decision was made at one"`
	Text      string            `json:"text" doc:"The decision as worded in the minutes"`
	Outcomes  []CandidateChoice `json:"outcomes" doc:"One per candidate"`
}

// CandidateChoice is what HSL decided on one candidate: introduce it (status
// decided, with order and planned start and end) or move it to watched or
// not relevant.
type CandidateChoice struct {
	CandidateID  int64          `json:"candidate_id"`
	Outcome      catalog.Status `json:"outcome" enum:"decided,watched,not_relevant"`
	Order        int            `json:"order,omitempty"`
	PlannedStart date.Date      `json:"planned_start,omitzero"`
	PlannedEnd   date.Date      `json:"planned_end,omitzero"`
}

// Outcomes lists the statuses HSL's decision may give a candidate.
var Outcomes = []catalog.Status{catalog.Decided, catalog.Watched, catalog.NotRelevant}

// Validate checks the decision against the round's candidates: one choice
// per candidate; a chosen support has an order from 1, unique among the
// chosen, and a planned start not after its end. Fields of a choice are named
// outcomes.N.field by the candidate's place in candidates.
func (d Decision) Validate(candidates []Candidate) error {
	var v errs.ValidationError
	if d.DecidedOn.IsZero() {
		v.Add("decided_on", "validation.required")
	}
	v.Text("text", strings.TrimSpace(d.Text), true, maxText)
	orders := map[int]bool{}
	for i, c := range candidates {
		j := slices.IndexFunc(d.Outcomes, func(o CandidateChoice) bool { return o.CandidateID == c.ID })
		name := "outcomes." + itoa(i)
		if j < 0 {
			v.Add(name+".outcome", "validation.required")
			continue
		}
		o := d.Outcomes[j]
		if !slices.Contains(Outcomes, o.Outcome) {
			v.Add(name+".outcome", "validation.choice")
			continue
		}
		if o.Outcome != catalog.Decided {
			continue
		}
		switch {
		case o.Order < 1:
			v.Add(name+".order", "validation.required")
		case orders[o.Order]:
			v.Add(name+".order", "priority.decision.order_taken", "order", itoa(o.Order))
		}
		orders[o.Order] = true
		if o.PlannedStart.IsZero() {
			v.Add(name+".planned_start", "validation.required")
		}
		if !o.PlannedEnd.IsZero() && o.PlannedEnd.Before(o.PlannedStart) {
			v.Add(name+".planned_end", "priority.proposal.end_before_start")
		}
	}
	for _, o := range d.Outcomes {
		if !slices.ContainsFunc(candidates, func(c Candidate) bool { return c.ID == o.CandidateID }) {
			v.Add("outcomes", "priority.decision.unknown_candidate", "id", itoa64(o.CandidateID))
		}
	}
	return v.Err()
}
