package catalog

import (
	"errors"
	"net/http"

	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// ListPage is the data of the catalog's list.
type ListPage struct {
	Form     *web.Form
	Kind     web.FieldView
	Status   web.FieldView
	NPO      web.FieldView
	LPO      web.FieldView
	Supports []Support
	Names    Names
	Filtered bool
	CanWrite bool
}

func kindOptions(emptyKey string) []web.Option {
	return append([]web.Option{web.Choose(emptyKey)}, web.EnumOptions(Kinds, "catalog.kind.")...)
}

func statusOptions(emptyKey string) []web.Option {
	return append([]web.Option{web.Choose(emptyKey)}, web.EnumOptions(Statuses, "catalog.status.")...)
}

func (h *handler) list(w http.ResponseWriter, r *http.Request) error {
	form := web.QueryForm(r)
	f := Filter{Kind: Kind(form.Get("kind")), Status: Status(form.Get("status")), NPO: form.ID("npo"), LPO: form.ID("lpo"), Query: form.Get("q")}
	if f.Kind != "" && !oneOf(f.Kind, Kinds) {
		form.AddError("kind", "validation.choice")
	}
	if f.Status != "" && !oneOf(f.Status, Statuses) {
		form.AddError("status", "validation.choice")
	}
	names, o, err := h.loadNames(r.Context(), r, "common.all")
	if err != nil {
		return err
	}
	data := ListPage{
		Form: form, Names: names, CanWrite: canWrite(r),
		Kind:     form.Select("kind", "catalog.support.kind", kindOptions("common.all")),
		Status:   form.Select("status", "catalog.support.status", statusOptions("common.all")),
		NPO:      form.Select("npo", "catalog.support.national_owner", o.npo),
		LPO:      form.Select("lpo", "catalog.support.local_owner", o.lpo),
		Filtered: f != Filter{},
	}
	if form.HasErrors() {
		return h.render(w, r, http.StatusUnprocessableEntity, "list", "catalog.list.title", data)
	}
	if data.Supports, err = h.svc.Supports(r.Context(), f); err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "list", "catalog.list.title", data)
}

func oneOf[T comparable](v T, in []T) bool {
	for _, x := range in {
		if x == v {
			return true
		}
	}
	return false
}

// SupportFormPage is the data of the new-support and edit-support pages.
type SupportFormPage struct {
	Form     *web.Form
	Support  Support // as stored, when editing
	New      bool
	Kind     web.FieldView
	Phase    web.FieldView
	NPO      web.FieldView
	LPO      web.FieldView
	Conflict *Support // the newer version someone else saved
	Names    Names
}

var supportFields = []string{"conflict", "kind", "phase", "code", "title", "national_owner_id", "local_owner_id", "publisher", "edition", "published_on", "link", "concerns_municipalities"}

func (h *handler) supportForm(r *http.Request, form *web.Form, sp Support, isNew bool) (SupportFormPage, error) {
	names, o, err := h.loadNames(r.Context(), r, "catalog.none")
	if err != nil {
		return SupportFormPage{}, err
	}
	phases := append([]web.Option{web.Choose("catalog.phase.none")}, web.EnumOptions([]Phase{Draft, Final}, "catalog.phase.")...)
	return SupportFormPage{
		Form: form, Support: sp, New: isNew, Names: names,
		Kind:  form.Select("kind", "catalog.support.kind", kindOptions("catalog.choose"), "required"),
		Phase: form.Select("phase", "catalog.support.phase", phases, "hint=catalog.support.phase_hint"),
		NPO:   form.Select("national_owner_id", "catalog.support.national_owner", o.npo),
		LPO:   form.Select("local_owner_id", "catalog.support.local_owner", o.lpo),
	}, nil
}

func supportFormOf(sp Support) *web.Form {
	form := web.NewForm()
	form.Set("kind", string(sp.Kind))
	form.Set("phase", string(sp.Phase))
	form.Set("code", sp.Code)
	form.Set("title", sp.Title)
	form.Set("national_owner_id", web.IDText(sp.NationalOwnerID))
	form.Set("local_owner_id", web.IDText(sp.LocalOwnerID))
	form.Set("publisher", sp.Publisher)
	form.Set("edition", sp.Edition)
	form.Set("published_on", sp.PublishedOn.String())
	form.Set("link", sp.Link)
	if sp.ConcernsMunicipalities {
		form.Set("concerns_municipalities", "1")
	}
	form.SetVersion(sp.Version)
	return form
}

