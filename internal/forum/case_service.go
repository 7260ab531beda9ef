package forum

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// CaseFilter narrows a listing of cases; zero fields do not filter.
type CaseFilter struct {
	Query         string   // in the number or the title, case-insensitively
	Kind          CaseKind //
	Status        Status   //
	ResponsibleID int64    // the responsible person
	ForumID       int64    // cases anchored in or decided by the forum
	IDs           []int64  // only these cases
	Limit         int      // at most this many, newest first; 0 for all
	ByID          bool     // in id order instead, for paging the API
	AfterID       int64    // with ByID: only cases with a greater id
}

// Validate checks a filter's choices.
func (f CaseFilter) Validate() error {
	var v errs.ValidationError
	if f.Kind != "" && !oneOf(f.Kind, CaseKinds) {
		v.Add("kind", "validation.choice")
	}
	if f.Status != "" && !oneOf(f.Status, Statuses) {
		v.Add("status", "validation.choice")
	}
	if len(f.Query) > maxShort {
		v.Add("q", "validation.too_long", "max", maxShort)
	}
	return v.Err()
}

// MunicipalityRef names a municipality of the home region.
type MunicipalityRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// MeetingRef names a meeting where a case was handled.
type MeetingRef struct {
	ID         int64     `json:"id"`
	ForumID    int64     `json:"forum_id"`
	Title      string    `json:"title"`
	StartsAt   time.Time `json:"starts_at"`
	ApprovedAt time.Time `json:"approved_at,omitzero"`
}

// Locked reports whether the meeting's minutes are approved.
func (m MeetingRef) Locked() bool { return !m.ApprovedAt.IsZero() }

// PersonRef names a person of the organisation registry.
type PersonRef struct {
	ID    int64
	Name  string
	Title string
}

// Cases lists the cases matching f, newest registration first.
func (s *Service) Cases(ctx context.Context, f CaseFilter) ([]Case, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return listCases(ctx, s.db, f)
}

// Case returns one case.
func (s *Service) Case(ctx context.Context, id int64) (Case, error) { return findCase(ctx, s.db, id) }

// CasesLinkedTo lists the cases a record of another part of the system is
// linked to, newest first: entity as the audit log names it, e.g. "group".
func (s *Service) CasesLinkedTo(ctx context.Context, entity, entityID string) ([]Case, error) {
	return casesLinkedTo(ctx, s.db, entity, entityID)
}

// requireCaseWriter allows those who edit cases: the coordinator.
func requireCaseWriter(ctx context.Context) error {
	if !access.From(ctx).Can(Write) {
		return fmt.Errorf("edit cases: %w", errs.ErrForbidden)
	}
	return nil
}

func (c *Case) normalize() {
	c.Title = strings.TrimSpace(c.Title)
	c.Description = strings.TrimSpace(c.Description)
}

func checkCaseRefs(ctx context.Context, q db.Querier, c Case) error {
	if c.ResponsiblePersonID == 0 {
		return nil
	}
	ok, err := personExists(ctx, q, c.ResponsiblePersonID)
	if err != nil {
		return err
	}
	if !ok {
		return errs.Invalidf("responsible_person_id", "forum.case.person_missing")
	}
	return nil
}

// CreateCase registers a case: it gets the next number of its registration
// year (2026/0013) and its registered step.
func (s *Service) CreateCase(ctx context.Context, c Case) (Case, error) {
	if err := requireCaseWriter(ctx); err != nil {
		return Case{}, err
	}
	c.normalize()
	c.ID, c.Number, c.Status = 0, "", Registered
	if c.RegisteredOn.IsZero() {
		c.RegisteredOn = s.Today()
	}
	if err := c.Validate(); err != nil {
		return Case{}, err
	}
	var saved Case
	var err error
	// Two registrations at once may pick the same number; the unique index
	// refuses the second, which then takes the next one.
	for range 5 {
		err = s.change(ctx, func(tx *db.Tx, now time.Time) (changes []audit.Change, err error) {
			saved, changes, err = createCaseTx(ctx, tx, c, nil, now)
			return changes, err
		})
		if !errors.Is(err, errs.ErrDuplicate) {
			break
		}
	}
	if err != nil {
		return Case{}, err
	}
	return saved, nil
}

