package implement

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/mail"
)

// Service is the implementation workspace's use cases; each method that
// changes something is one transaction with its audit records.
type Service struct {
	db      *db.DB
	audit   *audit.Log
	catalog *catalog.Service
	texts   *i18n.Catalog
	now     func() time.Time
	// drafter drafts report summaries; nil when no endpoint is configured.
	drafter Drafter
	// publicURL prefixes the links in mails (WithPublicURL); "" is relative.
	publicURL string
}

// NewService returns the implementation service. texts words what the
// service writes in records (default template questions, checklist labels,
// the reasons of the support's status changes) in Swedish, the language of
// the region's records.
func NewService(d *db.DB, log *audit.Log, texts *i18n.Catalog, now func() time.Time) *Service {
	return &Service{db: d, audit: log, catalog: catalog.NewService(d, log, now), texts: texts,
		now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// WithDrafter returns the service drafting report summaries with dr.
func (s *Service) WithDrafter(dr Drafter) *Service {
	c := *s
	c.drafter = dr
	return &c
}

// Today is the current date in Sweden.
func (s *Service) Today() date.Date { return date.Of(s.now(), i18n.Stockholm()) }

// The entity names in the audit log.
const (
	entityImplementation = "implementation"
	entityTemplate       = "gap_template"
	entityGap            = "gap_analysis"
	entityAction         = "action"
	entityCommunication  = "communication"
	entityItem           = "checklist_item"
	entityModelItem      = "checklist_model_item"
	entitySurvey         = "unit_survey"
	entitySurveyAnswer   = "unit_survey_answer"
	entityRevision       = "plan_revision"
	entityCommentRound   = "comment_round"
	entityComment        = "plan_comment"
	entityComparison     = "gap_comparison"
)

// EntityImplementation is the name by which forum cases and the audit log
// refer to an implementation.
const EntityImplementation = entityImplementation

func (s *Service) change(ctx context.Context, fn func(tx *db.Tx, now time.Time) ([]audit.Change, error)) error {
	return s.audit.Tx(ctx, s.db, s.now, fn)
}

func (s *Service) say(key string, args ...any) string { return s.texts.T(i18n.SV, key, args...) }

// mailSubject makes subject fit a mail's subject line: one line, at most
// mail.MaxSubject characters (a long support title is cut with "…").
func mailSubject(subject string) string {
	subject = strings.Join(strings.Fields(subject), " ")
	if r := []rune(subject); len(r) > mail.MaxSubject {
		subject = string(r[:mail.MaxSubject-1]) + "…"
	}
	return subject
}

// CanCoordinate reports whether the signed-in user is the coordinator (or an
// administrator).
func CanCoordinate(ctx context.Context) bool {
	p := access.From(ctx)
	return p.Can(Coordinate) || p.Has(access.Admin)
}

// CanOversee reports whether the signed-in user reads every workspace.
func CanOversee(ctx context.Context) bool {
	p := access.From(ctx)
	return p.Can(Oversee) || p.Has(access.Admin)
}

func requireCoordinator(ctx context.Context) error {
	if !CanCoordinate(ctx) {
		return fmt.Errorf("implement: not the coordinator: %w", errs.ErrForbidden)
	}
	return nil
}

// Rights is what the signed-in user may do with one implementation.
type Rights struct {
	Read       bool `json:"read"`
	Edit       bool `json:"edit" doc:"A member of the working group or the coordinator"`
	Coordinate bool `json:"coordinate" doc:"The coordinator: waives checklist items, changes the template in use"`
}

// rights works out what the signed-in user may do with m.
func rights(ctx context.Context, q db.Querier, m Implementation) (Rights, error) {
	r := Rights{Coordinate: CanCoordinate(ctx)}
	if r.Coordinate {
		return Rights{Read: true, Edit: true, Coordinate: true}, nil
	}
	member, err := isWorkingGroupMember(ctx, q, m, access.From(ctx).UserID)
	if err != nil {
		return Rights{}, err
	}
	r.Edit = member
	r.Read = member || CanOversee(ctx)
	return r, nil
}

// requireEdit loads m's rights and refuses a user who may not edit it.
func requireEdit(ctx context.Context, q db.Querier, m Implementation) error {
	r, err := rights(ctx, q, m)
	if err != nil {
		return err
	}
	if !r.Edit {
		return fmt.Errorf("implementation %d: not in the working group: %w", m.ID, errs.ErrForbidden)
	}
	return nil
}

// editable reads implementation id inside tx and checks the user may edit it.
func editable(ctx context.Context, tx *db.Tx, id int64) (Implementation, error) {
	// On PostgreSQL (read committed) the row is share-locked, so a change
	// cannot commit beside MarkIntroduced, which locks it for update.
	if err := lockImplementation(ctx, tx, id, false); err != nil {
		return Implementation{}, err
	}
	m, err := findImplementation(ctx, tx, id)
	if err != nil {
		return Implementation{}, err
	}
	if err := requireEdit(ctx, tx, m); err != nil {
		return Implementation{}, err
	}
	if !m.IntroducedOn.IsZero() {
		return Implementation{}, fmt.Errorf("implementation %d: introduced: %w", id, errs.ErrLocked)
	}
	return m, nil
}

// editableAt is editable for a change made on version of the implementation:
// one changed since is a conflict.
func editableAt(ctx context.Context, tx *db.Tx, id, version int64) (Implementation, error) {
	m, err := editable(ctx, tx, id)
	if err != nil {
		return Implementation{}, err
	}
	if m.Version != version {
		return Implementation{}, errs.ErrConflict
	}
	return m, nil
}

// Implementation returns one implementation, if the user may read it.
func (s *Service) Implementation(ctx context.Context, id int64) (Implementation, Rights, error) {
	m, err := findImplementation(ctx, s.db, id)
	if err != nil {
		return Implementation{}, Rights{}, err
	}
	r, err := rights(ctx, s.db, m)
	if err != nil {
		return Implementation{}, Rights{}, err
	}
	if !r.Read {
		return Implementation{}, Rights{}, fmt.Errorf("implementation %d: %w", id, errs.ErrForbidden)
	}
	return m, r, nil
}

// OfSupport returns the id of a support's implementation, 0 if it has none.
func (s *Service) OfSupport(ctx context.Context, supportID int64) (int64, error) {
	m, err := findImplementationOfSupport(ctx, s.db, supportID)
	if errors.Is(err, errs.ErrNotFound) {
		return 0, nil
	}
	return m.ID, err
}

// Start opens the workspace of a support decided for introduction: it gets
// the newest published template of the home sjukvårdsregion (the region's
// default model on first use), the checklist from the region's model, and
// the support moves to "being introduced" on the day given.
type Start struct {
	SupportID  int64     `json:"support_id"`
	SponsorID  int64     `json:"sponsor_id,omitempty"`
	StartedOn  date.Date `json:"started_on,omitzero" doc:"Defaults to today"`
	PlannedEnd date.Date `json:"planned_end,omitzero"`
}

// StartImplementation opens a workspace (the coordinator's step).
func (s *Service) StartImplementation(ctx context.Context, in Start) (Implementation, error) {
	if err := requireCoordinator(ctx); err != nil {
		return Implementation{}, err
	}
	if in.StartedOn.IsZero() {
		in.StartedOn = s.Today()
	}
	var v errs.ValidationError
	if in.SupportID == 0 {
		v.Add("support_id", "validation.required")
	}
	if !in.PlannedEnd.IsZero() && in.PlannedEnd.Before(in.StartedOn) {
		v.Add("planned_end", "implement.start.end_before_start")
	}
	if err := v.Err(); err != nil {
		return Implementation{}, err
	}
	var out Implementation
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		m, cs, err := s.startTx(ctx, tx, in, now)
		out = m
		return cs, err
	})
	return out, err
}

