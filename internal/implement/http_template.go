package implement

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// templateRoutes registers the sjukvårdsregion's gap-analysis templates:
// read by Oversee, changed by the coordinator. A version's pages live under
// /inforande/mallar/version/{tid}, apart from the workspaces'
// /inforande/{id}/…, so the two patterns never claim the same path.
func (h *handler) templateRoutes() {
	h.web.Handle("GET /inforande/mallar", Oversee, h.templateList)
	h.web.Handle("GET /inforande/mallar/version/{tid}", Oversee, h.templateVersion)
	h.web.Handle("POST /inforande/mallar/version/{tid}/ny-version", Coordinate, h.newTemplateVersion)
	h.web.Handle("GET /inforande/mallar/version/{tid}/redigera", Coordinate, h.editTemplate)
	h.web.Handle("POST /inforande/mallar/version/{tid}/redigera", Coordinate, h.saveTemplate)
	h.web.Handle("GET /inforande/mallar/version/{tid}/publicera", Coordinate, h.confirmPublish)
	h.web.Handle("POST /inforande/mallar/version/{tid}/publicera", Coordinate, h.publishTemplate)
	h.web.Handle("GET /inforande/mallar/version/{tid}/ta-bort", Coordinate, h.confirmDeleteTemplate)
	h.web.Handle("POST /inforande/mallar/version/{tid}/ta-bort", Coordinate, h.deleteTemplate)
	h.web.Handle("GET /inforande/{id}/mall", Coordinate, h.useTemplateForm)
	h.web.Handle("POST /inforande/{id}/mall", Coordinate, h.useTemplate)
}

func templateURL(tid int64) string { return "/inforande/mallar/version/" + web.IDText(tid) }

// RegionTemplates are one sjukvårdsregion's template versions, newest first.
type RegionTemplates struct {
	Code     string
	Name     string
	Versions []Template
	Draft    bool
}

// TemplateListPage is the data of the templates page.
type TemplateListPage struct {
	Regions []RegionTemplates
	CanEdit bool
}

func (h *handler) templateList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ts, err := h.svc.Templates(ctx)
	if err != nil {
		return err
	}
	names, err := h.svc.HealthcareRegionNames(ctx)
	if err != nil {
		return err
	}
	data := TemplateListPage{CanEdit: CanCoordinate(ctx)}
	for _, t := range ts {
		if n := len(data.Regions); n == 0 || data.Regions[n-1].Code != t.HealthcareRegion {
			data.Regions = append(data.Regions, RegionTemplates{Code: t.HealthcareRegion, Name: cmp.Or(names[t.HealthcareRegion], t.HealthcareRegion)})
		}
		rt := &data.Regions[len(data.Regions)-1]
		rt.Versions = append(rt.Versions, t)
		rt.Draft = rt.Draft || !t.Published()
	}
	return h.render(w, r, http.StatusOK, "template_list", "implement.template.list_title", data)
}

// LevelQuestions are a template's questions of one level.
type LevelQuestions struct {
	Level     Level
	Questions []Question
}

func tmplByLevel(t Template) []LevelQuestions {
	var out []LevelQuestions
	for _, l := range Levels {
		lq := LevelQuestions{Level: l}
		for _, q := range t.Questions {
			if q.Level == l {
				lq.Questions = append(lq.Questions, q)
			}
		}
		if len(lq.Questions) > 0 {
			out = append(out, lq)
		}
	}
	return out
}

// TemplatePage is the data of one template version's page.
type TemplatePage struct {
	Template   Template
	RegionName string
	Levels     []LevelQuestions
	CanEdit    bool
	Draft      bool // the sjukvårdsregion has a draft (so no new version)
	// Action is the new-version form that failed, with its problem.
	Action *web.Form
}

// loadTemplate reads template tid with its sjukvårdsregion's name.
func (h *handler) loadTemplate(r *http.Request) (Template, string, error) {
	tid, err := web.PathInt(r, "tid")
	if err != nil {
		return Template{}, "", err
	}
	t, err := h.svc.Template(r.Context(), tid)
	if err != nil {
		return Template{}, "", err
	}
	names, err := h.svc.HealthcareRegionNames(r.Context())
	if err != nil {
		return Template{}, "", err
	}
	return t, cmp.Or(names[t.HealthcareRegion], t.HealthcareRegion), nil
}

func (h *handler) templateVersion(w http.ResponseWriter, r *http.Request) error {
	return h.renderTemplateVersion(w, r, http.StatusOK, web.NewForm())
}

