package priority

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// roundRoutes registers the pages that create, configure and move a round.
func (h *handler) roundRoutes() {
	h.web.Handle("GET /prioritering", Read, h.list)
	h.web.Handle("GET /prioritering/ny", Run, h.newRound)
	h.web.Handle("POST /prioritering/ny", Run, h.createRound)
	h.web.Handle("GET /prioritering/{id}", Read, h.round)
	h.web.Handle("GET /prioritering/{id}/redigera", Run, h.editRound)
	h.web.Handle("POST /prioritering/{id}/redigera", Run, h.saveRound)
	h.web.Handle("GET /prioritering/{id}/ta-bort", Run, h.confirmDelete)
	h.web.Handle("POST /prioritering/{id}/ta-bort", Run, h.deleteRound)
	h.web.Handle("GET /prioritering/{id}/kandidater", Run, h.candidates)
	h.web.Handle("POST /prioritering/{id}/kandidater", Run, h.saveCandidates)
	h.web.Handle("GET /prioritering/{id}/grupper", Run, h.groups)
	h.web.Handle("POST /prioritering/{id}/grupper", Run, h.saveGroups)
	h.web.Handle("POST /prioritering/{id}/oppna", Run, h.openRound)
	h.web.Handle("POST /prioritering/{id}/stang", Run, h.closeRound)
	h.web.Handle("POST /prioritering/{id}/ateroppna", Run, h.reopenRound)
}

// ListPage is the data of the list of rounds.
type ListPage struct {
	Rounds []RoundSummary
	CanRun bool
}

func (h *handler) list(w http.ResponseWriter, r *http.Request) error {
	rounds, err := h.svc.Rounds(r.Context())
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "list", "priority.list.title", ListPage{Rounds: rounds, CanRun: CanRun(r.Context())})
}

func roundURL(id int64) string { return "/prioritering/" + web.IDText(id) }

// tr looks key up in the catalogue in the request's language.
func (h *handler) msg(r *http.Request, key string, args ...any) string {
	return h.web.Catalog().T(web.LocaleFrom(r.Context()), key, args...)
}

// The round form.

// emptyCriterionRows is how many empty rows the draft form offers for new
// criteria.
const emptyCriterionRows = 3

// maxCriterionRows bounds the rows read from a posted form.
const maxCriterionRows = MaxCriteria + 10

// ScaleStep is one step of the scale in the round form: its score and the
// field of its label.
type ScaleStep struct {
	Value int
	Label web.FieldView
}

// CriterionRow is one criterion's fields in the round form.
type CriterionRow struct {
	N           int // from 1, for the legend
	ID          string
	IDName      string
	Axis        web.FieldView
	Label       web.FieldView
	Description web.FieldView
	Weight      web.FieldView
}

// RoundFormPage is the data of the new-round and edit-round pages.
type RoundFormPage struct {
	Form     *web.Form
	Round    Round // as stored, when editing
	New      bool
	Draft    bool // scale and criteria may change
	Steps    []ScaleStep
	Rows     []CriterionRow
	Axes     []AxisCriteria
	Conflict *Round // the newer version someone else saved
}

// AxisCriteria are a round's criteria on one axis, for the read-only views.
type AxisCriteria struct {
	Axis     Axis
	Criteria []Criterion
}

func axesOf(r Round) []AxisCriteria {
	out := make([]AxisCriteria, 0, len(Axes))
	for _, a := range Axes {
		out = append(out, AxisCriteria{Axis: a, Criteria: r.CriteriaOn(a)})
	}
	return out
}

var roundFields = []string{"conflict", "year", "title", "instructions", "deadline", "scale", "scale_min", "scale_max", "scale_labels", "criteria"}

