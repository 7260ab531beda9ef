package priority

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// The size of the round the issue asks to be fast: 200 candidates rated by
// 40 groups on the 8 default criteria.
const (
	benchCandidates = 200
	benchGroups     = 40
)

// benchScore is a group's score of a candidate on a criterion: spread over
// the scale so that the matrix, the spreads and the ties are realistic.
func benchScore(c, g, k int) int { return 1 + (c*7+g*3+k*5+c*g)%5 }

// benchRound is a round of the default criteria with benchCandidates
// candidates and benchGroups groups, and every sheet complete, every tenth
// with a comment.
func benchRound(t func(string) string) (Round, []Candidate, []AssessorGroup, []Sheet) {
	r := DefaultRound(2027, date.New(2026, time.October, 15), t)
	r.ID, r.Title, r.Status = 1, "Prioritering 2027", Closed
	for i := range r.Criteria {
		r.Criteria[i].ID = int64(i + 1)
	}
	cands := make([]Candidate, benchCandidates)
	for i := range cands {
		cands[i] = Candidate{ID: int64(i + 1), RoundID: 1, SupportID: int64(1000 + i), SupportTitle: fmt.Sprintf("Kunskapsstöd nummer %d", i+1), Position: i + 1, Version: 1}
	}
	groups := make([]AssessorGroup, benchGroups)
	for g := range groups {
		groups[g] = AssessorGroup{GroupID: int64(100 + g), Name: fmt.Sprintf("LPO %02d", g+1), Kind: "lpo"}
	}
	sheets := make([]Sheet, 0, benchCandidates*benchGroups)
	for c := range cands {
		for g := range groups {
			sh := Sheet{ID: int64(len(sheets) + 1), RoundID: 1, CandidateID: cands[c].ID, GroupID: groups[g].GroupID, Version: 1}
			for k, crit := range r.Criteria {
				v := benchScore(c, g, k)
				sc := Score{CriterionID: crit.ID, Value: &v}
				if (c+g+k)%10 == 0 {
					sc.Comment = "En kommentar om " + crit.Label
				}
				sh.Scores = append(sh.Scores, sc)
			}
			sheets = append(sheets, sh)
		}
	}
	return r, cands, groups, sheets
}

// benchServer is the web server with the package's templates, as the app
// has it, for rendering the page without a database.
func benchServer(b *testing.B) (*web.Server, *i18n.Catalog) {
	b.Helper()
	cat, err := i18n.Load()
	if err != nil {
		b.Fatal(err)
	}
	ws, err := web.NewServer(web.Config{Version: "bench"}, slog.New(slog.DiscardHandler), cat, scs.New())
	if err != nil {
		b.Fatal(err)
	}
	if err := ws.AddTemplates("priority", templates, "templates"); err != nil {
		b.Fatal(err)
	}
	return ws, cat
}

// BenchmarkResults_200x40 computes the results of 200 candidates × 40
// groups × 8 criteria held in memory, draws the matrix and its table, and
// renders the whole results page (ranking, criteria, groups, comments)
// through the page's template.
func BenchmarkResults_200x40(b *testing.B) {
	ws, cat := benchServer(b)
	r, cands, groups, sheets := benchRound(func(key string) string { return cat.T(i18n.SV, key) })
	h := &handler{web: ws}
	w := words{cat, i18n.SV}
	req := httptest.NewRequest(http.MethodGet, "/prioritering/1/resultat", nil)
	b.ReportAllocs()
	for b.Loop() {
		res := Compute(r, cands, groups, sheets)
		page, err := buildResultsPage(res, sheets, w)
		if err != nil {
			b.Fatal(err)
		}
		rec := httptest.NewRecorder()
		if err := h.render(rec, req, http.StatusOK, "results", "priority.results.title", page, "title", r.Title); err != nil {
			b.Fatal(err)
		}
		if rec.Code != http.StatusOK || rec.Body.Len() < 100_000 {
			b.Fatalf("page: %d, %d bytes", rec.Code, rec.Body.Len())
		}
	}
}

// BenchmarkResults_ComputeOnly is Compute alone on the same round.
func BenchmarkResults_ComputeOnly(b *testing.B) {
	cat, err := i18n.Load()
	if err != nil {
		b.Fatal(err)
	}
	r, cands, groups, sheets := benchRound(func(key string) string { return cat.T(i18n.SV, key) })
	b.ReportAllocs()
	for b.Loop() {
		if res := Compute(r, cands, groups, sheets); len(res.Ranked) != benchCandidates {
			b.Fatal("wrong result")
		}
	}
}

