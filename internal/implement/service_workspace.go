package implement

import (
	"cmp"
	"context"
	"slices"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
)

// Workspace is everything about one implementation that its pages, the
// report and the API read: read once, in one place.
type Workspace struct {
	Implementation  Implementation           `json:"implementation"`
	Rights          Rights                   `json:"rights"`
	Support         catalog.Support          `json:"support"`
	Recommendations []catalog.Recommendation `json:"recommendations"`
	// Gaps by recommendation id; a recommendation without an analysis has none.
	Gaps map[int64]Gap `json:"gaps"`
	// Templates by id: the current one and every one an analysis was made with.
	Templates      map[int64]Template `json:"templates"`
	Actions        []Action           `json:"actions"`
	Communications []Communication    `json:"communications"`
	Checklist      []ChecklistItem    `json:"checklist"`
	Progress       Progress           `json:"progress"`
	Profile        GapProfile         `json:"gap_profile"`
	Ready          bool               `json:"ready" doc:"Every required checklist item is done or waived"`
	Today          date.Date          `json:"today"`
	// Names of the people and units the workspace refers to.
	People map[int64]string `json:"-"`
	Units  map[int64]string `json:"-"`
	// MunicipalityNames names the municipalities concerned by code.
	MunicipalityNames map[string]string `json:"-"`
}

// MunicipalityList is the names of the municipalities concerned, sorted.
func (w Workspace) MunicipalityList() []string {
	out := make([]string, 0, len(w.Implementation.Municipalities))
	for _, c := range w.Implementation.Municipalities {
		out = append(out, cmp.Or(w.MunicipalityNames[c], c))
	}
	slices.Sort(out)
	return out
}

// Template returns the implementation's current template.
func (w Workspace) Template() Template { return w.Templates[w.Implementation.TemplateID] }

// GapList returns the gaps in the order of the recommendations.
func (w Workspace) GapList() []Gap {
	out := make([]Gap, 0, len(w.Gaps))
	for _, r := range w.Recommendations {
		if g, ok := w.Gaps[r.ID]; ok {
			out = append(out, g)
		}
	}
	return out
}

// GapByID returns the gap analysis with id.
func (w Workspace) GapByID(id int64) (Gap, bool) {
	for _, g := range w.Gaps {
		if g.ID == id {
			return g, true
		}
	}
	return Gap{}, false
}

// Recommendation returns the recommendation with id.
func (w Workspace) Recommendation(id int64) (catalog.Recommendation, bool) {
	for _, r := range w.Recommendations {
		if r.ID == id {
			return r, true
		}
	}
	return catalog.Recommendation{}, false
}

// Leads returns the support's responsible improvement leads.
func (w Workspace) Leads() []int64 { return w.Support.LeadIDs }

// Workspace reads one implementation whole, if the user may read it.
func (s *Service) Workspace(ctx context.Context, id int64) (Workspace, error) {
	m, r, err := s.Implementation(ctx, id)
	if err != nil {
		return Workspace{}, err
	}
	w := Workspace{Implementation: m, Rights: r, Today: s.Today(), Gaps: map[int64]Gap{}, Templates: map[int64]Template{}}
	if w.Support, err = catalog.SupportIn(ctx, s.db, m.SupportID); err != nil {
		return Workspace{}, err
	}
	if w.Recommendations, err = catalog.RecommendationsIn(ctx, s.db, m.SupportID); err != nil {
		return Workspace{}, err
	}
	gaps, err := listGaps(ctx, s.db, id)
	if err != nil {
		return Workspace{}, err
	}
	templateIDs := []int64{m.TemplateID}
	var unitIDs []int64
	for _, g := range gaps {
		w.Gaps[g.RecommendationID] = g
		templateIDs = append(templateIDs, g.TemplateID)
		unitIDs = append(unitIDs, g.UnitIDs...)
	}
	for _, tid := range distinct(templateIDs) {
		t, err := findTemplate(ctx, s.db, tid)
		if err != nil {
			return Workspace{}, err
		}
		w.Templates[tid] = t
	}
	if w.Actions, err = listActions(ctx, s.db, id); err != nil {
		return Workspace{}, err
	}
	if w.Communications, err = listCommunications(ctx, s.db, id); err != nil {
		return Workspace{}, err
	}
	if w.Checklist, err = listItems(ctx, s.db, id); err != nil {
		return Workspace{}, err
	}
	w.Progress = PlanProgress(w.Actions, w.Today)
	w.Profile = Profile(gaps, len(w.Recommendations))
	w.Ready, _ = Ready(w.Checklist)
	people := append(append(append([]int64{m.SponsorID}, m.MemberIDs...), w.Support.LeadIDs...), 0)
	for _, a := range w.Actions {
		people = append(people, a.ResponsibleID)
	}
	for _, c := range w.Communications {
		people = append(people, c.ResponsibleID)
	}
	if w.People, err = personNames(ctx, s.db, distinct(people)); err != nil {
		return Workspace{}, err
	}
	if w.Units, err = unitNames(ctx, s.db, distinct(append(unitIDs, w.Support.UnitIDs...))); err != nil {
		return Workspace{}, err
	}
	if w.MunicipalityNames, err = municipalityNames(ctx, s.db, m.Municipalities); err != nil {
		return Workspace{}, err
	}
	return w, nil
}
