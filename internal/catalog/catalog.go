package catalog

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// Permissions of the catalog: everyone signed in reads; the coordinator (and
// admin) edits and moves supports through their lifecycle.
var (
	Read  = access.SignedIn
	Write = access.Permission{Name: "catalog.write", Roles: []access.Role{access.Coordinator}}
)

// Kind is what sort of knowledge support a support is.
type Kind string

// The kinds of knowledge support.
const (
	CarePathway            Kind = "care_pathway"                // personcentrerat och sammanhållet vårdförlopp
	NationalGuideline      Kind = "national_guideline"          // Socialstyrelsens nationella riktlinjer
	CareProgramme          Kind = "care_programme"              // vårdprogram, e.g. RCC
	ClinicalDocument       Kind = "clinical_knowledge_document" // nationellt kliniskt kunskapsstöd
	DrugRecommendationList Kind = "drug_recommendation_list"    // rekommendationslista för läkemedel
	LocalRoutine           Kind = "local_routine"               // lokal rutin
)

// Kinds lists every kind.
var Kinds = []Kind{CarePathway, NationalGuideline, CareProgramme, ClinicalDocument, DrugRecommendationList, LocalRoutine}

// Phase is where a national guideline stands: first a draft out for
// consultation, then final. Other kinds have no phase.
type Phase string

// The phases of a national guideline.
const (
	Draft Phase = "draft"
	Final Phase = "final"
)

// Status is where a support stands in the region's lifecycle.
type Status string