// startTx is StartImplementation inside tx, for the demo too.
func (s *Service) startTx(ctx context.Context, tx *db.Tx, in Start, now time.Time) (Implementation, []audit.Change, error) {
	sp, err := catalog.SupportIn(ctx, tx, in.SupportID)
	if err != nil {
		if errors.Is(err, errs.ErrNotFound) {
			return Implementation{}, nil, errs.Invalidf("support_id", "implement.start.support_missing")
		}
		return Implementation{}, nil, err
	}
	if sp.Status != catalog.Decided && sp.Status != catalog.BeingIntroduced {
		return Implementation{}, nil, errs.Invalidf("support_id", "implement.start.not_decided")
	}
	if _, err := findImplementationOfSupport(ctx, tx, in.SupportID); err == nil {
		return Implementation{}, nil, errs.Invalidf("support_id", "implement.start.exists")
	} else if !errors.Is(err, errs.ErrNotFound) {
		return Implementation{}, nil, err
	}
	if in.SponsorID != 0 {
		if ok, err := db.Exists(ctx, tx, `SELECT 1 FROM people WHERE id = ?`, in.SponsorID); err != nil {
			return Implementation{}, nil, err
		} else if !ok {
			return Implementation{}, nil, errs.Invalidf("sponsor_id", "implement.group.person_missing")
		}
	}
	var cs []audit.Change
	tmpl, created, err := s.ensureTemplate(ctx, tx, now)
	if err != nil {
		return Implementation{}, nil, err
	}
	if created {
		cs = append(cs, audit.Change{Entity: entityTemplate, EntityID: tmpl.ID, Action: audit.Create, After: tmpl})
	}
	model, err := s.ensureModel(ctx, tx, now)
	if err != nil {
		return Implementation{}, nil, err
	}
	m := Implementation{SupportID: in.SupportID, TemplateID: tmpl.ID, SponsorID: in.SponsorID, StartedOn: in.StartedOn, PlannedEnd: in.PlannedEnd}
	if m.ID, err = insertImplementation(ctx, tx, m, now); err != nil {
		return Implementation{}, nil, err
	}
	pos := 0
	for _, mi := range model {
		if mi.MunicipalOnly && !sp.ConcernsMunicipalities {
			continue
		}
		pos++
		it := ChecklistItem{ImplementationID: m.ID, Key: mi.Key, Label: mi.Label, Required: mi.Required, Position: pos}
		if _, err := insertItem(ctx, tx, it, now); err != nil {
			return Implementation{}, nil, err
		}
	}
	if sp.Status == catalog.Decided {
		_, c, err := catalog.TransitionTx(ctx, tx, sp.ID, catalog.BeingIntroduced, in.StartedOn, s.say("implement.start.reason"), 0, now)
		if err != nil {
			return Implementation{}, nil, err
		}
		cs = append(cs, c)
	}
	after, err := findImplementation(ctx, tx, m.ID)
	if err != nil {
		return Implementation{}, nil, err
	}
	return after, append(cs, audit.Change{Entity: entityImplementation, EntityID: m.ID, Action: audit.Create, After: after}), nil
}

