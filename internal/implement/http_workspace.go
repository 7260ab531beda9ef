package implement

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// workspaceRoutes registers the overview, the form that starts a
// workspace, a workspace's summary page and its working group.
func (h *handler) workspaceRoutes() {
	h.web.Handle("GET /inforande", Read, h.overview)
	h.web.Handle("GET /inforande/oversikt.csv", Oversee, func(w http.ResponseWriter, r *http.Request) error {
		return h.overviewFile(w, r, "csv")
	})
	h.web.Handle("GET /inforande/oversikt.xlsx", Oversee, func(w http.ResponseWriter, r *http.Request) error {
		return h.overviewFile(w, r, "xlsx")
	})
	h.web.Handle("GET /inforande/ny", Coordinate, h.newImplementation)
	h.web.Handle("POST /inforande/ny", Coordinate, h.startImplementation)
	h.web.Handle("GET /inforande/{id}", Read, h.workspace)
	h.web.Handle("GET /inforande/{id}/arbetsgrupp", Read, h.group)
	h.web.Handle("POST /inforande/{id}/arbetsgrupp", Read, h.saveGroup)
}

// workspaceURL is the address of an implementation's workspace.
func workspaceURL(id int64) string { return "/inforande/" + strconv.FormatInt(id, 10) }

// orgService reads the registry: people to choose from, the municipalities.
func (h *handler) orgService() *org.Service { return org.NewService(h.svc.db, h.svc.audit, h.svc.now) }

// The overview.

// OverviewPage is the data of the overview of implementations.
type OverviewPage struct {
	Form     *web.Form
	Status   web.FieldView
	Rows     []OverviewRow
	Filter   string // the status filtered by, for the export links
	CanStart bool
}

func overviewStatusOptions() []web.Option {
	return append([]web.Option{web.Choose("implement.overview.status_all")}, web.EnumOptions(OverviewStatuses, "implement.overview.status.")...)
}

// overviewFilter reads the overview's status filter from the query string.
func overviewFilter(form *web.Form) OverviewStatus {
	st := OverviewStatus(form.Get("status"))
	if st != "" && !slices.Contains(OverviewStatuses, st) {
		form.AddError("status", "validation.choice")
		return ""
	}
	return st
}

// overview lists the implementations for those who oversee them; the units
// and municipalities go to their own page.
func (h *handler) overview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if !CanOversee(ctx) {
		return web.Redirect(w, r, "/inforande/min-enhet")
	}
	form := web.QueryForm(r)
	st := overviewFilter(form)
	data := OverviewPage{Form: form, Status: form.Select("status", "implement.overview.filter_status", overviewStatusOptions()),
		Filter: string(st), CanStart: CanCoordinate(ctx)}
	if form.HasErrors() {
		return h.render(w, r, http.StatusUnprocessableEntity, "overview_list", "implement.overview.title", data)
	}
	rows, err := h.svc.Overview(ctx, st)
	if err != nil {
		return err
	}
	data.Rows = rows
	return h.render(w, r, http.StatusOK, "overview_list", "implement.overview.title", data)
}

func (h *handler) overviewFile(w http.ResponseWriter, r *http.Request, format string) error {
	form := web.QueryForm(r)
	st := overviewFilter(form)
	if form.HasErrors() {
		return errs.Invalidf("query.status", "validation.choice")
	}
	rows, err := h.svc.Overview(r.Context(), st)
	if err != nil {
		return err
	}
	loc := web.LocaleFrom(r.Context())
	cat := h.web.Catalog()
	t := OverviewTable(rows, cat, loc)
	name := cat.T(loc, "implement.overview.file", "date", h.svc.Today().String())
	if format == "csv" {
		return doc.ServeCSV(w, name+".csv", t)
	}
	return doc.ServeXLSX(w, name+".xlsx", t)
}

