package app

import (
	"context"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// The demo's implementation workspaces: KOL with small gaps almost ready,
// cognitive impairment with a large gap, a crowding-out analysis, overdue
// actions, unanswered questionnaires and an open comment round, and the
// heart guidelines introduced through their complete checklist.
func TestDemo_Implementation(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		svc := ta.implementService()
		principal := func(username string) context.Context {
			u, err := ta.Auth.UserByUsername(context.Background(), username)
			if err != nil {
				t.Fatal(err)
			}
			return access.With(context.Background(), u.Principal())
		}
		ctx := principal("samordnare")
		rows, err := svc.Overview(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		byTitle := map[string]implement.Workspace{}
		for _, r := range rows {
			w, err := svc.Workspace(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			byTitle[w.Support.Title] = w
		}
		kol, dem, heart := byTitle["Kroniskt obstruktiv lungsjukdom (KOL)"], byTitle["Kognitiv svikt vid misstänkt demenssjukdom"],
			byTitle["Nationella riktlinjer för hjärtsjukvård"]
		if kol.Implementation.ID == 0 || dem.Implementation.ID == 0 || heart.Implementation.ID == 0 {
			t.Fatalf("demo workspaces: %v", byTitle)
		}
		// KOL: small gaps, one required item open, nothing overdue.
		if kol.Profile.Large != 0 || kol.Profile.Small < 3 || kol.Ready || kol.Support.Status != catalog.BeingIntroduced {
			t.Errorf("KOL: profile %+v ready %v status %s", kol.Profile, kol.Ready, kol.Support.Status)
		}
		if _, open := implement.Ready(kol.Checklist); len(open) != 1 {
			t.Errorf("KOL: %d required items open, want 1", len(open))
		}
		// Cognitive impairment: a large gap with crowding-out, overdue actions.
		if dem.Profile.Large != 1 || dem.Profile.CrowdingOut != 1 || dem.Progress.Overdue == 0 || len(dem.Implementation.Municipalities) == 0 {
			t.Errorf("dementia: profile %+v progress %+v municipalities %v", dem.Profile, dem.Progress, dem.Implementation.Municipalities)
		}
		// Heart guidelines: introduced, every required item settled.
		if heart.Implementation.IntroducedOn.IsZero() || !heart.Ready || heart.Support.Status != catalog.Introduced || heart.Implementation.Summary == "" {
			t.Errorf("heart: introduced %v ready %v status %s", heart.Implementation.IntroducedOn, heart.Ready, heart.Support.Status)
		}
		// Erik Enhet (Brunflo) has the questionnaire to answer on his start page.
		tasks, err := svc.Tasks(principal("enhet"))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, task := range tasks {
			found = found || task.Key == "implement.task.survey"
		}
		if !found {
			t.Errorf("enhet's tasks %+v: no questionnaire to answer", tasks)
		}
	})
}
