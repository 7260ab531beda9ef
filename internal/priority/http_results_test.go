package priority_test

import (
	"context"
	"flag"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/app"
	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/priority"
)

var updateResults = flag.Bool("update-results", false, "rewrite the results golden files in testdata")

// resSite is the real app over the demo data, with a round of its own that
// is closed with known results: four candidates of which two share second
// place, three groups of which one has not answered everything.
type resSite struct {
	app   *app.App
	srv   *httptest.Server
	svc   *priority.Service
	users map[string]access.Principal
	round priority.Round
	cands map[string]priority.Candidate // by support title
	group map[string]string             // the groups' names: "answered" ×2 and "late"
	today date.Date
}

// resCandidates are the round's supports, in the round's order.
var resCandidates = []string{"Resultat A: hjärtsvikt", "Resultat B: astma", "Resultat C: KOL", "Resultat D: ryggsmärta"}

func newResSite(t *testing.T, d *db.DB) *resSite {
	t.Helper()
	a, err := app.New(app.Config{}, slog.New(slog.DiscardHandler), d)
	if err != nil {
		t.Fatal(err)
	}
	s := &resSite{app: a, srv: httptest.NewServer(a.Handler), users: map[string]access.Principal{}, cands: map[string]priority.Candidate{}, group: map[string]string{}}
	t.Cleanup(s.srv.Close)
	texts, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	s.svc = priority.NewService(d, a.Audit, forum.NewService(d, a.Audit, time.Now), texts, time.Now)
	s.today = s.svc.Today()
	for _, name := range []string{"samordnare", "ledning", "revisor", "utvecklare"} {
		u, err := a.Auth.UserByUsername(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		s.users[name] = u.Principal()
	}
	ctx := s.as("samordnare")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	cat := catalog.NewService(d, a.Audit, time.Now)
	var supports []int64
	for _, title := range resCandidates {
		sp, err := cat.CreateSupport(ctx, catalog.Support{Kind: catalog.LocalRoutine, Title: title, Status: catalog.Watched})
		must(err)
		supports = append(supports, sp.ID)
	}
	groups, err := s.svc.EligibleGroups(ctx)
	must(err)
	if len(groups) < 3 {
		t.Fatalf("the demo has %d eligible groups, want 3", len(groups))
	}
	groups = groups[:3]
	s.group["g1"], s.group["g2"], s.group["late"] = groups[0].Name, groups[1].Name, groups[2].Name
	r, err := s.svc.CreateRound(ctx, priority.DefaultRound(s.today.Year()+3, s.today.AddDays(30), func(key string) string { return texts.T(i18n.SV, key) }))
	must(err)
	r.Title = "Resultatomgången"
	r, err = s.svc.UpdateRound(ctx, r)
	must(err)
	r, err = s.svc.SetCandidates(ctx, r.ID, supports, r.Version)
	must(err)
	r, err = s.svc.SetGroups(ctx, r.ID, []int64{groups[0].GroupID, groups[1].GroupID, groups[2].GroupID}, r.Version)
	must(err)
	r, err = s.svc.Open(ctx, r.ID, r.Version)
	must(err)
	cs, err := s.svc.Candidates(ctx, r.ID)
	must(err)
	for _, c := range cs {
		s.cands[c.SupportTitle] = c
	}
	// A: 5 everywhere. B: 4 everywhere. C: 5/3 and 3/5, so 4 and 4 like B,
	// and only its first criterion from the late group. D: 2 and 1, none
	// from the late group.
	rate := func(cand string, g int, imp, feas int, only int, comment string) {
		t.Helper()
		sh := priority.Sheet{RoundID: r.ID, CandidateID: s.cands[cand].ID, GroupID: groups[g].GroupID}
		for i, c := range r.Criteria {
			if only > 0 && i >= only {
				break
			}
			v := imp
			if c.Axis == priority.Feasibility {
				v = feas
			}
			sc := priority.Score{CriterionID: c.ID, Value: &v}
			if i == 0 {
				sc.Comment = comment
			}
			sh.Scores = append(sh.Scores, sc)
		}
		_, err := s.svc.SaveSheet(ctx, sh)
		must(err)
	}
	a0, b0, c0, d0 := resCandidates[0], resCandidates[1], resCandidates[2], resCandidates[3]
	for g := range 3 {
		rate(a0, g, 5, 5, 0, map[int]string{0: "Stort behov i primärvården", 1: "Tydlig nytta <för> patienterna"}[g])
		rate(b0, g, 4, 4, 0, "")
	}
	rate(c0, 0, 5, 3, 0, "")
	rate(c0, 1, 3, 5, 0, "Lätt att införa")
	rate(c0, 2, 4, 0, 1, "Vi hinner inte")
	rate(d0, 0, 2, 2, 0, "")
	rate(d0, 1, 1, 1, 0, "")
	r, err = s.svc.Close(ctx, r.ID, r.Version)
	must(err)
	s.round = r
	if cs, err = s.svc.Candidates(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		s.cands[c.SupportTitle] = c
	}
	return s
}

// as is a context signed in as the demo user name.
func (s *resSite) as(name string) context.Context {
	return audit.WithSystemActor(access.With(context.Background(), s.users[name]), name)
}

func (s *resSite) path(suffix string) string {
	return "/prioritering/" + strconv.FormatInt(s.round.ID, 10) + suffix
}

// login signs the demo user in and returns their browser, which does not
// follow redirects.
func (s *resSite) login(t *testing.T, name string) *http.Client {
	t.Helper()
	return demoBrowser(t, s.srv.URL, name)
}

// do sends a request (a form when form is not nil) and checks the page
// (sendPage).
func (s *resSite) do(t *testing.T, c *http.Client, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	return sendPage(t, c, method, s.srv.URL+path, form)
}

// resWant fails unless res has status want and body holds every text.
func resWant(t *testing.T, what string, res *http.Response, body string, want int, texts ...string) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, want, body)
	}
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Errorf("%s: page lacks %q", what, s)
		}
	}
	if strings.Contains(body, "<html") && strings.Count(body, "<h1") != 1 {
		t.Errorf("%s: not exactly one h1", what)
	}
}

