package forum

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// EventKind is what happened in an entry of a case's trail.
type EventKind string

// The kinds of trail entry.
const (
	EventStep     EventKind = "step"     // a workflow step, anchoring with its outcome
	EventDecision EventKind = "decision" // a decision or a correction
	EventFollowUp EventKind = "follow_up"
	EventDocument EventKind = "document"
	EventLink     EventKind = "link"
	EventSent     EventKind = "sent"   // the case sent to municipalities
	EventAnswer   EventKind = "answer" // a municipality answered
)

// Event is one entry of a case's trail; exactly one of its records is set,
// as Kind says.
type Event struct {
	Kind     EventKind          `json:"kind" enum:"step,decision,follow_up,document,link,sent,answer"`
	Date     date.Date          `json:"date"`
	Step     *Step              `json:"step,omitempty"`
	Meeting  *MeetingRef        `json:"meeting,omitempty" doc:"The meeting of a step or decision, if any"`
	Decision *Decision          `json:"decision,omitempty"`
	FollowUp *FollowUpRecord    `json:"follow_up,omitempty"`
	Document *Document          `json:"document,omitempty"`
	Link     *Link              `json:"link,omitempty"`
	Requests []MunicipalRequest `json:"requests,omitempty" doc:"For sent: the municipalities the case was sent to that day; for answer: the answer"`
	order    int
}

// Trail is a case with everything that happened to it, in date order.
type Trail struct {
	Case      Case               `json:"case"`
	Events    []Event            `json:"events"`
	Steps     []Step             `json:"-"`
	Decisions []Decision         `json:"-"`
	Documents []Document         `json:"-"`
	Links     []Link             `json:"-"`
	Requests  []MunicipalRequest `json:"-"`
}

// Trail returns a case's full trail: its steps (anchoring with forum,
// meeting and outcome), decisions and corrections, follow-ups, documents,
// links, and the sendings to municipalities and their answers, in date
// order; on one day in the order of the workflow (see trailEvents).
func (s *Service) Trail(ctx context.Context, caseID int64) (Trail, error) {
	var t Trail
	var err error
	q := s.db
	if t.Case, err = findCase(ctx, q, caseID); err != nil {
		return Trail{}, err
	}
	if t.Steps, err = listSteps(ctx, q, caseID); err != nil {
		return Trail{}, err
	}
	if t.Decisions, _, err = listDecisions(ctx, q, DecisionFilter{CaseID: caseID}, false); err != nil {
		return Trail{}, err
	}
	followUps, err := listCaseFollowUps(ctx, q, caseID)
	if err != nil {
		return Trail{}, err
	}
	if t.Documents, err = listDocuments(ctx, q, DocumentFilter{CaseID: caseID}); err != nil {
		return Trail{}, err
	}
	if t.Links, err = listLinks(ctx, q, caseID); err != nil {
		return Trail{}, err
	}
	if t.Requests, err = listCaseRequests(ctx, q, caseID); err != nil {
		return Trail{}, err
	}
	meetings, err := trailMeetings(ctx, q, t.Steps, t.Decisions)
	if err != nil {
		return Trail{}, err
	}
	t.Events = trailEvents(t, followUps, meetings)
	return t, nil
}

func trailMeetings(ctx context.Context, q db.Querier, steps []Step, decisions []Decision) (map[int64]MeetingRef, error) {
	var ids []int64
	for _, st := range steps {
		if st.MeetingID != 0 {
			ids = append(ids, st.MeetingID)
		}
	}
	for _, d := range decisions {
		if d.MeetingID != 0 {
			ids = append(ids, d.MeetingID)
		}
	}
	slices.Sort(ids)
	return meetingRefsByID(ctx, q, slices.Compact(ids))
}

// trailEvents puts the records of a trail in date order. On one day steps
// come first, then decisions and what follows them (so a decision step and
// its decision stand together), follow-ups, documents, links, sendings and
// answers; a closing step comes last.
func trailEvents(t Trail, followUps []FollowUpRecord, meetings map[int64]MeetingRef) []Event {
	var out []Event
	meeting := func(id int64) *MeetingRef {
		if m, ok := meetings[id]; ok {
			return &m
		}
		return nil
	}
	for i := range t.Steps {
		st := &t.Steps[i]
		order := 0
		if st.Kind == Closed {
			order = 7 // closing is the last thing that happens on its day
		}
		out = append(out, Event{Kind: EventStep, Date: st.Date, Step: st, Meeting: meeting(st.MeetingID), order: order})
	}
	for i := range t.Decisions {
		d := &t.Decisions[i]
		out = append(out, Event{Kind: EventDecision, Date: d.DecidedOn, Decision: d, Meeting: meeting(d.MeetingID), order: 1})
	}
	for i := range followUps {
		f := &followUps[i]
		out = append(out, Event{Kind: EventFollowUp, Date: f.DoneOn, FollowUp: f, order: 2})
	}
	for i := range t.Documents {
		d := &t.Documents[i]
		out = append(out, Event{Kind: EventDocument, Date: dayOf(d.CreatedAt), Document: d, order: 3})
	}
	for i := range t.Links {
		l := &t.Links[i]
		out = append(out, Event{Kind: EventLink, Date: dayOf(l.CreatedAt), Link: l, order: 4})
	}
	sent := map[date.Date]int{}
	for _, r := range t.Requests {
		if i, ok := sent[r.SentOn]; ok {
			out[i].Requests = append(out[i].Requests, r)
		} else {
			sent[r.SentOn] = len(out)
			out = append(out, Event{Kind: EventSent, Date: r.SentOn, Requests: []MunicipalRequest{r}, order: 5})
		}
	}
	for _, r := range t.Requests {
		if r.Answer != Pending && !r.AnsweredOn.IsZero() {
			out = append(out, Event{Kind: EventAnswer, Date: r.AnsweredOn, Requests: []MunicipalRequest{r}, order: 6})
		}
	}
	slices.SortStableFunc(out, func(a, b Event) int {
		if c := a.Date.Time().Compare(b.Date.Time()); c != 0 {
			return c
		}
		return cmp.Compare(a.order, b.order)
	})
	return out
}

// dayOf is the Swedish date of an instant.
func dayOf(t time.Time) date.Date { return date.Of(t, i18n.Stockholm()) }
