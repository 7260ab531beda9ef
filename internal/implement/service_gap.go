package implement

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// Templates.

// defaultQuestions are the keys and levels of the region's model before a
// sjukvårdsregion changes it; the wording is implement.default.q.<key>.
var defaultQuestions = []Question{
	{Key: "current_practice", Level: Basic, Required: true},
	{Key: "desired_practice", Level: Basic, Required: true},
	{Key: "consequence_staff", Level: Extended},
	{Key: "consequence_competence", Level: Extended},
	{Key: "consequence_it", Level: Extended},
	{Key: "consequence_economy", Level: Extended},
	{Key: "consequence_patient_safety", Level: Extended},
	{Key: "consequence_municipalities", Level: Extended},
	{Key: "displaced", Level: Deeper, Required: true},
	{Key: "risk_assessment", Level: Deeper, Required: true},
	{Key: "resources_needed", Level: Deeper, Required: true},
	{Key: "decided_by", Level: Deeper, Required: true},
}

// DefaultTemplate is version 1 of a sjukvårdsregion's model, worded by t.
func DefaultTemplate(region string, t func(key string) string) Template {
	tm := Template{HealthcareRegion: region, Number: 1, Title: t("implement.default.template_title")}
	for _, q := range defaultQuestions {
		q.Label = t("implement.default.q." + q.Key)
		q.Help = t("implement.default.q." + q.Key + ".help")
		tm.Questions = append(tm.Questions, q)
	}
	return tm
}

// ensureTemplate returns the newest published template of the home
// sjukvårdsregion, publishing the default model as version 1 on first use.
func (s *Service) ensureTemplate(ctx context.Context, tx *db.Tx, now time.Time) (Template, bool, error) {
	region, err := homeHealthcareRegion(ctx, tx)
	if err != nil {
		return Template{}, false, err
	}
	t, err := latestPublished(ctx, tx, region)
	if err == nil || !errors.Is(err, errs.ErrNotFound) {
		return t, false, err
	}
	n, err := nextTemplateNumber(ctx, tx, region)
	if err != nil {
		return Template{}, false, err
	}
	t = DefaultTemplate(region, func(k string) string { return s.say(k) })
	t.Number, t.PublishedOn, t.PublishedBy = n, s.Today(), audit.DisplayName(ctx)
	if t.ID, err = insertTemplate(ctx, tx, t, now); err != nil {
		return Template{}, false, err
	}
	t, err = findTemplate(ctx, tx, t.ID)
	return t, true, err
}

// ensureModel returns the region's checklist model, writing the default
// model on first use.
func (s *Service) ensureModel(ctx context.Context, tx *db.Tx, now time.Time) ([]ModelItem, error) {
	ms, err := listModel(ctx, tx)
	if err != nil || len(ms) > 0 {
		return ms, err
	}
	for i, m := range DefaultChecklist {
		m.Label, m.Position = s.say("implement.checklist."+m.Key), i+1
		if _, err := insertModelItem(ctx, tx, m, now); err != nil {
			return nil, err
		}
	}
	return listModel(ctx, tx)
}

// Templates lists the template versions of every sjukvårdsregion, newest
// first, writing the home sjukvårdsregion's default model on first use.
func (s *Service) Templates(ctx context.Context) ([]Template, error) {
	ts, err := listTemplates(ctx, s.db, "")
	if err != nil || len(ts) > 0 {
		return ts, err
	}
	err = s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		t, created, err := s.ensureTemplate(ctx, tx, now)
		if err != nil || !created {
			return nil, err
		}
		return []audit.Change{{Entity: entityTemplate, EntityID: t.ID, Action: audit.Create, After: t}}, nil
	})
	if err != nil {
		return nil, err
	}
	return listTemplates(ctx, s.db, "")
}

// Template returns one template version.
func (s *Service) Template(ctx context.Context, id int64) (Template, error) {
	return findTemplate(ctx, s.db, id)
}