func roundFormOf(rd Round) *web.Form {
	form := web.NewForm()
	form.Set("year", strconv.Itoa(rd.Year))
	form.Set("title", rd.Title)
	form.Set("instructions", rd.Instructions)
	form.Set("deadline", rd.Deadline.String())
	form.Set("scale_min", strconv.Itoa(rd.Scale.Min))
	form.Set("scale_max", strconv.Itoa(rd.Scale.Max))
	for _, v := range rd.Scale.Steps() {
		form.Set("scale_label."+strconv.Itoa(v), rd.Scale.Label(v))
	}
	for i, c := range rd.Criteria {
		p := "criteria." + strconv.Itoa(i) + "."
		form.Set(p+"id", web.IDText(c.ID))
		form.Set(p+"axis", string(c.Axis))
		form.Set(p+"label", c.Label)
		form.Set(p+"description", c.Description)
		form.Set(p+"weight", strconv.Itoa(c.Weight))
	}
	if rd.Version != 0 {
		form.SetVersion(rd.Version)
	}
	return form
}

// postedRows counts the criterion rows of a posted form.
func postedRows(form *web.Form) int {
	n := 0
	for i := range maxCriterionRows {
		if _, ok := form.Values["criteria."+strconv.Itoa(i)+".label"]; ok {
			n = i + 1
		}
	}
	return n
}

func (h *handler) roundForm(form *web.Form, rd Round, isNew bool, rows int) RoundFormPage {
	draft := isNew || rd.Status == Draft
	p := RoundFormPage{Form: form, Round: rd, New: isNew, Draft: draft, Axes: axesOf(rd)}
	if !draft {
		return p
	}
	lo, errLo := strconv.Atoi(form.Get("scale_min"))
	hi, errHi := strconv.Atoi(form.Get("scale_max"))
	if errLo != nil || errHi != nil || hi < lo || hi-lo+1 > MaxScaleSteps || lo < 0 || hi > 100 {
		lo, hi = rd.Scale.Min, rd.Scale.Max
	}
	for v := lo; v <= hi; v++ {
		name := "scale_label." + strconv.Itoa(v)
		f := web.FieldView{ID: "f-" + name, Name: name, Type: "text", Value: form.Get(name)}
		p.Steps = append(p.Steps, ScaleStep{Value: v, Label: f})
	}
	axes := append([]web.Option{web.Choose("priority.form.choose")}, web.EnumOptions(Axes, "priority.round.axis.")...)
	for i := range rows {
		pre := "criteria." + strconv.Itoa(i) + "."
		p.Rows = append(p.Rows, CriterionRow{
			N: i + 1, ID: form.Get(pre + "id"), IDName: pre + "id",
			Axis:        form.Select(pre+"axis", "priority.form.criterion_axis", axes),
			Label:       roundField(form, pre+"label", "priority.form.criterion_label"),
			Description: roundField(form, pre+"description", "priority.form.criterion_description"),
			Weight:      roundField(form, pre+"weight", "priority.form.criterion_weight"),
		})
	}
	return p
}

func roundField(form *web.Form, name, label string) web.FieldView {
	return web.FieldView{ID: "f-" + name, Name: name, Label: label, Type: "text", Value: form.Get(name), Error: form.ErrorFor(name)}
}

