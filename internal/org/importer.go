package org

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/tabular"
)

// ImportKind names what an import file holds.
type ImportKind string

// The kinds of import.
const (
	ImportUnits       ImportKind = "units"
	ImportPeople      ImportKind = "people"
	ImportMemberships ImportKind = "memberships"
)

// ImportKinds lists the kinds in the order they are best imported: units
// before the people who work there, people before their memberships.
var ImportKinds = []ImportKind{ImportUnits, ImportPeople, ImportMemberships}

// ImportColumn is one column of an import or export file.
type ImportColumn struct {
	Name     string   // English header; the column's name in the API and the catalogue
	Swedish  string   // Swedish header, written in exports for Swedish readers
	Aliases  []string // other headers accepted on import
	Required bool     // a file without the column is refused
}

// importColumns are the columns of each kind, in export order. Headers match
// whatever the case, spaces, hyphens or punctuation ("E-post", "giltig fr.o.m.").
var importColumns = map[ImportKind][]ImportColumn{
	ImportUnits: {
		{Name: "level", Swedish: "nivå", Required: true},
		{Name: "name", Swedish: "namn", Required: true},
		{Name: "parent", Swedish: "överordnad", Aliases: []string{"överordnad enhet", "förälder", "parent unit"}},
		{Name: "hsa_id", Swedish: "hsa-id", Aliases: []string{"hsaid", "hsa"}},
		{Name: "kind", Swedish: "typ", Required: true, Aliases: []string{"enhetstyp", "sort"}},
		{Name: "valid_from", Swedish: "giltig från", Aliases: []string{"giltig fr.o.m.", "från"}},
		{Name: "valid_to", Swedish: "giltig till", Aliases: []string{"giltig t.o.m.", "till"}},
	},
	ImportPeople: {
		{Name: "name", Swedish: "namn", Required: true},
		{Name: "title", Swedish: "titel", Aliases: []string{"befattning"}},
		{Name: "email", Swedish: "e-post", Aliases: []string{"epost", "e-postadress", "mejl", "mail", "e-mail"}},
		{Name: "unit", Swedish: "enhet", Aliases: []string{"arbetsplats"}},
		{Name: "region", Swedish: "region", Aliases: []string{"anställande region"}},
		{Name: "workplace_kind", Swedish: "typ av arbetsplats", Aliases: []string{"arbetsplatstyp"}},
		{Name: "hsa_id", Swedish: "hsa-id", Aliases: []string{"hsaid", "hsa"}},
	},
	ImportMemberships: {
		{Name: "group", Swedish: "grupp", Required: true},
		{Name: "person", Swedish: "person", Required: true},
		{Name: "role", Swedish: "roll", Required: true},
		{Name: "represents_region", Swedish: "företräder region", Aliases: []string{"representerar region"}},
		{Name: "represents_healthcare_region", Swedish: "företräder sjukvårdsregion", Aliases: []string{"representerar sjukvårdsregion"}},
		{Name: "share_percent", Swedish: "andel procent", Aliases: []string{"andel", "andel av heltid", "tidsandel", "share"}},
		{Name: "composition", Swedish: "sammansättning"},
		{Name: "start", Swedish: "start", Aliases: []string{"startdatum", "från", "start date"}},
		{Name: "end", Swedish: "slut", Aliases: []string{"slutdatum", "till", "end date"}},
	},
}

// ValidImportKind reports whether kind is one of ImportKinds.
func ValidImportKind(kind ImportKind) bool { return slices.Contains(ImportKinds, kind) }

// wordKey folds a header or a coded value for comparison: lower case, and
// every run of other characters than letters and digits one "_".
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

// vocabulary maps the coded values of T and the Swedish words for them, as
// folded by wordKey, to the code.
func vocabulary[T ~string](swedish map[T][]string) map[string]T {
	m := map[string]T{}
	for code, words := range swedish {
		m[wordKey(string(code))] = code
		for _, w := range words {
			m[wordKey(w)] = code
		}
	}
	return m
}

// The values accepted for coded columns: the code, or its Swedish name.
var (
	levelWords = vocabulary(map[UnitLevel][]string{
		Division: {"förvaltning"}, Department: {"verksamhet"}, CareUnit: {"vårdenhet", "enhet"},
	})
	kindWords = vocabulary(map[UnitKind][]string{
		UniversityHospital: {"universitetssjukhus"}, CountyHospital: {"länssjukhus", "länssjukvård"},
		PrimaryCare: {"primärvård"}, Psychiatry: {"psykiatri"}, Dental: {"tandvård"}, OtherKind: {"annan", "annat", "övrigt"},
	})
	roleWords = vocabulary(map[Role][]string{
		Chair: {"ordförande"}, ProcessLeader: {"processledare"}, Member: {"ledamot"}, Deputy: {"ersättare"},
		Secretary: {"sekreterare"}, CoOpted: {"adjungerad"}, Coordinator: {"samordnare"},
	})
	compositionWords = vocabulary(map[Composition][]string{
		Core: {"kärna", "kärngrupp", "kärngruppen"}, Extended: {"utökad", "utökad grupp", "utökade gruppen"},
	})
)

// ImportChange is one row an import adds or changes, for the preview.
type ImportChange struct {
	Row     int      `json:"row"`
	New     bool     `json:"new"`
	Label   string   `json:"label"`
	Columns []string `json:"columns,omitempty" doc:"The columns whose values change"`
}

// ImportResult is what an import found in a file and, after a commit, did.
type ImportResult struct {
	Kind ImportKind
	tabular.Counts
	Changes []ImportChange // the new and changed rows, in file order
}

// Import checks table as an import of kind against the domain rules and the
// registry. Without commit it only reports what an import would do. With
// commit, and only if no row has a problem, it writes every row in one
// transaction with an audit record each; otherwise it writes nothing and
// returns the result with an error wrapping the problems (a validation error
// naming each row and column).
func (s *Service) Import(ctx context.Context, kind ImportKind, table *tabular.Table, commit bool) (ImportResult, error) {
	if !ValidImportKind(kind) {
		return ImportResult{}, errs.Invalidf("kind", "validation.choice")
	}
	if !commit {
		p, err := planImport(ctx, s.db, kind, table)
		if err != nil {
			return ImportResult{}, err
		}
		return p.result(), nil
	}
	var res ImportResult
	err := s.db.Tx(ctx, func(tx *db.Tx) error {
		var err error
		res, err = s.importTx(ctx, tx, kind, table)
		return err
	})
	return res, err
}