// NewTemplateVersion starts a draft of the next version of a
// sjukvårdsregion's template, copying the questions of version from.
func (s *Service) NewTemplateVersion(ctx context.Context, from int64) (Template, error) {
	if err := requireCoordinator(ctx); err != nil {
		return Template{}, err
	}
	var out Template
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		src, err := findTemplate(ctx, tx, from)
		if err != nil {
			return nil, err
		}
		if drafts, err := db.Exists(ctx, tx, `SELECT 1 FROM gap_templates WHERE healthcare_region = ? AND published_on IS NULL`, src.HealthcareRegion); err != nil {
			return nil, err
		} else if drafts {
			return nil, errs.Invalidf("template", "implement.template.draft_exists")
		}
		t := Template{HealthcareRegion: src.HealthcareRegion, Title: src.Title, Questions: slices.Clone(src.Questions)}
		if t.Number, err = nextTemplateNumber(ctx, tx, src.HealthcareRegion); err != nil {
			return nil, err
		}
		if t.ID, err = insertTemplate(ctx, tx, t, now); err != nil {
			return nil, err
		}
		out, err = findTemplate(ctx, tx, t.ID)
		return []audit.Change{{Entity: entityTemplate, EntityID: t.ID, Action: audit.Create, After: out}}, err
	})
	return out, err
}

// UpdateTemplate saves a draft version's title and questions, by version.
// A published version never changes.
func (s *Service) UpdateTemplate(ctx context.Context, t Template) (Template, error) {
	if err := requireCoordinator(ctx); err != nil {
		return Template{}, err
	}
	t.Normalize()
	var out Template
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := findTemplate(ctx, tx, t.ID)
		if err != nil {
			return nil, err
		}
		if before.Published() {
			return nil, fmt.Errorf("template %d: published: %w", t.ID, errs.ErrLocked)
		}
		if before.Version != t.Version {
			return nil, errs.ErrConflict
		}
		t.HealthcareRegion, t.Number = before.HealthcareRegion, before.Number
		if err := t.Validate(); err != nil {
			return nil, err
		}
		if err := updateTemplate(ctx, tx, t, now); err != nil {
			return nil, err
		}
		out, err = findTemplate(ctx, tx, t.ID)
		return []audit.Change{{Entity: entityTemplate, EntityID: t.ID, Action: audit.Update, Before: before, After: out}}, err
	})
	return out, err
}

// PublishTemplate publishes a draft version; from then on it is fixed and
// new workspaces of the sjukvårdsregion use it.
func (s *Service) PublishTemplate(ctx context.Context, id, version int64) (Template, error) {
	if err := requireCoordinator(ctx); err != nil {
		return Template{}, err
	}
	var out Template
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := findTemplate(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if before.Published() {
			return nil, fmt.Errorf("template %d: published: %w", id, errs.ErrLocked)
		}
		if before.Version != version {
			return nil, errs.ErrConflict
		}
		if err := before.Validate(); err != nil {
			return nil, err
		}
		t := before
		t.PublishedOn, t.PublishedBy = s.Today(), audit.DisplayName(ctx)
		if err := updateTemplate(ctx, tx, t, now); err != nil {
			return nil, err
		}
		out, err = findTemplate(ctx, tx, id)
		return []audit.Change{{Entity: entityTemplate, EntityID: id, Action: audit.Update, Before: before, After: out}}, err
	})
	return out, err
}

// DeleteTemplate deletes a draft version that nothing uses.
func (s *Service) DeleteTemplate(ctx context.Context, id, version int64) error {
	if err := requireCoordinator(ctx); err != nil {
		return err
	}
	return s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := findTemplate(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if before.Published() {
			return nil, fmt.Errorf("template %d: published: %w", id, errs.ErrLocked)
		}
		if used, err := templateInUse(ctx, tx, id); err != nil {
			return nil, err
		} else if used {
			return nil, fmt.Errorf("template %d: in use: %w", id, errs.ErrLocked)
		}
		if err := db.DeleteVersioned(ctx, tx, "gap_templates", id, version); err != nil {
			return nil, err
		}
		return []audit.Change{{Entity: entityTemplate, EntityID: id, Action: audit.Delete, Before: before}}, nil
	})
}

// UseTemplate moves an implementation to another published version of its
// sjukvårdsregion's template, for the analyses made from now on; those
// already made keep the version they were made with.
func (s *Service) UseTemplate(ctx context.Context, implementationID, templateID, version int64) (Implementation, error) {
	if err := requireCoordinator(ctx); err != nil {
		return Implementation{}, err
	}
	var out Implementation
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := editable(ctx, tx, implementationID)
		if err != nil {
			return nil, err
		}
		t, err := findTemplate(ctx, tx, templateID)
		if errors.Is(err, errs.ErrNotFound) {
			return nil, errs.Invalidf("template_id", "implement.template.unknown")
		} else if err != nil {
			return nil, err
		}
		cur, err := findTemplate(ctx, tx, before.TemplateID)
		if err != nil {
			return nil, err
		}
		if !t.Published() || t.HealthcareRegion != cur.HealthcareRegion {
			return nil, errs.Invalidf("template_id", "implement.template.not_usable")
		}
		if err := setTemplate(ctx, tx, implementationID, templateID, version, now); err != nil {
			return nil, err
		}
		out, err = findImplementation(ctx, tx, implementationID)
		return []audit.Change{{Entity: entityImplementation, EntityID: implementationID, Action: audit.Update, Before: before, After: out}}, err
	})
	return out, err
}

