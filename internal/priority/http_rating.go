package priority

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// ratingRoutes registers the assessor groups' rating pages.
func (h *handler) ratingRoutes() {
	h.web.Handle("GET /prioritering/{id}/bedomning", Rate, h.ratings)
	h.web.Handle("GET /prioritering/{id}/bedomning/{group}/{candidate}", Rate, h.sheet)
	h.web.Handle("POST /prioritering/{id}/bedomning/{group}/{candidate}", Rate, h.saveSheet)
}

// The states of a sheet in the rating list.
const (
	sheetMissing  = "missing"
	sheetPartial  = "partial"
	sheetComplete = "complete"
)

func sheetState(sh Sheet, saved bool, rd Round) string {
	switch {
	case !saved:
		return sheetMissing
	case sh.Complete(rd):
		return sheetComplete
	default:
		return sheetPartial
	}
}

// SheetRow is one candidate in a group's part of the rating list.
type SheetRow struct {
	Candidate Candidate
	State     string // missing, partial or complete
	UpdatedBy string
	UpdatedAt time.Time
}

// GroupSheets is one of the user's groups with its sheets.
type GroupSheets struct {
	Group    AssessorGroup
	Rows     []SheetRow
	Complete int
}

// RatingPage is the data of the rating list: the user's groups × the
// round's candidates.
type RatingPage struct {
	Round   Round
	Groups  []GroupSheets
	Accepts bool // ratings may be saved today
	CanRun  bool
}

func (h *handler) ratings(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	rd, err := h.svc.Round(ctx, id)
	if err != nil {
		return err
	}
	mine, err := h.svc.MyGroups(ctx, id)
	if err != nil {
		return err
	}
	cs, err := h.svc.Candidates(ctx, id)
	if err != nil {
		return err
	}
	data := RatingPage{Round: rd, Accepts: rd.AcceptsRatings(h.svc.Today()), CanRun: CanRun(ctx)}
	for _, g := range mine {
		sheets, err := h.svc.Sheets(ctx, id, g.GroupID)
		if err != nil {
			return err
		}
		gs := GroupSheets{Group: g}
		for _, c := range cs {
			row := SheetRow{Candidate: c, State: sheetMissing}
			if i := slices.IndexFunc(sheets, func(s Sheet) bool { return s.CandidateID == c.ID }); i >= 0 {
				row.State, row.UpdatedBy, row.UpdatedAt = sheetState(sheets[i], true, rd), sheets[i].UpdatedBy, sheets[i].UpdatedAt
			}
			if row.State == sheetComplete {
				gs.Complete++
			}
			gs.Rows = append(gs.Rows, row)
		}
		data.Groups = append(data.Groups, gs)
	}
	return h.render(w, r, http.StatusOK, "rating_list", "priority.rating.title", data, "title", rd.Title)
}

// ScaleChoice is one radio button of a criterion's scale.
type ScaleChoice struct {
	ID      string
	Value   string
	Label   string // the step's name, or empty
	Checked bool
}

// SheetCriterion is one criterion of the sheet form: its scale choices, the
// comment and their problems.
type SheetCriterion struct {
	Index        int
	Criterion    Criterion
	ValueName    string
	Choices      []ScaleChoice
	None         ScaleChoice // "not rated yet"
	ValueError   *errs.Field
	CommentName  string
	Comment      string
	CommentError *errs.Field
	// Saved is the stored score, for the read-only view.
	Saved Score
}

// ConflictScore is a criterion as the other member saved it.
type ConflictScore struct {
	Criterion Criterion
	Score     Score
}

// SheetPage is the data of one sheet: a group's rating of a candidate.
type SheetPage struct {
	Round     Round
	Group     AssessorGroup
	Candidate Candidate
	Sheet     Sheet // as stored
	Form      *web.Form
	Criteria  []SheetCriterion
	Editable  bool // the user may save the sheet now
	Member    bool // the user rates for the group
	HasNext   bool
	// Conflict is the sheet another member of the group saved since the form
	// was opened, with its scores by criterion.
	Conflict       *Sheet
	ConflictScores []ConflictScore
	// Unsaved is what the user sent when the sheet could not be saved and is
	// no longer editable (the deadline passed or the round closed meanwhile),
	// shown so that nothing they wrote is lost.
	Unsaved []ConflictScore
}