// importTx plans and, if the plan is clean, writes an import in tx.
func (s *Service) importTx(ctx context.Context, tx *db.Tx, kind ImportKind, table *tabular.Table) (ImportResult, error) {
	p, err := planImport(ctx, tx, kind, table)
	if err != nil {
		return ImportResult{}, err
	}
	res := p.result()
	if !res.OK() {
		return res, fmt.Errorf("import %s: %w", kind, &res.Errors)
	}
	w := &importWriter{tx: tx, audit: s.audit, now: s.now(), by: audit.ActorName(ctx)}
	if err := p.write(ctx, w); err != nil {
		return res, fmt.Errorf("import %s: %w", kind, err)
	}
	res.Committed = true
	return res, nil
}

// importPlan is a checked import, ready to write.
type importPlan interface {
	result() ImportResult
	write(ctx context.Context, w *importWriter) error
}

func planImport(ctx context.Context, q db.Querier, kind ImportKind, table *tabular.Table) (importPlan, error) {
	f := newImportFile(kind, table)
	if !f.res.OK() {
		return headerProblems{f}, nil // rows read under a wrong header would only repeat the problem
	}
	f.checkCells()
	switch kind {
	case ImportUnits:
		return planUnits(ctx, q, f)
	case ImportPeople:
		return planPeople(ctx, q, f)
	default:
		return planMemberships(ctx, q, f)
	}
}

// headerProblems is the plan of a file whose header is wrong: nothing to write.
type headerProblems struct{ f *importFile }

func (p headerProblems) result() ImportResult                       { return p.f.result() }
func (p headerProblems) write(context.Context, *importWriter) error { return nil }

// importFile is a table with its header mapped to a kind's columns, and the
// problems and changes found in it so far.
type importFile struct {
	rows    []tabular.Row
	col     map[string]int    // column name → index in a row
	header  map[string]string // column name → the header as written in the file
	named   []bool            // whether the header's cell i names a column
	bad     map[cell]bool     // the cells with a problem
	badRows map[int]bool      // the rows with a problem
	res     ImportResult
}

// cell is a column of a row.
type cell struct {
	row  int
	name string
}

// newImportFile maps the header of table to the columns of kind. Unknown,
// repeated and missing required columns are problems on the header row, as is
// a file without rows.
func newImportFile(kind ImportKind, table *tabular.Table) *importFile {
	f := &importFile{rows: table.Rows, col: map[string]int{}, header: map[string]string{}, named: make([]bool, len(table.Header)),
		bad: map[cell]bool{}, badRows: map[int]bool{}}
	f.res.Kind, f.res.Rows = kind, len(table.Rows)
	byKey := map[string]string{}
	for _, c := range importColumns[kind] {
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
		// A header cell's problem names the cell as written, not the column it
		// would be (fail maps column names to the file's header).
		case !ok:
			f.bad[cell{table.HeaderRow, h}], f.badRows[table.HeaderRow] = true, true
			f.res.Errors.Add(table.HeaderRow, h, "org.import.unknown_column", "column", h)
		case f.has(name):
			f.bad[cell{table.HeaderRow, h}], f.badRows[table.HeaderRow] = true, true
			f.res.Errors.Add(table.HeaderRow, h, "org.import.repeated_column", "column", h, "first", f.header[name])
		default:
			f.col[name], f.header[name], f.named[i] = i, h, true
		}
	}
	for _, c := range importColumns[kind] {
		if c.Required && !f.has(c.Name) {
			f.fail(table.HeaderRow, c.Name, "org.import.missing_column", "column", c.Name, "swedish", c.Swedish)
		}
	}
	if len(table.Rows) == 0 {
		f.fail(table.HeaderRow, "", "org.import.no_rows")
	}
	return f
}

// checkCells reports each row with a value in a column without a header.
func (f *importFile) checkCells() {
	for _, r := range f.rows {
		for i, v := range r.Cells {
			if v != "" && (i >= len(f.named) || !f.named[i]) {
				f.fail(r.Number, "", "org.import.cell_outside", "position", i+1)
				break
			}
		}
	}
}

// has reports whether the file has column name.
func (f *importFile) has(name string) bool {
	_, ok := f.col[name]
	return ok
}

// get returns the value of column name in r, "" when the file lacks the column.
func (f *importFile) get(r tabular.Row, name string) string {
	i, ok := f.col[name]
	if !ok || i >= len(r.Cells) {
		return ""
	}
	return r.Cells[i]
}

// fail records a problem with column name of row, named as the file names it.
func (f *importFile) fail(row int, name, key string, args ...any) {
	f.bad[cell{row, name}], f.badRows[row] = true, true
	column := name
	if h, ok := f.header[name]; ok {
		column = h
	}
	f.res.Errors.Add(row, column, key, args...)
}

// failValidation records the problems of a domain type's Validate, with its
// field names mapped to the file's columns.
func (f *importFile) failValidation(row int, err error, columns map[string]string) {
	v, ok := errs.AsValidation(err)
	if !ok {
		f.fail(row, "", "error.internal")
		return
	}
	for _, fld := range v.Fields {
		name := fld.Name
		if c, ok := columns[name]; ok {
			name = c
		}
		if !f.failed(row, name) { // an unreadable value is reported once
			f.fail(row, name, fld.Key, fld.Args...)
		}
	}
}

// failed reports whether column name of row already has a problem.
func (f *importFile) failed(row int, name string) bool { return f.bad[cell{row, name}] }

// rowFailed reports whether row has a problem.
func (f *importFile) rowFailed(row int) bool { return f.badRows[row] }

// count records what a row does: nothing (no changed columns and not new), a
// change, or a new record.
func (f *importFile) count(row int, isNew bool, label string, changed []string) {
	switch {
	case isNew:
		f.res.New++
	case len(changed) > 0:
		f.res.Changed++
	default:
		f.res.Unchanged++
		return
	}
	var columns []string
	for _, c := range changed {
		columns = append(columns, cmp.Or(f.header[c], c))
	}
	f.res.Changes = append(f.res.Changes, ImportChange{Row: row, New: isNew, Label: label, Columns: columns})
}

func (f *importFile) result() ImportResult {
	res := f.res
	res.Errors.Sort()
	if !res.OK() {
		res.New, res.Changed, res.Unchanged, res.Changes = 0, 0, 0, nil
	}
	return res
}

// coded reads a coded column through its vocabulary; an empty cell is "".
func coded[T ~string](f *importFile, r tabular.Row, name string, words map[string]T) T {
	v := f.get(r, name)
	if v == "" {
		return ""
	}
	code, ok := words[wordKey(v)]
	if !ok {
		f.fail(r.Number, name, "org.import.unknown_value", "value", v)
	}
	return code
}

