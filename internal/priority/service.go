package priority

import (
	"context"
	"errors"
	"fmt"
	"slices"
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
)

// Service is the prioritisation round's use cases; each method that changes
// something is one transaction with its audit records.
type Service struct {
	db     *db.DB
	audit  *audit.Log
	forums *forum.Service
	texts  *i18n.Catalog
	now    func() time.Time
}

// NewService returns the prioritisation service. texts words what the round
// writes in other records (the reasons of the supports' status changes, the
// forum case), in Swedish, the language of the region's records.
func NewService(d *db.DB, log *audit.Log, forums *forum.Service, texts *i18n.Catalog, now func() time.Time) *Service {
	return &Service{db: d, audit: log, forums: forums, texts: texts,
		now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// Today is the current date in Sweden.
func (s *Service) Today() date.Date { return date.Of(s.now(), i18n.Stockholm()) }

// The entity names in the audit log.
const (
	entityRound     = "prioritisation_round"
	entityCandidate = "prioritisation_candidate"
	entitySheet     = "prioritisation_sheet"
)

// EntityRound is the name by which forum cases link to a round.
const EntityRound = entityRound

func (s *Service) change(ctx context.Context, fn func(tx *db.Tx, now time.Time) ([]audit.Change, error)) error {
	return s.audit.Tx(ctx, s.db, s.now, fn)
}

func (s *Service) say(key string, args ...any) string { return s.texts.T(i18n.SV, key, args...) }

func requireRunner(ctx context.Context) error {
	if !access.From(ctx).Can(Run) && !access.From(ctx).Has(access.Admin) {
		return fmt.Errorf("prioritisation: not the coordinator: %w", errs.ErrForbidden)
	}
	return nil
}

// CanRun reports whether the signed-in user runs rounds.
func CanRun(ctx context.Context) bool { return requireRunner(ctx) == nil }

// CanDecide reports whether the signed-in user may record HSL's decision.
func CanDecide(ctx context.Context) bool {
	p := access.From(ctx)
	return p.Can(Decide) || p.Has(access.Admin)
}

// DefaultRound is a new round for year with the criteria and the scale of
// the region's process: importance (significance and urgency, impact on
// care, spread in the organisation) and feasibility (resourcing of the
// working group including an improvement lead, support from managers,
// support for carrying out and follow-up, culture, timing) on a scale of 1 to
// 5, worded by t (a message catalogue lookup in the user's language).
func DefaultRound(year int, deadline date.Date, t func(key string) string) Round {
	r := Round{Year: year, Deadline: deadline, Title: strings.ReplaceAll(t("priority.default.title"), "{year}", itoa(year)),
		Instructions: t("priority.default.instructions"),
		Scale:        Scale{Min: 1, Max: 5}}
	for v := 1; v <= 5; v++ {
		r.Scale.Labels = append(r.Scale.Labels, t("priority.default.scale."+itoa(v)))
	}
	for _, c := range []struct {
		axis Axis
		key  string
	}{
		{Importance, "significance"}, {Importance, "impact"}, {Importance, "spread"},
		{Feasibility, "resources"}, {Feasibility, "managers"}, {Feasibility, "support"}, {Feasibility, "culture"}, {Feasibility, "timing"},
	} {
		r.Criteria = append(r.Criteria, Criterion{Axis: c.axis, Weight: 1,
			Label: t("priority.default.criterion." + c.key), Description: t("priority.default.criterion." + c.key + ".help")})
	}
	r.Normalize()
	return r
}

// RoundSummary is a round in the list of rounds.
type RoundSummary struct {
	Round
	Candidates int `json:"candidates"`
	Groups     int `json:"groups"`
	Answered   int `json:"answered" doc:"Groups that have rated every candidate completely"`
}

// Rounds lists every round, newest year first, with its progress.
func (s *Service) Rounds(ctx context.Context) ([]RoundSummary, error) {
	rs, err := listRounds(ctx, s.db)
	if err != nil {
		return nil, err
	}
	out := make([]RoundSummary, 0, len(rs))
	for _, r := range rs {
		res, err := s.Results(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, RoundSummary{Round: res.Round, Candidates: len(res.Ranked), Groups: len(res.Groups),
			Answered: len(res.Groups) - len(res.NotAnswered)})
	}
	return out, nil
}

// Round returns one round with its criteria.
func (s *Service) Round(ctx context.Context, id int64) (Round, error) {
	return findRound(ctx, s.db, id)
}

// CreateRound saves a new draft round with its criteria and scale.
func (s *Service) CreateRound(ctx context.Context, r Round) (Round, error) {
	if err := requireRunner(ctx); err != nil {
		return Round{}, err
	}
	r.Normalize()
	if err := r.Validate(); err != nil {
		return Round{}, err
	}
	var saved Round
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		id, err := insertRound(ctx, tx, r, now)
		if err != nil {
			return nil, err
		}
		for i := range r.Criteria {
			r.Criteria[i].ID = 0
		}
		if err := replaceCriteria(ctx, tx, id, r.Criteria); err != nil {
			return nil, err
		}
		saved, err = findRound(ctx, tx, id)
		return []audit.Change{{Entity: entityRound, EntityID: id, Action: audit.Create, After: saved}}, err
	})
	return saved, err
}

