package implement

import (
	"cmp"
	"context"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/chart"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// planRoutes registers the action plan, the communication plan, the
// checklist, marking introduced and the region's checklist model. The
// service decides who reads and edits a workspace.
func (h *handler) planRoutes() {
	h.web.Handle("GET /inforande/{id}/handlingsplan", Read, h.actionPlan)
	h.web.Handle("GET /inforande/{id}/handlingsplan.csv", Read, func(w http.ResponseWriter, r *http.Request) error { return h.actionPlanFile(w, r, "csv") })
	h.web.Handle("GET /inforande/{id}/handlingsplan.xlsx", Read, func(w http.ResponseWriter, r *http.Request) error { return h.actionPlanFile(w, r, "xlsx") })
	h.web.Handle("GET /inforande/{id}/atgarder/ny", Read, h.newAction)
	h.web.Handle("POST /inforande/{id}/atgarder/ny", Read, h.createAction)
	h.web.Handle("GET /inforande/{id}/atgarder/{aid}", Read, h.editAction)
	h.web.Handle("POST /inforande/{id}/atgarder/{aid}", Read, h.saveAction)
	h.web.Handle("GET /inforande/{id}/atgarder/{aid}/ta-bort", Read, h.confirmDeleteAction)
	h.web.Handle("POST /inforande/{id}/atgarder/{aid}/ta-bort", Read, h.deleteAction)
	h.web.Handle("GET /inforande/{id}/kommunikation", Read, h.commPlan)
	h.web.Handle("GET /inforande/{id}/kommunikation/ny", Read, h.newComm)
	h.web.Handle("POST /inforande/{id}/kommunikation/ny", Read, h.createComm)
	h.web.Handle("GET /inforande/{id}/kommunikation/{cid}", Read, h.editComm)
	h.web.Handle("POST /inforande/{id}/kommunikation/{cid}", Read, h.saveComm)
	h.web.Handle("GET /inforande/{id}/kommunikation/{cid}/ta-bort", Read, h.confirmDeleteComm)
	h.web.Handle("POST /inforande/{id}/kommunikation/{cid}/ta-bort", Read, h.deleteComm)
	h.web.Handle("GET /inforande/{id}/checklista", Read, h.checklist)
	h.web.Handle("POST /inforande/{id}/checklista", Read, h.addItem)
	h.web.Handle("POST /inforande/{id}/checklista/{iid}", Read, h.changeItem)
	h.web.Handle("GET /inforande/{id}/infort", Read, h.introduceForm)
	h.web.Handle("POST /inforande/{id}/infort", Read, h.introduce)
	h.web.Handle("GET /inforande/checklista", Oversee, h.checklistModel)
	h.web.Handle("POST /inforande/checklista", Coordinate, h.saveChecklistModel)
}

// tr looks key up in the catalogue in the request's language.
func (h *handler) tr(ctx context.Context, key string, args ...any) string {
	return h.web.Catalog().T(web.LocaleFrom(ctx), key, args...)
}

func implURL(id int64) string { return "/inforande/" + web.IDText(id) }

// canChange reports whether the user may change the workspace now: a member
// of the working group or the coordinator, before it is introduced.
func canChange(w Workspace) bool { return w.Rights.Edit && w.Implementation.IntroducedOn.IsZero() }

// personOptions lists the people the workspace names (the working group and
// those already responsible), by name, after a "choose" option.
func personOptions(w Workspace, chooseKey string) []web.Option {
	type p struct {
		id   int64
		name string
	}
	ps := make([]p, 0, len(w.People))
	for id, n := range w.People {
		ps = append(ps, p{id, n})
	}
	slices.SortFunc(ps, func(a, b p) int { return cmp.Or(strings.Compare(a.name, b.name), cmp.Compare(a.id, b.id)) })
	out := []web.Option{web.Choose(chooseKey)}
	for _, x := range ps {
		out = append(out, web.Option{Value: web.IDText(x.id), Label: x.name})
	}
	return out
}

// The action plan page.

// GapRef is a gap an action closes, as the plan shows it.
type GapRef struct {
	Code string
	Size GapSize
}

// ActionRow is one action of the plan as the page shows it.
type ActionRow struct {
	Action
	Responsible string
	Overdue     bool
	Gaps        []GapRef
	StatusName  string
	// GapText lists the gaps as recommendation codes with their sizes.
	GapText string
}

// PlanPage is the data of the action plan.
type PlanPage struct {
	W          Workspace
	CanEdit    bool
	Rows       []ActionRow
	Filter     *web.Form
	Statuses   []web.Option
	People     []web.Option
	Status     ActionStatus
	Person     int64
	LateOnly   bool
	Filtered   bool
	Year       int
	Prev, Next int
	Timeline   template.HTML
	Table      template.HTML
	CSV, XLSX  string
}

// PlanNav names the page's own link in the plan's navigation.
func (PlanPage) PlanNav() string { return "actions" }

// planFilter reads the plan's filters: status, responsible person, overdue
// only, and the timeline's year.
func planFilter(r *http.Request, today date.Date) (form *web.Form, status ActionStatus, person int64, lateOnly bool, year int) {
	form = web.QueryForm(r)
	if s := ActionStatus(form.Get("status")); slices.Contains(ActionStatuses, s) {
		status = s
	}
	person = form.ID("ansvarig")
	lateOnly = form.Get("forsenade") == "1"
	year = today.Year()
	if n, err := strconv.Atoi(form.Get("ar")); err == nil && n >= 2000 && n <= 2100 {
		year = n
	}
	return form, status, person, lateOnly, year
}

// planRows lays out the actions that pass the filters, wording statuses and
// gap sizes with tr.
func planRows(w Workspace, status ActionStatus, person int64, lateOnly bool, tr func(string) string) []ActionRow {
	codes := make(map[int64]GapRef, len(w.Gaps))
	for _, rec := range w.Recommendations {
		if g, ok := w.Gaps[rec.ID]; ok {
			codes[g.ID] = GapRef{Code: rec.Code, Size: g.Size}
		}
	}
	words := map[string]string{}
	for _, st := range ActionStatuses {
		words["implement.action.status."+string(st)] = tr("implement.action.status." + string(st))
	}
	for _, g := range GapSizes {
		words["implement.action.gap_size."+string(g)] = tr("implement.action.gap_size." + string(g))
	}
	rows := make([]ActionRow, 0, len(w.Actions))
	for _, a := range w.Actions {
		late := a.Overdue(w.Today)
		if (status != "" && a.Status != status) || (person != 0 && a.ResponsibleID != person) || (lateOnly && !late) {
			continue
		}
		row := ActionRow{Action: a, Responsible: w.People[a.ResponsibleID], Overdue: late, StatusName: words["implement.action.status."+string(a.Status)]}
		var b strings.Builder
		for _, g := range a.GapIDs {
			if ref, ok := codes[g]; ok {
				row.Gaps = append(row.Gaps, ref)
				if b.Len() > 0 {
					b.WriteString(", ")
				}
				b.WriteString(ref.Code)
				if ref.Size != "" {
					b.WriteString(" (" + words["implement.action.gap_size."+string(ref.Size)] + ")")
				}
			}
		}
		row.GapText = b.String()
		rows = append(rows, row)
	}
	return rows
}

func (h *handler) actionPlan(w http.ResponseWriter, r *http.Request) error {
	id, ws, err := h.pathWorkspace(r)
	if err != nil {
		return err
	}
	form, status, person, lateOnly, year := planFilter(r, ws.Today)
	page := PlanPage{W: ws, CanEdit: canChange(ws), Filter: form, Status: status, Person: person, LateOnly: lateOnly,
		Filtered: status != "" || person != 0 || lateOnly, Year: year, Prev: year - 1, Next: year + 1}
	page.Rows = planRows(ws, status, person, lateOnly, func(k string) string { return h.tr(r.Context(), k) })
	page.Statuses = append([]web.Option{{Value: "", LabelKey: "implement.action.filter_all"}}, web.EnumOptions(ActionStatuses, "implement.action.status.")...)
	for i := range page.Statuses {
		page.Statuses[i].Selected = page.Statuses[i].Value == string(status)
	}
	page.People = personOptions(ws, "implement.action.filter_anyone")
	for i := range page.People {
		page.People[i].Selected = page.People[i].Value == web.IDText(person) && person != 0
	}
	tl := h.planTimeline(r.Context(), page.Rows, year, ws.Today)
	if page.Timeline, err = tl.SVG(); err != nil {
		return err
	}
	page.Table = tl.Table().HTML()
	q := r.URL.Query()
	page.CSV = planURL(id) + ".csv?" + q.Encode()
	page.XLSX = planURL(id) + ".xlsx?" + q.Encode()
	return h.render(w, r, http.StatusOK, "plan_actions", "implement.action.title", page, "title", ws.Support.Title)
}

// planTimeline draws the actions of year as bars, milestones as points.
func (h *handler) planTimeline(ctx context.Context, rows []ActionRow, year int, today date.Date) chart.Timeline {
	loc := web.LocaleFrom(ctx)
	tl := chart.Timeline{ID: "handlingsplan-tidslinje", Title: h.tr(ctx, "implement.action.timeline", "year", strconv.Itoa(year)),
		Year: year, Today: today, Locale: loc,
		LabelTitle: h.tr(ctx, "implement.action.title_field"), StartTitle: h.tr(ctx, "implement.action.start"),
		EndTitle: h.tr(ctx, "implement.action.due"), StatusTitle: h.tr(ctx, "implement.action.status"),
		LateText: h.tr(ctx, "implement.action.overdue"), TodayText: h.tr(ctx, "chart.timeline.today"),
		EmptyText: h.tr(ctx, "implement.action.timeline_empty")}
	for _, a := range rows {
		if a.Status == ActionCancelled || a.Due.Year() < year || a.Start.Year() > year {
			continue
		}
		st := a.StatusName
		if a.Milestone {
			st += ", " + h.tr(ctx, "implement.action.milestone")
		}
		tl.Bars = append(tl.Bars, chart.Bar{Label: a.Title, Start: a.Start, End: a.Due, Status: st, Late: a.Overdue, Milestone: a.Milestone})
	}
	return tl
}

// ActionPlanTable lays out the action plan for CSV and XLSX.
func ActionPlanTable(rows []ActionRow, title string, cat *i18n.Catalog, loc i18n.Locale) doc.Table {
	t := func(key string, args ...any) string { return cat.T(loc, key, args...) }
	tb := doc.Table{Title: t("implement.action.file_title", "title", title), Columns: []doc.Column{
		{Header: t("implement.action.title_field"), Width: 40}, {Header: t("implement.action.responsible"), Width: 24},
		{Header: t("implement.action.start")}, {Header: t("implement.action.due")}, {Header: t("implement.action.status")},
		{Header: t("implement.action.overdue")}, {Header: t("implement.action.effort")}, {Header: t("implement.action.milestone")},
		{Header: t("implement.action.done_on")}, {Header: t("implement.action.gaps"), Width: 30}, {Header: t("implement.action.description"), Width: 50},
	}}
	for _, r := range rows {
		late, ms := "", ""
		if r.Overdue {
			late = t("common.yes")
		}
		if r.Milestone {
			ms = t("common.yes")
		}
		codes := make([]string, len(r.Gaps))
		for i, g := range r.Gaps {
			codes[i] = g.Code
		}
		tb.Rows = append(tb.Rows, []doc.Cell{doc.Text(r.Title), doc.Text(r.Responsible), doc.Date(r.Start), doc.Date(r.Due),
			doc.Text(t("implement.action.status." + string(r.Status))), doc.Text(late), doc.Int(int64(r.EffortHours)), doc.Text(ms),
			doc.Date(r.DoneOn), doc.Text(strings.Join(codes, ", ")), doc.Text(r.Description)})
	}
	return tb
}

func (h *handler) actionPlanFile(w http.ResponseWriter, r *http.Request, format string) error {
	id, ws, err := h.pathWorkspace(r)
	if err != nil {
		return err
	}
	_, status, person, lateOnly, _ := planFilter(r, ws.Today)
	loc := web.LocaleFrom(r.Context())
	tb := ActionPlanTable(planRows(ws, status, person, lateOnly, func(k string) string { return h.tr(r.Context(), k) }), ws.Support.Title, h.web.Catalog(), loc)
	name := h.tr(r.Context(), "implement.action.file", "id", web.IDText(id))
	if format == "csv" {
		return doc.ServeCSV(w, name+".csv", tb)
	}
	return doc.ServeXLSX(w, name+".xlsx", tb)
}

// The action form.

// GapChoice is a gap the action form offers as a checkbox.
type GapChoice struct {
	ID      int64
	Code    string
	Text    string
	Size    GapSize
	Checked bool
}

// ActionFormPage is the data of the new-action and edit-action pages.
type ActionFormPage struct {
	W        Workspace
	Form     *web.Form
	Action   Action // as stored, when editing
	New      bool
	Gaps     []GapChoice
	Conflict *Action
	People   []web.Option
	Statuses []web.Option
	// ConflictGaps are the recommendation codes of the gaps the stored
	// version closes.
	ConflictGaps []string
}

var actionFields = []string{"conflict", "title", "description", "responsible_id", "start", "due", "status", "effort_hours", "milestone", "done_on", "gap_ids"}

func actionFormOf(a Action) *web.Form {
	f := web.NewForm()
	f.Set("title", a.Title)
	f.Set("description", a.Description)
	if a.ResponsibleID != 0 {
		f.Set("responsible_id", web.IDText(a.ResponsibleID))
	}
	f.Set("start", dateText(a.Start))
	f.Set("due", dateText(a.Due))
	f.Set("status", string(a.Status))
	f.Set("effort_hours", strconv.Itoa(a.EffortHours))
	if a.Milestone {
		f.Set("milestone", "1")
	}
	f.Set("done_on", dateText(a.DoneOn))
	for _, g := range a.GapIDs {
		f.Values.Add("gap_ids", web.IDText(g))
	}
	if a.Version != 0 {
		f.SetVersion(a.Version)
	}
	return f
}

// optInt reads an optional whole number: empty is 0.
func optInt(form *web.Form, name string) int {
	if form.Get(name) == "" {
		return 0
	}
	return int(form.Int(name))
}

func dateText(d date.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// actionFromForm reads the action form; problems in reading numbers and
// dates go on the form.
func actionFromForm(form *web.Form) Action {
	a := Action{Title: form.Get("title"), Description: form.Get("description"), ResponsibleID: form.ID("responsible_id"),
		Start: form.Date("start"), Due: form.Date("due"), Status: ActionStatus(form.Get("status")),
		EffortHours: optInt(form, "effort_hours"), Milestone: form.Get("milestone") == "1", DoneOn: form.Date("done_on"),
		GapIDs: form.IDs("gap_ids")}
	return a
}

func (h *handler) actionForm(w Workspace, form *web.Form, a Action, isNew bool) ActionFormPage {
	p := ActionFormPage{W: w, Form: form, Action: a, New: isNew}
	checked := map[int64]bool{}
	for _, g := range form.IDs("gap_ids") {
		checked[g] = true
	}
	for _, rec := range w.Recommendations {
		if g, ok := w.Gaps[rec.ID]; ok {
			p.Gaps = append(p.Gaps, GapChoice{ID: g.ID, Code: rec.Code, Text: rec.Text, Size: g.Size, Checked: checked[g.ID]})
		}
	}
	p.People = personOptions(w, "implement.action.choose_person")
	p.Statuses = web.EnumOptions(ActionStatuses, "implement.action.status.")
	return p
}

// changeable reads the workspace and refuses a user who may not change it.
func (h *handler) changeable(r *http.Request, id int64) (Workspace, error) {
	ws, err := h.svc.Workspace(r.Context(), id)
	if err != nil {
		return Workspace{}, err
	}
	if !ws.Rights.Edit {
		return Workspace{}, errs.ErrForbidden
	}
	if !ws.Implementation.IntroducedOn.IsZero() {
		return Workspace{}, errs.ErrLocked
	}
	return ws, nil
}

func (h *handler) newAction(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ws, err := h.changeable(r, id)
	if err != nil {
		return err
	}
	a := Action{Status: ActionPlanned, Start: ws.Today, Due: ws.Today.AddDays(30)}
	return h.render(w, r, http.StatusOK, "plan_action_form", "implement.action.new_title", h.actionForm(ws, actionFormOf(a), Action{}, true))
}

func (h *handler) createAction(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	ws, err := h.changeable(r, id)
	if err != nil {
		return err
	}
	a := actionFromForm(form)
	a.ImplementationID = id
	if !form.HasErrors() {
		saved, err := h.svc.CreateAction(r.Context(), a)
		if err == nil {
			h.web.AddFlash(r, "success", "implement.action.created", "title", saved.Title)
			return web.Redirect(w, r, planURL(id))
		}
		if !form.Fail(err) {
			return err
		}
	}
	form.SortErrors(actionFields...)
	return h.render(w, r, http.StatusUnprocessableEntity, "plan_action_form", "implement.action.new_title", h.actionForm(ws, form, Action{}, true))
}

func (h *handler) editAction(w http.ResponseWriter, r *http.Request) error {
	id, aid, err := pathIDs(r, "aid")
	if err != nil {
		return err
	}
	ws, err := h.changeable(r, id)
	if err != nil {
		return err
	}
	a, err := h.svc.Action(r.Context(), id, aid)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "plan_action_form", "implement.action.edit_title", h.actionForm(ws, actionFormOf(a), a, false), "title", a.Title)
}

func (h *handler) saveAction(w http.ResponseWriter, r *http.Request) error {
	id, aid, err := pathIDs(r, "aid")
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	ws, err := h.changeable(r, id)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	current, err := h.svc.Action(r.Context(), id, aid)
	if err != nil {
		return err
	}
	a := actionFromForm(form)
	a.ImplementationID, a.ID, a.Version = id, aid, version
	var saved Action
	err = nil
	if !form.HasErrors() {
		saved, err = h.svc.UpdateAction(r.Context(), a)
	}
	status := http.StatusUnprocessableEntity
	var conflict *Action
	switch {
	case form.HasErrors():
	case err == nil:
		h.web.AddFlash(r, "success", "implement.action.saved", "title", saved.Title)
		return web.Redirect(w, r, planURL(id))
	case errors.Is(err, errs.ErrConflict):
		if current, err = h.svc.Action(r.Context(), id, aid); err != nil {
			return err
		}
		form.Conflict(current.Version, "implement.action.conflict")
		status, conflict = http.StatusConflict, &current
	case !form.Fail(err):
		return err
	}
	form.SortErrors(actionFields...)
	page := h.actionForm(ws, form, current, false)
	page.Conflict = conflict
	if conflict != nil {
		for _, g := range page.Gaps {
			if slices.Contains(conflict.GapIDs, g.ID) {
				page.ConflictGaps = append(page.ConflictGaps, g.Code)
			}
		}
	}
	return h.render(w, r, status, "plan_action_form", "implement.action.edit_title", page, "title", current.Title)
}

// DeletePage is the data of a page that confirms deleting a row of a plan.
type DeletePage struct {
	W     Workspace
	Title string // what is deleted
	Form  *web.Form
	Back  string
}

// rowDelete names the template and message keys of deleting a row of a plan.
type rowDelete struct {
	Page, TitleKey, ConflictKey, DoneKey string
}

var (
	actionDelete = rowDelete{Page: "plan_action_delete", TitleKey: "implement.action.delete_title",
		ConflictKey: "implement.action.delete_conflict", DoneKey: "implement.action.deleted"}
	commDelete = rowDelete{Page: "comm_delete", TitleKey: "implement.comm.delete_title",
		ConflictKey: "implement.comm.delete_conflict", DoneKey: "implement.comm.deleted"}
)

// confirmDelete shows the page that confirms deleting a row at version.
func (h *handler) confirmDelete(w http.ResponseWriter, r *http.Request, rd rowDelete, page DeletePage, version int64) error {
	page.Form = web.NewForm()
	page.Form.SetVersion(version)
	return h.render(w, r, http.StatusOK, rd.Page, rd.TitleKey, page, "title", page.Title)
}

// deleted ends deleting a row with the error of the deletion: a row changed
// since (current is its version now) shows the confirm page again with the
// conflict, a deleted one goes back with a flash.
func (h *handler) deleted(w http.ResponseWriter, r *http.Request, rd rowDelete, page DeletePage, current int64, err error) error {
	if errors.Is(err, errs.ErrConflict) {
		page.Form.Conflict(current, rd.ConflictKey)
		return h.render(w, r, http.StatusConflict, rd.Page, rd.TitleKey, page, "title", page.Title)
	}
	if err != nil {
		return err
	}
	h.web.AddFlash(r, "success", rd.DoneKey, "title", page.Title)
	return web.Redirect(w, r, page.Back)
}

func (h *handler) confirmDeleteAction(w http.ResponseWriter, r *http.Request) error {
	id, aid, err := pathIDs(r, "aid")
	if err != nil {
		return err
	}
	ws, err := h.changeable(r, id)
	if err != nil {
		return err
	}
	a, err := h.svc.Action(r.Context(), id, aid)
	if err != nil {
		return err
	}
	return h.confirmDelete(w, r, actionDelete, DeletePage{W: ws, Title: a.Title, Back: planURL(id)}, a.Version)
}

func (h *handler) deleteAction(w http.ResponseWriter, r *http.Request) error {
	id, aid, err := pathIDs(r, "aid")
	if err != nil {
		return err
	}
	form, version, err := versionedForm(r)
	if err != nil {
		return err
	}
	ws, err := h.changeable(r, id)
	if err != nil {
		return err
	}
	a, err := h.svc.Action(r.Context(), id, aid)
	if err != nil {
		return err
	}
	err = h.svc.DeleteAction(r.Context(), id, aid, version)
	return h.deleted(w, r, actionDelete, DeletePage{W: ws, Title: a.Title, Form: form, Back: planURL(id)}, a.Version, err)
}

// The communication plan.

func commURL(id int64) string { return implURL(id) + "/kommunikation" }

// CommRow is one row of the communication plan as the page shows it.
type CommRow struct {
	Communication
	Responsible string
}

// CommPage is the data of the communication plan.
type CommPage struct {
	W       Workspace
	CanEdit bool
	Rows    []CommRow
}

// PlanNav names the page's own link in the plan's navigation.
func (CommPage) PlanNav() string { return "comm" }

func (h *handler) commPlan(w http.ResponseWriter, r *http.Request) error {
	_, ws, err := h.pathWorkspace(r)
	if err != nil {
		return err
	}
	page := CommPage{W: ws, CanEdit: canChange(ws)}
	for _, c := range ws.Communications {
		page.Rows = append(page.Rows, CommRow{Communication: c, Responsible: ws.People[c.ResponsibleID]})
	}
	return h.render(w, r, http.StatusOK, "comm_list", "implement.comm.title", page, "title", ws.Support.Title)
}

// CommFormPage is the data of the new and edit pages of a communication.
type CommFormPage struct {
	W        Workspace
	Form     *web.Form
	Comm     Communication
	New      bool
	Conflict *Communication
	People   []web.Option
	Channels []web.Option
}

var commFields = []string{"conflict", "target_group", "message", "channel", "planned_on", "responsible_id", "done_on"}

func commFormOf(c Communication) *web.Form {
	f := web.NewForm()
	f.Set("target_group", c.TargetGroup)
	f.Set("message", c.Message)
	f.Set("channel", string(c.Channel))
	f.Set("planned_on", dateText(c.PlannedOn))
	if c.ResponsibleID != 0 {
		f.Set("responsible_id", web.IDText(c.ResponsibleID))
	}
	f.Set("done_on", dateText(c.DoneOn))
	if c.Version != 0 {
		f.SetVersion(c.Version)
	}
	return f
}

func commFromForm(form *web.Form) Communication {
	return Communication{TargetGroup: form.Get("target_group"), Message: form.Get("message"), Channel: Channel(form.Get("channel")),
		PlannedOn: form.Date("planned_on"), ResponsibleID: form.ID("responsible_id"), DoneOn: form.Date("done_on")}
}

func (h *handler) commForm(w Workspace, form *web.Form, c Communication, isNew bool) CommFormPage {
	return CommFormPage{W: w, Form: form, Comm: c, New: isNew, People: personOptions(w, "implement.action.choose_person"),
		Channels: append([]web.Option{web.Choose("implement.comm.choose_channel")}, web.EnumOptions(Channels, "implement.comm.channel.")...)}
}

func (h *handler) newComm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ws, err := h.changeable(r, id)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "comm_form", "implement.comm.new_title", h.commForm(ws, commFormOf(Communication{PlannedOn: ws.Today}), Communication{}, true))
}