func (h *handler) renderTemplateVersion(w http.ResponseWriter, r *http.Request, status int, action *web.Form) error {
	t, name, err := h.loadTemplate(r)
	if err != nil {
		return err
	}
	ts, err := h.svc.Templates(r.Context())
	if err != nil {
		return err
	}
	data := TemplatePage{Template: t, RegionName: name, Levels: tmplByLevel(t), CanEdit: CanCoordinate(r.Context()), Action: action,
		Draft: slices.ContainsFunc(ts, func(o Template) bool { return o.HealthcareRegion == t.HealthcareRegion && !o.Published() })}
	return h.render(w, r, status, "template_version", "implement.template.version_title", data, "region", name, "number", t.Number)
}

func (h *handler) newTemplateVersion(w http.ResponseWriter, r *http.Request) error {
	tid, err := web.PathInt(r, "tid")
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	t, err := h.svc.NewTemplateVersion(r.Context(), tid)
	if err == nil {
		h.web.AddFlash(r, "success", "implement.template.created", "number", t.Number)
		return web.Redirect(w, r, templateURL(t.ID)+"/redigera")
	}
	if !form.Fail(err) {
		return err
	}
	return h.renderTemplateVersion(w, r, http.StatusUnprocessableEntity, form)
}

// The draft's edit form.

// emptyQuestionRows is how many empty rows the edit form offers for new
// questions.
const emptyQuestionRows = 3

// maxQuestionRows bounds the rows read from a posted form.
const maxQuestionRows = 80

// QuestionRow is one question's fields in the template's edit form.
type QuestionRow struct {
	N        int // from 1, for the legend
	Prefix   string
	Key      web.FieldView
	Level    web.FieldView
	Label    web.FieldView
	Help     web.FieldView
	Position web.FieldView
	Required bool
	Remove   bool
	New      bool // an empty row offered for a new question
}

// TemplateFormPage is the data of a draft's edit page.
type TemplateFormPage struct {
	Template   Template // as stored
	RegionName string
	Form       *web.Form
	Rows       []QuestionRow
	Conflict   *Template // the version someone else saved
	Levels     []LevelQuestions
}

func templateFormOf(t Template) *web.Form {
	form := web.NewForm()
	form.Set("title", t.Title)
	for i, q := range t.Questions {
		p := "questions." + strconv.Itoa(i) + "."
		form.Set(p+"key", q.Key)
		form.Set(p+"level", string(q.Level))
		form.Set(p+"label", q.Label)
		form.Set(p+"help", q.Help)
		if q.Required {
			form.Set(p+"required", "1")
		}
	}
	form.SetVersion(t.Version)
	return form
}

// postedQuestionRows counts the question rows of a posted form.
func postedQuestionRows(form *web.Form) int {
	n := 0
	for i := range maxQuestionRows {
		if _, ok := form.Values["questions."+strconv.Itoa(i)+".label"]; ok {
			n = i + 1
		}
	}
	return n
}

func (h *handler) templateForm(form *web.Form, t Template, name string, rows int) TemplateFormPage {
	p := TemplateFormPage{Template: t, RegionName: name, Form: form}
	levels := append([]web.Option{web.Choose("implement.template.choose_level")}, web.EnumOptions(Levels, "implement.template.level.")...)
	for i := range rows {
		pre := "questions." + strconv.Itoa(i) + "."
		row := QuestionRow{N: i + 1, Prefix: pre,
			Key:      tmplTextField(form, pre+"key", "implement.template.q_key"),
			Level:    form.Select(pre+"level", "implement.template.q_level", levels),
			Label:    tmplTextField(form, pre+"label", "implement.template.q_label"),
			Help:     tmplTextField(form, pre+"help", "implement.template.q_help"),
			Position: tmplTextField(form, pre+"position", "implement.template.q_position"),
			Required: form.Get(pre+"required") != "",
			Remove:   form.Get(pre+"remove") != "",
		}
		row.Position.Type = "number"
		if row.Position.Value == "" {
			row.Position.Value = strconv.Itoa(i + 1)
		}
		row.New = row.Key.Value == "" && row.Label.Value == "" && row.Help.Value == ""
		p.Rows = append(p.Rows, row)
	}
	return p
}

func tmplTextField(form *web.Form, name, label string) web.FieldView {
	return web.FieldView{ID: "f-" + name, Name: name, Label: label, Type: "text", Value: form.Get(name), Error: form.ErrorFor(name)}
}

