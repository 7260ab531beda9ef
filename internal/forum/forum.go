// Package forum is the paper trail of kunskapsstyrning: the forums that meet
// and decide or advise (with their mandate register), their meetings with
// agenda, attendance and minutes, the cases (ärenden) that pass through them
// with anchoring steps and decisions, and the region–municipality process in
// which each municipality answers a case.
package forum

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// Length limits of free-text fields, in characters.
const (
	maxTitle = 200
	maxShort = 300
	maxText  = 20_000
)

func oneOf[T ~string](v T, all []T) bool { return slices.Contains(all, v) }

// Forum is a group of the organisation registry that meets and decides or
// advises: HSL, the kunskapsstyrningsråd, a primary-care council, an LPO, the
// joint region–municipality forum and its political counterpart.
type Forum struct {
	ID          int64  `json:"id"`
	GroupID     int64  `json:"group_id" doc:"The group of the organisation registry that is this forum"`
	Name        string `json:"name" readOnly:"true" doc:"The group's name"`
	GroupKind   string `json:"group_kind" readOnly:"true" doc:"The group's kind, e.g. leadership (HSL), governance_council, joint_forum"`
	Description string `json:"description"`
	Active      bool   `json:"active"`
	Version     int64  `json:"version"`
}

// Validate checks a forum.
func (f Forum) Validate() error {
	var v errs.ValidationError
	if f.GroupID <= 0 {
		v.Add("group_id", "validation.required")
	}
	v.Text("description", f.Description, false, maxText)
	return v.Err()
}

// IsLeadership reports whether the forum is health-care leadership (HSL),
// where the ledning role records decisions.
func (f Forum) IsLeadership() bool { return f.GroupKind == "leadership" }

// Power is what a forum's mandate allows on a subject.
type Power string

// The powers of a mandate.
const (
	PowerDecide Power = "decide" // beslutar
	PowerAdvise Power = "advise" // bereder eller ger råd
)

// Powers lists the powers in display order.
var Powers = []Power{PowerDecide, PowerAdvise}

// Scope is for whom a mandate holds.
type Scope string

// The scopes of a mandate.
const (
	ScopeRegion         Scope = "region"
	ScopeMunicipalities Scope = "municipalities"
	ScopeBoth           Scope = "both"
)

// Scopes lists the scopes in display order.
var Scopes = []Scope{ScopeRegion, ScopeMunicipalities, ScopeBoth}

// Mandate is one line of a forum's mandate register: on which subject (and
// optionally which kind of case) the forum decides or advises, for whom.
type Mandate struct {
	ID       int64    `json:"id"`
	ForumID  int64    `json:"forum_id"`
	Subject  string   `json:"subject"`
	CaseKind CaseKind `json:"case_kind,omitempty" enum:"prioritisation,introduction,phase_out,consultation_answer,municipal_cooperation,other," doc:"The kind of case the mandate covers, if it is about one kind"`
	Power    Power    `json:"power" enum:"decide,advise"`
	Scope    Scope    `json:"scope" enum:"region,municipalities,both"`
	Notes    string   `json:"notes"`
	Version  int64    `json:"version"`
}

// Validate checks a mandate.
func (m Mandate) Validate() error {
	var v errs.ValidationError
	v.Text("subject", m.Subject, true, maxShort)
	if m.CaseKind != "" && !oneOf(m.CaseKind, CaseKinds) {
		v.Add("case_kind", "validation.choice")
	}
	if !oneOf(m.Power, Powers) {
		v.Add("power", "validation.choice")
	}
	if !oneOf(m.Scope, Scopes) {
		v.Add("scope", "validation.choice")
	}
	v.Text("notes", m.Notes, false, maxText)
	return v.Err()
}

// MeetingStatus is where a meeting stands.
type MeetingStatus string

// The meeting statuses.
const (
	Planned   MeetingStatus = "planned"
	Held      MeetingStatus = "held"
	Cancelled MeetingStatus = "cancelled"
)

// MeetingStatuses lists the statuses in display order.
var MeetingStatuses = []MeetingStatus{Planned, Held, Cancelled}

