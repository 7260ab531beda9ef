package org

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// PeoplePage is the data of the people list.
type PeoplePage struct {
	Form     *web.Form
	People   []Person
	Names    Names
	Filtered bool
	CanWrite bool
}

func (h *handler) people(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	form := web.QueryForm(r)
	people, err := h.svc.People(ctx, PersonFilter{Query: form.Get("q")})
	if err != nil {
		return err
	}
	units, err := h.svc.Units(ctx)
	if err != nil {
		return err
	}
	data := PeoplePage{Form: form, People: people, Names: unitNames(units), Filtered: form.Get("q") != "", CanWrite: canWrite(r)}
	return h.render(w, r, http.StatusOK, "people", "org.people.title", data)
}

// PersonPage is the data of a person's page.
type PersonPage struct {
	View     PersonView
	Names    Names
	Account  string // the linked user account's name
	CanWrite bool
	Problem  string // why a delete did not happen
}

// CurrentTable is the table of the person's current and coming roles.
func (p PersonPage) CurrentTable() MemberTable {
	return MemberTable{Rows: p.View.Current, Names: p.Names, Caption: "org.person.current_caption", Upcoming: true}
}

// PastTable is the table of the person's earlier roles.
func (p PersonPage) PastTable() MemberTable {
	return MemberTable{Rows: p.View.Past, Names: p.Names, Caption: "org.person.past_caption"}
}

func (h *handler) personPage(r *http.Request, id int64) (PersonPage, error) {
	ctx := r.Context()
	v, err := h.svc.PersonView(ctx, id)
	if err != nil {
		return PersonPage{}, err
	}
	names, _, _, err := h.loadNames(ctx, nil)
	if err != nil {
		return PersonPage{}, err
	}
	data := PersonPage{View: v, Names: names, CanWrite: canWrite(r)}
	if v.Person.UserID != 0 {
		accounts, err := h.accounts(ctx)
		if err != nil {
			return PersonPage{}, err
		}
		for _, a := range accounts {
			if a.ID == v.Person.UserID {
				data.Account = a.Name
			}
		}
	}
	return data, nil
}

func (h *handler) person(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	data, err := h.personPage(r, id)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "person", "org.person.page_title", data, "name", data.View.Person.Name)
}

// PersonFormPage is the data of the new-person and edit-person pages.
type PersonFormPage struct {
	Form          *web.Form
	Person        Person // the person as stored, when editing
	New           bool
	Unit          web.FieldView
	Region        web.FieldView
	WorkplaceKind web.FieldView
	Account       web.FieldView
	Conflict      *Person // the newer version someone else saved
	Names         Names
	accounts      map[int64]string
}

// AccountName is the name of the user account with id.
func (p PersonFormPage) AccountName(id int64) string { return p.accounts[id] }

// personFields is the order of the person form's fields.
var personFields = []string{"conflict", "name", "title", "email", "unit_id", "region", "workplace_kind", "hsa_id", "user_id"}

func (h *handler) personForm(r *http.Request, form *web.Form, p Person, isNew bool) (PersonFormPage, error) {
	ctx := r.Context()
	units, err := h.svc.Units(ctx)
	if err != nil {
		return PersonFormPage{}, err
	}
	names, regions, _, err := h.loadNames(ctx, units)
	if err != nil {
		return PersonFormPage{}, err
	}
	accounts, err := h.accounts(ctx)
	if err != nil {
		return PersonFormPage{}, err
	}
	people, err := h.svc.People(ctx, PersonFilter{})
	if err != nil {
		return PersonFormPage{}, err
	}
	// An account belongs to one person: offer only those nobody else has.
	taken := map[int64]bool{}
	for _, x := range people {
		if x.UserID != 0 && (isNew || x.ID != p.ID) {
			taken[x.UserID] = true
		}
	}
	accountOpts := []web.Option{web.Choose("org.person.no_account")}
	accountNames := map[int64]string{}
	for _, a := range accounts {
		accountNames[a.ID] = a.Name
		if !taken[a.ID] {
			accountOpts = append(accountOpts, web.Option{Value: web.IDText(a.ID), Label: a.Name})
		}
	}
	return PersonFormPage{
		Form: form, Person: p, New: isNew, Names: names, accounts: accountNames,
		Unit:          form.Select("unit_id", "org.person.unit", treeOptions(units, "org.none", func(Unit) bool { return false })),
		Region:        form.Select("region", "org.person.region", regionOptions(regions, "org.person.home_region"), "hint=org.person.region_hint"),
		WorkplaceKind: form.Select("workplace_kind", "org.person.workplace_kind", append([]web.Option{web.Choose("org.none")}, web.EnumOptions(UnitKinds, "org.unit_kind.")...), "hint=org.person.workplace_kind_hint"),
		Account:       form.Select("user_id", "org.person.account", accountOpts, "hint=org.person.account_hint"),
	}, nil
}

