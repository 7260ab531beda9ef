package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/tabular"
)

// ImportColumn is one column of a recommendations file, for import and export.
type ImportColumn struct {
	Name     string   // English header; the column's name in the API and the catalogue
	Swedish  string   // Swedish header, written in exports for Swedish readers
	Aliases  []string // other headers accepted on import
	Required bool     // a file without the column is refused
}

// ImportColumns are the columns of a recommendations file, in export order.
// Headers match whatever the case, spaces, hyphens or punctuation.
var ImportColumns = []ImportColumn{
	{Name: "code", Swedish: "kod", Aliases: []string{"rekommendationskod", "id"}},
	{Name: "text", Swedish: "rekommendation", Aliases: []string{"rekommendationstext", "recommendation"}, Required: true},
	{Name: "priority", Swedish: "prioritet", Aliases: []string{"prio", "prioritetsgrad"}},
	{Name: "do_not_do", Swedish: "icke-göra", Aliases: []string{"gör inte", "do not do"}},
	{Name: "research_only", Swedish: "endast forskning", Aliases: []string{"FoU", "forskning och utveckling", "research only"}},
}

// importLimits bound a recommendations file: as large as the registry's
// imports, with room for a long recommendation in one cell.
var importLimits = tabular.Limits{MaxBytes: tabular.DefaultLimits.MaxBytes, MaxRows: 10_000,
	MaxColumns: tabular.DefaultLimits.MaxColumns, MaxCell: 20_000}

// ParseImport reads a recommendations file (CSV or XLSX) within the import's limits.
func ParseImport(content []byte) (*tabular.Table, error) { return tabular.Parse(content, importLimits) }

// RecommendationChange is one row an import adds or changes, for the preview.
type RecommendationChange struct {
	Row     int      `json:"row" doc:"Row as a spreadsheet numbers it; the header is row 1"`
	New     bool     `json:"new" doc:"A new recommendation; otherwise one matched by its code"`
	Code    string   `json:"code,omitempty"`
	Text    string   `json:"text"`
	Columns []string `json:"columns,omitempty" doc:"The columns whose values change"`
}

// ImportResult is what an import of recommendations found in a file and,
// after a commit, did.
type ImportResult struct {
	SupportID int64
	tabular.Counts
	Changes []RecommendationChange // the new and changed rows, in file order
}

// ImportRecommendations checks table as the recommendations of support
// supportID. A row whose code matches a recommendation of the support
// changes it; any other row adds one, after the existing ones in file order.
// A column the file lacks keeps the values recommendations have. Without
// commit it only reports what an import would do. With commit, and only if no
// row has a problem, it writes every row in one transaction with an audit
// record each; otherwise it writes nothing and returns the result with an
// error wrapping the problems (*tabular.Errors).
func (s *Service) ImportRecommendations(ctx context.Context, supportID int64, table *tabular.Table, commit bool) (ImportResult, error) {
	if !commit {
		p, err := planRecommendations(ctx, s.db, supportID, table)
		if err != nil {
			return ImportResult{}, err
		}
		return p.result(), nil
	}
	var res ImportResult
	err := s.audit.Tx(ctx, s.db, s.now, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		var changes []audit.Change
		var err error
		res, changes, err = importTx(ctx, tx, supportID, table, now)
		return changes, err
	})
	return res, err
}

// importTx plans and, if the plan is clean, writes an import in tx; it
// returns the audit changes to record.
func importTx(ctx context.Context, tx *db.Tx, supportID int64, table *tabular.Table, now time.Time) (ImportResult, []audit.Change, error) {
	p, err := planRecommendations(ctx, tx, supportID, table)
	if err != nil {
		return ImportResult{}, nil, err
	}
	res := p.result()
	if !res.OK() {
		return res, nil, fmt.Errorf("import recommendations of support %d: %w", supportID, &res.Errors)
	}
	changes, err := p.write(ctx, tx, now)
	if err != nil {
		return res, nil, fmt.Errorf("import recommendations of support %d: %w", supportID, err)
	}
	res.Committed = true
	return res, changes, nil
}

