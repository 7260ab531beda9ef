package catalog

import (
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/tabular"
)

// fuzzStored are the recommendations a fuzzed file is matched against: two
// with their own codes and two sharing one.
var fuzzStored = []Recommendation{
	{ID: 1, SupportID: 7, Code: "A1", Text: "Erbjud hjärtrehabilitering", Priority: 2, Position: 1, Version: 1},
	{ID: 2, SupportID: 7, Code: "A2", Text: "Erbjud inte X", DoNotDo: true, Position: 2, Version: 3},
	{ID: 3, SupportID: 7, Code: "D1", Text: "En", Position: 3, Version: 1},
	{ID: 4, SupportID: 7, Code: "d1", Text: "Två", Position: 4, Version: 1},
}

// FuzzRecommendationImport feeds arbitrary files through the parse and plan
// path of the import: it never panics; a file with problems plans nothing;
// a clean file accounts for every row, and every recommendation it would
// write passes the rules of the support's kind.
func FuzzRecommendationImport(f *testing.F) {
	f.Add([]byte("kod;rekommendation;prioritet;icke-göra;endast forskning\nA1;Ny text;3;nej;ja\n;Utan kod;;;\n"), true)
	f.Add([]byte("code,text\nA2,Erbjud inte X\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, guideline bool) {
		table, err := tabular.Parse(data, tabular.Limits{MaxBytes: 1 << 20, MaxRows: 1000, MaxColumns: 50, MaxCell: 5000})
		if err != nil {
			if _, ok := tabular.FileProblem(err); !ok {
				t.Fatalf("not a file problem: %v", err)
			}
			return
		}
		kind := LocalRoutine
		if guideline {
			kind = NationalGuideline
		}
		p := &recPlan{f: newRecFile(table)}
		p.f.res.SupportID = 7
		if p.f.res.OK() {
			p.plan(kind, fuzzStored)
		}
		res := p.result()
		rows := map[int]bool{table.HeaderRow: true}
		for _, r := range table.Rows {
			rows[r.Number] = true
		}
		for _, e := range res.Errors.List {
			if !rows[e.Row] || e.Key == "" {
				t.Fatalf("problem %+v on no row of the file", e)
			}
		}
		if !res.OK() {
			if res.New+res.Changed+res.Unchanged != 0 || res.Changes != nil {
				t.Fatalf("a file with problems plans %+v", res)
			}
			return
		}
		if res.New+res.Changed+res.Unchanged != len(table.Rows) || len(res.Changes) != res.New+res.Changed || len(p.rows) != len(res.Changes) {
			t.Fatalf("%d rows planned as %+v with %d writes", len(table.Rows), res, len(p.rows))
		}
		for _, pr := range p.rows {
			if err := pr.rec.Validate(kind); err != nil {
				t.Fatalf("planned %+v breaks a rule: %v", pr.rec, err)
			}
			if pr.before != nil && pr.rec.ID != pr.before.ID {
				t.Fatalf("change of %d writes %d", pr.before.ID, pr.rec.ID)
			}
		}
	})
}
