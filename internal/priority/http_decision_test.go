package priority_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
	"github.com/kunskapsnav/kunskapsnav/internal/priority"
)

// decSite is the prioritisation pages behind an HTTP server over the
// service test's env, with the primary-care council's forum and a signed-in
// user per role, chosen per request by the X-Test-User header.
type decSite struct {
	*env
	srv     *httptest.Server
	forums  *forum.Service
	council int64 // the council's forum
	users   map[string]access.Principal
}

func newDecSite(t *testing.T, d *db.DB) *decSite {
	t.Helper()
	e := newEnv(t, d)
	s := &decSite{env: e, forums: forum.NewService(d, audit.New(e.clock.now), e.clock.now), users: map[string]access.Principal{}}
	councilGroup := insert(t, d, `INSERT INTO org_groups (kind, name, level, created_at, updated_at) VALUES ('primary_care_council', 'Primärvårdsrådet', 'region', ?, ?) RETURNING id`, start, start)
	s.council = insert(t, d, `INSERT INTO forums (group_id, created_at, updated_at) VALUES (?, ?, ?) RETURNING id`, councilGroup, start, start)
	for name, role := range map[string]access.Role{"sara": access.Coordinator, "lena": access.Leadership, "ulf": access.ImprovementLead, "rut": access.Auditor} {
		id := insert(t, d, `INSERT INTO users (username, display_name, password_hash, created_at, updated_at, password_changed_at) VALUES (?, ?, 'x', ?, ?, ?) RETURNING id`,
			name, name, start, start, start)
		s.users[name] = access.Principal{UserID: id, Username: name, Name: name, Roles: []access.Role{role}}
	}
	texts := must(i18n.Load())(t)
	sessions := auth.NewSessions(auth.NewSessionStore(d, time.Now), time.Hour, 12*time.Hour, false)
	ws := must(web.NewServer(web.Config{Version: "test"}, slog.New(slog.DiscardHandler), texts, sessions))(t)
	if err := priority.Register(ws, api.New(ws, "test"), e.svc); err != nil {
		t.Fatal(err)
	}
	signIn := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if p, ok := s.users[r.Header.Get("X-Test-User")]; ok {
				r = r.WithContext(access.With(r.Context(), p))
			}
			next.ServeHTTP(w, r)
		})
	}
	s.srv = httptest.NewServer(ws.Handler(signIn))
	t.Cleanup(s.srv.Close)
	return s
}

// as is a context signed in as the site's user name.
func (s *decSite) as(name string) context.Context {
	return access.With(context.Background(), s.users[name])
}

// do sends a request as user (form for a POST) without following redirects.
func (s *decSite) do(t *testing.T, user, method, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := must(http.NewRequest(method, s.srv.URL+path, body))(t)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("X-Test-User", user)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res := must(c.Do(req))(t)
	defer res.Body.Close()
	b := must(io.ReadAll(res.Body))(t)
	checkPage(t, method+" "+path, res, string(b))
	return res, string(b)
}

// decWant fails unless the answer has status want and every one of texts.
func decWant(t *testing.T, what string, res *http.Response, body string, want int, texts ...string) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, want, body)
	}
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Errorf("%s: the answer lacks %q\n%s", what, s, body)
		}
	}
	if strings.Contains(body, "<html") && want < 300 {
		if n := strings.Count(body, "<h1"); n != 1 {
			t.Errorf("%s: %d h1 elements", what, n)
		}
	}
}

// closedRound opens a round over the env's three supports, has both LPOs
// rate them with comments, closes it and proposes the first two.
func (s *decSite) closedRound(t *testing.T) (priority.Round, []priority.Candidate) {
	t.Helper()
	r := s.openRound(t)
	cands := must(s.svc.Candidates(s.coordinator, r.ID))(t)
	for i, c := range cands {
		must(s.svc.SaveSheet(as(s.userA, access.ImprovementLead), priority.Sheet{RoundID: r.ID, CandidateID: c.ID, GroupID: s.lpoA, Scores: scores(r, 5-i, 4)}))(t)
		must(s.svc.SaveSheet(as(s.userB, access.Unit), priority.Sheet{RoundID: r.ID, CandidateID: c.ID, GroupID: s.lpoB, Scores: scores(r, 4-i, 3)}))(t)
	}
	s.clock.set(time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC))
	r = must(s.svc.Close(s.coordinator, r.ID, r.Version))(t)
	must(s.svc.SaveProposal(s.coordinator, r.ID, []priority.ProposalChange{
		{CandidateID: cands[0].ID, Proposal: priority.Proposal{Proposed: true, ProposedOrder: 1, PlannedStart: day("2027-01-01"), PlannedEnd: day("2027-06-30")}, Version: cands[0].Version},
		{CandidateID: cands[1].ID, Proposal: priority.Proposal{Proposed: true, ProposedOrder: 2, PlannedStart: day("2027-03-01")}, Version: cands[1].Version},
	}))(t)
	return must(s.svc.Round(s.coordinator, r.ID))(t), must(s.svc.Candidates(s.coordinator, r.ID))(t)
}