// UpdateRound saves a round's title, instructions and deadline, and while it
// is a draft also its year, scale and criteria, if nobody changed the round
// since version r.Version was read. Once rating has begun the scale and
// criteria are fixed, so every rating keeps its meaning.
func (s *Service) UpdateRound(ctx context.Context, r Round) (Round, error) {
	if err := requireRunner(ctx); err != nil {
		return Round{}, err
	}
	r.Normalize()
	if err := r.Validate(); err != nil {
		return Round{}, err
	}
	var saved Round
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := findRound(ctx, tx, r.ID)
		if err != nil {
			return nil, err
		}
		if before.Version != r.Version {
			return nil, errs.ErrConflict
		}
		switch before.Status {
		case Draft:
			for _, c := range r.Criteria {
				if c.ID != 0 && !slices.ContainsFunc(before.Criteria, func(b Criterion) bool { return b.ID == c.ID }) {
					return nil, errs.Invalidf("criteria", "priority.criteria.unknown")
				}
			}
			if err := replaceCriteria(ctx, tx, r.ID, r.Criteria); err != nil {
				return nil, err
			}
		case Open:
			if r.Year != before.Year || !sameScale(r.Scale, before.Scale) || !sameCriteria(r.Criteria, before.Criteria) {
				return nil, fmt.Errorf("round %d is open: %w", r.ID, errs.Invalidf("criteria", "priority.round.fixed_when_open"))
			}
			if r.Deadline.Before(s.Today()) {
				return nil, errs.Invalidf("deadline", "priority.round.deadline_past")
			}
		default:
			return nil, fmt.Errorf("round %d is %s: %w", r.ID, before.Status, errs.ErrLocked)
		}
		if err := updateRound(ctx, tx, r, now); err != nil {
			return nil, err
		}
		saved, err = findRound(ctx, tx, r.ID)
		return []audit.Change{{Entity: entityRound, EntityID: r.ID, Action: audit.Update, Before: before, After: saved}}, err
	})
	return saved, err
}

func sameScale(a, b Scale) bool {
	return a.Min == b.Min && a.Max == b.Max && slices.Equal(a.Labels, b.Labels)
}

func sameCriteria(a, b []Criterion) bool {
	return slices.EqualFunc(a, b, func(x, y Criterion) bool {
		return x.ID == y.ID && x.Axis == y.Axis && x.Label == y.Label && x.Description == y.Description && x.Weight == y.Weight
	})
}

// DeleteRound deletes a draft round.
func (s *Service) DeleteRound(ctx context.Context, id, version int64) error {
	if err := requireRunner(ctx); err != nil {
		return err
	}
	return s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := findRound(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if before.Status != Draft {
			return nil, fmt.Errorf("round %d is %s: %w", id, before.Status, errs.ErrLocked)
		}
		if err := db.DeleteVersioned(ctx, tx, "priority_rounds", id, version); err != nil {
			return nil, err
		}
		return []audit.Change{{Entity: entityRound, EntityID: id, Action: audit.Delete, Before: before}}, nil
	})
}

// Candidates lists a round's candidates in their order.
func (s *Service) Candidates(ctx context.Context, roundID int64) ([]Candidate, error) {
	if _, err := findRound(ctx, s.db, roundID); err != nil {
		return nil, err
	}
	return listCandidates(ctx, s.db, roundID)
}

// Eligible reports whether a support in status st may become a candidate:
// it is watched or inventoried.
func Eligible(st catalog.Status) bool { return st == catalog.Watched || st == catalog.Inventoried }

