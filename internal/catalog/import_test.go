package catalog_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/tabular"
)

// csvFile is a CSV file with a BOM and CRLF line ends, as Excel writes it.
func csvFile(lines ...string) []byte {
	return []byte("\uFEFF" + strings.Join(lines, "\r\n") + "\r\n")
}

// xlsxFile is a workbook with one sheet holding header and rows as text.
func xlsxFile(t *testing.T, header []string, rows ...[]string) []byte {
	t.Helper()
	tab := doc.Table{Title: "Blad1"}
	for _, h := range header {
		tab.Columns = append(tab.Columns, doc.Column{Header: h})
	}
	for _, r := range rows {
		var cells []doc.Cell
		for _, c := range r {
			cells = append(cells, doc.Text(c))
		}
		tab.Rows = append(tab.Rows, cells)
	}
	var buf bytes.Buffer
	if err := doc.WriteXLSX(&buf, tab); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func parse(t *testing.T, file []byte) *tabular.Table {
	t.Helper()
	return must(catalog.ParseImport(file))(t)
}

// importSupports are a draft guideline and a local routine to import into.
func importSupports(t *testing.T, s *catalog.Service, d *db.DB) (guideline, routine catalog.Support) {
	t.Helper()
	f := newFixture(t, d)
	guideline = must(s.CreateSupport(ctx(), catalog.Support{Kind: catalog.NationalGuideline, Phase: catalog.Draft,
		Title: "Nationella riktlinjer för hjärtsjukvård", NationalOwnerID: f.npo}))(t)
	routine = must(s.CreateSupport(ctx(), catalog.Support{Kind: catalog.LocalRoutine, Title: "Rutin för hjärtsviktsmottagning", LocalOwnerID: f.lpo}))(t)
	return guideline, routine
}

// recSummary is a recommendation as the tests compare it.
type recSummary struct {
	Code         string
	Text         string
	Priority     int
	DoNotDo      bool
	ResearchOnly bool
	Position     int
}

func summaries(t *testing.T, s *catalog.Service, supportID int64) []recSummary {
	t.Helper()
	var out []recSummary
	for _, r := range must(s.Recommendations(ctx(), supportID))(t) {
		out = append(out, recSummary{r.Code, r.Text, r.Priority, r.DoNotDo, r.ResearchOnly, r.Position})
	}
	return out
}

func auditCount(t *testing.T, d *db.DB, entity string) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE entity = ?`, entity).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

type importCounts struct{ New, Changed, Unchanged int }

func countsOf(r catalog.ImportResult) importCounts {
	return importCounts{r.New, r.Changed, r.Unchanged}
}

func TestImportRecommendations_ValidFileAddsRowsInFileOrder(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		g, _ := importSupports(t, s, d)
		file := csvFile(
			"Kod;Rekommendation;Prioritet;Icke-göra;Endast forskning",
			"A1;Erbjud hjärtrehabilitering;2;nej;",
			"",
			"A2;Erbjud inte rutinmässig kontroll av X;10;ja;nej",
			`A3;"Behandling med Y, inom studier";;x;JA`,
		)
		preview := must(s.ImportRecommendations(ctx(), g.ID, parse(t, file), false))(t)
		if !preview.OK() || preview.Committed || preview.Rows != 3 || countsOf(preview) != (importCounts{New: 3}) {
			t.Fatalf("preview = %+v", preview)
		}
		if rows := []int{preview.Changes[0].Row, preview.Changes[1].Row, preview.Changes[2].Row}; !cmp.Equal(rows, []int{2, 4, 5}) {
			t.Errorf("changes on rows %v, want 2, 4, 5 (the blank row counts)", rows)
		}
		if got := summaries(t, s, g.ID); len(got) != 0 {
			t.Fatalf("a dry run saved %v", got)
		}
		res := must(s.ImportRecommendations(ctx(), g.ID, parse(t, file), true))(t)
		if !res.Committed || countsOf(res) != (importCounts{New: 3}) {
			t.Fatalf("import = %+v", res)
		}
		want := []recSummary{
			{"A1", "Erbjud hjärtrehabilitering", 2, false, false, 1},
			{"A2", "Erbjud inte rutinmässig kontroll av X", 10, true, false, 2},
			{"A3", "Behandling med Y, inom studier", 0, true, true, 3},
		}
		if diff := cmp.Diff(want, summaries(t, s, g.ID)); diff != "" {
			t.Errorf("recommendations (-want +got):\n%s", diff)
		}
		if n := auditCount(t, d, "recommendation"); n != 3 {
			t.Errorf("%d audit records, want one per new recommendation", n)
		}
	})
}

func TestImportRecommendations_UpdatesByCodeAndAppendsNew(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		g, _ := importSupports(t, s, d)
		for _, r := range []catalog.Recommendation{
			{SupportID: g.ID, Code: "A1", Text: "Erbjud hjärtrehabilitering", Priority: 2},
			{SupportID: g.ID, Code: "A2", Text: "Erbjud inte X", Priority: 10, DoNotDo: true},
			{SupportID: g.ID, Code: "B1", Text: "Står inte i filen", Priority: 5},
		} {
			must(s.CreateRecommendation(ctx(), r))(t)
		}
		// English headers; no column for the markings, which are kept. Codes
		// match whatever the case.
		file := csvFile(
			"code,text,priority",
			"a2,Erbjud inte X,9",
			"A1,Erbjud hjärtrehabilitering,2",
			",Ny rekommendation utan kod,",
			"C1,Ny rekommendation,3",
		)
		res := must(s.ImportRecommendations(ctx(), g.ID, parse(t, file), true))(t)
		if countsOf(res) != (importCounts{New: 2, Changed: 1, Unchanged: 1}) {
			t.Fatalf("import = %+v", res)
		}
		wantChanges := []catalog.RecommendationChange{
			{Row: 2, Code: "a2", Text: "Erbjud inte X", Columns: []string{"code", "priority"}},
			{Row: 4, New: true, Text: "Ny rekommendation utan kod"},
			{Row: 5, New: true, Code: "C1", Text: "Ny rekommendation"},
		}
		if diff := cmp.Diff(wantChanges, res.Changes); diff != "" {
			t.Errorf("changes (-want +got):\n%s", diff)
		}
		want := []recSummary{
			{"A1", "Erbjud hjärtrehabilitering", 2, false, false, 1},
			{"a2", "Erbjud inte X", 9, true, false, 2},
			{"B1", "Står inte i filen", 5, false, false, 3},
			{"", "Ny rekommendation utan kod", 0, false, false, 4},
			{"C1", "Ny rekommendation", 3, false, false, 5},
		}
		if diff := cmp.Diff(want, summaries(t, s, g.ID)); diff != "" {
			t.Errorf("recommendations (-want +got):\n%s", diff)
		}
		if n := auditCount(t, d, "recommendation"); n != 3+3 {
			t.Errorf("%d audit records, want 6: three creates, then one update and two creates", n)
		}
	})
}

func TestImportRecommendations_RowErrorsNameRowAndColumn(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		g, routine := importSupports(t, s, d)
		must(s.CreateRecommendation(ctx(), catalog.Recommendation{SupportID: g.ID, Code: "D1", Text: "En"}))(t)
		must(s.CreateRecommendation(ctx(), catalog.Recommendation{SupportID: g.ID, Code: "d1", Text: "Två"}))(t)
		long := strings.Repeat("x", 4001)
		for _, tt := range []struct {
			name    string
			support int64
			file    []byte
			want    []tabular.RowError
		}{
			{"unknown column", g.ID, csvFile("kod;rekommendation;färg", "A1;Text;röd"),
				[]tabular.RowError{{Row: 1, Column: "färg", Key: "catalog.import.unknown_column"}}},
			{"repeated column", g.ID, csvFile("rekommendation;text", "A;B"),
				[]tabular.RowError{{Row: 1, Column: "text", Key: "catalog.import.repeated_column"}}},
			{"missing text column", g.ID, csvFile("kod;prioritet", "A1;2"),
				[]tabular.RowError{{Row: 1, Column: "text", Key: "catalog.import.missing_column"}}},
			{"no rows", g.ID, csvFile("kod;rekommendation"),
				[]tabular.RowError{{Row: 1, Key: "catalog.import.no_rows"}}},
			{"empty text", g.ID, csvFile("kod;rekommendation", "A1;Text", "A2;"),
				[]tabular.RowError{{Row: 3, Column: "rekommendation", Key: "validation.required"}}},
			{"text too long", g.ID, csvFile("kod;rekommendation", "A1;"+long),
				[]tabular.RowError{{Row: 2, Column: "rekommendation", Key: "validation.too_long"}}},
			{"priority out of range", g.ID, csvFile("kod;rekommendation;prioritet", "A1;Text;11", "A2;Text;0"),
				[]tabular.RowError{{Row: 2, Column: "prioritet", Key: "catalog.import.priority"}, {Row: 3, Column: "prioritet", Key: "catalog.import.priority"}}},
			{"priority not a number", g.ID, csvFile("kod;rekommendation;prio", "A1;Text;hög"),
				[]tabular.RowError{{Row: 2, Column: "prio", Key: "catalog.import.priority"}}},
			{"flag neither yes nor no", g.ID, csvFile("kod;rekommendation;gör inte;FoU", "A1;Text;kanske;ja"),
				[]tabular.RowError{{Row: 2, Column: "gör inte", Key: "catalog.import.flag"}}},
			{"code twice in the file", g.ID, csvFile("kod;rekommendation", "A1;Text", "a1;Annan text"),
				[]tabular.RowError{{Row: 3, Column: "kod", Key: "catalog.import.repeated_code"}}},
			{"code held by two recommendations", g.ID, csvFile("kod;rekommendation", "D1;Text"),
				[]tabular.RowError{{Row: 2, Column: "kod", Key: "catalog.import.ambiguous_code"}}},
			{"value outside the header", g.ID, csvFile("kod;rekommendation", "A1;Text;extra"),
				[]tabular.RowError{{Row: 2, Key: "catalog.import.cell_outside"}}},
			{"markings on a routine", routine.ID, csvFile("kod;rekommendation;prioritet;icke-göra;endast forskning", "R1;Text;3;nej;ja", "R2;Text;;nej;nej"),
				[]tabular.RowError{{Row: 2, Column: "prioritet", Key: "catalog.recommendation.guideline_only"},
					{Row: 2, Column: "endast forskning", Key: "catalog.recommendation.guideline_only"}}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				before := summaries(t, s, tt.support)
				table := parse(t, tt.file)
				preview := must(s.ImportRecommendations(ctx(), tt.support, table, false))(t)
				var got []tabular.RowError
				for _, e := range preview.Errors.List {
					got = append(got, tabular.RowError{Row: e.Row, Column: e.Column, Key: e.Key})
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("problems (-want +got):\n%s", diff)
				}
				if preview.OK() || preview.New+preview.Changed+preview.Unchanged != 0 || preview.Changes != nil {
					t.Errorf("a file with problems previews as %+v", preview)
				}
				res, err := s.ImportRecommendations(ctx(), tt.support, table, true)
				var rows *tabular.Errors
				if !errors.As(err, &rows) || res.Committed {
					t.Fatalf("commit: %v, committed %v; want the row errors", err, res.Committed)
				}
				if _, ok := errs.AsValidation(err); !ok {
					t.Errorf("commit error %v is not a validation error", err)
				}
				if diff := cmp.Diff(before, summaries(t, s, tt.support)); diff != "" {
					t.Errorf("a refused import changed the recommendations:\n%s", diff)
				}
			})
		}
	})
}

func TestImportRecommendations_OneBadRowSavesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		g, _ := importSupports(t, s, d)
		must(s.CreateRecommendation(ctx(), catalog.Recommendation{SupportID: g.ID, Code: "A1", Text: "Gammal text"}))(t)
		audits := auditCount(t, d, "recommendation")
		file := csvFile("kod;rekommendation;prioritet", "A1;Ny text;1", "A2;Ny rekommendation;2", "A3;Felaktig;elva", "A4;Sista;3")
		res, err := s.ImportRecommendations(ctx(), g.ID, parse(t, file), true)
		if err == nil || res.Committed || res.Errors.Len() != 1 || res.Errors.List[0].Row != 4 {
			t.Fatalf("import: %v, %+v; want one problem on row 4", err, res)
		}
		want := []recSummary{{"A1", "Gammal text", 0, false, false, 1}}
		if diff := cmp.Diff(want, summaries(t, s, g.ID)); diff != "" {
			t.Errorf("recommendations after a refused import (-want +got):\n%s", diff)
		}
		if n := auditCount(t, d, "recommendation"); n != audits {
			t.Errorf("a refused import wrote %d audit records", n-audits)
		}
	})
}

func TestImportRecommendations_XLSXWithAliases(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		g, _ := importSupports(t, s, d)
		file := xlsxFile(t, []string{"ID", "Rekommendationstext", "Prio", "Gör inte", "FoU"},
			[]string{"A1", "Erbjud hjärtrehabilitering", "1", "", "1"},
			[]string{"A2", "Erbjud inte X", "", "X", "0"})
		res := must(s.ImportRecommendations(ctx(), g.ID, parse(t, file), true))(t)
		if countsOf(res) != (importCounts{New: 2}) {
			t.Fatalf("import = %+v", res)
		}
		want := []recSummary{
			{"A1", "Erbjud hjärtrehabilitering", 1, false, true, 1},
			{"A2", "Erbjud inte X", 0, true, false, 2},
		}
		if diff := cmp.Diff(want, summaries(t, s, g.ID)); diff != "" {
			t.Errorf("recommendations (-want +got):\n%s", diff)
		}
	})
}

func TestImportRecommendations_ExportImportsUnchanged(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		g, routine := importSupports(t, s, d)
		for _, r := range []catalog.Recommendation{
			{SupportID: g.ID, Code: "A1", Text: "=Erbjud; hjärtrehabilitering, \"alltid\"", Priority: 2, ResearchOnly: true},
			{SupportID: g.ID, Code: "A2", Text: "Erbjud inte X", DoNotDo: true},
			{SupportID: routine.ID, Code: "R1", Text: "Ring patienten"},
		} {
			must(s.CreateRecommendation(ctx(), r))(t)
		}
		for _, sp := range []catalog.Support{g, routine} {
			for _, swedish := range []bool{true, false} {
				tab := must(s.ExportRecommendations(ctx(), sp.ID, swedish, false))(t)
				var csvBuf, xlsxBuf bytes.Buffer
				if err := doc.WriteCSV(&csvBuf, tab); err != nil {
					t.Fatal(err)
				}
				if err := doc.WriteXLSX(&xlsxBuf, tab); err != nil {
					t.Fatal(err)
				}
				for _, file := range [][]byte{csvBuf.Bytes(), xlsxBuf.Bytes()} {
					res := must(s.ImportRecommendations(ctx(), sp.ID, parse(t, file), false))(t)
					if !res.OK() || res.New+res.Changed != 0 || res.Unchanged != len(tab.Rows) {
						t.Errorf("%s (swedish %v): the export imports as %+v", sp.Title, swedish, res)
					}
				}
			}
		}
		empty := must(s.ExportRecommendations(ctx(), g.ID, true, true))(t)
		if len(empty.Rows) != 0 || len(empty.Columns) != 5 || empty.Columns[1].Header != "rekommendation" {
			t.Errorf("template = %+v", empty)
		}
		if _, err := s.ExportRecommendations(ctx(), 999999, true, false); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("export of a missing support: %v", err)
		}
	})
}

func TestImportRecommendations_UploadCommitsOnceForItsMaker(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		g, routine := importSupports(t, s, d)
		var userID int64
		if err := d.QueryRowContext(context.Background(), `INSERT INTO users (username, display_name, password_hash, created_at, updated_at, password_changed_at)
			VALUES ('sara', 'Sara', 'x', ?, ?, ?) RETURNING id`, today, today, today).Scan(&userID); err != nil {
			t.Fatal(err)
		}
		sara := access.With(ctx(), access.Principal{UserID: userID, Username: "sara", Roles: []access.Role{access.Coordinator}})
		file := csvFile("kod;rekommendation", "A1;Erbjud hjärtrehabilitering")
		up := must(s.SaveUpload(sara, g.ID, "rek.csv", file))(t)
		if _, err := s.CommitUpload(ctx(), g.ID, up.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("someone else confirms: %v, want ErrNotFound", err)
		}
		if _, err := s.CommitUpload(sara, routine.ID, up.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("confirm for another support: %v, want ErrNotFound", err)
		}
		res := must(s.CommitUpload(sara, g.ID, up.ID))(t)
		if !res.Committed || res.New != 1 {
			t.Fatalf("commit = %+v", res)
		}
		if _, err := s.CommitUpload(sara, g.ID, up.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("second confirmation: %v, want ErrNotFound", err)
		}
		if got := summaries(t, s, g.ID); len(got) != 1 {
			t.Errorf("recommendations = %v", got)
		}
	})
}
