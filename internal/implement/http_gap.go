package implement

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// gapRoutes registers the gap list and the gap form of one recommendation.
// The service decides who reads (the working group and Oversee) and who
// edits (the working group and the coordinator).
func (h *handler) gapRoutes() {
	h.web.Handle("GET /inforande/{id}/gap", Read, h.gapList)
	h.web.Handle("GET /inforande/{id}/gap/{rec}", Read, h.gapForm)
	h.web.Handle("POST /inforande/{id}/gap/{rec}", Read, h.saveGap)
}

func gapListURL(id int64) string { return "/inforande/" + web.IDText(id) + "/gap" }

func gapURL(id, rec int64) string { return gapListURL(id) + "/" + web.IDText(rec) }

// The gap list.

// The values of the gap list's size filter besides the sizes themselves.
const filterNotJudged = "not_judged"

// Deeper-analysis states of a row of the gap list.
const (
	deeperNotNeeded  = "not_needed"
	deeperComplete   = "complete"
	deeperIncomplete = "incomplete"
)

// GapRow is one recommendation in the gap list.
type GapRow struct {
	Recommendation catalog.Recommendation
	Short          string // the recommendation's text, shortened
	Gap            Gap    // the zero Gap when none is saved
	Saved          bool
	// Deeper is whether the deeper analysis is complete: "" (not judged),
	// not_needed, complete or incomplete.
	Deeper   string
	Template Template // the version the analysis is made with
	// Survey is how the units answered the questionnaires about the
	// recommendation; nil when none asked about it.
	Survey *Compilation
}

// GapListPage is the data of the gap list.
type GapListPage struct {
	Workspace Workspace
	Rows      []GapRow
	Size      web.FieldView // the size filter
	Filtered  bool
	Total     int
	Regions   map[string]string
}

func (h *handler) gapList(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	ws, err := h.svc.Workspace(ctx, id)
	if err != nil {
		return err
	}
	regions, err := h.svc.HealthcareRegionNames(ctx)
	if err != nil {
		return err
	}
	surveys, err := h.svc.SurveyCompilation(ctx, id)
	if err != nil {
		return err
	}
	query := web.QueryForm(r)
	filter := query.Get("storlek")
	if filter != "" && filter != filterNotJudged && !slices.Contains(GapSizes, GapSize(filter)) {
		filter = ""
	}
	query.Set("storlek", filter)
	options := append([]web.Option{{Value: "", LabelKey: "implement.gap.filter_all"}}, web.EnumOptions(GapSizes, "implement.gap.size.")...)
	options = append(options, web.Option{Value: filterNotJudged, LabelKey: "implement.gap.size.not_judged"})
	data := GapListPage{Workspace: ws, Size: query.Select("storlek", "implement.gap.filter_size", options), Filtered: filter != "",
		Total: len(ws.Recommendations), Regions: regions}
	for _, rec := range ws.Recommendations {
		row := gapRow(ws, rec)
		row.Survey = surveyOf(surveys, rec.ID)
		if gapMatches(row.Gap, filter) {
			data.Rows = append(data.Rows, row)
		}
	}
	return h.render(w, r, http.StatusOK, "gap_list", "implement.gap.list_title", data, "title", ws.Support.Title)
}

// surveyOf is the compilation of a recommendation's answers, nil when no
// unit was asked about it.
func surveyOf(cs map[int64]Compilation, rec int64) *Compilation {
	c, ok := cs[rec]
	if !ok || c.Total() == 0 {
		return nil
	}
	return &c
}

func gapMatches(g Gap, filter string) bool {
	switch filter {
	case "":
		return true
	case filterNotJudged:
		return !g.Judged()
	}
	return string(g.Size) == filter
}

func gapRow(ws Workspace, rec catalog.Recommendation) GapRow {
	g, saved := ws.Gaps[rec.ID]
	row := GapRow{Recommendation: rec, Short: gapShorten(rec.Text, 140), Gap: g, Saved: saved, Template: ws.Template()}
	if saved {
		row.Template = ws.Templates[g.TemplateID]
	}
	row.Deeper = deeperState(g, row.Template)
	return row
}

// deeperState says whether g needs the deeper analysis and, if so, whether
// every deeper question of its template is answered.
func deeperState(g Gap, t Template) string {
	switch {
	case !g.Judged():
		return ""
	case !NeedsDeeper(g.Size, g.CrowdingOut):
		return deeperNotNeeded
	}
	for _, q := range t.Questions {
		if q.Level == Deeper && g.Answers[q.Key] == "" {
			return deeperIncomplete
		}
	}
	return deeperComplete
}

// gapShorten cuts s after at most n characters, at a space when there is one.
func gapShorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)[:n]
	cut := string(rs)
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}

// The gap form.

// GapSizeChoice is one radio button of the gap size.
type GapSizeChoice struct {
	Value    string
	LabelKey string
	Checked  bool
}