// ScaleText names score v of the round's scale: "4 – Hög" or just "4".
func (p SheetPage) ScaleText(v *int) string {
	if v == nil {
		return ""
	}
	if l := p.Round.Scale.Label(*v); l != "" {
		return l
	}
	return strconv.Itoa(*v)
}

// sheetContext is what a sheet page needs from the path.
type sheetContext struct {
	round     Round
	group     AssessorGroup
	candidate Candidate
	next      int64 // the next candidate's id, 0 after the last
	member    bool
}

func (h *handler) loadSheetContext(r *http.Request) (sheetContext, error) {
	ctx := r.Context()
	id, err := web.PathID(r)
	if err != nil {
		return sheetContext{}, err
	}
	groupID, err := web.PathInt(r, "group")
	if err != nil {
		return sheetContext{}, err
	}
	candidateID, err := web.PathInt(r, "candidate")
	if err != nil {
		return sheetContext{}, err
	}
	var sc sheetContext
	if sc.round, err = h.svc.Round(ctx, id); err != nil {
		return sc, err
	}
	gs, err := h.svc.Groups(ctx, id)
	if err != nil {
		return sc, err
	}
	i := slices.IndexFunc(gs, func(g AssessorGroup) bool { return g.GroupID == groupID })
	if i < 0 {
		return sc, errs.ErrNotFound
	}
	sc.group = gs[i]
	cs, err := h.svc.Candidates(ctx, id)
	if err != nil {
		return sc, err
	}
	j := slices.IndexFunc(cs, func(c Candidate) bool { return c.ID == candidateID })
	if j < 0 {
		return sc, errs.ErrNotFound
	}
	sc.candidate = cs[j]
	if j+1 < len(cs) {
		sc.next = cs[j+1].ID
	}
	mine, err := h.svc.MyGroups(ctx, id)
	if err != nil {
		return sc, err
	}
	sc.member = slices.ContainsFunc(mine, func(g AssessorGroup) bool { return g.GroupID == groupID })
	return sc, nil
}

func sheetPath(roundID, groupID, candidateID int64) string {
	return roundURL(roundID) + "/bedomning/" + web.IDText(groupID) + "/" + web.IDText(candidateID)
}

func sheetFormOf(rd Round, sh Sheet) *web.Form {
	form := web.NewForm()
	for i, c := range rd.Criteria {
		sc := sh.Score(c.ID)
		if sc.Value != nil {
			form.Set(scoreName(i, "value"), strconv.Itoa(*sc.Value))
		}
		form.Set(scoreName(i, "comment"), sc.Comment)
	}
	form.Set("version", strconv.FormatInt(sh.Version, 10))
	return form
}

func scoreName(i int, field string) string { return "scores." + strconv.Itoa(i) + "." + field }

func (h *handler) sheetPage(sc sheetContext, stored Sheet, form *web.Form) SheetPage {
	p := SheetPage{Round: sc.round, Group: sc.group, Candidate: sc.candidate, Sheet: stored, Form: form, Member: sc.member,
		Editable: sc.member && sc.round.AcceptsRatings(h.svc.Today()), HasNext: sc.next != 0}
	for i, c := range sc.round.Criteria {
		name := scoreName(i, "value")
		current := form.Get(name)
		crit := SheetCriterion{Index: i, Criterion: c, ValueName: name, ValueError: form.ErrorFor(name),
			CommentName: scoreName(i, "comment"), Comment: form.Get(scoreName(i, "comment")),
			CommentError: form.ErrorFor(scoreName(i, "comment")), Saved: stored.Score(c.ID)}
		for k, v := range sc.round.Scale.Steps() {
			id := "f-" + name
			if k > 0 {
				id += "-" + strconv.Itoa(v)
			}
			s := strconv.Itoa(v)
			crit.Choices = append(crit.Choices, ScaleChoice{ID: id, Value: s, Label: sc.round.Scale.Label(v), Checked: current == s})
		}
		crit.None = ScaleChoice{ID: "f-" + name + "-none", Checked: current == ""}
		p.Criteria = append(p.Criteria, crit)
	}
	return p
}

