package org

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// GroupsPage is the data of the group list.
type GroupsPage struct {
	Form     *web.Form
	Kind     web.FieldView
	Level    web.FieldView
	Groups   []Group
	Names    Names
	Filtered bool
	CanWrite bool
}

func kindOptions(emptyKey string) []web.Option {
	return append([]web.Option{web.Choose(emptyKey)}, web.EnumOptions(GroupKinds, "org.group_kind.")...)
}

func levelOptions(emptyKey string) []web.Option {
	return append([]web.Option{web.Choose(emptyKey)}, web.EnumOptions(Levels, "org.level.")...)
}

func (h *handler) groups(w http.ResponseWriter, r *http.Request) error {
	form := web.QueryForm(r)
	f := GroupFilter{Kind: GroupKind(form.Get("kind")), Level: Level(form.Get("level")), Query: form.Get("q")}
	if f.Kind != "" && !oneOf(f.Kind, GroupKinds) {
		form.AddError("kind", "validation.choice")
	}
	if f.Level != "" && !oneOf(f.Level, Levels) {
		form.AddError("level", "validation.choice")
	}
	names, _, _, err := h.loadNames(r.Context(), nil)
	if err != nil {
		return err
	}
	data := GroupsPage{
		Form: form, Names: names, CanWrite: canWrite(r),
		Kind:     form.Select("kind", "org.group.kind", kindOptions("common.all")),
		Level:    form.Select("level", "org.group.level", levelOptions("common.all")),
		Filtered: f.Kind != "" || f.Level != "" || f.Query != "",
	}
	if form.HasErrors() {
		return h.render(w, r, http.StatusUnprocessableEntity, "groups", "org.groups.title", data)
	}
	if data.Groups, err = h.svc.Groups(r.Context(), f); err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "groups", "org.groups.title", data)
}

// isCouncil reports whether members of a group of kind k sit in a core or an
// extended composition.
func isCouncil(k GroupKind) bool { return k == GovernanceCouncil || k == PrimaryCareCouncil }

// MemberFields are the choices of the membership form.
type MemberFields struct {
	Person      web.FieldView
	Role        web.FieldView
	Region      web.FieldView
	Healthcare  web.FieldView
	Composition web.FieldView
}

// MemberForm is the membership form: what was typed, the choices, and whether
// the group is a council whose members sit in a core or extended composition.
// The person is chosen in two steps that work without JavaScript: a search
// (a GET form to SearchAction with person_q) lists the matching people in
// the person field, beside the one already chosen.
type MemberForm struct {
	Form         *web.Form
	Fields       MemberFields
	Council      bool
	SearchAction string // the page the person search reloads
	Query        string // the person search
	Matches      int    // people listed for the search, at most personMatches
	More         bool   // more people match than are listed
}

// personMatches is how many people a person search lists.
const personMatches = 50

// memberFields is the order of the membership form's fields.
var memberFields = []string{"conflict", "person_id", "role", "represents_region", "represents_healthcare_region", "share_percent", "composition", "start", "end"}

// memberForm builds the membership form; search is the page the person
// search reloads.
func (h *handler) memberForm(ctx context.Context, form *web.Form, council bool, regions []Region, hcrs []HealthcareRegion, search string) (MemberForm, error) {
	mf := MemberForm{Form: form, Council: council, SearchAction: search, Query: form.Get("person_q")}
	personOpts, err := h.personChoices(ctx, &mf)
	if err != nil {
		return MemberForm{}, err
	}
	hint := "hint=org.membership.person_hint"
	if mf.Query != "" {
		hint = "hint=org.membership.person_hint_found"
	}
	mf.Fields = MemberFields{
		Person:      form.Select("person_id", "org.membership.person", personOpts, "required", hint),
		Role:        form.Select("role", "org.membership.role", append([]web.Option{web.Choose("org.choose")}, web.EnumOptions(Roles, "org.role.")...), "required"),
		Region:      form.Select("represents_region", "org.membership.represents_region", regionOptions(regions, "org.none"), "hint=org.membership.represents_hint"),
		Healthcare:  form.Select("represents_healthcare_region", "org.membership.represents_healthcare_region", healthcareOptions(hcrs, "org.none")),
		Composition: form.Select("composition", "org.membership.composition", append([]web.Option{web.Choose("org.none")}, web.EnumOptions([]Composition{Core, Extended}, "org.composition.")...)),
	}
	return mf, nil
}