// Gap analyses.

// GapView is one recommendation's gap analysis with the template it is (or
// will be) made with.
type GapView struct {
	Recommendation catalog.Recommendation `json:"recommendation"`
	Gap            Gap                    `json:"gap"`
	Template       Template               `json:"template"`
	Rights         Rights                 `json:"rights"`
}

// GapOf returns the gap analysis of a recommendation of the implementation:
// a new, empty one on the implementation's current template when none is
// saved yet.
func (s *Service) GapOf(ctx context.Context, implementationID, recommendationID int64) (GapView, error) {
	m, r, err := s.Implementation(ctx, implementationID)
	if err != nil {
		return GapView{}, err
	}
	rec, err := s.catalog.Recommendation(ctx, recommendationID)
	if err != nil {
		return GapView{}, err
	}
	if rec.SupportID != m.SupportID {
		return GapView{}, fmt.Errorf("recommendation %d of another support: %w", recommendationID, errs.ErrNotFound)
	}
	g, err := findGapOf(ctx, s.db, recommendationID)
	if errors.Is(err, errs.ErrNotFound) {
		g = Gap{ImplementationID: m.ID, RecommendationID: recommendationID, TemplateID: m.TemplateID, Answers: map[string]string{}, UnitIDs: []int64{}}
	} else if err != nil {
		return GapView{}, err
	}
	t, err := findTemplate(ctx, s.db, g.TemplateID)
	return GapView{Recommendation: rec, Gap: g, Template: t, Rights: r}, err
}

// SaveGap saves a recommendation's gap analysis as a whole, by version (0
// for the first save). It is validated against the template it is made
// with; the affected units must exist. Someone else's save in between is
// errs.ErrConflict: the caller shows both versions.
func (s *Service) SaveGap(ctx context.Context, g Gap) (Gap, error) {
	g.Normalize()
	g.UnitIDs = distinct(g.UnitIDs)
	var out Gap
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		m, err := editable(ctx, tx, g.ImplementationID)
		if err != nil {
			return nil, err
		}
		supportID, err := recommendationSupport(ctx, tx, g.RecommendationID)
		if errors.Is(err, errs.ErrNotFound) || err == nil && supportID != m.SupportID {
			return nil, errs.Invalidf("recommendation_id", "implement.gap.other_support")
		} else if err != nil {
			return nil, err
		}
		before, err := findGapOf(ctx, tx, g.RecommendationID)
		exists := err == nil
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return nil, err
		}
		switch {
		case exists && before.Version != g.Version, !exists && g.Version != 0:
			return nil, errs.ErrConflict
		}
		g.TemplateID = m.TemplateID
		if exists {
			g.ID, g.TemplateID = before.ID, before.TemplateID
		}
		t, err := findTemplate(ctx, tx, g.TemplateID)
		if err != nil {
			return nil, err
		}
		if err := g.Validate(t); err != nil {
			return nil, err
		}
		for _, u := range g.UnitIDs {
			if ok, err := db.Exists(ctx, tx, `SELECT 1 FROM units WHERE id = ?`, u); err != nil {
				return nil, err
			} else if !ok {
				return nil, errs.Invalidf("unit_ids", "implement.gap.unit_missing")
			}
		}
		g.UpdatedBy = audit.DisplayName(ctx)
		action := audit.Update
		if exists {
			err = updateGap(ctx, tx, g, now)
		} else {
			action = audit.Create
			g.ID, err = insertGap(ctx, tx, g, now)
			if errors.Is(err, errs.ErrDuplicate) {
				// Someone saved the first version at the same moment.
				return nil, errs.ErrConflict
			}
		}
		if err != nil {
			return nil, err
		}
		if err := replaceGapUnits(ctx, tx, g.ID, g.UnitIDs); err != nil {
			return nil, err
		}
		out, err = findGapOf(ctx, tx, g.RecommendationID)
		c := audit.Change{Entity: entityGap, EntityID: g.ID, Action: action, After: out}
		if exists {
			c.Before = before
		}
		return []audit.Change{c}, err
	})
	return out, err
}
