package doc

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
)

// bom is the UTF-8 byte order mark, by which Excel knows the file is UTF-8.
const bom = "\uFEFF"

// WriteCSV writes t as CSV for Swedish Excel: UTF-8 with a byte order mark,
// semicolon-separated, the header row first, numbers with a decimal comma and
// no grouping, percentages as "12,5%", dates as YYYY-MM-DD, and text that
// would start a formula prefixed with an apostrophe. The title is not
// written; it names the file. The footer, if any, is the last row.
func WriteCSV(w io.Writer, t Table) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(bom); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(bw)
	cw.Comma = ';'
	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = Safe(c.Header)
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write csv header: %w", err)
	}
	rows := t.Rows
	if t.Footer != nil {
		rows = append(rows[:len(rows):len(rows)], t.Footer)
	}
	record := make([]string, len(t.Columns))
	for n, row := range rows {
		for i := range record {
			record[i] = ""
			if i < len(row) {
				record[i] = row[i].csvText()
			}
		}
		if err := cw.Write(record); err != nil {
			return fmt.Errorf("write csv row %d: %w", n+1, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}
