package implement_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

var exUpdate = flag.Bool("update-exchange", false, "rewrite the exchange golden file")

const exSystem = "Kunskapsnav test"

// exAnalysed starts the support's implementation and saves gap analyses as
// the improvement lead: R1 small with both units, R2 moderate with
// crowding-out (and so the deeper analysis), R3 not judged.
func exAnalysed(t *testing.T, e *env) implement.Implementation {
	t.Helper()
	m := e.started(t)
	exSaveGaps(t, e, m, e.recs, []implement.GapSize{implement.GapSmall, implement.GapModerate, ""}, [][]int64{{e.unitA, e.unitB}, {e.unitA}, nil})
	return m
}

// exSaveGaps saves, as the coordinator, a gap of size sizes[i] on recs[i]
// with the basic questions (and, when asked, the deeper ones) answered.
func exSaveGaps(t *testing.T, e *env, m implement.Implementation, recs []int64, sizes []implement.GapSize, units [][]int64) {
	t.Helper()
	for i, rec := range recs {
		g := implement.Gap{ImplementationID: m.ID, RecommendationID: rec, Size: sizes[i], CrowdingOut: sizes[i] == implement.GapModerate,
			UnitIDs: units[i], Answers: map[string]string{"current_practice": "Idag: rutin " + string(rune('A'+i)), "desired_practice": "Målet <" + string(sizes[i]) + ">"}}
		if implement.NeedsDeeper(g.Size, g.CrowdingOut) {
			for _, k := range []string{"displaced", "risk_assessment", "resources_needed", "decided_by"} {
				g.Answers[k] = "Svar " + k
			}
		}
		must(e.svc.SaveGap(e.leadCtx, g))(t)
	}
}

// exSecond opens a second decided support with the codes given and starts
// its implementation on the same template; it returns the implementation
// and the recommendations' ids.
func exSecond(t *testing.T, e *env, codes ...string) (implement.Implementation, []int64) {
	t.Helper()
	sp := must(e.catalog.CreateSupport(e.coordinator, catalog.Support{Kind: catalog.LocalRoutine, Title: "Vårdförlopp i grannregionen", Status: catalog.Decided}))(t)
	sp = must(e.catalog.SetUnits(e.coordinator, sp.ID, []int64{e.unitA}, sp.Version))(t)
	must(e.catalog.SetLeads(e.coordinator, sp.ID, []int64{e.lead}, sp.Version))(t)
	var recs []int64
	for _, c := range codes {
		recs = append(recs, must(e.catalog.CreateRecommendation(e.coordinator, catalog.Recommendation{SupportID: sp.ID, Code: c, Text: "Rekommendation " + c}))(t).ID)
	}
	m := must(e.svc.StartImplementation(e.coordinator, implement.Start{SupportID: sp.ID, PlannedEnd: day("2027-06-30")}))(t)
	return m, recs
}

func exExport(t *testing.T, e *env, id int64) []byte {
	t.Helper()
	return must(e.svc.Export(e.coordinator, id, exSystem))(t).Marshal()
}

// exEdit changes a copy of the exported file by fn on its generic form.
func exEdit(t *testing.T, file []byte, fn func(doc map[string]any)) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(file, &doc); err != nil {
		t.Fatal(err)
	}
	fn(doc)
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func exProblems(t *testing.T, err error) *implement.ExchangeErrors {
	t.Helper()
	var p *implement.ExchangeErrors
	if !errors.As(err, &p) {
		t.Fatalf("error %v, want *ExchangeErrors", err)
	}
	if errs.KindOf(err) != errs.Invalid {
		t.Fatalf("error %v of kind %v, want a validation error", err, errs.KindOf(err))
	}
	return p
}

func exHas(p *implement.ExchangeErrors, pointer, key string) bool {
	return slices.ContainsFunc(p.List, func(x implement.ExchangeProblem) bool { return x.Pointer == pointer && x.Key == key })
}

func exArg(p implement.ExchangeProblem, name string) any {
	for i := 0; i+1 < len(p.Args); i += 2 {
		if p.Args[i] == name {
			return p.Args[i+1]
		}
	}
	return nil
}

func exCount(t *testing.T, e *env, id int64) int {
	t.Helper()
	return len(must(e.svc.Comparisons(e.coordinator, id))(t))
}

