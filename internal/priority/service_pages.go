package priority

import (
	"cmp"
	"context"
	"slices"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
)

// EligibleSupport is a catalog support that may become a candidate of a
// round, and whether it is already a candidate of another round not yet
// decided (and so cannot be chosen).
type EligibleSupport struct {
	catalog.Support
	InOtherRound bool
}

// EligibleSupports lists the supports in status watched or inventoried whose
// title or code matches query (all when empty), by title, for the candidates
// page of round roundID.
func (s *Service) EligibleSupports(ctx context.Context, roundID int64, query string) ([]EligibleSupport, error) {
	cat := catalog.NewService(s.db, s.audit, s.now)
	var all []catalog.Support
	for _, st := range []catalog.Status{catalog.Watched, catalog.Inventoried} {
		sps, err := cat.Supports(ctx, catalog.Filter{Status: st, Query: query})
		if err != nil {
			return nil, err
		}
		all = append(all, sps...)
	}
	slices.SortFunc(all, func(a, b catalog.Support) int {
		return cmp.Or(cmp.Compare(a.Title, b.Title), cmp.Compare(a.ID, b.ID))
	})
	out := make([]EligibleSupport, 0, len(all))
	for _, sp := range all {
		others, err := openRoundsOf(ctx, s.db, sp.ID, roundID)
		if err != nil {
			return nil, err
		}
		out = append(out, EligibleSupport{Support: sp, InOtherRound: len(others) > 0})
	}
	return out, nil
}
