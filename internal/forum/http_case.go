package forum

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// caseListLimit caps the case list page; a search or filter finds the rest.
const caseListLimit = 500

func (h *handler) caseRoutes(s *web.Server) {
	s.Handle("GET /arenden", Read, h.cases)
	s.Handle("GET /arenden/ny", Write, h.newCase)
	s.Handle("POST /arenden/ny", Write, h.createCase)
	s.Handle("GET /arenden/{id}", Read, h.casePage)
	s.Handle("GET /arenden/{id}/redigera", Write, h.editCase)
	s.Handle("POST /arenden/{id}", Write, h.saveCase)
	s.Handle("POST /arenden/{id}/steg", Write, h.addStep)
	s.Handle("POST /arenden/{id}/lankar", Write, h.addLink)
	s.Handle("POST /arenden/lankar/{id}/ta-bort", Write, h.deleteLink)
	s.HandleUpload("POST /arenden/{id}/dokument", Decide, DocumentLimit+1<<20, h.uploadCaseDocument)
}

// caseChecks is a group of checkboxes for the "casechecks" partial.
type caseChecks struct {
	Name    string
	Legend  string
	Hint    string
	Empty   string // shown when there is nothing to choose
	Error   *errs.Field
	Options []web.Option
}

// meetingLabel names a meeting for a choice: forum, day and title.
func meetingLabel(m MeetingRef, forumName string) string {
	label := forumName + " " + date.Of(m.StartsAt, i18n.Stockholm()).String()
	if m.Title != "" {
		label += " – " + m.Title
	}
	return label
}

func meetingOptions(meetings []MeetingRef, forums []Forum, emptyKey string) []web.Option {
	names := map[int64]string{}
	for _, f := range forums {
		names[f.ID] = f.Name
	}
	out := []web.Option{web.Choose(emptyKey)}
	for _, m := range meetings {
		out = append(out, web.Option{Value: web.IDText(m.ID), Label: meetingLabel(m, names[m.ForumID])})
	}
	return out
}

// CasesPage is the data of the case list.
type CasesPage struct {
	Form        *web.Form
	Kind        web.FieldView
	Status      web.FieldView
	Responsible web.FieldView
	Forum       web.FieldView
	Cases       []Case
	Filtered    bool
	Capped      bool // more cases match than the page shows
	Limit       int
	CanWrite    bool
}

func (h *handler) cases(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	form := web.QueryForm(r)
	f := CaseFilter{Query: form.Get("q"), Kind: CaseKind(form.Get("kind")), Status: Status(form.Get("status")),
		ResponsibleID: form.ID("responsible"), ForumID: form.ID("forum"), Limit: caseListLimit + 1}
	form.Merge(f.Validate())
	people, err := h.svc.PersonChoices(ctx)
	if err != nil {
		return err
	}
	forums, err := h.svc.ForumChoices(ctx)
	if err != nil {
		return err
	}
	data := CasesPage{
		Form: form, CanWrite: canWrite(r), Limit: caseListLimit,
		Kind:        form.Select("kind", "forum.case.kind", append([]web.Option{web.Choose("common.all")}, web.EnumOptions(CaseKinds, "forum.case_kind.")...)),
		Status:      form.Select("status", "forum.case.status", append([]web.Option{web.Choose("common.all")}, web.EnumOptions(Statuses, "forum.status.")...)),
		Responsible: form.Select("responsible", "forum.case.responsible", personOptions(people, "common.all")),
		Forum:       form.Select("forum", "forum.cases.forum", forumOptions(forums, "common.all")),
		Filtered:    f.Query != "" || f.Kind != "" || f.Status != "" || f.ResponsibleID != 0 || f.ForumID != 0,
	}
	if form.HasErrors() {
		return h.render(w, r, http.StatusUnprocessableEntity, "cases", "forum.cases.title", data)
	}
	if data.Cases, err = h.svc.Cases(ctx, f); err != nil {
		return err
	}
	if len(data.Cases) > caseListLimit {
		data.Cases, data.Capped = data.Cases[:caseListLimit], true
	}
	return h.render(w, r, http.StatusOK, "cases", "forum.cases.title", data)
}