func (h *handler) createComm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	ws, err := h.changeable(r, id)
	if err != nil {
		return err
	}
	c := commFromForm(form)
	c.ImplementationID = id
	if !form.HasErrors() {
		saved, err := h.svc.CreateCommunication(r.Context(), c)
		if err == nil {
			h.web.AddFlash(r, "success", "implement.comm.created", "title", saved.TargetGroup)
			return web.Redirect(w, r, commURL(id))
		}
		if !form.Fail(err) {
			return err
		}
	}
	form.SortErrors(commFields...)
	return h.render(w, r, http.StatusUnprocessableEntity, "comm_form", "implement.comm.new_title", h.commForm(ws, form, Communication{}, true))
}

func (h *handler) editComm(w http.ResponseWriter, r *http.Request) error {
	id, cid, err := pathIDs(r, "cid")
	if err != nil {
		return err
	}
	ws, err := h.changeable(r, id)
	if err != nil {
		return err
	}
	c, err := h.svc.Communication(r.Context(), id, cid)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "comm_form", "implement.comm.edit_title", h.commForm(ws, commFormOf(c), c, false), "title", c.TargetGroup)
}

func (h *handler) saveComm(w http.ResponseWriter, r *http.Request) error {
	id, cid, err := pathIDs(r, "cid")
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	ws, err := h.changeable(r, id)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	current, err := h.svc.Communication(r.Context(), id, cid)
	if err != nil {
		return err
	}
	c := commFromForm(form)
	c.ImplementationID, c.ID, c.Version = id, cid, version
	var saved Communication
	err = nil
	if !form.HasErrors() {
		saved, err = h.svc.UpdateCommunication(r.Context(), c)
	}
	status := http.StatusUnprocessableEntity
	var conflict *Communication
	switch {
	case form.HasErrors():
	case err == nil:
		h.web.AddFlash(r, "success", "implement.comm.saved", "title", saved.TargetGroup)
		return web.Redirect(w, r, commURL(id))
	case errors.Is(err, errs.ErrConflict):
		if current, err = h.svc.Communication(r.Context(), id, cid); err != nil {
			return err
		}
		form.Conflict(current.Version, "implement.comm.conflict")
		status, conflict = http.StatusConflict, &current
	case !form.Fail(err):
		return err
	}
	form.SortErrors(commFields...)
	page := h.commForm(ws, form, current, false)
	page.Conflict = conflict
	return h.render(w, r, status, "comm_form", "implement.comm.edit_title", page, "title", current.TargetGroup)
}