// Meeting is one meeting of a forum. Once its minutes are approved
// (justerade) the meeting, its agenda, minutes and attendance are locked.
type Meeting struct {
	ID         int64         `json:"id"`
	ForumID    int64         `json:"forum_id"`
	ForumName  string        `json:"forum_name" readOnly:"true"`
	Title      string        `json:"title"`
	StartsAt   time.Time     `json:"starts_at"`
	EndsAt     time.Time     `json:"ends_at"`
	Place      string        `json:"place"`
	Link       string        `json:"link" doc:"Link to a video meeting, https only"`
	Status     MeetingStatus `json:"status" enum:"planned,held,cancelled"`
	Adjusters  string        `json:"adjusters" doc:"Who approves (justerar) the minutes besides the chair"`
	ApprovedAt time.Time     `json:"approved_at,omitzero" readOnly:"true"`
	ApprovedBy string        `json:"approved_by,omitempty" readOnly:"true"`
	Version    int64         `json:"version"`
}

// Locked reports whether the meeting's minutes are approved.
func (m Meeting) Locked() bool { return !m.ApprovedAt.IsZero() }

// Validate checks a meeting.
func (m Meeting) Validate() error {
	var v errs.ValidationError
	if m.ForumID <= 0 {
		v.Add("forum_id", "validation.required")
	}
	v.Text("title", m.Title, false, maxTitle)
	if m.StartsAt.IsZero() {
		v.Add("starts_at", "validation.required")
	}
	if m.EndsAt.IsZero() {
		v.Add("ends_at", "validation.required")
	} else if !m.StartsAt.IsZero() && m.EndsAt.Before(m.StartsAt) {
		v.Add("ends_at", "forum.validation.ends_before_start")
	}
	v.Text("place", m.Place, false, maxShort)
	if m.Link != "" {
		u, err := url.Parse(m.Link)
		if err != nil || u.Scheme != "https" || u.Host == "" || len(m.Link) > 2000 {
			v.Add("link", "forum.validation.link")
		}
	}
	if !oneOf(m.Status, MeetingStatuses) {
		v.Add("status", "validation.choice")
	}
	v.Text("adjusters", m.Adjusters, false, maxShort)
	return v.Err()
}