// resSection returns the part of body from the heading id to the next
// section.
func resSection(body, id string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		return rest[:j]
	}
	return rest
}

func TestResultsPage_RankingTiesGroupsAndComments(t *testing.T) {
	t.Parallel()
	dbtest.EachSeeded(t, pgDemoKey, pgSeedDemo, func(t *testing.T, d *db.DB) {
		s := newResSite(t, d)
		for _, who := range []string{"revisor", "ledning", "samordnare", "utvecklare"} {
			res, body := s.do(t, s.login(t, who), http.MethodGet, s.path("/resultat"), nil)
			resWant(t, who, res, body, http.StatusOK, "<h1>Resultat: Resultatomgången</h1>", `role="img"`, `href="`+s.path("/resultat.csv")+`"`)
			if got := strings.Contains(body, s.path("/forslag")); got != (who == "samordnare") {
				t.Errorf("%s: proposal link shown = %v", who, got)
			}
		}
		_, body := s.do(t, s.login(t, "revisor"), http.MethodGet, s.path("/resultat"), nil)

		ranking := resSection(body, "ranking-title")
		var places []string
		for _, m := range regexp.MustCompile(`(?s)<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<th scope="row"><a href="/kunskapsstod/\d+">(.*?)</a>`).FindAllStringSubmatch(ranking, -1) {
			places = append(places, m[1]+" | "+m[3])
		}
		tied := `<span aria-hidden="true">&nbsp;=</span> <span class="tag">delad plats</span>`
		want := []string{"1 | " + resCandidates[0], "2" + tied + " | " + resCandidates[1], "2" + tied + " | " + resCandidates[2], "4 | " + resCandidates[3]}
		if strings.Join(places, "\n") != strings.Join(want, "\n") {
			t.Errorf("ranking:\n%s\nwant:\n%s", strings.Join(places, "\n"), strings.Join(want, "\n"))
		}
		// C: importance 5 and 3 (the late group's part does not count), feasibility 3 and 5.
		if n := strings.Count(ranking, "<td>4,00</td><td>1,41</td><td>3,00–5,00</td><td>2</td>"); n != 2 {
			t.Errorf("C's importance and feasibility: %d of 2 found", n)
		}
		for _, text := range []string{"<td>5,00</td><td>0,00</td><td>5,00–5,00</td><td>3</td>", "<td>Inför</td>", "<td>Avvakta</td>"} {
			if !strings.Contains(ranking, text) {
				t.Errorf("ranking lacks %q", text)
			}
		}
		matrix := resSection(body, "matrix-title")
		for _, text := range []string{">Inför<", ">Förbered<", ">Överväg<", ">Avvakta<", `<th scope="col">Genomförbarhet</th><th scope="col">Viktighet</th>`,
			"<td>1</td><th scope=\"row\">" + resCandidates[0] + "</th><td>5,00</td><td>5,00</td><td>3</td><td>Inför</td>"} {
			if !strings.Contains(matrix, text) {
				t.Errorf("matrix lacks %q", text)
			}
		}
		groups := resSection(body, "groups-title")
		if !strings.Contains(groups, `<th scope="row">`+s.group["late"]+`</th><td>2</td><td>1</td><td>1</td>`) {
			t.Errorf("groups section lacks the late group with 2 complete, 1 partial, 1 missing:\n%s", groups)
		}
		if strings.Contains(groups, s.group["g1"]) {
			t.Errorf("a group that answered is listed as not answered")
		}
		criteria := resSection(body, "criteria-title")
		if !strings.Contains(criteria, "<td>4,00 (3)</td>") { // C's first criterion: 5, 3 and 4
			t.Errorf("criteria means lack C's first criterion:\n%s", criteria)
		}
		comments := resSection(body, "comments-title")
		for _, text := range []string{"Stort behov i primärvården", "Tydlig nytta &lt;för&gt; patienterna", "Vi hinner inte", "(2 kommentarer)", "<summary>"} {
			if !strings.Contains(comments, text) {
				t.Errorf("comments lack %q", text)
			}
		}

		// A round that does not exist; a visitor who is not signed in.
		res, _ := s.do(t, s.login(t, "revisor"), http.MethodGet, "/prioritering/999999/resultat", nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown round: %d", res.StatusCode)
		}
		res, _ = s.do(t, &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, http.MethodGet, s.path("/resultat"), nil)
		if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous: %d", res.StatusCode)
		}
	})
}