func (h *handler) confirmDeleteComm(w http.ResponseWriter, r *http.Request) error {
	id, cid, err := pathIDs(r, "cid")
	if err != nil {
		return err
	}
	ws, err := h.changeable(r, id)
	if err != nil {
		return err
	}
	c, err := h.svc.Communication(r.Context(), id, cid)
	if err != nil {
		return err
	}
	return h.confirmDelete(w, r, commDelete, DeletePage{W: ws, Title: c.TargetGroup, Back: commURL(id)}, c.Version)
}

func (h *handler) deleteComm(w http.ResponseWriter, r *http.Request) error {
	id, cid, err := pathIDs(r, "cid")
	if err != nil {
		return err
	}
	form, version, err := versionedForm(r)
	if err != nil {
		return err
	}
	ws, err := h.changeable(r, id)
	if err != nil {
		return err
	}
	c, err := h.svc.Communication(r.Context(), id, cid)
	if err != nil {
		return err
	}
	err = h.svc.DeleteCommunication(r.Context(), id, cid, version)
	return h.deleted(w, r, commDelete, DeletePage{W: ws, Title: c.TargetGroup, Form: form, Back: commURL(id)}, c.Version, err)
}

// The checklist.

func checklistURL(id int64) string { return implURL(id) + "/checklista" }