// OverviewTable lays the overview out as a table in the language loc, for
// the CSV and XLSX export.
func OverviewTable(rows []OverviewRow, cat *i18n.Catalog, loc i18n.Locale) doc.Table {
	tr := func(key string, args ...any) string { return cat.T(loc, key, args...) }
	yesNo := func(b bool) doc.Cell {
		if b {
			return doc.Text(tr("common.yes"))
		}
		return doc.Text(tr("common.no"))
	}
	keys := []string{"implement.overview.col.support", "implement.overview.col.status", "implement.overview.col.started",
		"implement.overview.col.planned_end", "implement.overview.col.introduced", "implement.overview.col.progress",
		"implement.overview.col.actions", "implement.overview.col.actions_done", "implement.overview.col.overdue",
		"implement.overview.col.checklist_settled", "implement.overview.col.checklist_required", "implement.overview.col.ready",
		"implement.overview.gap.none", "implement.overview.gap.small", "implement.overview.gap.moderate", "implement.overview.gap.large",
		"implement.overview.gap.not_judged", "implement.overview.gap.crowding_out", "implement.overview.col.leads",
		"catalog.person_dependent"}
	t := doc.Table{Title: tr("implement.overview.title")}
	for _, k := range keys {
		t.Columns = append(t.Columns, doc.Column{Header: tr(k)})
	}
	for _, r := range rows {
		p := r.Profile
		t.Rows = append(t.Rows, []doc.Cell{
			doc.Text(r.SupportTitle), doc.Text(tr("implement.overview.status." + string(r.Status()))),
			doc.Date(r.StartedOn), doc.Date(r.PlannedEnd), doc.Date(r.IntroducedOn),
			doc.Percent(float64(r.Progress.Percent)/100, 0),
			doc.Int(int64(r.Progress.Actions)), doc.Int(int64(r.Progress.Done)), doc.Int(int64(r.Progress.Overdue)),
			doc.Int(int64(r.ChecklistSettled)), doc.Int(int64(r.ChecklistRequired)), yesNo(r.Ready),
			doc.Int(int64(p.None)), doc.Int(int64(p.Small)), doc.Int(int64(p.Moderate)), doc.Int(int64(p.Large)),
			doc.Int(int64(p.NotJudged)), doc.Int(int64(p.CrowdingOut)), doc.Int(int64(r.Leads)), yesNo(r.PersonDependent),
		})
	}
	return t
}

// Choosing people.

// PersonSearch is the person search of a form: what was searched for and
// how many people it found. It lists at most personLimit people.
type PersonSearch struct {
	Query   string
	Matches int
	More    bool // more people match than are listed
}

// personLimit is how many people a person search lists.
const personLimit = 50

// searchPeople finds the people matching the form's person_q, none when it
// is empty.
func (h *handler) searchPeople(ctx context.Context, form *web.Form) (PersonSearch, []org.Person, error) {
	s := PersonSearch{Query: form.Get("person_q")}
	if s.Query == "" {
		return s, nil, nil
	}
	found, err := h.orgService().People(ctx, org.PersonFilter{Query: s.Query, Limit: personLimit + 1})
	if err != nil {
		return s, nil, err
	}
	if len(found) > personLimit {
		found, s.More = found[:personLimit], true
	}
	s.Matches = len(found)
	return s, found, nil
}

func personLabel(p org.Person) string {
	if p.Title != "" {
		return p.Name + ", " + p.Title
	}
	return p.Name
}