func decID(id int64) string { return strconv.FormatInt(id, 10) }

func TestDecisionPages_CaseBasisAndDecision(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newDecSite(t, d)
		r, cands := s.closedRound(t)
		base := "/prioritering/" + decID(r.ID)
		res, body := s.do(t, "rut", http.MethodGet, base+"/arende", nil)
		decWant(t, "case page for the auditor", res, body, http.StatusOK, "Samordnaren har inte skickat förslaget som ärende ännu.", base+"/beslutsunderlag.pdf")
		res, body = s.do(t, "sara", http.MethodGet, base+"/arende", nil)
		decWant(t, "case page for the coordinator", res, body, http.StatusOK, "Registrera ärendet", `name="version" value="`+decID(r.Version)+`"`)

		// Only the coordinator starts the case, by the round's version.
		res, body = s.do(t, "ulf", http.MethodPost, base+"/arende", url.Values{"version": {decID(r.Version)}})
		decWant(t, "case by an improvement lead", res, body, http.StatusForbidden)
		res, body = s.do(t, "sara", http.MethodPost, base+"/arende", url.Values{"version": {decID(r.Version - 1)}})
		decWant(t, "case from a stale page", res, body, http.StatusConflict, "Omgången har ändrats", `href="#f-conflict"`)
		res, body = s.do(t, "sara", http.MethodPost, base+"/arende", url.Values{"version": {decID(r.Version)}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/arenden/") {
			t.Fatalf("start case: status %d, location %q\n%s", res.StatusCode, res.Header.Get("Location"), body)
		}
		r = must(s.svc.Round(s.coordinator, r.ID))(t)
		if res.Header.Get("Location") != "/arenden/"+decID(r.CaseID) {
			t.Fatalf("redirected to %s, want the case %d", res.Header.Get("Location"), r.CaseID)
		}
		links := must(s.forums.Links(s.as("rut"), r.CaseID))(t)
		if !slices.ContainsFunc(links, func(l forum.Link) bool { return l.Href() == base }) {
			t.Errorf("the case does not link back to the round: %+v", links)
		}
		c := must(s.forums.Case(s.as("rut"), r.CaseID))(t)
		res, body = s.do(t, "sara", http.MethodPost, base+"/arende", url.Values{"version": {decID(r.Version)}})
		decWant(t, "second case", res, body, http.StatusUnprocessableEntity, "Omgången har redan ett ärende.")
		res, body = s.do(t, "rut", http.MethodGet, base+"/arende", nil)
		decWant(t, "case page with its case", res, body, http.StatusOK, c.Number, `href="/arenden/`+decID(c.ID)+`"`, "Inte förankrat ännu", "Inga dokument ännu.",
			"<dt>Ärendets status</dt>", "<caption>Ärendets steg</caption>")

		// Everyone signed in reads the basis; the coordinator attaches it to the case.
		for _, f := range []struct{ ext, magic, ctype string }{{"docx", "PK", "wordprocessingml"}, {"pdf", "%PDF-", "application/pdf"}} {
			res, body = s.do(t, "rut", http.MethodGet, base+"/beslutsunderlag."+f.ext, nil)
			decWant(t, "basis "+f.ext, res, body, http.StatusOK)
			if !strings.HasPrefix(body, f.magic) || !strings.Contains(res.Header.Get("Content-Type"), f.ctype) ||
				!strings.Contains(res.Header.Get("Content-Disposition"), "beslutsunderlag-prioritering-2027."+f.ext) {
				t.Errorf("basis %s: %q, %q, starts %q", f.ext, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"), body[:min(8, len(body))])
			}
		}
		res, body = s.do(t, "rut", http.MethodPost, base+"/beslutsunderlag/bifoga", url.Values{})
		decWant(t, "attach by the auditor", res, body, http.StatusForbidden)
		res, body = s.do(t, "sara", http.MethodPost, base+"/beslutsunderlag/bifoga", url.Values{})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != base+"/arende" {
			t.Fatalf("attach: status %d, location %q\n%s", res.StatusCode, res.Header.Get("Location"), body)
		}
		docs := must(s.forums.CaseDocuments(s.as("rut"), r.CaseID))(t)
		var names []string
		for _, doc := range docs {
			names = append(names, doc.Name)
		}
		if !slices.Equal(names, []string{"beslutsunderlag-prioritering-2027.docx", "beslutsunderlag-prioritering-2027.pdf"}) {
			t.Fatalf("case documents = %v", names)
		}

		// The council anchors the proposal on the case.
		c = must(s.forums.Case(s.as("rut"), r.CaseID))(t)
		must(s.forums.AddStep(s.as("sara"), forum.Step{CaseID: c.ID, Kind: forum.Anchoring, Date: day("2026-10-27"), ForumID: s.council,
			Outcome: forum.Supports}, c.Version))(t)
		res, body = s.do(t, "rut", http.MethodGet, base+"/arende", nil)
		decWant(t, "case page after anchoring", res, body, http.StatusOK, "Förankrat 2026-10-27: Ställer sig bakom",
			"Beslutsunderlag – "+r.Title+" (PDF)", `href="/dokument/`+decID(docs[1].ID)+`"`)

		// HSL's meetings whose minutes are not approved are offered.
		hsl := must(s.svc.HSLForum(s.coordinator))(t)
		m := must(s.forums.CreateMeeting(s.as("sara"), forum.Meeting{ForumID: hsl, Title: "Ordinarie HSL-möte", Status: forum.Planned,
			StartsAt: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC), EndsAt: time.Date(2026, 11, 20, 14, 0, 0, 0, time.UTC)}))(t)

		// HSL's decision: ledning and the coordinator, not an improvement lead.
		res, body = s.do(t, "ulf", http.MethodGet, base+"/beslut", nil)
		decWant(t, "decision page for an improvement lead", res, body, http.StatusForbidden)
		res, body = s.do(t, "lena", http.MethodGet, base+"/beslut", nil)
		decWant(t, "decision form", res, body, http.StatusOK, "Registrera beslutet",
			`name="outcomes.0.order" type="number" value="1"`, `name="outcomes.1.planned_start" type="date" value="2027-03-01"`,
			`value="decided" checked`, `value="watched" checked`, "1. Riktlinje A (2027-01-01 – 2027-06-30)", "2. Riktlinje B (från 2027-03-01)",
			`name="decided_on" type="date" value="2026-10-20"`, `<option value="`+decID(m.ID)+`">2026-11-20 – Ordinarie HSL-möte</option>`)
		version := decID(r.Version)
		form := func(v string) url.Values {
			return url.Values{"version": {v}, "decided_on": {"2026-11-20"}, "meeting_id": {decID(m.ID)}, "text": {"HSL beslutar att införa Riktlinje A och B."},
				"outcomes.0.outcome": {"decided"}, "outcomes.0.order": {"1"}, "outcomes.0.planned_start": {"2027-01-01"}, "outcomes.0.planned_end": {"2027-06-30"},
				"outcomes.1.outcome": {"decided"}, "outcomes.1.order": {"2"}, "outcomes.1.planned_start": {"2027-03-01"},
				"outcomes.2.outcome": {"not_relevant"}}
		}
		bad := form(version)
		bad.Set("outcomes.1.order", "1")
		bad.Del("outcomes.1.planned_start")
		bad.Del("outcomes.2.outcome")
		res, body = s.do(t, "lena", http.MethodPost, base+"/beslut", bad)
		decWant(t, "decision with mistakes", res, body, http.StatusUnprocessableEntity, `href="#f-outcomes.1.order"`,
			`href="#f-outcomes.1.planned_start"`, `href="#f-outcomes.2.outcome"`, "Ordningen 1 är redan vald för en annan kandidat.", "HSL beslutar att införa Riktlinje A och B.")
		unreadable := form(version)
		unreadable.Set("outcomes.0.order", "först")
		unreadable.Del("outcomes.2.outcome")
		res, body = s.do(t, "lena", http.MethodPost, base+"/beslut", unreadable)
		decWant(t, "decision with an unreadable order", res, body, http.StatusUnprocessableEntity, `href="#f-outcomes.0.order"`,
			"Ange ett heltal", `href="#f-outcomes.2.outcome"`, `value="först"`)
		res, body = s.do(t, "lena", http.MethodPost, base+"/beslut", form(decID(r.Version-1)))
		decWant(t, "decision from a stale page", res, body, http.StatusConflict, `href="#f-conflict"`, `name="version" value="`+version+`"`)
		if got := must(s.svc.Round(s.coordinator, r.ID))(t); got.Status != priority.Closed {
			t.Fatalf("a refused decision changed the round: %s", got.Status)
		}
		res, body = s.do(t, "lena", http.MethodPost, base+"/beslut", form(version))
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != base {
			t.Fatalf("decision: status %d, location %q\n%s", res.StatusCode, res.Header.Get("Location"), body)
		}
		r = must(s.svc.Round(s.coordinator, r.ID))(t)
		if r.Status != priority.Decided || r.DecisionID == 0 {
			t.Fatalf("decided round = %+v", r)
		}
		for i, want := range []catalog.Status{catalog.Decided, catalog.Decided, catalog.NotRelevant} {
			hist := must(s.catalog.History(s.coordinator, cands[i].SupportID))(t)
			last := hist[len(hist)-1]
			if last.From != catalog.Prioritised || last.To != want || last.On != day("2026-11-20") || !strings.Contains(last.Reason, c.Number) {
				t.Errorf("support %d: last transition %+v, want prioritised → %s on 2026-11-20 citing %s", i, last, want, c.Number)
			}
		}
		if fd := must(s.forums.Decision(s.as("rut"), r.DecisionID))(t); fd.MeetingID != m.ID || fd.CaseID != c.ID || fd.ForumID != hsl {
			t.Errorf("forum decision = %+v, want HSL's at meeting %d on case %d", fd, m.ID, c.ID)
		}
		// A second decision sent from the same form meets the first.
		res, body = s.do(t, "sara", http.MethodPost, base+"/beslut", form(version))
		decWant(t, "second decision", res, body, http.StatusConflict, "Någon annan har redan registrerat HSL:s beslut",
			`href="#f-conflict"`, `href="/beslut/`+decID(r.DecisionID)+`"`)
		res, body = s.do(t, "lena", http.MethodGet, base+"/beslut", nil)
		decWant(t, "decided round's decision page", res, body, http.StatusOK, `href="/beslut/`+decID(r.DecisionID)+`"`,
			"HSL beslutar att införa Riktlinje A och B.", "Införs", "Ej aktuellt")
		if strings.Contains(body, "<form") && strings.Contains(body, `action="`+base+`/beslut"`) {
			t.Error("a decided round still offers the decision form")
		}
		res, body = s.do(t, "rut", http.MethodGet, base+"/beslutsunderlag.pdf", nil)
		decWant(t, "basis of a decided round", res, body, http.StatusOK)
	})
}