// ItemView is one checklist item as the page shows it, with its form's
// values and problems when it was just posted.
type ItemView struct {
	ChecklistItem
	Case    *CaseRef
	Cases   []web.Option
	Note    string
	Reason  string
	Errors  *web.Form // the item's own problems, named <field>-<id>
	Custom  bool
	IDText  string
	Version int64
}

// ChecklistPage is the data of the checklist.
type ChecklistPage struct {
	W          Workspace
	CanEdit    bool
	Coordinate bool
	Items      []ItemView
	Form       *web.Form // the problems of the form just posted
	Add        *web.Form
	Settled    int
	Required   int
	Open       []ChecklistItem
}

// PlanNav names the page's own link in the plan's navigation.
func (ChecklistPage) PlanNav() string { return "checklist" }

func (h *handler) checklistPage(r *http.Request, ws Workspace, form *web.Form, posted int64, add *web.Form) (ChecklistPage, error) {
	page := ChecklistPage{W: ws, CanEdit: canChange(ws), Coordinate: ws.Rights.Coordinate && ws.Implementation.IntroducedOn.IsZero(), Form: form, Add: add}
	if page.Form == nil {
		page.Form = web.NewForm()
	}
	if page.Add == nil {
		page.Add = web.NewForm()
	}
	cases, err := h.svc.Cases(r.Context(), ws.Checklist)
	if err != nil {
		return page, err
	}
	var choices []CaseRef
	if page.CanEdit {
		if choices, err = h.svc.CaseChoices(r.Context(), ws.Implementation.ID); err != nil {
			return page, err
		}
	}
	_, page.Open = Ready(ws.Checklist)
	for _, it := range ws.Checklist {
		if it.Required {
			page.Required++
			if it.Settled() {
				page.Settled++
			}
		}
		v := ItemView{ChecklistItem: it, Note: it.Note, Reason: it.WaiveReason, Custom: it.Key == "", IDText: web.IDText(it.ID), Version: it.Version,
			Errors: web.NewForm()}
		if c, ok := cases[it.CaseID]; ok {
			v.Case = &c
		}
		selected := it.CaseID
		if posted == it.ID && form != nil {
			v.Note, v.Reason, selected = form.Get("note"), form.Get("waive_reason"), form.ID("case_id")
			v.Errors = form
		}
		if page.CanEdit {
			v.Cases = []web.Option{{Value: "", LabelKey: "implement.checklist.no_case"}}
			seen := false
			for _, c := range choices {
				seen = seen || c.ID == selected
				v.Cases = append(v.Cases, web.Option{Value: web.IDText(c.ID), Label: c.Number + " " + c.Title, Selected: c.ID == selected})
			}
			if !seen && v.Case != nil && v.Case.ID == selected {
				v.Cases = append(v.Cases, web.Option{Value: web.IDText(v.Case.ID), Label: v.Case.Number + " " + v.Case.Title, Selected: true})
			}
		}
		page.Items = append(page.Items, v)
	}
	return page, nil
}

