package org_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/tabular"
)

// table parses a CSV or XLSX file as an upload would be.
func table(t *testing.T, file []byte) *tabular.Table {
	t.Helper()
	tab, err := tabular.Parse(file, tabular.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// csvFile is a CSV file with a BOM and CRLF line ends, as Excel writes it.
func csvFile(lines ...string) []byte {
	return []byte("\uFEFF" + strings.Join(lines, "\r\n") + "\r\n")
}

// xlsxFile is a workbook with one sheet holding header and rows as text.
func xlsxFile(t *testing.T, header []string, rows ...[]string) []byte {
	t.Helper()
	tab := doc.Table{Title: "Blad1"}
	for _, h := range header {
		tab.Columns = append(tab.Columns, doc.Column{Header: h})
	}
	for _, r := range rows {
		var cells []doc.Cell
		for _, c := range r {
			cells = append(cells, doc.Text(c))
		}
		tab.Rows = append(tab.Rows, cells)
	}
	var buf bytes.Buffer
	if err := doc.WriteXLSX(&buf, tab); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// counts is what an import did, compactly.
type counts struct{ New, Changed, Unchanged int }

func countsOf(r org.ImportResult) counts { return counts{r.New, r.Changed, r.Unchanged} }

// importOK imports file as kind and fails the test on any problem.
func importOK(t *testing.T, s *org.Service, kind org.ImportKind, file []byte, want counts) {
	t.Helper()
	res, err := s.Import(ctx(), kind, table(t, file), true)
	if err != nil {
		t.Fatalf("import %s: %v", kind, err)
	}
	if !res.Committed || countsOf(res) != want {
		t.Fatalf("import %s: committed %v, %+v; want %+v", kind, res.Committed, countsOf(res), want)
	}
}

var (
	unitsCSV = csvFile(
		"nivå;namn;överordnad;hsa-id;typ;giltig från;giltig till",
		"vårdenhet;Avd 7;SE2321000207-1001;;länssjukhus;;",        // the parent comes later in the file
		"förvaltning;Hälso- och sjukvårdsförvaltningen;;;annan;;", // a division, no parent
		"department;Medicinkliniken;Hälso- och sjukvårdsförvaltningen;se2321000207-1001;county_hospital;2024-01-01;",
		"unit;Hälsocentralen Krokom;Hälso- och sjukvårdsförvaltningen;SE2321000207-2001;primärvård;2020-01-01;2030-12-31",
	)
	peopleHeader = []string{"Name", "Title", "E-mail", "Unit", "Region", "Workplace kind", "HSA-id"}
	peopleRows   = [][]string{
		{"Anna Andersson", "Överläkare", "anna@example.se", "SE2321000207-1001", "", "", "SE2321000207-9001"},
		{"Bo Berg", "Distriktsläkare", "bo@example.se", "Hälsocentralen Krokom", "jamtland-harjedalen", "", ""},
		{"Cilla Ceder", "Sjuksköterska", "", "Avd 7", "Region Västerbotten", "psykiatri", ""},
	}
	membershipsCSV = csvFile(
		"group,person,role,represents_region,represents_healthcare_region,share_percent,composition,start,end",
		`akut-vard,SE2321000207-9001,ordförande,jamtland-harjedalen,Norra,"12,5 %",,2025-01-01,`,
		"akut-vard,bo@example.se,ledamot,,,10,,2025-01-01,2026-12-31",
		`Akut vård,Cilla Ceder,Ersättare,,,"7,25",kärngrupp,2025-03-01,`,
	)
)

// seedRegistry imports a small registry through every kind and format.
func seedRegistry(t *testing.T, s *org.Service) {
	t.Helper()
	importOK(t, s, org.ImportUnits, unitsCSV, counts{New: 4})
	importOK(t, s, org.ImportPeople, xlsxFile(t, peopleHeader, peopleRows...), counts{New: 3})
	importOK(t, s, org.ImportMemberships, membershipsCSV, counts{New: 3})
}

func TestImport_ValidFilesImportAndExportRoundTrips(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		c := ctx()
		seedRegistry(t, s)

		tree := must(s.Tree(c, ""))(t)
		if len(tree) != 1 || len(tree[0].Children) != 2 {
			t.Fatalf("tree: %+v", tree)
		}
		people := must(s.People(c, org.PersonFilter{}))(t)
		byName := map[string]org.Person{}
		for _, p := range people {
			byName[p.Name] = p
		}
		anna, cilla := byName["Anna Andersson"], byName["Cilla Ceder"]
		if unit := must(s.Unit(c, anna.UnitID))(t); unit.Name != "Medicinkliniken" || unit.HSAID != "SE2321000207-1001" {
			t.Errorf("Anna's unit: %+v", unit)
		}
		if cilla.Region != "vasterbotten" || cilla.WorkplaceKind != org.Psychiatry {
			t.Errorf("Cilla: %+v", cilla)
		}
		pv := must(s.PersonView(c, anna.ID))(t)
		if len(pv.Current) != 1 || pv.Current[0].Membership.SharePercent != 12.5 || pv.Current[0].Membership.RepresentsHealthcareRegion != "norra" {
			t.Errorf("Anna's memberships: %+v", pv.Current)
		}
		cv := must(s.PersonView(c, cilla.ID))(t)
		if len(cv.Current) != 1 || cv.Current[0].Membership.SharePercent != 7.25 || cv.Current[0].Membership.Composition != org.Core || cv.Current[0].Membership.Role != org.Deputy {
			t.Errorf("Cilla's memberships: %+v", cv.Current)
		}
		var audited int
		if err := d.QueryRowContext(c, `SELECT COUNT(*) FROM audit_log WHERE entity IN ('unit', 'person', 'membership') AND action = 'create'`).Scan(&audited); err != nil || audited != 10 {
			t.Errorf("audit records: %d, %v; want 10", audited, err)
		}

		// Every kind exported as CSV and as XLSX, in either language, imports
		// again without a change.
		for _, kind := range org.ImportKinds {
			for _, swedish := range []bool{true, false} {
				tab := must(s.Export(c, kind, org.ExportOptions{Swedish: swedish}))(t)
				for _, format := range []tabular.Format{tabular.CSV, tabular.XLSX} {
					var buf bytes.Buffer
					write := doc.WriteCSV
					if format == tabular.XLSX {
						write = func(w io.Writer, tb doc.Table) error { return doc.WriteXLSX(w, tb) }
					}
					if err := write(&buf, tab); err != nil {
						t.Fatal(err)
					}
					res, err := s.Import(c, kind, table(t, buf.Bytes()), false)
					if err != nil || !res.OK() || countsOf(res) != (counts{Unchanged: len(tab.Rows)}) || len(tab.Rows) == 0 {
						t.Errorf("%s as %s (swedish %v): %+v, %v, errors %v", kind, format, swedish, countsOf(res), err, res.Errors.List)
					}
				}
			}
		}
	})
}

// wantRow is one problem an import should report.
type wantRow struct {
	Row    int
	Column string
	Key    string
}

func rowsOf(l tabular.Errors) []wantRow {
	out := []wantRow{}
	for _, e := range l.List {
		out = append(out, wantRow{e.Row, e.Column, e.Key})
	}
	return out
}

// registryCounts counts what an import may write, to prove it wrote nothing.
func registryCounts(t *testing.T, d *db.DB) string {
	t.Helper()
	var out []string
	for _, table := range []string{"units", "people", "memberships", "unit_history", "audit_log"} {
		var n int
		if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s=%d", table, n))
	}
	return strings.Join(out, " ")
}

func TestImport_BadInputNamesRowColumnAndReasonAndWritesNothing(t *testing.T) {
	t.Parallel()
	const unitsHead = "level;name;parent;hsa_id;kind;valid_from;valid_to"
	const peopleHead = "name;title;email;unit;region;workplace_kind;hsa_id"
	const memberHead = "group;person;role;represents_region;represents_healthcare_region;share_percent;composition;start;end"
	tests := []struct {
		name  string
		kind  org.ImportKind
		lines []string
		want  []wantRow
	}{
		{"unknown group", org.ImportMemberships, []string{memberHead,
			"akut-vard;anna@example.se;ledamot;;;10;;2025-01-01;",
			"npo-finns-inte;anna@example.se;ledamot;;;10;;2025-01-01;"},
			[]wantRow{{3, "group", "org.import.unknown_group"}}},
		{"membership ends before it starts", org.ImportMemberships, []string{memberHead,
			"akut-vard;anna@example.se;ledamot;;;10;;2025-01-01;2024-12-31"},
			[]wantRow{{2, "end", "org.membership.end_before_start"}}},
		{"share outside 0–100 %", org.ImportMemberships, []string{memberHead,
			"akut-vard;anna@example.se;ledamot;;;120 %;;2025-01-01;",
			"akut-vard;anna@example.se;ordförande;;;-1;;2025-01-01;",
			"akut-vard;anna@example.se;ersättare;;;tio;;2025-01-01;"},
			[]wantRow{{2, "share_percent", "org.membership.share_range"}, {3, "share_percent", "org.membership.share_range"}, {4, "share_percent", "org.import.share"}}},
		{"bad dates, unknown person, role and region", org.ImportMemberships, []string{memberHead,
			"akut-vard;anna@example.se;ledamot;;;10;;2025-13-01;",
			"akut-vard;anna@example.se;ledamot;;;10;;2025-01-01;31/12/2025",
			"akut-vard;okänd@example.se;ledamot;;;10;;2025-01-01;",
			"akut-vard;anna@example.se;kung;atlantis;;10;;2025-01-01;"},
			[]wantRow{{2, "start", "org.import.date"}, {3, "end", "org.import.date"}, {4, "person", "org.import.unknown_person"},
				{5, "role", "org.import.unknown_value"}}},
		{"same membership twice", org.ImportMemberships, []string{memberHead,
			"akut-vard;anna@example.se;ledamot;;;10;;2025-01-01;",
			"Akut vård;SE2321000207-9001;Ledamot;;;20;;2025-01-01;"},
			[]wantRow{{3, "", "org.import.duplicate_membership"}}},
		{"unknown parent", org.ImportUnits, []string{unitsHead,
			"department;Kirurgkliniken;Förvaltning som inte finns;;county_hospital;;"},
			[]wantRow{{2, "parent", "org.import.unknown_unit"}}},
		{"duplicate HSA-id in the file", org.ImportUnits, []string{unitsHead,
			"division;Ny förvaltning;;SE2321000207-5000;other;;",
			"division;Annan förvaltning;;se2321000207-5000;other;;"},
			[]wantRow{{3, "hsa_id", "org.import.duplicate_in_file"}}},
		{"department under a care unit", org.ImportUnits, []string{unitsHead,
			"department;Kirurgkliniken;SE2321000207-1002;;county_hospital;;"},
			[]wantRow{{2, "parent", "org.unit.parent_level"}}},
		{"cycle in the file, which the level rules rule out", org.ImportUnits, []string{unitsHead,
			"unit;A;SE2321000207-7002;SE2321000207-7001;other;;",
			"unit;B;SE2321000207-7001;SE2321000207-7002;other;;"},
			[]wantRow{{2, "parent", "org.unit.parent_level"}, {3, "parent", "org.unit.parent_level"}}},
		{"level that would strand sub-units", org.ImportUnits, []string{unitsHead,
			"unit;Medicinkliniken;Förvaltningen;SE2321000207-1001;county_hospital;;"},
			[]wantRow{{2, "level", "org.unit.level_has_children"}}},
		{"malformed values", org.ImportUnits, []string{unitsHead,
			"avdelning;X;Förvaltningen;2321000207-1;sjukhus;2024-02-30;"},
			[]wantRow{{2, "level", "org.import.unknown_value"}, {2, "kind", "org.import.unknown_value"}, {2, "valid_from", "org.import.date"},
				{2, "hsa_id", "validation.hsa_id"}}},
		{"duplicate HSA-id in the database", org.ImportPeople, []string{peopleHead,
			// Bo is found by e-mail; the HSA-id given is Anna's.
			"Bo Berg;;bo@example.se;;;;SE2321000207-9001"},
			[]wantRow{{2, "hsa_id", "org.import.hsa_id_other_person"}}},
		{"unknown unit, bad e-mail, no name", org.ImportPeople, []string{peopleHead,
			"Dan Dahl;;;Avd 99;;;",
			"Eva Ek;;eva(at)example.se;;;;",
			";Titel;;;;;"},
			[]wantRow{{2, "unit", "org.import.unknown_unit"}, {3, "email", "validation.email"}, {4, "name", "validation.required"}}},
		{"header problems stop before the rows", org.ImportPeople, []string{"namn;titel;epost;telefon;epost",
			"Dan Dahl;;;;"},
			[]wantRow{{1, "telefon", "org.import.unknown_column"}, {1, "epost", "org.import.repeated_column"}}},
		{"a repeated column is named as the file writes it", org.ImportPeople, []string{"namn;name", "Dan Dahl;Dan Dahl"},
			[]wantRow{{1, "name", "org.import.repeated_column"}}},
		{"required column missing", org.ImportMemberships, []string{"group;person;start", "akut-vard;anna@example.se;2025-01-01"},
			[]wantRow{{1, "role", "org.import.missing_column"}}},
		{"value outside the columns", org.ImportPeople, []string{"name;title", "Dan Dahl;Läkare;extra"},
			[]wantRow{{2, "", "org.import.cell_outside"}}},
		{"header only", org.ImportPeople, []string{peopleHead}, []wantRow{{1, "", "org.import.no_rows"}}},
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		c := ctx()
		importOK(t, s, org.ImportUnits, csvFile(unitsHead,
			"division;Förvaltningen;;;other;;",
			"department;Medicinkliniken;Förvaltningen;SE2321000207-1001;county_hospital;;",
			"unit;Avd 7;SE2321000207-1001;SE2321000207-1002;county_hospital;;"), counts{New: 3})
		importOK(t, s, org.ImportPeople, csvFile(peopleHead,
			"Anna Andersson;;anna@example.se;;;;SE2321000207-9001",
			"Bo Berg;;bo@example.se;;;;"), counts{New: 2})
		before := registryCounts(t, d)
		for _, tt := range tests {
			res, err := s.Import(c, tt.kind, table(t, csvFile(tt.lines...)), true)
			if d := cmp.Diff(tt.want, rowsOf(res.Errors)); d != "" {
				t.Errorf("%s: problems (-want +got)\n%s", tt.name, d)
			}
			if v, ok := errs.AsValidation(err); !ok || len(v.Fields) != len(tt.want) || res.Committed {
				t.Errorf("%s: err %v, committed %v", tt.name, err, res.Committed)
			}
			if after := registryCounts(t, d); after != before {
				t.Fatalf("%s: wrote something: %s, was %s", tt.name, after, before)
			}
		}
	})
}