// BenchmarkResultsPage_200x40 serves the results page of a closed round of
// 200 candidates × 40 groups × 8 criteria stored in SQLite and in
// PostgreSQL: it reads the round, candidates, groups and 8 000 sheets,
// computes, draws and renders, as a signed-in reader's request does.
func BenchmarkResultsPage_200x40(b *testing.B) {
	for _, e := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			d := dbtest.Open(b, e)
			ws, cat := benchServer(b)
			now := func() time.Time { return time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC) }
			log := audit.New(now)
			svc := NewService(d, log, forum.NewService(d, log, now), cat, now)
			ctx := audit.WithSystemActor(access.With(context.Background(),
				access.Principal{UserID: 1, Name: "bench", Roles: []access.Role{access.Coordinator}}), "bench")
			roundID := benchSeed(b, ctx, d, svc, log, now, cat)
			h := &handler{svc: svc, web: ws}
			req := httptest.NewRequest(http.MethodGet, "/prioritering/"+strconv.FormatInt(roundID, 10)+"/resultat", nil)
			req.SetPathValue("id", strconv.FormatInt(roundID, 10))
			req = req.WithContext(ctx)
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				if err := h.results(rec, req); err != nil {
					b.Fatal(err)
				}
				if rec.Code != http.StatusOK || rec.Body.Len() < 100_000 {
					b.Fatalf("page: %d, %d bytes", rec.Code, rec.Body.Len())
				}
			}
		})
	}
}

// benchSeed stores the benchmark's round in d through the service, with the
// sheets written in one transaction, and closes it.
func benchSeed(b *testing.B, ctx context.Context, d *db.DB, svc *Service, log *audit.Log, now func() time.Time, cat *i18n.Catalog) int64 {
	b.Helper()
	check := func(err error) {
		b.Helper()
		if err != nil {
			b.Fatal(err)
		}
	}
	supports := catalog.NewService(d, log, now)
	var supportIDs, groupIDs []int64
	for i := range benchCandidates {
		sp, err := supports.CreateSupport(ctx, catalog.Support{Kind: catalog.LocalRoutine, Title: fmt.Sprintf("Kunskapsstöd nummer %d", i+1), Status: catalog.Watched})
		check(err)
		supportIDs = append(supportIDs, sp.ID)
	}
	for g := range benchGroups {
		id, err := db.Insert(ctx, d, `INSERT INTO org_groups (kind, name, level, created_at, updated_at) VALUES ('lpo', ?, 'region', ?, ?) RETURNING id`,
			fmt.Sprintf("LPO %02d", g+1), now(), now())
		check(err)
		groupIDs = append(groupIDs, id)
	}
	r, err := svc.CreateRound(ctx, DefaultRound(2027, date.New(2026, time.October, 15), func(key string) string { return cat.T(i18n.SV, key) }))
	check(err)
	r, err = svc.SetCandidates(ctx, r.ID, supportIDs, r.Version)
	check(err)
	r, err = svc.SetGroups(ctx, r.ID, groupIDs, r.Version)
	check(err)
	r, err = svc.Open(ctx, r.ID, r.Version)
	check(err)
	cands, err := svc.Candidates(ctx, r.ID)
	check(err)
	check(d.Tx(ctx, func(tx *db.Tx) error {
		for c, cand := range cands {
			for g, gid := range groupIDs {
				id, err := insertSheet(ctx, tx, Sheet{RoundID: r.ID, CandidateID: cand.ID, GroupID: gid}, "bench", now())
				if err != nil {
					return err
				}
				var scores []Score
				for k, crit := range r.Criteria {
					v := benchScore(c, g, k)
					sc := Score{CriterionID: crit.ID, Value: &v}
					if (c+g+k)%10 == 0 {
						sc.Comment = "En kommentar om " + crit.Label
					}
					scores = append(scores, sc)
				}
				if err := replaceScores(ctx, tx, id, scores); err != nil {
					return err
				}
			}
		}
		return nil
	}))
	r, err = svc.Close(ctx, r.ID, r.Version)
	check(err)
	return r.ID
}