// dateCell reads a date column: YYYY-MM-DD, also with a time after it as
// spreadsheets sometimes write.
func dateCell(f *importFile, r tabular.Row, name string) date.Date {
	v := f.get(r, name)
	if len(v) > 10 && (v[10] == ' ' || v[10] == 'T') {
		v = v[:10]
	}
	d, err := date.Parse(v)
	if err != nil {
		f.fail(r.Number, name, "org.import.date", "value", f.get(r, name))
	}
	return d
}

// ParseShare reads a share of full time in percent as people write it:
// "12,5", "12.5", "12,5 %" or "12.5%". Empty is 0.
func ParseShare(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\u00a0", ""), " ", "")
	if s == "" {
		return 0, true
	}
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// codeLookup finds a reference code (region, sjukvårdsregion) by its code or
// its name, whatever the case.
type codeLookup map[string]string

func (l codeLookup) add(code, name string) {
	l[strings.ToLower(code)] = code
	l[strings.ToLower(name)] = code
}

func (f *importFile) code(r tabular.Row, name string, l codeLookup) string {
	v := f.get(r, name)
	if v == "" {
		return ""
	}
	c, ok := l[strings.ToLower(v)]
	if !ok {
		f.fail(r.Number, name, "org.import.unknown_value", "value", v)
	}
	return c
}

// index finds records by a text key folded to lower case; a key held by more
// than one record is ambiguous.
type index[T comparable] map[string][]T

func (ix index[T]) add(key string, v T) {
	k := strings.ToLower(key)
	if key != "" && !slices.Contains(ix[k], v) {
		ix[k] = append(ix[k], v)
	}
}

// find returns the one record with key, and how many there are.
func (ix index[T]) find(key string) (T, int) {
	list := ix[strings.ToLower(key)]
	if len(list) != 1 {
		var zero T
		return zero, len(list)
	}
	return list[0], 1
}

// found reports a reference (value in column name of row) that matched n
// records, none or more than one, and returns whether it matched exactly one.
func (f *importFile) found(row int, name, value string, n int, unknownKey string) bool {
	switch n {
	case 1:
		return true
	case 0:
		f.fail(row, name, unknownKey, "value", value)
	default:
		f.fail(row, name, "org.import.ambiguous", "value", value, "count", n)
	}
	return false
}

// seen remembers which row first used a key that must be unique in a file.
type seen map[string]int

// claim records that row uses key and reports a problem on column name if an
// earlier row used it.
func (s seen) claim(f *importFile, row int, name, key string) bool {
	if key == "" {
		return true
	}
	k := strings.ToLower(key)
	if first, ok := s[k]; ok {
		f.fail(row, name, "org.import.duplicate_in_file", "value", key, "row", first)
		return false
	}
	s[k] = row
	return true
}

// diff names the columns whose values differ between before and after, each
// compared only when the file has the column.
func diff(f *importFile, pairs ...any) []string {
	var out []string
	for i := 0; i+2 < len(pairs); i += 3 {
		name := pairs[i].(string)
		if f.has(name) && pairs[i+1] != pairs[i+2] {
			out = append(out, name)
		}
	}
	return out
}

// Units.

// unitNode is a unit in the registry as it will be after the import: one in
// the database, one in the file, or one in both.
type unitNode struct {
	db     *Unit        // as in the database, nil for a new unit
	u      Unit         // as it will be
	row    int          // the file's row for it, 0 if the file does not name it
	parent *unitNode    // as it will be
	id     int64        // database id, for new units given when written
	out    *importedRow // what the row does, nil for rows with problems
}

type importedRow struct {
	isNew   bool
	changed []string
}

type unitPlan struct {
	f     *importFile
	nodes []*unitNode // the file's rows, in file order
}

func (p *unitPlan) result() ImportResult { return p.f.result() }

func planUnits(ctx context.Context, q db.Querier, f *importFile) (*unitPlan, error) {
	units, err := listUnits(ctx, q)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*unitNode, len(units))
	byHSA := map[string]*unitNode{}
	byName := index[*unitNode]{}
	for i := range units {
		n := &unitNode{db: &units[i], u: units[i], id: units[i].ID}
		byID[n.id] = n
		if n.u.HSAID != "" {
			byHSA[n.u.HSAID] = n
		}
		byName.add(n.u.Name, n)
	}
	for _, n := range byID {
		n.parent = byID[n.u.ParentID]
	}
	// Match every row to its unit: by HSA-id, else by name and parent as
	// written (as an export writes them), then read its values.
	p := &unitPlan{f: f}
	hsaSeen := seen{}
	parentRef := map[*unitNode]string{}
	for _, r := range f.rows {
		hsa := strings.ToUpper(f.get(r, "hsa_id"))
		if !hsaSeen.claim(f, r.Number, "hsa_id", hsa) {
			continue
		}
		n := byHSA[hsa]
		if hsa == "" {
			var ok bool
			if n, ok = matchUnitByName(f, r, byName); !ok {
				continue
			}
		}
		if n != nil && n.row != 0 {
			f.fail(r.Number, "name", "org.import.same_record", "row", n.row)
			continue
		}
		if n == nil {
			n = &unitNode{}
			if hsa != "" {
				byHSA[hsa] = n
			}
		}
		n.row = r.Number
		readUnit(f, r, &n.u)
		byName.add(n.u.Name, n)
		parentRef[n] = f.get(r, "parent")
		p.nodes = append(p.nodes, n)
	}
	// Resolve parents against the registry as it will be. Without the
	// column a new unit has no parent and a known one keeps its own.
	for _, n := range p.nodes {
		if !f.has("parent") {
			break
		}
		ref := parentRef[n]
		n.parent = nil
		if ref == "" {
			continue
		}
		if id := strings.ToUpper(ref); ValidHSAID(id) {
			if n.parent = byHSA[id]; n.parent == nil {
				f.fail(n.row, "parent", "org.import.unknown_unit", "value", ref)
			}
			continue
		}
		if parent, count := byName.find(ref); f.found(n.row, "parent", ref, count, "org.import.unknown_unit") {
			n.parent = parent
		}
	}
	p.check(byID)
	return p, nil
}

// matchUnitByName finds the unit a row without HSA-id stands for: the one
// unit with the row's name whose parent is the row's parent as written (its
// HSA-id or name), or which has no parent when none is written. It returns
// nil for a new unit, and false when more than one unit fits.
func matchUnitByName(f *importFile, r tabular.Row, byName index[*unitNode]) (*unitNode, bool) {
	name, ref := f.get(r, "name"), f.get(r, "parent")
	var fits []*unitNode
	for _, n := range byName[strings.ToLower(name)] {
		if n.db != nil && (!f.has("parent") || unitIs(n.parent, ref)) {
			fits = append(fits, n)
		}
	}
	switch len(fits) {
	case 0:
		return nil, true
	case 1:
		return fits[0], true
	}
	f.fail(r.Number, "name", "org.import.ambiguous", "value", name, "count", len(fits))
	return nil, false
}