// AgendaItem is one item (paragraf) of a meeting's agenda, with the minutes
// written for it.
type AgendaItem struct {
	ID          int64  `json:"id"`
	MeetingID   int64  `json:"meeting_id"`
	Position    int    `json:"position" minimum:"1" doc:"Order on the agenda, from 1"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Presenter   string `json:"presenter"`
	CaseID      int64  `json:"case_id,omitempty" doc:"The case the item handles, if any"`
	Minutes     string `json:"minutes" doc:"What the minutes say for this item"`
	Version     int64  `json:"version"`
}

// Validate checks an agenda item.
func (a AgendaItem) Validate() error {
	var v errs.ValidationError
	if a.MeetingID <= 0 {
		v.Add("meeting_id", "validation.required")
	}
	if a.Position < 1 || a.Position > 999 {
		v.Add("position", "validation.range", "min", 1, "max", 999)
	}
	v.Text("title", a.Title, true, maxTitle)
	v.Text("description", a.Description, false, maxText)
	v.Text("presenter", a.Presenter, false, maxShort)
	v.Text("minutes", a.Minutes, false, maxText)
	return v.Err()
}

// Presence is whether a person attended a meeting.
type Presence string

// The presence values.
const (
	Present Presence = "present"
	Absent  Presence = "absent"
	Excused Presence = "excused" // anmält förhinder
)

// Presences lists the presence values in display order.
var Presences = []Presence{Present, Absent, Excused}

// Attendance is one person's attendance at a meeting.
type Attendance struct {
	MeetingID  int64    `json:"meeting_id"`
	PersonID   int64    `json:"person_id"`
	PersonName string   `json:"person_name" readOnly:"true"`
	Status     Presence `json:"status" enum:"present,absent,excused"`
	Note       string   `json:"note"`
}

// CaseKind is what a case is about.
type CaseKind string

// The kinds of case.
const (
	Prioritisation       CaseKind = "prioritisation"
	Introduction         CaseKind = "introduction"
	PhaseOut             CaseKind = "phase_out"
	ConsultationAnswer   CaseKind = "consultation_answer" // remissvar
	MunicipalCooperation CaseKind = "municipal_cooperation"
	OtherCase            CaseKind = "other"
)

// CaseKinds lists the kinds in display order.
var CaseKinds = []CaseKind{Prioritisation, Introduction, PhaseOut, ConsultationAnswer, MunicipalCooperation, OtherCase}

// Status is where a case is in its workflow; it is also the kind of a
// workflow step.
type Status string

// The workflow, in order.
const (
	Registered Status = "registered"
	Prepared   Status = "prepared"
	Anchoring  Status = "anchoring" // förankring
	Decided    Status = "decision"
	FollowUp   Status = "follow_up"
	Closed     Status = "closed"
)

// Statuses lists the workflow in order.
var Statuses = []Status{Registered, Prepared, Anchoring, Decided, FollowUp, Closed}

// Rank is a status's place in the workflow, from 0; -1 for an unknown one.
func (s Status) Rank() int { return slices.Index(Statuses, s) }

// Case is an ärende: a proposal with its paper trail.
type Case struct {
	ID                  int64     `json:"id"`
	Number              string    `json:"number" readOnly:"true" doc:"Case number, year/sequence, e.g. 2026/0012"`
	Title               string    `json:"title"`
	Kind                CaseKind  `json:"kind" enum:"prioritisation,introduction,phase_out,consultation_answer,municipal_cooperation,other"`
	Description         string    `json:"description"`
	ResponsiblePersonID int64     `json:"responsible_person_id,omitempty"`
	ResponsibleName     string    `json:"responsible_name,omitempty" readOnly:"true"`
	Status              Status    `json:"status" readOnly:"true" enum:"registered,prepared,anchoring,decision,follow_up,closed"`
	RegisteredOn        date.Date `json:"registered_on"`
	Version             int64     `json:"version"`
}

// Validate checks a case.
func (c Case) Validate() error {
	var v errs.ValidationError
	v.Text("title", c.Title, true, maxTitle)
	if !oneOf(c.Kind, CaseKinds) {
		v.Add("kind", "validation.choice")
	}
	v.Text("description", c.Description, false, maxText)
	if c.RegisteredOn.IsZero() {
		v.Add("registered_on", "validation.required")
	}
	return v.Err()
}

// Outcome is a forum's position in an anchoring step.
type Outcome string

// The outcomes of anchoring.
const (
	Supports             Outcome = "supports"
	SupportsWithComments Outcome = "supports_with_comments"
	DoesNotSupport       Outcome = "does_not_support"
)

// Outcomes lists the outcomes in display order.
var Outcomes = []Outcome{Supports, SupportsWithComments, DoesNotSupport}

// Step is one dated step of a case's workflow. Anchoring steps name the forum,
// usually the meeting, and the forum's outcome.
type Step struct {
	ID        int64     `json:"id"`
	CaseID    int64     `json:"case_id"`
	Kind      Status    `json:"kind" enum:"registered,prepared,anchoring,decision,follow_up,closed"`
	Date      date.Date `json:"date"`
	ForumID   int64     `json:"forum_id,omitempty"`
	ForumName string    `json:"forum_name,omitempty" readOnly:"true"`
	MeetingID int64     `json:"meeting_id,omitempty"`
	Outcome   Outcome   `json:"outcome,omitempty" enum:"supports,supports_with_comments,does_not_support,"`
	Comment   string    `json:"comment"`
	CreatedBy string    `json:"created_by" readOnly:"true"`
	Version   int64     `json:"version"`
}

// Validate checks a step on its own; the service checks it against the case.
func (s Step) Validate() error {
	var v errs.ValidationError
	if !oneOf(s.Kind, Statuses) {
		v.Add("kind", "validation.choice")
	}
	if s.Date.IsZero() {
		v.Add("date", "validation.required")
	}
	if s.Kind == Anchoring {
		if s.ForumID <= 0 {
			v.Add("forum_id", "forum.validation.anchoring_forum")
		}
		if !oneOf(s.Outcome, Outcomes) {
			v.Add("outcome", "forum.validation.anchoring_outcome")
		}
		if s.Outcome == SupportsWithComments && strings.TrimSpace(s.Comment) == "" {
			v.Add("comment", "forum.validation.comment_required")
		}
	} else if s.Outcome != "" {
		v.Add("outcome", "forum.validation.outcome_only_anchoring")
	}
	v.Text("comment", s.Comment, false, maxText)
	return v.Err()
}

// Link ties any other record of the system (a knowledge support, a group, an
// action plan) to a case.
type Link struct {
	ID        int64     `json:"id"`
	CaseID    int64     `json:"case_id"`
	Entity    string    `json:"entity" doc:"The kind of record, as the audit log names it, e.g. group, person, unit"`
	EntityID  string    `json:"entity_id"`
	Label     string    `json:"label"`
	CreatedAt time.Time `json:"created_at" readOnly:"true"`
}

// entityPaths are the pages of the records a case may link to, by the
// entity name the audit log uses.
var entityPaths = map[string]string{
	"unit":                 "/organisation/enheter/",
	"group":                "/organisation/grupper/",
	"person":               "/organisation/personer/",
	"support":              "/kunskapsstod/",
	"prioritisation_round": "/prioritering/",
	"case":                 "/arenden/",
	"meeting":              "/moten/",
	"decision":             "/beslut/",
}

// Href is the page of the linked record, or "" when its entity has no page
// or its id is not a number.
func (l Link) Href() string {
	p, ok := entityPaths[l.Entity]
	if !ok {
		return ""
	}
	if _, err := strconv.ParseInt(l.EntityID, 10, 64); err != nil {
		return ""
	}
	return p + l.EntityID
}

// Validate checks a link.
func (l Link) Validate() error {
	var v errs.ValidationError
	v.Text("entity", l.Entity, true, 50)
	v.Text("entity_id", l.EntityID, true, 100)
	v.Text("label", l.Label, false, maxShort)
	return v.Err()
}

// Document is an uploaded document of a case or a meeting; its bytes are in
// the file store with their hash.
type Document struct {
	ID          int64     `json:"id"`
	FileID      int64     `json:"file_id"`
	CaseID      int64     `json:"case_id,omitempty"`
	MeetingID   int64     `json:"meeting_id,omitempty"`
	Title       string    `json:"title"`
	Name        string    `json:"name" readOnly:"true" doc:"The uploaded file's name"`
	ContentType string    `json:"content_type" readOnly:"true"`
	Size        int64     `json:"size" readOnly:"true"`
	SHA256      string    `json:"sha256" readOnly:"true"`
	CreatedBy   string    `json:"created_by" readOnly:"true"`
	CreatedAt   time.Time `json:"created_at" readOnly:"true"`
}

// Decision is what a forum decided, on which basis, with a follow-up date. It
// is immutable once the minutes of its meeting are approved; a correction is
// a new decision that references the old one.
type Decision struct {
	ID                  int64     `json:"id"`
	CaseID              int64     `json:"case_id,omitempty"`
	CaseNumber          string    `json:"case_number,omitempty" readOnly:"true"`
	CaseTitle           string    `json:"case_title,omitempty" readOnly:"true"`
	ForumID             int64     `json:"forum_id"`
	ForumName           string    `json:"forum_name" readOnly:"true"`
	MeetingID           int64     `json:"meeting_id,omitempty"`
	AgendaItemID        int64     `json:"agenda_item_id,omitempty"`
	DecidedOn           date.Date `json:"decided_on"`
	Text                string    `json:"text"`
	FollowUpOn          date.Date `json:"follow_up_on,omitzero"`
	ResponsiblePersonID int64     `json:"responsible_person_id,omitempty"`
	ResponsibleName     string    `json:"responsible_name,omitempty" readOnly:"true" doc:"Who follows the decision up: its responsible person, or the case's"`
	CorrectsID          int64     `json:"corrects_id,omitempty" doc:"The decision this one corrects"`
	CorrectedByID       int64     `json:"corrected_by_id,omitempty" readOnly:"true" doc:"The first decision that corrects this one, if any"`
	BasisDocumentIDs    []int64   `json:"basis_document_ids" doc:"The documents the decision was based on"`
	Municipalities      []string  `json:"municipalities" doc:"Codes of the municipalities that take part according to the decision"`
	Locked              bool      `json:"locked" readOnly:"true" doc:"The decision can no longer change: the minutes of its meeting are approved, or it was recorded without a meeting; a correction is the way"`
	FollowedUpOn        date.Date `json:"followed_up_on,omitzero" readOnly:"true"`
	CreatedBy           string    `json:"created_by" readOnly:"true"`
	Version             int64     `json:"version"`
}

// Validate checks a decision on its own.
func (d Decision) Validate() error {
	var v errs.ValidationError
	if d.ForumID <= 0 {
		v.Add("forum_id", "forum.validation.decision_forum")
	}
	if d.DecidedOn.IsZero() {
		v.Add("decided_on", "forum.validation.decision_date")
	}
	v.Text("text", d.Text, true, maxText)
	if !d.FollowUpOn.IsZero() && !d.DecidedOn.IsZero() && d.FollowUpOn.Before(d.DecidedOn) {
		v.Add("follow_up_on", "forum.validation.follow_up_before_decision")
	}
	return v.Err()
}

// FollowUpStatus is where a decision's follow-up stands on a day.
type FollowUpStatus string

// The follow-up statuses.
const (
	NoFollowUp      FollowUpStatus = "none"
	FollowUpPending FollowUpStatus = "pending"
	FollowUpDue     FollowUpStatus = "due"
	FollowUpDone    FollowUpStatus = "done"
)

// FollowUpStatusOn is the decision's follow-up status on day today.
func (d Decision) FollowUpStatusOn(today date.Date) FollowUpStatus {
	switch {
	case !d.FollowedUpOn.IsZero():
		return FollowUpDone
	case d.FollowUpOn.IsZero():
		return NoFollowUp
	case d.FollowUpOn.After(today):
		return FollowUpPending
	}
	return FollowUpDue
}

// FollowUpRecord is the record that a decision was followed up.
type FollowUpRecord struct {
	ID         int64     `json:"id"`
	DecisionID int64     `json:"decision_id"`
	DoneOn     date.Date `json:"done_on"`
	Note       string    `json:"note"`
	CreatedBy  string    `json:"created_by" readOnly:"true"`
}

// Answer is a municipality's answer to a case.
type Answer string

// The answers.
const (
	Pending             Answer = "pending" // inget svar ännu
	Accepts             Answer = "accepts"
	AcceptsWithComments Answer = "accepts_with_comments"
	Declines            Answer = "declines"
)

// Answers lists the answers in display order.
var Answers = []Answer{Pending, Accepts, AcceptsWithComments, Declines}

// MunicipalRequest is a case sent to one municipality, and its answer.
type MunicipalRequest struct {
	ID               int64     `json:"id"`
	CaseID           int64     `json:"case_id"`
	CaseNumber       string    `json:"case_number" readOnly:"true"`
	CaseTitle        string    `json:"case_title" readOnly:"true"`
	Municipality     string    `json:"municipality"`
	MunicipalityName string    `json:"municipality_name" readOnly:"true"`
	SentOn           date.Date `json:"sent_on"`
	Deadline         date.Date `json:"deadline"`
	Question         string    `json:"question"`
	Answer           Answer    `json:"answer" enum:"pending,accepts,accepts_with_comments,declines"`
	Comment          string    `json:"comment"`
	AnsweredOn       date.Date `json:"answered_on,omitzero"`
	AnsweredBy       string    `json:"answered_by,omitempty"`
	Version          int64     `json:"version"`
}

// Overdue reports whether the answer is missing after the deadline.
func (r MunicipalRequest) Overdue(today date.Date) bool {
	return r.Answer == Pending && r.Deadline.Before(today)
}

// ValidateSend checks the sending of a case to municipalities.
func ValidateSend(sentOn, deadline date.Date, question string, municipalities []string) error {
	var v errs.ValidationError
	if len(municipalities) == 0 {
		v.Add("municipalities", "forum.validation.no_municipalities")
	}
	if sentOn.IsZero() {
		v.Add("sent_on", "validation.required")
	}
	if deadline.IsZero() {
		v.Add("deadline", "validation.required")
	} else if !sentOn.IsZero() && deadline.Before(sentOn) {
		v.Add("deadline", "forum.validation.deadline_before_sent")
	}
	v.Text("question", question, false, maxText)
	return v.Err()
}

// ValidateAnswer checks a municipality's answer.
func ValidateAnswer(a Answer, comment string) error {
	var v errs.ValidationError
	if a == Pending || !oneOf(a, Answers) {
		v.Add("answer", "validation.choice")
	}
	if (a == AcceptsWithComments || a == Declines) && strings.TrimSpace(comment) == "" {
		v.Add("comment", "forum.validation.comment_required")
	}
	v.Text("comment", comment, false, maxText)
	return v.Err()
}