func (h *handler) checklist(w http.ResponseWriter, r *http.Request) error {
	_, ws, err := h.pathWorkspace(r)
	if err != nil {
		return err
	}
	page, err := h.checklistPage(r, ws, nil, 0, nil)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "checklist_items", "implement.checklist.title", page, "title", ws.Support.Title)
}

// itemErrors renames an item's problems to the item's own fields
// (note-12), so the summary links to the right field.
func itemErrors(form *web.Form, err error, iid int64) bool {
	v, ok := errs.AsValidation(err)
	if !ok {
		return false
	}
	for _, f := range v.Fields {
		name := f.Name
		switch name {
		case "note", "case_id", "waive_reason", "state":
		default:
			name = "state"
		}
		form.AddError(name+"-"+web.IDText(iid), f.Key, f.Args...)
	}
	return true
}

func (h *handler) changeItem(w http.ResponseWriter, r *http.Request) error {
	id, iid, err := pathIDs(r, "iid")
	if err != nil {
		return err
	}
	form, version, err := versionedForm(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	var flash string
	switch form.Get("op") {
	case "waive":
		_, err = h.svc.Waive(ctx, id, iid, form.Get("waive_reason"), version)
		flash = "implement.checklist.waived"
	case "unwaive":
		_, err = h.svc.Unwaive(ctx, id, iid, version)
		flash = "implement.checklist.unwaived"
	case "delete":
		err = h.svc.DeleteItem(ctx, id, iid, version)
		flash = "implement.checklist.deleted"
	default:
		caseID := form.ID("case_id")
		if form.HasErrors() {
			err = errs.Invalidf("case_id", "validation.choice")
			break
		}
		_, err = h.svc.SetItem(ctx, ItemEdit{ImplementationID: id, ID: iid, State: ItemState(form.Get("state")), Note: form.Raw("note"),
			CaseID: caseID, Version: version})
		flash = "implement.checklist.saved"
	}
	if err == nil {
		h.web.AddFlash(r, "success", flash)
		return web.Redirect(w, r, checklistURL(id)+"#item-"+web.IDText(iid))
	}
	status := http.StatusUnprocessableEntity
	errForm := web.NewForm()
	errForm.Values = form.Values
	switch {
	case errors.Is(err, errs.ErrConflict):
		status = http.StatusConflict
		errForm.AddError("state-"+web.IDText(iid), "implement.checklist.conflict")
	case !itemErrors(errForm, err, iid):
		return err
	}
	ws, err := h.svc.Workspace(ctx, id)
	if err != nil {
		return err
	}
	page, err := h.checklistPage(r, ws, errForm, iid, nil)
	if err != nil {
		return err
	}
	return h.render(w, r, status, "checklist_items", "implement.checklist.title", page, "title", ws.Support.Title)
}

func (h *handler) addItem(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	it, err := h.svc.AddItem(r.Context(), id, form.Get("label"), form.Get("required") == "1")
	if err == nil {
		h.web.AddFlash(r, "success", "implement.checklist.added", "label", it.Label)
		return web.Redirect(w, r, checklistURL(id))
	}
	if !form.Fail(err) {
		return err
	}
	ws, err := h.svc.Workspace(r.Context(), id)
	if err != nil {
		return err
	}
	page, err := h.checklistPage(r, ws, form, 0, form)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusUnprocessableEntity, "checklist_items", "implement.checklist.title", page, "title", ws.Support.Title)
}

