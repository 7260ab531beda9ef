// Package implement is the implementation workspace (införande) of a
// knowledge support decided for introduction: the working group, the gap
// analysis per recommendation on a template shared by the sjukvårdsregion,
// questionnaires to many units, the action plan with its timeline, revisions
// and comment rounds, the communication plan, the readiness checklist that
// gates "introduced", the compiled report and the exchange of analyses
// between regions. The map of the package is docs/implement.md.
package implement

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// Permissions. Who edits a given implementation is decided by the service:
// the coordinator, or a member of its working group (an improvement lead of
// the support, a member or the sponsoring manager). Ledning and revisor read
// everything; enhet and kommun users read their own unit's or municipality's
// parts (questionnaires, comment rounds).
var (
	// Read admits the pages of the workspaces; the service narrows what a
	// user without Oversee sees.
	Read = access.SignedIn
	// Oversee reads every workspace and the overview.
	Oversee = access.Permission{Name: "implement.oversee", Roles: []access.Role{
		access.Coordinator, access.ImprovementLead, access.Leadership, access.Auditor}}
	// Coordinate starts workspaces, edits the region's templates and the
	// checklist model, and waives checklist items.
	Coordinate = access.Permission{Name: "implement.coordinate", Roles: []access.Role{access.Coordinator}}
)

// Implementation is the workspace of one support being introduced.
type Implementation struct {
	ID             int64      `json:"id"`
	SupportID      int64      `json:"support_id"`
	TemplateID     int64      `json:"template_id" doc:"The template version new gap analyses are made with"`
	SponsorID      int64      `json:"sponsor_id,omitempty" doc:"The sponsoring manager (a person in the registry)"`
	MemberIDs      []int64    `json:"member_ids" doc:"Working-group members besides the improvement leads and the sponsor"`
	Municipalities []string   `json:"municipalities" doc:"Codes of the municipalities the introduction concerns"`
	StartedOn      date.Date  `json:"started_on"`
	PlannedEnd     date.Date  `json:"planned_end,omitzero"`
	IntroducedOn   date.Date  `json:"introduced_on,omitzero"`
	Summary        string     `json:"summary" doc:"The report's summary paragraph, as accepted by a person"`
	SummaryBy      string     `json:"summary_by,omitempty" doc:"Who wrote or accepted the summary"`
	SummaryMachine bool       `json:"summary_machine" doc:"The accepted summary began as a machine draft"`
	SummaryDraft   string     `json:"summary_draft,omitempty" doc:"A machine-drafted summary waiting for a person to accept it"`
	SummaryDraftAt *time.Time `json:"summary_draft_at,omitempty"`
	PlanRevision   int        `json:"plan_revision" doc:"The number of the action plan's latest revision; 0 before the first"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	Version        int64      `json:"version"`
}

// GapSize is the judged size of the gap between today's practice and a
// recommendation.
type GapSize string

// The gap sizes; "" is not yet judged.
const (
	GapNone     GapSize = "none"
	GapSmall    GapSize = "small"
	GapModerate GapSize = "moderate"
	GapLarge    GapSize = "large"
)

// GapSizes lists the sizes, smallest first.
var GapSizes = []GapSize{GapNone, GapSmall, GapModerate, GapLarge}

// Level is how far a template question reaches: the form grows with the gap.
type Level string

// The levels of a question.
const (
	// Basic questions are asked for every recommendation.
	Basic Level = "basic"
	// Extended questions are asked when the gap is moderate or large.
	Extended Level = "extended"
	// Deeper questions are the deeper analysis, asked and required when the
	// gap is large or the introduction may crowd out other care.
	Deeper Level = "deeper"
)

// Levels lists the levels in the order the form shows them.
var Levels = []Level{Basic, Extended, Deeper}

// Question is one question of a gap-analysis template.
type Question struct {
	Key      string `json:"key" doc:"Stable key, e.g. current_practice; answers are stored by key"`
	Level    Level  `json:"level" enum:"basic,extended,deeper"`
	Label    string `json:"label"`
	Help     string `json:"help,omitempty"`
	Required bool   `json:"required" doc:"Must be answered when the question is asked"`
}

// Template is one version of a sjukvårdsregion's gap-analysis model.
type Template struct {
	ID               int64      `json:"id"`
	HealthcareRegion string     `json:"healthcare_region" doc:"Code of the sjukvårdsregion that shares the model"`
	Number           int        `json:"number" doc:"Version number within the sjukvårdsregion, from 1"`
	Title            string     `json:"title"`
	Questions        []Question `json:"questions"`
	PublishedOn      date.Date  `json:"published_on,omitzero" doc:"Set when published; a published version never changes"`
	PublishedBy      string     `json:"published_by,omitempty"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
	Version          int64      `json:"version"`
}