// CreateCaseTx registers a case as CreateCase does, with links to records of
// other parts of the system, inside tx, and returns it with the audit changes
// for the caller to record: for a feature whose own change (such as a
// prioritisation round getting its case) must be one transaction with the
// case. A duplicate case number (two registrations at once) comes back as
// errs.ErrDuplicate; the caller retries its transaction.
func CreateCaseTx(ctx context.Context, tx *db.Tx, c Case, links []Link, now time.Time) (Case, []audit.Change, error) {
	if err := requireCaseWriter(ctx); err != nil {
		return Case{}, nil, err
	}
	c.normalize()
	c.ID, c.Number, c.Status = 0, "", Registered
	if c.RegisteredOn.IsZero() {
		c.RegisteredOn = date.Of(now, i18n.Stockholm())
	}
	if err := c.Validate(); err != nil {
		return Case{}, nil, err
	}
	return createCaseTx(ctx, tx, c, links, now)
}

func createCaseTx(ctx context.Context, tx *db.Tx, c Case, links []Link, now time.Time) (Case, []audit.Change, error) {
	if err := checkCaseRefs(ctx, tx, c); err != nil {
		return Case{}, nil, err
	}
	number, err := nextCaseNumber(ctx, tx, c.RegisteredOn.Year())
	if err != nil {
		return Case{}, nil, err
	}
	c.Number = number
	id, err := insertCase(ctx, tx, c, now)
	if err != nil {
		return Case{}, nil, err
	}
	stepID, err := insertStep(ctx, tx, Step{CaseID: id, Kind: Registered, Date: c.RegisteredOn}, actorName(ctx), now)
	if err != nil {
		return Case{}, nil, fmt.Errorf("registered step: %w", err)
	}
	st, err := findStep(ctx, tx, stepID)
	if err != nil {
		return Case{}, nil, err
	}
	if c, err = findCase(ctx, tx, id); err != nil {
		return Case{}, nil, err
	}
	changes := []audit.Change{
		{Entity: entityCase, EntityID: id, Action: audit.Create, After: c},
		{Entity: entityStep, EntityID: stepID, Action: audit.Create, After: st},
	}
	for _, l := range links {
		l.ID, l.CaseID = 0, id
		l.Entity, l.EntityID, l.Label = strings.TrimSpace(l.Entity), strings.TrimSpace(l.EntityID), strings.TrimSpace(l.Label)
		if err := l.Validate(); err != nil {
			return Case{}, nil, err
		}
		lid, err := insertLink(ctx, tx, l, now)
		if err != nil {
			return Case{}, nil, err
		}
		if l, err = findLink(ctx, tx, lid); err != nil {
			return Case{}, nil, err
		}
		changes = append(changes, audit.Change{Entity: entityLink, EntityID: lid, Action: audit.Create, After: l})
	}
	return c, changes, nil
}

// UpdateCase saves a case's title, kind, description and responsible person
// if nobody changed the case since it was read. The number, registration date
// and status stay: the status moves by steps.
func (s *Service) UpdateCase(ctx context.Context, c Case) (Case, error) {
	if err := requireCaseWriter(ctx); err != nil {
		return Case{}, err
	}
	c.normalize()
	var after Case
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := findCase(ctx, tx, c.ID)
		if err != nil {
			return nil, err
		}
		c.RegisteredOn, c.Number, c.Status = before.RegisteredOn, before.Number, before.Status
		if err := c.Validate(); err != nil {
			return nil, err
		}
		if err := checkCaseRefs(ctx, tx, c); err != nil {
			return nil, err
		}
		if err := updateCase(ctx, tx, c, now); err != nil {
			return nil, err
		}
		after, err = findCase(ctx, tx, c.ID)
		return one(audit.Change{Entity: entityCase, EntityID: c.ID, Action: audit.Update, Before: before, After: after}), err
	})
	return after, err
}

// Steps lists a case's workflow steps in order.
func (s *Service) Steps(ctx context.Context, caseID int64) ([]Step, error) {
	if _, err := findCase(ctx, s.db, caseID); err != nil {
		return nil, err
	}
	return listSteps(ctx, s.db, caseID)
}