// roundFromForm reads the round form over base. The title, instructions and
// deadline always; year, scale and criteria only when draft (an open round
// keeps its own). Problems go on the form, at the form's own rows.
func roundFromForm(form *web.Form, base Round, draft bool) Round {
	rd := base
	rd.Title, rd.Instructions = form.Get("title"), form.Get("instructions")
	rd.Deadline = form.Date("deadline")
	if !draft {
		form.Merge(rd.Validate())
		return rd
	}
	if y := form.Int("year"); y != 0 {
		rd.Year = int(y)
	}
	rd.Scale = Scale{Min: int(form.Int("scale_min")), Max: int(form.Int("scale_max"))}
	if steps := rd.Scale.Max - rd.Scale.Min + 1; steps >= 1 && steps <= MaxScaleSteps {
		for _, v := range rd.Scale.Steps() {
			rd.Scale.Labels = append(rd.Scale.Labels, form.Get("scale_label."+strconv.Itoa(v)))
		}
	}
	if !slices.ContainsFunc(rd.Scale.Labels, func(s string) bool { return s != "" }) {
		rd.Scale.Labels = nil
	}
	rd.Criteria = nil
	var rowOf []int // the form row of each criterion read
	for i := range postedRows(form) {
		pre := "criteria." + strconv.Itoa(i) + "."
		label, desc := form.Get(pre+"label"), form.Get(pre+"description")
		if label == "" {
			continue // an empty row, or a criterion removed by blanking its label
		}
		c := Criterion{ID: form.ID(pre + "id"), Axis: Axis(form.Get(pre + "axis")), Label: label, Description: desc, Weight: 1}
		if s := form.Get(pre + "weight"); s != "" {
			c.Weight = int(form.Int(pre + "weight"))
		}
		rd.Criteria = append(rd.Criteria, c)
		rowOf = append(rowOf, i)
	}
	// Validate in the form's order, so each problem lands on its own row.
	v, ok := errs.AsValidation(rd.Validate())
	if ok {
		var mapped errs.ValidationError
		for _, f := range v.Fields {
			name := f.Name
			if rest, found := strings.CutPrefix(name, "criteria."); found {
				if k, field, found := strings.Cut(rest, "."); found {
					if n, err := strconv.Atoi(k); err == nil && n < len(rowOf) {
						name = "criteria." + strconv.Itoa(rowOf[n]) + "." + field
					}
				}
			}
			mapped.Add(name, f.Key, f.Args...)
		}
		form.Merge(mapped.Err())
	}
	return rd
}

// sortRoundErrors orders problems as the form's fields appear.
func sortRoundErrors(form *web.Form) {
	order := slices.Clone(roundFields)
	for i := range maxCriterionRows {
		for _, f := range []string{"axis", "label", "description", "weight"} {
			order = append(order, "criteria."+strconv.Itoa(i)+"."+f)
		}
	}
	form.SortErrors(order...)
}

func (h *handler) newRound(w http.ResponseWriter, r *http.Request) error {
	today := h.svc.Today()
	rd := DefaultRound(today.Year()+1, today.AddDays(42), func(key string) string { return h.msg(r, key) })
	form := roundFormOf(rd)
	data := h.roundForm(form, rd, true, len(rd.Criteria)+emptyCriterionRows)
	return h.render(w, r, http.StatusOK, "round_form", "priority.form.new_title", data)
}

func (h *handler) createRound(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	rd := roundFromForm(form, Round{}, true)
	if !form.HasErrors() {
		saved, err := h.svc.CreateRound(r.Context(), rd)
		if err == nil {
			h.web.AddFlash(r, "success", "priority.form.created", "title", saved.Title)
			return web.Redirect(w, r, roundURL(saved.ID))
		}
		if !form.Fail(err) {
			return err
		}
	}
	sortRoundErrors(form)
	data := h.roundForm(form, Round{Scale: Scale{Min: 1, Max: 5}}, true, postedRows(form))
	return h.render(w, r, http.StatusUnprocessableEntity, "round_form", "priority.form.new_title", data)
}

// editable returns the round, or a locked error when it is past editing.
func (h *handler) editable(r *http.Request, id int64) (Round, error) {
	rd, err := h.svc.Round(r.Context(), id)
	if err != nil {
		return Round{}, err
	}
	if rd.Status != Draft && rd.Status != Open {
		return Round{}, errs.ErrLocked
	}
	return rd, nil
}

func (h *handler) editRound(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	rd, err := h.editable(r, id)
	if err != nil {
		return err
	}
	data := h.roundForm(roundFormOf(rd), rd, false, len(rd.Criteria)+emptyCriterionRows)
	return h.render(w, r, http.StatusOK, "round_form", "priority.form.edit_title", data, "title", rd.Title)
}