func TestImport_HeaderVariantsReadTheSame(t *testing.T) {
	t.Parallel()
	rows := []string{"Anna Andersson", "Överläkare", "anna@example.se", "SE2321000207-9001"}
	headers := [][]string{
		{"name", "title", "email", "hsa_id"},
		{"Namn", "Titel", "E-post", "HSA-id"},
		{"NAMN", "befattning", "e-postadress", "hsa id"},
		{" Name ", "TITLE", "e_mail", "HSAID"},
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		for i, h := range headers {
			for _, file := range [][]byte{csvFile(strings.Join(h, ";"), strings.Join(rows, ";")), csvFile(strings.Join(h, ","), strings.Join(rows, ",")), xlsxFile(t, h, rows)} {
				res, err := s.Import(ctx(), org.ImportPeople, table(t, file), false)
				if err != nil || !res.OK() || countsOf(res) != (counts{New: 1}) {
					t.Errorf("header %d %q: %+v %v %v", i, h, countsOf(res), err, res.Errors.List)
				}
			}
		}
	})
}

func TestImport_RowsUpdateTheRecordsTheyMatch(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		c := ctx()
		seedRegistry(t, s)
		// Anna by HSA-id, Bo by e-mail, Cilla by name; a missing column
		// (unit) keeps its value.
		importOK(t, s, org.ImportPeople, csvFile("namn;titel;e-post;hsa-id",
			"Anna Andersson;Verksamhetschef;anna@example.se;SE2321000207-9001",
			"Bo Berg;Distriktsläkare;bo@example.se;SE2321000207-9002",
			"Cilla Ceder;Sjuksköterska;;",
			"Dan Dahl;;dan@example.se;"), counts{New: 1, Changed: 2, Unchanged: 1})
		people := must(s.People(c, org.PersonFilter{Query: "Anna"}))(t)
		if len(people) != 1 || people[0].Title != "Verksamhetschef" || people[0].UnitID == 0 || people[0].Version != 2 {
			t.Fatalf("Anna after import: %+v", people)
		}
		// A unit without HSA-id is matched by name and parent; a rename of
		// one with an HSA-id keeps the old name in its history.
		res := must(s.Import(c, org.ImportUnits, table(t, csvFile("level;name;parent;hsa_id;kind",
			"unit;Avd 7;SE2321000207-1001;;county_hospital",
			"department;Medicin- och geriatrikkliniken;Hälso- och sjukvårdsförvaltningen;SE2321000207-1001;county_hospital")), true))(t)
		if countsOf(res) != (counts{Changed: 1, Unchanged: 1}) || len(res.Changes) != 1 || res.Changes[0].Row != 3 || !contains(res.Changes[0].Columns, "name") {
			t.Fatalf("units: %+v %+v", countsOf(res), res.Changes)
		}
		tree := must(s.Tree(c, "geriatrik"))(t)
		dep := tree[0].Children[0].Unit
		if hist := must(s.UnitHistory(c, dep.ID))(t); len(hist) != 1 || hist[0].Name != "Medicinkliniken" {
			t.Fatalf("history: %+v", hist)
		}
		// A membership is matched by group, person, role and start.
		importOK(t, s, org.ImportMemberships, csvFile("grupp;person;roll;start;slut;andel",
			"akut-vard;SE2321000207-9001;chair;2025-01-01;2025-12-31;12,5",
			"akut-vard;bo@example.se;member;2025-01-01;2026-12-31;10"), counts{Changed: 1, Unchanged: 1})
		anna := must(s.People(c, org.PersonFilter{Query: "Anna"}))(t)[0]
		pv := must(s.PersonView(c, anna.ID))(t)
		if all := append(pv.Current, pv.Past...); len(all) != 1 || all[0].Membership.End.String() != "2025-12-31" {
			t.Fatalf("Anna's membership: %+v", all)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestImport_UploadIsConfirmedOnlyByItsMaker(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(d)
		var userID, otherID int64
		for i, name := range []string{"sara", "olle"} {
			id, err := db.Insert(context.Background(), d, `INSERT INTO users (username, display_name, password_hash, created_at, updated_at, password_changed_at)
				VALUES (?, ?, 'x', ?, ?, ?) RETURNING id`, name, name, today, today, today)
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				userID = id
			} else {
				otherID = id
			}
		}
		sara := access.With(context.Background(), access.Principal{UserID: userID, Username: "sara", Roles: []access.Role{access.Coordinator}})
		olle := access.With(context.Background(), access.Principal{UserID: otherID, Username: "olle", Roles: []access.Role{access.Coordinator}})
		file := unitsCSV
		up := must(s.SaveUpload(sara, org.ImportUnits, "enheter.csv", file))(t)
		if _, err := s.CommitUpload(olle, up.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("another coordinator confirmed: %v", err)
		}
		res := must(s.CommitUpload(sara, up.ID))(t)
		if !res.Committed || res.New != 4 {
			t.Fatalf("confirm: %+v", res)
		}
		if _, err := s.CommitUpload(sara, up.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("confirmed twice: %v", err)
		}
		var actor string
		if err := d.QueryRowContext(context.Background(), `SELECT actor_name FROM audit_log WHERE entity = 'unit' LIMIT 1`).Scan(&actor); err != nil || actor != "sara" {
			t.Fatalf("audit actor %q, %v", actor, err)
		}
	})
}