// personChoices lists the person already chosen and those matching the
// search, never every person: a region has thousands. A search with a single
// match chooses it.
func (h *handler) personChoices(ctx context.Context, mf *MemberForm) ([]web.Option, error) {
	opts := []web.Option{web.Choose("org.choose")}
	add := func(p Person) {
		label := p.Name
		if p.Title != "" {
			label += ", " + p.Title
		}
		opts = append(opts, web.Option{Value: web.IDText(p.ID), Label: label})
	}
	chosen, _ := strconv.ParseInt(mf.Form.Get("person_id"), 10, 64)
	if chosen > 0 {
		p, err := h.svc.Person(ctx, chosen)
		switch {
		case err == nil:
			add(p)
		case !errors.Is(err, errs.ErrNotFound):
			return nil, err
		}
	}
	if mf.Query == "" {
		return opts, nil
	}
	found, err := h.svc.People(ctx, PersonFilter{Query: mf.Query, Limit: personMatches + 1})
	if err != nil {
		return nil, err
	}
	if len(found) > personMatches {
		found, mf.More = found[:personMatches], true
	}
	mf.Matches = len(found)
	for _, p := range found {
		if p.ID != chosen {
			add(p)
		}
	}
	if chosen == 0 && len(found) == 1 {
		mf.Form.Set("person_id", web.IDText(found[0].ID))
	}
	return opts, nil
}

// memberFromForm reads the membership form on top of base and records every problem.
func memberFromForm(form *web.Form, base Membership, council bool) Membership {
	m := base
	m.PersonID = form.ID("person_id")
	m.Role = Role(form.Get("role"))
	m.RepresentsRegion = form.Get("represents_region")
	m.RepresentsHealthcareRegion = form.Get("represents_healthcare_region")
	m.SharePercent = formShare(form, "share_percent")
	if council {
		m.Composition = Composition(form.Get("composition"))
	}
	m.Start = form.Date("start")
	m.End = form.Date("end")
	form.Merge(m.Validate())
	return m
}

// memberFormOf fills a form with a stored membership.
func memberFormOf(r *http.Request, m Membership) *web.Form {
	form := web.NewForm()
	form.Set("person_id", web.IDText(m.PersonID))
	form.Set("role", string(m.Role))
	form.Set("represents_region", m.RepresentsRegion)
	form.Set("represents_healthcare_region", m.RepresentsHealthcareRegion)
	form.Set("share_percent", shareText(r, m.SharePercent))
	form.Set("composition", string(m.Composition))
	form.Set("start", m.Start.String())
	form.Set("end", m.End.String())
	form.SetVersion(m.Version)
	return form
}

// GroupPage is the data of a group's page.
type GroupPage struct {
	View     GroupView
	Names    Names
	Council  bool // members sit in a core or an extended composition
	CanWrite bool
	Problem  string      // why a delete did not happen
	Add      *MemberForm // adding a member, for those who may
}

// MemberTable is a table of a group's members.
type MemberTable struct {
	Rows     []MemberView
	Names    Names
	Council  bool
	CanWrite bool
	Caption  string
	Upcoming bool // rows not yet current are coming members
}

// CurrentTable is the table of current and coming members.
func (p GroupPage) CurrentTable() MemberTable {
	return MemberTable{Rows: p.View.Current, Names: p.Names, Council: p.Council, CanWrite: p.CanWrite, Caption: "org.group.current_caption", Upcoming: true}
}

// PastTable is the table of earlier members.
func (p GroupPage) PastTable() MemberTable {
	return MemberTable{Rows: p.View.Past, Names: p.Names, Council: p.Council, CanWrite: p.CanWrite, Caption: "org.group.past_caption"}
}

