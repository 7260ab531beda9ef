package tabular

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// Format is a file format the reader understands.
type Format string

// The formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// Limits bound what the reader accepts, so one upload cannot exhaust the
// server; each limit broken is a clear error naming it.
type Limits struct {
	MaxBytes   int64 // size of the file
	MaxRows    int   // non-blank rows after the header
	MaxColumns int   // cells in one row
	MaxCell    int   // bytes in one cell
}

// DefaultLimits fit the imports of the product: a region's whole organisation
// in one file.
var DefaultLimits = Limits{MaxBytes: 10 << 20, MaxRows: 100_000, MaxColumns: 100, MaxCell: 10_000}

// Row is one non-blank row of the table.
type Row struct {
	Number int      // 1-based, as a spreadsheet shows it: blank rows count, the header is usually row 1
	Cells  []string // trimmed; trailing empty cells dropped, so rows may be shorter than the header
}

// Table is what a file holds: its first non-blank row as the header and the
// non-blank rows below it.
type Table struct {
	Format    Format
	HeaderRow int
	Header    []string
	Rows      []Row
}

// Read reads the whole file from r, at most lim.MaxBytes, and parses it.
func Read(r io.Reader, lim Limits) (*Table, error) {
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read table: %w", err)
	}
	return Parse(data, lim)
}

// Parse reads a table from data, telling CSV from XLSX by content.
func Parse(data []byte, lim Limits) (*Table, error) {
	if int64(len(data)) > lim.MaxBytes {
		return nil, tooLarge(lim.MaxBytes)
	}
	switch DetectFormat(data) {
	case XLSX:
		return parseXLSX(data, lim)
	default:
		return parseCSV(data, lim)
	}
}

// oleMagic starts the old binary Excel format (.xls) and encrypted workbooks.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// DetectFormat tells an XLSX workbook (a ZIP archive) from anything else, which
// is read as CSV.
func DetectFormat(data []byte) Format {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return XLSX
	}
	return CSV
}

// tooLarge is the error for a file over the size limit, in whole megabytes.
func tooLarge(max int64) error {
	mb := max >> 20
	if mb == 0 {
		mb = 1
	}
	return fmt.Errorf("%w: %w", fileError("tabular.too_large", "max", mb), errs.ErrTooLarge)
}

// fileError is a problem with the file as a whole, reported on the upload field "file".
func fileError(key string, args ...any) error { return errs.Invalidf("file", key, args...) }

// FileProblem returns the problem of a file-level error from Parse (its
// catalogue key and arguments), or false for any other error.
func FileProblem(err error) (errs.Field, bool) {
	v, ok := errs.AsValidation(err)
	if !ok || len(v.Fields) == 0 {
		return errs.Field{}, false
	}
	return v.Fields[0], true
}

// table collects rows and applies the limits while a reader fills it.
type table struct {
	t   Table
	lim Limits
}

// add takes one row as read, cleans its cells, and keeps it unless blank. The
// first non-blank row becomes the header.
func (b *table) add(number int, cells []string) error {
	if len(cells) > b.lim.MaxColumns && !blank(cells[b.lim.MaxColumns:]) {
		return fileError("tabular.too_many_columns", "row", number, "max", b.lim.MaxColumns)
	}
	for i, c := range cells {
		if len(c) > b.lim.MaxCell {
			return fileError("tabular.cell_too_long", "row", number, "max", b.lim.MaxCell)
		}
		cells[i] = clean(c)
	}
	for len(cells) > 0 && cells[len(cells)-1] == "" {
		cells = cells[:len(cells)-1]
	}
	if len(cells) == 0 {
		return nil
	}
	if b.t.Header == nil {
		b.t.HeaderRow, b.t.Header = number, cells
		return nil
	}
	if len(b.t.Rows) == b.lim.MaxRows {
		return fileError("tabular.too_many_rows", "max", b.lim.MaxRows)
	}
	b.t.Rows = append(b.t.Rows, Row{Number: number, Cells: cells})
	return nil
}

func (b *table) done() (*Table, error) {
	if b.t.Header == nil {
		return nil, fileError("tabular.empty")
	}
	return &b.t, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// clean trims a cell and undoes the apostrophe that exports (doc.Safe) put
// before a value a spreadsheet would otherwise run as a formula.
func clean(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return strings.TrimSpace(s[1:])
	}
	return s
}