// GapUnitChoice is one affected-unit checkbox.
type GapUnitChoice struct {
	ID      int64
	Name    string
	Checked bool
}

// GapQuestionField is one template question in the gap form.
type GapQuestionField struct {
	Question Question
	Name     string // answers.<key>
	Value    string
	Error    *errs.Field
}

// GapSection is the questions of one level, with whether they are asked at
// the size the form shows.
type GapSection struct {
	Level     Level
	Applies   bool
	Open      bool // applies, or holds an answer or a problem
	Questions []GapQuestionField
}

// GapAnswer is one answered question, for the read-only and conflict views.
type GapAnswer struct {
	Label  string
	Answer string
}

// SavedGap is the version someone else saved, shown beside the user's input.
type SavedGap struct {
	Gap     Gap
	Units   []string
	Answers []GapAnswer
}

// GapFormPage is the data of the gap form (and its read-only view).
type GapFormPage struct {
	Workspace Workspace
	View      GapView
	Form      *web.Form
	Editable  bool // the user edits and the implementation is not introduced
	Locked    bool // introduced: nothing changes any more
	Sizes     []GapSizeChoice
	Units     []GapUnitChoice
	Sections  []GapSection
	// Labels name the fields in the error summary (the question's label for
	// an answer).
	Labels     map[string]string
	Conflict   *SavedGap
	Prev, Next *catalog.Recommendation
	Regions    map[string]string
	// Moved is set when the implementation now uses another template version
	// than the one this analysis was made with.
	Moved bool
	// Saved is the analysis as stored, for the read-only view.
	Saved SavedGap
	// Survey is how the units answered about the recommendation.
	Survey *Compilation
}

func (h *handler) gapForm(w http.ResponseWriter, r *http.Request) error {
	id, rec, err := pathIDs(r, "rec")
	if err != nil {
		return err
	}
	v, err := h.svc.GapOf(r.Context(), id, rec)
	if err != nil {
		return err
	}
	return h.renderGap(w, r, http.StatusOK, v, gapFormOf(v.Gap), nil)
}

// gapFormOf fills the form with a saved (or new) analysis.
func gapFormOf(g Gap) *web.Form {
	form := web.NewForm()
	form.Set("gap", string(g.Size))
	if g.CrowdingOut {
		form.Set("crowding_out", "1")
	}
	for _, u := range g.UnitIDs {
		form.Values.Add("unit_ids", web.IDText(u))
	}
	for k, a := range g.Answers {
		form.Set("answers."+k, a)
	}
	form.Set("version", strconv.FormatInt(g.Version, 10))
	return form
}

// gapFromForm reads the posted analysis; every posted answer is kept, so
// an answer to a question the template does not ask is refused by the
// service rather than dropped unseen.
func gapFromForm(form *web.Form, v GapView) (Gap, error) {
	version, err := strconv.ParseInt(form.Get("version"), 10, 64)
	if err != nil || version < 0 {
		return Gap{}, errs.Invalidf("version", "validation.form")
	}
	g := Gap{ImplementationID: v.Gap.ImplementationID, RecommendationID: v.Recommendation.ID, Size: GapSize(form.Get("gap")),
		CrowdingOut: form.Get("crowding_out") != "", Answers: map[string]string{}, UnitIDs: form.IDs("unit_ids"), Version: version}
	for name := range form.Values {
		if key, ok := strings.CutPrefix(name, "answers."); ok {
			g.Answers[key] = form.Get(name)
		}
	}
	return g, nil
}

func (h *handler) saveGap(w http.ResponseWriter, r *http.Request) error {
	id, rec, err := pathIDs(r, "rec")
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	v, err := h.svc.GapOf(ctx, id, rec)
	if err != nil {
		return err
	}
	g, err := gapFromForm(form, v)
	if err != nil {
		return err
	}
	g.ImplementationID = id
	status := http.StatusUnprocessableEntity
	var conflict *Gap
	if !form.HasErrors() {
		_, err := h.svc.SaveGap(ctx, g)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "implement.gap.saved", "code", gapRecName(v.Recommendation))
			next := gapURL(id, rec)
			if form.Get("then") == "next" {
				if ws, err := h.svc.Workspace(ctx, id); err == nil {
					if _, n := gapNeighbours(ws.Recommendations, rec); n != nil {
						next = gapURL(id, n.ID)
					} else {
						next = gapListURL(id)
					}
				}
			}
			return web.Redirect(w, r, next)
		case errors.Is(err, errs.ErrConflict):
			if v, err = h.svc.GapOf(ctx, id, rec); err != nil {
				return err
			}
			form.Conflict(v.Gap.Version, "implement.gap.conflict")
			status, conflict = http.StatusConflict, &v.Gap
		case !form.Fail(err):
			return err
		}
	}
	return h.renderGap(w, r, status, v, form, conflict)
}

