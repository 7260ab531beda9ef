package org

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// TreePage is the data of the organisation tree.
type TreePage struct {
	Form     *web.Form
	Query    string
	Nodes    []*TreeItem
	Total    int // units in the registry
	Matches  int // units matching the search
	CanWrite bool
}

// TreeItem is one unit in the tree with its name split around the search match.
type TreeItem struct {
	Unit     Unit
	LevelKey string // the catalogue key of the unit's level
	Name     Highlight
	HSAID    Highlight
	Match    bool
	Children []*TreeItem
}

// Highlight is a text split around the part that matches a search.
type Highlight struct {
	Before, Match, After string
}

// highlight splits s around the first case-insensitive occurrence of q.
func highlight(s, q string) Highlight {
	if q == "" {
		return Highlight{Before: s}
	}
	ls, lq := strings.ToLower(s), strings.ToLower(q)
	i := strings.Index(ls, lq)
	switch {
	case i < 0:
		return Highlight{Before: s}
	case len(ls) != len(s):
		return Highlight{Match: s} // lower case changed the byte offsets: mark it all
	}
	return Highlight{Before: s[:i], Match: s[i : i+len(lq)], After: s[i+len(lq):]}
}

// treeItems turns the tree into page items and counts the matches.
func treeItems(nodes []*TreeNode, q string) ([]*TreeItem, int) {
	out := make([]*TreeItem, len(nodes))
	matches := 0
	for i, n := range nodes {
		it := &TreeItem{Unit: n.Unit, LevelKey: "org.unit_level." + string(n.Unit.Level), Match: n.Match, Name: highlight(n.Unit.Name, ""), HSAID: highlight(n.Unit.HSAID, "")}
		if n.Match {
			matches++
			it.Name, it.HSAID = highlight(n.Unit.Name, q), highlight(n.Unit.HSAID, q)
		}
		var m int
		it.Children, m = treeItems(n.Children, q)
		matches += m
		out[i] = it
	}
	return out, matches
}

func (h *handler) tree(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	units, err := h.svc.Units(r.Context())
	if err != nil {
		return err
	}
	data := TreePage{Form: web.QueryForm(r), Query: q, Total: len(units), CanWrite: canWrite(r)}
	data.Nodes, data.Matches = treeItems(buildTree(units, q), q)
	return h.render(w, r, http.StatusOK, "tree", "org.tree.title", data)
}

// treeOptions lists units in tree order, each labelled with the path from the
// top ("Förvaltning › Verksamhet"), leaving out those skip rejects and
// everything below them.
func treeOptions(units []Unit, emptyKey string, skip func(Unit) bool) []web.Option {
	out := []web.Option{web.Choose(emptyKey)}
	var walk func(nodes []*TreeNode, prefix string)
	walk = func(nodes []*TreeNode, prefix string) {
		for _, n := range nodes {
			if skip(n.Unit) {
				continue
			}
			label := prefix + n.Unit.Name
			out = append(out, web.Option{Value: web.IDText(n.Unit.ID), Label: label})
			walk(n.Children, label+" › ")
		}
	}
	walk(buildTree(units, ""), "")
	return out
}

// UnitPage is the data of a unit's page.
type UnitPage struct {
	Unit     Unit
	Path     []Unit // the units above, from the top
	Children []Unit
	History  []UnitChange
	People   []Person
	Names    Names
	CanWrite bool
	Problem  string // why a delete did not happen
}

func (h *handler) unitPage(r *http.Request, id int64) (UnitPage, error) {
	ctx := r.Context()
	u, err := h.svc.Unit(ctx, id)
	if err != nil {
		return UnitPage{}, err
	}
	units, err := h.svc.Units(ctx)
	if err != nil {
		return UnitPage{}, err
	}
	data := UnitPage{Unit: u, Names: unitNames(units), CanWrite: canWrite(r)}
	if data.History, err = h.svc.UnitHistory(ctx, id); err != nil {
		return UnitPage{}, err
	}
	if data.People, err = h.svc.People(ctx, PersonFilter{UnitID: id}); err != nil {
		return UnitPage{}, err
	}
	byID := make(map[int64]Unit, len(units))
	for _, x := range units {
		byID[x.ID] = x
		if x.ParentID == id {
			data.Children = append(data.Children, x)
		}
	}
	for p, ok := byID[u.ParentID]; ok && len(data.Path) < len(units); p, ok = byID[p.ParentID] {
		data.Path = append([]Unit{p}, data.Path...)
	}
	return data, nil
}

// unitNames names units by id.
func unitNames(units []Unit) Names {
	n := Names{units: make(map[int64]string, len(units))}
	for _, u := range units {
		n.units[u.ID] = u.Name
	}
	return n
}

func (h *handler) unit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	data, err := h.unitPage(r, id)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "unit", "org.unit.page_title", data, "name", data.Unit.Name)
}

// UnitFormPage is the data of the new-unit and edit-unit pages.
type UnitFormPage struct {
	Form     *web.Form
	Unit     Unit // the unit as stored, when editing
	New      bool
	Level    web.FieldView
	Parent   web.FieldView
	Kind     web.FieldView
	Conflict *Unit // the newer version someone else saved
	Names    Names
}

// unitFields is the order of the unit form's fields.
var unitFields = []string{"conflict", "level", "parent_id", "name", "hsa_id", "kind", "valid_from", "valid_to"}