func (h *handler) saveRound(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	current, err := h.editable(r, id)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	draft := current.Status == Draft
	edit := roundFromForm(form, current, draft)
	edit.Version = version
	status := http.StatusUnprocessableEntity
	var conflict *Round
	if !form.HasErrors() {
		saved, err := h.svc.UpdateRound(r.Context(), edit)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "priority.form.saved", "title", saved.Title)
			return web.Redirect(w, r, roundURL(id))
		case errors.Is(err, errs.ErrConflict):
			if current, err = h.editable(r, id); err != nil {
				return err
			}
			form.Conflict(current.Version, "priority.form.conflict")
			status, conflict = http.StatusConflict, &current
		case !form.Fail(err):
			return err
		}
	}
	sortRoundErrors(form)
	data := h.roundForm(form, current, false, postedRows(form))
	data.Conflict = conflict
	return h.render(w, r, status, "round_form", "priority.form.edit_title", data, "title", current.Title)
}

// Delete.

// DeletePage is the data of the page that confirms deleting a draft round.
type DeletePage struct {
	Round Round
	Form  *web.Form
}

func (h *handler) confirmDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	rd, err := h.draft(r, id)
	if err != nil {
		return err
	}
	form := web.NewForm()
	form.SetVersion(rd.Version)
	return h.render(w, r, http.StatusOK, "round_delete", "priority.form.delete.title", DeletePage{Round: rd, Form: form}, "title", rd.Title)
}

// draft returns the round, or a locked error when it is no longer a draft.
func (h *handler) draft(r *http.Request, id int64) (Round, error) {
	rd, err := h.svc.Round(r.Context(), id)
	if err != nil {
		return Round{}, err
	}
	if !rd.Configurable() {
		return Round{}, errs.ErrLocked
	}
	return rd, nil
}

func (h *handler) deleteRound(w http.ResponseWriter, r *http.Request) error {
	id, form, version, err := postedVersion(r)
	if err != nil {
		return err
	}
	rd, err := h.draft(r, id)
	if err != nil {
		return err
	}
	err = h.svc.DeleteRound(r.Context(), id, version)
	if errors.Is(err, errs.ErrConflict) {
		form.Conflict(rd.Version, "priority.form.delete.conflict")
		return h.render(w, r, http.StatusConflict, "round_delete", "priority.form.delete.title", DeletePage{Round: rd, Form: form}, "title", rd.Title)
	}
	if err != nil {
		return err
	}
	h.web.AddFlash(r, "success", "priority.form.delete.done", "title", rd.Title)
	return web.Redirect(w, r, "/prioritering")
}

// The round page.

// RoundPage is the data of a round's page.
type RoundPage struct {
	Round      Round
	Axes       []AxisCriteria
	Candidates []Candidate
	Groups     []GroupProgress
	CanRun     bool
	CanDecide  bool
	Rater      bool // the user rates for a group of the round
	Today      date.Date
	// Action is the open or close form that failed, with its problems;
	// Reopen is the reopen form.
	Action *web.Form
	Reopen *web.Form
}

func (h *handler) round(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	return h.renderRound(w, r, http.StatusOK, id, nil, nil)
}

func (h *handler) renderRound(w http.ResponseWriter, r *http.Request, status int, id int64, action, reopen *web.Form) error {
	ctx := r.Context()
	res, err := h.svc.Results(ctx, id)
	if err != nil {
		return err
	}
	cs, err := h.svc.Candidates(ctx, id)
	if err != nil {
		return err
	}
	mine, err := h.svc.MyGroups(ctx, id)
	if err != nil {
		return err
	}
	rd := res.Round
	if action == nil {
		action = web.NewForm()
	}
	if reopen == nil {
		reopen = web.NewForm()
		reopen.Set("deadline", h.svc.Today().AddDays(14).String())
	}
	reopen.SetVersion(rd.Version)
	data := RoundPage{Round: rd, Axes: axesOf(rd), Candidates: cs, Groups: res.Groups, CanRun: CanRun(ctx), CanDecide: CanDecide(ctx),
		Rater: len(mine) > 0, Today: h.svc.Today(), Action: action, Reopen: reopen}
	return h.render(w, r, status, "round", "priority.round.page_title", data, "title", rd.Title)
}

