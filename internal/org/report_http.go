package org

import (
	"context"
	"embed"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

//go:embed templates/report_*.html
var reportTemplates embed.FS

// The report pages' addresses; each has a .csv and an .xlsx beside it.
const (
	reportRepresentationPath = "/organisation/rapporter/representation"
	reportCostPath           = "/organisation/rapporter/kostnad"
	reportDependencePath     = "/organisation/rapporter/personberoende"
)

// RegisterReports adds the three reports to s and a: for each a page, a CSV
// and an XLSX export, and an API operation, all open to those holding Read.
// The person-dependence report also lists the dependent work of sources.
func RegisterReports(s *web.Server, a *api.API, svc *Service, sources ...DependenceSource) error {
	if err := addPages(s, reportTemplates, "templates"); err != nil {
		return err
	}
	h := &reportHandler{svc: svc, web: s, sources: sources}
	for _, p := range []struct {
		path string
		page web.HandlerFunc
		file func(w http.ResponseWriter, r *http.Request, format string) error
	}{
		{reportRepresentationPath, h.representation, h.representationFile},
		{reportCostPath, h.cost, h.costFile},
		{reportDependencePath, h.dependence, h.dependenceFile},
	} {
		s.Handle("GET "+p.path, Read, p.page)
		s.Handle("GET "+p.path+".csv", Read, func(w http.ResponseWriter, r *http.Request) error { return p.file(w, r, "csv") })
		s.Handle("GET "+p.path+".xlsx", Read, func(w http.ResponseWriter, r *http.Request) error { return p.file(w, r, "xlsx") })
	}
	registerReportAPI(a, svc, sources)
	return nil
}

type reportHandler struct {
	svc     *Service
	web     *web.Server
	sources []DependenceSource // other features' work that rests on one person
}

// reportText names the reports' values in one language: labels from the
// catalogue, numbers, dates and group names as that language writes them.
type reportText struct {
	cat *i18n.Catalog
	loc i18n.Locale
}

func (h *reportHandler) text(r *http.Request) reportText {
	return reportText{cat: h.web.Catalog(), loc: web.LocaleFrom(r.Context())}
}

func (x reportText) t(key string, args ...any) string { return x.cat.T(x.loc, key, args...) }

func (x reportText) level(l Level) string         { return x.t("org.report.level." + string(l)) }
func (x reportText) groupKind(k GroupKind) string { return x.t("org.report.group_kind." + string(k)) }
func (x reportText) role(r Role) string           { return x.t("org.role." + string(r)) }
func (x reportText) group(g GroupRef) string      { return g.NameIn(string(x.loc)) }

// reportPage is what every report page shows around its report: the filter
// form, the export links, and helpers that write numbers in the reader's
// language.
type reportPage struct {
	Form     *web.Form
	Fields   []web.FieldView
	Filtered bool
	Path     string
	CSVLink  string // the exports of the same filter; empty while the filter is invalid
	XLSXLink string
	Reports  []reportLink
	text     reportText
}

// reportLink is one entry of the navigation between the three reports.
type reportLink struct {
	Href    string
	Key     string
	Current bool
}

// Int writes a count.
func (p reportPage) Int(n int) string { return i18n.FormatInt(p.text.loc, int64(n)) }

// Money writes an amount of kronor: "1 300 000 kr".
func (p reportPage) Money(sek int64) string {
	return p.text.t("org.sek", "amount", i18n.FormatInt(p.text.loc, sek))
}

// Percent writes a fraction as a percentage with one decimal: "12,5 %".
func (p reportPage) Percent(f float64) string {
	return p.text.t("org.report.percent", "value", i18n.FormatDecimal(p.text.loc, f*100, 1))
}

// FTE writes full-time equivalents with two decimals.
func (p reportPage) FTE(f float64) string { return i18n.FormatDecimal(p.text.loc, f, 2) }

// Date writes a date.
func (p reportPage) Date(d date.Date) string {
	if d.IsZero() {
		return ""
	}
	return i18n.FormatDate(p.text.loc, d.Time())
}

// Group is the group's name in the reader's language.
func (p reportPage) Group(g GroupRef) string { return p.text.group(g) }

// Represented names what a count of members represents.
func (p reportPage) Represented(c RepresentedCount) string {
	if c.Type == RepresentsNone {
		return p.text.t("org.report.represents_none")
	}
	if c.Name != "" {
		return c.Name
	}
	return c.Code
}

// reportQuery reads a report's filter (and, for the cost report, its year)
// from the query string into a form, recording what is wrong with it.
func (h *reportHandler) reportQuery(r *http.Request, path string, withYear bool) (reportPage, ReportFilter, int) {
	q := r.URL.Query()
	form := &web.Form{Values: q}
	f := ReportFilter{Level: Level(form.Get("level")), Kind: GroupKind(form.Get("kind"))}
	year := h.svc.Today().Year()
	if withYear {
		if s := form.Get("year"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				n = -1
			}
			year = n
		}
		form.Fail(ValidateCostQuery(year, f))
	} else {
		form.Fail(f.Validate())
	}
	p := reportPage{Form: form, Path: path, text: h.text(r)}
	if withYear {
		value := form.Get("year")
		if value == "" {
			value = strconv.Itoa(year)
		}
		p.Fields = append(p.Fields, web.FieldView{ID: "f-year", Name: "year", Label: "org.report.year", Type: "text",
			Value: value, Error: form.ErrorFor("year"), Hint: "org.report.year_hint"})
	}
	p.Fields = append(p.Fields, reportChoice(form, "level", "org.report.filter_level", Levels, "org.report.level."),
		reportChoice(form, "kind", "org.report.filter_kind", GroupKinds, "org.report.group_kind."))
	kept := url.Values{}
	for _, k := range []string{"year", "level", "kind"} {
		if v := form.Get(k); v != "" {
			kept.Set(k, v)
		}
	}
	p.Filtered = kept.Has("level") || kept.Has("kind")
	if !form.HasErrors() {
		if withYear {
			kept.Set("year", strconv.Itoa(year))
		}
		suffix := ""
		if len(kept) > 0 {
			suffix = "?" + kept.Encode()
		}
		p.CSVLink, p.XLSXLink = path+".csv"+suffix, path+".xlsx"+suffix
	}
	for _, l := range []reportLink{
		{Href: reportRepresentationPath, Key: "org.report.representation.title"},
		{Href: reportCostPath, Key: "org.report.cost.title"},
		{Href: reportDependencePath, Key: "org.report.dependence.title"},
	} {
		l.Current = l.Href == path
		p.Reports = append(p.Reports, l)
	}
	return p, f, year
}