func (h *handler) groupPage(r *http.Request, id int64, memberForm *web.Form) (GroupPage, error) {
	ctx := r.Context()
	v, err := h.svc.GroupView(ctx, id)
	if err != nil {
		return GroupPage{}, err
	}
	names, regions, hcrs, err := h.loadNames(ctx, nil)
	if err != nil {
		return GroupPage{}, err
	}
	data := GroupPage{View: v, Names: names, Council: isCouncil(v.Group.Kind), CanWrite: canWrite(r)}
	if !data.CanWrite {
		return data, nil
	}
	if memberForm == nil {
		memberForm = web.NewForm()
		memberForm.Set("role", string(Member))
		memberForm.Set("start", h.svc.Today().String())
		memberForm.Set("person_q", r.URL.Query().Get("person_q"))
	}
	add, err := h.memberForm(ctx, memberForm, data.Council, regions, hcrs, "/organisation/grupper/"+web.IDText(id))
	data.Add = &add
	return data, err
}

func (h *handler) group(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	data, err := h.groupPage(r, id, nil)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "group", "org.group.page_title", data, "name", data.View.Group.NameIn(lang(r)))
}

// GroupFormPage is the data of the new-group and edit-group pages.
type GroupFormPage struct {
	Form       *web.Form
	Group      Group // the group as stored, when editing
	New        bool
	Kind       web.FieldView
	Level      web.FieldView
	Parent     web.FieldView
	Healthcare web.FieldView
	Host       web.FieldView
	Conflict   *Group // the newer version someone else saved
	Names      Names
	groupNames map[int64]string
}

// GroupName is the name of the group with id.
func (p GroupFormPage) GroupName(id int64) string { return p.groupNames[id] }

// groupFields is the order of the group form's fields.
var groupFields = []string{"conflict", "kind", "level", "name", "name_en", "parent_id", "healthcare_region", "host_region", "area", "mandate", "seats"}

func (h *handler) groupForm(r *http.Request, form *web.Form, g Group, isNew bool) (GroupFormPage, error) {
	ctx := r.Context()
	all, err := h.svc.Groups(ctx, GroupFilter{})
	if err != nil {
		return GroupFormPage{}, err
	}
	names, _, hcrs, err := h.loadNames(ctx, nil)
	if err != nil {
		return GroupFormPage{}, err
	}
	// A group cannot hang under itself or anything below it.
	below := map[int64]bool{}
	if !isNew {
		below[g.ID] = true
		for changed := true; changed; {
			changed = false
			for _, x := range all {
				if below[x.ParentID] && !below[x.ID] {
					below[x.ID], changed = true, true
				}
			}
		}
	}
	parents := []web.Option{web.Choose("org.none")}
	groupNames := make(map[int64]string, len(all))
	for _, x := range all {
		groupNames[x.ID] = x.Name
		if !below[x.ID] {
			parents = append(parents, web.Option{Value: web.IDText(x.ID), Label: x.Name + " (" + h.t(r, "org.group_kind."+string(x.Kind)) + ")"})
		}
	}
	return GroupFormPage{
		Form: form, Group: g, New: isNew, Names: names, groupNames: groupNames,
		Kind:       form.Select("kind", "org.group.kind", kindOptions("org.choose"), "required"),
		Level:      form.Select("level", "org.group.level", levelOptions("org.choose"), "required"),
		Parent:     form.Select("parent_id", "org.group.parent", parents, "hint=org.group.parent_hint"),
		Healthcare: form.Select("healthcare_region", "org.group.healthcare_region", healthcareOptions(hcrs, "org.none"), "hint=org.group.healthcare_region_hint"),
		Host:       form.Select("host_region", "org.group.host_region", healthcareOptions(hcrs, "org.none"), "hint=org.group.host_region_hint"),
	}, nil
}

// groupFormOf fills a form with a stored group.
func groupFormOf(g Group) *web.Form {
	form := web.NewForm()
	form.Set("kind", string(g.Kind))
	form.Set("level", string(g.Level))
	form.Set("name", g.Name)
	form.Set("name_en", g.NameEn)
	form.Set("parent_id", web.IDText(g.ParentID))
	form.Set("healthcare_region", g.HealthcareRegion)
	form.Set("host_region", g.HostRegion)
	form.Set("area", g.Area)
	form.Set("mandate", g.Mandate)
	form.Set("seats", strconv.Itoa(g.Seats))
	form.SetVersion(g.Version)
	return form
}