func TestExchange_ExportGolden(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := exAnalysed(t, e)
		got := exExport(t, e, m.ID)
		golden := filepath.Join("testdata", "exchange_export.golden.json")
		if *exUpdate {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("export differs from %s (run with -update-exchange to accept):\n%s", golden, got)
		}
		if again := exExport(t, e, m.ID); !bytes.Equal(got, again) {
			t.Error("two exports of the same data differ")
		}
		// The export is valid against its own schema and our template.
		tmpl := must(e.svc.Template(e.coordinator, m.TemplateID))(t)
		if _, err := implement.ParseExchange(got, tmpl); err != nil {
			t.Errorf("the export does not pass its own import check: %v", err)
		}
	})
}

func TestExchange_ExportHasNoPersonalData(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := exAnalysed(t, e)
		got := string(exExport(t, e, m.ID))
		for _, s := range []string{"Agnes Alfa", "Bertil Beta", "Lena Lead", "Olle Utanför", "Sara Chef", "@example.se",
			"Hälsocentral Alfa", "Hälsocentral Beta", "samordnare", "updated_by", "unit_ids", "sponsor", "member"} {
			if strings.Contains(got, s) {
				t.Errorf("export contains %q", s)
			}
		}
		var x implement.Exchange
		if err := json.Unmarshal([]byte(got), &x); err != nil {
			t.Fatal(err)
		}
		if n := x.Recommendations[0].Gap.AffectedUnitCount; n != 2 {
			t.Errorf("affected_unit_count of R1 = %d, want 2", n)
		}
	})
}

func TestExchange_RoundTrip(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := exAnalysed(t, e)
		file := exExport(t, e, a.ID)
		b, recs := exSecond(t, e, "R1", "R2", "R3", "R9")
		// B judges R1 and R2 as A does and R3 otherwise.
		exSaveGaps(t, e, b, recs[:3], []implement.GapSize{implement.GapSmall, implement.GapModerate, implement.GapNone},
			[][]int64{{e.unitA, e.unitB}, {e.unitA}, nil})

		res := must(e.svc.ImportComparison(e.leadCtx, b.ID, file))(t)
		if len(res.Unmatched) != 0 {
			t.Errorf("unmatched = %v, want none", res.Unmatched)
		}
		if res.Comparison.ImportedBy != "Lena Lead" || res.Comparison.SourceRegion == "" || len(res.Comparison.SHA256) != 64 {
			t.Errorf("stored comparison = %+v", res.Comparison)
		}
		v := must(e.svc.Comparison(e.leadCtx, b.ID, res.Comparison.ID, exSystem))(t)
		var want implement.Exchange
		if err := json.Unmarshal(file, &want); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want.Marshal(), v.Theirs.Marshal()) {
			t.Errorf("imported file differs from the export:\n%s\nwant\n%s", v.Theirs.Marshal(), file)
		}
		if len(v.Rows) != 3 || v.Differ != 1 {
			t.Fatalf("rows = %d, differ = %d; want 3 and 1", len(v.Rows), v.Differ)
		}
		for i, r := range v.Rows {
			wantDiff := i == 2
			if r.SizeDiffers != wantDiff {
				t.Errorf("row %s: size differs = %v, want %v", r.Code, r.SizeDiffers, wantDiff)
			}
			if !wantDiff && !equalGap(r.Ours, r.Theirs) {
				t.Errorf("row %s: ours %+v, theirs %+v; want equal", r.Code, r.Ours, r.Theirs)
			}
			if len(r.Answers) != 2 || r.Answers[0].Key != "current_practice" || r.Answers[0].Theirs != want.Recommendations[i].Gap.Answers["current_practice"] {
				t.Errorf("row %s: answers %+v", r.Code, r.Answers)
			}
		}
		if len(v.OnlyOurs) != 1 || v.OnlyOurs[0].Code != "R9" || len(v.OnlyTheirs) != 0 {
			t.Errorf("only ours %+v, only theirs %+v; want R9 and none", v.OnlyOurs, v.OnlyTheirs)
		}
		// A's own export imported into A compares equal everywhere.
		self := must(e.svc.ImportComparison(e.coordinator, a.ID, file))(t)
		sv := must(e.svc.Comparison(e.coordinator, a.ID, self.Comparison.ID, exSystem))(t)
		if sv.Differ != 0 || len(sv.Rows) != 3 || len(sv.OnlyOurs)+len(sv.OnlyTheirs) != 0 {
			t.Errorf("self comparison: differ %d, rows %d, only %d/%d", sv.Differ, len(sv.Rows), len(sv.OnlyOurs), len(sv.OnlyTheirs))
		}
	})
}