// SetCandidates makes supportIDs the candidates of a draft round, in that
// order. Each must be watched or inventoried and not a candidate of another
// round not yet decided.
func (s *Service) SetCandidates(ctx context.Context, roundID int64, supportIDs []int64, version int64) (Round, error) {
	if err := requireRunner(ctx); err != nil {
		return Round{}, err
	}
	supportIDs = distinct(supportIDs)
	if len(supportIDs) > maxCandidates {
		return Round{}, errs.Invalidf("support_ids", "priority.candidates.too_many", "max", itoa(maxCandidates))
	}
	return s.setRoundLinks(ctx, roundID, version, func(tx *db.Tx, r Round) error {
		for _, id := range supportIDs {
			sp, err := catalogSupport(ctx, tx, id)
			if errors.Is(err, errs.ErrNotFound) {
				return errs.Invalidf("support_ids", "priority.candidates.missing", "id", itoa64(id))
			}
			if err != nil {
				return err
			}
			if !Eligible(sp.Status) {
				return errs.Invalidf("support_ids", "priority.candidates.status", "title", sp.Title)
			}
			others, err := openRoundsOf(ctx, tx, id, roundID)
			if err != nil {
				return err
			}
			if len(others) > 0 {
				return errs.Invalidf("support_ids", "priority.candidates.in_other_round", "title", sp.Title)
			}
		}
		return replaceCandidates(ctx, tx, roundID, supportIDs)
	})
}

// maxCandidates and maxGroups bound a round: far above a year's work, low
// enough that a round's results stay fast.
const (
	maxCandidates = 500
	maxGroups     = 100
)

// Groups lists a round's assessor groups by name.
func (s *Service) Groups(ctx context.Context, roundID int64) ([]AssessorGroup, error) {
	if _, err := findRound(ctx, s.db, roundID); err != nil {
		return nil, err
	}
	return listGroups(ctx, s.db, roundID)
}

// EligibleGroups lists the groups that may rate: the home region's program
// areas (LPO, RPO), the primary-care council and other regional groups.
func (s *Service) EligibleGroups(ctx context.Context) ([]AssessorGroup, error) {
	return eligibleGroups(ctx, s.db)
}

// SetGroups makes groupIDs the assessor groups of a draft round.
func (s *Service) SetGroups(ctx context.Context, roundID int64, groupIDs []int64, version int64) (Round, error) {
	if err := requireRunner(ctx); err != nil {
		return Round{}, err
	}
	groupIDs = distinct(groupIDs)
	if len(groupIDs) > maxGroups {
		return Round{}, errs.Invalidf("group_ids", "priority.groups.too_many", "max", itoa(maxGroups))
	}
	return s.setRoundLinks(ctx, roundID, version, func(tx *db.Tx, r Round) error {
		eligible, err := eligibleGroups(ctx, tx)
		if err != nil {
			return err
		}
		for _, id := range groupIDs {
			if !slices.ContainsFunc(eligible, func(g AssessorGroup) bool { return g.GroupID == id }) {
				return errs.Invalidf("group_ids", "priority.groups.not_eligible", "id", itoa64(id))
			}
		}
		return replaceGroups(ctx, tx, roundID, groupIDs)
	})
}

// setRoundLinks changes what belongs to a draft round by fn and bumps the
// round's version.
func (s *Service) setRoundLinks(ctx context.Context, roundID, version int64, fn func(tx *db.Tx, r Round) error) (Round, error) {
	var saved Round
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := s.roundSnapshot(ctx, tx, roundID)
		if err != nil {
			return nil, err
		}
		if before.Round.Version != version {
			return nil, errs.ErrConflict
		}
		if !before.Round.Configurable() {
			return nil, fmt.Errorf("round %d is %s: %w", roundID, before.Round.Status, errs.ErrLocked)
		}
		if err := fn(tx, before.Round); err != nil {
			return nil, err
		}
		if err := touchRound(ctx, tx, roundID, version, now); err != nil {
			return nil, err
		}
		after, err := s.roundSnapshot(ctx, tx, roundID)
		saved = after.Round
		return []audit.Change{{Entity: entityRound, EntityID: roundID, Action: audit.Update, Before: before, After: after}}, err
	})
	return saved, err
}

// snapshot is a round with what belongs to it, as the audit log records it.
type snapshot struct {
	Round      Round           `json:"round"`
	Candidates []Candidate     `json:"candidates"`
	Groups     []AssessorGroup `json:"groups"`
}

func (s *Service) roundSnapshot(ctx context.Context, q db.Querier, id int64) (snapshot, error) {
	r, err := findRound(ctx, q, id)
	if err != nil {
		return snapshot{}, err
	}
	cs, err := listCandidates(ctx, q, id)
	if err != nil {
		return snapshot{}, err
	}
	gs, err := listGroups(ctx, q, id)
	return snapshot{Round: r, Candidates: cs, Groups: gs}, err
}