func TestResultsExports_CSVGoldenAndXLSX(t *testing.T) {
	t.Parallel()
	dbtest.EachSeeded(t, pgDemoKey, pgSeedDemo, func(t *testing.T, d *db.DB) {
		s := newResSite(t, d)
		c := s.login(t, "ledning")
		res, body := s.do(t, c, http.MethodGet, s.path("/resultat.csv"), nil)
		year := strconv.Itoa(s.round.Year)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
			res.Header.Get("Content-Disposition") != "attachment; filename=prioritering-"+year+"-resultat.csv" {
			t.Fatalf("CSV: %d %v", res.StatusCode, res.Header)
		}
		golden := filepath.Join("testdata", "results.csv.golden")
		if *updateResults && d.Dialect() == db.SQLite {
			if err := os.WriteFile(golden, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update-results to create it)", err)
		}
		if string(want) != body {
			t.Errorf("results CSV\n got:\n%s\nwant:\n%s", body, want)
		}

		res, body = s.do(t, c, http.MethodGet, s.path("/resultat.xlsx"), nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("XLSX: %d", res.StatusCode)
		}
		x, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		sheets := x.GetSheetList()
		if len(sheets) != 2 {
			t.Fatalf("sheets %v, want ranking and comments", sheets)
		}
		rows, err := x.GetRows(sheets[1])
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range rows {
			found = found || strings.Join(r, "|") == resCandidates[2]+"|"+s.group["late"]+"|Betydelse och angelägenhet (Viktighet)|4|Vi hinner inte"
		}
		if !found {
			t.Errorf("comments sheet lacks the late group's comment on C: %q", rows)
		}
	})
}

