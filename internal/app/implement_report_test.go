package app

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/llm"
)

// reportDraft is what the fake language model answers.
const reportDraft = "Införandet omfattar flera rekommendationer och handlingsplanen är påbörjad."

// fakeChat is an in-process OpenAI-compatible chat-completions endpoint
// that answers reportDraft, or 500 while failing is set.
type fakeChat struct {
	srv     *httptest.Server
	failing atomic.Bool
	calls   atomic.Int32
}

func newFakeChat(t *testing.T) *fakeChat {
	t.Helper()
	f := &fakeChat{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.calls.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path != "/v1/chat/completions" || f.failing.Load() {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"error":{"message":"down","type":"server_error"}}`)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"id": "x", "object": "chat.completion", "created": 1, "model": "m",
			"choices": []map[string]any{{"index": 0, "finish_reason": "stop", "message": map[string]any{"role": "assistant", "content": reportDraft}}}})
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// newReportApp is the app on the demo data, drafting summaries at chatURL
// when it is not empty, with one implementation (of a demo support decided
// or being introduced) whose id it returns.
func newReportApp(t *testing.T, d *db.DB, chatURL string) (*testApp, int64) {
	t.Helper()
	dbtest.Seed(t, d, demoKey, seedDemo)
	cfg := Config{}
	if chatURL != "" {
		cfg.LLM = llm.Config{URL: chatURL + "/v1", Model: "test-model"}
	}
	a, err := New(cfg, slog.New(slog.DiscardHandler), d)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	ta := &testApp{App: a, srv: srv}
	return ta, reportImplementation(t, ta)
}

// reportImplementation starts the implementation of a demo support decided
// (or being introduced) without one, so that its working group is only the
// support's improvement leads: ledning and revisor oversee it, enhet and
// kommun do not read it.
func reportImplementation(t *testing.T, ta *testApp) int64 {
	t.Helper()
	ctx := ta.coordinatorCtx(t)
	svc := ta.implementService()
	ids, err := db.All(ctx, ta.DB, db.ScanID, `SELECT id FROM supports WHERE status IN ('decided', 'being_introduced') ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for _, sp := range ids {
		if id, err := svc.OfSupport(ctx, sp); err != nil {
			t.Fatal(err)
		} else if id != 0 {
			continue
		}
		m, err := svc.StartImplementation(ctx, implement.Start{SupportID: sp})
		if err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	t.Fatalf("every demo support decided or being introduced (%d) has its implementation", len(ids))
	return 0
}

func (ta *testApp) coordinatorCtx(t *testing.T) context.Context {
	t.Helper()
	return audit.WithSystemActor(access.With(context.Background(), demoPrincipals(t, ta)["samordnare"]), "test")
}

// implVersion is the implementation's version now.
func (ta *testApp) implVersion(t *testing.T, id int64) string {
	t.Helper()
	w, err := ta.implementService().Workspace(ta.coordinatorCtx(t), id)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(w.Implementation.Version, 10)
}

// TestImplementReport_PagesPerRole: readers of the workspace read the
// report and its files; only the working group (here the coordinator)
// drafts, accepts and writes the summary; a draft enters the report only
// once accepted; a failing endpoint and a stale form change nothing.
func TestImplementReport_PagesPerRole(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		chat := newFakeChat(t)
		ta, id := newReportApp(t, d, chat.srv.URL)
		base := "/inforande/" + strconv.FormatInt(id, 10)
		users := map[string]*http.Client{}
		for _, u := range []string{"samordnare", "ledning", "revisor", "enhet", "kommun"} {
			users[u] = ta.login(t, u)
		}
		tests := []struct {
			user, path string
			status     int
			texts      []string
		}{
			{"samordnare", "/rapport", 200, []string{"<h1 id=\"report-title\">Införanderapport:", "Gapanalys", "Fördjupade analyser", "Handlingsplan och tidslinje",
				"Kommunikationsplan", "Kopplade ärenden och beslut", base + "/rapport.pdf", base + "/rapport.docx", "Ingen sammanfattning har skrivits ännu."}},
			{"ledning", "/rapport", 200, []string{"Införanderapport:"}},
			{"revisor", "/rapport", 200, []string{"Införanderapport:"}},
			{"enhet", "/rapport", 403, nil},
			{"kommun", "/rapport.pdf", 403, nil},
			{"samordnare", "/sammanfattning", 200, []string{"Ta fram utkast med AI", "Spara sammanfattningen"}},
			{"ledning", "/sammanfattning", 200, []string{"Bara arbetsgruppen och samordnaren skriver sammanfattningen.", "!Ta fram utkast med AI", "!<textarea"}},
			{"enhet", "/sammanfattning", 403, nil},
		}
		for _, tt := range tests {
			res, html := ta.get(t, users[tt.user], base+tt.path)
			if res.StatusCode != tt.status {
				t.Errorf("%s GET %s: %d, want %d", tt.user, tt.path, res.StatusCode, tt.status)
				continue
			}
			for _, text := range tt.texts {
				if not, ok := strings.CutPrefix(text, "!"); ok {
					if strings.Contains(html, not) {
						t.Errorf("%s GET %s shows %q", tt.user, tt.path, not)
					}
				} else if !strings.Contains(html, text) {
					t.Errorf("%s GET %s lacks %q", tt.user, tt.path, text)
				}
			}
		}
		for ext, want := range map[string]string{".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"} {
			res, body := ta.get(t, users["revisor"], base+"/rapport"+ext)
			if res.StatusCode != 200 || res.Header.Get("Content-Type") != want || len(body) < 1000 ||
				!strings.Contains(res.Header.Get("Content-Disposition"), "inforanderapport-"+strconv.FormatInt(id, 10)+ext) {
				t.Errorf("GET rapport%s: %d %q %q, %d bytes", ext, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"), len(body))
			}
		}

		// Ledning reads but may not write.
		if res := ta.post(t, users["ledning"], base+"/sammanfattning", url.Values{"action": {"draft"}, "version": {ta.implVersion(t, id)}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("ledning drafting: %d, want 403", res.StatusCode)
		}
		if n := chat.calls.Load(); n != 0 {
			t.Errorf("%d calls to the model before anyone drafted", n)
		}

		// A failing endpoint: a clear message, nothing changed.
		chat.failing.Store(true)
		v := ta.implVersion(t, id)
		res := ta.post(t, users["samordnare"], base+"/sammanfattning", url.Values{"action": {"draft"}, "version": {v}})
		if html := body(t, res); res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(html, "Utkastet kunde inte tas fram") {
			t.Errorf("failing endpoint: %d\n%s", res.StatusCode, html)
		}
		if ta.implVersion(t, id) != v {
			t.Error("a failed draft changed the implementation")
		}
		chat.failing.Store(false)

		// Draft, see it marked and kept out of the report, accept it edited.
		if res := ta.post(t, users["samordnare"], base+"/sammanfattning", url.Values{"action": {"draft"}, "version": {v}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("draft: %d\n%s", res.StatusCode, body(t, res))
		}
		if _, html := ta.get(t, users["samordnare"], base+"/sammanfattning"); !strings.Contains(html, "Maskinframtaget utkast – granska och godkänn") || !strings.Contains(html, reportDraft) {
			t.Errorf("the summary page does not show the marked draft:\n%s", html)
		}
		if _, html := ta.get(t, users["ledning"], base+"/rapport"); strings.Contains(html, reportDraft) {
			t.Error("the unaccepted draft is in the report")
		}
		stale := v
		v = ta.implVersion(t, id)
		res = ta.post(t, users["samordnare"], base+"/sammanfattning", url.Values{"action": {"save"}, "text": {"Gammal"}, "version": {stale}})
		if html := body(t, res); res.StatusCode != http.StatusConflict || !strings.Contains(html, "Sammanfattningen har ändrats") || !strings.Contains(html, "Gammal") {
			t.Errorf("stale save: %d\n%s", res.StatusCode, html)
		}
		res = ta.post(t, users["samordnare"], base+"/sammanfattning", url.Values{"action": {"accept"}, "draft_text": {""}, "version": {v}})
		if html := body(t, res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, `href="#f-draft_text"`) {
			t.Errorf("accepting an empty draft: %d\n%s", res.StatusCode, html)
		}
		edited := reportDraft + " Granskad."
		if res := ta.post(t, users["samordnare"], base+"/sammanfattning", url.Values{"action": {"accept"}, "draft_text": {edited}, "version": {v}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("accept: %d\n%s", res.StatusCode, body(t, res))
		}
		_, html := ta.get(t, users["revisor"], base+"/rapport")
		for _, want := range []string{edited, "Sammanfattningen togs fram med maskinstöd och godkändes av Sara Samordnare den"} {
			if !strings.Contains(html, want) {
				t.Errorf("the report lacks %q", want)
			}
		}
	})
}

// TestImplementReport_API: the report files for readers, drafting and
// accepting through the API, and a clear 503 without a drafter.
func TestImplementReport_API(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		chat := newFakeChat(t)
		ta, id := newReportApp(t, d, chat.srv.URL)
		path := "/api/v1/implementations/" + strconv.FormatInt(id, 10)
		sara, rut, erik := ta.token(t, "samordnare"), ta.token(t, "revisor"), ta.token(t, "enhet")
		for _, tt := range []struct {
			token, ext, contentType string
			status                  int
		}{
			{rut, ".pdf", "application/pdf", 200},
			{rut, ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 200},
			{erik, ".pdf", "application/problem+json", 403},
		} {
			req, _ := http.NewRequest(http.MethodGet, ta.srv.URL+path+"/report"+tt.ext, nil)
			req.Header.Set("Authorization", "Bearer "+tt.token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.status || res.Header.Get("Content-Type") != tt.contentType {
				t.Errorf("GET report%s: %d %q", tt.ext, res.StatusCode, res.Header.Get("Content-Type"))
			}
			if tt.ext == ".pdf" && tt.status == 200 && !strings.HasPrefix(string(b), "%PDF-") {
				t.Errorf("the PDF begins %q", b[:min(len(b), 10)])
			}
		}
		v := ta.implVersion(t, id)
		res, out := ta.apiCall(t, http.MethodPost, path+"/summary/draft", rut, `{"version":`+v+`}`)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("revisor drafting: %d %v", res.StatusCode, out)
		}
		res, out = ta.apiCall(t, http.MethodPost, path+"/summary/draft", sara, `{"version":`+v+`}`)
		if res.StatusCode != 200 || out["summary_draft"] != reportDraft || out["summary"] != "" {
			t.Fatalf("draft: %d %v", res.StatusCode, out)
		}
		version := strconv.FormatFloat(out["version"].(float64), 'f', 0, 64)
		res, out = ta.apiCall(t, http.MethodPut, path+"/summary", sara, `{"action":"accept","text":"Godkänd text.","version":`+version+`}`)
		if res.StatusCode != 200 || out["summary"] != "Godkänd text." || out["summary_machine"] != true || out["summary_draft"] != nil {
			t.Errorf("accept: %d %v", res.StatusCode, out)
		}
		res, out = ta.apiCall(t, http.MethodPut, path+"/summary", sara, `{"action":"save","text":"Ny","version":`+version+`}`)
		if res.StatusCode != http.StatusConflict {
			t.Errorf("stale save: %d %v", res.StatusCode, out)
		}

		plain, plainID := newReportApp(t, dbtest.Open(t, d.Dialect()), "")
		res, out = plain.apiCall(t, http.MethodPost, "/api/v1/implementations/"+strconv.FormatInt(plainID, 10)+"/summary/draft",
			plain.token(t, "samordnare"), `{"version":`+plain.implVersion(t, plainID)+`}`)
		if res.StatusCode != http.StatusServiceUnavailable || out["title"] == "" {
			t.Errorf("draft without a drafter: %d %v", res.StatusCode, out)
		}
	})
}
