package forum

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// FollowUpStatuses lists the follow-up statuses in display order.
var FollowUpStatuses = []FollowUpStatus{FollowUpDue, FollowUpPending, FollowUpDone, NoFollowUp}

// DecisionFilter narrows a listing of decisions; zero fields do not filter.
type DecisionFilter struct {
	ForumID  int64
	CaseID   int64
	From, To date.Date      // decided in this period, both days included
	FollowUp FollowUpStatus // on the service's today
	Query    string         // in the decision text, the case number or title
	Limit    int            // at most this many; 0 for all
	Offset   int            // skip this many first
	ByID     bool           // by id instead of newest first, for paging by AfterID
	AfterID  int64          // only decisions with a greater id
	Today    date.Date      // set by the service
}

// Validate checks a filter.
func (f DecisionFilter) Validate() error {
	var v errs.ValidationError
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		v.Add("to", "validation.date_order")
	}
	if f.FollowUp != "" && !oneOf(f.FollowUp, FollowUpStatuses) {
		v.Add("follow_up", "validation.choice")
	}
	if len(f.Query) > maxShort {
		v.Add("q", "validation.too_long", "max", maxShort)
	}
	return v.Err()
}

// Decisions lists the decisions matching f, newest first, without their
// basis documents and municipalities (Decision has them).
func (s *Service) Decisions(ctx context.Context, f DecisionFilter) ([]Decision, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	f.Today = s.Today()
	ds, _, err := listDecisions(ctx, s.db, f, false)
	return ds, err
}

// DecisionPage lists one page of the decisions matching f (f.Limit from
// f.Offset) and counts all that match.
func (s *Service) DecisionPage(ctx context.Context, f DecisionFilter) ([]Decision, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	f.Today = s.Today()
	ds, total, err := listDecisions(ctx, s.db, f, true)
	if err == nil && total < 0 {
		f.Limit, f.Offset = 0, 0
		total, err = countDecisions(ctx, s.db, f)
	}
	return ds, total, err
}

// CountDecisions counts the decisions matching f, ignoring its limit.
func (s *Service) CountDecisions(ctx context.Context, f DecisionFilter) (int, error) {
	if err := f.Validate(); err != nil {
		return 0, err
	}
	f.Today = s.Today()
	return countDecisions(ctx, s.db, f)
}

// ForumSummary counts a forum's decisions by follow-up status.
type ForumSummary struct {
	ForumID   int64  `json:"forum_id"`
	ForumName string `json:"forum_name"`
	Total     int64  `json:"total"`
	Due       int64  `json:"due" doc:"Follow-up date reached, no follow-up recorded"`
	Pending   int64  `json:"pending" doc:"Follow-up date ahead"`
	Done      int64  `json:"done" doc:"Follow-up recorded"`
	None      int64  `json:"none" doc:"No follow-up date"`
}

// DecisionSummary counts the decisions matching f per forum and follow-up
// status today (f's limit and offset aside), by forum name: the report of
// decisions by forum and period.
func (s *Service) DecisionSummary(ctx context.Context, f DecisionFilter) ([]ForumSummary, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	f.Today, f.Limit, f.Offset = s.Today(), 0, 0
	return summarizeDecisions(ctx, s.db, f)
}

// Decision returns one decision with its basis documents and municipalities.
func (s *Service) Decision(ctx context.Context, id int64) (Decision, error) {
	return findDecision(ctx, s.db, id)
}

// DecisionBasis lists the documents a decision was based on.
func (s *Service) DecisionBasis(ctx context.Context, d Decision) ([]Document, error) {
	return listDocumentsByID(ctx, s.db, d.BasisDocumentIDs)
}

// FollowUps lists the recorded follow-ups of a decision, oldest first.
func (s *Service) FollowUps(ctx context.Context, decisionID int64) ([]FollowUpRecord, error) {
	return listFollowUps(ctx, s.db, decisionID)
}