func (h *handler) sheet(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.loadSheetContext(r)
	if err != nil {
		return err
	}
	stored, err := h.svc.Sheet(r.Context(), sc.round.ID, sc.candidate.ID, sc.group.GroupID)
	if err != nil {
		return err
	}
	data := h.sheetPage(sc, stored, sheetFormOf(sc.round, stored))
	return h.render(w, r, http.StatusOK, "sheet", "priority.rating.sheet.title", data, "candidate", sc.candidate.SupportTitle, "group", sc.group.Name)
}

func (h *handler) saveSheet(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.loadSheetContext(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(form.Get("version"), 10, 64)
	if err != nil || version < 0 {
		return errs.Invalidf("version", "validation.form")
	}
	sh := Sheet{RoundID: sc.round.ID, CandidateID: sc.candidate.ID, GroupID: sc.group.GroupID, Version: version}
	// A sheet the user may not save now has no fields to point a problem
	// at: the service then says why it cannot be saved.
	editable := sc.member && sc.round.AcceptsRatings(h.svc.Today())
	for i, c := range sc.round.Criteria {
		score := Score{CriterionID: c.ID, Comment: form.Get(scoreName(i, "comment"))}
		if s := form.Get(scoreName(i, "value")); s != "" {
			v, err := strconv.Atoi(s)
			switch {
			case err == nil:
				score.Value = &v
			case editable:
				form.AddError(scoreName(i, "value"), "priority.sheet.off_scale", "min", strconv.Itoa(sc.round.Scale.Min), "max", strconv.Itoa(sc.round.Scale.Max))
			}
		}
		sh.Scores = append(sh.Scores, score)
	}
	status := http.StatusUnprocessableEntity
	var conflict *Sheet
	if !form.HasErrors() {
		_, err := h.svc.SaveSheet(r.Context(), sh)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "priority.rating.sheet.saved", "candidate", sc.candidate.SupportTitle, "group", sc.group.Name)
			if form.Get("next") != "" && sc.next != 0 {
				return web.Redirect(w, r, sheetPath(sc.round.ID, sc.group.GroupID, sc.next))
			}
			return web.Redirect(w, r, roundURL(sc.round.ID)+"/bedomning")
		case errors.Is(err, errs.ErrConflict):
			other, err := h.svc.Sheet(r.Context(), sc.round.ID, sc.candidate.ID, sc.group.GroupID)
			if err != nil {
				return err
			}
			form.Conflict(other.Version, "priority.rating.sheet.conflict")
			status, conflict = http.StatusConflict, &other
		case !form.Fail(err):
			return err
		}
	}
	order := []string{"conflict", "round", "group_id", "candidate_id", "scores"}
	for i := range sc.round.Criteria {
		order = append(order, scoreName(i, "value"), scoreName(i, "comment"))
	}
	form.SortErrors(order...)
	stored, err := h.svc.Sheet(r.Context(), sc.round.ID, sc.candidate.ID, sc.group.GroupID)
	if err != nil {
		return err
	}
	data := h.sheetPage(sc, stored, form)
	if !data.Editable {
		for i, c := range sc.round.Criteria {
			data.Unsaved = append(data.Unsaved, ConflictScore{Criterion: c, Score: sh.Scores[i]})
		}
	}
	if conflict != nil {
		data.Conflict = conflict
		for _, c := range sc.round.Criteria {
			data.ConflictScores = append(data.ConflictScores, ConflictScore{Criterion: c, Score: conflict.Score(c.ID)})
		}
	}
	return h.render(w, r, status, "sheet", "priority.rating.sheet.title", data, "candidate", sc.candidate.SupportTitle, "group", sc.group.Name)
}