// recPlan is a checked import, ready to write.
type recPlan struct {
	f    *recFile
	rows []plannedRec // the rows that add or change a recommendation, in file order
}

// plannedRec is a recommendation as the file leaves it, with the stored one
// it changes (nil for a new one).
type plannedRec struct {
	rec    Recommendation
	before *Recommendation
}

func (p *recPlan) result() ImportResult {
	res := p.f.res
	res.Errors.Sort()
	if !res.OK() {
		res.New, res.Changed, res.Unchanged, res.Changes = 0, 0, 0, nil
	}
	return res
}

// write adds and changes the planned recommendations in tx.
func (p *recPlan) write(ctx context.Context, tx *db.Tx, now time.Time) ([]audit.Change, error) {
	next, err := nextPosition(ctx, tx, p.f.res.SupportID)
	if err != nil {
		return nil, err
	}
	var changes []audit.Change
	for _, pr := range p.rows {
		r := pr.rec
		if pr.before == nil {
			r.Position, next = next, next+1
			if r.ID, err = insertRecommendation(ctx, tx, r, now); err != nil {
				return nil, err
			}
			r.CreatedAt, r.UpdatedAt, r.Version = now, now, 1
			changes = append(changes, audit.Change{Entity: entityRecommendation, EntityID: r.ID, Action: audit.Create, After: r})
			continue
		}
		if err := updateRecommendation(ctx, tx, r, now); err != nil {
			return nil, err
		}
		r.UpdatedAt, r.Version = now, r.Version+1
		changes = append(changes, audit.Change{Entity: entityRecommendation, EntityID: r.ID, Action: audit.Update, Before: *pr.before, After: r})
	}
	return changes, nil
}

// planRecommendations checks every row of table against the rules of the
// support's kind and its stored recommendations.
func planRecommendations(ctx context.Context, q db.Querier, supportID int64, table *tabular.Table) (*recPlan, error) {
	sp, err := findSupport(ctx, q, supportID)
	if err != nil {
		return nil, err
	}
	f := newRecFile(table)
	f.res.SupportID = supportID
	p := &recPlan{f: f}
	if !f.res.OK() {
		return p, nil // rows read under a wrong header would only repeat the problem
	}
	stored, err := listRecommendations(ctx, q, supportID)
	if err != nil {
		return nil, err
	}
	p.plan(sp.Kind, stored)
	return p, nil
}

// plan reads each row into a recommendation, matched by code to stored.
func (p *recPlan) plan(kind Kind, stored []Recommendation) {
	f := p.f
	byCode := map[string][]int{}
	for i, r := range stored {
		if r.Code != "" {
			k := strings.ToLower(r.Code)
			byCode[k] = append(byCode[k], i)
		}
	}
	firstRow := map[string]int{} // code → the row of the file that first names it
	for _, row := range f.rows {
		f.checkCells(row)
		rec := Recommendation{SupportID: p.f.res.SupportID}
		var before *Recommendation
		if code := f.get(row, "code"); code != "" {
			k := strings.ToLower(code)
			switch first, seen := firstRow[k]; {
			case seen:
				f.fail(row.Number, "code", "catalog.import.repeated_code", "code", code, "row", first)
			case len(byCode[k]) > 1:
				f.fail(row.Number, "code", "catalog.import.ambiguous_code", "code", code)
			case len(byCode[k]) == 1:
				b := stored[byCode[k][0]]
				before, rec = &b, b
			}
			if _, seen := firstRow[k]; !seen {
				firstRow[k] = row.Number
			}
		}
		f.read(row, &rec)
		rec.Normalize()
		if err := rec.Validate(kind); err != nil {
			f.failValidation(row.Number, err)
		}
		if f.badRows[row.Number] {
			continue
		}
		var changed []string
		if before != nil {
			changed = changedColumns(f, *before, rec)
		}
		f.count(row.Number, before == nil, rec, changed)
		if before == nil || len(changed) > 0 {
			p.rows = append(p.rows, plannedRec{rec: rec, before: before})
		}
	}
}