func distinct(ids []int64) []int64 {
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id != 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// Open opens a draft round for rating: it needs candidates, assessor groups
// and a deadline not in the past. Candidates that are watched become
// inventoried in the catalog, with the round as the reason.
func (s *Service) Open(ctx context.Context, id, version int64) (Round, error) {
	if err := requireRunner(ctx); err != nil {
		return Round{}, err
	}
	today := s.Today()
	return s.step(ctx, id, version, func(tx *db.Tx, sn snapshot, r *Round, now time.Time) ([]audit.Change, error) {
		if r.Status != Draft {
			return nil, errs.Invalidf("status", "priority.round.not_draft")
		}
		var v errs.ValidationError
		if len(sn.Candidates) == 0 {
			v.Add("support_ids", "priority.round.no_candidates")
		}
		if len(sn.Groups) == 0 {
			v.Add("group_ids", "priority.round.no_groups")
		}
		if r.Deadline.Before(today) {
			v.Add("deadline", "priority.round.deadline_past")
		}
		if err := v.Err(); err != nil {
			return nil, err
		}
		r.Status, r.OpenedOn = Open, today
		return s.moveSupports(ctx, tx, sn.Candidates, catalog.Watched, catalog.Inventoried, today, now,
			s.say("priority.reason.inventoried", "title", r.Title))
	})
}

// Close ends rating: results become final and the candidates prioritised in
// the catalog. The coordinator may close before the deadline.
func (s *Service) Close(ctx context.Context, id, version int64) (Round, error) {
	if err := requireRunner(ctx); err != nil {
		return Round{}, err
	}
	today := s.Today()
	return s.step(ctx, id, version, func(tx *db.Tx, sn snapshot, r *Round, now time.Time) ([]audit.Change, error) {
		if r.Status != Open {
			return nil, errs.Invalidf("status", "priority.round.not_open")
		}
		r.Status, r.ClosedOn = Closed, today
		return s.moveSupports(ctx, tx, sn.Candidates, catalog.Inventoried, catalog.Prioritised, today, now,
			s.say("priority.reason.prioritised", "title", r.Title))
	})
}

// Reopen opens a closed round again with a new deadline, before anything is
// decided, for a group that needs more time. Candidates stay prioritised.
func (s *Service) Reopen(ctx context.Context, id int64, deadline date.Date, version int64) (Round, error) {
	if err := requireRunner(ctx); err != nil {
		return Round{}, err
	}
	today := s.Today()
	return s.step(ctx, id, version, func(tx *db.Tx, sn snapshot, r *Round, now time.Time) ([]audit.Change, error) {
		if r.Status != Closed {
			return nil, errs.Invalidf("status", "priority.round.not_closed")
		}
		if deadline.IsZero() {
			return nil, errs.Invalidf("deadline", "validation.required")
		}
		if deadline.Before(today) {
			return nil, errs.Invalidf("deadline", "priority.round.deadline_past")
		}
		r.Status, r.Deadline, r.ClosedOn = Open, deadline, date.Date{}
		return nil, nil
	})
}

// step runs one of the round's steps: fn checks and changes r (and other
// records in tx); the round's new state is saved by version.
func (s *Service) step(ctx context.Context, id, version int64, fn func(tx *db.Tx, sn snapshot, r *Round, now time.Time) ([]audit.Change, error)) (Round, error) {
	var saved Round
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		sn, err := s.roundSnapshot(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if sn.Round.Version != version {
			return nil, errs.ErrConflict
		}
		r := sn.Round
		changes, err := fn(tx, sn, &r, now)
		if err != nil {
			return nil, err
		}
		if err := updateRoundState(ctx, tx, r, now); err != nil {
			return nil, err
		}
		saved, err = findRound(ctx, tx, id)
		return append([]audit.Change{{Entity: entityRound, EntityID: id, Action: audit.Update, Before: sn.Round, After: saved}}, changes...), err
	})
	return saved, err
}

// moveSupports moves the candidates whose support is in status from to
// status to, on day, for reason; others stay as they are.
func (s *Service) moveSupports(ctx context.Context, tx *db.Tx, cs []Candidate, from, to catalog.Status, day date.Date, now time.Time, reason string) ([]audit.Change, error) {
	var changes []audit.Change
	for _, c := range cs {
		if c.SupportStatus != from {
			continue
		}
		_, ch, err := catalog.TransitionTx(ctx, tx, c.SupportID, to, day, reason, 0, now)
		if err != nil {
			return nil, fmt.Errorf("support %d (%s): %w", c.SupportID, c.SupportTitle, err)
		}
		changes = append(changes, ch)
	}
	return changes, nil
}