func supportFromForm(form *web.Form, base Support) Support {
	sp := base
	sp.Kind, sp.Phase = Kind(form.Get("kind")), Phase(form.Get("phase"))
	sp.Code, sp.Title = form.Get("code"), form.Get("title")
	sp.NationalOwnerID = form.ID("national_owner_id")
	sp.LocalOwnerID = form.ID("local_owner_id")
	sp.Publisher, sp.Edition = form.Get("publisher"), form.Get("edition")
	sp.PublishedOn = form.Date("published_on")
	sp.Link = form.Get("link")
	sp.ConcernsMunicipalities = form.Get("concerns_municipalities") != ""
	if sp.Status == "" {
		sp.Status = Watched
	}
	check := sp
	check.Normalize()
	form.Merge(check.Validate())
	return sp
}

func (h *handler) newSupport(w http.ResponseWriter, r *http.Request) error {
	data, err := h.supportForm(r, web.NewForm(), Support{}, true)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "support_form", "catalog.support.new", data)
}

func (h *handler) createSupport(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	sp := supportFromForm(form, Support{})
	if !form.HasErrors() {
		saved, err := h.svc.CreateSupport(r.Context(), sp)
		if err == nil {
			h.web.AddFlash(r, "success", "catalog.support.created", "title", saved.Title)
			return web.Redirect(w, r, "/kunskapsstod/"+web.IDText(saved.ID))
		}
		if !form.Fail(err) {
			return err
		}
	}
	form.SortErrors(supportFields...)
	data, err := h.supportForm(r, form, Support{}, true)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusUnprocessableEntity, "support_form", "catalog.support.new", data)
}

func (h *handler) editSupport(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	sp, err := h.svc.Support(r.Context(), id)
	if err != nil {
		return err
	}
	data, err := h.supportForm(r, supportFormOf(sp), sp, false)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "support_form", "catalog.support.edit_named", data, "title", sp.Title)
}

func (h *handler) saveSupport(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	current, err := h.svc.Support(r.Context(), id)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	edit := supportFromForm(form, current)
	edit.Version = version
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		saved, err := h.svc.UpdateSupport(r.Context(), edit)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "catalog.support.saved", "title", saved.Title)
			return web.Redirect(w, r, "/kunskapsstod/"+web.IDText(id))
		case errors.Is(err, errs.ErrConflict):
			if current, err = h.svc.Support(r.Context(), id); err != nil {
				return err
			}
			form.Conflict(current.Version, "catalog.conflict")
			status = http.StatusConflict
		case !form.Fail(err):
			return err
		}
	}
	form.SortErrors(supportFields...)
	data, err := h.supportForm(r, form, current, false)
	if err != nil {
		return err
	}
	if status == http.StatusConflict {
		data.Conflict = &current
	}
	return h.render(w, r, status, "support_form", "catalog.support.edit_named", data, "title", current.Title)
}

// SupportPage is the data of a support's page.
type SupportPage struct {
	Support         Support
	Names           Names
	History         []Transition
	Recommendations []Recommendation
	CanWrite        bool
	Guideline       bool
	Dependent       bool   // in work with fewer than two leads
	Implementation  string // the link to the support's introduction, "" for none
	// The coordinator's forms; a failed one comes back with its problems.
	Status     *web.Form
	StatusTo   web.FieldView
	Leads      *web.Form
	LeadQuery  string
	Candidates []org.Person // people found by the lead search, not yet leads
	Units      *web.Form
	UnitOpts   []web.Option
	Rec        *web.Form
}

// RecFields is the add-recommendation form for the "recfields" partial.
func (p SupportPage) RecFields() RecPage { return RecPage{Form: p.Rec, Guideline: p.Guideline} }

// personMatches is how many people a lead search lists.
const personMatches = 50

type pageForms struct{ status, leads, units, rec *web.Form }

