package catalog

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// Service is the catalog's use cases; each exported method that changes
// something is one transaction with its audit record.
type Service struct {
	db    *db.DB
	audit *audit.Log
	now   func() time.Time
	gates []Gate
}

// Gate may refuse a status change that another feature must allow first,
// such as "introduced", which needs the implementation's readiness
// checklist to be complete. It runs in the change's transaction.
type Gate func(ctx context.Context, q db.Querier, supportID int64, to Status) error

// Guard returns the service with gates that every Transition passes.
func (s *Service) Guard(gates ...Gate) *Service {
	c := *s
	c.gates = append(slices.Clone(s.gates), gates...)
	return &c
}

// SupportIn reads a support with its leads and units through q: for a
// feature reading it inside its own transaction.
func SupportIn(ctx context.Context, q db.Querier, id int64) (Support, error) {
	return findSupport(ctx, q, id)
}

// RecommendationsIn lists a support's recommendations in order through q.
func RecommendationsIn(ctx context.Context, q db.Querier, supportID int64) ([]Recommendation, error) {
	return listRecommendations(ctx, q, supportID)
}

// NewService returns the catalog service.
func NewService(d *db.DB, log *audit.Log, now func() time.Time) *Service {
	return &Service{db: d, audit: log, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// Today is the current date in Sweden.
func (s *Service) Today() date.Date { return date.Of(s.now(), i18n.Stockholm()) }

// The entity names in the audit log.
const (
	entitySupport        = "support"
	entityRecommendation = "recommendation"
)

// change runs fn in a transaction and records the change it returns.
func (s *Service) change(ctx context.Context, fn func(tx *db.Tx, now time.Time) (audit.Change, error)) error {
	return s.audit.Tx(ctx, s.db, s.now, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		c, err := fn(tx, now)
		return []audit.Change{c}, err
	})
}

// Supports lists the supports matching f, by title.
func (s *Service) Supports(ctx context.Context, f Filter) ([]Support, error) {
	return listSupports(ctx, s.db, f)
}

// Support returns one support with its units and leads.
func (s *Service) Support(ctx context.Context, id int64) (Support, error) {
	return findSupport(ctx, s.db, id)
}

// PersonDependent lists the supports the region works on (decided for
// introduction or later, not phased out) that have no or only one
// responsible improvement lead.
func (s *Service) PersonDependent(ctx context.Context) ([]Support, error) {
	all, err := listSupports(ctx, s.db, Filter{})
	if err != nil {
		return nil, err
	}
	out := []Support{}
	for _, sp := range all {
		if sp.Status.InWork() && sp.PersonDependent() {
			out = append(out, sp)
		}
	}
	return out, nil
}

// checkOwners checks that the national owner is an NPO and the local owner an LPO.
func checkOwners(ctx context.Context, q db.Querier, sp Support) error {
	var v errs.ValidationError
	for _, o := range []struct {
		id          int64
		kind, field string
	}{{sp.NationalOwnerID, "npo", "national_owner_id"}, {sp.LocalOwnerID, "lpo", "local_owner_id"}} {
		if o.id == 0 {
			continue
		}
		kind, err := groupKind(ctx, q, o.id)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return err
		}
		if kind != o.kind {
			v.Add(o.field, "catalog.support.owner_"+o.kind)
		}
	}
	return v.Err()
}

func duplicateCode(err error) error {
	if errors.Is(err, errs.ErrDuplicate) {
		return errors.Join(errs.Invalidf("code", "catalog.support.code_taken"), err)
	}
	return err
}

// CreateSupport adds a support to the catalog, watched unless sp says
// otherwise; its units and leads are set with SetUnits and SetLeads.
func (s *Service) CreateSupport(ctx context.Context, sp Support) (Support, error) {
	sp.Normalize()
	sp.ID, sp.Reference = 0, false
	if sp.Status == "" {
		sp.Status = Watched
	}
	if err := sp.Validate(); err != nil {
		return Support{}, err
	}
	err := s.change(ctx, func(tx *db.Tx, now time.Time) (audit.Change, error) {
		if err := checkOwners(ctx, tx, sp); err != nil {
			return audit.Change{}, err
		}
		id, err := insertSupport(ctx, tx, sp, now)
		if err != nil {
			return audit.Change{}, duplicateCode(err)
		}
		sp, err = findSupport(ctx, tx, id)
		return audit.Change{Entity: entitySupport, EntityID: id, Action: audit.Create, After: sp}, err
	})
	return sp, err
}

// UpdateSupport saves a changed support if nobody changed it since it was
// read. Its status changes only through Transition; its units and leads
// through SetUnits and SetLeads.
func (s *Service) UpdateSupport(ctx context.Context, sp Support) (Support, error) {
	sp.Normalize()
	var after Support
	err := s.change(ctx, func(tx *db.Tx, now time.Time) (audit.Change, error) {
		before, err := findSupport(ctx, tx, sp.ID)
		if err != nil {
			return audit.Change{}, err
		}
		sp.Status = before.Status
		if err := sp.Validate(); err != nil {
			return audit.Change{}, err
		}
		if err := checkOwners(ctx, tx, sp); err != nil {
			return audit.Change{}, err
		}
		if err := updateSupport(ctx, tx, sp, now); err != nil {
			return audit.Change{}, duplicateCode(err)
		}
		after, err = findSupport(ctx, tx, sp.ID)
		return audit.Change{Entity: entitySupport, EntityID: sp.ID, Action: audit.Update, Before: before, After: after}, err
	})
	return after, err
}