// Marking introduced.

// IntroducePage is the data of the page that marks the support introduced.
type IntroducePage struct {
	W      Workspace
	Form   *web.Form
	Open   []ChecklistItem
	CanAct bool
}

func (h *handler) introducePage(ws Workspace, form *web.Form) IntroducePage {
	_, open := Ready(ws.Checklist)
	return IntroducePage{W: ws, Form: form, Open: open, CanAct: canChange(ws)}
}

func (h *handler) introduceForm(w http.ResponseWriter, r *http.Request) error {
	_, ws, err := h.pathWorkspace(r)
	if err != nil {
		return err
	}
	form := web.NewForm()
	form.Set("on", ws.Today.String())
	form.SetVersion(ws.Implementation.Version)
	return h.render(w, r, http.StatusOK, "checklist_introduce", "implement.introduce.title", h.introducePage(ws, form), "title", ws.Support.Title)
}

func (h *handler) introduce(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, version, err := versionedForm(r)
	if err != nil {
		return err
	}
	on := form.Date("on")
	if !form.HasErrors() {
		_, err = h.svc.MarkIntroduced(r.Context(), id, on, version)
		if err == nil {
			h.web.AddFlash(r, "success", "implement.introduce.done")
			return web.Redirect(w, r, implURL(id))
		}
	}
	status := http.StatusUnprocessableEntity
	ws, werr := h.svc.Workspace(r.Context(), id)
	if werr != nil {
		return werr
	}
	switch {
	case err == nil:
	case errors.Is(err, errs.ErrConflict):
		status = http.StatusConflict
		form.Conflict(ws.Implementation.Version, "implement.introduce.conflict")
	case !form.Fail(err):
		return err
	}
	return h.render(w, r, status, "checklist_introduce", "implement.introduce.title", h.introducePage(ws, form), "title", ws.Support.Title)
}