// Rating.

// MyGroups lists the round's assessor groups the signed-in user rates for:
// those in which the person linked to the user holds a current membership.
// The coordinator may register ratings for every group (as received by mail
// or at a meeting) and gets them all.
func (s *Service) MyGroups(ctx context.Context, roundID int64) ([]AssessorGroup, error) {
	if _, err := findRound(ctx, s.db, roundID); err != nil {
		return nil, err
	}
	if CanRun(ctx) {
		return listGroups(ctx, s.db, roundID)
	}
	p := access.From(ctx)
	if p.Anonymous() {
		return []AssessorGroup{}, nil
	}
	return groupsOfUser(ctx, s.db, roundID, p.UserID, s.Today())
}

func (s *Service) requireRater(ctx context.Context, q db.Querier, roundID, groupID int64) error {
	if CanRun(ctx) {
		gs, err := listGroups(ctx, q, roundID)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(gs, func(g AssessorGroup) bool { return g.GroupID == groupID }) {
			return errs.Invalidf("group_id", "priority.sheet.not_assessor")
		}
		return nil
	}
	p := access.From(ctx)
	if p.Anonymous() {
		return errs.ErrForbidden
	}
	gs, err := groupsOfUser(ctx, q, roundID, p.UserID, s.Today())
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(gs, func(g AssessorGroup) bool { return g.GroupID == groupID }) {
		return errs.Invalidf("group_id", "priority.sheet.not_member")
	}
	return nil
}

// Sheet returns a group's sheet for a candidate; one not yet saved has
// version 0 and no scores.
func (s *Service) Sheet(ctx context.Context, roundID, candidateID, groupID int64) (Sheet, error) {
	r, err := findRound(ctx, s.db, roundID)
	if err != nil {
		return Sheet{}, err
	}
	cs, err := listCandidates(ctx, s.db, roundID)
	if err != nil {
		return Sheet{}, err
	}
	if !slices.ContainsFunc(cs, func(c Candidate) bool { return c.ID == candidateID }) {
		return Sheet{}, fmt.Errorf("candidate %d of round %d: %w", candidateID, roundID, errs.ErrNotFound)
	}
	gs, err := listGroups(ctx, s.db, roundID)
	if err != nil {
		return Sheet{}, err
	}
	if !slices.ContainsFunc(gs, func(g AssessorGroup) bool { return g.GroupID == groupID }) {
		return Sheet{}, fmt.Errorf("group %d of round %d: %w", groupID, roundID, errs.ErrNotFound)
	}
	sheets, err := listSheets(ctx, s.db, roundID, candidateID, groupID, true)
	if err != nil {
		return Sheet{}, err
	}
	if len(sheets) == 0 {
		return Sheet{RoundID: r.ID, CandidateID: candidateID, GroupID: groupID, Scores: []Score{}}, nil
	}
	return sheets[0], nil
}

// Sheets lists a round's sheets, by candidate and group; groupID 0 lists
// every group's.
func (s *Service) Sheets(ctx context.Context, roundID, groupID int64) ([]Sheet, error) {
	if _, err := findRound(ctx, s.db, roundID); err != nil {
		return nil, err
	}
	return listSheets(ctx, s.db, roundID, 0, groupID, true)
}