// DueFollowUps lists the decisions whose follow-up is due today or earlier
// and not yet recorded, for the start page of user: those whose responsible
// person is linked to the user, or, when a decision names none, whose case's
// responsible person is. A decision corrected by a later one is left out;
// the correction carries the follow-up.
func (s *Service) DueFollowUps(ctx context.Context, userID int64) ([]Decision, error) {
	if userID == 0 {
		return nil, nil
	}
	return listDueFollowUps(ctx, s.db, userID, s.Today())
}

// CanDecide reports whether the signed-in user may record decisions in
// forum f: the coordinator everywhere, ledning in HSL.
func CanDecide(ctx context.Context, f Forum) bool { return requireDecider(ctx, f) == nil }

// DecisionForums lists the forums where the signed-in user may record
// decisions, by name.
func (s *Service) DecisionForums(ctx context.Context) ([]Forum, error) {
	all, err := forumRefs(ctx, s.db)
	return slices.DeleteFunc(all, func(f Forum) bool { return !CanDecide(ctx, f) }), err
}

func (d *Decision) normalize() {
	d.Text = strings.TrimSpace(d.Text)
	var ms []string
	for _, m := range d.Municipalities {
		if m = strings.TrimSpace(m); m != "" && !slices.Contains(ms, m) {
			ms = append(ms, m)
		}
	}
	slices.Sort(ms)
	d.Municipalities = nonNil(ms)
	docs := slices.Clone(d.BasisDocumentIDs)
	slices.Sort(docs)
	d.BasisDocumentIDs = nonNil(slices.Compact(docs))
}

// checkDecision checks what a decision refers to and that the signed-in user
// may record it: the forum, its meeting (of the forum, minutes not approved)
// and agenda item, the case, the basis documents (of the case or the
// meeting), the municipalities (among those the case was sent to, if it was
// sent) and the responsible person.
func checkDecision(ctx context.Context, q db.Querier, d Decision) error {
	var v errs.ValidationError
	forum, err := forumRef(ctx, q, d.ForumID)
	if errors.Is(err, errs.ErrNotFound) {
		return errs.Invalidf("forum_id", "forum.forum_missing")
	}
	if err != nil {
		return err
	}
	if err := requireDecider(ctx, forum); err != nil {
		return err
	}
	if d.MeetingID != 0 {
		m, err := meetingRef(ctx, q, d.MeetingID)
		switch {
		case errors.Is(err, errs.ErrNotFound) || (err == nil && m.ForumID != d.ForumID):
			v.Add("meeting_id", "forum.meeting_not_of_forum")
		case err != nil:
			return err
		case m.Locked():
			v.Add("meeting_id", "forum.decision.meeting_approved")
		}
	}
	if d.AgendaItemID != 0 {
		meeting, err := agendaItemMeeting(ctx, q, d.AgendaItemID)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return err
		}
		if err != nil || meeting != d.MeetingID {
			v.Add("agenda_item_id", "forum.decision.item_not_of_meeting")
		}
	}
	if d.CaseID != 0 {
		if _, err := findCase(ctx, q, d.CaseID); errors.Is(err, errs.ErrNotFound) {
			v.Add("case_id", "forum.case.missing")
		} else if err != nil {
			return err
		}
	}
	for _, doc := range d.BasisDocumentIDs {
		c, m, err := documentOwner(ctx, q, doc)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return err
		}
		if err != nil || !((d.CaseID != 0 && c == d.CaseID) || (d.MeetingID != 0 && m == d.MeetingID)) {
			v.Add("basis_document_ids", "forum.decision.basis_not_of_case")
			break
		}
	}
	if err := checkDecisionMunicipalities(ctx, q, d, &v); err != nil {
		return err
	}
	if d.ResponsiblePersonID != 0 {
		if ok, err := personExists(ctx, q, d.ResponsiblePersonID); err != nil {
			return err
		} else if !ok {
			v.Add("responsible_person_id", "forum.case.person_missing")
		}
	}
	return v.Err()
}

