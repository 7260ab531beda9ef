package implement

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/mail"
)

// Limits on the texts of revisions and comment rounds.
const (
	maxRevisionNote   = 2000
	maxRoundMessage   = 4000
	maxCommentBody    = 4000
	maxCommentAnswer  = 4000
	mailKindCommented = "implement.comment_round"
)

// RevisionAction is one action as a plan revision froze it: what the units
// and municipalities read when the plan went out for comments.
type RevisionAction struct {
	Title       string       `json:"title"`
	Responsible string       `json:"responsible,omitempty" doc:"The responsible person's name"`
	Start       date.Date    `json:"start"`
	Due         date.Date    `json:"due"`
	Status      ActionStatus `json:"status" enum:"planned,started,done,cancelled"`
	EffortHours int          `json:"effort_hours"`
	Milestone   bool         `json:"milestone"`
	Gaps        []string     `json:"gaps" doc:"Codes of the recommendations whose gaps the action closes"`
}

// Revision is a numbered snapshot of the action plan.
type Revision struct {
	ID               int64            `json:"id"`
	ImplementationID int64            `json:"implementation_id"`
	Number           int              `json:"number" doc:"From 1 per implementation"`
	Note             string           `json:"note" doc:"What the revision is: sent for comments, or what was changed after them"`
	Actions          []RevisionAction `json:"actions"`
	CreatedBy        string           `json:"created_by"`
	CreatedAt        time.Time        `json:"created_at"`
	Diff             RevisionDiff     `json:"diff" doc:"What changed from the previous revision; in the first, every action is added"`
}

// RevisionDiff is what changed between two revisions, by action title.
type RevisionDiff struct {
	Added   []string `json:"added"`
	Removed []string `json:"removed"`
	Changed []string `json:"changed" doc:"Actions kept whose responsible, dates, status, effort, milestone or gaps changed"`
}

// Empty reports whether nothing changed.
func (d RevisionDiff) Empty() bool { return len(d.Added)+len(d.Removed)+len(d.Changed) == 0 }

// DiffRevisions compares two snapshots by action title: titles only in cur
// are added, only in prev removed, in both but different changed. Actions
// sharing a title are paired in order.
func DiffRevisions(prev, cur []RevisionAction) RevisionDiff {
	d := RevisionDiff{Added: []string{}, Removed: []string{}, Changed: []string{}}
	old := map[string][]RevisionAction{}
	for _, a := range prev {
		old[a.Title] = append(old[a.Title], a)
	}
	for _, a := range cur {
		was, ok := old[a.Title]
		if !ok || len(was) == 0 {
			d.Added = append(d.Added, a.Title)
			continue
		}
		old[a.Title] = was[1:]
		if !sameAction(was[0], a) {
			d.Changed = append(d.Changed, a.Title)
		}
	}
	for _, a := range prev {
		if rest := old[a.Title]; len(rest) > 0 {
			d.Removed = append(d.Removed, a.Title)
			old[a.Title] = rest[1:]
		}
	}
	return d
}

func sameAction(a, b RevisionAction) bool {
	return a.Title == b.Title && a.Responsible == b.Responsible && a.Start == b.Start && a.Due == b.Due &&
		a.Status == b.Status && a.EffortHours == b.EffortHours && a.Milestone == b.Milestone && slices.Equal(a.Gaps, b.Gaps)
}

func samePlan(a, b []RevisionAction) bool { return slices.EqualFunc(a, b, sameAction) }

// CommentRound is the proposed action plan sent for comments (remiss) to
// units and municipalities, with a deadline. When sending, the deadline,
// message, unit ids and municipality codes are given; the rest is the
// service's.
type CommentRound struct {
	ID               int64              `json:"id"`
	ImplementationID int64              `json:"implementation_id"`
	Revision         int                `json:"revision" doc:"The number of the plan revision sent"`
	Message          string             `json:"message"`
	Deadline         date.Date          `json:"deadline" doc:"Last day for comments; comments after it are marked late"`
	SentOn           date.Date          `json:"sent_on"`
	ClosedOn         date.Date          `json:"closed_on,omitzero" doc:"Set when closed: no more comments"`
	UnitIDs          []int64            `json:"unit_ids" doc:"The units it went to"`
	Municipalities   []string           `json:"municipalities" doc:"Codes of the municipalities it went to"`
	Recipients       []CommentRecipient `json:"recipients"`
	CreatedAt        time.Time          `json:"created_at"`
	UpdatedAt        time.Time          `json:"updated_at"`
	Version          int64              `json:"version"`
}

