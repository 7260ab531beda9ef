package tabular_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/tabular"
)

// fuzzLimits keep each fuzz input cheap.
var fuzzLimits = tabular.Limits{MaxBytes: 1 << 20, MaxRows: 1000, MaxColumns: 50, MaxCell: 1000}

// checkTable asserts what every table the reader returns promises.
func checkTable(t *testing.T, tab *tabular.Table) {
	t.Helper()
	if len(tab.Header) == 0 || tab.HeaderRow < 1 {
		t.Fatalf("header %q at row %d", tab.Header, tab.HeaderRow)
	}
	for _, c := range tab.Header {
		if c != strings.TrimSpace(c) {
			t.Fatalf("untrimmed header %q", c)
		}
	}
	if len(tab.Rows) > fuzzLimits.MaxRows {
		t.Fatalf("%d rows over the limit", len(tab.Rows))
	}
	last := tab.HeaderRow
	for _, r := range tab.Rows {
		if r.Number <= last {
			t.Fatalf("row %d after row %d", r.Number, last)
		}
		last = r.Number
		if len(r.Cells) == 0 || r.Cells[len(r.Cells)-1] == "" {
			t.Fatalf("row %d: blank or trailing empty cell: %q", r.Number, r.Cells)
		}
		for _, c := range r.Cells {
			if c != strings.TrimSpace(c) {
				t.Fatalf("row %d: untrimmed cell %q", r.Number, c)
			}
		}
	}
}

// FuzzParseCSV feeds arbitrary text to the CSV reader: it never panics, and a
// table it returns, written out again as an export writes it, reads back with
// the same cells.
func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("namn;e-post\nAnna;anna@example.se\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if tabular.DetectFormat(data) != tabular.CSV {
			return
		}
		tab, err := tabular.Parse(data, fuzzLimits)
		if err != nil {
			if _, ok := tabular.FileProblem(err); !ok {
				t.Fatalf("not a file problem: %v", err)
			}
			return
		}
		checkTable(t, tab)
		// Exports have headers of two columns or more without commas or tabs,
		// which name the separator, and cells without lone CRs (which CSV
		// writers do not keep) or apostrophes of their own.
		if len(tab.Header) < 2 || strings.ContainsAny(strings.Join(tab.Header, ""), ",\t") || strings.ContainsAny(string(data), "\r'") {
			return
		}
		out := doc.Table{}
		for _, h := range tab.Header {
			out.Columns = append(out.Columns, doc.Column{Header: h})
		}
		width := len(tab.Header)
		for _, r := range tab.Rows {
			width = max(width, len(r.Cells))
		}
		for len(out.Columns) < width {
			out.Columns = append(out.Columns, doc.Column{Header: "x"})
		}
		for _, r := range tab.Rows {
			row := make([]doc.Cell, len(r.Cells))
			for i, c := range r.Cells {
				row[i] = doc.Text(c)
			}
			out.Rows = append(out.Rows, row)
		}
		var buf bytes.Buffer
		if err := doc.WriteCSV(&buf, out); err != nil {
			t.Fatal(err)
		}
		again, err := tabular.Parse(buf.Bytes(), tabular.Limits{MaxBytes: 8 << 20, MaxRows: 1000, MaxColumns: 50, MaxCell: 2000})
		if err != nil {
			t.Fatalf("written table does not read back: %v\n%q", err, buf.String())
		}
		if len(again.Rows) != len(tab.Rows) {
			t.Fatalf("round trip changed the table:\n%v\n%v", tab, again)
		}
		for i := range tab.Rows {
			if strings.Join(again.Rows[i].Cells, "\x00") != strings.Join(tab.Rows[i].Cells, "\x00") {
				t.Fatalf("row %d: %q became %q", i, tab.Rows[i].Cells, again.Rows[i].Cells)
			}
		}
	})
}

// FuzzParseXLSX feeds arbitrary bytes, seeded with real workbooks, to the XLSX
// reader: it never panics and answers a broken workbook with a file problem.
func FuzzParseXLSX(f *testing.F) {
	var buf bytes.Buffer
	if err := doc.WriteXLSX(&buf, doc.Table{Title: "Blad", Columns: []doc.Column{{Header: "namn"}, {Header: "andel"}},
		Rows: [][]doc.Cell{{doc.Text("Anna"), doc.Percent(0.125, 1)}}}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		if tabular.DetectFormat(data) != tabular.XLSX {
			return
		}
		tab, err := tabular.Parse(data, fuzzLimits)
		if err != nil {
			if _, ok := tabular.FileProblem(err); !ok {
				t.Fatalf("not a file problem: %v", err)
			}
			return
		}
		checkTable(t, tab)
	})
}
