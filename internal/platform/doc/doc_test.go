package doc_test

import (
	"bytes"
	"encoding/csv"
	"flag"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sample is a table with every kind of cell, text that looks like a formula,
// text that needs quoting, empty cells and a footer.
func sample() doc.Table {
	return doc.Table{
		Title: "Deltagandekostnad 2026",
		Columns: []doc.Column{{Header: "Grupp"}, {Header: "Personer"}, {Header: "Årsarbeten"}, {Header: "Andel"},
			{Header: "Kostnad (kr)"}, {Header: "Från"}},
		Rows: [][]doc.Cell{
			{doc.Text("NPO Hjärt- och kärlsjukdomar"), doc.Int(6), doc.Decimal(0.6, 2), doc.Percent(0.125, 1), doc.Money(1_300_000), doc.Date(date.New(2026, 1, 1))},
			{doc.Text("=HYPERLINK(\"http://evil\")"), doc.Int(-3), doc.Decimal(1.005, 2), doc.Percent(1, 0), doc.Money(-4000), doc.Date(date.Date{})},
			{doc.Text("Råd; \"stora\" gruppen\nrad två"), doc.Int(0), doc.Decimal(math.NaN(), 2), doc.Percent(-0.0001, 1), doc.Money(0), doc.Date(date.New(2026, 12, 31))},
			{doc.Text("+46 70"), doc.Text("@SUM(A1)"), doc.Text("-1"), doc.Text("\tflik")},
		},
		Footer: []doc.Cell{doc.Text("Totalt"), doc.Int(3), doc.Decimal(1234567.891, 1), {}, doc.Money(1_296_000)},
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", name, diff)
	}
}

func TestWriteCSV_SwedishExcelAndGolden(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := doc.WriteCSV(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	golden(t, "sample.csv.golden", buf.Bytes())

	body, ok := strings.CutPrefix(buf.String(), "\uFEFF")
	if !ok {
		t.Fatal("no UTF-8 byte order mark")
	}
	r := csv.NewReader(strings.NewReader(body))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Grupp", "Personer", "Årsarbeten", "Andel", "Kostnad (kr)", "Från"},
		{"NPO Hjärt- och kärlsjukdomar", "6", "0,60", "12,5%", "1300000", "2026-01-01"},
		{"'=HYPERLINK(\"http://evil\")", "-3", "1,01", "100%", "-4000", ""},
		{"Råd; \"stora\" gruppen\nrad två", "0", "", "0,0%", "0", "2026-12-31"},
		{"'+46 70", "'@SUM(A1)", "'-1", "'\tflik", "", ""},
		{"Totalt", "3", "1234567,9", "", "1296000", ""},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("CSV as read back (-want +got):\n%s", diff)
	}
}

func TestWriteXLSX_NumbersStayNumbers(t *testing.T) {
	t.Parallel()
	second := doc.Table{Title: "Deltagandekostnad 2026", Columns: []doc.Column{{Header: "Nivå", Width: 30}}, Rows: [][]doc.Cell{{doc.Text("Nationell")}}}
	var buf bytes.Buffer
	if err := doc.WriteXLSX(&buf, sample(), second, doc.Table{Title: "a/b: [c]?"}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"Deltagandekostnad 2026", "Deltagandekostnad 2026 (2)", "a-b- -c--"}; !cmp.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	sheet := "Deltagandekostnad 2026"
	raw := excelize.Options{RawCellValue: true}
	tests := []struct {
		cell     string
		typ      excelize.CellType
		raw      string
		shown    string
		format   string
		bold     bool
		isNumber bool
	}{
		{cell: "A1", typ: excelize.CellTypeSharedString, raw: "Grupp", bold: true},
		{cell: "A2", typ: excelize.CellTypeSharedString, raw: "NPO Hjärt- och kärlsjukdomar"},
		{cell: "A3", typ: excelize.CellTypeSharedString, raw: `=HYPERLINK("http://evil")`},
		{cell: "B2", raw: "6", format: "#,##0", isNumber: true},
		{cell: "C2", raw: "0.6", shown: "0.60", format: "#,##0.00", isNumber: true},
		{cell: "D2", raw: "0.125", shown: "12.5%", format: "0.0%", isNumber: true},
		{cell: "E2", raw: "1300000", format: `#,##0 "kr"`, isNumber: true},
		{cell: "F2", raw: "46023", shown: "2026-01-01", format: "yyyy-mm-dd", isNumber: true},
		{cell: "F3", raw: ""},
		{cell: "C4", raw: ""},
		{cell: "A6", typ: excelize.CellTypeSharedString, raw: "Totalt", bold: true},
		{cell: "E6", raw: "1296000", format: `#,##0 "kr"`, bold: true, isNumber: true},
	}
	for _, tt := range tests {
		typ, err := f.GetCellType(sheet, tt.cell)
		if err != nil {
			t.Fatal(err)
		}
		if tt.isNumber && typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s: type %v, want a number", tt.cell, typ)
		} else if !tt.isNumber && tt.raw != "" && typ != tt.typ {
			t.Errorf("%s: type %v, want %v", tt.cell, typ, tt.typ)
		}
		if v, _ := f.GetCellValue(sheet, tt.cell, raw); v != tt.raw {
			t.Errorf("%s: raw value %q, want %q", tt.cell, v, tt.raw)
		}
		if tt.shown != "" {
			if v, _ := f.GetCellValue(sheet, tt.cell); v != tt.shown {
				t.Errorf("%s: shown as %q, want %q", tt.cell, v, tt.shown)
			}
		}
		if formula, _ := f.GetCellFormula(sheet, tt.cell); formula != "" {
			t.Errorf("%s: has formula %q", tt.cell, formula)
		}
		id, err := f.GetCellStyle(sheet, tt.cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if tt.format != "" && (st.CustomNumFmt == nil || *st.CustomNumFmt != tt.format) {
			t.Errorf("%s: number format %v, want %q", tt.cell, st.CustomNumFmt, tt.format)
		}
		if bold := st.Font != nil && st.Font.Bold; bold != tt.bold {
			t.Errorf("%s: bold %v, want %v", tt.cell, bold, tt.bold)
		}
	}
	panes, err := f.GetPanes(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("header not frozen: %+v", panes)
	}
	if w, _ := f.GetColWidth(sheet, "A"); w < 30 || w > 62 {
		t.Errorf("column A width %v, want it fitted to the longest group name", w)
	}
	if w, _ := f.GetColWidth("Deltagandekostnad 2026 (2)", "A"); w != 30 {
		t.Errorf("set width %v, want 30", w)
	}
	props, err := f.GetDocProps()
	if err != nil || props.Title != "Deltagandekostnad 2026" {
		t.Errorf("title %q, %v", props.Title, err)
	}
}

func TestServe_SetsTypeAndFileName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, typ, disposition string
		serve                        func(*httptest.ResponseRecorder, string) error
	}{
		{"csv", "kostnad-2026.csv", doc.ContentTypeCSV, `attachment; filename=kostnad-2026.csv`,
			func(w *httptest.ResponseRecorder, n string) error { return doc.ServeCSV(w, n, sample()) }},
		{"xlsx with å", "personberoende-å.xlsx", doc.ContentTypeXLSX, `attachment; filename*=utf-8''personberoende-%C3%A5.xlsx`,
			func(w *httptest.ResponseRecorder, n string) error { return doc.ServeXLSX(w, n, sample()) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := httptest.NewRecorder()
			if err := tt.serve(w, tt.file); err != nil {
				t.Fatal(err)
			}
			h := w.Result().Header
			if h.Get("Content-Type") != tt.typ || h.Get("Content-Disposition") != tt.disposition || h.Get("Cache-Control") != "no-store" {
				t.Errorf("headers %v", h)
			}
			if h.Get("Content-Length") == "" || w.Body.Len() == 0 {
				t.Error("no body or length")
			}
		})
	}
}