// DeleteSupport removes a support with its recommendations and history. The
// reference care pathways are kept: they return on every install.
func (s *Service) DeleteSupport(ctx context.Context, id, version int64) error {
	return s.change(ctx, func(tx *db.Tx, now time.Time) (audit.Change, error) {
		before, err := findSupport(ctx, tx, id)
		if err != nil {
			return audit.Change{}, err
		}
		if before.Reference {
			return audit.Change{}, errs.Invalidf("id", "catalog.support.reference_kept")
		}
		if err := db.DeleteVersioned(ctx, tx, "supports", id, version); err != nil {
			return audit.Change{}, err
		}
		return audit.Change{Entity: entitySupport, EntityID: id, Action: audit.Delete, Before: before}, nil
	})
}

// distinct returns ids sorted, without zeros and repeats.
func distinct(ids []int64) []int64 {
	out := slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return id <= 0 })
	slices.Sort(out)
	return slices.Compact(out)
}

// SetUnits replaces the units a support affects.
func (s *Service) SetUnits(ctx context.Context, id int64, units []int64, version int64) (Support, error) {
	return s.setLinks(ctx, id, version, "unit_ids", "units", "catalog.support.unit_missing", distinct(units), replaceUnits)
}

// SetLeads replaces the responsible improvement leads of a support.
func (s *Service) SetLeads(ctx context.Context, id int64, people []int64, version int64) (Support, error) {
	return s.setLinks(ctx, id, version, "lead_ids", "people", "catalog.support.lead_missing", distinct(people), replaceLeads)
}

func (s *Service) setLinks(ctx context.Context, id, version int64, field, table, missingKey string, ids []int64,
	replace func(context.Context, db.Querier, int64, []int64) error) (Support, error) {
	var after Support
	err := s.change(ctx, func(tx *db.Tx, now time.Time) (audit.Change, error) {
		before, err := findSupport(ctx, tx, id)
		if err != nil {
			return audit.Change{}, err
		}
		if n, err := countExisting(ctx, tx, table, ids); err != nil || n != len(ids) {
			return audit.Change{}, errors.Join(err, errs.Invalidf(field, missingKey))
		}
		if err := touchSupport(ctx, tx, id, version, now); err != nil {
			return audit.Change{}, err
		}
		if err := replace(ctx, tx, id, ids); err != nil {
			return audit.Change{}, err
		}
		after, err = findSupport(ctx, tx, id)
		return audit.Change{Entity: entitySupport, EntityID: id, Action: audit.Update, Before: before, After: after}, err
	})
	return after, err
}

// Lifecycle.

// Transition moves a support to status to on the given day, for a reason,
// if nobody changed the support since version was read. The day may not be
// before the support's previous transition; the change and its history row
// are one transaction.
func (s *Service) Transition(ctx context.Context, supportID int64, to Status, on date.Date, reason string, version int64) (Support, error) {
	reason = strings.TrimSpace(reason)
	var v errs.ValidationError
	if !slices.Contains(Statuses, to) {
		v.Add("to", "validation.choice")
	}
	if on.IsZero() {
		v.Add("on", "validation.required")
	}
	v.Text("reason", reason, true, 2000)
	if err := v.Err(); err != nil {
		return Support{}, err
	}
	var after Support
	err := s.change(ctx, func(tx *db.Tx, now time.Time) (c audit.Change, err error) {
		for _, g := range s.gates {
			if err := g(ctx, tx, supportID, to); err != nil {
				return audit.Change{}, err
			}
		}
		after, c, err = TransitionTx(ctx, tx, supportID, to, on, reason, version, now)
		return c, err
	})
	return after, err
}