// SaveSheet saves a group's rating of a candidate as a whole. The round must
// be open and its deadline not passed; the signed-in user must be a current
// member of the group (or the coordinator); every score must lie on the
// round's scale. sh.Version is the version read (0 for a new sheet): if
// another member saved in between, the save is refused with a conflict and
// the other's rating is kept, so the second sees the first's rating and
// nothing is lost.
func (s *Service) SaveSheet(ctx context.Context, sh Sheet) (Sheet, error) {
	for i := range sh.Scores {
		sh.Scores[i].Comment = strings.TrimSpace(sh.Scores[i].Comment)
	}
	var saved Sheet
	today := s.Today()
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		r, err := findRound(ctx, tx, sh.RoundID)
		if err != nil {
			return nil, err
		}
		if err := s.requireRater(ctx, tx, r.ID, sh.GroupID); err != nil {
			return nil, err
		}
		switch {
		case r.Status == Draft:
			return nil, errs.Invalidf("round", "priority.sheet.not_open")
		case r.Status != Open:
			return nil, errs.Invalidf("round", "priority.sheet.closed")
		case !r.AcceptsRatings(today):
			return nil, errs.Invalidf("round", "priority.sheet.deadline_passed", "date", r.Deadline.Time())
		}
		cs, err := listCandidates(ctx, tx, r.ID)
		if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(cs, func(c Candidate) bool { return c.ID == sh.CandidateID }) {
			return nil, errs.Invalidf("candidate_id", "priority.sheet.unknown_candidate")
		}
		if err := sh.Check(r); err != nil {
			return nil, err
		}
		old, err := listSheets(ctx, tx, r.ID, sh.CandidateID, sh.GroupID, true)
		if err != nil {
			return nil, err
		}
		by := audit.DisplayName(ctx)
		var before any
		switch {
		case len(old) == 0 && sh.Version != 0, len(old) > 0 && old[0].Version != sh.Version:
			return nil, errs.ErrConflict
		case len(old) == 0:
			id, err := insertSheet(ctx, tx, sh, by, now)
			if err != nil {
				return nil, db.MapError(err)
			}
			sh.ID = id
		default:
			before, sh.ID = old[0], old[0].ID
			if err := touchSheet(ctx, tx, sh, by, now); err != nil {
				return nil, err
			}
		}
		if err := replaceScores(ctx, tx, sh.ID, ordered(r, sh.Scores)); err != nil {
			return nil, err
		}
		after, err := listSheets(ctx, tx, r.ID, sh.CandidateID, sh.GroupID, true)
		if err != nil {
			return nil, err
		}
		saved = after[0]
		action := audit.Update
		if before == nil {
			action = audit.Create
		}
		return []audit.Change{{Entity: entitySheet, EntityID: saved.ID, Action: action, Before: before, After: saved}}, nil
	})
	if errors.Is(err, errs.ErrDuplicate) {
		// Another member saved the group's first rating of the candidate at the same moment.
		return Sheet{}, errs.ErrConflict
	}
	return saved, err
}

// ordered keeps the scores worth storing, one per criterion in the round's
// order: scored or commented.
func ordered(r Round, scores []Score) []Score {
	out := make([]Score, 0, len(r.Criteria))
	for _, c := range r.Criteria {
		for _, sc := range scores {
			if sc.CriterionID == c.ID && (sc.Value != nil || sc.Comment != "") {
				out = append(out, sc)
				break
			}
		}
	}
	return out
}

// Results computes a round's aggregate scores, ranking and the groups'
// progress.
func (s *Service) Results(ctx context.Context, roundID int64) (Results, error) {
	res, _, err := s.results(ctx, roundID, false)
	return res, err
}

// ResultsAndSheets computes a round's results as Results does and returns
// the sheets with their comments too, read once, for the results page and
// its exports.
func (s *Service) ResultsAndSheets(ctx context.Context, roundID int64) (Results, []Sheet, error) {
	return s.results(ctx, roundID, true)
}

func (s *Service) results(ctx context.Context, roundID int64, withComments bool) (Results, []Sheet, error) {
	r, err := findRound(ctx, s.db, roundID)
	if err != nil {
		return Results{}, nil, err
	}
	cs, err := listCandidates(ctx, s.db, roundID)
	if err != nil {
		return Results{}, nil, err
	}
	gs, err := listGroups(ctx, s.db, roundID)
	if err != nil {
		return Results{}, nil, err
	}
	sheets, err := listSheets(ctx, s.db, roundID, 0, 0, withComments)
	if err != nil {
		return Results{}, nil, err
	}
	return Compute(r, cs, gs, sheets), sheets, nil
}

// Proposal.

// ProposalChange is the proposal for one candidate, by the candidate's
// version.
type ProposalChange struct {
	CandidateID int64 `json:"candidate_id"`
	Proposal
	Version int64 `json:"version"`
}