// changedColumns names the columns of the file whose values differ between
// before and after.
func changedColumns(f *recFile, before, after Recommendation) []string {
	var out []string
	for _, c := range []struct {
		name string
		diff bool
	}{
		{"code", before.Code != after.Code},
		{"text", before.Text != after.Text},
		{"priority", before.Priority != after.Priority},
		{"do_not_do", before.DoNotDo != after.DoNotDo},
		{"research_only", before.ResearchOnly != after.ResearchOnly},
	} {
		if c.diff {
			out = append(out, f.column(c.name))
		}
	}
	return out
}

// recFile is a table with its header mapped to the import's columns, and
// the problems and changes found in it so far.
type recFile struct {
	rows    []tabular.Row
	col     map[string]int    // column name → index in a row
	header  map[string]string // column name → the header as written in the file
	named   []bool            // whether the header's cell i names a column
	bad     map[string]bool   // "row/column" of the cells with a problem
	badRows map[int]bool
	res     ImportResult
}

// newRecFile maps the header of table to the import's columns. Unknown,
// repeated and missing required columns are problems on the header row, as
// is a file without rows.
func newRecFile(table *tabular.Table) *recFile {
	f := &recFile{rows: table.Rows, col: map[string]int{}, header: map[string]string{}, named: make([]bool, len(table.Header)),
		bad: map[string]bool{}, badRows: map[int]bool{}}
	f.res.Rows = len(table.Rows)
	byKey := map[string]string{}
	for _, c := range ImportColumns {
		for _, h := range append([]string{c.Name, c.Swedish}, c.Aliases...) {
			byKey[wordKey(h)] = c.Name
		}
	}
	for i, h := range table.Header {
		if h == "" {
			continue
		}
		name, ok := byKey[wordKey(h)]
		switch {
		case !ok:
			f.failHeader(table.HeaderRow, h, "catalog.import.unknown_column", "column", h)
		case f.has(name):
			f.failHeader(table.HeaderRow, h, "catalog.import.repeated_column", "column", h, "first", f.header[name])
		default:
			f.col[name], f.header[name], f.named[i] = i, h, true
		}
	}
	for _, c := range ImportColumns {
		if c.Required && !f.has(c.Name) {
			f.fail(table.HeaderRow, c.Name, "catalog.import.missing_column", "column", c.Name, "swedish", c.Swedish)
		}
	}
	if len(table.Rows) == 0 {
		f.fail(table.HeaderRow, "", "catalog.import.no_rows")
	}
	return f
}

// wordKey folds a header for comparison: lower case, and every run of other
// characters than letters and digits one "_".
func wordKey(s string) string {
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if gap && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			gap = false
		} else {
			gap = true
		}
	}
	return b.String()
}

func (f *recFile) has(name string) bool {
	_, ok := f.col[name]
	return ok
}

// get returns the value of column name in r, "" when the file lacks the column.
func (f *recFile) get(r tabular.Row, name string) string {
	i, ok := f.col[name]
	if !ok || i >= len(r.Cells) {
		return ""
	}
	return r.Cells[i]
}

// column is the header of column name as the file writes it.
func (f *recFile) column(name string) string {
	if h, ok := f.header[name]; ok {
		return h
	}
	return name
}

// fail records a problem with column name of row, named as the file names it.
func (f *recFile) fail(row int, name, key string, args ...any) {
	f.bad[strconv.Itoa(row)+"/"+name], f.badRows[row] = true, true
	f.res.Errors.Add(row, f.column(name), key, args...)
}