func checkDecisionMunicipalities(ctx context.Context, q db.Querier, d Decision, v *errs.ValidationError) error {
	if len(d.Municipalities) == 0 {
		return nil
	}
	var sent []string
	if d.CaseID != 0 {
		var err error
		if sent, err = sentMunicipalities(ctx, q, d.CaseID); err != nil {
			return err
		}
	}
	for _, m := range d.Municipalities {
		if len(sent) > 0 {
			if !slices.Contains(sent, m) {
				v.Add("municipalities", "forum.decision.municipality_not_sent", "municipality", m)
				return nil
			}
			continue
		}
		ok, err := municipalityExists(ctx, q, m)
		if err != nil {
			return err
		}
		if !ok {
			v.Add("municipalities", "validation.choice")
			return nil
		}
	}
	return nil
}

// saveNewDecision inserts a checked decision with its basis and
// municipalities and returns it with the audit change.
func saveNewDecision(ctx context.Context, tx *db.Tx, d Decision, now time.Time) (Decision, audit.Change, error) {
	id, err := insertDecision(ctx, tx, d, actorName(ctx), now)
	if err != nil {
		return Decision{}, audit.Change{}, err
	}
	d.ID = id
	if err := replaceDecisionSets(ctx, tx, d); err != nil {
		return Decision{}, audit.Change{}, err
	}
	saved, err := findDecision(ctx, tx, id)
	return saved, audit.Change{Entity: entityDecision, EntityID: id, Action: audit.Create, After: saved}, err
}

// RecordDecision records what a forum decided. The forum and date are
// required; the meeting, if any, must be one of the forum's with minutes not
// yet approved. On a case it also writes the case's decision step, so the
// step rules hold (not before the latest step, not on a closed case). With
// caseVersion > 0 the decision is refused with errs.ErrConflict if someone
// changed the case since it was read.
func (s *Service) RecordDecision(ctx context.Context, d Decision, caseVersion int64) (Decision, error) {
	var saved Decision
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		var changes []audit.Change
		var err error
		saved, changes, err = RecordDecisionTx(ctx, tx, d, caseVersion, now)
		return changes, err
	})
	return saved, err
}

// RecordDecisionTx records a decision as RecordDecision does, inside tx, and
// returns it with the audit changes for the caller to record: for a feature
// whose own change (such as a prioritisation round's outcome) must be one
// transaction with the decision.
func RecordDecisionTx(ctx context.Context, tx *db.Tx, d Decision, caseVersion int64, now time.Time) (Decision, []audit.Change, error) {
	d.ID, d.CorrectsID = 0, 0
	d.normalize()
	if err := d.Validate(); err != nil {
		return Decision{}, nil, err
	}
	if err := checkDecision(ctx, tx, d); err != nil {
		return Decision{}, nil, err
	}
	var changes []audit.Change
	if d.CaseID != 0 {
		cs, _, err := addStep(ctx, tx, Step{CaseID: d.CaseID, Kind: Decided, Date: d.DecidedOn, ForumID: d.ForumID, MeetingID: d.MeetingID}, caseVersion, now)
		if err != nil {
			return Decision{}, nil, stepToDecisionField(err)
		}
		changes = cs
	}
	saved, c, err := saveNewDecision(ctx, tx, d, now)
	if err != nil {
		return Decision{}, nil, err
	}
	return saved, append([]audit.Change{c}, changes...), nil
}

// stepToDecisionField names the step rules' problems by the decision's own
// fields: the step's date is the decision date.
func stepToDecisionField(err error) error {
	v, ok := errs.AsValidation(err)
	if !ok {
		return err
	}
	out := &errs.ValidationError{}
	for _, f := range v.Fields {
		switch f.Name {
		case "date":
			f.Name = "decided_on"
		case "kind":
			f.Name = "case_id"
		}
		out.Add(f.Name, f.Key, f.Args...)
	}
	return out
}