func equalGap(a, b implement.ExchangeGap) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func TestExchange_ImportRefusesBadFiles(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := exAnalysed(t, e)
		file := exExport(t, e, a.ID)
		b, _ := exSecond(t, e, "R1", "R2")
		cases := []struct {
			name  string
			file  []byte
			check func(t *testing.T, p *implement.ExchangeErrors)
		}{
			{"not JSON", []byte(`{"schema": `), func(t *testing.T, p *implement.ExchangeErrors) {
				if !exHas(p, "", "implement.exchange.not_json") {
					t.Errorf("problems %v", p.List)
				}
			}},
			{"too large", append(append([]byte(`{"x":"`), bytes.Repeat([]byte("a"), int(implement.ExchangeMaxBytes))...), `"}`...), func(t *testing.T, p *implement.ExchangeErrors) {
				if !exHas(p, "", "implement.exchange.too_large") {
					t.Errorf("problems %v", p.List)
				}
			}},
			{"unknown version", exEdit(t, file, func(doc map[string]any) { doc["schema_version"] = "2"; doc["new_field"] = true }), func(t *testing.T, p *implement.ExchangeErrors) {
				if len(p.List) != 1 || !exHas(p, "/schema_version", "implement.exchange.unknown_version") {
					t.Fatalf("problems %v", p.List)
				}
				if exArg(p.List[0], "version") != "2" || exArg(p.List[0], "supported") != "1" {
					t.Errorf("args %v", p.List[0].Args)
				}
			}},
			{"other questions", exEdit(t, file, func(doc map[string]any) {
				tm := doc["template"].(map[string]any)
				qs := tm["questions"].([]any)
				qs[1] = map[string]any{"key": "local_extra", "level": "basic", "label": "Extra", "required": false}
				q2 := qs[2].(map[string]any)
				q2["level"] = "deeper"
				for _, r := range doc["recommendations"].([]any) {
					delete(r.(map[string]any)["gap"].(map[string]any)["answers"].(map[string]any), "desired_practice")
				}
			}), func(t *testing.T, p *implement.ExchangeErrors) {
				if len(p.List) != 1 || !exHas(p, "/template/questions", "implement.exchange.other_questions") {
					t.Fatalf("problems %v", p.List)
				}
				pr := p.List[0]
				if exArg(pr, "missing") != "desired_practice" || exArg(pr, "extra") != "local_extra" || exArg(pr, "changed") != "consequence_staff" {
					t.Errorf("args %v", pr.Args)
				}
			}},
			{"schema violations", exEdit(t, file, func(doc map[string]any) {
				doc["owner"] = "Lena"
				recs := doc["recommendations"].([]any)
				recs[0].(map[string]any)["gap"].(map[string]any)["size"] = "huge"
				delete(recs[1].(map[string]any), "text")
				recs[2].(map[string]any)["gap"].(map[string]any)["affected_unit_count"] = -1
				doc["exported_at"] = "yesterday"
			}), func(t *testing.T, p *implement.ExchangeErrors) {
				for _, w := range []struct{ pointer, key string }{
					{"/owner", "implement.exchange.reason.unknown_property"},
					{"/recommendations/0/gap/size", "implement.exchange.reason.enum"},
					{"/recommendations/1/text", "implement.exchange.reason.required"},
					{"/recommendations/2/gap/affected_unit_count", "implement.exchange.reason.minimum"},
					{"/exported_at", "implement.exchange.reason.format"},
				} {
					if !exHas(p, w.pointer, w.key) {
						t.Errorf("no %s at %s in %v", w.key, w.pointer, p.List)
					}
				}
				v := p.Validation()
				if !v.Has("body.recommendations.0.gap.size") || !v.Has("body.owner") {
					t.Errorf("validation fields %v", v.Fields)
				}
			}},
			{"answer to no question", exEdit(t, file, func(doc map[string]any) {
				recs := doc["recommendations"].([]any)
				recs[0].(map[string]any)["gap"].(map[string]any)["answers"].(map[string]any)["mystery"] = "?"
				recs[1].(map[string]any)["code"] = "R1"
			}), func(t *testing.T, p *implement.ExchangeErrors) {
				if !exHas(p, "/recommendations/0/gap/answers/mystery", "implement.exchange.unknown_answer") ||
					!exHas(p, "/recommendations/1/code", "implement.exchange.duplicate_code") {
					t.Errorf("problems %v", p.List)
				}
			}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := e.svc.ImportComparison(e.leadCtx, b.ID, c.file)
				c.check(t, exProblems(t, err))
			})
		}
		if n := exCount(t, e, b.ID); n != 0 {
			t.Errorf("%d comparisons stored after refused files, want none", n)
		}
	})
}