// unitIs reports whether n is the unit that ref (HSA-id or name) names; an
// empty ref names no unit.
func unitIs(n *unitNode, ref string) bool {
	if n == nil || n.db == nil {
		return ref == "" && n == nil
	}
	return ref != "" && (strings.EqualFold(n.db.HSAID, ref) || strings.EqualFold(n.db.Name, ref))
}

// readUnit reads a row's values into u, keeping u's values for columns the
// file lacks.
func readUnit(f *importFile, r tabular.Row, u *Unit) {
	if f.has("level") {
		u.Level = coded(f, r, "level", levelWords)
	}
	if f.has("name") {
		u.Name = f.get(r, "name")
	}
	if f.has("hsa_id") {
		u.HSAID = f.get(r, "hsa_id")
	}
	if f.has("kind") {
		u.Kind = coded(f, r, "kind", kindWords)
	}
	if f.has("valid_from") {
		u.ValidFrom = dateCell(f, r, "valid_from")
	}
	if f.has("valid_to") {
		u.ValidTo = dateCell(f, r, "valid_to")
	}
	u.Normalize()
}

var unitFieldColumns = map[string]string{"parent_id": "parent"}

// check applies the tree's rules to the registry as it will be, and counts
// what each row does.
//
// The level rules leave no room for a cycle: a parent is a division or a
// department, a department's parent is a division, and a division has none.
func (p *unitPlan) check(byID map[int64]*unitNode) {
	f := p.f
	for _, n := range p.nodes {
		u := n.u
		u.ParentID = 0
		if n.parent != nil {
			u.ParentID = -1 // stands for any parent in Validate
		}
		if err := u.Validate(); err != nil {
			f.failValidation(n.row, err, unitFieldColumns)
		} else if n.parent != nil && !holds(n.parent.u.Level, u.Level) {
			f.fail(n.row, "parent", "org.unit.parent_level")
		}
	}
	// A unit the file leaves alone must still fit under its changed parent.
	for _, c := range byID {
		if c.row == 0 && c.parent != nil && c.parent.row != 0 && !f.rowFailed(c.parent.row) && !holds(c.parent.u.Level, c.u.Level) {
			f.fail(c.parent.row, "level", "org.unit.level_has_children")
		}
	}
	for _, n := range p.nodes {
		if f.rowFailed(n.row) {
			continue
		}
		n.out = &importedRow{isNew: n.db == nil}
		if n.db != nil {
			parentChanged := n.parent == nil && n.db.ParentID != 0 || n.parent != nil && n.parent.id != n.db.ParentID
			n.out.changed = diff(f, "level", n.db.Level, n.u.Level, "name", n.db.Name, n.u.Name, "hsa_id", n.db.HSAID, n.u.HSAID,
				"kind", n.db.Kind, n.u.Kind, "valid_from", n.db.ValidFrom.String(), n.u.ValidFrom.String(), "valid_to", n.db.ValidTo.String(), n.u.ValidTo.String(),
				"parent", false, parentChanged)
		}
		f.count(n.row, n.out.isNew, n.u.Name, n.out.changed)
	}
}

// holds reports whether a unit at level parent may have one at level child
// directly below it.
func holds(parent, child UnitLevel) bool {
	return parent == Division || parent == Department && child == CareUnit
}

// depth is how many units lie above n.
func (n *unitNode) depth() int {
	d := 0
	for q := n.parent; q != nil; q = q.parent {
		d++
	}
	return d
}

func (p *unitPlan) write(ctx context.Context, w *importWriter) error {
	var created []*unitNode
	for _, n := range p.nodes {
		if n.out.isNew {
			created = append(created, n)
		}
	}
	// Parents first, so every parent id exists when its children are inserted.
	slices.SortStableFunc(created, func(a, b *unitNode) int { return a.depth() - b.depth() })
	ids, err := reserveIDs(ctx, w.tx, "units", len(created))
	if err != nil {
		return err
	}
	for i, n := range created {
		n.id = ids[i]
	}
	rows := make([][]any, 0, len(created))
	for _, n := range created {
		n.u.ID, n.u.ParentID, n.u.CreatedAt, n.u.UpdatedAt, n.u.Version = n.id, n.parentID(), w.now, w.now, 1
		rows = append(rows, []any{n.u.ID, db.NullID(n.u.ParentID), n.u.Level, n.u.Name, db.NullString(n.u.HSAID), n.u.Kind, n.u.ValidFrom, n.u.ValidTo, w.now, w.now})
		w.changes = append(w.changes, audit.Change{Entity: entityUnit, EntityID: n.u.ID, Action: audit.Create, After: n.u})
	}
	if err := insertRows(ctx, w.tx, `INSERT INTO units (id, parent_id, level, name, hsa_id, kind, valid_from, valid_to, created_at, updated_at)`, rows); err != nil {
		return duplicateHSA(err)
	}
	for _, n := range p.nodes {
		if n.out.isNew || len(n.out.changed) == 0 {
			continue
		}
		u := n.u
		u.ParentID = n.parentID()
		if err := updateUnit(ctx, w.tx, u, w.now); err != nil {
			return duplicateHSA(err)
		}
		if u.Name != n.db.Name || u.ParentID != n.db.ParentID || u.Level != n.db.Level {
			if err := insertUnitHistory(ctx, w.tx, *n.db, w.by, w.now); err != nil {
				return fmt.Errorf("unit history: %w", err)
			}
		}
		u.UpdatedAt, u.Version = w.now, u.Version+1
		w.changes = append(w.changes, audit.Change{Entity: entityUnit, EntityID: u.ID, Action: audit.Update, Before: *n.db, After: u})
	}
	return w.flush(ctx)
}

func (n *unitNode) parentID() int64 {
	if n.parent == nil {
		return 0
	}
	return n.parent.id
}

// People.

type personRowPlan struct {
	row    int
	before *Person
	p      Person
	out    *importedRow
}

type personPlan struct {
	f    *importFile
	rows []*personRowPlan
}

func (p *personPlan) result() ImportResult { return p.f.result() }