// CorrectDecision records a correction of decision id: a new decision that
// references the old one, on the same case, which stays as it was. It writes
// no step: the case has its decision step already.
func (s *Service) CorrectDecision(ctx context.Context, id int64, d Decision) (Decision, error) {
	d.ID = 0
	d.normalize()
	if err := d.Validate(); err != nil {
		return Decision{}, err
	}
	var saved Decision
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		orig, err := findDecision(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		origForum, err := forumRef(ctx, tx, orig.ForumID)
		if err != nil {
			return nil, err
		}
		if err := requireDecider(ctx, origForum); err != nil {
			return nil, err
		}
		d.CorrectsID, d.CaseID = orig.ID, orig.CaseID
		if d.DecidedOn.Before(orig.DecidedOn) {
			return nil, errs.Invalidf("decided_on", "forum.decision.correction_before", "date", orig.DecidedOn.Time())
		}
		if err := checkDecision(ctx, tx, d); err != nil {
			return nil, err
		}
		var c audit.Change
		saved, c, err = saveNewDecision(ctx, tx, d, now)
		return one(c), err
	})
	return saved, err
}

// UpdateDecision saves a changed decision if it is not locked and nobody
// changed it since it was read. A decision is locked once the minutes of its
// meeting are approved, or, without a meeting, once saved: then the answer
// is errs.ErrLocked and a correction is the way. The case stays the same.
func (s *Service) UpdateDecision(ctx context.Context, d Decision) (Decision, error) {
	d.normalize()
	if err := d.Validate(); err != nil {
		return Decision{}, err
	}
	var after Decision
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := findDecision(ctx, tx, d.ID)
		if err != nil {
			return nil, err
		}
		if before.Locked {
			return nil, fmt.Errorf("decision %d: %w", d.ID, errs.ErrLocked)
		}
		beforeForum, err := forumRef(ctx, tx, before.ForumID)
		if err != nil {
			return nil, err
		}
		if err := requireDecider(ctx, beforeForum); err != nil {
			return nil, err
		}
		d.CaseID, d.CorrectsID = before.CaseID, before.CorrectsID
		if err := checkDecision(ctx, tx, d); err != nil {
			return nil, err
		}
		if err := updateDecision(ctx, tx, d, now); err != nil {
			return nil, err
		}
		if err := replaceDecisionSets(ctx, tx, d); err != nil {
			return nil, err
		}
		after, err = findDecision(ctx, tx, d.ID)
		return one(audit.Change{Entity: entityDecision, EntityID: d.ID, Action: audit.Update, Before: before, After: after}), err
	})
	return after, err
}

// Validate checks a follow-up record on its own.
func (f FollowUpRecord) Validate() error {
	var v errs.ValidationError
	if f.DoneOn.IsZero() {
		v.Add("done_on", "validation.required")
	}
	v.Text("note", f.Note, true, maxText)
	return v.Err()
}

// RecordFollowUp records that a decision was followed up; the decision itself
// stays as it was. Those who may record decisions in its forum record it.
func (s *Service) RecordFollowUp(ctx context.Context, f FollowUpRecord) (FollowUpRecord, error) {
	f.ID, f.Note = 0, strings.TrimSpace(f.Note)
	if err := f.Validate(); err != nil {
		return FollowUpRecord{}, err
	}
	var saved FollowUpRecord
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		d, err := findDecision(ctx, tx, f.DecisionID)
		if err != nil {
			return nil, err
		}
		forum, err := forumRef(ctx, tx, d.ForumID)
		if err != nil {
			return nil, err
		}
		if err := requireDecider(ctx, forum); err != nil {
			return nil, err
		}
		if f.DoneOn.Before(d.DecidedOn) {
			return nil, errs.Invalidf("done_on", "forum.follow_up.before_decision", "date", d.DecidedOn.Time())
		}
		if f.DoneOn.After(s.Today()) {
			return nil, errs.Invalidf("done_on", "forum.follow_up.in_future")
		}
		id, err := insertFollowUp(ctx, tx, f, actorName(ctx), now)
		if err != nil {
			return nil, err
		}
		if saved, err = findFollowUp(ctx, tx, id); err != nil {
			return nil, err
		}
		return one(audit.Change{Entity: entityFollowUp, EntityID: id, Action: audit.Create, After: saved}), nil
	})
	return saved, err
}
