package tabular

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// RowError is one problem with one cell (or, without Column, one row): the
// row number as a spreadsheet shows it, the column's name, and a message
// catalogue key with its arguments as name/value pairs.
type RowError struct {
	Row    int
	Column string
	Key    string
	Args   []any
}

// Error describes the problem for logs and tests.
func (e RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("row %d: %s", e.Row, e.Key)
	}
	return fmt.Sprintf("row %d, column %s: %s", e.Row, e.Column, e.Key)
}

// Errors collects the problems found in a table; the zero value is ready to use.
type Errors struct {
	List []RowError
}

// Add records a problem with column of row.
func (l *Errors) Add(row int, column, key string, args ...any) {
	l.List = append(l.List, RowError{Row: row, Column: column, Key: key, Args: args})
}

// Len is the number of problems.
func (l *Errors) Len() int { return len(l.List) }

// Sort orders the problems by row, keeping the order within a row.
func (l *Errors) Sort() {
	slices.SortStableFunc(l.List, func(a, b RowError) int { return cmp.Compare(a.Row, b.Row) })
}

// Err returns l as an error when it holds problems, else nil.
func (l *Errors) Err() error {
	if l == nil || len(l.List) == 0 {
		return nil
	}
	return l
}

// Error lists the first few problems, for logs and tests.
func (l *Errors) Error() string {
	const show = 5
	parts := make([]string, 0, show+1)
	for i, e := range l.List {
		if i == show {
			parts = append(parts, fmt.Sprintf("and %d more", len(l.List)-show))
			break
		}
		parts = append(parts, e.Error())
	}
	return "invalid rows: " + strings.Join(parts, "; ")
}

// Unwrap makes the problems a validation error to errors.As, so the web and
// API edges answer 422 and name every row.
func (l *Errors) Unwrap() error { return l.Validation() }

// Validation returns the problems as a validation error whose fields are named
// row.<n>.<column>, so the API's problem details locate each one.
func (l *Errors) Validation() *errs.ValidationError {
	v := &errs.ValidationError{}
	for _, e := range l.List {
		name := "row." + strconv.Itoa(e.Row)
		if e.Column != "" {
			name += "." + e.Column
		}
		v.Add(name, e.Key, e.Args...)
	}
	return v
}