// UpdateGroup saves the working group (sponsor, members besides the
// improvement leads, municipalities concerned) and the planned end, by
// version. The improvement leads and the affected units are the support's
// own, kept in the catalog.
func (s *Service) UpdateGroup(ctx context.Context, in Implementation) (Implementation, error) {
	in.MemberIDs = distinct(in.MemberIDs)
	in.Municipalities = slices.Compact(slices.Sorted(slices.Values(in.Municipalities)))
	var out Implementation
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := editableAt(ctx, tx, in.ID, in.Version)
		if err != nil {
			return nil, err
		}
		var v errs.ValidationError
		if !in.PlannedEnd.IsZero() && in.PlannedEnd.Before(before.StartedOn) {
			v.Add("planned_end", "implement.start.end_before_start")
		}
		for i, p := range append(slices.Clone(in.MemberIDs), in.SponsorID) {
			if p == 0 {
				continue
			}
			field := "member_ids"
			if i == len(in.MemberIDs) {
				field = "sponsor_id"
			}
			if ok, err := db.Exists(ctx, tx, `SELECT 1 FROM people WHERE id = ?`, p); err != nil {
				return nil, err
			} else if !ok && !v.Has(field) {
				v.Add(field, "implement.group.person_missing")
			}
		}
		for _, c := range in.Municipalities {
			if ok, err := db.Exists(ctx, tx, `SELECT 1 FROM municipalities WHERE code = ?`, c); err != nil {
				return nil, err
			} else if !ok {
				v.Add("municipalities", "implement.group.municipality_missing", "code", c)
				break
			}
		}
		if err := v.Err(); err != nil {
			return nil, err
		}
		m := before
		m.SponsorID, m.MemberIDs, m.Municipalities, m.PlannedEnd = in.SponsorID, in.MemberIDs, in.Municipalities, in.PlannedEnd
		if err := updateGroup(ctx, tx, m, now); err != nil {
			return nil, err
		}
		cs := []audit.Change{}
		if len(m.Municipalities) > 0 {
			// Municipalities concerned: the checklist asks for the municipal
			// agreement, also when the support was not marked as concerning
			// them when the workspace started.
			c, err := s.ensureMunicipalItem(ctx, tx, m.ID, now)
			if err != nil {
				return nil, err
			}
			cs = append(cs, c...)
		}
		out, err = findImplementation(ctx, tx, m.ID)
		return append(cs, audit.Change{Entity: entityImplementation, EntityID: m.ID, Action: audit.Update, Before: before, After: out}), err
	})
	return out, err
}

// ensureMunicipalItem adds the region's municipal-agreement item to an
// implementation's checklist when it has none.
func (s *Service) ensureMunicipalItem(ctx context.Context, tx *db.Tx, id int64, now time.Time) ([]audit.Change, error) {
	items, err := listItems(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if it.Key == ItemMunicipal {
			return nil, nil
		}
	}
	model, err := s.ensureModel(ctx, tx, now)
	if err != nil {
		return nil, err
	}
	for _, mi := range model {
		if mi.Key != ItemMunicipal {
			continue
		}
		it := ChecklistItem{ImplementationID: id, Key: mi.Key, Label: mi.Label, Required: mi.Required, Position: len(items) + 1}
		if it.ID, err = insertItem(ctx, tx, it, now); err != nil {
			return nil, err
		}
		return []audit.Change{{Entity: entityItem, EntityID: it.ID, Action: audit.Create, After: it}}, nil
	}
	return nil, nil
}

func distinct(ids []int64) []int64 {
	out := slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return id == 0 })
	slices.Sort(out)
	return slices.Compact(out)
}

// Gate refuses to move a support to "introduced" from the catalog: a
// support is introduced through its workspace (MarkIntroduced), where the
// readiness checklist is checked and the workspace locked in the same step.
// A support without a workspace needs one first. It is installed on the
// catalog service (catalog.Service.Guard).
func Gate(ctx context.Context, q db.Querier, supportID int64, to catalog.Status) error {
	if to != catalog.Introduced {
		return nil
	}
	_, err := findImplementationOfSupport(ctx, q, supportID)
	switch {
	case errors.Is(err, errs.ErrNotFound):
		return errs.Invalidf("to", "implement.introduce.no_workspace")
	case err != nil:
		return err
	}
	return errs.Invalidf("to", "implement.introduce.use_workspace")
}
