package tabular

import (
	"bytes"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// parseXLSX reads the first sheet of a workbook. Cells come as their values,
// not as Excel shows them, except that a date cell becomes YYYY-MM-DD and a
// percent cell "12.5 %", so what a person typed survives the number format.
func parseXLSX(data []byte, lim Limits) (*Table, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		// Bound the unpacked size: a small ZIP can hold gigabytes of XML.
		UnzipSizeLimit:    max(20*lim.MaxBytes, 64<<20),
		UnzipXMLSizeLimit: 16 << 20,
	})
	if err != nil {
		if bytes.HasPrefix(data, oleMagic) {
			return nil, fileError("tabular.xls")
		}
		return nil, fileError("tabular.xlsx_invalid")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fileError("tabular.xlsx_invalid")
	}
	sheet := sheets[0]
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, fileError("tabular.xlsx_invalid")
	}
	defer rows.Close()
	cells := &cellFormats{f: f, sheet: sheet, kinds: map[int]numberKind{}}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		cells.date1904 = *props.Date1904
	}
	b := &table{t: Table{Format: XLSX}, lim: lim}
	for n := 1; rows.Next(); n++ {
		rec, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fileError("tabular.xlsx_invalid")
		}
		for i, v := range rec {
			if i < lim.MaxColumns && len(v) <= lim.MaxCell {
				rec[i] = cells.value(i+1, n, v)
			}
		}
		if err := b.add(n, rec); err != nil {
			return nil, err
		}
	}
	if rows.Error() != nil {
		return nil, fileError("tabular.xlsx_invalid")
	}
	return b.done()
}

// numberKind is how a cell's number format shows a number.
type numberKind int

const (
	plainNumber numberKind = iota
	dateNumber
	percentNumber
)

// cellFormats turns numbers stored under a date or percent format into text,
// looking up each style once.
type cellFormats struct {
	f        *excelize.File
	sheet    string
	date1904 bool
	kinds    map[int]numberKind
}

func (c *cellFormats) value(col, row int, raw string) string {
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return raw
	}
	name, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return raw
	}
	style, err := c.f.GetCellStyle(c.sheet, name)
	if err != nil {
		return raw
	}
	kind, ok := c.kinds[style]
	if !ok {
		kind = c.kindOf(style)
		c.kinds[style] = kind
	}
	switch kind {
	case dateNumber:
		t, err := excelize.ExcelDateToTime(v, c.date1904)
		if err != nil {
			return raw
		}
		if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
			return t.Format("2006-01-02")
		}
		return t.Format("2006-01-02 15:04:05")
	case percentNumber:
		return strconv.FormatFloat(math.Round(v*100*1e9)/1e9, 'f', -1, 64) + " %"
	}
	return raw
}

func (c *cellFormats) kindOf(style int) numberKind {
	s, err := c.f.GetStyle(style)
	if err != nil || s == nil {
		return plainNumber
	}
	if s.CustomNumFmt != nil {
		return customKind(*s.CustomNumFmt)
	}
	switch id := s.NumFmt; {
	case id == 9 || id == 10:
		return percentNumber
	case 14 <= id && id <= 22, 27 <= id && id <= 36, 45 <= id && id <= 47, 50 <= id && id <= 58:
		return dateNumber
	}
	return plainNumber
}

// customKind reads a custom number format such as "yyyy-mm-dd" or "0.0 %",
// ignoring quoted text, escaped characters and bracketed parts ([$-41D], [Red]).
func customKind(format string) numberKind {
	var b strings.Builder
	quoted, bracket := false, false
	for i := 0; i < len(format); i++ {
		c := format[i]
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '[':
			bracket = true
		case c == ']':
			bracket = false
		case bracket:
		case c == '\\' || c == '_' || c == '*':
			i++ // the next character is literal or padding
		default:
			b.WriteByte(c)
		}
	}
	f := strings.ToLower(b.String())
	switch {
	case strings.Contains(f, "%"):
		return percentNumber
	case strings.ContainsAny(f, "yd"):
		return dateNumber
	}
	return plainNumber
}
