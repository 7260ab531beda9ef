package app

import (
	"context"
	"strconv"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/priority"
)

// TestBrowser_PriorityDecisionPagesWithoutViolations seeds a closed round
// of the demo with its forum case and decision basis, checks the case and
// decision pages with axe-core as the coordinator, ledning and the auditor,
// and records HSL's prefilled decision by keyboard.
func TestBrowser_PriorityDecisionPagesWithoutViolations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	sara := audit.WithSystemActor(access.With(context.Background(), demoPrincipals(t, ta)["samordnare"]), "test")
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	svc := ta.priorityService()
	today := svc.Today()
	var supportIDs []int64
	eligible, err := svc.EligibleSupports(sara, 0, "")
	check(err)
	for _, sp := range eligible {
		if !sp.InOtherRound && len(supportIDs) < 3 {
			supportIDs = append(supportIDs, sp.ID)
		}
	}
	groups, err := svc.EligibleGroups(sara)
	check(err)
	if len(supportIDs) < 3 || len(groups) < 2 {
		t.Fatalf("the demo has %d eligible supports and %d groups", len(supportIDs), len(groups))
	}
	tr := func(key string) string { return ta.Web.Catalog().T("sv", key) }
	r, err := svc.CreateRound(sara, priority.DefaultRound(today.Year()+5, today.AddDays(30), tr))
	check(err)
	r, err = svc.SetCandidates(sara, r.ID, supportIDs, r.Version)
	check(err)
	r, err = svc.SetGroups(sara, r.ID, []int64{groups[0].GroupID, groups[1].GroupID}, r.Version)
	check(err)
	r, err = svc.Open(sara, r.ID, r.Version)
	check(err)
	cands, err := svc.Candidates(sara, r.ID)
	check(err)
	for gi, g := range groups[:2] {
		for ci, c := range cands {
			var scores []priority.Score
			for k, crit := range r.Criteria {
				v := 1 + (gi+ci+k)%5
				sc := priority.Score{CriterionID: crit.ID, Value: &v}
				if k == 0 {
					sc.Comment = "Kommentar från " + g.Name
				}
				scores = append(scores, sc)
			}
			_, err := svc.SaveSheet(sara, priority.Sheet{RoundID: r.ID, CandidateID: c.ID, GroupID: g.GroupID, Scores: scores})
			check(err)
		}
	}
	r, err = svc.Close(sara, r.ID, r.Version)
	check(err)
	start := today.AddDays(60)
	_, err = svc.SaveProposal(sara, r.ID, []priority.ProposalChange{
		{CandidateID: cands[0].ID, Proposal: priority.Proposal{Proposed: true, ProposedOrder: 1, PlannedStart: start, PlannedEnd: start.AddDays(180)}, Version: cands[0].Version},
		{CandidateID: cands[1].ID, Proposal: priority.Proposal{Proposed: true, ProposedOrder: 2, PlannedStart: start.AddDays(90)}, Version: cands[1].Version},
	})
	check(err)
	r, err = svc.Round(sara, r.ID)
	check(err)
	base := ta.srv.URL
	page := "/prioritering/" + strconv.FormatInt(r.ID, 10)
	browser := browsertest.New(t)

	b := browser.NewTab(t)
	loginByKeyboard(t, b, base, "samordnare")
	visitAndCheck(t, b, base, "samordnare", []string{page + "/arende"})
	// Start the case from the confirmation page by keyboard.
	submitByKeyboard(t, b, page+"/arende")
	r, err = svc.Round(sara, r.ID)
	check(err)
	if r.CaseID == 0 {
		t.Fatal("starting the case by keyboard did not register it")
	}
	_, err = svc.AttachBasis(sara, r.ID)
	check(err)
	visitAndCheck(t, b, base, "samordnare", []string{page + "/arende", page + "/beslut"})

	lena := browser.NewTab(t)
	loginByKeyboard(t, lena, base, "ledning")
	visitAndCheck(t, lena, base, "ledning", []string{page + "/beslut"})
	submitByKeyboard(t, lena, page+"/beslut")
	r, err = svc.Round(sara, r.ID)
	check(err)
	if r.Status != priority.Decided {
		t.Fatalf("the prefilled decision sent by keyboard left the round %s", r.Status)
	}
	visitAndCheck(t, lena, base, "ledning", []string{page + "/beslut", page + "/arende"})

	rut := browser.NewTab(t)
	loginByKeyboard(t, rut, base, "revisor")
	visitAndCheck(t, rut, base, "revisor", []string{page + "/arende"})
}