// personFormOf fills a form with a stored person.
func personFormOf(p Person) *web.Form {
	form := web.NewForm()
	form.Set("name", p.Name)
	form.Set("title", p.Title)
	form.Set("email", p.Email)
	form.Set("unit_id", web.IDText(p.UnitID))
	form.Set("region", p.Region)
	form.Set("workplace_kind", string(p.WorkplaceKind))
	form.Set("hsa_id", p.HSAID)
	form.Set("user_id", web.IDText(p.UserID))
	form.SetVersion(p.Version)
	return form
}

// personFromForm reads the person form on top of base and records every problem.
func personFromForm(form *web.Form, base Person) Person {
	p := base
	p.Name, p.Title, p.Email = form.Get("name"), form.Get("title"), form.Get("email")
	p.UnitID = form.ID("unit_id")
	p.Region = form.Get("region")
	p.WorkplaceKind = UnitKind(form.Get("workplace_kind"))
	p.HSAID = form.Get("hsa_id")
	p.UserID = form.ID("user_id")
	check := p
	check.Normalize()
	form.Merge(check.Validate())
	return p
}

func (h *handler) newPerson(w http.ResponseWriter, r *http.Request) error {
	form := web.NewForm()
	if uid, err := strconv.ParseInt(r.URL.Query().Get("unit_id"), 10, 64); err == nil && uid > 0 {
		form.Set("unit_id", web.IDText(uid))
	}
	data, err := h.personForm(r, form, Person{}, true)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "person_form", "org.person.new", data)
}

func (h *handler) createPerson(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	p := personFromForm(form, Person{})
	if !form.HasErrors() {
		saved, err := h.svc.CreatePerson(r.Context(), p)
		if err == nil {
			h.web.AddFlash(r, "success", "org.person.created", "name", saved.Name)
			return web.Redirect(w, r, "/organisation/personer/"+web.IDText(saved.ID))
		}
		if !form.Fail(err) {
			return err
		}
	}
	form.SortErrors(personFields...)
	data, err := h.personForm(r, form, Person{}, true)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusUnprocessableEntity, "person_form", "org.person.new", data)
}

func (h *handler) editPerson(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	p, err := h.svc.Person(r.Context(), id)
	if err != nil {
		return err
	}
	data, err := h.personForm(r, personFormOf(p), p, false)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "person_form", "org.person.edit_named", data, "name", data.Person.Name)
}

func (h *handler) savePerson(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	current, err := h.svc.Person(r.Context(), id)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	edit := personFromForm(form, current)
	edit.Version = version
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		saved, err := h.svc.UpdatePerson(r.Context(), edit)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "org.person.saved", "name", saved.Name)
			return web.Redirect(w, r, "/organisation/personer/"+web.IDText(id))
		case errors.Is(err, errs.ErrConflict):
			if current, err = h.svc.Person(r.Context(), id); err != nil {
				return err
			}
			form.Conflict(current.Version, "org.conflict")
			status = http.StatusConflict
		case !form.Fail(err):
			return err
		}
	}
	form.SortErrors(personFields...)
	data, err := h.personForm(r, form, current, false)
	if err != nil {
		return err
	}
	if status == http.StatusConflict {
		data.Conflict = &current
	}
	return h.render(w, r, status, "person_form", "org.person.edit_named", data, "name", data.Person.Name)
}

func (h *handler) deletePerson(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	p, err := h.svc.Person(r.Context(), id)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err == nil {
		err = h.svc.DeletePerson(r.Context(), id, version)
	}
	if err == nil {
		h.web.AddFlash(r, "success", "org.person.deleted", "name", p.Name)
		return web.Redirect(w, r, "/organisation/personer")
	}
	key, status, ok := deleteProblem(err, "org.person.delete_referenced")
	if !ok {
		return err
	}
	data, err := h.personPage(r, id)
	if err != nil {
		return err
	}
	data.Problem = key
	return h.render(w, r, status, "person", "org.person.page_title", data, "name", data.View.Person.Name)
}