// failHeader records a problem with a header cell, named as written.
func (f *recFile) failHeader(row int, header, key string, args ...any) {
	f.badRows[row] = true
	f.res.Errors.Add(row, header, key, args...)
}

// failValidation records the problems Recommendation.Validate found; a cell
// already reported unreadable is reported once.
func (f *recFile) failValidation(row int, err error) {
	v, ok := errs.AsValidation(err)
	if !ok {
		f.fail(row, "", "error.internal")
		return
	}
	for _, fld := range v.Fields {
		name := fld.Name
		if !f.has(name) {
			name = "" // a rule on no column of the file, such as the support
		}
		if !f.bad[strconv.Itoa(row)+"/"+name] {
			f.fail(row, name, fld.Key, fld.Args...)
		}
	}
}

// checkCells reports a value in a column without a header.
func (f *recFile) checkCells(r tabular.Row) {
	for i, v := range r.Cells {
		if v != "" && (i >= len(f.named) || !f.named[i]) {
			f.fail(r.Number, "", "catalog.import.cell_outside", "position", i+1)
			return
		}
	}
}

// read reads the row's values into rec, keeping rec's values for the
// columns the file lacks.
func (f *recFile) read(r tabular.Row, rec *Recommendation) {
	if f.has("code") {
		rec.Code = f.get(r, "code")
	}
	rec.Text = f.get(r, "text")
	if f.has("priority") {
		v := f.get(r, "priority")
		n, ok := ParsePriority(v)
		if !ok {
			f.fail(r.Number, "priority", "catalog.import.priority", "value", v)
		}
		rec.Priority = n
	}
	for _, c := range []struct {
		name string
		into *bool
	}{{"do_not_do", &rec.DoNotDo}, {"research_only", &rec.ResearchOnly}} {
		if !f.has(c.name) {
			continue
		}
		v := f.get(r, c.name)
		b, ok := ParseFlag(v)
		if !ok {
			f.fail(r.Number, c.name, "catalog.import.flag", "value", v)
		}
		*c.into = b
	}
}

// count records what a row does: a new recommendation, a change, or nothing.
func (f *recFile) count(row int, isNew bool, rec Recommendation, changed []string) {
	switch {
	case isNew:
		f.res.New++
	case len(changed) > 0:
		f.res.Changed++
	default:
		f.res.Unchanged++
		return
	}
	f.res.Changes = append(f.res.Changes, RecommendationChange{Row: row, New: isNew, Code: rec.Code, Text: rec.Text, Columns: changed})
}

// ParsePriority reads a priority as a file writes it: blank for none, else
// a whole number 1–10 (also "3,0" as spreadsheets may write it).
func ParsePriority(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	s = strings.TrimSuffix(strings.TrimSuffix(s, ",0"), ".0")
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 10 {
		return 0, false
	}
	return n, true
}

// ParseFlag reads a marking: ja/yes/x/1/sant/true, nej/no/0/falskt/false or
// blank (no), whatever the case.
func ParseFlag(s string) (value, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "ja", "j", "yes", "y", "x", "1", "sant", "true":
		return true, true
	case "", "nej", "n", "no", "0", "falskt", "false", "-":
		return false, true
	}
	return false, false
}

// Export.