// groupFromForm reads the group form on top of base and records every
// problem; a national reference group keeps its kind and level.
func groupFromForm(form *web.Form, base Group) Group {
	g := base
	if !base.Reference {
		g.Kind, g.Level = GroupKind(form.Get("kind")), Level(form.Get("level"))
	}
	g.Name, g.NameEn = form.Get("name"), form.Get("name_en")
	g.ParentID = form.ID("parent_id")
	g.HealthcareRegion, g.HostRegion = form.Get("healthcare_region"), form.Get("host_region")
	g.Area, g.Mandate = form.Get("area"), form.Get("mandate")
	g.Seats = 0
	if form.Get("seats") != "" {
		n := form.Int("seats")
		if n < 0 || n > 500 {
			form.AddError("seats", "validation.range", "min", 0, "max", 500)
		}
		g.Seats = int(min(max(n, 0), 500))
	}
	check := g
	check.Normalize()
	form.Merge(check.Validate())
	return g
}

func (h *handler) newGroup(w http.ResponseWriter, r *http.Request) error {
	form := web.NewForm()
	form.Set("level", string(RegionalLevel))
	form.Set("seats", "0")
	data, err := h.groupForm(r, form, Group{}, true)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "group_form", "org.group.new", data)
}

func (h *handler) createGroup(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	g := groupFromForm(form, Group{})
	if !form.HasErrors() {
		saved, err := h.svc.CreateGroup(r.Context(), g)
		if err == nil {
			h.web.AddFlash(r, "success", "org.group.created", "name", saved.Name)
			return web.Redirect(w, r, "/organisation/grupper/"+web.IDText(saved.ID))
		}
		if !form.Fail(err) {
			return err
		}
	}
	form.SortErrors(groupFields...)
	data, err := h.groupForm(r, form, Group{}, true)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusUnprocessableEntity, "group_form", "org.group.new", data)
}

func (h *handler) editGroup(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	g, err := h.svc.Group(r.Context(), id)
	if err != nil {
		return err
	}
	data, err := h.groupForm(r, groupFormOf(g), g, false)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "group_form", "org.group.edit_named", data, "name", data.Group.NameIn(lang(r)))
}

func (h *handler) saveGroup(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	current, err := h.svc.Group(r.Context(), id)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	edit := groupFromForm(form, current)
	edit.Version = version
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		saved, err := h.svc.UpdateGroup(r.Context(), edit)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "org.group.saved", "name", saved.Name)
			return web.Redirect(w, r, "/organisation/grupper/"+web.IDText(id))
		case errors.Is(err, errs.ErrConflict):
			if current, err = h.svc.Group(r.Context(), id); err != nil {
				return err
			}
			form.Conflict(current.Version, "org.conflict")
			status = http.StatusConflict
		case !form.Fail(err):
			return err
		}
	}
	form.SortErrors(groupFields...)
	data, err := h.groupForm(r, form, current, false)
	if err != nil {
		return err
	}
	if status == http.StatusConflict {
		data.Conflict = &current
	}
	return h.render(w, r, status, "group_form", "org.group.edit_named", data, "name", data.Group.NameIn(lang(r)))
}

func (h *handler) deleteGroup(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	g, err := h.svc.Group(r.Context(), id)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err == nil {
		err = h.svc.DeleteGroup(r.Context(), id, version)
	}
	if err == nil {
		h.web.AddFlash(r, "success", "org.group.deleted", "name", g.Name)
		return web.Redirect(w, r, "/organisation/grupper")
	}
	key, status, ok := deleteProblem(err, "org.group.delete_referenced")
	if !ok {
		return err
	}
	data, err := h.groupPage(r, id, nil)
	if err != nil {
		return err
	}
	data.Problem = key
	return h.render(w, r, status, "group", "org.group.page_title", data, "name", data.View.Group.NameIn(lang(r)))
}

// Memberships.

func (h *handler) addMember(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	g, err := h.svc.Group(r.Context(), id)
	if err != nil {
		return err
	}
	m := memberFromForm(form, Membership{GroupID: id}, isCouncil(g.Kind))
	if !form.HasErrors() {
		_, err := h.svc.CreateMembership(r.Context(), m)
		if err == nil {
			p, err := h.svc.Person(r.Context(), m.PersonID)
			if err != nil {
				return err
			}
			h.web.AddFlash(r, "success", "org.membership.added", "name", p.Name, "group", g.Name)
			return web.Redirect(w, r, "/organisation/grupper/"+web.IDText(id))
		}
		if !form.Fail(err) {
			return err
		}
	}
	form.SortErrors(memberFields...)
	data, err := h.groupPage(r, id, form)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusUnprocessableEntity, "group", "org.group.page_title", data, "name", data.View.Group.NameIn(lang(r)))
}