// CaseFormPage is the data of the new-case and edit-case pages.
type CaseFormPage struct {
	Form        *web.Form
	Case        Case // as stored, when editing
	New         bool
	Kind        web.FieldView
	Responsible web.FieldView
	Conflict    *Case // the newer version someone else saved
}

// caseFields is the order of the case form's fields.
var caseFields = []string{"conflict", "title", "kind", "description", "responsible_person_id", "registered_on"}

func (h *handler) caseForm(r *http.Request, form *web.Form, c Case, isNew bool) (CaseFormPage, error) {
	people, err := h.svc.PersonChoices(r.Context())
	if err != nil {
		return CaseFormPage{}, err
	}
	return CaseFormPage{
		Form: form, Case: c, New: isNew,
		Kind:        form.Select("kind", "forum.case.kind", append([]web.Option{web.Choose("forum.choose")}, web.EnumOptions(CaseKinds, "forum.case_kind.")...), "required"),
		Responsible: form.Select("responsible_person_id", "forum.case.responsible", personOptions(people, "forum.none"), "hint=forum.case.responsible_hint"),
	}, nil
}

func caseFormOf(c Case) *web.Form {
	form := web.NewForm()
	form.Set("title", c.Title)
	form.Set("kind", string(c.Kind))
	form.Set("description", c.Description)
	form.Set("responsible_person_id", web.IDText(c.ResponsiblePersonID))
	form.Set("registered_on", c.RegisteredOn.String())
	form.SetVersion(c.Version)
	return form
}

// caseFromForm reads the case form on top of base and records every
// problem; a new case registered without a date is registered today.
func caseFromForm(form *web.Form, base Case, isNew bool, today date.Date) Case {
	c := base
	c.Title, c.Kind, c.Description = form.Get("title"), CaseKind(form.Get("kind")), form.Get("description")
	c.ResponsiblePersonID = form.ID("responsible_person_id")
	if isNew {
		c.RegisteredOn = form.Date("registered_on")
		if c.RegisteredOn.IsZero() {
			c.RegisteredOn = today
		}
	}
	check := c
	check.normalize()
	form.Merge(check.Validate())
	return c
}

func (h *handler) newCase(w http.ResponseWriter, r *http.Request) error {
	form := web.NewForm()
	form.Set("registered_on", h.svc.Today().String())
	data, err := h.caseForm(r, form, Case{}, true)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "case_form", "forum.case.new", data)
}

func (h *handler) createCase(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	c := caseFromForm(form, Case{}, true, h.svc.Today())
	if !form.HasErrors() {
		saved, err := h.svc.CreateCase(r.Context(), c)
		if err == nil {
			h.web.AddFlash(r, "success", "forum.case.created", "number", saved.Number)
			return web.Redirect(w, r, "/arenden/"+web.IDText(saved.ID))
		}
		if !form.Fail(err) {
			return err
		}
	}
	form.SortErrors(caseFields...)
	data, err := h.caseForm(r, form, Case{}, true)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusUnprocessableEntity, "case_form", "forum.case.new", data)
}

func (h *handler) editCase(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	c, err := h.svc.Case(r.Context(), id)
	if err != nil {
		return err
	}
	data, err := h.caseForm(r, caseFormOf(c), c, false)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "case_form", "forum.case.edit", data)
}