// TransitionTx moves a support as Transition does, inside tx, and returns it
// with the audit change for the caller to record: for a feature whose own
// change (such as HSL's decision on a prioritisation round) must be one
// transaction with the support's. A version of 0 skips the version check,
// for callers that hold the support's row in the same transaction.
func TransitionTx(ctx context.Context, tx *db.Tx, supportID int64, to Status, on date.Date, reason string, version int64, now time.Time) (Support, audit.Change, error) {
	reason = strings.TrimSpace(reason)
	before, err := findSupport(ctx, tx, supportID)
	if err != nil {
		return Support{}, audit.Change{}, err
	}
	if version == 0 {
		version = before.Version
	}
	if before.Version != version {
		return Support{}, audit.Change{}, errs.ErrConflict
	}
	if !before.Status.CanMoveTo(to) {
		return Support{}, audit.Change{}, errs.Invalidf("to", "catalog.transition.not_allowed")
	}
	last, err := lastTransitionDate(ctx, tx, supportID)
	if err != nil {
		return Support{}, audit.Change{}, err
	}
	if on.Before(last) {
		return Support{}, audit.Change{}, errs.Invalidf("on", "catalog.transition.before_previous", "date", last.Time())
	}
	if err := updateStatus(ctx, tx, supportID, to, version, now); err != nil {
		return Support{}, audit.Change{}, err
	}
	t := Transition{SupportID: supportID, From: before.Status, To: to, On: on, Reason: reason, By: audit.ActorName(ctx)}
	if _, err := insertTransition(ctx, tx, t, now); err != nil {
		return Support{}, audit.Change{}, err
	}
	after, err := findSupport(ctx, tx, supportID)
	return after, audit.Change{Entity: entitySupport, EntityID: supportID, Action: audit.Update, Before: before, After: after}, err
}

// History lists a support's status changes, oldest first.
func (s *Service) History(ctx context.Context, id int64) ([]Transition, error) {
	if _, err := findSupport(ctx, s.db, id); err != nil {
		return nil, err
	}
	return listTransitions(ctx, s.db, id)
}

// Recommendations.

// Recommendations lists a support's recommendations in order.
func (s *Service) Recommendations(ctx context.Context, supportID int64) ([]Recommendation, error) {
	if _, err := findSupport(ctx, s.db, supportID); err != nil {
		return nil, err
	}
	return listRecommendations(ctx, s.db, supportID)
}

// Recommendation returns one recommendation.
func (s *Service) Recommendation(ctx context.Context, id int64) (Recommendation, error) {
	return findRecommendation(ctx, s.db, id)
}

// supportKind returns the kind of the support r belongs to; a missing
// support is a field error on support_id.
func supportKind(ctx context.Context, q db.Querier, r Recommendation) (Kind, error) {
	if r.SupportID == 0 {
		return "", errs.Invalidf("support_id", "validation.required")
	}
	sp, err := db.One(ctx, q, scanSupport, `SELECT `+supportColumns+` FROM supports WHERE id = ?`, r.SupportID)
	if errors.Is(err, errs.ErrNotFound) {
		return "", errs.Invalidf("support_id", "catalog.recommendation.support_missing")
	}
	return sp.Kind, err
}

// CreateRecommendation adds a recommendation to its support, last unless it
// names a position.
func (s *Service) CreateRecommendation(ctx context.Context, r Recommendation) (Recommendation, error) {
	r.Normalize()
	r.ID = 0
	err := s.change(ctx, func(tx *db.Tx, now time.Time) (audit.Change, error) {
		kind, err := supportKind(ctx, tx, r)
		if err != nil {
			return audit.Change{}, err
		}
		if err := r.Validate(kind); err != nil {
			return audit.Change{}, err
		}
		if r.Position == 0 {
			if r.Position, err = nextPosition(ctx, tx, r.SupportID); err != nil {
				return audit.Change{}, err
			}
		}
		id, err := insertRecommendation(ctx, tx, r, now)
		if err != nil {
			return audit.Change{}, err
		}
		r, err = findRecommendation(ctx, tx, id)
		return audit.Change{Entity: entityRecommendation, EntityID: id, Action: audit.Create, After: r}, err
	})
	return r, err
}

// UpdateRecommendation saves a changed recommendation if nobody changed it
// since it was read; it stays with its support.
func (s *Service) UpdateRecommendation(ctx context.Context, r Recommendation) (Recommendation, error) {
	r.Normalize()
	var after Recommendation
	err := s.change(ctx, func(tx *db.Tx, now time.Time) (audit.Change, error) {
		before, err := findRecommendation(ctx, tx, r.ID)
		if err != nil {
			return audit.Change{}, err
		}
		r.SupportID = before.SupportID
		kind, err := supportKind(ctx, tx, r)
		if err != nil {
			return audit.Change{}, err
		}
		if err := r.Validate(kind); err != nil {
			return audit.Change{}, err
		}
		if r.Position == 0 {
			r.Position = before.Position
		}
		if err := updateRecommendation(ctx, tx, r, now); err != nil {
			return audit.Change{}, err
		}
		after, err = findRecommendation(ctx, tx, r.ID)
		return audit.Change{Entity: entityRecommendation, EntityID: r.ID, Action: audit.Update, Before: before, After: after}, err
	})
	return after, err
}

// DeleteRecommendation removes a recommendation.
func (s *Service) DeleteRecommendation(ctx context.Context, id, version int64) error {
	return s.change(ctx, func(tx *db.Tx, now time.Time) (audit.Change, error) {
		before, err := findRecommendation(ctx, tx, id)
		if err != nil {
			return audit.Change{}, err
		}
		if err := db.DeleteVersioned(ctx, tx, "recommendations", id, version); err != nil {
			return audit.Change{}, err
		}
		return audit.Change{Entity: entityRecommendation, EntityID: id, Action: audit.Delete, Before: before}, nil
	})
}