// checkStepOrder checks a new step against the case and its latest step:
// forward only (anchoring and decision may repeat), not before the
// registration or the latest step, nothing after closed.
func checkStepOrder(c Case, last Step, st Step) error {
	var v errs.ValidationError
	cur := c.Status
	switch {
	case cur == Closed:
		v.Add("kind", "forum.step.after_closed")
	case st.Kind == Registered:
		v.Add("kind", "forum.step.registered_once")
	case st.Kind.Rank() < cur.Rank() || (st.Kind == cur && st.Kind != Anchoring && st.Kind != Decided):
		v.Add("kind", "forum.step.backwards", "status", string(cur))
	}
	switch {
	case st.Date.Before(c.RegisteredOn):
		v.Add("date", "forum.step.before_registered", "date", c.RegisteredOn.Time())
	case st.Date.Before(last.Date):
		v.Add("date", "forum.step.before_previous", "date", last.Date.Time())
	}
	return v.Err()
}

// checkStepRefs checks an anchoring step's forum and meeting: the meeting must
// be one of the forum's.
func checkStepRefs(ctx context.Context, q db.Querier, st Step) error {
	if st.ForumID == 0 {
		if st.MeetingID != 0 {
			return errs.Invalidf("meeting_id", "forum.step.meeting_without_forum")
		}
		return nil
	}
	if _, err := forumRef(ctx, q, st.ForumID); errors.Is(err, errs.ErrNotFound) {
		return errs.Invalidf("forum_id", "forum.forum_missing")
	} else if err != nil {
		return err
	}
	if st.MeetingID == 0 {
		return nil
	}
	m, err := meetingRef(ctx, q, st.MeetingID)
	if errors.Is(err, errs.ErrNotFound) || (err == nil && m.ForumID != st.ForumID) {
		return errs.Invalidf("meeting_id", "forum.meeting_not_of_forum")
	}
	return err
}

// addStep writes a checked step and moves the case to its status.
func addStep(ctx context.Context, tx *db.Tx, st Step, caseVersion int64, now time.Time) ([]audit.Change, Step, error) {
	c, err := findCase(ctx, tx, st.CaseID)
	if err != nil {
		return nil, Step{}, err
	}
	last, err := lastStep(ctx, tx, st.CaseID)
	if errors.Is(err, errs.ErrNotFound) {
		last = Step{Kind: c.Status, Date: c.RegisteredOn} // a case stored without its registered step
	} else if err != nil {
		return nil, Step{}, err
	}
	if err := errors.Join(checkStepOrder(c, last, st), checkStepRefs(ctx, tx, st)); err != nil {
		return nil, Step{}, mergeValidation(err)
	}
	id, err := insertStep(ctx, tx, st, actorName(ctx), now)
	if err != nil {
		return nil, Step{}, err
	}
	if err := setCaseStatus(ctx, tx, c.ID, caseVersion, st.Kind, now); err != nil {
		return nil, Step{}, err
	}
	saved, err := findStep(ctx, tx, id)
	if err != nil {
		return nil, Step{}, err
	}
	after, err := findCase(ctx, tx, c.ID)
	return []audit.Change{
		{Entity: entityStep, EntityID: id, Action: audit.Create, After: saved},
		{Entity: entityCase, EntityID: c.ID, Action: audit.Update, Before: c, After: after},
	}, saved, err
}

// AddStep adds a dated step to a case's workflow and moves the case to it.
// Decision steps are written by RecordDecision. With caseVersion > 0 the
// step is refused with errs.ErrConflict if someone changed the case since it
// was read.
func (s *Service) AddStep(ctx context.Context, st Step, caseVersion int64) (Step, error) {
	if err := requireCaseWriter(ctx); err != nil {
		return Step{}, err
	}
	st.ID = 0
	st.Comment = strings.TrimSpace(st.Comment)
	if st.Kind != Anchoring {
		st.ForumID, st.MeetingID = 0, 0
	}
	var v errs.ValidationError
	if st.Kind == Decided {
		v.Add("kind", "forum.step.decision_by_decision")
	}
	if err := errors.Join(v.Err(), st.Validate()); err != nil {
		return Step{}, mergeValidation(err)
	}
	var saved Step
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		cs, step, err := addStep(ctx, tx, st, caseVersion, now)
		saved = step
		return cs, err
	})
	return saved, err
}