// Closed reports whether the round takes no more comments.
func (r CommentRound) Closed() bool { return !r.ClosedOn.IsZero() }

// Answered counts the recipients that have commented.
func (r CommentRound) Answered() int {
	n := 0
	for _, rc := range r.Recipients {
		if rc.Answered() {
			n++
		}
	}
	return n
}

// CommentRecipient is a unit or a municipality a round went to, with its
// comments.
type CommentRecipient struct {
	ID           int64         `json:"id"`
	RoundID      int64         `json:"round_id"`
	UnitID       int64         `json:"unit_id,omitempty"`
	Municipality string        `json:"municipality,omitempty" doc:"The municipality's code"`
	Name         string        `json:"name" doc:"The unit's or municipality's name"`
	Comments     []PlanComment `json:"comments"`
}

// Answered reports whether the recipient has commented.
func (rc CommentRecipient) Answered() bool { return len(rc.Comments) > 0 }

// PlanComment is one comment on the plan and the working group's answer.
type PlanComment struct {
	ID          int64      `json:"id"`
	RoundID     int64      `json:"round_id"`
	RecipientID int64      `json:"recipient_id"`
	Author      string     `json:"author" doc:"Who wrote it; \"X för Y\" when the coordinator wrote it on a recipient's behalf"`
	Body        string     `json:"body"`
	CreatedAt   time.Time  `json:"created_at"`
	Late        bool       `json:"late" doc:"Written after the round's deadline"`
	Answer      string     `json:"answer,omitempty"`
	AnsweredBy  string     `json:"answered_by,omitempty"`
	AnsweredAt  *time.Time `json:"answered_at,omitempty"`
	Version     int64      `json:"version"`
}

// snapshot freezes the implementation's action plan as a revision shows it.
func planSnapshot(ctx context.Context, q db.Querier, m Implementation) ([]RevisionAction, error) {
	actions, err := listActions(ctx, q, m.ID)
	if err != nil {
		return nil, err
	}
	recs, err := catalog.RecommendationsIn(ctx, q, m.SupportID)
	if err != nil {
		return nil, err
	}
	gaps, err := listGaps(ctx, q, m.ID)
	if err != nil {
		return nil, err
	}
	codeOfRec := map[int64]string{}
	for _, r := range recs {
		code := r.Code
		if code == "" {
			code = strconv.Itoa(r.Position)
		}
		codeOfRec[r.ID] = code
	}
	codeOfGap := map[int64]string{}
	for _, g := range gaps {
		codeOfGap[g.ID] = codeOfRec[g.RecommendationID]
	}
	var people []int64
	for _, a := range actions {
		people = append(people, a.ResponsibleID)
	}
	names, err := personNames(ctx, q, distinct(people))
	if err != nil {
		return nil, err
	}
	out := make([]RevisionAction, 0, len(actions))
	for _, a := range actions {
		ra := RevisionAction{Title: a.Title, Responsible: names[a.ResponsibleID], Start: a.Start, Due: a.Due, Status: a.Status,
			EffortHours: a.EffortHours, Milestone: a.Milestone, Gaps: []string{}}
		for _, g := range a.GapIDs {
			ra.Gaps = append(ra.Gaps, codeOfGap[g])
		}
		slices.Sort(ra.Gaps)
		out = append(out, ra)
	}
	return out, nil
}

// saveRevisionTx snapshots m's plan as revision m.PlanRevision+1 and bumps
// the implementation's plan_revision by version.
func (s *Service) saveRevisionTx(ctx context.Context, tx *db.Tx, m Implementation, actions []RevisionAction, note string, now time.Time) (Revision, []audit.Change, error) {
	r := Revision{ImplementationID: m.ID, Number: m.PlanRevision + 1, Note: note, Actions: actions,
		CreatedBy: audit.DisplayName(ctx), CreatedAt: now}
	var err error
	if r.ID, err = insertRevision(ctx, tx, r, now); err != nil {
		return Revision{}, nil, err
	}
	if err := setPlanRevision(ctx, tx, m.ID, r.Number, m.Version, now); err != nil {
		return Revision{}, nil, err
	}
	return r, []audit.Change{{Entity: entityRevision, EntityID: r.ID, Action: audit.Create, After: r}}, nil
}

