package priority_test

import (
	"fmt"
	"io"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/priority"
)

// benchBasis is a closed round far larger than a year's: 200 candidates
// rated by 40 groups on the eight default criteria, every group commenting
// on two criteria of every fifth candidate, and half the candidates
// proposed.
func benchBasis(tr func(string) string) priority.Basis {
	r := priority.DefaultRound(2027, day("2026-10-15"), tr)
	r.ID, r.Status, r.OpenedOn, r.ClosedOn = 1, priority.Closed, day("2026-09-01"), day("2026-10-20")
	for i := range r.Criteria {
		r.Criteria[i].ID = int64(i + 1)
	}
	var cs []priority.Candidate
	for i := range 200 {
		c := priority.Candidate{ID: int64(i + 1), RoundID: 1, SupportID: int64(1000 + i), Position: i + 1,
			SupportTitle: fmt.Sprintf("Kunskapsstöd nummer %d om vård och behandling", i+1), SupportKind: catalog.CareProgramme, SupportStatus: catalog.Prioritised}
		if i%2 == 0 {
			c.Proposal = priority.Proposal{Proposed: true, ProposedOrder: i/2 + 1, PlannedStart: day("2027-01-01"), PlannedEnd: day("2027-12-31"), Note: "Enligt plan"}
		}
		cs = append(cs, c)
	}
	var groups []priority.AssessorGroup
	for g := range 40 {
		groups = append(groups, priority.AssessorGroup{GroupID: int64(g + 1), Name: fmt.Sprintf("LPO %02d", g+1), Kind: "lpo"})
	}
	var sheets []priority.Sheet
	for _, c := range cs {
		for _, g := range groups {
			sh := priority.Sheet{RoundID: 1, CandidateID: c.ID, GroupID: g.GroupID}
			for k, crit := range r.Criteria {
				v := 1 + int(c.ID+g.GroupID+int64(k))%5
				sc := priority.Score{CriterionID: crit.ID, Value: &v}
				if c.ID%5 == 0 && k < 2 {
					sc.Comment = "Gruppen ser stor nytta men behöver stöd från chefer och tid för utbildning av personalen."
				}
				sh.Scores = append(sh.Scores, sc)
			}
			sheets = append(sheets, sh)
		}
	}
	return priority.Basis{Results: priority.Compute(r, cs, groups, sheets), Sheets: sheets, CaseNumber: "2026/0100"}
}

// BenchmarkDecisionBasis builds the decision basis of 200 candidates × 40
// groups from the data as DOCX and as PDF. Target: under 2 s each.
func BenchmarkDecisionBasis(b *testing.B) {
	texts, err := i18n.Load()
	if err != nil {
		b.Fatal(err)
	}
	tr := func(key string, args ...any) string { return texts.T(i18n.SV, key, args...) }
	basis := benchBasis(func(key string) string { return tr(key) })
	for _, f := range []struct {
		name  string
		write func(io.Writer, doc.Document) error
	}{{"docx", doc.WriteDOCX}, {"pdf", doc.WritePDF}} {
		b.Run(f.name, func(b *testing.B) {
			for b.Loop() {
				if err := f.write(io.Discard, priority.BasisDocument(basis, tr, i18n.SV)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