// SaveProposal saves the proposal for the candidates of a closed round: which
// to introduce, in what order, from when to when. Orders are unique among the
// proposed. All changes are saved or none.
func (s *Service) SaveProposal(ctx context.Context, roundID int64, changes []ProposalChange) ([]Candidate, error) {
	if err := requireRunner(ctx); err != nil {
		return nil, err
	}
	var v errs.ValidationError
	orders := map[int]bool{}
	for i, ch := range changes {
		ch.Note = strings.TrimSpace(ch.Note)
		changes[i] = ch
		if err := ch.Proposal.Validate(); err != nil {
			if fv, ok := errs.AsValidation(err); ok {
				for _, f := range fv.Fields {
					v.Add("candidates."+itoa(i)+"."+f.Name, f.Key, f.Args...)
				}
			}
		}
		if ch.Proposed && ch.ProposedOrder > 0 {
			if orders[ch.ProposedOrder] {
				v.Add("candidates."+itoa(i)+".proposed_order", "priority.decision.order_taken", "order", itoa(ch.ProposedOrder))
			}
			orders[ch.ProposedOrder] = true
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var saved []Candidate
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		r, err := findRound(ctx, tx, roundID)
		if err != nil {
			return nil, err
		}
		if r.Status != Closed {
			return nil, errs.Invalidf("round", "priority.proposal.not_closed")
		}
		cs, err := listCandidates(ctx, tx, roundID)
		if err != nil {
			return nil, err
		}
		var audits []audit.Change
		for _, ch := range changes {
			i := slices.IndexFunc(cs, func(c Candidate) bool { return c.ID == ch.CandidateID })
			if i < 0 {
				return nil, errs.Invalidf("candidates", "priority.sheet.unknown_candidate")
			}
			c := cs[i]
			if c.Version != ch.Version {
				return nil, errs.ErrConflict
			}
			c.Proposal = ch.Proposal
			if err := updateProposal(ctx, tx, c); err != nil {
				return nil, err
			}
			audits = append(audits, audit.Change{Entity: entityCandidate, EntityID: c.ID, Action: audit.Update, Before: cs[i], After: c})
		}
		// Orders must be unique over every candidate, not only the changed ones.
		if saved, err = listCandidates(ctx, tx, roundID); err != nil {
			return nil, err
		}
		seen := map[int]bool{}
		for _, c := range saved {
			if c.Proposed && c.ProposedOrder > 0 {
				if seen[c.ProposedOrder] {
					return nil, errs.Invalidf("candidates", "priority.decision.order_taken", "order", itoa(c.ProposedOrder))
				}
				seen[c.ProposedOrder] = true
			}
		}
		return audits, nil
	})
	return saved, err
}

// Anchoring and decision.

// StartCase registers the forum case through which a closed round's
// proposal is anchored in the primary-care council and decided by HSL: a
// case of kind prioritisation, linked to the round, with the coordinator (or
// responsiblePersonID) responsible. The anchoring itself, its meetings and
// documents, follow on the case in the forum capability.
func (s *Service) StartCase(ctx context.Context, roundID int64, responsiblePersonID int64, version int64) (Round, forum.Case, error) {
	if err := requireRunner(ctx); err != nil {
		return Round{}, forum.Case{}, err
	}
	var c forum.Case
	var saved Round
	var err error
	// Two registrations at once may pick the same case number; the second
	// transaction then runs again and takes the next one.
	for range 5 {
		saved, err = s.step(ctx, roundID, version, func(tx *db.Tx, _ snapshot, r *Round, now time.Time) ([]audit.Change, error) {
			switch {
			case r.Status != Closed:
				return nil, errs.Invalidf("round", "priority.case.not_closed")
			case r.CaseID != 0:
				return nil, errs.Invalidf("round", "priority.case.exists")
			}
			var changes []audit.Change
			var err error
			c, changes, err = forum.CreateCaseTx(ctx, tx, forum.Case{
				Title:               s.say("priority.case.title", "title", r.Title),
				Kind:                forum.Prioritisation,
				Description:         s.say("priority.case.description", "year", itoa(r.Year)),
				ResponsiblePersonID: responsiblePersonID,
				RegisteredOn:        s.Today(),
			}, []forum.Link{{Entity: entityRound, EntityID: itoa64(r.ID), Label: r.Title}}, now)
			r.CaseID = c.ID
			return changes, err
		})
		if !errors.Is(err, errs.ErrDuplicate) {
			break
		}
	}
	if err != nil {
		return Round{}, forum.Case{}, err
	}
	return saved, c, nil
}

// HSLForum returns the forum of HSL (the group of kind leadership), where
// the round is decided.
func (s *Service) HSLForum(ctx context.Context) (int64, error) {
	id, err := forumByKind(ctx, s.db, "leadership")
	if errors.Is(err, errs.ErrNotFound) {
		return 0, errs.Invalidf("forum_id", "priority.decision.no_hsl")
	}
	return id, err
}

// CouncilForum returns the forum of the primary-care council, where the
// proposal is anchored.
func (s *Service) CouncilForum(ctx context.Context) (int64, error) {
	id, err := forumByKind(ctx, s.db, "primary_care_council")
	if errors.Is(err, errs.ErrNotFound) {
		return 0, nil
	}
	return id, err
}

