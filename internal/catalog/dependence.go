package catalog

import (
	"context"

	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// DependentWork lists the supports the region works on that rest on one
// improvement lead or none (PersonDependent), as the registry's
// person-dependence report shows them: an org.DependenceSource.
func (s *Service) DependentWork(ctx context.Context) ([]org.DependentWork, error) {
	supports, err := s.PersonDependent(ctx)
	if err != nil {
		return nil, err
	}
	names, err := leadNames(ctx, s.db)
	if err != nil {
		return nil, err
	}
	out := make([]org.DependentWork, 0, len(supports))
	for _, sp := range supports {
		w := org.DependentWork{Kind: "knowledge_support", Title: sp.Title, Href: "/kunskapsstod/" + web.IDText(sp.ID),
			StatusKey: "catalog.status." + string(sp.Status), Leads: []string{}, GroupIDs: []int64{}}
		for _, id := range sp.LeadIDs {
			w.Leads = append(w.Leads, names[id])
		}
		for _, g := range []int64{sp.NationalOwnerID, sp.LocalOwnerID} {
			if g != 0 {
				w.GroupIDs = append(w.GroupIDs, g)
			}
		}
		out = append(out, w)
	}
	return out, nil
}