func planPeople(ctx context.Context, q db.Querier, f *importFile) (*personPlan, error) {
	people, err := listPeople(ctx, q, PersonFilter{})
	if err != nil {
		return nil, err
	}
	units, err := listUnits(ctx, q)
	if err != nil {
		return nil, err
	}
	regions, err := regionLookup(ctx, q)
	if err != nil {
		return nil, err
	}
	byHSA, byEmail, byName := map[string]*Person{}, index[*Person]{}, index[*Person]{}
	for i := range people {
		p := &people[i]
		if p.HSAID != "" {
			byHSA[p.HSAID] = p
		}
		byEmail.add(p.Email, p)
		byName.add(p.Name, p)
	}
	unitByHSA, unitByName := map[string]int64{}, index[int64]{}
	for _, u := range units {
		if u.HSAID != "" {
			unitByHSA[u.HSAID] = u.ID
		}
		unitByName.add(u.Name, u.ID)
	}
	plan := &personPlan{f: f}
	hsaSeen, emailSeen, matched := seen{}, seen{}, map[int64]int{}
	for _, r := range f.rows {
		hsa, email := strings.ToUpper(f.get(r, "hsa_id")), f.get(r, "email")
		if !hsaSeen.claim(f, r.Number, "hsa_id", hsa) || !emailSeen.claim(f, r.Number, "email", email) {
			continue
		}
		before := matchPerson(f, r, hsa, email, byHSA, byEmail, byName)
		pr := &personRowPlan{row: r.Number, before: before}
		if before != nil {
			if first, ok := matched[before.ID]; ok {
				f.fail(r.Number, "name", "org.import.same_record", "row", first)
				continue
			}
			matched[before.ID] = r.Number
			pr.p = *before
		}
		readPerson(f, r, &pr.p, unitByHSA, unitByName, regions)
		if err := pr.p.Validate(); err != nil {
			f.failValidation(r.Number, err, nil)
		}
		if f.rowFailed(r.Number) {
			continue
		}
		pr.out = &importedRow{isNew: before == nil}
		if before != nil {
			b, a := *before, pr.p
			pr.out.changed = diff(f, "name", b.Name, a.Name, "title", b.Title, a.Title, "email", b.Email, a.Email,
				"unit", b.UnitID, a.UnitID, "region", b.Region, a.Region, "workplace_kind", b.WorkplaceKind, a.WorkplaceKind,
				"hsa_id", b.HSAID, a.HSAID)
		}
		f.count(r.Number, pr.out.isNew, pr.p.Name, pr.out.changed)
		plan.rows = append(plan.rows, pr)
	}
	return plan, nil
}

// matchPerson finds the person a row stands for: by HSA-id, else by e-mail,
// else, for a row with neither, by name when exactly one person has it. An
// HSA-id held by one person beside the e-mail address of another is a problem.
func matchPerson(f *importFile, r tabular.Row, hsa, email string, byHSA map[string]*Person, byEmail, byName index[*Person]) *Person {
	if p := byHSA[hsa]; p != nil {
		if other, n := byEmail.find(email); n == 1 && other != p {
			f.fail(r.Number, "hsa_id", "org.import.hsa_id_other_person", "name", p.Name, "email", email)
		}
		return p
	}
	if email != "" {
		p, n := byEmail.find(email)
		if n > 1 {
			f.fail(r.Number, "email", "org.import.ambiguous", "value", email, "count", n)
		}
		return p
	}
	if hsa == "" {
		p, n := byName.find(f.get(r, "name"))
		if n > 1 {
			f.fail(r.Number, "name", "org.import.ambiguous_person", "value", f.get(r, "name"), "count", n)
		}
		return p
	}
	return nil
}

func readPerson(f *importFile, r tabular.Row, p *Person, unitByHSA map[string]int64, unitByName index[int64], regions codeLookup) {
	if f.has("name") {
		p.Name = f.get(r, "name")
	}
	if f.has("title") {
		p.Title = f.get(r, "title")
	}
	if f.has("email") {
		p.Email = f.get(r, "email")
	}
	if f.has("hsa_id") {
		p.HSAID = f.get(r, "hsa_id")
	}
	if f.has("region") {
		p.Region = f.code(r, "region", regions)
	}
	if f.has("workplace_kind") {
		p.WorkplaceKind = coded(f, r, "workplace_kind", kindWords)
	}
	if f.has("unit") {
		p.UnitID = 0
		if ref := f.get(r, "unit"); ref != "" {
			if id, ok := unitByHSA[strings.ToUpper(ref)]; ok {
				p.UnitID = id
			} else if id, n := unitByName.find(ref); f.found(r.Number, "unit", ref, n, "org.import.unknown_unit") {
				p.UnitID = id
			}
		}
	}
	p.Normalize()
}

func (p *personPlan) write(ctx context.Context, w *importWriter) error {
	var created []*personRowPlan
	for _, pr := range p.rows {
		if pr.out.isNew {
			created = append(created, pr)
		}
	}
	ids, err := reserveIDs(ctx, w.tx, "people", len(created))
	if err != nil {
		return err
	}
	rows := make([][]any, 0, len(created))
	for i, pr := range created {
		a := pr.p
		a.ID, a.CreatedAt, a.UpdatedAt, a.Version = ids[i], w.now, w.now, 1
		rows = append(rows, []any{a.ID, a.Name, a.Title, a.Email, db.NullID(a.UnitID), db.NullString(a.Region), string(a.WorkplaceKind), db.NullString(a.HSAID), w.now, w.now})
		w.changes = append(w.changes, audit.Change{Entity: entityPerson, EntityID: a.ID, Action: audit.Create, After: a})
	}
	if err := insertRows(ctx, w.tx, `INSERT INTO people (id, name, title, email, unit_id, region, workplace_kind, hsa_id, created_at, updated_at)`, rows); err != nil {
		return personWriteErr(err)
	}
	for _, pr := range p.rows {
		if pr.out.isNew || len(pr.out.changed) == 0 {
			continue
		}
		if err := updatePerson(ctx, w.tx, pr.p, w.now); err != nil {
			return personWriteErr(err)
		}
		a := pr.p
		a.UpdatedAt, a.Version = w.now, a.Version+1
		w.changes = append(w.changes, audit.Change{Entity: entityPerson, EntityID: a.ID, Action: audit.Update, Before: *pr.before, After: a})
	}
	return w.flush(ctx)
}

// regionLookup finds regions by code or name.
func regionLookup(ctx context.Context, q db.Querier) (codeLookup, error) {
	regions, err := listRegions(ctx, q)
	if err != nil {
		return nil, err
	}
	l := codeLookup{}
	for _, r := range regions {
		l.add(r.Code, r.Name)
	}
	return l, nil
}

// Memberships.

// membershipKey is what identifies a membership in a file: who, where, in
// which role, from when.
type membershipKey struct {
	group, person int64
	role          Role
	start         string // YYYY-MM-DD
}