func (h *handler) unitForm(r *http.Request, form *web.Form, u Unit, isNew bool) (UnitFormPage, error) {
	units, err := h.svc.Units(r.Context())
	if err != nil {
		return UnitFormPage{}, err
	}
	parents := treeOptions(units, "org.unit.no_parent", func(x Unit) bool {
		return x.Level == CareUnit || (!isNew && x.ID == u.ID)
	})
	return UnitFormPage{
		Form: form, Unit: u, New: isNew, Names: unitNames(units),
		Level:  form.Select("level", "org.unit.level", append([]web.Option{web.Choose("org.choose")}, web.EnumOptions(UnitLevels, "org.unit_level.")...), "required"),
		Parent: form.Select("parent_id", "org.unit.parent", parents, "hint=org.unit.parent_hint"),
		Kind:   form.Select("kind", "org.unit.kind", append([]web.Option{web.Choose("org.choose")}, web.EnumOptions(UnitKinds, "org.unit_kind.")...), "required"),
	}, nil
}

// unitFormOf fills a form with a stored unit.
func unitFormOf(u Unit) *web.Form {
	form := web.NewForm()
	form.Set("level", string(u.Level))
	form.Set("parent_id", web.IDText(u.ParentID))
	form.Set("name", u.Name)
	form.Set("hsa_id", u.HSAID)
	form.Set("kind", string(u.Kind))
	form.Set("valid_from", u.ValidFrom.String())
	form.Set("valid_to", u.ValidTo.String())
	form.SetVersion(u.Version)
	return form
}

// unitFromForm reads the unit form on top of base and records every problem.
func unitFromForm(form *web.Form, base Unit) Unit {
	u := base
	u.Level = UnitLevel(form.Get("level"))
	u.ParentID = form.ID("parent_id")
	u.Name = form.Get("name")
	u.HSAID = form.Get("hsa_id")
	u.Kind = UnitKind(form.Get("kind"))
	u.ValidFrom = form.Date("valid_from")
	u.ValidTo = form.Date("valid_to")
	check := u
	check.Normalize()
	form.Merge(check.Validate())
	return u
}

func (h *handler) newUnit(w http.ResponseWriter, r *http.Request) error {
	form := web.NewForm()
	// "Add a unit under this one" links pass the parent; the level and kind follow from it.
	if pid, err := strconv.ParseInt(r.URL.Query().Get("parent_id"), 10, 64); err == nil {
		if p, err := h.svc.Unit(r.Context(), pid); err == nil && p.Level != CareUnit {
			form.Set("parent_id", web.IDText(p.ID))
			form.Set("kind", string(p.Kind))
			form.Set("level", string(CareUnit))
			if p.Level == Division {
				form.Set("level", string(Department))
			}
		}
	}
	data, err := h.unitForm(r, form, Unit{}, true)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "unit_form", "org.unit.new", data)
}

func (h *handler) createUnit(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	u := unitFromForm(form, Unit{})
	if !form.HasErrors() {
		saved, err := h.svc.CreateUnit(r.Context(), u)
		if err == nil {
			h.web.AddFlash(r, "success", "org.unit.created", "name", saved.Name)
			return web.Redirect(w, r, "/organisation/enheter/"+web.IDText(saved.ID))
		}
		if !form.Fail(err) {
			return err
		}
	}
	form.SortErrors(unitFields...)
	data, err := h.unitForm(r, form, Unit{}, true)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusUnprocessableEntity, "unit_form", "org.unit.new", data)
}

func (h *handler) editUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	u, err := h.svc.Unit(r.Context(), id)
	if err != nil {
		return err
	}
	data, err := h.unitForm(r, unitFormOf(u), u, false)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "unit_form", "org.unit.edit_named", data, "name", data.Unit.Name)
}

func (h *handler) saveUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	current, err := h.svc.Unit(r.Context(), id)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	edit := unitFromForm(form, current)
	edit.Version = version
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		saved, err := h.svc.UpdateUnit(r.Context(), edit)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "org.unit.saved", "name", saved.Name)
			return web.Redirect(w, r, "/organisation/enheter/"+web.IDText(id))
		case errors.Is(err, errs.ErrConflict):
			if current, err = h.svc.Unit(r.Context(), id); err != nil {
				return err
			}
			form.Conflict(current.Version, "org.conflict")
			status = http.StatusConflict
		case !form.Fail(err):
			return err
		}
	}
	form.SortErrors(unitFields...)
	data, err := h.unitForm(r, form, current, false)
	if err != nil {
		return err
	}
	if status == http.StatusConflict {
		data.Conflict = &current
	}
	return h.render(w, r, status, "unit_form", "org.unit.edit_named", data, "name", data.Unit.Name)
}

func (h *handler) deleteUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	u, err := h.svc.Unit(r.Context(), id)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err == nil {
		err = h.svc.DeleteUnit(r.Context(), id, version)
	}
	if err == nil {
		h.web.AddFlash(r, "success", "org.unit.deleted", "name", u.Name)
		return web.Redirect(w, r, "/organisation")
	}
	key, status, ok := deleteProblem(err, "org.unit.delete_referenced")
	if !ok {
		return err
	}
	data, err := h.unitPage(r, id)
	if err != nil {
		return err
	}
	data.Problem = key
	return h.render(w, r, status, "unit", "org.unit.page_title", data, "name", data.Unit.Name)
}