// SaveRevision snapshots the current action plan as the next revision with
// a note on what changed (the working group's step after a comment round).
// version is the implementation's version last read.
func (s *Service) SaveRevision(ctx context.Context, id int64, note string, version int64) (Revision, error) {
	note = strings.TrimSpace(note)
	var v errs.ValidationError
	v.Text("note", note, true, maxRevisionNote)
	if err := v.Err(); err != nil {
		return Revision{}, err
	}
	var out Revision
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		m, err := editableAt(ctx, tx, id, version)
		if err != nil {
			return nil, err
		}
		actions, err := planSnapshot(ctx, tx, m)
		if err != nil {
			return nil, err
		}
		if len(actions) == 0 {
			return nil, errs.Invalidf("note", "implement.revision.empty_plan")
		}
		r, cs, err := s.saveRevisionTx(ctx, tx, m, actions, note, now)
		if err != nil {
			return nil, err
		}
		if prev, err := latestRevisionActions(ctx, tx, m); err != nil {
			return nil, err
		} else {
			r.Diff = DiffRevisions(prev, r.Actions)
		}
		out = r
		return cs, nil
	})
	return out, err
}

func latestRevisionActions(ctx context.Context, q db.Querier, m Implementation) ([]RevisionAction, error) {
	if m.PlanRevision == 0 {
		return nil, nil
	}
	prev, err := findRevision(ctx, q, m.ID, m.PlanRevision)
	if err != nil {
		return nil, err
	}
	return prev.Actions, nil
}

// Revisions lists an implementation's plan revisions by number, each with
// what changed from the one before.
func (s *Service) Revisions(ctx context.Context, id int64) ([]Revision, error) {
	if _, _, err := s.Implementation(ctx, id); err != nil {
		return nil, err
	}
	return revisionsWithDiff(ctx, s.db, id)
}

func revisionsWithDiff(ctx context.Context, q db.Querier, id int64) ([]Revision, error) {
	rs, err := listRevisions(ctx, q, id)
	if err != nil {
		return nil, err
	}
	var prev []RevisionAction
	for i := range rs {
		rs[i].Diff = DiffRevisions(prev, rs[i].Actions)
		prev = rs[i].Actions
	}
	if rs == nil {
		rs = []Revision{}
	}
	return rs, nil
}

// commentUnits lists the units a round may go to: the support's units and
// the units affected by its gaps.
func commentUnits(ctx context.Context, q db.Querier, m Implementation) ([]int64, error) {
	sp, err := catalog.SupportIn(ctx, q, m.SupportID)
	if err != nil {
		return nil, err
	}
	gaps, err := listGaps(ctx, q, m.ID)
	if err != nil {
		return nil, err
	}
	units := slices.Clone(sp.UnitIDs)
	for _, g := range gaps {
		units = append(units, g.UnitIDs...)
	}
	return distinct(units), nil
}

