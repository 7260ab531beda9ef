package tabular

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// parseCSV reads a CSV file: UTF-8 with or without BOM, the separator (';', ','
// or tab) taken from the header line, fields quoted as RFC 4180 says.
func parseCSV(data []byte, lim Limits) (*Table, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if err := checkEncoding(data); err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = detectComma(data)
	r.FieldsPerRecord = -1 // ragged rows are the importer's to judge
	b := &table{t: Table{Format: CSV}, lim: lim}
	// A spreadsheet shows each record as one row, also a blank line, which
	// encoding/csv skips, while a quoted field may span lines. So the row
	// number advances by the lines between records, not the lines inside one.
	row, lastLine := 0, 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fileError("tabular.csv_syntax", "row", row+max(pe.StartLine-lastLine, 1))
		}
		if err != nil {
			return nil, fileError("tabular.csv_syntax", "row", row+1)
		}
		start, _ := r.FieldPos(0)
		end, _ := r.FieldPos(len(rec) - 1)
		row += start - lastLine
		lastLine = end + strings.Count(rec[len(rec)-1], "\n")
		if err := b.add(row, rec); err != nil {
			return nil, err
		}
	}
	return b.done()
}

// checkEncoding accepts UTF-8 and names what else the file seems to be.
func checkEncoding(data []byte) error {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return fileError("tabular.utf16")
	}
	if bytes.HasPrefix(data, oleMagic) {
		return fileError("tabular.xls")
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		if i < 4 && len(data) > 1 {
			return fileError("tabular.utf16") // ASCII text in UTF-16 has every other byte zero
		}
		return fileError("tabular.binary")
	}
	if utf8.Valid(data) {
		return nil
	}
	line := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size == 1 {
			return fileError("tabular.encoding", "row", line)
		}
		if r == '\n' {
			line++
		}
		data = data[size:]
	}
	return nil
}

// detectComma picks the separator that occurs most often outside quotes in
// the first non-blank line: ';' (Swedish Excel), ',' or tab; ',' when none does.
func detectComma(data []byte) rune {
	counts := map[byte]int{}
	quoted, seen := false, false
scan:
	for _, c := range data {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n' && seen:
			break scan
		case c == ';' || c == ',' || c == '\t':
			counts[c]++
			seen = true
		case c != '\r' && c != '\n' && c != ' ':
			seen = true
		}
	}
	best := byte(',')
	for _, c := range []byte{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return rune(best)
}
