package tabular_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/tabular"
)

// rows flattens a table for comparison: the row number, then the cells.
func rows(t *tabular.Table) [][]any {
	out := [][]any{{t.HeaderRow, t.Header}}
	for _, r := range t.Rows {
		out = append(out, []any{r.Number, r.Cells})
	}
	return out
}

func TestParseCSV_Variants(t *testing.T) {
	t.Parallel()
	header := []string{"namn", "e-post"}
	tests := []struct {
		name string
		in   string
		want [][]any
	}{
		{"semicolon with BOM and CRLF", "\uFEFFnamn;e-post\r\nAnna;anna@example.se\r\n",
			[][]any{{1, header}, {2, []string{"Anna", "anna@example.se"}}}},
		{"comma without BOM", "namn,e-post\nAnna,anna@example.se\n",
			[][]any{{1, header}, {2, []string{"Anna", "anna@example.se"}}}},
		{"tab", "namn\te-post\nAnna\tanna@example.se",
			[][]any{{1, header}, {2, []string{"Anna", "anna@example.se"}}}},
		{"semicolon wins over commas in the header", "namn;e-post;titel, lång\nA;b;c, d\n",
			[][]any{{1, []string{"namn", "e-post", "titel, lång"}}, {2, []string{"A", "b", "c, d"}}}},
		{"quoted separators, quotes and line breaks", "namn;titel\n\"Berg; Anna\";\"Sa \"\"hej\"\"\"\n\"Två\nrader\";x\nSist;y\n",
			[][]any{{1, []string{"namn", "titel"}}, {2, []string{"Berg; Anna", `Sa "hej"`}}, {3, []string{"Två\nrader", "x"}}, {4, []string{"Sist", "y"}}}},
		{"blank lines keep their row numbers", "\nnamn;e-post\n\n;\n  ;  \nAnna;a@x.se\n\n",
			[][]any{{2, header}, {6, []string{"Anna", "a@x.se"}}}},
		{"ragged rows: short and long, trailing empties dropped", "namn;e-post\nAnna\nBo;b@x.se;extra\nCe;;;\n",
			[][]any{{1, header}, {2, []string{"Anna"}}, {3, []string{"Bo", "b@x.se", "extra"}}, {4, []string{"Ce"}}}},
		{"cells trimmed and formula guard removed", "namn;e-post\n  Anna  ;'=1+2\n",
			[][]any{{1, header}, {2, []string{"Anna", "=1+2"}}}},
		{"single column", "namn\nAnna\n",
			[][]any{{1, []string{"namn"}}, {2, []string{"Anna"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tabular.Parse([]byte(tt.in), tabular.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if got.Format != tabular.CSV {
				t.Errorf("format %s", got.Format)
			}
			if d := cmp.Diff(tt.want, rows(got)); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
}

// wantFileProblem checks that err is a file-level problem with key and, if
// given, the row it names.
func wantFileProblem(t *testing.T, err error, key string, row int) {
	t.Helper()
	p, ok := tabular.FileProblem(err)
	if !ok || p.Key != key || p.Name != "file" {
		t.Fatalf("got %v, want file problem %s", err, key)
	}
	if row == 0 {
		return
	}
	for i := 0; i+1 < len(p.Args); i += 2 {
		if p.Args[i] == "row" && p.Args[i+1] == row {
			return
		}
	}
	t.Fatalf("%s: args %v, want row %d", key, p.Args, row)
}

func TestParse_BadFilesSayWhatIsWrong(t *testing.T) {
	t.Parallel()
	small := tabular.Limits{MaxBytes: 1 << 20, MaxRows: 2, MaxColumns: 3, MaxCell: 10}
	latin1 := append([]byte("namn;ort\nAnna;G"), 0xE4, 'v', 'l', 'e', '\n') // "Gävle" in Windows-1252
	tests := []struct {
		name string
		in   []byte
		key  string
		row  int
	}{
		{"Windows-1252 names the row", latin1, "tabular.encoding", 2},
		{"UTF-16 with BOM", []byte{0xFF, 0xFE, 'n', 0, 'a', 0}, "tabular.utf16", 0},
		{"UTF-16 without BOM", []byte{'n', 0, 'a', 0, '\n', 0}, "tabular.utf16", 0},
		{"binary", []byte("namn\nab\x00cd\n"), "tabular.binary", 0},
		{"old Excel format", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}, "tabular.xls", 0},
		{"broken ZIP", []byte("PK\x03\x04 not really a workbook"), "tabular.xlsx_invalid", 0},
		{"empty", []byte("\uFEFF\r\n\r\n"), "tabular.empty", 0},
		{"unterminated quote names its row", []byte("a;b\n1;2\n\n3;\"4\n5;6\n"), "tabular.csv_syntax", 4},
		{"stray quote", []byte("a;b\n1;x\"y\n"), "tabular.csv_syntax", 2},
		{"too many rows", []byte("a\n1\n2\n3\n"), "tabular.too_many_rows", 0},
		{"too many columns", []byte("a;b;c;d\n"), "tabular.too_many_columns", 1},
		{"cell too long", []byte("a\n12345678901\n"), "tabular.cell_too_long", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := tabular.Parse(tt.in, small)
			wantFileProblem(t, err, tt.key, tt.row)
		})
	}
}

func TestRead_TooLarge(t *testing.T) {
	t.Parallel()
	_, err := tabular.Read(strings.NewReader(strings.Repeat("a;b\n", 1000)), tabular.Limits{MaxBytes: 100, MaxRows: 10, MaxColumns: 10, MaxCell: 10})
	wantFileProblem(t, err, "tabular.too_large", 0)
	if !errors.Is(err, errs.ErrTooLarge) {
		t.Errorf("%v is not ErrTooLarge", err)
	}
}

func TestXLSX_ExportReadsBack(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	err := doc.WriteXLSX(&buf, doc.Table{
		Title:   "Personer",
		Columns: []doc.Column{{Header: "namn"}, {Header: "andel"}, {Header: "start"}, {Header: "hsa_id"}},
		Rows: [][]doc.Cell{
			{doc.Text("Anna"), doc.Percent(0.125, 2), doc.Date(date.New(2025, 1, 1)), doc.Text("SE2321000207-1001")},
			{doc.Text("=SUM(1)"), doc.Decimal(7.5, 1), doc.Date(date.Date{}), doc.Text("")},
			{doc.Text("Åsa Öberg"), doc.Int(100)},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if f := tabular.DetectFormat(buf.Bytes()); f != tabular.XLSX {
		t.Fatalf("detected %s", f)
	}
	got, err := tabular.Parse(buf.Bytes(), tabular.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]any{
		{1, []string{"namn", "andel", "start", "hsa_id"}},
		{2, []string{"Anna", "12.5 %", "2025-01-01", "SE2321000207-1001"}},
		{3, []string{"=SUM(1)", "7.5"}},
		{4, []string{"Åsa Öberg", "100"}},
	}
	if d := cmp.Diff(want, rows(got)); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

// TestXLSX_DatesPercentsAndGaps builds a workbook as a person would in Excel:
// a title-less sheet with dates and percentages typed into formatted cells,
// blank rows, and a second sheet that is not read.
func TestXLSX_DatesPercentsAndGaps(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Medlemskap"))
	_, err := f.NewSheet("Annat")
	must(err)
	must(f.SetCellStr("Annat", "A1", "ska inte läsas"))
	must(f.SetSheetRow("Medlemskap", "A1", &[]any{"person", "start", "andel", "slut", "antal"}))
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	isoStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr(`[$-41D]yyyy\-mm\-dd`)})
	must(err)
	pctStyle, err := f.NewStyle(&excelize.Style{NumFmt: 10})
	must(err)
	must(f.SetCellStr("Medlemskap", "A2", "Anna"))
	must(f.SetCellValue("Medlemskap", "B2", 45658)) // 2025-01-01
	must(f.SetCellStyle("Medlemskap", "B2", "B2", dateStyle))
	must(f.SetCellValue("Medlemskap", "C2", 0.125))
	must(f.SetCellStyle("Medlemskap", "C2", "C2", pctStyle))
	must(f.SetCellValue("Medlemskap", "D2", 46022)) // 2025-12-31
	must(f.SetCellStyle("Medlemskap", "D2", "D2", isoStyle))
	must(f.SetCellValue("Medlemskap", "E2", 3))
	must(f.SetCellStr("Medlemskap", "A5", "Bo"))
	must(f.SetCellStr("Medlemskap", "C5", "7,5 %"))
	var buf bytes.Buffer
	must(f.Write(&buf))

	got, err := tabular.Parse(buf.Bytes(), tabular.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]any{
		{1, []string{"person", "start", "andel", "slut", "antal"}},
		{2, []string{"Anna", "2025-01-01", "12.5 %", "2025-12-31", "3"}},
		{5, []string{"Bo", "", "7,5 %"}},
	}
	if d := cmp.Diff(want, rows(got)); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

func ptr[T any](v T) *T { return &v }

func TestCSV_ExportReadsBack(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	err := doc.WriteCSV(&buf, doc.Table{
		Columns: []doc.Column{{Header: "namn"}, {Header: "titel"}, {Header: "andel"}},
		Rows: [][]doc.Cell{
			{doc.Text("Berg; Anna"), doc.Text(`Sa "hej"`), doc.Percent(0.125, 2)},
			{doc.Text("-5"), doc.Text("två\nrader"), doc.Decimal(7.5, 1)},
			{doc.Text("@x")},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := tabular.Parse(buf.Bytes(), tabular.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]any{
		{1, []string{"namn", "titel", "andel"}},
		{2, []string{"Berg; Anna", `Sa "hej"`, "12,50%"}},
		{3, []string{"-5", "två\nrader", "7,5"}},
		{4, []string{"@x"}},
	}
	if d := cmp.Diff(want, rows(got)); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

func TestErrors_ValidationNamesRowAndColumn(t *testing.T) {
	t.Parallel()
	var l tabular.Errors
	if l.Err() != nil {
		t.Fatal("empty list is an error")
	}
	l.Add(7, "share_percent", "org.import.share", "value", "120")
	l.Add(3, "", "org.import.duplicate_row", "row", 2)
	l.Sort()
	if l.List[0].Row != 3 {
		t.Fatalf("not sorted: %v", l.List)
	}
	err := l.Err()
	v, ok := errs.AsValidation(err)
	if !ok || !v.Has("row.7.share_percent") || !v.Has("row.3") {
		t.Fatalf("validation view: %v", v)
	}
	if errs.KindOf(err) != errs.Invalid {
		t.Errorf("kind %v", errs.KindOf(err))
	}
}