// SendForComments sends the action plan for comments to units (among the
// support's units and the gaps' affected units) and municipalities (among
// the implementation's), with a deadline from today on. The plan is
// snapshotted as a new revision first unless it is unchanged since the
// latest revision, which is then the one sent. Each recipient's people are
// mailed (unit: people working there with a user account; municipality:
// its contacts) and see a task on their start page.
func (s *Service) SendForComments(ctx context.Context, id int64, in CommentRound) (CommentRound, error) {
	in.Message = strings.TrimSpace(in.Message)
	in.UnitIDs = distinct(in.UnitIDs)
	in.Municipalities = slices.Compact(slices.Sorted(slices.Values(slices.DeleteFunc(slices.Clone(in.Municipalities),
		func(c string) bool { return strings.TrimSpace(c) == "" }))))
	var out CommentRound
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		m, err := editable(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		today := date.Of(now, i18n.Stockholm())
		var v errs.ValidationError
		switch {
		case in.Deadline.IsZero():
			v.Add("deadline", "validation.required")
		case in.Deadline.Before(today):
			v.Add("deadline", "implement.comment.deadline_past")
		}
		v.Text("message", in.Message, false, maxRoundMessage)
		allowed, err := commentUnits(ctx, tx, m)
		if err != nil {
			return nil, err
		}
		for _, u := range in.UnitIDs {
			if !slices.Contains(allowed, u) {
				v.Add("unit_ids", "implement.comment.unit_not_allowed")
				break
			}
		}
		for _, c := range in.Municipalities {
			if !slices.Contains(m.Municipalities, c) {
				v.Add("municipalities", "implement.comment.municipality_not_allowed", "code", c)
				break
			}
		}
		if len(in.UnitIDs)+len(in.Municipalities) == 0 {
			v.Add("recipients", "implement.comment.no_recipients")
		}
		actions, err := planSnapshot(ctx, tx, m)
		if err != nil {
			return nil, err
		}
		if len(actions) == 0 {
			v.Add("plan", "implement.comment.empty_plan")
		}
		if err := v.Err(); err != nil {
			return nil, err
		}
		var cs []audit.Change
		number := m.PlanRevision
		prev, err := latestRevisionActions(ctx, tx, m)
		if err != nil {
			return nil, err
		}
		if number == 0 || !samePlan(prev, actions) {
			r, c, err := s.saveRevisionTx(ctx, tx, m, actions, s.say("implement.comment.sent_note"), now)
			if err != nil {
				return nil, err
			}
			number, cs = r.Number, c
		}
		rd := CommentRound{ImplementationID: m.ID, Revision: number, Message: in.Message, Deadline: in.Deadline, SentOn: today}
		if rd.ID, err = insertCommentRound(ctx, tx, rd, now); err != nil {
			return nil, err
		}
		for _, u := range in.UnitIDs {
			if _, err := insertCommentRecipient(ctx, tx, rd.ID, u, ""); err != nil {
				return nil, err
			}
		}
		for _, c := range in.Municipalities {
			if _, err := insertCommentRecipient(ctx, tx, rd.ID, 0, c); err != nil {
				return nil, err
			}
		}
		if out, err = loadCommentRound(ctx, tx, rd.ID); err != nil {
			return nil, err
		}
		if err := s.mailCommentRecipients(ctx, tx, m, out, now); err != nil {
			return nil, err
		}
		return append(cs, audit.Change{Entity: entityCommentRound, EntityID: out.ID, Action: audit.Create, After: out}), nil
	})
	return out, err
}

// mailCommentRecipients puts one mail per address of each recipient in the outbox.
func (s *Service) mailCommentRecipients(ctx context.Context, tx *db.Tx, m Implementation, rd CommentRound, now time.Time) error {
	sp, err := catalog.SupportIn(ctx, tx, m.SupportID)
	if err != nil {
		return err
	}
	for _, rc := range rd.Recipients {
		addrs, err := commentAddresses(ctx, tx, rc.UnitID, rc.Municipality)
		if err != nil {
			return err
		}
		for _, a := range addrs {
			msg := mail.Message{To: a, Kind: mailKindCommented, Entity: entityCommentRound, EntityID: rd.ID,
				Subject: mailSubject(s.say("implement.comment.mail.subject", "title", sp.Title)),
				Body: s.say("implement.comment.mail.body", "title", sp.Title, "recipient", rc.Name, "date", rd.Deadline.Time(),
					"message", rd.Message, "href", s.publicURL+commentRecipientHref(rc.ID))}
			if err := msg.Validate(); err != nil {
				continue // an address the outbox refuses cannot be mailed; the start-page task remains
			}
			if _, err := mail.Enqueue(ctx, tx, msg, now); err != nil {
				return err
			}
		}
	}
	return nil
}

func commentRecipientHref(id int64) string { return "/remissvar/" + strconv.FormatInt(id, 10) }

// loadCommentRound reads a round with its recipients and their comments.
func loadCommentRound(ctx context.Context, q db.Querier, id int64) (CommentRound, error) {
	rd, err := findCommentRound(ctx, q, id)
	if err != nil {
		return CommentRound{}, err
	}
	return withCommentRecipients(ctx, q, rd)
}

func withCommentRecipients(ctx context.Context, q db.Querier, rd CommentRound) (CommentRound, error) {
	rcs, err := listCommentRecipients(ctx, q, rd.ID)
	if err != nil {
		return CommentRound{}, err
	}
	cs, err := listPlanComments(ctx, q, rd.ID)
	if err != nil {
		return CommentRound{}, err
	}
	idx := make(map[int64]int, len(rcs))
	for i, rc := range rcs {
		idx[rc.ID] = i
		if rc.UnitID != 0 {
			rd.UnitIDs = append(rd.UnitIDs, rc.UnitID)
		} else {
			rd.Municipalities = append(rd.Municipalities, rc.Municipality)
		}
	}
	for _, c := range cs {
		c.Late = date.Of(c.CreatedAt, i18n.Stockholm()).After(rd.Deadline)
		if i, ok := idx[c.RecipientID]; ok {
			rcs[i].Comments = append(rcs[i].Comments, c)
		}
	}
	slices.Sort(rd.UnitIDs)
	slices.Sort(rd.Municipalities)
	if rcs != nil {
		rd.Recipients = rcs
	}
	return rd, nil
}

