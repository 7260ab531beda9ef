package implement_test

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

var updateReport = flag.Bool("update-report", false, "rewrite the report golden files")

// TestReport_GoldenText compiles the report of the fixture, read on a fixed
// day with a summary written by the improvement lead, and compares its text
// with the golden file per language: the same data gives the same report
// on both engines, sections in their fixed order.
func TestReport_GoldenText(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.reportFixture(t)
		must(e.svc.SaveSummary(e.leadCtx, m.ID, implement.SummaryInput{Action: implement.SummarySave,
			Text: "Införandet går enligt plan. Utbildningen är klar och rutinen är på väg.", Version: m.Version}))(t)
		rep := must(e.svc.Report(e.chief, m.ID))(t)
		for _, loc := range []i18n.Locale{i18n.SV, i18n.EN} {
			t.Run(string(loc), func(t *testing.T) {
				got := reportText(implement.ReportDocument(rep, e.reportTrOf(loc), loc))
				golden := filepath.Join("testdata", "report_"+string(loc)+".golden")
				if *updateReport {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatal(err)
				}
				if got != string(want) {
					t.Errorf("the report differs from %s (run with -update-report to accept):\n%s", golden, got)
				}
				if strings.Contains(got, "⟦") {
					t.Errorf("a message is missing from the catalogue:\n%s", got)
				}
			})
		}
	})
}

// TestReport_Sections checks the rules of the report's content that the
// golden file only shows: section order, an empty workspace, and that
// cancelled actions stay out of the months.
func TestReport_Sections(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		empty := must(e.svc.StartImplementation(e.coordinator, implement.Start{SupportID: e.other}))(t)
		text := reportText(implement.ReportDocument(must(e.svc.Report(e.coordinator, empty.ID))(t), e.reportTrOf(i18n.SV), i18n.SV))
		for _, want := range []string{"Ingen sammanfattning har skrivits ännu.", "Ingen rekommendation kräver en fördjupad analys.",
			"Handlingsplanen har inga åtgärder ännu.", "Kommunikationsplanen är tom.", "Inga ärenden är kopplade", "0 av 6 obligatoriska",
			"Planerat slut: –", "| X1 | Annan | Ej bedömt | – | – |"} {
			if !strings.Contains(text, want) {
				t.Errorf("the empty report lacks %q:\n%s", want, text)
			}
		}
		m := e.reportFixture(t)
		rep := must(e.svc.Report(e.coordinator, m.ID))(t)
		text = reportText(implement.ReportDocument(rep, e.reportTrOf(i18n.SV), i18n.SV))
		order := []string{"## Sammanfattning", "## Gapanalys", "## Fördjupade analyser", "## Handlingsplan och tidslinje",
			"### Åtgärder per månad", "## Kommunikationsplan", "## Checklista", "## Kopplade ärenden och beslut"}
		last := -1
		for _, h := range order {
			i := strings.Index(text, h)
			if i <= last {
				t.Errorf("section %q is at %d, after the previous at %d", h, i, last)
			}
			last = i
		}
		tests := []struct {
			name    string
			want    bool
			snippet string
		}{
			{"the deeper answer", true, "Svar på displaced"},
			{"a basic answer stays out of the deeper analyses", false, secretAnswer},
			{"the overdue action", true, "Påbörjad – försenad"},
			{"the milestone", true, "Beslut i ledningsgruppen (milstolpe)"},
			{"the cancelled action in the table", true, "Struken aktivitet"},
			{"the cancelled action not among the months", false, "Struken aktivitet (2026-09-30)"},
			{"the decision of the linked case", true, "2026-08-28, Hälso- och sjukvårdsledningen: Stödet införs"},
			{"the case linked to the implementation", true, "2026/0012 Förankring av lokal rutin"},
			{"the waived item's reason", true, "Undantagen: Förankrat i tidigare beslut"},
			{"the month of the next year", true, "| 2027-03 | 1 | Uppföljning av indikatorer (2027-03-31) |"},
		}
		for _, tt := range tests {
			if got := strings.Contains(text, tt.snippet); got != tt.want {
				t.Errorf("%s: contains %q = %v, want %v", tt.name, tt.snippet, got, tt.want)
			}
		}
	})
}