// formID reads an id the page itself wrote into the form, 0 if there is
// none or it is not one; the handler that saves reports bad values.
func formID(form *web.Form, name string) int64 {
	id, err := strconv.ParseInt(form.Get(name), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

// formIDList reads the ids the page wrote into the form, skipping bad ones.
func formIDList(form *web.Form, name string) []int64 {
	var out []int64
	for _, s := range form.Values[name] {
		if id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return distinct(out)
}

// sponsorOptions lists "no sponsor", the sponsor chosen and the people the
// search found; a search that finds one person when none is chosen chooses
// that person.
func (h *handler) sponsorOptions(ctx context.Context, form *web.Form, found []org.Person) ([]web.Option, error) {
	opts := []web.Option{web.Choose("implement.group.no_sponsor")}
	chosen := formID(form, "sponsor_id")
	if chosen > 0 {
		names, err := h.svc.GroupPeople(ctx, []int64{chosen})
		if err != nil {
			return nil, err
		}
		if name, ok := names[chosen]; ok {
			opts = append(opts, web.Option{Value: web.IDText(chosen), Label: name})
		}
	}
	for _, p := range found {
		if p.ID != chosen {
			opts = append(opts, web.Option{Value: web.IDText(p.ID), Label: personLabel(p)})
		}
	}
	if chosen == 0 && len(found) == 1 {
		form.Set("sponsor_id", web.IDText(found[0].ID))
	}
	return opts, nil
}

// Starting a workspace.

// StartPage is the data of the form that starts a workspace.
type StartPage struct {
	Form    *web.Form
	Support web.FieldView
	Sponsor web.FieldView
	Search  PersonSearch
	None    bool // no support is waiting for a workspace
}

var startFields = []string{"support_id", "person_q", "sponsor_id", "planned_end"}

func (h *handler) newImplementation(w http.ResponseWriter, r *http.Request) error {
	form := web.QueryForm(r)
	if form.Get("support_id") == "" {
		form.Set("support_id", form.Get("stod"))
	}
	return h.renderStart(w, r, http.StatusOK, form)
}

func (h *handler) renderStart(w http.ResponseWriter, r *http.Request, status int, form *web.Form) error {
	ctx := r.Context()
	choices, err := h.svc.StartChoices(ctx)
	if err != nil {
		return err
	}
	opts := []web.Option{web.Choose("implement.start.choose_support")}
	for _, c := range choices {
		label := c.Title
		if c.Status != catalog.Decided {
			label += " (" + h.web.Catalog().T(web.LocaleFrom(ctx), "catalog.status."+string(c.Status)) + ")"
		}
		opts = append(opts, web.Option{Value: web.IDText(c.ID), Label: label})
	}
	search, found, err := h.searchPeople(ctx, form)
	if err != nil {
		return err
	}
	sponsors, err := h.sponsorOptions(ctx, form, found)
	if err != nil {
		return err
	}
	hint := "hint=implement.start.sponsor_hint"
	if search.Query != "" {
		hint = "hint=implement.start.sponsor_hint_found"
	}
	data := StartPage{Form: form, Search: search, None: len(choices) == 0,
		Support: form.Select("support_id", "implement.start.support", opts, "required", "hint=implement.start.support_hint"),
		Sponsor: form.Select("sponsor_id", "implement.start.sponsor", sponsors, hint)}
	return h.render(w, r, status, "workspace_start", "implement.start.title", data)
}

func (h *handler) startImplementation(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := Start{SupportID: form.ID("support_id"), SponsorID: form.ID("sponsor_id"), PlannedEnd: form.Date("planned_end")}
	if !form.HasErrors() {
		m, err := h.svc.StartImplementation(r.Context(), in)
		if err == nil {
			h.web.AddFlash(r, "success", "implement.start.done")
			return web.Redirect(w, r, workspaceURL(m.ID))
		}
		// The support's status change is dated the day of the start.
		if !form.Fail(renamed(err, map[string]string{"on": "support_id", "to": "support_id", "started_on": "support_id"})) {
			return err
		}
	}
	form.SortErrors(startFields...)
	return h.renderStart(w, r, http.StatusUnprocessableEntity, form)
}

// renamed moves the problems of a validation error at the fields in names
// to the fields named there; other errors pass unchanged.
func renamed(err error, names map[string]string) error {
	v, ok := errs.AsValidation(err)
	if !ok {
		return err
	}
	out := &errs.ValidationError{}
	for _, f := range v.Fields {
		out.Add(cmp.Or(names[f.Name], f.Name), f.Key, f.Args...)
	}
	return out
}

// The workspace's summary.

// NextStep is one thing the working group should do next: a sentence (with
// a count when N is set) and the page where it is done.
type NextStep struct {
	Key   string
	N     int
	Count bool
	Href  string
}

// WorkspacePart is one part of the workspace, linked from its summary.
type WorkspacePart struct {
	Key  string // the part's name; Key+"_hint" says what it holds
	Href string
}

// WorkspacePage is the data of a workspace's summary page.
type WorkspacePage struct {
	W              Workspace
	Open           int // required checklist items not yet done or waived
	Steps          []NextStep
	Parts          []WorkspacePart
	Municipalities []string // the names of the municipalities concerned
	Dependent      bool     // fewer than two improvement leads
}

// workspaceParts are the parts of a workspace, in the order of the work.
var workspaceParts = []struct{ key, path string }{
	{"group", "arbetsgrupp"},
	{"gap", "gap"},
	{"surveys", "enkater"},
	{"plan", "handlingsplan"},
	{"history", "historik"},
	{"communication", "kommunikation"},
	{"checklist", "checklista"},
	{"report", "rapport"},
	{"exchange", "utbyte"},
	{"template", "mall"},
}

func (h *handler) workspace(w http.ResponseWriter, r *http.Request) error {
	id, ws, err := h.pathWorkspace(r)
	if err != nil {
		return err
	}
	_, open := Ready(ws.Checklist)
	data := WorkspacePage{W: ws, Open: len(open), Steps: nextSteps(ws), Dependent: ws.Support.PersonDependent()}
	base := workspaceURL(id) + "/"
	for _, p := range workspaceParts {
		if p.key == "template" && !ws.Rights.Coordinate {
			continue // only the coordinator changes the template in use
		}
		data.Parts = append(data.Parts, WorkspacePart{Key: "implement.workspace.part." + p.key, Href: base + p.path})
	}
	data.Municipalities = ws.MunicipalityList()
	return h.render(w, r, http.StatusOK, "workspace_summary", "implement.workspace.page_title", data, "title", ws.Support.Title)
}

// nextSteps works out what the working group should do next, in the order
// of the work; an introduced implementation has only its report left.
func nextSteps(ws Workspace) []NextStep {
	base := workspaceURL(ws.Implementation.ID) + "/"
	if !ws.Implementation.IntroducedOn.IsZero() {
		return []NextStep{{Key: "implement.workspace.step.report", Href: base + "rapport"}}
	}
	var steps []NextStep
	if leads := len(ws.Support.LeadIDs); leads < 2 {
		steps = append(steps, NextStep{Key: "implement.workspace.step.leads", N: leads, Count: true, Href: "/kunskapsstod/" + strconv.FormatInt(ws.Support.ID, 10)})
	}
	if ws.Implementation.SponsorID == 0 {
		steps = append(steps, NextStep{Key: "implement.workspace.step.sponsor", Href: base + "arbetsgrupp"})
	}
	if n := ws.Profile.NotJudged; n > 0 {
		steps = append(steps, NextStep{Key: "implement.workspace.step.judge", N: n, Count: true, Href: base + "gap"})
	}
	switch {
	case len(ws.Actions) == 0:
		steps = append(steps, NextStep{Key: "implement.workspace.step.plan", Href: base + "handlingsplan"})
	case ws.Progress.Overdue > 0:
		steps = append(steps, NextStep{Key: "implement.workspace.step.overdue", N: ws.Progress.Overdue, Count: true, Href: base + "handlingsplan"})
	}
	if len(ws.Communications) == 0 {
		steps = append(steps, NextStep{Key: "implement.workspace.step.communication", Href: base + "kommunikation"})
	}
	if ready, open := Ready(ws.Checklist); ready {
		steps = append(steps, NextStep{Key: "implement.workspace.step.introduce", Href: base + "infort"})
	} else {
		steps = append(steps, NextStep{Key: "implement.workspace.step.checklist", N: len(open), Count: true, Href: base + "checklista"})
	}
	return steps
}

// The working group.

// GroupChoice is one checkbox of the working-group form.
type GroupChoice struct {
	Value   string
	Label   string
	Checked bool
}

// GroupSaved is the working group as someone else saved it, shown beside
// the form after a conflict.
type GroupSaved struct {
	Sponsor        string
	Members        []string
	Municipalities []string
	PlannedEnd     date.Date
}

// GroupPage is the data of the working-group page.
type GroupPage struct {
	W              Workspace
	Edit           bool // the user may change the group now
	Form           *web.Form
	Sponsor        web.FieldView
	Members        []GroupChoice // chosen, then those the search found
	Search         PersonSearch
	Municipalities []GroupChoice
	Saved          GroupSaved // the group as stored, for the read-only view
	Conflict       *GroupSaved
}

var groupFields = []string{"conflict", "sponsor_id", "person_q", "member_ids", "municipalities", "planned_end"}

func groupFormOf(m Implementation) *web.Form {
	form := web.NewForm()
	form.Set("sponsor_id", web.IDText(m.SponsorID))
	for _, p := range m.MemberIDs {
		form.Values.Add("member_ids", web.IDText(p))
	}
	for _, c := range m.Municipalities {
		form.Values.Add("municipalities", c)
	}
	form.Set("planned_end", m.PlannedEnd.String())
	form.SetVersion(m.Version)
	return form
}

func (h *handler) group(w http.ResponseWriter, r *http.Request) error {
	_, ws, err := h.pathWorkspace(r)
	if err != nil {
		return err
	}
	form := groupFormOf(ws.Implementation)
	if r.URL.Query().Get("sok") != "" && r.URL.Query().Get("version") != "" && groupEditable(ws) {
		// A person search from the form: what was chosen so far, and the
		// version it was chosen on, stay as they were.
		form = web.QueryForm(r)
	}
	return h.renderGroup(w, r, http.StatusOK, ws, form, nil)
}

// groupEditable reports whether the user may change the working group now.
func groupEditable(ws Workspace) bool {
	return ws.Rights.Edit && ws.Implementation.IntroducedOn.IsZero()
}

func (h *handler) renderGroup(w http.ResponseWriter, r *http.Request, status int, ws Workspace, form *web.Form, conflict *GroupSaved) error {
	ctx := r.Context()
	data := GroupPage{W: ws, Edit: groupEditable(ws), Form: form, Conflict: conflict}
	saved, err := h.groupSaved(ctx, ws)
	if err != nil {
		return err
	}
	data.Saved = saved
	if !data.Edit {
		return h.render(w, r, status, "workspace_group", "implement.group.page_title", data, "title", ws.Support.Title)
	}
	search, found, err := h.searchPeople(ctx, form)
	if err != nil {
		return err
	}
	data.Search = search
	sponsors, err := h.sponsorOptions(ctx, form, nil)
	if err != nil {
		return err
	}
	for _, p := range found {
		if web.IDText(p.ID) != form.Get("sponsor_id") {
			sponsors = append(sponsors, web.Option{Value: web.IDText(p.ID), Label: personLabel(p)})
		}
	}
	data.Sponsor = form.Select("sponsor_id", "implement.group.sponsor", sponsors, "hint=implement.group.sponsor_hint")

	chosen := formIDList(form, "member_ids")
	names, err := h.svc.GroupPeople(ctx, chosen)
	if err != nil {
		return err
	}
	for _, p := range chosen {
		if name, ok := names[p]; ok {
			data.Members = append(data.Members, GroupChoice{Value: web.IDText(p), Label: name, Checked: true})
		}
	}
	slices.SortStableFunc(data.Members, func(a, b GroupChoice) int { return strings.Compare(a.Label, b.Label) })
	for _, p := range found {
		if !slices.Contains(chosen, p.ID) {
			data.Members = append(data.Members, GroupChoice{Value: web.IDText(p.ID), Label: personLabel(p)})
		}
	}

	ms, err := h.orgService().Municipalities(ctx)
	if err != nil {
		return err
	}
	picked := form.Values["municipalities"]
	for _, m := range ms {
		data.Municipalities = append(data.Municipalities, GroupChoice{Value: m.Code, Label: m.Name, Checked: slices.Contains(picked, m.Code)})
	}
	for _, c := range picked {
		if !slices.ContainsFunc(ms, func(m org.Municipality) bool { return m.Code == c }) && c != "" {
			data.Municipalities = append(data.Municipalities, GroupChoice{Value: c, Label: c, Checked: true})
		}
	}
	return h.render(w, r, status, "workspace_group", "implement.group.page_title", data, "title", ws.Support.Title)
}

// groupSaved names the working group as stored.
func (h *handler) groupSaved(ctx context.Context, ws Workspace) (GroupSaved, error) {
	m := ws.Implementation
	g := GroupSaved{PlannedEnd: m.PlannedEnd}
	names, err := h.svc.GroupPeople(ctx, append([]int64{m.SponsorID}, m.MemberIDs...))
	if err != nil {
		return GroupSaved{}, err
	}
	g.Sponsor = names[m.SponsorID]
	for _, p := range m.MemberIDs {
		g.Members = append(g.Members, names[p])
	}
	slices.Sort(g.Members)
	g.Municipalities = ws.MunicipalityList()
	return g, nil
}

func (h *handler) saveGroup(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ws, err := h.svc.Workspace(ctx, id)
	if err != nil {
		return err
	}
	if !ws.Rights.Edit {
		return fmt.Errorf("implementation %d: working group: %w", id, errs.ErrForbidden)
	}
	form, version, err := versionedForm(r)
	if err != nil {
		return err
	}
	in := ws.Implementation
	in.SponsorID, in.MemberIDs, in.PlannedEnd, in.Version = form.ID("sponsor_id"), form.IDs("member_ids"), form.Date("planned_end"), version
	in.Municipalities = nil
	for _, c := range form.Values["municipalities"] {
		if c = strings.TrimSpace(c); c != "" {
			in.Municipalities = append(in.Municipalities, c)
		}
	}
	status := http.StatusUnprocessableEntity
	var conflict *GroupSaved
	if !form.HasErrors() {
		_, err := h.svc.UpdateGroup(ctx, in)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "implement.group.saved")
			return web.Redirect(w, r, workspaceURL(id))
		case errors.Is(err, errs.ErrConflict):
			if ws, err = h.svc.Workspace(ctx, id); err != nil {
				return err
			}
			saved, err := h.groupSaved(ctx, ws)
			if err != nil {
				return err
			}
			form.Conflict(ws.Implementation.Version, "implement.group.conflict")
			status, conflict = http.StatusConflict, &saved
		case !form.Fail(err):
			return err
		}
	}
	form.SortErrors(groupFields...)
	return h.renderGroup(w, r, status, ws, form, conflict)
}