func TestExchange_ImportSameFileTwiceAndUnmatched(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		a := exAnalysed(t, e)
		file := exExport(t, e, a.ID)
		b, _ := exSecond(t, e, "R1", "Q7")
		res := must(e.svc.ImportComparison(e.leadCtx, b.ID, file))(t)
		if !slices.Equal(res.Unmatched, []string{"R2", "R3"}) {
			t.Errorf("unmatched = %v, want R2, R3", res.Unmatched)
		}
		_, err := e.svc.ImportComparison(e.coordinator, b.ID, file)
		if p := exProblems(t, err); !exHas(p, "", "implement.exchange.duplicate") {
			t.Errorf("problems %v", p.List)
		}
		if n := exCount(t, e, b.ID); n != 1 {
			t.Errorf("%d comparisons, want 1", n)
		}
		// The same file is welcome in another implementation.
		must(e.svc.ImportComparison(e.coordinator, a.ID, file))(t)
		// Deleted, it may be imported again.
		if err := e.svc.DeleteComparison(e.leadCtx, b.ID, res.Comparison.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.DeleteComparison(e.leadCtx, b.ID, res.Comparison.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("second delete: %v, want not found", err)
		}
		must(e.svc.ImportComparison(e.leadCtx, b.ID, file))(t)
	})
}

func TestExchange_Rights(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := exAnalysed(t, e)
		file := exExport(t, e, m.ID)
		c := must(e.svc.ImportComparison(e.leadCtx, m.ID, file))(t).Comparison
		other := exEdit(t, file, func(doc map[string]any) { doc["exported_at"] = "2026-10-01T00:00:00Z" })
		cases := []struct {
			name        string
			ctx         context.Context
			read, write bool
		}{
			{"coordinator", e.coordinator, true, true},
			{"improvement lead in the group", e.leadCtx, true, true},
			{"improvement lead outside the group", e.outsiderCtx, true, false},
			{"ledning", e.chief, true, false},
			{"revisor", e.auditor, true, false},
			{"unit user", e.unitACtx, false, false},
		}
		for _, tc := range cases {
			ctx := tc.ctx
			t.Run(tc.name, func(t *testing.T) {
				_, errList := e.svc.Comparisons(ctx, m.ID)
				_, errView := e.svc.Comparison(ctx, m.ID, c.ID, exSystem)
				_, errExport := e.svc.Export(ctx, m.ID, exSystem)
				for what, err := range map[string]error{"list": errList, "view": errView, "export": errExport} {
					if tc.read && err != nil || !tc.read && !errors.Is(err, errs.ErrForbidden) {
						t.Errorf("%s: %v, want read %v", what, err, tc.read)
					}
				}
				_, err := e.svc.ImportComparison(ctx, m.ID, exEdit(t, other, func(doc map[string]any) { doc["source"].(map[string]any)["system"] = tc.name }))
				if tc.write && err != nil || !tc.write && !errors.Is(err, errs.ErrForbidden) {
					t.Errorf("import: %v, want allowed %v", err, tc.write)
				}
				if !tc.write {
					if err := e.svc.DeleteComparison(ctx, m.ID, c.ID); !errors.Is(err, errs.ErrForbidden) {
						t.Errorf("delete: %v, want forbidden", err)
					}
				}
			})
		}
	})
}