// TestReport_Rights: those who read the workspace read the report; the
// working group and the coordinator write the summary; overseers only read.
func TestReport_Rights(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		tests := []struct {
			name        string
			ctx         context.Context
			read, write error
		}{
			{"coordinator", e.coordinator, nil, nil},
			{"improvement lead of the support", e.leadCtx, nil, nil},
			{"ledning", e.chief, nil, errs.ErrForbidden},
			{"revisor", e.auditor, nil, errs.ErrForbidden},
			{"improvement lead outside the group (oversees)", e.outsiderCtx, nil, errs.ErrForbidden},
			{"unit contact", e.unitACtx, errs.ErrForbidden, errs.ErrForbidden},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ctx := tt.ctx
				_, err := e.svc.Report(ctx, m.ID)
				if !errors.Is(err, tt.read) || (tt.read == nil && err != nil) {
					t.Errorf("read: %v, want %v", err, tt.read)
				}
				cur := must(e.svc.Workspace(e.coordinator, m.ID))(t).Implementation
				_, err = e.svc.SaveSummary(ctx, m.ID, implement.SummaryInput{Action: implement.SummarySave, Text: "Text av " + tt.name, Version: cur.Version})
				if !errors.Is(err, tt.write) || (tt.write == nil && err != nil) {
					t.Errorf("write: %v, want %v", err, tt.write)
				}
			})
		}
	})
}

// TestSaveSummary_Rules: versions, validation, nothing to accept or discard,
// clearing, and locked once introduced.
func TestSaveSummary_Rules(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		saved := must(e.svc.SaveSummary(e.leadCtx, m.ID, implement.SummaryInput{Action: implement.SummarySave, Text: "  Första  ", Version: m.Version}))(t)
		if saved.Summary != "Första" || saved.SummaryBy != "Lena Lead" || saved.SummaryMachine {
			t.Errorf("saved %q by %q machine %v", saved.Summary, saved.SummaryBy, saved.SummaryMachine)
		}
		tests := []struct {
			name string
			in   implement.SummaryInput
			want error
			key  string
		}{
			{"stale version", implement.SummaryInput{Action: implement.SummarySave, Text: "Andra", Version: m.Version}, errs.ErrConflict, ""},
			{"too long", implement.SummaryInput{Action: implement.SummarySave, Text: strings.Repeat("x", 4001), Version: saved.Version}, nil, "validation.too_long"},
			{"unknown action", implement.SummaryInput{Action: "publish", Version: saved.Version}, nil, "validation.choice"},
			{"accept without a draft", implement.SummaryInput{Action: implement.SummaryAccept, Text: "Text", Version: saved.Version}, nil, "implement.report.no_draft"},
			{"accept empty", implement.SummaryInput{Action: implement.SummaryAccept, Version: saved.Version}, nil, "validation.required"},
			{"discard without a draft", implement.SummaryInput{Action: implement.SummaryDiscard, Version: saved.Version}, nil, "implement.report.no_draft"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := e.svc.SaveSummary(e.leadCtx, m.ID, tt.in)
				if tt.want != nil && !errors.Is(err, tt.want) {
					t.Fatalf("err %v, want %v", err, tt.want)
				}
				if tt.key != "" {
					v, ok := errs.AsValidation(err)
					if !ok || v.Fields[0].Key != tt.key {
						t.Fatalf("err %v, want %s", err, tt.key)
					}
				}
				if now := must(e.svc.Workspace(e.coordinator, m.ID))(t).Implementation; now.Summary != "Första" || now.Version != saved.Version {
					t.Errorf("a refused change changed the summary: %q v%d", now.Summary, now.Version)
				}
			})
		}
		cleared := must(e.svc.SaveSummary(e.leadCtx, m.ID, implement.SummaryInput{Action: implement.SummarySave, Version: saved.Version}))(t)
		if cleared.Summary != "" || cleared.SummaryBy != "" {
			t.Errorf("cleared: %q by %q", cleared.Summary, cleared.SummaryBy)
		}
		if _, err := d.ExecContext(e.coordinator, `UPDATE implementations SET introduced_on = ? WHERE id = ?`, day("2026-09-01"), m.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.SaveSummary(e.leadCtx, m.ID, implement.SummaryInput{Action: implement.SummarySave, Text: "Sent", Version: cleared.Version}); !errors.Is(err, errs.ErrLocked) {
			t.Errorf("introduced: %v, want locked", err)
		}
	})
}