// CommentRounds lists an implementation's comment rounds, oldest first,
// with recipients and comments.
func (s *Service) CommentRounds(ctx context.Context, id int64) ([]CommentRound, error) {
	if _, _, err := s.Implementation(ctx, id); err != nil {
		return nil, err
	}
	return commentRoundsOf(ctx, s.db, id)
}

func commentRoundsOf(ctx context.Context, q db.Querier, id int64) ([]CommentRound, error) {
	rs, err := listCommentRounds(ctx, q, id)
	if err != nil {
		return nil, err
	}
	for i := range rs {
		if rs[i], err = withCommentRecipients(ctx, q, rs[i]); err != nil {
			return nil, err
		}
	}
	if rs == nil {
		rs = []CommentRound{}
	}
	return rs, nil
}

// CommentRoundDetail is one comment round as its page shows it.
type CommentRoundDetail struct {
	Round        CommentRound
	Rights       Rights
	SupportTitle string
	// Editable: the user answers comments and closes the round (the working
	// group, until the implementation is introduced).
	Editable bool
}

// CommentRoundOf returns round rid of implementation id with its recipients
// and comments, for those who read the workspace.
func (s *Service) CommentRoundOf(ctx context.Context, id, rid int64) (CommentRoundDetail, error) {
	m, r, err := s.Implementation(ctx, id)
	if err != nil {
		return CommentRoundDetail{}, err
	}
	rd, err := loadCommentRound(ctx, s.db, rid)
	if err != nil {
		return CommentRoundDetail{}, err
	}
	if rd.ImplementationID != id {
		return CommentRoundDetail{}, fmt.Errorf("comment round %d of implementation %d: %w", rid, id, errs.ErrNotFound)
	}
	sp, err := catalog.SupportIn(ctx, s.db, m.SupportID)
	if err != nil {
		return CommentRoundDetail{}, err
	}
	return CommentRoundDetail{Round: rd, Rights: r, SupportTitle: sp.Title, Editable: r.Edit && m.IntroducedOn.IsZero()}, nil
}

// CloseRound closes a round: no more comments (the working group's step).
// version is the round's version last read; a closed round is locked.
func (s *Service) CloseRound(ctx context.Context, id, rid, version int64) (CommentRound, error) {
	var out CommentRound
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		if _, err := editable(ctx, tx, id); err != nil {
			return nil, err
		}
		before, err := loadCommentRound(ctx, tx, rid)
		if err != nil {
			return nil, err
		}
		if before.ImplementationID != id {
			return nil, fmt.Errorf("comment round %d of implementation %d: %w", rid, id, errs.ErrNotFound)
		}
		if before.Closed() {
			return nil, fmt.Errorf("comment round %d: closed: %w", rid, errs.ErrLocked)
		}
		if before.Version != version {
			return nil, errs.ErrConflict
		}
		if err := closeCommentRound(ctx, tx, rid, date.Of(now, i18n.Stockholm()), version, now); err != nil {
			return nil, err
		}
		if out, err = loadCommentRound(ctx, tx, rid); err != nil {
			return nil, err
		}
		return []audit.Change{{Entity: entityCommentRound, EntityID: rid, Action: audit.Update, Before: before, After: out}}, nil
	})
	return out, err
}

// commentRespondsFor works out whether the signed-in user comments for rc: the
// coordinator always, on the recipient's behalf; an enhet user whose person
// works at the unit; a kommun user who is a contact of the municipality.
func commentRespondsFor(ctx context.Context, q db.Querier, rc CommentRecipient) (ok, onBehalf bool, err error) {
	if CanCoordinate(ctx) {
		return true, true, nil
	}
	p := access.From(ctx)
	if p.Anonymous() {
		return false, false, nil
	}
	if rc.UnitID != 0 && p.Has(access.Unit) {
		_, unit, err := personOfUser(ctx, q, p.UserID)
		if err != nil {
			return false, false, err
		}
		return unit == rc.UnitID, false, nil
	}
	if rc.Municipality != "" && p.Has(access.Municipality) {
		ms, err := forum.ContactMunicipalitiesIn(ctx, q, p.UserID)
		if err != nil {
			return false, false, err
		}
		return slices.Contains(ms, rc.Municipality), false, nil
	}
	return false, false, nil
}