func (h *handler) saveCase(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	current, err := h.svc.Case(r.Context(), id)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	edit := caseFromForm(form, current, false, h.svc.Today())
	edit.Version = version
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		saved, err := h.svc.UpdateCase(r.Context(), edit)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "forum.case.saved", "number", saved.Number)
			return web.Redirect(w, r, "/arenden/"+web.IDText(id))
		case errors.Is(err, errs.ErrConflict):
			if current, err = h.svc.Case(r.Context(), id); err != nil {
				return err
			}
			form.Conflict(current.Version, "forum.conflict")
			status = http.StatusConflict
		case !form.Fail(err):
			return err
		}
	}
	form.SortErrors(caseFields...)
	data, err := h.caseForm(r, form, current, false)
	if err != nil {
		return err
	}
	if status == http.StatusConflict {
		data.Conflict = &current
	}
	return h.render(w, r, status, "case_form", "forum.case.edit", data)
}

// CasePage is the data of a case's page: the case, its full trail in date
// order, and the forms of what the reader may do.
type CasePage struct {
	Trail      Trail
	Status     []StatusStep // the workflow, with where the case stands
	CanWrite   bool
	CanDecide  bool
	CanUpload  bool
	Problem    string // why an action did not happen
	StepForm   *web.Form
	StepKind   web.FieldView
	Forum      web.FieldView
	Meeting    web.FieldView
	Outcome    web.FieldView
	LinkForm   *web.Form
	UploadForm *web.Form
	forums     map[int64]string
	today      date.Date
}

// StatusStep is one step of the workflow as the case page shows it.
type StatusStep struct {
	Status  Status
	Done    bool
	Current bool
}

// ForumName is the name of the forum with id.
func (p CasePage) ForumName(id int64) string { return p.forums[id] }

// MeetingText names a meeting of the trail.
func (p CasePage) MeetingText(m *MeetingRef) string {
	if m == nil {
		return ""
	}
	return meetingLabel(*m, p.forums[m.ForumID])
}

// FollowUp is a decision's follow-up status on the day the page is shown.
func (p CasePage) FollowUp(d *Decision) FollowUpStatus { return d.FollowUpStatusOn(p.today) }

// stepForms are the forms of a case page, nil for a fresh one.
type stepForms struct {
	step, link, upload *web.Form
}

// nextKinds are the steps that may follow status, for the step form's choice.
func nextKinds(status Status) []Status {
	var out []Status
	for _, s := range Statuses {
		if s == Registered || s == Decided || status == Closed {
			continue
		}
		if s.Rank() > status.Rank() || (s == status && s == Anchoring) {
			out = append(out, s)
		}
	}
	return out
}

func (h *handler) casePageData(r *http.Request, id int64, forms stepForms) (CasePage, error) {
	ctx := r.Context()
	trail, err := h.svc.Trail(ctx, id)
	if err != nil {
		return CasePage{}, err
	}
	forums, err := h.svc.ForumChoices(ctx)
	if err != nil {
		return CasePage{}, err
	}
	p := access.From(ctx)
	data := CasePage{Trail: trail, CanWrite: canWrite(r), CanDecide: p.Can(Decide), CanUpload: p.Can(Decide), forums: map[int64]string{}, today: h.svc.Today()}
	for _, f := range forums {
		data.forums[f.ID] = f.Name
	}
	for _, s := range Statuses {
		data.Status = append(data.Status, StatusStep{Status: s, Done: s.Rank() < trail.Case.Status.Rank(), Current: s == trail.Case.Status})
	}
	if data.CanUpload {
		data.UploadForm = forms.upload
		if data.UploadForm == nil {
			data.UploadForm = web.NewForm()
		}
	}
	if !data.CanWrite {
		return data, nil
	}
	data.StepForm, data.LinkForm = forms.step, forms.link
	if data.StepForm == nil {
		data.StepForm = web.NewForm()
		data.StepForm.Set("date", h.svc.Today().String())
	}
	if data.LinkForm == nil {
		data.LinkForm = web.NewForm()
	}
	data.StepForm.Set("version", strconv.FormatInt(trail.Case.Version, 10))
	meetings, err := h.svc.MeetingChoices(ctx, 0)
	if err != nil {
		return CasePage{}, err
	}
	sf := data.StepForm
	data.StepKind = sf.Select("kind", "forum.step.kind", append([]web.Option{web.Choose("forum.choose")}, web.EnumOptions(nextKinds(trail.Case.Status), "forum.status.")...), "required")
	data.Forum = sf.Select("forum_id", "forum.step.forum", forumOptions(forums, "forum.none"), "hint=forum.step.forum_hint")
	data.Meeting = sf.Select("meeting_id", "forum.step.meeting", meetingOptions(meetings, forums, "forum.none"), "hint=forum.step.meeting_hint")
	data.Outcome = sf.Select("outcome", "forum.step.outcome", append([]web.Option{web.Choose("forum.none")}, web.EnumOptions(Outcomes, "forum.outcome.")...))
	return data, nil
}