// Published reports whether the version is published (and so fixed).
func (t Template) Published() bool { return !t.PublishedOn.IsZero() }

// Asked returns the questions asked for a gap of size g, with or without a
// sign of crowding-out: basic always; extended for moderate and large gaps;
// deeper for large gaps and whenever crowding-out is marked.
func (t Template) Asked(g GapSize, crowdingOut bool) []Question {
	var qs []Question
	for _, q := range t.Questions {
		if Asks(q.Level, g, crowdingOut) {
			qs = append(qs, q)
		}
	}
	return qs
}

// Asks reports whether a question of level l is asked for gap g.
func Asks(l Level, g GapSize, crowdingOut bool) bool {
	switch l {
	case Basic:
		return true
	case Extended:
		return g == GapModerate || g == GapLarge || crowdingOut
	case Deeper:
		return g == GapLarge || crowdingOut
	}
	return false
}

// NeedsDeeper reports whether a gap needs the deeper analysis.
func NeedsDeeper(g GapSize, crowdingOut bool) bool { return g == GapLarge || crowdingOut }

// Fingerprint identifies the template's questions (keys and levels, in
// order): two templates with the same fingerprint ask the same questions,
// whatever their wording, so their analyses can be compared.
func (t Template) Fingerprint() string {
	var b strings.Builder
	for i, q := range t.Questions {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(q.Key)
		b.WriteByte(':')
		b.WriteString(string(q.Level))
	}
	return b.String()
}

// Normalize trims the template's texts.
func (t *Template) Normalize() {
	t.Title = strings.TrimSpace(t.Title)
	for i := range t.Questions {
		q := &t.Questions[i]
		q.Key = strings.TrimSpace(q.Key)
		q.Label = strings.TrimSpace(q.Label)
		q.Help = strings.TrimSpace(q.Help)
	}
}

// Validate checks the template: a title, 1–60 questions with unique keys of
// lower-case letters, digits and _, a level and a label each, at least one
// basic question.
func (t Template) Validate() error {
	var v errs.ValidationError
	v.Text("title", t.Title, true, 200)
	if t.HealthcareRegion == "" {
		v.Add("healthcare_region", "validation.required")
	}
	if len(t.Questions) == 0 || len(t.Questions) > 60 {
		v.Add("questions", "implement.template.questions_count", "max", 60)
	}
	seen := map[string]bool{}
	basic := false
	for i, q := range t.Questions {
		f := "questions." + strconv.Itoa(i)
		if !validKey(q.Key) {
			v.Add(f+".key", "implement.template.key_format")
		} else if seen[q.Key] {
			v.Add(f+".key", "implement.template.key_duplicate", "key", q.Key)
		}
		seen[q.Key] = true
		if !slices.Contains(Levels, q.Level) {
			v.Add(f+".level", "validation.choice")
		}
		basic = basic || q.Level == Basic
		v.Text(f+".label", q.Label, true, 300)
		v.Text(f+".help", q.Help, false, 1000)
	}
	if len(t.Questions) > 0 && !basic {
		v.Add("questions", "implement.template.basic_required")
	}
	return v.Err()
}