// templateFromForm reads the edit form over base: the rows not removed and
// not empty, in the order of their position numbers (a tie keeps the form's
// order). Problems go on the form, at the form's own rows.
func templateFromForm(form *web.Form, base Template) Template {
	t := base
	t.Title = form.Get("title")
	type posted struct {
		row, pos int
		q        Question
	}
	var rows []posted
	for i := range postedQuestionRows(form) {
		pre := "questions." + strconv.Itoa(i) + "."
		q := Question{Key: form.Get(pre + "key"), Level: Level(form.Get(pre + "level")), Label: form.Get(pre + "label"),
			Help: form.Get(pre + "help"), Required: form.Get(pre+"required") != ""}
		if form.Get(pre+"remove") != "" || q.Key == "" && q.Label == "" && q.Help == "" {
			continue
		}
		pos := i + 1
		if s := form.Get(pre + "position"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				form.AddError(pre+"position", "validation.integer")
			}
			pos = n
		}
		rows = append(rows, posted{row: i, pos: pos, q: q})
	}
	slices.SortStableFunc(rows, func(a, b posted) int { return cmp.Compare(a.pos, b.pos) })
	t.Questions = make([]Question, len(rows))
	for i, p := range rows {
		t.Questions[i] = p.q
	}
	t.Normalize()
	v, ok := errs.AsValidation(t.Validate())
	if !ok {
		return t
	}
	var mapped errs.ValidationError
	for _, f := range v.Fields {
		name := f.Name
		if rest, found := strings.CutPrefix(name, "questions."); found {
			if k, field, found := strings.Cut(rest, "."); found {
				if n, err := strconv.Atoi(k); err == nil && n < len(rows) {
					name = "questions." + strconv.Itoa(rows[n].row) + "." + field
				}
			}
		}
		mapped.Add(name, f.Key, f.Args...)
	}
	form.Merge(mapped.Err())
	return t
}

// sortTemplateErrors orders problems as the form's fields appear.
func sortTemplateErrors(form *web.Form) {
	order := []string{"conflict", "template", "title", "questions"}
	for i := range maxQuestionRows {
		for _, f := range []string{"key", "level", "label", "help", "position"} {
			order = append(order, "questions."+strconv.Itoa(i)+"."+f)
		}
	}
	form.SortErrors(order...)
}

// draftTemplate reads the template of the path, refusing a published one.
func (h *handler) draftTemplate(r *http.Request) (Template, string, error) {
	t, name, err := h.loadTemplate(r)
	if err != nil {
		return Template{}, "", err
	}
	if t.Published() {
		return Template{}, "", errs.ErrLocked
	}
	return t, name, nil
}

func (h *handler) editTemplate(w http.ResponseWriter, r *http.Request) error {
	t, name, err := h.draftTemplate(r)
	if err != nil {
		return err
	}
	data := h.templateForm(templateFormOf(t), t, name, len(t.Questions)+emptyQuestionRows)
	return h.render(w, r, http.StatusOK, "template_form", "implement.template.edit_title", data, "region", name, "number", t.Number)
}

func (h *handler) saveTemplate(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	current, name, err := h.draftTemplate(r)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	edit := templateFromForm(form, current)
	edit.Version = version
	status := http.StatusUnprocessableEntity
	var conflict *Template
	if !form.HasErrors() {
		saved, err := h.svc.UpdateTemplate(r.Context(), edit)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "implement.template.saved", "number", saved.Number)
			return web.Redirect(w, r, templateURL(saved.ID))
		case errors.Is(err, errs.ErrConflict):
			if current, name, err = h.draftTemplate(r); err != nil {
				return err
			}
			form.Conflict(current.Version, "implement.template.conflict")
			status, conflict = http.StatusConflict, &current
		case !form.Fail(err):
			return err
		}
	}
	sortTemplateErrors(form)
	data := h.templateForm(form, current, name, postedQuestionRows(form))
	data.Conflict = conflict
	if conflict != nil {
		data.Levels = tmplByLevel(*conflict)
	}
	return h.render(w, r, status, "template_form", "implement.template.edit_title", data, "region", name, "number", current.Number)
}

// Publish and delete.

// TemplateStepPage is the data of the pages that confirm publishing or
// deleting a draft.
type TemplateStepPage struct {
	Template   Template
	RegionName string
	Form       *web.Form
	Levels     []LevelQuestions
}

func (h *handler) confirmTemplateStep(w http.ResponseWriter, r *http.Request, page, title string) error {
	t, name, err := h.draftTemplate(r)
	if err != nil {
		return err
	}
	form := web.NewForm()
	form.SetVersion(t.Version)
	data := TemplateStepPage{Template: t, RegionName: name, Form: form, Levels: tmplByLevel(t)}
	return h.render(w, r, http.StatusOK, page, title, data, "region", name, "number", t.Number)
}