// reportChoice is a select field of the filter, "all" first.
func reportChoice[T ~string](form *web.Form, name, label string, values []T, prefix string) web.FieldView {
	cur := form.Get(name)
	fv := web.FieldView{ID: "f-" + name, Name: name, Label: label, Value: cur, Error: form.ErrorFor(name),
		Options: []web.Option{{Value: "", LabelKey: "common.all", Selected: cur == ""}}}
	for _, v := range values {
		fv.Options = append(fv.Options, web.Option{Value: string(v), LabelKey: prefix + string(v), Selected: string(v) == cur})
	}
	return fv
}

func reportStatus(p reportPage) int {
	if p.Form.HasErrors() {
		return http.StatusUnprocessableEntity
	}
	return http.StatusOK
}

// RepresentationPage is the data of the representation report's page.
type RepresentationPage struct {
	reportPage
	Report *RepresentationReport
}

// Kinds are the kinds of home unit, in the order of the report's columns.
func (RepresentationPage) Kinds() []UnitKind { return UnitKinds }

func (h *reportHandler) representation(w http.ResponseWriter, r *http.Request) error {
	p, f, _ := h.reportQuery(r, reportRepresentationPath, false)
	data := RepresentationPage{reportPage: p}
	if !p.Form.HasErrors() {
		rep, err := h.svc.Representation(r.Context(), f)
		if err != nil {
			return err
		}
		data.Report = &rep
	}
	return h.web.Render(w, r, reportStatus(p), "org/report_representation", "org.report.representation.title", data)
}

