package forum

import (
	"errors"
	"net/http"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

func (h *handler) forumRoutes(s *web.Server) {
	s.Handle("GET /forum", Read, h.forums)
	s.Handle("GET /forum/ny", Write, h.newForum)
	s.Handle("POST /forum/ny", Write, h.createForum)
	s.Handle("GET /forum/{id}", Read, h.forum)
	s.Handle("GET /forum/{id}/redigera", Write, h.editForum)
	s.Handle("POST /forum/{id}", Write, h.saveForum)
	s.Handle("POST /forum/{id}/mandat", Write, h.addMandate)
	s.Handle("GET /forum/{id}/mandat/{mandate}", Write, h.editMandate)
	s.Handle("POST /forum/{id}/mandat/{mandate}", Write, h.saveMandate)
	s.Handle("POST /forum/{id}/mandat/{mandate}/ta-bort", Write, h.deleteMandate)
}

// ForumRow is a forum in the list with its next meeting.
type ForumRow struct {
	Forum Forum
	Next  *Meeting
}

// ForumsPage is the data of the forum list.
type ForumsPage struct {
	Form     *web.Form
	Rows     []ForumRow
	Filtered bool
	CanWrite bool
}

func (h *handler) forums(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	form := web.QueryForm(r)
	f := ForumFilter{Query: form.Get("q"), IncludeInactive: form.Get("inactive") == "1"}
	forums, err := h.svc.Forums(ctx, f)
	if err != nil {
		return err
	}
	data := ForumsPage{Form: form, CanWrite: canWrite(r), Filtered: f.Query != "" || f.IncludeInactive}
	now := h.svc.now()
	for _, fo := range forums {
		row := ForumRow{Forum: fo}
		next, err := h.svc.Meetings(ctx, MeetingFilter{ForumID: fo.ID, After: now, Ascending: true, Limit: 1})
		if err != nil {
			return err
		}
		if len(next) > 0 {
			row.Next = &next[0]
		}
		data.Rows = append(data.Rows, row)
	}
	return h.render(w, r, http.StatusOK, "forums", "forum.forums.title", data)
}

// ForumPage is the data of a forum's page.
type ForumPage struct {
	Forum          Forum
	Members        []ForumMember
	Mandates       []Mandate
	Upcoming       []Meeting
	Past           []Meeting
	CanWrite       bool
	CanEditMeeting bool
	Mandate        *MandateForm // adding a mandate line, for those who may
}

// MandateForm is the mandate form with its choices.
type MandateForm struct {
	Form     *web.Form
	CaseKind web.FieldView
	Power    web.FieldView
	Scope    web.FieldView
}

// mandateFields is the order of the mandate form's fields.
var mandateFields = []string{"conflict", "subject", "case_kind", "power", "scope", "notes"}

func mandateForm(form *web.Form) *MandateForm {
	return &MandateForm{
		Form:     form,
		CaseKind: form.Select("case_kind", "forum.mandate.case_kind", append([]web.Option{web.Choose("forum.mandate.any_kind")}, web.EnumOptions(CaseKinds, "forum.case_kind.")...), "hint=forum.mandate.case_kind_hint"),
		Power:    form.Select("power", "forum.mandate.power", append([]web.Option{web.Choose("forum.choose")}, web.EnumOptions(Powers, "forum.power.")...), "required"),
		Scope:    form.Select("scope", "forum.mandate.scope", append([]web.Option{web.Choose("forum.choose")}, web.EnumOptions(Scopes, "forum.scope.")...), "required"),
	}
}

func mandateFromForm(form *web.Form, base Mandate) Mandate {
	m := base
	m.Subject, m.CaseKind, m.Notes = form.Get("subject"), CaseKind(form.Get("case_kind")), form.Get("notes")
	m.Power, m.Scope = Power(form.Get("power")), Scope(form.Get("scope"))
	form.Merge(m.Validate())
	return m
}

func (h *handler) forumPage(r *http.Request, id int64, add *web.Form) (ForumPage, error) {
	ctx := r.Context()
	f, err := h.svc.Forum(ctx, id)
	if err != nil {
		return ForumPage{}, err
	}
	data := ForumPage{Forum: f, CanWrite: canWrite(r)}
	if data.Members, err = h.svc.ForumMembers(ctx, id, h.svc.Today()); err != nil {
		return ForumPage{}, err
	}
	if data.Mandates, err = h.svc.Mandates(ctx, id); err != nil {
		return ForumPage{}, err
	}
	now := h.svc.now()
	if data.Upcoming, err = h.svc.Meetings(ctx, MeetingFilter{ForumID: id, After: now, Ascending: true}); err != nil {
		return ForumPage{}, err
	}
	if data.Past, err = h.svc.Meetings(ctx, MeetingFilter{ForumID: id, Before: now, Limit: 50}); err != nil {
		return ForumPage{}, err
	}
	if data.CanEditMeeting, err = h.svc.CanEditMeetings(ctx, id); err != nil {
		return ForumPage{}, err
	}
	if data.CanWrite {
		if add == nil {
			add = web.NewForm()
		}
		data.Mandate = mandateForm(add)
	}
	return data, nil
}

func (h *handler) forum(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	data, err := h.forumPage(r, id, nil)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "forum", "forum.forum.title", data, "name", data.Forum.Name)
}