// CommentRecipientView is what a recipient of a comment round reads: the plan as
// sent, the round, their own comments with answers.
type CommentRecipientView struct {
	Recipient        CommentRecipient `json:"recipient"`
	Round            CommentRound     `json:"round"`
	Revision         Revision         `json:"revision" doc:"The plan as sent"`
	ImplementationID int64            `json:"implementation_id"`
	SupportTitle     string           `json:"support_title"`
	CanComment       bool             `json:"can_comment" doc:"The user comments for the recipient and the round is open"`
	OnBehalf         bool             `json:"on_behalf" doc:"The user is the coordinator, commenting on the recipient's behalf"`
	Today            date.Date        `json:"today"`
}

// ViewCommentRecipient returns a recipient's view of its round, for the recipient's
// people, the coordinator and those who read the workspace; to others it
// does not exist.
func (s *Service) ViewCommentRecipient(ctx context.Context, recipientID int64) (CommentRecipientView, error) {
	rc, err := findCommentRecipient(ctx, s.db, recipientID)
	if err != nil {
		return CommentRecipientView{}, err
	}
	rd, err := loadCommentRound(ctx, s.db, rc.RoundID)
	if err != nil {
		return CommentRecipientView{}, err
	}
	m, err := findImplementation(ctx, s.db, rd.ImplementationID)
	if err != nil {
		return CommentRecipientView{}, err
	}
	ok, onBehalf, err := commentRespondsFor(ctx, s.db, rc)
	if err != nil {
		return CommentRecipientView{}, err
	}
	if !ok {
		r, err := rights(ctx, s.db, m)
		if err != nil {
			return CommentRecipientView{}, err
		}
		if !r.Read {
			return CommentRecipientView{}, fmt.Errorf("comment recipient %d: %w", recipientID, errs.ErrNotFound)
		}
	}
	for _, x := range rd.Recipients {
		if x.ID == rc.ID {
			rc = x
		}
	}
	rev, err := findRevision(ctx, s.db, m.ID, rd.Revision)
	if err != nil {
		return CommentRecipientView{}, err
	}
	sp, err := catalog.SupportIn(ctx, s.db, m.SupportID)
	if err != nil {
		return CommentRecipientView{}, err
	}
	return CommentRecipientView{Recipient: rc, Round: rd, Revision: rev, ImplementationID: m.ID, SupportTitle: sp.Title,
		CanComment: ok && !rd.Closed() && m.IntroducedOn.IsZero(), OnBehalf: onBehalf, Today: s.Today()}, nil
}

// AddComment records a comment for a recipient: by the unit's people (enhet
// users working at the unit), the municipality's contacts (kommun users) or
// the coordinator on their behalf (recorded as "X för Y"); to anyone else
// the recipient does not exist. Comments are taken until the round is
// closed; those after the deadline are marked late.
func (s *Service) AddComment(ctx context.Context, recipientID int64, body string) (PlanComment, error) {
	body = strings.TrimSpace(body)
	var out PlanComment
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		rc, err := findCommentRecipient(ctx, tx, recipientID)
		if err != nil {
			return nil, err
		}
		ok, onBehalf, err := commentRespondsFor(ctx, tx, rc)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("comment recipient %d: %w", recipientID, errs.ErrNotFound)
		}
		rd, err := findCommentRound(ctx, tx, rc.RoundID)
		if err != nil {
			return nil, err
		}
		m, err := findImplementation(ctx, tx, rd.ImplementationID)
		if err != nil {
			return nil, err
		}
		if !m.IntroducedOn.IsZero() {
			return nil, fmt.Errorf("implementation %d: introduced: %w", m.ID, errs.ErrLocked)
		}
		var v errs.ValidationError
		if rd.Closed() {
			v.Add("body", "implement.comment.round_closed")
		}
		v.Text("body", body, true, maxCommentBody)
		if err := v.Err(); err != nil {
			return nil, err
		}
		author := audit.DisplayName(ctx)
		if onBehalf {
			author = s.say("implement.comment.on_behalf", "name", author, "recipient", rc.Name)
		}
		c := PlanComment{RoundID: rd.ID, RecipientID: rc.ID, Author: author, Body: body}
		if c.ID, err = insertPlanComment(ctx, tx, c, now); err != nil {
			return nil, err
		}
		if out, err = findPlanComment(ctx, tx, c.ID); err != nil {
			return nil, err
		}
		out.Late = date.Of(out.CreatedAt, i18n.Stockholm()).After(rd.Deadline)
		return []audit.Change{{Entity: entityComment, EntityID: out.ID, Action: audit.Create, After: out}}, nil
	})
	return out, err
}