// CostPage is the data of the participation-cost report's page.
type CostPage struct {
	reportPage
	Report *CostReport
}

func (h *reportHandler) cost(w http.ResponseWriter, r *http.Request) error {
	p, f, year := h.reportQuery(r, reportCostPath, true)
	data := CostPage{reportPage: p}
	if !p.Form.HasErrors() {
		rep, err := h.svc.ParticipationCost(r.Context(), year, f)
		if err != nil {
			return err
		}
		data.Report = &rep
	}
	return h.web.Render(w, r, reportStatus(p), "org/report_cost", "org.report.cost.title", data)
}

// DependencePage is the data of the person-dependence report's page.
type DependencePage struct {
	reportPage
	Report *DependenceReport
}

// Window is how many days ahead the report looks for roles that end.
func (DependencePage) Window() int { return DependenceWindow }

func (h *reportHandler) dependence(w http.ResponseWriter, r *http.Request) error {
	p, f, _ := h.reportQuery(r, reportDependencePath, false)
	data := DependencePage{reportPage: p}
	if !p.Form.HasErrors() {
		rep, err := h.svc.PersonDependence(r.Context(), f, h.sources...)
		if err != nil {
			return err
		}
		data.Report = &rep
	}
	return h.web.Render(w, r, reportStatus(p), "org/report_dependence", "org.report.dependence.title", data)
}

// serveTables answers with the first table as CSV, or every table as the
// sheets of an XLSX workbook.
func serveTables(w http.ResponseWriter, format, name string, tables []doc.Table) error {
	if format == "csv" {
		return doc.ServeCSV(w, name+".csv", tables[0])
	}
	return doc.ServeXLSX(w, name+".xlsx", tables...)
}

func (h *reportHandler) representationFile(w http.ResponseWriter, r *http.Request, format string) error {
	p, f, _ := h.reportQuery(r, reportRepresentationPath, false)
	if err := reportFormError(p); err != nil {
		return err
	}
	rep, err := h.svc.Representation(r.Context(), f)
	if err != nil {
		return err
	}
	x := h.text(r)
	return serveTables(w, format, x.t("org.report.representation.file", "date", rep.AsOf.String()), RepresentationTables(rep, x.cat, x.loc))
}

func (h *reportHandler) costFile(w http.ResponseWriter, r *http.Request, format string) error {
	p, f, year := h.reportQuery(r, reportCostPath, true)
	if err := reportFormError(p); err != nil {
		return err
	}
	rep, err := h.svc.ParticipationCost(r.Context(), year, f)
	if err != nil {
		return err
	}
	x := h.text(r)
	return serveTables(w, format, x.t("org.report.cost.file", "year", strconv.Itoa(rep.Year)), CostTables(rep, x.cat, x.loc))
}

func (h *reportHandler) dependenceFile(w http.ResponseWriter, r *http.Request, format string) error {
	p, f, _ := h.reportQuery(r, reportDependencePath, false)
	if err := reportFormError(p); err != nil {
		return err
	}
	rep, err := h.svc.PersonDependence(r.Context(), f, h.sources...)
	if err != nil {
		return err
	}
	x := h.text(r)
	return serveTables(w, format, x.t("org.report.dependence.file", "date", rep.AsOf.String()), DependenceTables(rep, x.cat, x.loc))
}

// reportFormError returns the filter's problems as one validation error.
func reportFormError(p reportPage) error {
	if !p.Form.HasErrors() {
		return nil
	}
	var v errs.ValidationError
	for _, e := range p.Form.Errors {
		v.Add(e.Name, e.Key, e.Args...)
	}
	return v.Err()
}

// columns makes table columns from catalogue keys.
func (x reportText) columns(keys ...string) []doc.Column {
	cols := make([]doc.Column, len(keys))
	for i, k := range keys {
		cols[i] = doc.Column{Header: x.t(k)}
	}
	return cols
}