type membershipRowPlan struct {
	row    int
	before *Membership
	m      Membership
	out    *importedRow
}

type membershipPlan struct {
	f    *importFile
	rows []*membershipRowPlan
}

func (p *membershipPlan) result() ImportResult { return p.f.result() }

// memberRefs finds the groups and people a membership file names.
type memberRefs struct {
	byHSA                map[string]*Person
	byEmail, byName      index[*Person]
	groupCode, groupName index[*Group]
}

func planMemberships(ctx context.Context, q db.Querier, f *importFile) (*membershipPlan, error) {
	people, err := listPeople(ctx, q, PersonFilter{})
	if err != nil {
		return nil, err
	}
	groups, err := listGroups(ctx, q, GroupFilter{})
	if err != nil {
		return nil, err
	}
	regions, err := regionLookup(ctx, q)
	if err != nil {
		return nil, err
	}
	hregions, err := listHealthcareRegions(ctx, q)
	if err != nil {
		return nil, err
	}
	existing, err := listMemberships(ctx, q, MembershipFilter{})
	if err != nil {
		return nil, err
	}
	refs := memberRefs{byHSA: map[string]*Person{}, byEmail: index[*Person]{}, byName: index[*Person]{}, groupCode: index[*Group]{}, groupName: index[*Group]{}}
	for i := range people {
		p := &people[i]
		if p.HSAID != "" {
			refs.byHSA[p.HSAID] = p
		}
		refs.byEmail.add(p.Email, p)
		refs.byName.add(p.Name, p)
	}
	for i := range groups {
		g := &groups[i]
		refs.groupCode.add(g.Code, g)
		refs.groupName.add(g.Name, g)
		if g.NameEn != "" && !strings.EqualFold(g.NameEn, g.Name) {
			refs.groupName.add(g.NameEn, g)
		}
	}
	hrLookup := codeLookup{}
	for _, h := range hregions {
		hrLookup.add(h.Code, h.Name)
	}
	byKey := make(map[membershipKey]*Membership, len(existing))
	for i := range existing {
		m := &existing[i]
		byKey[membershipKey{m.GroupID, m.PersonID, m.Role, m.Start.String()}] = m
	}
	plan := &membershipPlan{f: f}
	keySeen := map[membershipKey]int{}
	for _, r := range f.rows {
		var m Membership
		m.GroupID = refs.group(f, r)
		m.PersonID = refs.person(f, r)
		m.Role = coded(f, r, "role", roleWords)
		m.Start = dateCell(f, r, "start")
		if f.rowFailed(r.Number) {
			continue // without its key the row cannot be matched or checked further
		}
		key := membershipKey{m.GroupID, m.PersonID, m.Role, m.Start.String()}
		if first, ok := keySeen[key]; ok {
			f.fail(r.Number, "", "org.import.duplicate_membership", "row", first)
			continue
		}
		keySeen[key] = r.Number
		mr := &membershipRowPlan{row: r.Number, before: byKey[key]}
		if mr.before != nil {
			m = *mr.before
		}
		readMembership(f, r, &m, regions, hrLookup)
		mr.m = m
		if err := m.Validate(); err != nil {
			f.failValidation(r.Number, err, membershipFieldColumns)
		}
		if f.rowFailed(r.Number) {
			continue
		}
		mr.out = &importedRow{isNew: mr.before == nil}
		if b := mr.before; b != nil {
			mr.out.changed = diff(f, "represents_region", b.RepresentsRegion, m.RepresentsRegion,
				"represents_healthcare_region", b.RepresentsHealthcareRegion, m.RepresentsHealthcareRegion,
				"share_percent", b.shareBP(), m.shareBP(), "composition", b.Composition, m.Composition, "end", b.End.String(), m.End.String())
		}
		f.count(r.Number, mr.out.isNew, f.get(r, "person")+" – "+f.get(r, "group"), mr.out.changed)
		plan.rows = append(plan.rows, mr)
	}
	return plan, nil
}

var membershipFieldColumns = map[string]string{"group_id": "group", "person_id": "person"}

// group finds the group a row names by its code or its full name.
func (refs memberRefs) group(f *importFile, r tabular.Row) int64 {
	ref := f.get(r, "group")
	if ref == "" {
		f.fail(r.Number, "group", "validation.required")
		return 0
	}
	if g, n := refs.groupCode.find(ref); n == 1 {
		return g.ID
	}
	g, n := refs.groupName.find(ref)
	if !f.found(r.Number, "group", ref, n, "org.import.unknown_group") {
		return 0
	}
	return g.ID
}

// person finds the person a row names by HSA-id, e-mail or full name.
func (refs memberRefs) person(f *importFile, r tabular.Row) int64 {
	ref := f.get(r, "person")
	var p *Person
	var n int
	switch {
	case ref == "":
		f.fail(r.Number, "person", "validation.required")
		return 0
	case ValidHSAID(strings.ToUpper(ref)):
		if p = refs.byHSA[strings.ToUpper(ref)]; p != nil {
			n = 1
		}
	case strings.Contains(ref, "@"):
		p, n = refs.byEmail.find(ref)
	default:
		p, n = refs.byName.find(ref)
	}
	if !f.found(r.Number, "person", ref, n, "org.import.unknown_person") {
		return 0
	}
	return p.ID
}

// readMembership reads the row's values besides its key into m, keeping m's
// values for columns the file lacks.
func readMembership(f *importFile, r tabular.Row, m *Membership, regions, hregions codeLookup) {
	if f.has("represents_region") {
		m.RepresentsRegion = f.code(r, "represents_region", regions)
	}
	if f.has("represents_healthcare_region") {
		m.RepresentsHealthcareRegion = f.code(r, "represents_healthcare_region", hregions)
	}
	if f.has("share_percent") {
		v, ok := ParseShare(f.get(r, "share_percent"))
		if !ok {
			f.fail(r.Number, "share_percent", "org.import.share", "value", f.get(r, "share_percent"))
		}
		m.SharePercent = v
	}
	if f.has("composition") {
		m.Composition = coded(f, r, "composition", compositionWords)
	}
	if f.has("end") {
		m.End = dateCell(f, r, "end")
	}
}