// AnswerComment records (or replaces) the working group's answer to a
// comment, by the comment's version.
func (s *Service) AnswerComment(ctx context.Context, commentID int64, answer string, version int64) (PlanComment, error) {
	return s.answerComment(ctx, 0, 0, commentID, answer, version)
}

// answerComment is AnswerComment of a comment that must belong to
// implementation id and round rid (any when 0); to others it does not exist.
func (s *Service) answerComment(ctx context.Context, id, rid, commentID int64, answer string, version int64) (PlanComment, error) {
	answer = strings.TrimSpace(answer)
	var out PlanComment
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := findPlanComment(ctx, tx, commentID)
		if err != nil {
			return nil, err
		}
		rd, err := findCommentRound(ctx, tx, before.RoundID)
		if err != nil {
			return nil, err
		}
		if (id != 0 && rd.ImplementationID != id) || (rid != 0 && rd.ID != rid) {
			return nil, fmt.Errorf("comment %d of implementation %d: %w", commentID, id, errs.ErrNotFound)
		}
		if _, err := editable(ctx, tx, rd.ImplementationID); err != nil {
			return nil, err
		}
		var v errs.ValidationError
		v.Text("answer", answer, true, maxCommentAnswer)
		if err := v.Err(); err != nil {
			return nil, err
		}
		if before.Version != version {
			return nil, errs.ErrConflict
		}
		c := before
		c.Answer, c.AnsweredBy, c.Version = answer, audit.DisplayName(ctx), version
		if err := answerPlanComment(ctx, tx, c, now); err != nil {
			return nil, err
		}
		if out, err = findPlanComment(ctx, tx, c.ID); err != nil {
			return nil, err
		}
		out.Late = date.Of(out.CreatedAt, i18n.Stockholm()).After(rd.Deadline)
		return []audit.Change{{Entity: entityComment, EntityID: c.ID, Action: audit.Update, Before: before, After: out}}, nil
	})
	return out, err
}

// HistoryEvent is one entry of a plan's history: a revision or a round.
type HistoryEvent struct {
	At       time.Time     `json:"at"`
	Revision *Revision     `json:"revision,omitempty"`
	Round    *CommentRound `json:"round,omitempty"`
}

// History is the action plan's history: every revision with what changed,
// every comment round with its comments and answers, in date order.
type History struct {
	Implementation Implementation `json:"implementation"`
	Rights         Rights         `json:"rights"`
	SupportTitle   string         `json:"support_title"`
	Revisions      []Revision     `json:"revisions"`
	Rounds         []CommentRound `json:"rounds"`
	Events         []HistoryEvent `json:"events"`
	Actions        int            `json:"actions" doc:"Actions in the plan now"`
	// PlanChanged reports whether the plan differs from its latest revision
	// (or has actions and no revision yet).
	PlanChanged bool `json:"plan_changed"`
	// Pending is what changed since the latest revision.
	Pending RevisionDiff `json:"pending"`
}

// History reads the plan's history, for those who read the workspace.
func (s *Service) History(ctx context.Context, id int64) (History, error) {
	m, r, err := s.Implementation(ctx, id)
	if err != nil {
		return History{}, err
	}
	h := History{Implementation: m, Rights: r}
	sp, err := catalog.SupportIn(ctx, s.db, m.SupportID)
	if err != nil {
		return History{}, err
	}
	h.SupportTitle = sp.Title
	if h.Revisions, err = revisionsWithDiff(ctx, s.db, id); err != nil {
		return History{}, err
	}
	if h.Rounds, err = commentRoundsOf(ctx, s.db, id); err != nil {
		return History{}, err
	}
	now, err := planSnapshot(ctx, s.db, m)
	if err != nil {
		return History{}, err
	}
	h.Actions = len(now)
	var last []RevisionAction
	if n := len(h.Revisions); n > 0 {
		last = h.Revisions[n-1].Actions
	}
	h.Pending = DiffRevisions(last, now)
	h.PlanChanged = !h.Pending.Empty()
	for i := range h.Revisions {
		h.Events = append(h.Events, HistoryEvent{At: h.Revisions[i].CreatedAt, Revision: &h.Revisions[i]})
	}
	for i := range h.Rounds {
		h.Events = append(h.Events, HistoryEvent{At: h.Rounds[i].CreatedAt, Round: &h.Rounds[i]})
	}
	slices.SortStableFunc(h.Events, func(a, b HistoryEvent) int { return a.At.Compare(b.At) })
	if h.Events == nil {
		h.Events = []HistoryEvent{}
	}
	return h, nil
}