// RecordDecision records HSL's decision on a closed round whose proposal has
// a forum case: a decision of HSL on the case (one transaction with the
// rest), each candidate's outcome — decided for introduction with order and
// planned start and end, or watched again, or not relevant — and the
// supports' statuses in the catalog, dated the decision day with the
// decision as the reason. The round becomes decided.
func (s *Service) RecordDecision(ctx context.Context, roundID int64, d Decision, version int64) (Round, error) {
	if !CanDecide(ctx) {
		return Round{}, fmt.Errorf("round %d: %w", roundID, errs.ErrForbidden)
	}
	d.Text = strings.TrimSpace(d.Text)
	hsl, err := s.HSLForum(ctx)
	if err != nil {
		return Round{}, err
	}
	return s.step(ctx, roundID, version, func(tx *db.Tx, sn snapshot, r *Round, now time.Time) ([]audit.Change, error) {
		switch r.Status {
		case Draft, Open:
			return nil, errs.Invalidf("round", "priority.decision.round_open")
		case Decided:
			return nil, errs.Invalidf("round", "priority.decision.already")
		}
		if r.CaseID == 0 {
			return nil, errs.Invalidf("round", "priority.decision.no_case")
		}
		if err := d.Validate(sn.Candidates); err != nil {
			return nil, err
		}
		if d.DecidedOn.Before(r.ClosedOn) {
			return nil, errs.Invalidf("decided_on", "priority.decision.before_close", "date", r.ClosedOn.Time())
		}
		for i, c := range sn.Candidates {
			if c.SupportStatus != catalog.Prioritised {
				return nil, errs.Invalidf("outcomes."+itoa(i)+".outcome", "priority.decision.support_moved", "title", c.SupportTitle)
			}
		}
		cs, err := forumCase(ctx, tx, r.CaseID)
		if err != nil {
			return nil, err
		}
		dec, changes, err := forum.RecordDecisionTx(ctx, tx, forum.Decision{CaseID: r.CaseID, ForumID: hsl, MeetingID: d.MeetingID,
			DecidedOn: d.DecidedOn, Text: d.Text}, cs.Version, now)
		if err != nil {
			return nil, err
		}
		reason := s.say("priority.reason.decided", "title", r.Title, "case", cs.Number)
		for _, c := range sn.Candidates {
			o := d.Outcomes[slices.IndexFunc(d.Outcomes, func(o CandidateChoice) bool { return o.CandidateID == c.ID })]
			if err := updateOutcome(ctx, tx, c, o); err != nil {
				return nil, err
			}
			_, ch, err := catalog.TransitionTx(ctx, tx, c.SupportID, o.Outcome, d.DecidedOn, reason, 0, now)
			if err != nil {
				return nil, fmt.Errorf("support %d (%s): %w", c.SupportID, c.SupportTitle, err)
			}
			changes = append(changes, ch, audit.Change{Entity: entityCandidate, EntityID: c.ID, Action: audit.Update, Before: c, After: o})
		}
		r.Status, r.DecisionID, r.DecidedOn = Decided, dec.ID, d.DecidedOn
		return changes, nil
	})
}

// Time plan.

// PlanEntry is one support HSL decided to introduce, with its planned time
// and its status in the catalog now.
type PlanEntry struct {
	SupportID    int64          `json:"support_id"`
	SupportTitle string         `json:"support_title"`
	SupportKind  catalog.Kind   `json:"support_kind"`
	Status       catalog.Status `json:"status"`
	RoundID      int64          `json:"round_id"`
	RoundYear    int            `json:"round_year"`
	RoundTitle   string         `json:"round_title"`
	Order        int            `json:"order"`
	PlannedStart date.Date      `json:"planned_start"`
	PlannedEnd   date.Date      `json:"planned_end,omitzero"`
	DecidedOn    date.Date      `json:"decided_on"`
}

// Late reports whether the support should have been introduced by day but
// is not yet introduced (or further).
func (e PlanEntry) Late(day date.Date) bool {
	if e.PlannedEnd.IsZero() || !e.PlannedEnd.Before(day) {
		return false
	}
	return e.Status == catalog.Decided || e.Status == catalog.BeingIntroduced
}

// TimePlan lists the supports decided for introduction whose planned time
// overlaps year, by planned start.
func (s *Service) TimePlan(ctx context.Context, year int) ([]PlanEntry, error) {
	if year < 2000 || year > 2100 {
		return nil, errs.Invalidf("year", "validation.range", "min", "2000", "max", "2100")
	}
	return listPlan(ctx, s.db, date.New(year, time.January, 1), date.New(year, time.December, 31))
}