// ForumFormPage is the data of the new-forum and edit-forum pages.
type ForumFormPage struct {
	Form     *web.Form
	Forum    Forum // as stored, when editing
	New      bool
	Group    web.FieldView
	Conflict *Forum // the newer version someone else saved
}

var forumFields = []string{"conflict", "group_id", "description", "active"}

func (h *handler) forumForm(r *http.Request, form *web.Form, f Forum, isNew bool) (ForumFormPage, error) {
	data := ForumFormPage{Form: form, Forum: f, New: isNew}
	if isNew {
		groups, err := h.svc.ForumCandidates(r.Context())
		if err != nil {
			return data, err
		}
		opts := []web.Option{web.Choose("forum.choose")}
		for _, g := range groups {
			opts = append(opts, web.Option{Value: web.IDText(g.ID), Label: g.Name + " (" + h.t(r, "org.group_kind."+g.Kind) + ")"})
		}
		data.Group = form.Select("group_id", "forum.forum.group", opts, "required", "hint=forum.forum.group_hint")
	}
	return data, nil
}

func forumFromForm(form *web.Form, base Forum) Forum {
	f := base
	if base.ID == 0 {
		f.GroupID = form.ID("group_id")
	}
	f.Description = form.Get("description")
	f.Active = form.Get("active") == "1"
	form.Merge(f.Validate())
	return f
}

func (h *handler) newForum(w http.ResponseWriter, r *http.Request) error {
	form := web.NewForm()
	form.Set("active", "1")
	data, err := h.forumForm(r, form, Forum{}, true)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "forum_form", "forum.forum.new", data)
}

func (h *handler) createForum(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	f := forumFromForm(form, Forum{})
	if !form.HasErrors() {
		saved, err := h.svc.CreateForum(r.Context(), f)
		if err == nil {
			h.web.AddFlash(r, "success", "forum.forum.created", "name", saved.Name)
			return web.Redirect(w, r, "/forum/"+web.IDText(saved.ID))
		}
		if !form.Fail(err) {
			return err
		}
	}
	form.SortErrors(forumFields...)
	data, err := h.forumForm(r, form, Forum{}, true)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusUnprocessableEntity, "forum_form", "forum.forum.new", data)
}

func forumFormOf(f Forum) *web.Form {
	form := web.NewForm()
	form.Set("description", f.Description)
	if f.Active {
		form.Set("active", "1")
	}
	form.SetVersion(f.Version)
	return form
}

func (h *handler) editForum(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	f, err := h.svc.Forum(r.Context(), id)
	if err != nil {
		return err
	}
	data, err := h.forumForm(r, forumFormOf(f), f, false)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "forum_form", "forum.forum.edit", data, "name", f.Name)
}

func (h *handler) saveForum(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	current, err := h.svc.Forum(r.Context(), id)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	edit := forumFromForm(form, current)
	edit.Version = version
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		saved, err := h.svc.UpdateForum(r.Context(), edit)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "forum.forum.saved", "name", saved.Name)
			return web.Redirect(w, r, "/forum/"+web.IDText(id))
		case errors.Is(err, errs.ErrConflict):
			if current, err = h.svc.Forum(r.Context(), id); err != nil {
				return err
			}
			form.Conflict(current.Version, "forum.conflict")
			status = http.StatusConflict
		case !form.Fail(err):
			return err
		}
	}
	form.SortErrors(forumFields...)
	data, err := h.forumForm(r, form, current, false)
	if err != nil {
		return err
	}
	if status == http.StatusConflict {
		data.Conflict = &current
	}
	return h.render(w, r, status, "forum_form", "forum.forum.edit", data, "name", current.Name)
}