// proposalForm is the proposal page's form as sent: every input with its
// value, and the checked checkboxes.
func proposalForm(t *testing.T, body string) url.Values {
	t.Helper()
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="(hidden|text|checkbox)" (?:id="[^"]*" )?name="([^"]+)" value="([^"]*)"([^>]*)>`).FindAllStringSubmatch(body, -1) {
		if m[1] == "checkbox" && !strings.Contains(m[4], "checked") {
			continue
		}
		form.Set(m[2], strings.ReplaceAll(m[3], "&amp;", "&"))
	}
	if len(form) == 0 {
		t.Fatalf("no proposal form on the page:\n%s", body)
	}
	return form
}

// rowOf returns the index N of the proposal row whose hidden id is the
// candidate's.
func rowOf(t *testing.T, form url.Values, c priority.Candidate) string {
	t.Helper()
	for k, v := range form {
		if strings.HasSuffix(k, ".id") && v[0] == strconv.FormatInt(c.ID, 10) {
			return strings.TrimSuffix(k, ".id")
		}
	}
	t.Fatalf("no row for %s", c.SupportTitle)
	return ""
}

func TestProposalPage_PrefillValidateSaveAndConflict(t *testing.T) {
	t.Parallel()
	dbtest.EachSeeded(t, pgDemoKey, pgSeedDemo, func(t *testing.T, d *db.DB) {
		s := newResSite(t, d)
		for _, who := range []string{"revisor", "ledning", "utvecklare"} {
			c := s.login(t, who)
			if res, _ := s.do(t, c, http.MethodGet, s.path("/forslag"), nil); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s GET proposal: %d, want 403", who, res.StatusCode)
			}
			if res, _ := s.do(t, c, http.MethodPost, s.path("/forslag"), url.Values{"candidates.0.id": {"1"}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s POST proposal: %d, want 403", who, res.StatusCode)
			}
		}
		sara := s.login(t, "samordnare")
		res, body := s.do(t, sara, http.MethodGet, s.path("/forslag"), nil)
		resWant(t, "proposal", res, body, http.StatusOK, "<h1>Förslag till införande: Resultatomgången</h1>", "Ordningen är ifylld från rangordningen",
			`<label for="f-candidates.0.proposed" class="visually-hidden">Föreslå `+resCandidates[0]+` för införande</label>`)
		form := proposalForm(t, body)
		a, b, c, dd := rowOf(t, form, s.cands[resCandidates[0]]), rowOf(t, form, s.cands[resCandidates[1]]), rowOf(t, form, s.cands[resCandidates[2]]), rowOf(t, form, s.cands[resCandidates[3]])
		if a != "candidates.0" || dd != "candidates.3" {
			t.Errorf("rows not in ranking order: A %s, D %s", a, dd)
		}
		// The three in the quadrant Introduce are proposed in ranking order; D is not.
		prefill := map[string]string{a: "1", b: "2", c: "3"}
		for row, order := range prefill {
			if form.Get(row+".proposed") != "1" || form.Get(row+".proposed_order") != order {
				t.Errorf("%s: proposed %q order %q, want 1 and %s", row, form.Get(row+".proposed"), form.Get(row+".proposed_order"), order)
			}
		}
		if form.Get(dd+".proposed") != "" || form.Get(dd+".proposed_order") != "" {
			t.Errorf("D is prefilled")
		}

		bad := []struct {
			name   string
			change map[string]string
			texts  []string
		}{
			{"no start", map[string]string{}, []string{`href="#f-` + a + `.planned_start">` + resCandidates[0] + `: Fyll i fältet.`, `id="f-` + a + `.planned_start" name="` + a + `.planned_start" value="" autocomplete="off" size="10" aria-invalid="true"`}},
			{"bad order and date", map[string]string{a + ".planned_start": "2030-02-30", b + ".proposed_order": "två"}, []string{
				resCandidates[0] + `: Ange ett datum som ÅÅÅÅ-MM-DD.`, resCandidates[1] + `: Ange ett heltal`, `value="två"`}},
			{"order taken", map[string]string{a + ".planned_start": "2030-01-01", b + ".planned_start": "2030-02-01", c + ".planned_start": "2030-03-01", c + ".proposed_order": "1"},
				[]string{resCandidates[2] + `: Ordningen 1 är redan vald för en annan kandidat.`}},
			{"end before start", map[string]string{a + ".planned_start": "2030-05-01", a + ".planned_end": "2030-04-01", b + ".planned_start": "2030-02-01", c + ".planned_start": "2030-03-01"},
				[]string{resCandidates[0] + `: Planerat slut kan inte ligga före planerad start.`}},
			{"order without proposal", map[string]string{a + ".planned_start": "2030-01-01", b + ".planned_start": "2030-02-01", c + ".planned_start": "2030-03-01", dd + ".proposed_order": "4"},
				[]string{resCandidates[3] + `: Ange ordning bara för kandidater som föreslås för införande.`}},
		}
		for _, tc := range bad {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			for k, v := range tc.change {
				f.Set(k, v)
			}
			res, body := s.do(t, sara, http.MethodPost, s.path("/forslag"), f)
			resWant(t, tc.name, res, body, http.StatusUnprocessableEntity, append(tc.texts, "Det finns problem i formuläret")...)
		}
		cs, err := s.svc.Candidates(s.as("samordnare"), s.round.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, cd := range cs {
			if cd.Proposed {
				t.Errorf("a refused proposal saved %s", cd.SupportTitle)
			}
		}

		// A valid proposal: A, B and C with dates; D not proposed.
		good := url.Values{}
		for k, v := range form {
			good[k] = v
		}
		good.Set(a+".planned_start", "2030-01-15")
		good.Set(a+".planned_end", "2030-06-30")
		good.Set(a+".proposal_note", "Börja i vårdcentralerna")
		good.Set(b+".planned_start", "2030-03-01")
		good.Set(c+".planned_start", "2030-09-01")
		res, body = s.do(t, sara, http.MethodPost, s.path("/forslag"), good)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != s.path("/forslag") {
			t.Fatalf("save: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), body)
		}
		res, body = s.do(t, sara, http.MethodGet, s.path("/forslag"), nil)
		resWant(t, "saved proposal", res, body, http.StatusOK, "Förslaget är sparat.", `value="2030-01-15"`, `value="Börja i vårdcentralerna"`)
		if strings.Contains(body, "Ordningen är ifylld") {
			t.Error("a saved proposal is prefilled again")
		}

		// Sending the first form again, with the versions read before the
		// save, meets the saved proposal instead of overwriting it.
		stale := url.Values{}
		for k, v := range good {
			stale[k] = v
		}
		stale.Set(a+".proposal_note", "Min egen anteckning")
		res, body = s.do(t, sara, http.MethodPost, s.path("/forslag"), stale)
		resWant(t, "conflict", res, body, http.StatusConflict, "Förslaget har ändrats", `<section class="conflict" id="f-conflict"`,
			"<td>Börja i vårdcentralerna</td>", `value="Min egen anteckning"`)
		cs, _ = s.svc.Candidates(s.as("samordnare"), s.round.ID)
		for _, cd := range cs {
			if cd.SupportTitle == resCandidates[0] && cd.Note != "Börja i vårdcentralerna" {
				t.Errorf("the conflict overwrote the note: %q", cd.Note)
			}
		}
		// The conflict page carries the new versions: sending it again saves.
		res, body = s.do(t, sara, http.MethodPost, s.path("/forslag"), proposalForm(t, body))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save after conflict: %d\n%s", res.StatusCode, body)
		}
		cs, _ = s.svc.Candidates(s.as("samordnare"), s.round.ID)
		for _, cd := range cs {
			if cd.SupportTitle == resCandidates[0] && (cd.Note != "Min egen anteckning" || cd.ProposedOrder != 1 || cd.PlannedStart.String() != "2030-01-15") {
				t.Errorf("A after the second save: %+v", cd.Proposal)
			}
		}
	})
}

func TestProposalPage_OnlyForAClosedRound(t *testing.T) {
	t.Parallel()
	dbtest.EachSeeded(t, pgDemoKey, pgSeedDemo, func(t *testing.T, d *db.DB) {
		s := newResSite(t, d)
		if _, err := s.svc.Reopen(s.as("samordnare"), s.round.ID, s.today.AddDays(10), s.round.Version); err != nil {
			t.Fatal(err)
		}
		sara := s.login(t, "samordnare")
		res, body := s.do(t, sara, http.MethodGet, s.path("/forslag"), nil)
		resWant(t, "open round", res, body, http.StatusOK, "Förslaget görs när omgången är stängd")
		if strings.Contains(body, `<form method="post" action="`+s.path("/forslag")) {
			t.Error("an open round shows the proposal form")
		}
		res, body = s.do(t, sara, http.MethodGet, s.path("/resultat"), nil)
		resWant(t, "open results", res, body, http.StatusOK, "resultatet är preliminärt")
		if strings.Contains(body, s.path("/forslag")) {
			t.Error("an open round links to the proposal")
		}
		c := s.cands[resCandidates[0]]
		res, body = s.do(t, sara, http.MethodPost, s.path("/forslag"), url.Values{"candidates.0.id": {strconv.FormatInt(c.ID, 10)},
			"candidates.0.version": {strconv.FormatInt(c.Version, 10)}})
		resWant(t, "save on open round", res, body, http.StatusUnprocessableEntity, "Förslaget görs när omgången är stängd")
	})
}

// decide records HSL's decision on the site's round: A decided and late
// (planned to end yesterday), B decided from next year, C watched, D not
// relevant.
func (s *resSite) decide(t *testing.T) {
	t.Helper()
	ctx := s.as("samordnare")
	_, _, err := s.svc.StartCase(ctx, s.round.ID, 0, s.round.Version)
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.svc.Round(ctx, s.round.ID)
	if err != nil {
		t.Fatal(err)
	}
	next := date.New(s.today.Year()+1, time.March, 1)
	dec := priority.Decision{DecidedOn: s.today, Text: "HSL beslutar om införande.", Outcomes: []priority.CandidateChoice{
		{CandidateID: s.cands[resCandidates[0]].ID, Outcome: catalog.Decided, Order: 1, PlannedStart: s.today.AddDays(-40), PlannedEnd: s.today.AddDays(-1)},
		{CandidateID: s.cands[resCandidates[1]].ID, Outcome: catalog.Decided, Order: 2, PlannedStart: next},
		{CandidateID: s.cands[resCandidates[2]].ID, Outcome: catalog.Watched},
		{CandidateID: s.cands[resCandidates[3]].ID, Outcome: catalog.NotRelevant},
	}}
	if s.round, err = s.svc.RecordDecision(s.as("ledning"), s.round.ID, dec, r.Version); err != nil {
		t.Fatal(err)
	}
}

func TestTimePlanPage_FiltersAndExports(t *testing.T) {
	t.Parallel()
	dbtest.EachSeeded(t, pgDemoKey, pgSeedDemo, func(t *testing.T, d *db.DB) {
		s := newResSite(t, d)
		s.decide(t)
		lateYear := s.today.AddDays(-1).Year()
		y, next := strconv.Itoa(lateYear), strconv.Itoa(s.today.Year()+1)
		plan, err := s.svc.TimePlan(s.as("revisor"), lateYear)
		if err != nil {
			t.Fatal(err)
		}
		late := 0
		for _, e := range plan {
			if e.Late(s.today) {
				late++
			}
		}
		rut := s.login(t, "revisor")
		res, body := s.do(t, rut, http.MethodGet, "/tidsplan?ar="+y, nil)
		resWant(t, "time plan", res, body, http.StatusOK, "<h1>Tidsplan "+y+"</h1>", resCandidates[0], "I dag", `<span class="tag tag-warning">Försenad</span>`,
			`id="tidslinje"`, "KOL", `href="/tidsplan.csv?ar=`+y+`"`, `href="/prioritering/`+strconv.FormatInt(s.round.ID, 10)+`"`)
		if strings.Contains(body, resCandidates[1]) && lateYear != s.today.Year()+1 {
			t.Error("next year's support is in this year's plan")
		}
		if strings.Contains(body, resCandidates[2]) || strings.Contains(body, resCandidates[3]) {
			t.Error("a support not decided for introduction is in the plan")
		}
		if n := strings.Count(resSection(body, "timeline-title"), "<rect"); n != len(plan) {
			t.Errorf("timeline has %d bars, want %d", n, len(plan))
		}
		if lateYear == s.today.Year() {
			_, deflt := s.do(t, rut, http.MethodGet, "/tidsplan", nil)
			resWant(t, "default year", res, deflt, http.StatusOK, "<h1>Tidsplan "+y+"</h1>", resCandidates[0])
		}
		res, body = s.do(t, rut, http.MethodGet, "/tidsplan?ar="+next, nil)
		resWant(t, "next year", res, body, http.StatusOK, resCandidates[1])
		if strings.Contains(body, "I dag") {
			t.Error("next year's timeline has a line at today")
		}
		res, body = s.do(t, rut, http.MethodGet, "/tidsplan?ar="+y+"&forsenade=1", nil)
		resWant(t, "late only", res, body, http.StatusOK, resCandidates[0], strconv.Itoa(late)+" kunskapsstöd")
		res, body = s.do(t, rut, http.MethodGet, "/tidsplan?ar=2001", nil)
		resWant(t, "empty year", res, body, http.StatusOK, "Inga beslutade införanden har planerad tid 2001.", "Inga införanden att visa för året")
		if t.Failed() {
			t.Log(body)
		}
		for _, q := range []string{"abc", "1999"} {
			res, body = s.do(t, rut, http.MethodGet, "/tidsplan?ar="+q, nil)
			resWant(t, "bad year "+q, res, body, http.StatusUnprocessableEntity, `href="#f-ar"`, `aria-invalid="true"`)
		}

		res, body = s.do(t, rut, http.MethodGet, "/tidsplan.csv?ar="+y, nil)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Disposition") != "attachment; filename=tidsplan-"+y+".csv" {
			t.Fatalf("CSV: %d %v", res.StatusCode, res.Header)
		}
		lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(body, "\ufeff")), "\n")
		if len(lines) != len(plan)+1 || !strings.HasPrefix(lines[0], "Kunskapsstöd;Typ") {
			t.Errorf("CSV has %d lines for %d entries:\n%s", len(lines), len(plan), body)
		}
		if !strings.Contains(body, resCandidates[0]+";Lokal rutin;Resultatomgången;1;"+s.today.AddDays(-40).String()+";"+s.today.AddDays(-1).String()+";Beslutad för införande;Ja;") {
			t.Errorf("CSV lacks A's late row:\n%s", body)
		}
		res, _ = s.do(t, rut, http.MethodGet, "/tidsplan.csv?ar=abc", nil)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("CSV with a bad year: %d", res.StatusCode)
		}
		res, body = s.do(t, rut, http.MethodGet, "/tidsplan.xlsx?ar="+next, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("XLSX: %d", res.StatusCode)
		}
		x, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows(x.GetSheetList()[0])
		if !slicesContainTitle(rows, resCandidates[1]) {
			t.Errorf("XLSX lacks B: %q", rows)
		}
	})
}

func slicesContainTitle(rows [][]string, title string) bool {
	for _, r := range rows {
		if len(r) > 0 && r[0] == title {
			return true
		}
	}
	return false
}
