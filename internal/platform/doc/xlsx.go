package doc

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// WriteXLSX writes the tables as an XLSX workbook, one sheet per table named
// by its title. Each sheet has its header row in bold, frozen and filterable,
// columns wide enough for their content, and every number stored as a number
// with a format Swedish Excel shows well: grouped digits, "kr" after amounts,
// percentages and YYYY-MM-DD dates. The footer row, if any, is bold.
func WriteXLSX(w io.Writer, tables ...Table) error {
	f := excelize.NewFile()
	defer f.Close()
	x := &xlsxWriter{f: f, styles: map[styleKey]int{}}
	first := f.GetSheetName(0)
	names := map[string]bool{}
	for i, t := range tables {
		name := sheetName(t.Title, i, names)
		if i == 0 {
			if err := f.SetSheetName(first, name); err != nil {
				return fmt.Errorf("write xlsx: %w", err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return fmt.Errorf("write xlsx: %w", err)
		}
		if err := x.sheet(name, t); err != nil {
			return fmt.Errorf("write xlsx sheet %q: %w", name, err)
		}
	}
	if len(tables) > 0 {
		if err := f.SetDocProps(&excelize.DocProperties{Title: tables[0].Title, Creator: "Kunskapsnav"}); err != nil {
			return fmt.Errorf("write xlsx: %w", err)
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// styleKey names one cell style: a kind of value with its decimals, bold or not.
type styleKey struct {
	kind   Kind
	places int
	bold   bool
}

type xlsxWriter struct {
	f      *excelize.File
	styles map[styleKey]int
}

// numberFormats are the custom formats per kind. Excel shows "," and "." in the
// reader's own locale, so these give "1 300 000 kr" and "12,5 %" in Swedish.
func numberFormat(k Kind, places int) string {
	decimals := ""
	if places > 0 {
		decimals = "." + strings.Repeat("0", places)
	}
	switch k {
	case KindInt:
		return "#,##0"
	case KindMoney:
		return `#,##0 "kr"`
	case KindDecimal:
		return "#,##0" + decimals
	case KindPercent:
		return "0" + decimals + "%"
	case KindDate:
		return "yyyy-mm-dd"
	}
	return "@"
}

func (x *xlsxWriter) style(k styleKey) (int, error) {
	if id, ok := x.styles[k]; ok {
		return id, nil
	}
	format := numberFormat(k.kind, k.places)
	s := &excelize.Style{CustomNumFmt: &format}
	if k.bold {
		s.Font = &excelize.Font{Bold: true}
	}
	if k.kind == KindText {
		s.CustomNumFmt = nil
		s.Alignment = &excelize.Alignment{Vertical: "top"}
	}
	id, err := x.f.NewStyle(s)
	if err != nil {
		return 0, err
	}
	x.styles[k] = id
	return id, nil
}

func (x *xlsxWriter) sheet(name string, t Table) error {
	widths := make([]int, len(t.Columns))
	headerStyle, err := x.style(styleKey{kind: KindText, bold: true})
	if err != nil {
		return err
	}
	for i, c := range t.Columns {
		ref, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := x.f.SetCellStr(name, ref, c.Header); err != nil {
			return err
		}
		if err := x.f.SetCellStyle(name, ref, ref, headerStyle); err != nil {
			return err
		}
		widths[i] = len([]rune(c.Header))
	}
	rows := t.Rows
	if t.Footer != nil {
		rows = append(rows[:len(rows):len(rows)], t.Footer)
	}
	for r, row := range rows {
		bold := t.Footer != nil && r == len(rows)-1
		for i, c := range row {
			if i >= len(t.Columns) {
				break
			}
			ref, _ := excelize.CoordinatesToCellName(i+1, r+2)
			if err := x.cell(name, ref, c, bold); err != nil {
				return fmt.Errorf("row %d column %d: %w", r+1, i+1, err)
			}
			widths[i] = max(widths[i], c.width())
		}
	}
	for i, c := range t.Columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		w := c.Width
		if w == 0 {
			w = float64(min(max(widths[i]+2, 8), 60))
		}
		if err := x.f.SetColWidth(name, col, col, w); err != nil {
			return err
		}
	}
	if len(t.Columns) == 0 {
		return nil
	}
	if err := x.f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(t.Columns), len(t.Rows)+1)
	return x.f.AutoFilter(name, "A1:"+last, nil)
}

// cell writes one value with its kind's style; an empty cell gets only the style.
func (x *xlsxWriter) cell(sheet, ref string, c Cell, bold bool) error {
	var err error
	switch {
	case c.empty():
	case c.Kind == KindInt || c.Kind == KindMoney:
		err = x.f.SetCellInt(sheet, ref, c.Int)
	case c.Kind == KindDecimal || c.Kind == KindPercent:
		err = x.f.SetCellFloat(sheet, ref, c.Float, -1, 64)
	case c.Kind == KindDate:
		err = x.f.SetCellValue(sheet, ref, c.Date.Time())
	default:
		// Stored as a string, never as a formula, whatever it starts with.
		err = x.f.SetCellStr(sheet, ref, c.Text)
	}
	if err != nil {
		return err
	}
	id, err := x.style(styleKey{kind: c.Kind, places: c.Places, bold: bold})
	if err != nil {
		return err
	}
	return x.f.SetCellStyle(sheet, ref, ref, id)
}

// sheetName makes a valid, unique sheet name from a title: at most 31
// characters, none of : \ / ? * [ ], not empty.
func sheetName(title string, i int, used map[string]bool) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, strings.TrimSpace(title))
	name = strings.Trim(name, "'")
	if name == "" {
		name = "Blad " + strconv.Itoa(i+1)
	}
	name = truncate(name, 31)
	for n := 2; used[strings.ToLower(name)]; n++ {
		suffix := " (" + strconv.Itoa(n) + ")"
		name = truncate(name, 31-len(suffix)) + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