// The region's checklist model.

// ModelRow is one row of the model's form.
type ModelRow struct {
	N, I          int
	ID            string
	Version       string
	Key           string
	Label         web.FieldView
	Position      web.FieldView
	Required      bool
	MunicipalOnly bool
	Remove        bool
}

// ModelPage is the data of the region's checklist model.
type ModelPage struct {
	Items   []ModelItem
	Form    *web.Form
	Rows    []ModelRow
	CanEdit bool
}

const emptyModelRows = 2

func modelFormOf(ms []ModelItem) *web.Form {
	f := web.NewForm()
	for i, m := range ms {
		p := "items." + strconv.Itoa(i) + "."
		f.Set(p+"id", web.IDText(m.ID))
		f.Set(p+"version", strconv.FormatInt(m.Version, 10))
		f.Set(p+"label", m.Label)
		f.Set(p+"position", strconv.Itoa(m.Position))
		if m.Required {
			f.Set(p+"required", "1")
		}
		if m.MunicipalOnly {
			f.Set(p+"municipal_only", "1")
		}
	}
	return f
}

func modelRows(form *web.Form, ms []ModelItem, n int) []ModelRow {
	keys := map[string]string{}
	for _, m := range ms {
		keys[web.IDText(m.ID)] = m.Key
	}
	rows := make([]ModelRow, 0, n)
	for i := range n {
		p := "items." + strconv.Itoa(i) + "."
		field := func(name, label, typ string) web.FieldView {
			return web.FieldView{ID: "f-" + p + name, Name: p + name, Label: label, Type: typ, Value: form.Get(p + name), Error: form.ErrorFor(p + name)}
		}
		rows = append(rows, ModelRow{N: i + 1, I: i, ID: form.Get(p + "id"), Version: form.Get(p + "version"), Key: keys[form.Get(p+"id")],
			Label: field("label", "implement.checklist.model_label", "text"), Position: field("position", "implement.checklist.model_position", "number"),
			Required: form.Get(p+"required") == "1", MunicipalOnly: form.Get(p+"municipal_only") == "1", Remove: form.Get(p+"remove") == "1"})
	}
	return rows
}