// representedText lists what a group's members represent: "Norra 2, Södra 1".
func (x reportText) representedText(cs []RepresentedCount) string {
	parts := make([]string, len(cs))
	p := reportPage{text: x}
	for i, c := range cs {
		parts[i] = p.Represented(c) + " " + strconv.Itoa(c.Members)
	}
	return strings.Join(parts, ", ")
}

// RepresentationTables lays the representation report out as tables in the
// language loc: per group (with a total), per level, by what members
// represent, and the national groups without the home region. The CSV export
// is the first.
func RepresentationTables(rep RepresentationReport, cat *i18n.Catalog, loc i18n.Locale) []doc.Table {
	x := reportText{cat: cat, loc: loc}
	kindColumns := make([]string, len(UnitKinds))
	for i, k := range UnitKinds {
		kindColumns[i] = "org.unit_kind." + string(k)
	}
	counts := func(r Representation) []doc.Cell {
		cells := []doc.Cell{doc.Int(int64(r.Members)), doc.Int(int64(r.HomeMembers))}
		for _, k := range UnitKinds {
			cells = append(cells, doc.Int(int64(r.Count(k))))
		}
		return append(cells, doc.Percent(r.UniversityShare, 1))
	}
	countColumns := append(append([]string{"org.report.col.members", "org.report.col.home_members"}, kindColumns...), "org.report.col.university_share")

	groups := doc.Table{Title: x.t("org.report.representation.sheet_groups"),
		Columns: x.columns(append(append([]string{"org.report.col.level", "org.report.col.group_kind", "org.report.col.group"}, countColumns...), "org.report.col.represents")...)}
	for _, g := range rep.Groups {
		row := []doc.Cell{doc.Text(x.level(g.Group.Level)), doc.Text(x.groupKind(g.Group.Kind)), doc.Text(x.group(g.Group))}
		row = append(append(row, counts(g.Representation)...), doc.Text(x.representedText(g.ByRegion)))
		groups.Rows = append(groups.Rows, row)
	}
	groups.Footer = append(append([]doc.Cell{doc.Text(x.t("org.report.total")), {}, {}}, counts(rep.Total)...), doc.Text(""))

	levels := doc.Table{Title: x.t("org.report.representation.sheet_levels"),
		Columns: x.columns(append([]string{"org.report.col.level", "org.report.col.groups"}, countColumns...)...)}
	for _, l := range rep.Levels {
		levels.Rows = append(levels.Rows, append([]doc.Cell{doc.Text(x.level(l.Level)), doc.Int(int64(l.Groups))}, counts(l.Representation)...))
	}
	levels.Footer = append([]doc.Cell{doc.Text(x.t("org.report.total")), doc.Int(int64(len(rep.Groups)))}, counts(rep.Total)...)

	regions := doc.Table{Title: x.t("org.report.representation.sheet_regions"),
		Columns: x.columns("org.report.col.level", "org.report.col.group", "org.report.col.represents", "org.report.col.members")}
	p := reportPage{text: x}
	for _, g := range rep.Groups {
		for _, c := range g.ByRegion {
			regions.Rows = append(regions.Rows, []doc.Cell{doc.Text(x.level(g.Group.Level)), doc.Text(x.group(g.Group)), doc.Text(p.Represented(c)), doc.Int(int64(c.Members))})
		}
	}

	missing := doc.Table{Title: x.t("org.report.representation.sheet_unrepresented"),
		Columns: x.columns("org.report.col.group_kind", "org.report.col.group")}
	for _, g := range rep.Unrepresented {
		missing.Rows = append(missing.Rows, []doc.Cell{doc.Text(x.groupKind(g.Kind)), doc.Text(x.group(g))})
	}
	return []doc.Table{groups, levels, regions, missing}
}