func (p *membershipPlan) write(ctx context.Context, w *importWriter) error {
	var created []*membershipRowPlan
	for _, mr := range p.rows {
		if mr.out.isNew {
			created = append(created, mr)
		}
	}
	ids, err := reserveIDs(ctx, w.tx, "memberships", len(created))
	if err != nil {
		return err
	}
	rows := make([][]any, 0, len(created))
	for i, mr := range created {
		m := mr.m
		m.ID, m.CreatedAt, m.UpdatedAt, m.Version = ids[i], w.now, w.now, 1
		m.SharePercent = float64(m.shareBP()) / 100
		rows = append(rows, []any{m.ID, m.GroupID, m.PersonID, m.Role, db.NullString(m.RepresentsRegion), db.NullString(m.RepresentsHealthcareRegion),
			m.shareBP(), string(m.Composition), m.Start, m.End, w.now, w.now})
		w.changes = append(w.changes, audit.Change{Entity: entityMembership, EntityID: m.ID, Action: audit.Create, After: m})
	}
	if err := insertRows(ctx, w.tx, `INSERT INTO memberships (id, group_id, person_id, role, represents_region, represents_healthcare_region, share_bp, composition, start_date, end_date, created_at, updated_at)`, rows); err != nil {
		return err
	}
	for _, mr := range p.rows {
		if mr.out.isNew || len(mr.out.changed) == 0 {
			continue
		}
		if err := updateMembership(ctx, w.tx, mr.m, w.now); err != nil {
			return err
		}
		m := mr.m
		m.SharePercent = float64(m.shareBP()) / 100
		m.UpdatedAt, m.Version = w.now, m.Version+1
		w.changes = append(w.changes, audit.Change{Entity: entityMembership, EntityID: m.ID, Action: audit.Update, Before: *mr.before, After: m})
	}
	return w.flush(ctx)
}

// Writing.

// importWriter writes an import in one transaction and gathers its audit
// records, written after the rows.
type importWriter struct {
	tx      *db.Tx
	audit   *audit.Log
	now     time.Time
	by      string
	changes []audit.Change
}

func (w *importWriter) flush(ctx context.Context) error {
	for _, c := range w.changes {
		if err := w.audit.Record(ctx, w.tx, c); err != nil {
			return err
		}
	}
	w.changes = nil
	return nil
}

// reserveIDs takes n new ids for rows of table in tx, so rows can be inserted
// many to a statement and still be known by id. PostgreSQL takes them from
// the table's sequence; SQLite, whose writer holds the database from the
// start of the transaction, counts on from the highest id.
func reserveIDs(ctx context.Context, tx *db.Tx, table string, n int) ([]int64, error) {
	if n == 0 {
		return nil, nil
	}
	if tx.Dialect() == db.Postgres {
		ids, err := db.All(ctx, tx, func(s db.Scanner) (int64, error) {
			var id int64
			return id, s.Scan(&id)
		}, `SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)`, table, n)
		if err != nil {
			return nil, fmt.Errorf("reserve %d ids in %s: %w", n, table, err)
		}
		return ids, nil
	}
	var top int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(&top); err != nil {
		return nil, fmt.Errorf("reserve %d ids in %s: %w", n, table, db.MapError(err))
	}
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = top + int64(i) + 1
	}
	return ids, nil
}

// insertBatch is how many rows one INSERT carries: well under both engines'
// limits on parameters per statement.
const insertBatch = 250

// insertRows inserts rows with head ("INSERT INTO t (a, b)"), many rows to a
// statement.
func insertRows(ctx context.Context, q db.Querier, head string, rows [][]any) error {
	for len(rows) > 0 {
		batch := rows[:min(len(rows), insertBatch)]
		rows = rows[len(batch):]
		one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(batch[0])), ", ") + ")"
		var b strings.Builder
		b.WriteString(head)
		b.WriteString(" VALUES ")
		args := make([]any, 0, len(batch)*len(batch[0]))
		for i, r := range batch {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(one)
			args = append(args, r...)
		}
		if _, err := q.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("insert %d rows: %w", len(batch), err)
		}
	}
	return nil
}

// Export.

// ExportOptions choose how an export is written.
type ExportOptions struct {
	Swedish bool // Swedish headers; English otherwise (both import)
	Empty   bool // the header only: a template to fill in
}

// Export returns every record of kind as a table with the columns of an
// import, so that importing it again changes nothing. References are written
// as the import reads them: a unit's parent and a person's unit by HSA-id when
// they have one, else by name; a membership's group by code, else name, and
// its person by HSA-id, else e-mail, else name.
func (s *Service) Export(ctx context.Context, kind ImportKind, opt ExportOptions) (doc.Table, error) {
	if !ValidImportKind(kind) {
		return doc.Table{}, errs.Invalidf("kind", "validation.choice")
	}
	t := doc.Table{Title: exportSheet(kind, opt.Swedish)}
	for _, c := range importColumns[kind] {
		h := c.Name
		if opt.Swedish {
			h = c.Swedish
		}
		t.Columns = append(t.Columns, doc.Column{Header: h})
	}
	if opt.Empty {
		return t, nil
	}
	var err error
	switch kind {
	case ImportUnits:
		t.Rows, err = exportUnits(ctx, s.db)
	case ImportPeople:
		t.Rows, err = exportPeople(ctx, s.db)
	default:
		t.Rows, err = exportMemberships(ctx, s.db)
	}
	return t, err
}

func exportSheet(kind ImportKind, swedish bool) string {
	names := map[ImportKind][2]string{ImportUnits: {"Units", "Enheter"}, ImportPeople: {"People", "Personer"}, ImportMemberships: {"Memberships", "Medlemskap"}}
	if swedish {
		return names[kind][1]
	}
	return names[kind][0]
}

// ExportFilename is the file name of an export of kind.
func ExportFilename(kind ImportKind, format tabular.Format, swedish bool) string {
	return "kunskapsnav-" + strings.ToLower(exportSheet(kind, swedish)) + "." + string(format)
}

// unitRefs names each unit as a reference in a file: its HSA-id, else its name.
func unitRefs(units []Unit) map[int64]string {
	refs := make(map[int64]string, len(units))
	for _, u := range units {
		refs[u.ID] = cmp.Or(u.HSAID, u.Name)
	}
	return refs
}

func exportUnits(ctx context.Context, q db.Querier) ([][]doc.Cell, error) {
	units, err := listUnits(ctx, q)
	if err != nil {
		return nil, err
	}
	refs := unitRefs(units)
	var rows [][]doc.Cell
	for _, n := range flattenTree(buildTree(units, "")) {
		u := n.Unit
		rows = append(rows, []doc.Cell{doc.Text(string(u.Level)), doc.Text(u.Name), doc.Text(refs[u.ParentID]), doc.Text(u.HSAID),
			doc.Text(string(u.Kind)), doc.Date(u.ValidFrom), doc.Date(u.ValidTo)})
	}
	return rows, nil
}