// step runs one of the round's moves posted from its page: on success back
// to the page with msg; a problem shows the page again with it.
func (h *handler) step(w http.ResponseWriter, r *http.Request, msg string, reopen bool, move func(form *web.Form, id, version int64) (Round, error)) error {
	id, form, version, err := postedVersion(r)
	if err != nil {
		return err
	}
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		saved, err := move(form, id, version)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", msg, "title", saved.Title)
			return web.Redirect(w, r, roundURL(id))
		case errors.Is(err, errs.ErrConflict):
			form.AddError("conflict", "priority.round.conflict")
			status = http.StatusConflict
		case !form.Fail(err):
			return err
		}
	}
	form.SortErrors("conflict", "status", "deadline", "support_ids", "group_ids")
	if reopen {
		return h.renderRound(w, r, status, id, nil, form)
	}
	return h.renderRound(w, r, status, id, form, nil)
}

func (h *handler) openRound(w http.ResponseWriter, r *http.Request) error {
	return h.step(w, r, "priority.round.opened", false, func(_ *web.Form, id, version int64) (Round, error) {
		return h.svc.Open(r.Context(), id, version)
	})
}

func (h *handler) closeRound(w http.ResponseWriter, r *http.Request) error {
	return h.step(w, r, "priority.round.closed", false, func(_ *web.Form, id, version int64) (Round, error) {
		return h.svc.Close(r.Context(), id, version)
	})
}

func (h *handler) reopenRound(w http.ResponseWriter, r *http.Request) error {
	return h.step(w, r, "priority.round.reopened", true, func(form *web.Form, id, version int64) (Round, error) {
		if form.Get("deadline") == "" {
			return Round{}, errs.Invalidf("deadline", "validation.required")
		}
		deadline, err := date.Parse(form.Get("deadline"))
		if err != nil {
			return Round{}, errs.Invalidf("deadline", "validation.date")
		}
		return h.svc.Reopen(r.Context(), id, deadline, version)
	})
}

// Candidates.

// CandidatesPage is the data of the page that chooses a round's candidates.
type CandidatesPage struct {
	Round    Round
	Form     *web.Form
	Query    string
	Chosen   []EligibleSupport // the candidates now, or as the failed form chose them
	Others   []EligibleSupport // eligible supports matching the search, not chosen
	Conflict bool
}

func (h *handler) candidates(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	rd, err := h.draft(r, id)
	if err != nil {
		return err
	}
	query := r.URL.Query()
	form := web.NewForm()
	form.Set("q", query.Get("q"))
	if query.Get("sok") != "" && query.Get("version") != "" {
		// A search from the form: the boxes ticked so far, and the version
		// they were ticked on, stay as they were.
		form.Set("version", query.Get("version"))
		form.Values["support_ids"] = query["support_ids"]
		return h.renderCandidates(w, r, http.StatusOK, rd, form)
	}
	form.SetVersion(rd.Version)
	cs, err := h.svc.Candidates(r.Context(), id)
	if err != nil {
		return err
	}
	for _, c := range cs {
		form.Values.Add("support_ids", web.IDText(c.SupportID))
	}
	return h.renderCandidates(w, r, http.StatusOK, rd, form)
}