// CostTables lays the cost report out as tables in the language loc: per
// group with the total, and per level. The CSV export is the first.
func CostTables(rep CostReport, cat *i18n.Catalog, loc i18n.Locale) []doc.Table {
	x := reportText{cat: cat, loc: loc}
	amounts := func(c Cost) []doc.Cell {
		return []doc.Cell{doc.Int(int64(c.Memberships)), doc.Int(int64(c.People)), doc.Decimal(c.FTE, 2),
			doc.Money(c.Salary), doc.Money(c.Overhead), doc.Money(c.Travel), doc.Money(c.Total)}
	}
	amountColumns := []string{"org.report.col.memberships", "org.report.col.people", "org.report.col.fte",
		"org.report.col.salary", "org.report.col.overhead", "org.report.col.travel", "org.report.col.cost_total"}
	year := strconv.Itoa(rep.Year)
	groups := doc.Table{Title: x.t("org.report.cost.sheet_groups", "year", year),
		Columns: x.columns(append([]string{"org.report.col.level", "org.report.col.group_kind", "org.report.col.group"}, amountColumns...)...)}
	for _, g := range rep.Groups {
		groups.Rows = append(groups.Rows, append([]doc.Cell{doc.Text(x.level(g.Group.Level)), doc.Text(x.groupKind(g.Group.Kind)), doc.Text(x.group(g.Group))}, amounts(g.Cost)...))
	}
	groups.Footer = append([]doc.Cell{doc.Text(x.t("org.report.total")), {}, {}}, amounts(rep.Total)...)
	levels := doc.Table{Title: x.t("org.report.cost.sheet_levels", "year", year),
		Columns: x.columns(append([]string{"org.report.col.level", "org.report.col.groups"}, amountColumns...)...)}
	for _, l := range rep.Levels {
		levels.Rows = append(levels.Rows, append([]doc.Cell{doc.Text(x.level(l.Level)), doc.Int(int64(l.Groups))}, amounts(l.Cost)...))
	}
	levels.Footer = append([]doc.Cell{doc.Text(x.t("org.report.total")), doc.Int(int64(len(rep.Groups)))}, amounts(rep.Total)...)
	return []doc.Table{groups, levels}
}

// DependenceTables lays the dependence report out as one table in the
// language loc, a row per finding, so it can be filtered by kind of finding.
func DependenceTables(rep DependenceReport, cat *i18n.Catalog, loc i18n.Locale) []doc.Table {
	x := reportText{cat: cat, loc: loc}
	t := doc.Table{Title: x.t("org.report.dependence.sheet"),
		Columns: x.columns("org.report.col.finding", "org.report.col.level", "org.report.col.group", "org.report.col.role",
			"org.report.col.person", "org.report.col.start", "org.report.col.end", "org.report.col.key_roles",
			"org.report.col.work", "org.report.col.work_status")}
	add := func(finding string, h RoleHolder, keyRoles doc.Cell) {
		t.Rows = append(t.Rows, []doc.Cell{doc.Text(x.t(finding)), doc.Text(x.level(h.Group.Level)), doc.Text(x.group(h.Group)),
			doc.Text(x.role(h.Role)), doc.Text(h.PersonName), doc.Date(h.Start), doc.Date(h.End), keyRoles, {}, {}})
	}
	for _, h := range rep.NoDeputy {
		add("org.report.dependence.no_deputy.finding", h, doc.Cell{})
	}
	for _, h := range rep.SingleRepresentative {
		add("org.report.dependence.single.finding", h, doc.Cell{})
	}
	for _, o := range rep.Overloaded {
		for _, h := range o.Roles {
			add("org.report.dependence.overloaded.finding", h, doc.Int(int64(o.KeyRoles)))
		}
	}
	for _, h := range rep.EndingWithoutSuccessor {
		add("org.report.dependence.ending.finding", h, doc.Cell{})
	}
	for _, w := range rep.Work {
		leads := x.t("org.report.dependence.work.no_lead")
		if len(w.Leads) > 0 {
			leads = strings.Join(w.Leads, ", ")
		}
		t.Rows = append(t.Rows, []doc.Cell{doc.Text(x.t("org.report.dependence.work.finding")), {}, {}, {}, doc.Text(leads), {}, {}, {},
			doc.Text(w.Title), doc.Text(x.t(w.StatusKey))})
	}
	return []doc.Table{t}
}

