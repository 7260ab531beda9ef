package implement_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/llm"
)

// fakeLLM is an in-process server speaking the OpenAI chat-completions API:
// it records every request and answers with reply, or with status (and no
// answer) when status is set, or after delay.
type fakeLLM struct {
	mu       sync.Mutex
	requests []fakeRequest
	reply    string
	status   int
	delay    time.Duration
	srv      *httptest.Server
}

type fakeRequest struct {
	Path   string
	Auth   string
	Model  string
	Prompt string // every message's content, joined
}

func newFakeLLM(t *testing.T, reply string) *fakeLLM {
	t.Helper()
	f := &fakeLLM{reply: reply}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeLLM) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req struct {
		Model    string `json:"model"`
		Messages []struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		} `json:"messages"`
	}
	_ = json.Unmarshal(body, &req)
	var parts []string
	for _, m := range req.Messages {
		parts = append(parts, m.Role+": "+m.Content)
	}
	f.mu.Lock()
	f.requests = append(f.requests, fakeRequest{Path: r.URL.Path, Auth: r.Header.Get("Authorization"), Model: req.Model, Prompt: strings.Join(parts, "\n")})
	status, delay, reply := f.status, f.delay, f.reply
	f.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if status != 0 {
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"error":{"message":"the model is overloaded","type":"server_error"}}`)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": req.Model,
		"choices": []map[string]any{{"index": 0, "finish_reason": "stop", "message": map[string]any{"role": "assistant", "content": reply}}},
		"usage":   map[string]any{"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
	})
}

func (f *fakeLLM) calls() []fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeRequest(nil), f.requests...)
}

// drafter is a client of the fake with a short timeout.
func (f *fakeLLM) drafter(t *testing.T) *llm.Client {
	t.Helper()
	return must(llm.New(llm.Config{URL: f.srv.URL + "/v1/", Model: "test-model", APIKey: "sk-test", Timeout: 500 * time.Millisecond}))(t)
}

const machineDraft = "Införandet av Vårdförlopp Testsjukdom omfattar tre rekommendationer. En har stort gap och kräver fördjupad analys."

// TestDraftSummary_SendsOnlyAggregatedFacts drafts the fixture's summary
// at the fake endpoint: the request carries the facts but no name, e-mail,
// unit or free-text answer; the answer is stored as a waiting draft, kept out
// of the report, until the lead accepts it, edited, when the report says it
// was drafted by machine and accepted by the lead.
func TestDraftSummary_SendsOnlyAggregatedFacts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		fake := newFakeLLM(t, machineDraft)
		svc := e.svc.WithDrafter(fake.drafter(t))
		m := e.reportFixture(t)

		drafted := must(svc.DraftSummary(e.leadCtx, m.ID, m.Version))(t)
		calls := fake.calls()
		if len(calls) != 1 {
			t.Fatalf("%d requests, want 1", len(calls))
		}
		c := calls[0]
		if c.Path != "/v1/chat/completions" || c.Model != "test-model" || c.Auth != "Bearer sk-test" {
			t.Errorf("request %s model %q auth %q", c.Path, c.Model, c.Auth)
		}
		for _, personal := range []string{"Agnes", "Bertil", "Lena", "Sara", "Olle", "samordnare", "@example.se", "Alfa", "Beta",
			"Hälsocentral", secretAnswer, "Svar på", "Utbilda personalen", "Personal på hälsocentralerna", "Förankrat", "Beslutsunderlag finns", "2026/0007"} {
			if strings.Contains(c.Prompt, personal) {
				t.Errorf("the prompt holds %q:\n%s", personal, c.Prompt)
			}
		}
		for _, fact := range []string{"Vårdförlopp Testsjukdom (Lokal rutin)", "Antal rekommendationer: 3",
			"0 utan gap, 1 litet gap, 0 måttligt gap, 1 stort gap, 1 ej bedömda; 1 med risk för undanträngning",
			"Fördjupade analyser: 1", "4 åtgärder, 1 klara, 1 försenade", "2 av 6 obligatoriska", "Planerat slut: 2027-06-30"} {
			if !strings.Contains(c.Prompt, fact) {
				t.Errorf("the prompt lacks %q:\n%s", fact, c.Prompt)
			}
		}
		if drafted.SummaryDraft != machineDraft || drafted.SummaryDraftAt == nil || drafted.Summary != "" || drafted.SummaryMachine {
			t.Errorf("after drafting: draft %q at %v, summary %q machine %v", drafted.SummaryDraft, drafted.SummaryDraftAt, drafted.Summary, drafted.SummaryMachine)
		}
		sv := e.reportTrOf(i18n.SV)
		text := reportText(implement.ReportDocument(must(svc.Report(e.leadCtx, m.ID))(t), sv, i18n.SV))
		if strings.Contains(text, "Införandet av Vårdförlopp") || !strings.Contains(text, "Ingen sammanfattning har skrivits ännu.") {
			t.Errorf("an unaccepted draft entered the report:\n%s", text)
		}

		edited := machineDraft + " Rutinen är försenad."
		accepted := must(svc.SaveSummary(e.leadCtx, m.ID, implement.SummaryInput{Action: implement.SummaryAccept, Text: edited, Version: drafted.Version}))(t)
		if accepted.Summary != edited || !accepted.SummaryMachine || accepted.SummaryBy != "Lena Lead" || accepted.SummaryDraft != "" || accepted.SummaryDraftAt != nil {
			t.Errorf("accepted: %+v", accepted)
		}
		text = reportText(implement.ReportDocument(must(svc.Report(e.chief, m.ID))(t), sv, i18n.SV))
		for _, want := range []string{edited, "Sammanfattningen togs fram med maskinstöd och godkändes av Lena Lead den 2026-11-16."} {
			if !strings.Contains(text, want) {
				t.Errorf("the report lacks %q:\n%s", want, text)
			}
		}
		// Editing an accepted machine summary keeps its mark.
		kept := must(svc.SaveSummary(e.coordinator, m.ID, implement.SummaryInput{Action: implement.SummarySave, Text: edited + " Ändrad.", Version: accepted.Version}))(t)
		if !kept.SummaryMachine || kept.SummaryBy != "samordnare" {
			t.Errorf("edited: machine %v by %q", kept.SummaryMachine, kept.SummaryBy)
		}
		// A new draft, discarded, leaves the summary as it was.
		again := must(svc.DraftSummary(e.leadCtx, m.ID, kept.Version))(t)
		discarded := must(svc.SaveSummary(e.leadCtx, m.ID, implement.SummaryInput{Action: implement.SummaryDiscard, Version: again.Version}))(t)
		if discarded.SummaryDraft != "" || discarded.Summary != kept.Summary || !discarded.SummaryMachine {
			t.Errorf("discarded: %+v", discarded)
		}
	})
}

// TestDraftSummary_Failures: no drafter, an endpoint error, a timeout, a
// user outside the working group and a stale version each give a clear
// error and change nothing.
func TestDraftSummary_Failures(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		tests := []struct {
			name    string
			status  int
			delay   time.Duration
			noDraft bool
			version int64
			want    error
			calls   int
		}{
			{name: "no drafter configured", noDraft: true, want: implement.ErrNoDrafter},
			{name: "endpoint answers 500", status: http.StatusInternalServerError, want: implement.ErrDraftFailed, calls: 1},
			{name: "endpoint times out", delay: 3 * time.Second, want: implement.ErrDraftFailed, calls: 1},
			{name: "stale version", version: m.Version + 1, want: errs.ErrConflict},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				fake := newFakeLLM(t, machineDraft)
				fake.status, fake.delay = tt.status, tt.delay
				svc := e.svc.WithDrafter(fake.drafter(t))
				if tt.noDraft {
					svc = e.svc
				}
				version := m.Version
				if tt.version != 0 {
					version = tt.version
				}
				began := time.Now()
				_, err := svc.DraftSummary(e.leadCtx, m.ID, version)
				if !errors.Is(err, tt.want) {
					t.Fatalf("err %v, want %v", err, tt.want)
				}
				if tt.want != errs.ErrConflict && !errors.Is(err, errs.ErrUnavailable) {
					t.Errorf("err %v is not unavailable", err)
				}
				if took := time.Since(began); took > 2*time.Second {
					t.Errorf("took %v: the timeout was not kept", took)
				}
				if n := len(fake.calls()); n != tt.calls {
					t.Errorf("%d requests, want %d", n, tt.calls)
				}
				now := must(e.svc.Workspace(e.coordinator, m.ID))(t).Implementation
				if now.Version != m.Version || now.SummaryDraft != "" || now.Summary != "" {
					t.Errorf("a failed draft changed the implementation: %+v", now)
				}
			})
		}
		t.Run("outside the working group", func(t *testing.T) {
			fake := newFakeLLM(t, machineDraft)
			svc := e.svc.WithDrafter(fake.drafter(t))
			for _, ctx := range []context.Context{e.chief, e.outsiderCtx, e.unitACtx} {
				if _, err := svc.DraftSummary(ctx, m.ID, m.Version); !errors.Is(err, errs.ErrForbidden) {
					t.Errorf("err %v, want forbidden", err)
				}
			}
			if n := len(fake.calls()); n != 0 {
				t.Errorf("%d requests for users who may not draft", n)
			}
		})
	})
}