func (h *handler) checklistModel(w http.ResponseWriter, r *http.Request) error {
	ms, err := h.svc.ChecklistModel(r.Context())
	if err != nil {
		return err
	}
	form := modelFormOf(ms)
	page := ModelPage{Items: ms, Form: form, CanEdit: CanCoordinate(r.Context())}
	page.Rows = modelRows(form, ms, len(ms)+emptyModelRows)
	return h.render(w, r, http.StatusOK, "checklist_model", "implement.checklist.model_title", page)
}

// maxModelRows bounds the rows read from a posted model form.
const maxModelRows = 200

func (h *handler) saveChecklistModel(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	var edits []ModelEdit
	var rowOf []int
	n := 0
	for i := range maxModelRows {
		p := "items." + strconv.Itoa(i) + "."
		if _, ok := form.Values[p+"label"]; !ok {
			continue
		}
		n = i + 1
		e := ModelEdit{ID: form.ID(p + "id"), Label: form.Get(p + "label"), Required: form.Get(p+"required") == "1",
			MunicipalOnly: form.Get(p+"municipal_only") == "1", Remove: form.Get(p+"remove") == "1", Position: optInt(form, p+"position")}
		if e.ID != 0 {
			e.Version = form.Int(p + "version")
		} else if e.Label == "" {
			continue // an empty new row
		}
		edits = append(edits, e)
		rowOf = append(rowOf, i)
	}
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		_, err = h.svc.SaveModel(r.Context(), edits)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "implement.checklist.model_saved")
			return web.Redirect(w, r, "/inforande/checklista")
		case errors.Is(err, errs.ErrConflict):
			status = http.StatusConflict
			form.AddError("conflict", "implement.checklist.model_conflict")
		default:
			v, ok := errs.AsValidation(err)
			if !ok {
				return err
			}
			for _, f := range v.Fields {
				name := f.Name
				if rest, found := strings.CutPrefix(name, "items."); found {
					if k, field, found := strings.Cut(rest, "."); found {
						if j, err := strconv.Atoi(k); err == nil && j < len(rowOf) {
							name = "items." + strconv.Itoa(rowOf[j]) + "." + field
						}
					}
				}
				form.AddError(name, f.Key, f.Args...)
			}
		}
	}
	ms, err := h.svc.ChecklistModel(r.Context())
	if err != nil {
		return err
	}
	if status == http.StatusConflict {
		form = modelFormOf(ms)
		form.AddError("conflict", "implement.checklist.model_conflict")
		n = len(ms)
	}
	page := ModelPage{Items: ms, Form: form, CanEdit: true, Rows: modelRows(form, ms, max(n, len(ms))+emptyModelRows)}
	return h.render(w, r, status, "checklist_model", "implement.checklist.model_title", page)
}