// ExportRecommendations returns the recommendations of a support as a table
// with the import's columns, so importing it again changes nothing; with
// empty, the header only, as a template to fill in. Headers are Swedish
// when swedish, else English; markings are written ja/nej or yes/no.
func (s *Service) ExportRecommendations(ctx context.Context, supportID int64, swedish, empty bool) (doc.Table, error) {
	sp, err := findSupport(ctx, s.db, supportID)
	if err != nil {
		return doc.Table{}, err
	}
	t := doc.Table{Title: "Recommendations"}
	yes, no := "yes", "no"
	if swedish {
		t.Title, yes, no = "Rekommendationer", "ja", "nej"
	}
	for _, c := range ImportColumns {
		h := c.Name
		if swedish {
			h = c.Swedish
		}
		t.Columns = append(t.Columns, doc.Column{Header: h})
	}
	if empty {
		return t, nil
	}
	recs, err := listRecommendations(ctx, s.db, sp.ID)
	if err != nil {
		return doc.Table{}, err
	}
	flag := func(b bool) doc.Cell {
		if b {
			return doc.Text(yes)
		}
		return doc.Text(no)
	}
	for _, r := range recs {
		prio := doc.Cell{}
		if r.Priority > 0 {
			prio = doc.Int(int64(r.Priority))
		}
		t.Rows = append(t.Rows, []doc.Cell{doc.Text(r.Code), doc.Text(r.Text), prio, flag(r.DoNotDo), flag(r.ResearchOnly)})
	}
	return t, nil
}

// ExportFilename is the file name of an export of a support's recommendations.
func ExportFilename(supportID int64, format tabular.Format, swedish bool) string {
	name := "recommendations"
	if swedish {
		name = "rekommendationer"
	}
	return "kunskapsnav-" + name + "-" + strconv.FormatInt(supportID, 10) + "." + string(format)
}

// Uploads.

// Upload is an uploaded recommendations file, kept until the person who
// previewed it confirms the import (or for a day).
type Upload struct {
	ID        int64
	SupportID int64
	Filename  string
	Hash      string // SHA-256 of the content, hex
	Content   []byte
	CreatedAt time.Time
}

// uploadKeep is how long an unconfirmed upload is kept.
const uploadKeep = 24 * time.Hour

// uploadKind is how the imports table, which other features share, names
// an upload of recommendations for support supportID.
func uploadKind(supportID int64) string {
	return "catalog.recommendations." + strconv.FormatInt(supportID, 10)
}

// SaveUpload keeps a previewed file for the signed-in person to confirm,
// and clears the catalog's uploads nobody confirmed within a day.
func (s *Service) SaveUpload(ctx context.Context, supportID int64, filename string, content []byte) (Upload, error) {
	sum := sha256.Sum256(content)
	up := Upload{SupportID: supportID, Filename: filename, Hash: hex.EncodeToString(sum[:]), Content: content, CreatedAt: s.now()}
	err := s.db.Tx(ctx, func(tx *db.Tx) error {
		var err error
		up.ID, err = saveUpload(ctx, tx, up, uploadKind(supportID), access.From(ctx).UserID, up.CreatedAt.Add(-uploadKeep))
		return err
	})
	if err != nil {
		return Upload{}, fmt.Errorf("save upload: %w", err)
	}
	return up, nil
}

// CommitUpload imports an upload the signed-in person made and previewed
// for the support, checking it again against the support as it is now, and
// removes the upload, in one transaction. A file that no longer passes is
// not imported and the upload is kept, as ImportRecommendations does.
func (s *Service) CommitUpload(ctx context.Context, supportID, uploadID int64) (ImportResult, error) {
	up, err := findUpload(ctx, s.db, uploadID, uploadKind(supportID), access.From(ctx).UserID, s.now().Add(-uploadKeep))
	if err != nil {
		return ImportResult{}, err
	}
	if sum := sha256.Sum256(up.Content); hex.EncodeToString(sum[:]) != up.Hash {
		return ImportResult{}, fmt.Errorf("upload %d: content does not match its hash", uploadID)
	}
	table, err := ParseImport(up.Content)
	if err != nil {
		return ImportResult{}, err
	}
	var res ImportResult
	err = s.audit.Tx(ctx, s.db, s.now, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		var changes []audit.Change
		var err error
		if res, changes, err = importTx(ctx, tx, supportID, table, now); err != nil {
			return nil, err
		}
		return changes, deleteUpload(ctx, tx, uploadID) // none: a second confirmation got here first
	})
	return res, err
}