// Mandates.

func (h *handler) addMandate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	f, err := h.svc.Forum(r.Context(), id)
	if err != nil {
		return err
	}
	m := mandateFromForm(form, Mandate{ForumID: id})
	if !form.HasErrors() {
		_, err := h.svc.AddMandate(r.Context(), m)
		if err == nil {
			h.web.AddFlash(r, "success", "forum.mandate.added", "name", f.Name)
			return web.Redirect(w, r, "/forum/"+web.IDText(id)+"#mandate-title")
		}
		if !form.Fail(err) {
			return err
		}
	}
	form.SortErrors(mandateFields...)
	data, err := h.forumPage(r, id, form)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusUnprocessableEntity, "forum", "forum.forum.title", data, "name", f.Name)
}

// MandatePage is the data of the edit-mandate page.
type MandatePage struct {
	Forum    Forum
	Mandate  Mandate // as stored
	Edit     *MandateForm
	Conflict *Mandate
	Problem  string // why a delete did not happen
}

// mandateFor reads the mandate of the path, which must belong to the forum
// of the path.
func (h *handler) mandateFor(r *http.Request) (Forum, Mandate, error) {
	id, err := web.PathID(r)
	if err != nil {
		return Forum{}, Mandate{}, err
	}
	mid, err := web.PathInt(r, "mandate")
	if err != nil {
		return Forum{}, Mandate{}, err
	}
	m, err := h.svc.Mandate(r.Context(), mid)
	if err != nil {
		return Forum{}, Mandate{}, err
	}
	if m.ForumID != id {
		return Forum{}, Mandate{}, errs.ErrNotFound
	}
	f, err := h.svc.Forum(r.Context(), id)
	return f, m, err
}

func mandateFormOf(m Mandate) *web.Form {
	form := web.NewForm()
	form.Set("subject", m.Subject)
	form.Set("case_kind", string(m.CaseKind))
	form.Set("power", string(m.Power))
	form.Set("scope", string(m.Scope))
	form.Set("notes", m.Notes)
	form.SetVersion(m.Version)
	return form
}

func (h *handler) editMandate(w http.ResponseWriter, r *http.Request) error {
	f, m, err := h.mandateFor(r)
	if err != nil {
		return err
	}
	data := MandatePage{Forum: f, Mandate: m, Edit: mandateForm(mandateFormOf(m))}
	return h.render(w, r, http.StatusOK, "forum_mandate", "forum.mandate.edit", data, "name", f.Name)
}

func (h *handler) saveMandate(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	f, current, err := h.mandateFor(r)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	edit := mandateFromForm(form, current)
	edit.Version = version
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		_, err := h.svc.UpdateMandate(r.Context(), edit)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "forum.mandate.saved", "name", f.Name)
			return web.Redirect(w, r, "/forum/"+web.IDText(f.ID)+"#mandate-title")
		case errors.Is(err, errs.ErrConflict):
			if current, err = h.svc.Mandate(r.Context(), current.ID); err != nil {
				return err
			}
			form.Conflict(current.Version, "forum.conflict")
			status = http.StatusConflict
		case !form.Fail(err):
			return err
		}
	}
	form.SortErrors(mandateFields...)
	data := MandatePage{Forum: f, Mandate: current, Edit: mandateForm(form)}
	if status == http.StatusConflict {
		data.Conflict = &current
	}
	return h.render(w, r, status, "forum_mandate", "forum.mandate.edit", data, "name", f.Name)
}

func (h *handler) deleteMandate(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	f, m, err := h.mandateFor(r)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err == nil {
		err = h.svc.DeleteMandate(r.Context(), m.ID, version)
	}
	if err == nil {
		h.web.AddFlash(r, "success", "forum.mandate.deleted", "name", f.Name)
		return web.Redirect(w, r, "/forum/"+web.IDText(f.ID)+"#mandate-title")
	}
	if !errors.Is(err, errs.ErrConflict) {
		return err
	}
	if m, err = h.svc.Mandate(r.Context(), m.ID); err != nil {
		return err
	}
	data := MandatePage{Forum: f, Mandate: m, Edit: mandateForm(mandateFormOf(m)), Problem: "forum.delete_conflict"}
	return h.render(w, r, http.StatusConflict, "forum_mandate", "forum.mandate.edit", data, "name", f.Name)
}
