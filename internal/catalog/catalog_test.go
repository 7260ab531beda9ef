package catalog_test

import (
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

func wantProblems(t *testing.T, err error, fields ...string) {
	t.Helper()
	if len(fields) == 0 {
		if err != nil {
			t.Fatalf("got %v, want no problem", err)
		}
		return
	}
	v, ok := errs.AsValidation(err)
	if !ok {
		t.Fatalf("got %v, want problems with %v", err, fields)
	}
	for _, f := range fields {
		if !v.Has(f) {
			t.Errorf("got %v, want a problem with %s", err, f)
		}
	}
}

func TestSupportValidate_RejectsBadInput(t *testing.T) {
	t.Parallel()
	ok := catalog.Support{Kind: catalog.CareProgramme, Title: "Vårdprogram för tjock- och ändtarmscancer",
		Link: "https://cancercentrum.se/samverkan/cancerdiagnoser/tjocktarm-andtarm-och-anal/", Status: catalog.Watched}
	tests := []struct {
		name   string
		change func(*catalog.Support)
		fields []string
	}{
		{"valid", func(*catalog.Support) {}, nil},
		{"unknown kind", func(s *catalog.Support) { s.Kind = "leaflet" }, []string{"kind"}},
		{"no title", func(s *catalog.Support) { s.Title = "" }, []string{"title"}},
		{"plain http link", func(s *catalog.Support) { s.Link = "http://cancercentrum.se/" }, []string{"link"}},
		{"link without host", func(s *catalog.Support) { s.Link = "https:///x" }, []string{"link"}},
		{"not a link", func(s *catalog.Support) { s.Link = "cancercentrum.se" }, []string{"link"}},
		{"phase on a care programme", func(s *catalog.Support) { s.Phase = catalog.Final }, []string{"phase"}},
		{"guideline without phase", func(s *catalog.Support) { s.Kind = catalog.NationalGuideline }, []string{"phase"}},
		{"guideline draft", func(s *catalog.Support) { s.Kind, s.Phase = catalog.NationalGuideline, catalog.Draft }, nil},
		{"guideline with unknown phase", func(s *catalog.Support) { s.Kind, s.Phase = catalog.NationalGuideline, "remiss" }, []string{"phase"}},
		{"unknown status", func(s *catalog.Support) { s.Status = "archived" }, []string{"status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := ok
			tt.change(&s)
			wantProblems(t, s.Validate(), tt.fields...)
		})
	}
}

func TestRecommendationValidate_GuidelineMarkingsOnly(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		kind   catalog.Kind
		rec    catalog.Recommendation
		fields []string
	}{
		{"guideline priority 1", catalog.NationalGuideline, catalog.Recommendation{SupportID: 1, Text: "Erbjud rökavvänjning", Priority: 1}, nil},
		{"guideline priority 10", catalog.NationalGuideline, catalog.Recommendation{SupportID: 1, Text: "x", Priority: 10}, nil},
		{"guideline without priority", catalog.NationalGuideline, catalog.Recommendation{SupportID: 1, Text: "x"}, nil},
		{"priority 11", catalog.NationalGuideline, catalog.Recommendation{SupportID: 1, Text: "x", Priority: 11}, []string{"priority"}},
		{"priority -1", catalog.NationalGuideline, catalog.Recommendation{SupportID: 1, Text: "x", Priority: -1}, []string{"priority"}},
		{"guideline do not do", catalog.NationalGuideline, catalog.Recommendation{SupportID: 1, Text: "x", DoNotDo: true}, nil},
		{"priority on a care pathway", catalog.CarePathway, catalog.Recommendation{SupportID: 1, Text: "x", Priority: 3}, []string{"priority"}},
		{"flags on a clinical document", catalog.ClinicalDocument, catalog.Recommendation{SupportID: 1, Text: "x", DoNotDo: true, ResearchOnly: true}, []string{"do_not_do", "research_only"}},
		{"no text", catalog.CarePathway, catalog.Recommendation{SupportID: 1}, []string{"text"}},
		{"no support", catalog.CarePathway, catalog.Recommendation{Text: "x"}, []string{"support_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantProblems(t, tt.rec.Validate(tt.kind), tt.fields...)
		})
	}
}

func TestStatus_Lifecycle(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from, to catalog.Status
		ok       bool
	}{
		{catalog.Watched, catalog.Inventoried, true},
		{catalog.Inventoried, catalog.Prioritised, true},
		{catalog.Prioritised, catalog.Decided, true},
		{catalog.Decided, catalog.BeingIntroduced, true},
		{catalog.BeingIntroduced, catalog.Introduced, true},
		{catalog.Introduced, catalog.FollowedUp, true},
		{catalog.Watched, catalog.NotRelevant, true},
		{catalog.Inventoried, catalog.NotRelevant, true},
		{catalog.Prioritised, catalog.NotRelevant, true},
		{catalog.Prioritised, catalog.Watched, true},
		{catalog.NotRelevant, catalog.Watched, true},
		{catalog.BeingIntroduced, catalog.PhasedOut, true},
		{catalog.Introduced, catalog.PhasedOut, true},
		{catalog.FollowedUp, catalog.PhasedOut, true},
		{catalog.Watched, catalog.Decided, false},            // skips the round
		{catalog.Decided, catalog.NotRelevant, false},        // HSL has decided
		{catalog.Watched, catalog.PhasedOut, false},          // never introduced
		{catalog.Introduced, catalog.BeingIntroduced, false}, // no step back
		{catalog.PhasedOut, catalog.Watched, false},
		{catalog.Watched, catalog.Watched, false},
	}
	for _, tt := range tests {
		if got := tt.from.CanMoveTo(tt.to); got != tt.ok {
			t.Errorf("%s → %s allowed = %v, want %v", tt.from, tt.to, got, tt.ok)
		}
	}
	for _, s := range catalog.Statuses {
		for _, n := range s.Next() {
			if n == s {
				t.Errorf("%s moves to itself", s)
			}
		}
	}
}