func validKey(k string) bool {
	if k == "" || len(k) > 50 || k[0] < 'a' || k[0] > 'z' {
		return false
	}
	for _, c := range k {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// Gap is the gap analysis of one recommendation.
type Gap struct {
	ID               int64             `json:"id"`
	ImplementationID int64             `json:"implementation_id"`
	RecommendationID int64             `json:"recommendation_id"`
	TemplateID       int64             `json:"template_id" doc:"The template version the analysis was made with"`
	Size             GapSize           `json:"gap,omitempty" enum:"none,small,moderate,large" doc:"Empty while not judged"`
	CrowdingOut      bool              `json:"crowding_out" doc:"Introducing it may crowd out other care: the deeper analysis is required"`
	Answers          map[string]string `json:"answers" doc:"Answers by question key"`
	UnitIDs          []int64           `json:"unit_ids" doc:"The affected units"`
	UpdatedBy        string            `json:"updated_by,omitempty"`
	CreatedAt        time.Time         `json:"created_at"`
	UpdatedAt        time.Time         `json:"updated_at"`
	Version          int64             `json:"version"`
}

// Judged reports whether the gap's size has been judged.
func (g Gap) Judged() bool { return g.Size != "" }

// Normalize trims the answers and drops empty ones.
func (g *Gap) Normalize() {
	for k, a := range g.Answers {
		a = strings.TrimSpace(a)
		if a == "" {
			delete(g.Answers, k)
			continue
		}
		g.Answers[k] = a
	}
}

// Validate checks the analysis against its template: a known size (or none
// yet), answers only to questions of the template, required questions asked
// at this size answered, every answer at most 4000 characters. A gap not yet
// judged may be saved with whatever is answered so far, unless it is marked
// as crowding out other care, which always needs the deeper analysis.
func (g Gap) Validate(t Template) error {
	var v errs.ValidationError
	if g.Size != "" && !slices.Contains(GapSizes, g.Size) {
		v.Add("gap", "validation.choice")
	}
	known := map[string]bool{}
	for _, q := range t.Questions {
		known[q.Key] = true
		a := g.Answers[q.Key]
		f := "answers." + q.Key
		v.Text(f, a, false, 4000)
		if (g.Size != "" || g.CrowdingOut) && q.Required && a == "" && Asks(q.Level, g.Size, g.CrowdingOut) {
			if q.Level == Deeper {
				v.Add(f, "implement.gap.deeper_required")
			} else {
				v.Add(f, "validation.required")
			}
		}
	}
	for k := range g.Answers {
		if !known[k] {
			v.Add("answers", "implement.gap.unknown_question", "key", k)
		}
	}
	return v.Err()
}

// ActionStatus is where an action stands.
type ActionStatus string

// The statuses of an action.
const (
	ActionPlanned   ActionStatus = "planned"
	ActionStarted   ActionStatus = "started"
	ActionDone      ActionStatus = "done"
	ActionCancelled ActionStatus = "cancelled"
)

// ActionStatuses lists the statuses in order.
var ActionStatuses = []ActionStatus{ActionPlanned, ActionStarted, ActionDone, ActionCancelled}

// Action is one step of the action plan; a milestone is a dated point
// (start and due the same day).
type Action struct {
	ID               int64        `json:"id"`
	ImplementationID int64        `json:"implementation_id"`
	Title            string       `json:"title"`
	Description      string       `json:"description,omitempty"`
	ResponsibleID    int64        `json:"responsible_id,omitempty" doc:"The responsible person"`
	Start            date.Date    `json:"start"`
	Due              date.Date    `json:"due"`
	Status           ActionStatus `json:"status" enum:"planned,started,done,cancelled"`
	EffortHours      int          `json:"effort_hours" minimum:"0" doc:"Estimated effort in hours"`
	Milestone        bool         `json:"milestone"`
	DoneOn           date.Date    `json:"done_on,omitzero"`
	Position         int          `json:"position"`
	GapIDs           []int64      `json:"gap_ids" doc:"The gaps (of this support) the action closes"`
	CreatedAt        time.Time    `json:"created_at"`
	UpdatedAt        time.Time    `json:"updated_at"`
	Version          int64        `json:"version"`
}

// Overdue reports whether the action is not done (nor cancelled) after its
// due date.
func (a Action) Overdue(today date.Date) bool {
	return (a.Status == ActionPlanned || a.Status == ActionStarted) && a.Due.Before(today)
}

// Normalize trims the texts; a milestone is one day.
func (a *Action) Normalize() {
	a.Title = strings.TrimSpace(a.Title)
	a.Description = strings.TrimSpace(a.Description)
	if a.Milestone && !a.Due.IsZero() {
		a.Start = a.Due
	}
}

// Validate checks the action on its own; that its gaps belong to the same
// support is checked by the service.
func (a Action) Validate() error {
	var v errs.ValidationError
	v.Text("title", a.Title, true, 300)
	v.Text("description", a.Description, false, 4000)
	if a.Start.IsZero() {
		v.Add("start", "validation.required")
	}
	if a.Due.IsZero() {
		v.Add("due", "validation.required")
	}
	if !a.Start.IsZero() && !a.Due.IsZero() && a.Due.Before(a.Start) {
		v.Add("due", "implement.action.due_before_start")
	}
	if !slices.Contains(ActionStatuses, a.Status) {
		v.Add("status", "validation.choice")
	}
	if a.EffortHours < 0 || a.EffortHours > 100000 {
		v.Add("effort_hours", "validation.range", "min", 0, "max", 100000)
	}
	if a.Status == ActionDone && a.DoneOn.IsZero() {
		v.Add("done_on", "implement.action.done_on_required")
	}
	if a.Status != ActionDone && !a.DoneOn.IsZero() {
		v.Add("done_on", "implement.action.done_on_only_done")
	}
	return v.Err()
}

// Progress is how far an action plan has come: by count and by effort.
type Progress struct {
	Actions    int `json:"actions" doc:"Actions not cancelled"`
	Done       int `json:"done"`
	Overdue    int `json:"overdue"`
	Effort     int `json:"effort_hours"`
	EffortDone int `json:"effort_hours_done"`
	// Percent is done effort over all effort, or done actions over all
	// actions when no effort is estimated; 0 for an empty plan.
	Percent int `json:"percent"`
}

// PlanProgress sums up actions on day today.
func PlanProgress(actions []Action, today date.Date) Progress {
	var p Progress
	for _, a := range actions {
		if a.Status == ActionCancelled {
			continue
		}
		p.Actions++
		p.Effort += a.EffortHours
		if a.Status == ActionDone {
			p.Done++
			p.EffortDone += a.EffortHours
		}
		if a.Overdue(today) {
			p.Overdue++
		}
	}
	switch {
	case p.Effort > 0:
		p.Percent = p.EffortDone * 100 / p.Effort
	case p.Actions > 0:
		p.Percent = p.Done * 100 / p.Actions
	}
	return p
}

// Channel is how a message of the communication plan reaches its target group.
type Channel string

// The channels.
const (
	ChannelMeeting    Channel = "meeting"
	ChannelWorkplace  Channel = "workplace_meeting"
	ChannelIntranet   Channel = "intranet"
	ChannelEmail      Channel = "email"
	ChannelNewsletter Channel = "newsletter"
	ChannelTraining   Channel = "training"
	ChannelLetter     Channel = "letter"
	ChannelOther      Channel = "other"
)

// Channels lists the channels.
var Channels = []Channel{ChannelMeeting, ChannelWorkplace, ChannelIntranet, ChannelEmail, ChannelNewsletter, ChannelTraining, ChannelLetter, ChannelOther}

// Communication is one row of the communication plan.
type Communication struct {
	ID               int64     `json:"id"`
	ImplementationID int64     `json:"implementation_id"`
	TargetGroup      string    `json:"target_group"`
	Message          string    `json:"message"`
	Channel          Channel   `json:"channel" enum:"meeting,workplace_meeting,intranet,email,newsletter,training,letter,other"`
	PlannedOn        date.Date `json:"planned_on"`
	ResponsibleID    int64     `json:"responsible_id,omitempty"`
	DoneOn           date.Date `json:"done_on,omitzero" doc:"Set when done"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
	Version          int64     `json:"version"`
}

// Done reports whether the communication has been carried out.
func (c Communication) Done() bool { return !c.DoneOn.IsZero() }

// Normalize trims the texts.
func (c *Communication) Normalize() {
	c.TargetGroup = strings.TrimSpace(c.TargetGroup)
	c.Message = strings.TrimSpace(c.Message)
}

// Validate checks the row.
func (c Communication) Validate() error {
	var v errs.ValidationError
	v.Text("target_group", c.TargetGroup, true, 300)
	v.Text("message", c.Message, true, 4000)
	if !slices.Contains(Channels, c.Channel) {
		v.Add("channel", "validation.choice")
	}
	if c.PlannedOn.IsZero() {
		v.Add("planned_on", "validation.required")
	}
	return v.Err()
}

// ItemState is where a checklist item stands.
type ItemState string

// The states of a checklist item.
const (
	ItemOpen   ItemState = "open"
	ItemDone   ItemState = "done"
	ItemWaived ItemState = "waived" // by the coordinator, with a reason
)

// The keys of the checklist items of the region's model. Items added by a
// working group have no key.
const (
	ItemDecisionBasis = "decision_basis"
	ItemAnchoring     = "anchoring"
	ItemRoutines      = "routines"
	ItemCommunication = "communication_plan"
	ItemTraining      = "training"
	ItemIndicators    = "indicators"
	ItemRecordsIT     = "records_it"
	ItemMunicipal     = "municipal_agreement"
)

// DefaultChecklist is the region's model before the coordinator changes it:
// key, required, and whether it applies only when the support concerns the
// municipalities. Labels come from the catalogue (implement.checklist.<key>).
var DefaultChecklist = []ModelItem{
	{Key: ItemDecisionBasis, Required: true},
	{Key: ItemAnchoring, Required: true},
	{Key: ItemRoutines, Required: true},
	{Key: ItemCommunication, Required: true},
	{Key: ItemTraining, Required: true},
	{Key: ItemIndicators, Required: true},
	{Key: ItemRecordsIT, Required: false},
	{Key: ItemMunicipal, Required: true, MunicipalOnly: true},
}

// ModelItem is an item of the region's checklist model.
type ModelItem struct {
	ID            int64     `json:"id"`
	Key           string    `json:"key"`
	Label         string    `json:"label"`
	Required      bool      `json:"required"`
	MunicipalOnly bool      `json:"municipal_only" doc:"Only for supports that concern the municipalities"`
	Position      int       `json:"position"`
	UpdatedAt     time.Time `json:"updated_at"`
	Version       int64     `json:"version"`
}

// ChecklistItem is one item of an implementation's readiness checklist.
type ChecklistItem struct {
	ID               int64     `json:"id"`
	ImplementationID int64     `json:"implementation_id"`
	Key              string    `json:"key,omitempty" doc:"The model item's key; empty for items the working group added"`
	Label            string    `json:"label"`
	Required         bool      `json:"required"`
	State            ItemState `json:"state" enum:"open,done,waived"`
	Note             string    `json:"note,omitempty"`
	CaseID           int64     `json:"case_id,omitempty" doc:"The forum case that documents it (anchoring)"`
	WaiveReason      string    `json:"waive_reason,omitempty"`
	DecidedBy        string    `json:"decided_by,omitempty" doc:"Who marked it done or waived it"`
	DecidedOn        date.Date `json:"decided_on,omitzero"`
	Position         int       `json:"position"`
	UpdatedAt        time.Time `json:"updated_at"`
	Version          int64     `json:"version"`
}

// Settled reports whether the item no longer holds up the introduction.
func (c ChecklistItem) Settled() bool { return c.State == ItemDone || c.State == ItemWaived }

// Ready reports whether every required item is done or waived, and lists
// the required items still open.
func Ready(items []ChecklistItem) (bool, []ChecklistItem) {
	var open []ChecklistItem
	for _, it := range items {
		if it.Required && !it.Settled() {
			open = append(open, it)
		}
	}
	return len(open) == 0, open
}

// GapProfile counts an implementation's gap analyses by size.
type GapProfile struct {
	None        int `json:"none"`
	Small       int `json:"small"`
	Moderate    int `json:"moderate"`
	Large       int `json:"large"`
	NotJudged   int `json:"not_judged"`
	CrowdingOut int `json:"crowding_out"`
}

// Profile counts gaps over recs recommendations (those without an analysis
// are not judged).
func Profile(gaps []Gap, recs int) GapProfile {
	var p GapProfile
	for _, g := range gaps {
		switch g.Size {
		case GapNone:
			p.None++
		case GapSmall:
			p.Small++
		case GapModerate:
			p.Moderate++
		case GapLarge:
			p.Large++
		}
		if g.CrowdingOut {
			p.CrowdingOut++
		}
	}
	p.NotJudged = max(recs-p.None-p.Small-p.Moderate-p.Large, 0)
	return p
}