// MembershipFormPage is the data of the edit-membership page.
type MembershipFormPage struct {
	Form       *web.Form
	Edit       MemberForm
	Membership Membership // as stored
	Group      Group
	Person     Person
	Conflict   *Membership // the newer version someone else saved
	Names      Names
	Problem    string // why a delete did not happen
	people     map[int64]string
}

// PersonName is the name of the person with id.
func (p MembershipFormPage) PersonName(id int64) string { return p.people[id] }

func (h *handler) membershipForm(r *http.Request, form *web.Form, m Membership) (MembershipFormPage, error) {
	ctx := r.Context()
	g, err := h.svc.Group(ctx, m.GroupID)
	if err != nil {
		return MembershipFormPage{}, err
	}
	p, err := h.svc.Person(ctx, m.PersonID)
	if err != nil {
		return MembershipFormPage{}, err
	}
	names, regions, hcrs, err := h.loadNames(ctx, nil)
	if err != nil {
		return MembershipFormPage{}, err
	}
	edit, err := h.memberForm(ctx, form, isCouncil(g.Kind), regions, hcrs, "/organisation/medlemskap/"+web.IDText(m.ID))
	if err != nil {
		return MembershipFormPage{}, err
	}
	people := map[int64]string{p.ID: p.Name}
	for _, o := range edit.Fields.Person.Options {
		if id, err := strconv.ParseInt(o.Value, 10, 64); err == nil {
			people[id] = o.Label
		}
	}
	return MembershipFormPage{Form: form, Edit: edit, Membership: m, Group: g, Person: p, Names: names, people: people}, nil
}

func (h *handler) editMembership(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	m, err := h.svc.Membership(r.Context(), id)
	if err != nil {
		return err
	}
	form := memberFormOf(r, m)
	form.Set("person_q", r.URL.Query().Get("person_q"))
	data, err := h.membershipForm(r, form, m)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "membership_form", "org.membership.edit_named", data, "name", data.Person.Name, "group", data.Group.NameIn(lang(r)))
}

func (h *handler) saveMembership(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	current, err := h.svc.Membership(r.Context(), id)
	if err != nil {
		return err
	}
	g, err := h.svc.Group(r.Context(), current.GroupID)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	edit := memberFromForm(form, current, isCouncil(g.Kind))
	edit.Version = version
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		_, err := h.svc.UpdateMembership(r.Context(), edit)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "org.membership.saved", "group", g.Name)
			return web.Redirect(w, r, "/organisation/grupper/"+web.IDText(g.ID))
		case errors.Is(err, errs.ErrConflict):
			if current, err = h.svc.Membership(r.Context(), id); err != nil {
				return err
			}
			form.Conflict(current.Version, "org.conflict")
			status = http.StatusConflict
		case !form.Fail(err):
			return err
		}
	}
	form.SortErrors(memberFields...)
	data, err := h.membershipForm(r, form, current)
	if err != nil {
		return err
	}
	if status == http.StatusConflict {
		data.Conflict = &current
	}
	return h.render(w, r, status, "membership_form", "org.membership.edit_named", data, "name", data.Person.Name, "group", data.Group.NameIn(lang(r)))
}

func (h *handler) deleteMembership(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	m, err := h.svc.Membership(r.Context(), id)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err == nil {
		err = h.svc.DeleteMembership(r.Context(), id, version)
	}
	if err == nil {
		h.web.AddFlash(r, "success", "org.membership.deleted")
		return web.Redirect(w, r, "/organisation/grupper/"+web.IDText(m.GroupID))
	}
	key, status, ok := deleteProblem(err, "error.referenced")
	if !ok {
		return err
	}
	data, err := h.membershipForm(r, memberFormOf(r, m), m)
	if err != nil {
		return err
	}
	data.Problem = key
	return h.render(w, r, status, "membership_form", "org.membership.edit_named", data, "name", data.Person.Name, "group", data.Group.NameIn(lang(r)))
}