func TestImport_CatalogueHasEveryMessage(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	keys := []string{
		"org.import.unknown_column", "org.import.repeated_column", "org.import.missing_column", "org.import.no_rows",
		"org.import.cell_outside", "org.import.unknown_value", "org.import.date", "org.import.ambiguous", "org.import.ambiguous_person",
		"org.import.duplicate_in_file", "org.import.same_record", "org.import.unknown_unit", "org.import.unknown_group",
		"org.import.unknown_person", "org.import.duplicate_membership", "org.import.share", "org.import.hsa_id_other_person",
		"org.import.done", "org.import.file_required", "org.import.upload_too_large", "org.import.kind_required",
		"tabular.too_large", "tabular.too_many_rows", "tabular.too_many_columns", "tabular.cell_too_long", "tabular.empty",
		"tabular.csv_syntax", "tabular.encoding", "tabular.utf16", "tabular.binary", "tabular.xls", "tabular.xlsx_invalid",
	}
	s := newService(dbtest.Open(t, db.SQLite))
	for _, kind := range org.ImportKinds {
		keys = append(keys, "org.import.kind."+string(kind), "org.import.match."+string(kind))
		tab := must(s.Export(ctx(), kind, org.ExportOptions{Empty: true}))(t)
		for _, c := range tab.Columns {
			keys = append(keys, "org.import.col."+string(kind)+"."+c.Header)
		}
	}
	for _, k := range keys {
		for _, loc := range i18n.Supported() {
			if !cat.Has(loc, k) {
				t.Errorf("%s: %q is missing", loc, k)
			}
		}
	}
}