// The statuses, in the order of the lifecycle, then the two closing ones.
const (
	Watched         Status = "watched"          // bevakas
	Inventoried     Status = "inventoried"      // inventerad, a candidate for this year's round
	Prioritised     Status = "prioritised"      // prioriterad by the program areas
	Decided         Status = "decided"          // beslutad för införande by HSL
	BeingIntroduced Status = "being_introduced" // under införande
	Introduced      Status = "introduced"       // infört
	FollowedUp      Status = "followed_up"      // uppföljt
	NotRelevant     Status = "not_relevant"     // ej aktuellt
	PhasedOut       Status = "phased_out"       // utfasat
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{Watched, Inventoried, Prioritised, Decided, BeingIntroduced, Introduced, FollowedUp, NotRelevant, PhasedOut}

// transitions is the lifecycle: the statuses each status may move to. A
// support moves forward one step at a time; it can be judged not relevant
// until HSL has decided on it (and be watched again later); a prioritised
// support that HSL does not choose goes back to being watched; anything being
// introduced or introduced can be phased out.
var transitions = map[Status][]Status{
	Watched:         {Inventoried, NotRelevant},
	Inventoried:     {Prioritised, NotRelevant},
	Prioritised:     {Decided, Watched, NotRelevant},
	Decided:         {BeingIntroduced},
	BeingIntroduced: {Introduced, PhasedOut},
	Introduced:      {FollowedUp, PhasedOut},
	FollowedUp:      {PhasedOut},
	NotRelevant:     {Watched},
	PhasedOut:       {},
}

// Next lists the statuses s may move to.
func (s Status) Next() []Status { return slices.Clone(transitions[s]) }

// CanMoveTo reports whether the lifecycle allows a move from s to t.
func (s Status) CanMoveTo(t Status) bool { return slices.Contains(transitions[s], t) }

// Closed reports whether s ends the support's life in the region: it is not
// relevant or phased out, and needs no improvement lead.
func (s Status) Closed() bool { return s == NotRelevant || s == PhasedOut }

// InWork reports whether the region works on the support: decided for
// introduction, being introduced, introduced or followed up. Only then does
// it need responsible improvement leads.
func (s Status) InWork() bool {
	return s == Decided || s == BeingIntroduced || s == Introduced || s == FollowedUp
}

// Support is a knowledge support in the catalog.
type Support struct {
	ID                     int64     `json:"id"`
	Kind                   Kind      `json:"kind" enum:"care_pathway,national_guideline,care_programme,clinical_knowledge_document,drug_recommendation_list,local_routine"`
	Phase                  Phase     `json:"phase,omitempty" enum:"draft,final" doc:"Only for national guidelines: draft (out for consultation) or final"`
	Code                   string    `json:"code,omitempty" doc:"Optional unique code, e.g. the national slug of a care pathway"`
	Title                  string    `json:"title"`
	NationalOwnerID        int64     `json:"national_owner_id,omitempty" doc:"The NPO that owns the support nationally (an org group of kind npo)"`
	LocalOwnerID           int64     `json:"local_owner_id,omitempty" doc:"The LPO that owns the support locally (an org group of kind lpo)"`
	Publisher              string    `json:"publisher,omitempty"`
	Edition                string    `json:"edition,omitempty" doc:"The support's own version as its publisher names it, e.g. 2.1"`
	PublishedOn            date.Date `json:"published_on,omitzero" doc:"Publication date; reference care pathways carry 1 January of their publication year"`
	Link                   string    `json:"link,omitempty" doc:"https address of the published support"`
	ConcernsMunicipalities bool      `json:"concerns_municipalities"`
	Status                 Status    `json:"status" enum:"watched,inventoried,prioritised,decided,being_introduced,introduced,followed_up,not_relevant,phased_out"`
	Reference              bool      `json:"reference" doc:"Loaded from the national reference list on install"`
	UnitIDs                []int64   `json:"unit_ids" doc:"The affected units"`
	LeadIDs                []int64   `json:"lead_ids" doc:"The responsible improvement leads (people)"`
	CreatedAt              time.Time `json:"created_at"`
	UpdatedAt              time.Time `json:"updated_at"`
	Version                int64     `json:"version"`
}

// PersonDependent reports whether the support rests on one person or none:
// it has fewer than two responsible improvement leads.
func (s Support) PersonDependent() bool { return len(s.LeadIDs) < 2 }

// Normalize trims the support's text fields.
func (s *Support) Normalize() {
	s.Code = strings.TrimSpace(s.Code)
	s.Title = strings.TrimSpace(s.Title)
	s.Publisher = strings.TrimSpace(s.Publisher)
	s.Edition = strings.TrimSpace(s.Edition)
	s.Link = strings.TrimSpace(s.Link)
}

// Validate checks the support on its own; that its owners are an NPO and an
// LPO is checked by the service.
func (s Support) Validate() error {
	var v errs.ValidationError
	if !slices.Contains(Kinds, s.Kind) {
		v.Add("kind", "validation.choice")
	}
	switch {
	case s.Kind == NationalGuideline && s.Phase != Draft && s.Phase != Final:
		v.Add("phase", "catalog.support.phase_required")
	case s.Kind != NationalGuideline && s.Phase != "":
		v.Add("phase", "catalog.support.phase_guideline_only")
	}
	v.Text("title", s.Title, true, 300)
	v.Text("code", s.Code, false, 100)
	v.Text("publisher", s.Publisher, false, 200)
	v.Text("edition", s.Edition, false, 50)
	if s.Link != "" && !validLink(s.Link) {
		v.Add("link", "catalog.support.link_https")
	}
	v.Text("link", s.Link, false, 2000)
	if !slices.Contains(Statuses, s.Status) {
		v.Add("status", "validation.choice")
	}
	return v.Err()
}

// validLink reports whether s is an absolute https address with a host.
func validLink(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil
}

// Recommendation is one recommendation of a support. Priority (1 highest, 10
// lowest), "do not do" and research-only are Socialstyrelsen's markings and
// belong to national guidelines only.
type Recommendation struct {
	ID           int64     `json:"id"`
	SupportID    int64     `json:"support_id"`
	Code         string    `json:"code,omitempty" doc:"The recommendation's code in its support, e.g. A12"`
	Text         string    `json:"text"`
	Priority     int       `json:"priority,omitempty" minimum:"0" maximum:"10" doc:"1–10 for national guidelines; 0 is none"`
	DoNotDo      bool      `json:"do_not_do" doc:"Icke-göra: the guideline advises against it"`
	ResearchOnly bool      `json:"research_only" doc:"FoU: only within research and development"`
	Position     int       `json:"position" doc:"Order within the support; 0 on create appends"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	Version      int64     `json:"version"`
}

// Normalize trims the recommendation's text fields.
func (r *Recommendation) Normalize() {
	r.Code = strings.TrimSpace(r.Code)
	r.Text = strings.TrimSpace(r.Text)
}

// Validate checks the recommendation for a support of the given kind.
func (r Recommendation) Validate(kind Kind) error {
	var v errs.ValidationError
	if r.SupportID == 0 {
		v.Add("support_id", "validation.required")
	}
	v.Text("code", r.Code, false, 50)
	v.Text("text", r.Text, true, 4000)
	if r.Priority < 0 || r.Priority > 10 {
		v.Add("priority", "validation.range", "min", 1, "max", 10)
	}
	if kind != NationalGuideline {
		if r.Priority != 0 {
			v.Add("priority", "catalog.recommendation.guideline_only")
		}
		if r.DoNotDo {
			v.Add("do_not_do", "catalog.recommendation.guideline_only")
		}
		if r.ResearchOnly {
			v.Add("research_only", "catalog.recommendation.guideline_only")
		}
	}
	if r.Position < 0 {
		v.Add("position", "validation.range", "min", 0, "max", 100000)
	}
	return v.Err()
}

// Transition is one dated, reasoned change of a support's status.
type Transition struct {
	ID        int64     `json:"id"`
	SupportID int64     `json:"support_id"`
	From      Status    `json:"from"`
	To        Status    `json:"to"`
	On        date.Date `json:"on" doc:"The day the change took effect, e.g. the day of HSL's decision"`
	Reason    string    `json:"reason"`
	By        string    `json:"by" doc:"Who recorded the change"`
	CreatedAt time.Time `json:"created_at"`
}

// Filter narrows a listing of supports; zero fields do not filter.
type Filter struct {
	Kind   Kind
	Status Status
	NPO    int64 // national owner group
	LPO    int64 // local owner group
	Query  string
}