func (h *handler) renderCandidates(w http.ResponseWriter, r *http.Request, status int, rd Round, form *web.Form) error {
	ctx := r.Context()
	query := form.Get("q")
	chosen := form.IDs("support_ids")
	data := CandidatesPage{Round: rd, Form: form, Query: query, Conflict: form.ErrorFor("conflict") != nil}
	all, err := h.svc.EligibleSupports(ctx, rd.ID, "")
	if err != nil {
		return err
	}
	cs, err := h.svc.Candidates(ctx, rd.ID)
	if err != nil {
		return err
	}
	for _, id := range chosen {
		if i := slices.IndexFunc(all, func(e EligibleSupport) bool { return e.ID == id }); i >= 0 {
			data.Chosen = append(data.Chosen, all[i])
		} else if j := slices.IndexFunc(cs, func(c Candidate) bool { return c.SupportID == id }); j >= 0 {
			// A candidate that has moved on in the catalog since it was chosen.
			e := EligibleSupport{}
			e.ID, e.Title, e.Kind, e.Status = cs[j].SupportID, cs[j].SupportTitle, cs[j].SupportKind, cs[j].SupportStatus
			data.Chosen = append(data.Chosen, e)
		}
	}
	matching := all
	if query != "" {
		if matching, err = h.svc.EligibleSupports(ctx, rd.ID, query); err != nil {
			return err
		}
	}
	for _, e := range matching {
		if !slices.Contains(chosen, e.ID) {
			data.Others = append(data.Others, e)
		}
	}
	return h.render(w, r, status, "candidates", "priority.form.candidates.title", data, "title", rd.Title)
}

func (h *handler) saveCandidates(w http.ResponseWriter, r *http.Request) error {
	return h.saveChoice(w, r, "support_ids", h.svc.SetCandidates, "priority.form.candidates", h.renderCandidates)
}

// saveChoice saves the ids of field that a draft round's page chose (its
// candidates or its assessor groups) with set, by the version the page was
// read at; a problem shows the page again by render with the choice kept.
// The flash and conflict messages are keyPrefix.saved and .conflict.
func (h *handler) saveChoice(w http.ResponseWriter, r *http.Request, field string,
	set func(ctx context.Context, id int64, ids []int64, version int64) (Round, error), keyPrefix string,
	render func(w http.ResponseWriter, r *http.Request, status int, rd Round, form *web.Form) error) error {
	id, form, version, err := postedVersion(r)
	if err != nil {
		return err
	}
	rd, err := h.draft(r, id)
	if err != nil {
		return err
	}
	ids := form.IDs(field)
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		saved, err := set(r.Context(), id, ids, version)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", keyPrefix+".saved", "title", saved.Title)
			return web.Redirect(w, r, roundURL(id))
		case errors.Is(err, errs.ErrConflict):
			form.Conflict(rd.Version, keyPrefix+".conflict")
			status = http.StatusConflict
		case !form.Fail(err):
			return err
		}
	}
	return render(w, r, status, rd, form)
}

// Groups.

// GroupsPage is the data of the page that chooses a round's assessor groups.
type GroupsPage struct {
	Round   Round
	Form    *web.Form
	Options []web.Option
}

func (h *handler) groups(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	rd, err := h.draft(r, id)
	if err != nil {
		return err
	}
	gs, err := h.svc.Groups(r.Context(), id)
	if err != nil {
		return err
	}
	form := web.NewForm()
	form.SetVersion(rd.Version)
	for _, g := range gs {
		form.Values.Add("group_ids", web.IDText(g.GroupID))
	}
	return h.renderGroups(w, r, http.StatusOK, rd, form)
}

func (h *handler) renderGroups(w http.ResponseWriter, r *http.Request, status int, rd Round, form *web.Form) error {
	eligible, err := h.svc.EligibleGroups(r.Context())
	if err != nil {
		return err
	}
	chosen := form.Values["group_ids"]
	data := GroupsPage{Round: rd, Form: form}
	for _, g := range eligible {
		v := web.IDText(g.GroupID)
		data.Options = append(data.Options, web.Option{Value: v, Label: g.Name, Selected: slices.Contains(chosen, v)})
	}
	return h.render(w, r, status, "groups", "priority.form.groups.title", data, "title", rd.Title)
}

func (h *handler) saveGroups(w http.ResponseWriter, r *http.Request) error {
	return h.saveChoice(w, r, "group_ids", h.svc.SetGroups, "priority.form.groups", h.renderGroups)
}