// The reports' API.

// ReportFilterParams are the query parameters narrowing a report.
type ReportFilterParams struct {
	Level string `query:"level" enum:"national,healthcare_region,region," doc:"Only groups at this level"`
	Kind  string `query:"kind" enum:"npo,nsg,nag,primary_care_council,rpo,lpo,governance_council,large_group,leadership,joint_forum,political_forum,other," doc:"Only groups of this kind"`
}

func (p ReportFilterParams) filter() ReportFilter {
	return ReportFilter{Level: Level(p.Level), Kind: GroupKind(p.Kind)}
}

// RepresentationOutput is the representation report.
type RepresentationOutput struct {
	Body RepresentationReport
}

// CostInput asks for the cost report of a year.
type CostInput struct {
	Year int `query:"year" doc:"Year of the report; the current year when left out" minimum:"0" maximum:"2100"`
	ReportFilterParams
}

// CostOutput is the participation-cost report.
type CostOutput struct {
	Body CostReport
}

// DependenceOutput is the person-dependence report.
type DependenceOutput struct {
	Body DependenceReport
}

func registerReportAPI(a *api.API, svc *Service, sources []DependenceSource) {
	tags := []string{"Organisation"}
	api.Register(a, huma.Operation{OperationID: "report-representation", Method: http.MethodGet, Path: "/reports/representation", Tags: tags,
		Summary: "Representation report",
		Description: "Who represents whom in the groups today: current members holding a seat (all roles but deputy, secretary and co-opted) " +
			"per group, per level and in total, by kind of home unit and by the region or sjukvårdsregion they represent; the share held by " +
			"university-hospital staff; and the national groups (NPO, NSG, national primary-care council) where no current member represents the home region."},
		Read, func(ctx context.Context, in *ReportFilterParams) (*RepresentationOutput, error) {
			rep, err := svc.Representation(ctx, in.filter())
			if err != nil {
				return nil, api.InQuery(err)
			}
			return &RepresentationOutput{Body: rep}, nil
		})
	api.Register(a, huma.Operation{OperationID: "report-participation-cost", Method: http.MethodGet, Path: "/reports/participation-cost", Tags: tags,
		Summary: "Participation-cost report",
		Description: "What taking part in the groups costs in a year, per group, per level and in total: every membership active at some time in the year " +
			"counts its share of full time × the annual cost per full-time person × (1 + overhead), pro-rated by its days in the year; travel is " +
			"counted once per person and year and split evenly over the person's memberships. Amounts in whole SEK, from the registry's settings."},
		Read, func(ctx context.Context, in *CostInput) (*CostOutput, error) {
			year := in.Year
			if year == 0 {
				year = svc.Today().Year()
			}
			rep, err := svc.ParticipationCost(ctx, year, in.filter())
			if err != nil {
				return nil, api.InQuery(err)
			}
			return &CostOutput{Body: rep}, nil
		})
	api.Register(a, huma.Operation{OperationID: "report-person-dependence", Method: http.MethodGet, Path: "/reports/person-dependence", Tags: tags,
		Summary: "Person-dependence report",
		Description: "Where the work hangs on a single person today: key roles (chair, process leader, coordinator) in groups without a current deputy; " +
			"groups where one member alone represents the home region and no deputy does; people holding more key roles than the configured limit; " +
			"roles ending within 90 days with no successor in the same group and role starting by the day after the end; " +
			"and knowledge supports the region works on (decided for introduction or later) with fewer than two responsible improvement leads " +
			"(dependent_work; with a filter, those owned by a matching NPO or LPO)."},
		Read, func(ctx context.Context, in *ReportFilterParams) (*DependenceOutput, error) {
			rep, err := svc.PersonDependence(ctx, in.filter(), sources...)
			if err != nil {
				return nil, api.InQuery(err)
			}
			return &DependenceOutput{Body: rep}, nil
		})
}