func exportPeople(ctx context.Context, q db.Querier) ([][]doc.Cell, error) {
	units, err := listUnits(ctx, q)
	if err != nil {
		return nil, err
	}
	people, err := listPeople(ctx, q, PersonFilter{})
	if err != nil {
		return nil, err
	}
	refs := unitRefs(units)
	rows := make([][]doc.Cell, len(people))
	for i, p := range people {
		rows[i] = []doc.Cell{doc.Text(p.Name), doc.Text(p.Title), doc.Text(p.Email), doc.Text(refs[p.UnitID]), doc.Text(p.Region),
			doc.Text(string(p.WorkplaceKind)), doc.Text(p.HSAID)}
	}
	return rows, nil
}

func exportMemberships(ctx context.Context, q db.Querier) ([][]doc.Cell, error) {
	people, err := listPeople(ctx, q, PersonFilter{})
	if err != nil {
		return nil, err
	}
	groups, err := listGroups(ctx, q, GroupFilter{})
	if err != nil {
		return nil, err
	}
	ms, err := listMemberships(ctx, q, MembershipFilter{})
	if err != nil {
		return nil, err
	}
	personRef, personName := make(map[int64]string, len(people)), make(map[int64]string, len(people))
	for _, p := range people {
		personRef[p.ID], personName[p.ID] = cmp.Or(p.HSAID, p.Email, p.Name), p.Name
	}
	groupRef, groupName := make(map[int64]string, len(groups)), make(map[int64]string, len(groups))
	for _, g := range groups {
		groupRef[g.ID], groupName[g.ID] = cmp.Or(g.Code, g.Name), g.Name
	}
	slices.SortStableFunc(ms, func(a, b Membership) int {
		return cmp.Or(strings.Compare(groupName[a.GroupID], groupName[b.GroupID]), strings.Compare(personName[a.PersonID], personName[b.PersonID]),
			strings.Compare(a.Start.String(), b.Start.String()))
	})
	rows := make([][]doc.Cell, len(ms))
	for i, m := range ms {
		rows[i] = []doc.Cell{doc.Text(groupRef[m.GroupID]), doc.Text(personRef[m.PersonID]), doc.Text(string(m.Role)),
			doc.Text(m.RepresentsRegion), doc.Text(m.RepresentsHealthcareRegion), doc.Percent(m.SharePercent/100, 2),
			doc.Text(string(m.Composition)), doc.Date(m.Start), doc.Date(m.End)}
	}
	return rows, nil
}

// flattenTree lists the tree's units parents first, as an import needs them.
func flattenTree(nodes []*TreeNode) []*TreeNode {
	var out []*TreeNode
	for _, n := range nodes {
		out = append(out, n)
		out = append(out, flattenTree(n.Children)...)
	}
	return out
}

// Uploads.

// Upload is an uploaded import file, kept until the person who previewed it
// confirms the import (or for a day).
type Upload struct {
	ID        int64
	Kind      ImportKind
	Filename  string
	Hash      string // SHA-256 of the content, hex
	Size      int64
	Content   []byte
	CreatedBy int64
	CreatedAt time.Time
}

// uploadKind is how the imports table names this package's kinds; other
// features keep their files there too.
func uploadKind(kind ImportKind) string { return "org." + string(kind) }

// uploadKeep is how long an unconfirmed upload is kept.
const uploadKeep = 24 * time.Hour

// SaveUpload keeps an uploaded file for the signed-in person to confirm, and
// clears uploads nobody confirmed within a day.
func (s *Service) SaveUpload(ctx context.Context, kind ImportKind, filename string, content []byte) (Upload, error) {
	sum := sha256.Sum256(content)
	up := Upload{Kind: kind, Filename: filename, Hash: hex.EncodeToString(sum[:]), Size: int64(len(content)), Content: content,
		CreatedBy: access.From(ctx).UserID, CreatedAt: s.now()}
	err := s.db.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM imports WHERE created_at < ?`, up.CreatedAt.Add(-uploadKeep)); err != nil {
			return fmt.Errorf("clear old uploads: %w", err)
		}
		var err error
		up.ID, err = db.Insert(ctx, tx, `INSERT INTO imports (kind, filename, file_hash, size, content, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, uploadKind(kind), filename, up.Hash, up.Size, content, db.NullID(up.CreatedBy), up.CreatedAt)
		return err
	})
	if err != nil {
		return Upload{}, fmt.Errorf("save upload: %w", err)
	}
	return up, nil
}

// findUpload returns upload id if the person in ctx made it, else ErrNotFound.
func (s *Service) findUpload(ctx context.Context, id int64) (Upload, error) {
	up, err := db.One(ctx, s.db, func(sc db.Scanner) (Upload, error) {
		var u Upload
		var kind string
		err := sc.Scan(&u.ID, &kind, &u.Filename, &u.Hash, &u.Size, &u.Content, &u.CreatedAt)
		u.Kind, u.CreatedAt = ImportKind(strings.TrimPrefix(kind, "org.")), u.CreatedAt.UTC()
		return u, err
	}, `SELECT id, kind, filename, file_hash, size, content, created_at FROM imports
		WHERE id = ? AND kind LIKE 'org.%' AND created_by IS NOT DISTINCT FROM ? AND created_at >= ?`,
		id, db.NullID(access.From(ctx).UserID), s.now().Add(-uploadKeep))
	if err != nil {
		return Upload{}, fmt.Errorf("find upload %d: %w", id, err)
	}
	up.CreatedBy = access.From(ctx).UserID
	if sum := sha256.Sum256(up.Content); hex.EncodeToString(sum[:]) != up.Hash {
		return Upload{}, fmt.Errorf("upload %d: content does not match its hash", id)
	}
	return up, nil
}

// CommitUpload imports an upload the signed-in person made and previewed,
// checking it again against the registry as it is now, and removes the
// upload, in one transaction. A file that no longer passes is not imported
// and the upload is kept, as Import does.
func (s *Service) CommitUpload(ctx context.Context, id int64) (ImportResult, error) {
	up, err := s.findUpload(ctx, id)
	if err != nil {
		return ImportResult{}, err
	}
	table, err := tabular.Parse(up.Content, tabular.DefaultLimits)
	if err != nil {
		return ImportResult{}, err
	}
	var res ImportResult
	err = s.db.Tx(ctx, func(tx *db.Tx) error {
		var err error
		if res, err = s.importTx(ctx, tx, up.Kind, table); err != nil {
			return err
		}
		gone, err := tx.ExecContext(ctx, `DELETE FROM imports WHERE id = ?`, id)
		if err != nil {
			return err
		}
		return db.Affected(gone) // none: a second confirmation got here first
	})
	return res, err
}