// gapRecName names a recommendation by its code, or its shortened text.
func gapRecName(r catalog.Recommendation) string {
	if r.Code != "" {
		return r.Code
	}
	return gapShorten(r.Text, 40)
}

// gapNeighbours returns the recommendations before and after rec.
func gapNeighbours(recs []catalog.Recommendation, rec int64) (prev, next *catalog.Recommendation) {
	i := slices.IndexFunc(recs, func(r catalog.Recommendation) bool { return r.ID == rec })
	if i < 0 {
		return nil, nil
	}
	if i > 0 {
		prev = &recs[i-1]
	}
	if i+1 < len(recs) {
		next = &recs[i+1]
	}
	return prev, next
}

func (h *handler) renderGap(w http.ResponseWriter, r *http.Request, status int, v GapView, form *web.Form, conflict *Gap) error {
	ctx := r.Context()
	ws, err := h.svc.Workspace(ctx, v.Gap.ImplementationID)
	if err != nil {
		return err
	}
	regions, err := h.svc.HealthcareRegionNames(ctx)
	if err != nil {
		return err
	}
	surveys, err := h.svc.SurveyCompilation(ctx, v.Gap.ImplementationID)
	if err != nil {
		return err
	}
	t := v.Template
	data := GapFormPage{Survey: surveyOf(surveys, v.Recommendation.ID), Workspace: ws, View: v, Form: form, Locked: !ws.Implementation.IntroducedOn.IsZero(), Regions: regions,
		Labels: map[string]string{}, Moved: v.Gap.TemplateID != ws.Implementation.TemplateID}
	data.Editable = v.Rights.Edit && !data.Locked
	data.Prev, data.Next = gapNeighbours(ws.Recommendations, v.Recommendation.ID)
	data.Saved = savedGap(v.Gap, t, ws.Units)
	if conflict != nil {
		s := savedGap(*conflict, t, ws.Units)
		data.Conflict = &s
	}
	size := form.Get("gap")
	for _, s := range append([]GapSize{""}, GapSizes...) {
		key := "implement.gap.size." + string(s)
		if s == "" {
			key = "implement.gap.size.not_judged"
		}
		data.Sizes = append(data.Sizes, GapSizeChoice{Value: string(s), LabelKey: key, Checked: string(s) == size})
	}
	data.Units = unitChoices(ws, v.Gap, form)
	crowding := form.Get("crowding_out") != ""
	order := []string{"conflict", "version", "recommendation_id", "gap", "crowding_out", "unit_ids", "answers"}
	for _, l := range Levels {
		sec := GapSection{Level: l, Applies: Asks(l, GapSize(size), crowding)}
		for _, q := range t.Questions {
			if q.Level != l {
				continue
			}
			name := "answers." + q.Key
			f := GapQuestionField{Question: q, Name: name, Value: form.Get(name), Error: form.ErrorFor(name)}
			sec.Open = sec.Open || f.Value != "" || f.Error != nil
			sec.Questions = append(sec.Questions, f)
			data.Labels[name] = q.Label
			order = append(order, name)
		}
		sec.Open = sec.Open || sec.Applies
		if len(sec.Questions) > 0 {
			data.Sections = append(data.Sections, sec)
		}
	}
	form.SortErrors(order...)
	title := gapRecName(v.Recommendation)
	return h.render(w, r, status, "gap_form", "implement.gap.form_title", data, "code", title)
}

// unitChoices are the support's units and any other unit already chosen.
func unitChoices(ws Workspace, saved Gap, form *web.Form) []GapUnitChoice {
	chosen := form.Values["unit_ids"]
	ids := slices.Clone(ws.Support.UnitIDs)
	ids = append(ids, saved.UnitIDs...)
	for _, s := range chosen {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
			ids = append(ids, n)
		}
	}
	var out []GapUnitChoice
	for _, id := range distinct(ids) {
		name, ok := ws.Units[id]
		if !ok {
			name = "#" + web.IDText(id)
		}
		out = append(out, GapUnitChoice{ID: id, Name: name, Checked: slices.Contains(chosen, web.IDText(id))})
	}
	slices.SortStableFunc(out, func(a, b GapUnitChoice) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// savedGap words a stored analysis for reading.
func savedGap(g Gap, t Template, units map[int64]string) SavedGap {
	s := SavedGap{Gap: g}
	for _, u := range g.UnitIDs {
		name, ok := units[u]
		if !ok {
			name = "#" + web.IDText(u)
		}
		s.Units = append(s.Units, name)
	}
	slices.Sort(s.Units)
	for _, q := range t.Questions {
		if a := g.Answers[q.Key]; a != "" {
			s.Answers = append(s.Answers, GapAnswer{Label: q.Label, Answer: a})
		}
	}
	return s
}