func (h *handler) casePage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	data, err := h.casePageData(r, id, stepForms{})
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "case", "forum.case.title", data, "number", data.Trail.Case.Number)
}

// caseProblem shows the case page again with a form's problems, or with the
// message of an action that could not be done.
func (h *handler) caseProblem(w http.ResponseWriter, r *http.Request, id int64, forms stepForms, status int, problem string) error {
	data, err := h.casePageData(r, id, forms)
	if err != nil {
		return err
	}
	data.Problem = problem
	return h.render(w, r, status, "case", "forum.case.title", data, "number", data.Trail.Case.Number)
}

// stepFields is the order of the step form's fields.
var stepFields = []string{"conflict", "kind", "date", "forum_id", "meeting_id", "outcome", "comment"}

func (h *handler) addStep(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	if _, err := h.svc.Case(r.Context(), id); err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	st := Step{CaseID: id, Kind: Status(form.Get("kind")), Date: form.Date("date"), ForumID: form.ID("forum_id"),
		MeetingID: form.ID("meeting_id"), Outcome: Outcome(form.Get("outcome")), Comment: form.Get("comment")}
	if st.Kind != Anchoring {
		st.ForumID, st.MeetingID = 0, 0
	}
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		_, err := h.svc.AddStep(r.Context(), st, version)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "forum.step.added", "step", h.t(r, "forum.status."+string(st.Kind)))
			return web.Redirect(w, r, "/arenden/"+web.IDText(id)+"#historik")
		case errors.Is(err, errs.ErrConflict):
			form.AddError("conflict", "forum.step.conflict")
			status = http.StatusConflict
		case !form.Fail(err):
			return err
		}
	}
	form.SortErrors(stepFields...)
	return h.caseProblem(w, r, id, stepForms{step: form}, status, "")
}

func (h *handler) addLink(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	if _, err := h.svc.Case(r.Context(), id); err != nil {
		return err
	}
	l := Link{CaseID: id, Entity: form.Get("entity"), EntityID: form.Get("entity_id"), Label: form.Get("label")}
	_, err = h.svc.AddLink(r.Context(), l)
	if err == nil {
		h.web.AddFlash(r, "success", "forum.link.added")
		return web.Redirect(w, r, "/arenden/"+web.IDText(id)+"#lankar")
	}
	if !form.Fail(err) {
		return err
	}
	form.SortErrors("entity", "entity_id", "label")
	return h.caseProblem(w, r, id, stepForms{link: form}, http.StatusUnprocessableEntity, "")
}

func (h *handler) deleteLink(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	l, err := h.svc.DeleteLink(r.Context(), id)
	if err != nil {
		return err
	}
	h.web.AddFlash(r, "success", "forum.link.deleted")
	return web.Redirect(w, r, "/arenden/"+web.IDText(l.CaseID)+"#lankar")
}

func (h *handler) uploadCaseDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if _, err := h.svc.Case(r.Context(), id); err != nil {
		return err
	}
	form, err := h.addDocument(r, Document{CaseID: id})
	if err != nil {
		return err
	}
	if form == nil {
		return web.Redirect(w, r, "/arenden/"+web.IDText(id)+"#dokument")
	}
	form.SortErrors("file", "title")
	return h.caseProblem(w, r, id, stepForms{upload: form}, http.StatusUnprocessableEntity, "")
}