// NewRoundChoices is what the send form offers: the units (the support's
// and the gaps' affected units) and the implementation's municipalities.
type NewRoundChoices struct {
	SupportTitle   string            `json:"support_title"`
	Units          []RecipientChoice `json:"units"`
	Municipalities []RecipientChoice `json:"municipalities"`
	Actions        int               `json:"actions"`
}

// RecipientChoice is one unit or municipality the form offers.
type RecipientChoice struct {
	Value string `json:"value"`
	Name  string `json:"name"`
}

// RoundChoices lists the recipients a new round of implementation id may go
// to, for those who edit it.
func (s *Service) RoundChoices(ctx context.Context, id int64) (Implementation, NewRoundChoices, error) {
	m, r, err := s.Implementation(ctx, id)
	if err != nil {
		return Implementation{}, NewRoundChoices{}, err
	}
	if !r.Edit {
		return Implementation{}, NewRoundChoices{}, fmt.Errorf("implementation %d: not in the working group: %w", id, errs.ErrForbidden)
	}
	if !m.IntroducedOn.IsZero() {
		return Implementation{}, NewRoundChoices{}, fmt.Errorf("implementation %d: introduced: %w", id, errs.ErrLocked)
	}
	var c NewRoundChoices
	sp, err := catalog.SupportIn(ctx, s.db, m.SupportID)
	if err != nil {
		return Implementation{}, NewRoundChoices{}, err
	}
	c.SupportTitle = sp.Title
	units, err := commentUnits(ctx, s.db, m)
	if err != nil {
		return Implementation{}, NewRoundChoices{}, err
	}
	names, err := unitNames(ctx, s.db, units)
	if err != nil {
		return Implementation{}, NewRoundChoices{}, err
	}
	for _, u := range units {
		c.Units = append(c.Units, RecipientChoice{Value: strconv.FormatInt(u, 10), Name: names[u]})
	}
	slices.SortStableFunc(c.Units, func(a, b RecipientChoice) int { return strings.Compare(a.Name, b.Name) })
	munis, err := municipalityNames(ctx, s.db, m.Municipalities)
	if err != nil {
		return Implementation{}, NewRoundChoices{}, err
	}
	for _, code := range m.Municipalities {
		c.Municipalities = append(c.Municipalities, RecipientChoice{Value: code, Name: cmp.Or(munis[code], code)})
	}
	slices.SortStableFunc(c.Municipalities, func(a, b RecipientChoice) int { return strings.Compare(a.Name, b.Name) })
	actions, err := listActions(ctx, s.db, id)
	if err != nil {
		return Implementation{}, NewRoundChoices{}, err
	}
	c.Actions = len(actions)
	return m, c, nil
}

// commentTasks lists the open comment rounds waiting for the signed-in
// user's unit (enhet users) or municipality (kommun contacts) with no
// comment from it yet.
func (s *Service) commentTasks(ctx context.Context) ([]Task, error) {
	p := access.From(ctx)
	if p.Anonymous() {
		return nil, nil
	}
	var unit int64
	var munis []string
	var err error
	if p.Has(access.Unit) {
		if _, unit, err = personOfUser(ctx, s.db, p.UserID); err != nil {
			return nil, err
		}
	}
	if p.Has(access.Municipality) {
		if munis, err = forum.ContactMunicipalitiesIn(ctx, s.db, p.UserID); err != nil {
			return nil, err
		}
	}
	if unit == 0 && len(munis) == 0 {
		return nil, nil
	}
	rows, err := commentRecipientsFor(ctx, s.db, unit, munis, true)
	if err != nil {
		return nil, err
	}
	today := s.Today()
	tasks := make([]Task, 0, len(rows))
	for _, r := range rows {
		tasks = append(tasks, Task{Key: "implement.task.comment", Title: r.title, Href: commentRecipientHref(r.recipient),
			Due: r.deadline, Late: r.deadline.Before(today)})
	}
	return tasks, nil
}