func (h *handler) supportPage(r *http.Request, id int64, forms pageForms) (SupportPage, error) {
	ctx := r.Context()
	sp, err := h.svc.Support(ctx, id)
	if err != nil {
		return SupportPage{}, err
	}
	names, _, err := h.loadNames(ctx, r, "catalog.none")
	if err != nil {
		return SupportPage{}, err
	}
	units, err := h.org.Units(ctx)
	if err != nil {
		return SupportPage{}, err
	}
	for _, u := range units {
		names.units[u.ID] = u.Name
	}
	for _, pid := range sp.LeadIDs {
		p, err := h.org.Person(ctx, pid)
		if err != nil {
			return SupportPage{}, err
		}
		names.people[p.ID] = p.Name
	}
	data := SupportPage{Support: sp, Names: names, CanWrite: canWrite(r), Guideline: sp.Kind == NationalGuideline,
		Dependent: sp.Status.InWork() && sp.PersonDependent()}
	if data.History, err = h.svc.History(ctx, id); err != nil {
		return data, err
	}
	if data.Recommendations, err = h.svc.Recommendations(ctx, id); err != nil {
		return data, err
	}
	if h.implementation != nil {
		if data.Implementation, err = h.implementation(ctx, id); err != nil {
			return data, err
		}
	}
	if !data.CanWrite {
		return data, nil
	}
	if forms.status == nil {
		forms.status = web.NewForm()
		forms.status.Set("on", h.svc.Today().String())
	}
	forms.status.SetVersion(sp.Version)
	data.Status = forms.status
	next := []web.Option{web.Choose("catalog.choose")}
	next = append(next, web.EnumOptions(sp.Status.Next(), "catalog.status.")...)
	data.StatusTo = forms.status.Select("to", "catalog.transition.to", next, "required")

	if forms.leads == nil {
		forms.leads = web.NewForm()
		forms.leads.Set("person_q", r.URL.Query().Get("person_q"))
	}
	forms.leads.SetVersion(sp.Version)
	data.Leads, data.LeadQuery = forms.leads, forms.leads.Get("person_q")
	if data.LeadQuery != "" {
		found, err := h.org.People(ctx, org.PersonFilter{Query: data.LeadQuery, Limit: personMatches})
		if err != nil {
			return data, err
		}
		for _, p := range found {
			if !oneOf(p.ID, sp.LeadIDs) {
				data.Candidates = append(data.Candidates, p)
			}
		}
	}

	if forms.units == nil {
		forms.units = web.NewForm()
	}
	forms.units.SetVersion(sp.Version)
	data.Units = forms.units
	chosen := make([]string, len(sp.UnitIDs))
	for i, u := range sp.UnitIDs {
		chosen[i] = web.IDText(u)
	}
	for _, u := range units {
		data.UnitOpts = append(data.UnitOpts, web.Option{Value: web.IDText(u.ID), Label: u.Name})
	}
	data.UnitOpts = selected(data.UnitOpts, chosen)

	if forms.rec == nil {
		forms.rec = web.NewForm()
	}
	data.Rec = forms.rec
	return data, nil
}

func (h *handler) support(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	return h.renderSupport(w, r, http.StatusOK, id, pageForms{})
}

func (h *handler) renderSupport(w http.ResponseWriter, r *http.Request, status int, id int64, forms pageForms) error {
	data, err := h.supportPage(r, id, forms)
	if err != nil {
		return err
	}
	return h.render(w, r, status, "support", "catalog.support.page_title", data, "title", data.Support.Title)
}

// formProblem records a failed change of the support page on form and
// reports the status to answer with; other errors are returned.
func formProblem(form *web.Form, err error) (int, error) {
	if errors.Is(err, errs.ErrConflict) {
		form.AddError("conflict", "catalog.conflict_page")
		return http.StatusConflict, nil
	}
	if form.Fail(err) {
		return http.StatusUnprocessableEntity, nil
	}
	return 0, err
}

func (h *handler) changeStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	to := Status(form.Get("to"))
	if to == "" {
		form.AddError("to", "validation.required")
	}
	on := form.Date("on")
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		saved, err := h.svc.Transition(r.Context(), id, to, on, form.Get("reason"), version)
		if err == nil {
			h.web.AddFlash(r, "success", "catalog.transition.done", "status", h.web.Catalog().T(web.LocaleFrom(r.Context()), "catalog.status."+string(saved.Status)))
			return web.Redirect(w, r, "/kunskapsstod/"+web.IDText(id))
		}
		if status, err = formProblem(form, err); err != nil {
			return err
		}
	}
	form.SortErrors("conflict", "to", "on", "reason")
	return h.renderSupport(w, r, status, id, pageForms{status: form})
}

func (h *handler) saveLeads(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	people := form.IDs("lead_ids")
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		_, err := h.svc.SetLeads(r.Context(), id, people, version)
		if err == nil {
			h.web.AddFlash(r, "success", "catalog.leads.saved")
			return web.Redirect(w, r, "/kunskapsstod/"+web.IDText(id))
		}
		if status, err = formProblem(form, err); err != nil {
			return err
		}
	}
	return h.renderSupport(w, r, status, id, pageForms{leads: form})
}

func (h *handler) saveUnits(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	units := form.IDs("unit_ids")
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		_, err := h.svc.SetUnits(r.Context(), id, units, version)
		if err == nil {
			h.web.AddFlash(r, "success", "catalog.units.saved")
			return web.Redirect(w, r, "/kunskapsstod/"+web.IDText(id))
		}
		if status, err = formProblem(form, err); err != nil {
			return err
		}
	}
	return h.renderSupport(w, r, status, id, pageForms{units: form})
}