// mergeValidation joins the field problems of several validation errors into
// one; any other error is returned as it is.
func mergeValidation(err error) error {
	if err == nil {
		return nil
	}
	var out errs.ValidationError
	var other []error
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		if v, ok := errs.AsValidation(e); ok {
			for _, f := range v.Fields {
				if !out.Has(f.Name) {
					out.Add(f.Name, f.Key, f.Args...)
				}
			}
			return
		}
		other = append(other, e)
	}
	walk(err)
	if len(other) > 0 {
		return errors.Join(other...)
	}
	return out.Err()
}

// Links.

// Links lists the records linked to a case.
func (s *Service) Links(ctx context.Context, caseID int64) ([]Link, error) {
	return listLinks(ctx, s.db, caseID)
}

// AddLink links a record of another part of the system to a case; linking
// the same record twice is refused.
func (s *Service) AddLink(ctx context.Context, l Link) (Link, error) {
	if err := requireCaseWriter(ctx); err != nil {
		return Link{}, err
	}
	l.ID = 0
	l.Entity, l.EntityID, l.Label = strings.TrimSpace(l.Entity), strings.TrimSpace(l.EntityID), strings.TrimSpace(l.Label)
	if err := l.Validate(); err != nil {
		return Link{}, err
	}
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		if _, err := findCase(ctx, tx, l.CaseID); err != nil {
			return nil, err
		}
		id, err := insertLink(ctx, tx, l, now)
		if errors.Is(err, errs.ErrDuplicate) {
			return nil, fmt.Errorf("%w: %w", errs.Invalidf("entity_id", "forum.link.duplicate"), err)
		}
		if err != nil {
			return nil, err
		}
		l, err = findLink(ctx, tx, id)
		return one(audit.Change{Entity: entityLink, EntityID: id, Action: audit.Create, After: l}), err
	})
	return l, err
}

// DeleteLink removes a link from a case.
func (s *Service) DeleteLink(ctx context.Context, id int64) (Link, error) {
	if err := requireCaseWriter(ctx); err != nil {
		return Link{}, err
	}
	var before Link
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		var err error
		if before, err = findLink(ctx, tx, id); err != nil {
			return nil, err
		}
		if err := deleteLink(ctx, tx, id); err != nil {
			return nil, err
		}
		return one(audit.Change{Entity: entityLink, EntityID: id, Action: audit.Delete, Before: before}), nil
	})
	return before, err
}

// CaseDocuments lists the documents of a case, oldest first.
func (s *Service) CaseDocuments(ctx context.Context, caseID int64) ([]Document, error) {
	return listDocuments(ctx, s.db, DocumentFilter{CaseID: caseID})
}

// Choices for forms.

// MeetingRef returns a meeting as cases and decisions name it.
func (s *Service) MeetingRef(ctx context.Context, id int64) (MeetingRef, error) {
	return meetingRef(ctx, s.db, id)
}

// SentTo lists the codes of the municipalities a case was sent to.
func (s *Service) SentTo(ctx context.Context, caseID int64) ([]string, error) {
	return sentMunicipalities(ctx, s.db, caseID)
}

// CanDecideIn reports whether the signed-in user may record decisions in the
// forum with id: the coordinator everywhere, ledning in HSL.
func (s *Service) CanDecideIn(ctx context.Context, forumID int64) (bool, error) {
	f, err := forumRef(ctx, s.db, forumID)
	if err != nil {
		return false, err
	}
	return CanDecide(ctx, f), nil
}

// ForumChoices lists every forum with its group's name and kind, by name.
func (s *Service) ForumChoices(ctx context.Context) ([]Forum, error) { return forumRefs(ctx, s.db) }

// MeetingChoices lists the latest meetings of a forum (every forum for 0),
// newest first.
func (s *Service) MeetingChoices(ctx context.Context, forumID int64) ([]MeetingRef, error) {
	return meetingRefs(ctx, s.db, forumID, 200)
}

// PersonChoices lists the people of the organisation registry by name.
func (s *Service) PersonChoices(ctx context.Context) ([]PersonRef, error) {
	return personRefs(ctx, s.db)
}

// HomeMunicipalities lists the municipalities of the home region by name.
func (s *Service) HomeMunicipalities(ctx context.Context) ([]MunicipalityRef, error) {
	return homeMunicipalities(ctx, s.db)
}