func (h *handler) confirmPublish(w http.ResponseWriter, r *http.Request) error {
	return h.confirmTemplateStep(w, r, "template_publish", "implement.template.publish_title")
}

func (h *handler) confirmDeleteTemplate(w http.ResponseWriter, r *http.Request) error {
	return h.confirmTemplateStep(w, r, "template_delete", "implement.template.delete_title")
}

// templateStep runs publish or delete posted from its confirmation page: on
// success to done with msg; a problem shows the page again with it.
func (h *handler) templateStep(w http.ResponseWriter, r *http.Request, page, title, msg string,
	run func(t Template, version int64) (string, error)) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	t, name, err := h.draftTemplate(r)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	status := http.StatusUnprocessableEntity
	done, err := run(t, version)
	switch {
	case err == nil:
		h.web.AddFlash(r, "success", msg, "number", t.Number)
		return web.Redirect(w, r, done)
	case errors.Is(err, errs.ErrConflict):
		form.Conflict(t.Version, "implement.template.conflict_step")
		status = http.StatusConflict
	case errors.Is(err, errs.ErrLocked):
		form.AddError("conflict", "implement.template.in_use")
		status = http.StatusConflict
	case !form.Fail(err):
		return err
	}
	data := TemplateStepPage{Template: t, RegionName: name, Form: form, Levels: tmplByLevel(t)}
	return h.render(w, r, status, page, title, data, "region", name, "number", t.Number)
}

func (h *handler) publishTemplate(w http.ResponseWriter, r *http.Request) error {
	return h.templateStep(w, r, "template_publish", "implement.template.publish_title", "implement.template.published",
		func(t Template, version int64) (string, error) {
			_, err := h.svc.PublishTemplate(r.Context(), t.ID, version)
			return templateURL(t.ID), err
		})
}

func (h *handler) deleteTemplate(w http.ResponseWriter, r *http.Request) error {
	return h.templateStep(w, r, "template_delete", "implement.template.delete_title", "implement.template.deleted",
		func(t Template, version int64) (string, error) {
			return "/inforande/mallar", h.svc.DeleteTemplate(r.Context(), t.ID, version)
		})
}

// Use another version.

// UseTemplatePage is the data of the page that moves an implementation to
// another published version of its sjukvårdsregion's template.
type UseTemplatePage struct {
	Workspace  Workspace
	Current    Template
	RegionName string
	Form       *web.Form
	Choices    []Template // the published versions of the sjukvårdsregion
}

func (h *handler) useTemplateForm(w http.ResponseWriter, r *http.Request) error {
	_, ws, err := h.pathWorkspace(r)
	if err != nil {
		return err
	}
	form := web.NewForm()
	form.SetVersion(ws.Implementation.Version)
	form.Set("template_id", web.IDText(ws.Implementation.TemplateID))
	return h.renderUseTemplate(w, r, http.StatusOK, ws, form)
}

func (h *handler) renderUseTemplate(w http.ResponseWriter, r *http.Request, status int, ws Workspace, form *web.Form) error {
	ctx := r.Context()
	ts, err := h.svc.Templates(ctx)
	if err != nil {
		return err
	}
	names, err := h.svc.HealthcareRegionNames(ctx)
	if err != nil {
		return err
	}
	cur := ws.Template()
	data := UseTemplatePage{Workspace: ws, Current: cur, RegionName: cmp.Or(names[cur.HealthcareRegion], cur.HealthcareRegion), Form: form}
	for _, t := range ts {
		if t.HealthcareRegion == cur.HealthcareRegion && t.Published() {
			data.Choices = append(data.Choices, t)
		}
	}
	return h.render(w, r, status, "template_use", "implement.template.use_title", data, "title", ws.Support.Title)
}

func (h *handler) useTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	ws, err := h.svc.Workspace(ctx, id)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	tid := form.ID("template_id")
	if tid == 0 && !form.HasErrors() {
		form.AddError("template_id", "validation.required")
	}
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		m, err := h.svc.UseTemplate(ctx, id, tid, version)
		switch {
		case err == nil:
			t, err := h.svc.Template(ctx, m.TemplateID)
			if err != nil {
				return err
			}
			h.web.AddFlash(r, "success", "implement.template.use_done", "number", t.Number)
			return web.Redirect(w, r, gapListURL(id))
		case errors.Is(err, errs.ErrConflict):
			form.Conflict(ws.Implementation.Version, "implement.template.use_conflict")
			status = http.StatusConflict
		case !form.Fail(err):
			return err
		}
	}
	return h.renderUseTemplate(w, r, status, ws, form)
}