func TestDecisionPages_OpenRoundCannotBeDecided(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newDecSite(t, d)
		r := s.openRound(t)
		base := "/prioritering/" + decID(r.ID)
		res, body := s.do(t, "sara", http.MethodGet, base+"/beslut", nil)
		decWant(t, "decision page of an open round", res, body, http.StatusOK, "Omgången är inte stängd.")
		cands := must(s.svc.Candidates(s.coordinator, r.ID))(t)
		form := url.Values{"version": {decID(r.Version)}, "decided_on": {"2026-09-02"}, "text": {"Beslut"}}
		for i := range cands {
			form.Set("outcomes."+strconv.Itoa(i)+".outcome", "watched")
		}
		res, body = s.do(t, "lena", http.MethodPost, base+"/beslut", form)
		decWant(t, "decision on an open round", res, body, http.StatusUnprocessableEntity, `href="#f-round"`, `id="f-round"`,
			"Omgången är inte stängd. Stäng den och förankra förslaget innan beslutet registreras.")
		res, body = s.do(t, "rut", http.MethodGet, base+"/beslutsunderlag.pdf", nil)
		decWant(t, "basis of an open round", res, body, http.StatusNotFound)
		res, body = s.do(t, "sara", http.MethodPost, base+"/beslutsunderlag/bifoga", url.Values{})
		decWant(t, "attach the basis of an open round", res, body, http.StatusNotFound)
		res, body = s.do(t, "sara", http.MethodGet, base+"/arende", nil)
		decWant(t, "case page of an open round", res, body, http.StatusOK, "Omgången är inte stängd.")
		if strings.Contains(body, `action="`+base+`/arende"`) {
			t.Error("an open round offers to start its case")
		}
		// A draft round has no basis either.
		draft := must(s.svc.CreateRound(s.coordinator, priority.DefaultRound(2028, day("2026-10-15"), label)))(t)
		res, body = s.do(t, "rut", http.MethodGet, "/prioritering/"+decID(draft.ID)+"/beslutsunderlag.docx", nil)
		decWant(t, "basis of a draft", res, body, http.StatusNotFound)
	})
}
