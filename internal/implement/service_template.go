package implement

import (
	"context"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// HealthcareRegionNames returns the names of the sjukvårdsregioner by code,
// for naming a template ("Norra sjukvårdsregionen, version 2").
func (s *Service) HealthcareRegionNames(ctx context.Context) (map[string]string, error) {
	return healthcareRegionNames(ctx, s.db)
}

// CreateTemplate starts a draft of the next version of a sjukvårdsregion's
// template with the title and questions of t (the home sjukvårdsregion's
// when t names none). Like NewTemplateVersion it refuses a second draft.
func (s *Service) CreateTemplate(ctx context.Context, t Template) (Template, error) {
	if err := requireCoordinator(ctx); err != nil {
		return Template{}, err
	}
	t.Normalize()
	var out Template
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		if t.HealthcareRegion == "" {
			region, err := homeHealthcareRegion(ctx, tx)
			if err != nil {
				return nil, err
			}
			t.HealthcareRegion = region
		} else if ok, err := healthcareRegionExists(ctx, tx, t.HealthcareRegion); err != nil {
			return nil, err
		} else if !ok {
			return nil, errs.Invalidf("healthcare_region", "validation.choice")
		}
		if err := t.Validate(); err != nil {
			return nil, err
		}
		if draft, err := hasDraftTemplate(ctx, tx, t.HealthcareRegion); err != nil {
			return nil, err
		} else if draft {
			return nil, errs.Invalidf("template", "implement.template.draft_exists")
		}
		n, err := nextTemplateNumber(ctx, tx, t.HealthcareRegion)
		if err != nil {
			return nil, err
		}
		t.Number, t.PublishedOn, t.PublishedBy = n, date.Date{}, ""
		if t.ID, err = insertTemplate(ctx, tx, t, now); err != nil {
			return nil, err
		}
		out, err = findTemplate(ctx, tx, t.ID)
		return []audit.Change{{Entity: entityTemplate, EntityID: t.ID, Action: audit.Create, After: out}}, err
	})
	return out, err
}
