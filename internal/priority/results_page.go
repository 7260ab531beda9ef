package priority

import (
	"cmp"
	"html"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/chart"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// words looks up messages of the catalogue in one language: what the pages
// and the exports of results and the time plan are worded with.
type words struct {
	cat *i18n.Catalog
	loc i18n.Locale
}

func (w words) t(key string, args ...any) string { return w.cat.T(w.loc, key, args...) }

func (w words) dec(f float64) string { return i18n.FormatDecimal(w.loc, f, 2) }

// quadrantName is the catalogue's name of quadrant q.
func (w words) quadrantName(q Quadrant) string {
	if q == Unrated {
		return w.t("priority.quadrant.unrated")
	}
	return w.t("priority.quadrant." + string(q))
}

// ResultsPage is the data of a round's results page.
type ResultsPage struct {
	Round       Round
	Results     Results
	Matrix      template.HTML // the importance × feasibility scatter chart
	MatrixTable template.HTML // the same points as a table
	Mid         string        // the middle of the scale, where the quadrants divide
	Ranking     []RankRow
	Criteria    []CriterionHead
	Comments    []CandidateComments
	Rated       int
	Answered    int
	CanPropose  bool // the coordinator may make the proposal now
	CSV, XLSX   string
}

// CriterionHead is a column of the per-criterion means.
type CriterionHead struct {
	Label string
	Axis  string
}

// RankRow is one candidate in the ranking, with its numbers formatted in the
// page's language.
type RankRow struct {
	Place        string // the rank, or "" when not rated
	Tied         bool
	Number       string // the candidate's marker in the matrix; "" when not in it
	Title        string
	SupportID    int64
	Quadrant     Quadrant
	QuadrantName string
	Rated        bool
	Importance   AxisCells
	Feasibility  AxisCells
	Total        string
	CriteriaMean []string
}

// AxisCells are an axis's aggregate as text.
type AxisCells struct {
	Mean, SD, Range, N string
}

// CandidateComments are the comments on one candidate, by group.
type CandidateComments struct {
	Number   string
	Title    string
	Comments []Comment
}

// Comment is one group's comment on one criterion of a candidate.
type Comment struct {
	Group     string
	Criterion string
	Axis      string
	Score     string
	Text      string
}

// markers numbers the rated candidates in the order of the round, as the
// matrix shows them: a candidate's marker is its place among them from 1.
func markers(res Results) ([]CandidateResult, map[int64]int) {
	var rated []CandidateResult
	nums := map[int64]int{}
	for _, c := range res.ByNumber() {
		if c.Rated() {
			rated = append(rated, c)
			nums[c.Candidate.ID] = len(rated)
		}
	}
	return rated, nums
}

// matrixChart is the importance × feasibility chart of res: feasibility
// across, importance up, both fixed to the round's scale and divided at its
// middle into the four named quadrants.
func matrixChart(res Results, w words) chart.Scatter {
	rated, _ := markers(res)
	sc := res.Round.Scale
	s := chart.Scatter{
		ID:         "matris",
		Title:      w.t("priority.results.matrix_title", "title", res.Round.Title),
		X:          chart.Axis{Title: w.t("priority.results.feasibility"), Min: float64(sc.Min), Max: float64(sc.Max), Step: 1},
		Y:          chart.Axis{Title: w.t("priority.results.importance"), Min: float64(sc.Min), Max: float64(sc.Max), Step: 1},
		Locale:     w.loc,
		Quadrants:  &chart.Quadrants{X: sc.Mid(), Y: sc.Mid(), TopRight: w.quadrantName(Introduce), TopLeft: w.quadrantName(Prepare), BottomRight: w.quadrantName(Consider), BottomLeft: w.quadrantName(Wait)},
		Format:     w.dec,
		EmptyText:  w.t("priority.results.matrix_none"),
		CountTitle: w.t("priority.results.groups_count"),
	}
	for _, c := range rated {
		s.Points = append(s.Points, chart.Point{Label: c.Candidate.SupportTitle, X: c.Feasibility.Mean, Y: c.Importance.Mean,
			Count: min(c.Importance.N, c.Feasibility.N)})
	}
	return s
}

func axisCells(a AxisResult, w words) AxisCells {
	if a.N == 0 {
		return AxisCells{Mean: "–", SD: "–", Range: "–", N: "0"}
	}
	return AxisCells{Mean: w.dec(a.Mean), SD: w.dec(a.SD), Range: w.dec(a.Min) + "–" + w.dec(a.Max), N: strconv.Itoa(a.N)}
}

// rankRows lays out the ranking of res for the page.
func rankRows(res Results, w words) []RankRow {
	_, nums := markers(res)
	rows := make([]RankRow, 0, len(res.Ranked))
	for _, c := range res.Ranked {
		row := RankRow{Title: c.Candidate.SupportTitle, SupportID: c.Candidate.SupportID, Tied: c.Tied, Rated: c.Rated(),
			Quadrant: c.Quadrant, QuadrantName: w.quadrantName(c.Quadrant),
			Importance: axisCells(c.Importance, w), Feasibility: axisCells(c.Feasibility, w), Total: "–"}
		if c.Rank > 0 {
			row.Place = strconv.Itoa(c.Rank)
			row.Total = w.dec(c.Total)
		}
		if n, ok := nums[c.Candidate.ID]; ok {
			row.Number = strconv.Itoa(n)
		}
		for _, cr := range c.Criteria {
			cell := "–"
			if cr.N > 0 {
				cell = w.dec(cr.Mean) + " (" + strconv.Itoa(cr.N) + ")"
			}
			row.CriteriaMean = append(row.CriteriaMean, cell)
		}
		rows = append(rows, row)
	}
	return rows
}

// commentsOf gathers the comments of sheets per candidate in the order of the
// ranking, each candidate's by group name and then criterion.
func commentsOf(res Results, sheets []Sheet, w words) []CandidateComments {
	_, nums := markers(res)
	byName := slices.Clone(res.Groups)
	slices.SortStableFunc(byName, func(a, b GroupProgress) int { return cmp.Compare(a.Group.Name, b.Group.Name) })
	groupRank := make(map[int64]int, len(byName))
	for i, g := range byName {
		groupRank[g.Group.GroupID] = i
	}
	crit := make(map[int64]int, len(res.Round.Criteria))
	axis := make([]string, len(res.Round.Criteria))
	for i, c := range res.Round.Criteria {
		crit[c.ID] = i
		axis[i] = w.t("priority.results." + string(c.Axis))
	}
	type keyed struct {
		group, pos int
		score      *int
		text       string
	}
	byCandidate := map[int64][]keyed{}
	for _, sh := range sheets {
		g, ok := groupRank[sh.GroupID]
		if !ok {
			continue
		}
		for _, sc := range sh.Scores {
			if i, ok := crit[sc.CriterionID]; ok && sc.Comment != "" {
				byCandidate[sh.CandidateID] = append(byCandidate[sh.CandidateID], keyed{g, i, sc.Value, sc.Comment})
			}
		}
	}
	var out []CandidateComments
	for _, c := range res.Ranked {
		ks := byCandidate[c.Candidate.ID]
		if len(ks) == 0 {
			continue
		}
		slices.SortStableFunc(ks, func(a, b keyed) int { return cmp.Or(cmp.Compare(a.group, b.group), cmp.Compare(a.pos, b.pos)) })
		cc := CandidateComments{Title: c.Candidate.SupportTitle, Comments: make([]Comment, len(ks))}
		if n, ok := nums[c.Candidate.ID]; ok {
			cc.Number = strconv.Itoa(n)
		}
		for i, k := range ks {
			cm := Comment{Group: byName[k.group].Group.Name, Criterion: res.Round.Criteria[k.pos].Label, Axis: axis[k.pos], Score: "–", Text: k.text}
			if k.score != nil {
				cm.Score = strconv.Itoa(*k.score)
			}
			cc.Comments[i] = cm
		}
		out = append(out, cc)
	}
	return out
}

// Rows renders the comments as the rows of a table: the group as the row's
// header, the criterion with its axis, the score and the comment. A round's
// comments run into thousands, which the page's template would render ten
// times slower.
func (cc CandidateComments) Rows() template.HTML {
	var b strings.Builder
	for _, c := range cc.Comments {
		b.WriteString(`<tr><th scope="row">`)
		b.WriteString(html.EscapeString(c.Group))
		b.WriteString(`</th><td>`)
		b.WriteString(html.EscapeString(c.Criterion))
		b.WriteString(` <span class="meta">(`)
		b.WriteString(html.EscapeString(c.Axis))
		b.WriteString(`)</span></td><td>`)
		b.WriteString(html.EscapeString(c.Score))
		b.WriteString(`</td><td>`)
		b.WriteString(html.EscapeString(c.Text))
		b.WriteString("</td></tr>\n")
	}
	return template.HTML(b.String()) // safe: every text in it is escaped
}

// buildResultsPage computes everything the results page shows from the
// results and the sheets of a round.
func buildResultsPage(res Results, sheets []Sheet, w words) (ResultsPage, error) {
	p := ResultsPage{Round: res.Round, Results: res, Mid: i18n.FormatDecimal(w.loc, res.Round.Scale.Mid(), -1)}
	m := matrixChart(res, w)
	svg, err := m.SVG()
	if err != nil {
		return ResultsPage{}, err
	}
	p.Matrix, p.MatrixTable = svg, m.Table().HTML()
	p.Rated = len(m.Points)
	for _, g := range res.Groups {
		if g.Answered() {
			p.Answered++
		}
	}
	for _, c := range res.Round.Criteria {
		p.Criteria = append(p.Criteria, CriterionHead{Label: c.Label, Axis: w.t("priority.results." + string(c.Axis))})
	}
	p.Ranking = rankRows(res, w)
	p.Comments = commentsOf(res, sheets, w)
	id := itoa64(res.Round.ID)
	p.CSV, p.XLSX = "/prioritering/"+id+"/resultat.csv", "/prioritering/"+id+"/resultat.xlsx"
	return p, nil
}

// ResultsTable lays out the ranking of res as a table for CSV and XLSX in
// the language of w: place, shared place, marker, support, quadrant, each
// axis's mean, spread, min, max and N, the total and the mean per criterion.
func ResultsTable(res Results, cat *i18n.Catalog, loc i18n.Locale) doc.Table {
	w := words{cat, loc}
	_, nums := markers(res)
	axisCol := func(axis, what string) doc.Column {
		return doc.Column{Header: w.t("priority.results.axis_col", "axis", w.t("priority.results."+axis), "what", w.t("priority.results."+what))}
	}
	t := doc.Table{Title: w.t("priority.results.ranking"), Columns: []doc.Column{
		{Header: w.t("priority.results.place")}, {Header: w.t("priority.results.tied_col")}, {Header: w.t("priority.results.number")},
		{Header: w.t("priority.results.candidate"), Width: 40}, {Header: w.t("priority.results.quadrant")},
	}}
	for _, axis := range []string{"importance", "feasibility"} {
		for _, what := range []string{"mean", "sd", "min", "max", "n"} {
			t.Columns = append(t.Columns, axisCol(axis, what))
		}
	}
	t.Columns = append(t.Columns, doc.Column{Header: w.t("priority.results.total")})
	for _, c := range res.Round.Criteria {
		t.Columns = append(t.Columns, doc.Column{Header: w.t("priority.results.criterion_col", "label", c.Label, "axis", w.t("priority.results."+string(c.Axis)))})
	}
	axis := func(a AxisResult) []doc.Cell {
		if a.N == 0 {
			return []doc.Cell{doc.Text(""), doc.Text(""), doc.Text(""), doc.Text(""), doc.Int(0)}
		}
		return []doc.Cell{doc.Decimal(a.Mean, 2), doc.Decimal(a.SD, 2), doc.Decimal(a.Min, 2), doc.Decimal(a.Max, 2), doc.Int(int64(a.N))}
	}
	for _, c := range res.Ranked {
		row := []doc.Cell{doc.Text(""), doc.Text(""), doc.Text(""), doc.Text(c.Candidate.SupportTitle), doc.Text(w.quadrantName(c.Quadrant))}
		if c.Rank > 0 {
			row[0] = doc.Int(int64(c.Rank))
		}
		if c.Tied {
			row[1] = doc.Text(w.t("common.yes"))
		}
		if n, ok := nums[c.Candidate.ID]; ok {
			row[2] = doc.Int(int64(n))
		}
		row = append(row, axis(c.Importance)...)
		row = append(row, axis(c.Feasibility)...)
		if c.Rank > 0 {
			row = append(row, doc.Decimal(c.Total, 2))
		} else {
			row = append(row, doc.Text(""))
		}
		for _, cr := range c.Criteria {
			if cr.N > 0 {
				row = append(row, doc.Decimal(cr.Mean, 2))
			} else {
				row = append(row, doc.Text(""))
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// CommentsTable lists the comments of sheets as a table: support, group,
// criterion, score and comment, in the order of the ranking.
func CommentsTable(res Results, sheets []Sheet, cat *i18n.Catalog, loc i18n.Locale) doc.Table {
	w := words{cat, loc}
	t := doc.Table{Title: w.t("priority.results.comments"), Columns: []doc.Column{
		{Header: w.t("priority.results.candidate"), Width: 40}, {Header: w.t("priority.results.group"), Width: 30},
		{Header: w.t("priority.results.criterion"), Width: 30}, {Header: w.t("priority.results.score")}, {Header: w.t("priority.results.comment"), Width: 80},
	}}
	for _, cc := range commentsOf(res, sheets, w) {
		for _, c := range cc.Comments {
			t.Rows = append(t.Rows, []doc.Cell{doc.Text(cc.Title), doc.Text(c.Group), doc.Text(c.Criterion + " (" + c.Axis + ")"), doc.Text(c.Score), doc.Text(c.Text)})
		}
	}
	return t
}

// PlanPage is the data of the time plan of a year.
type PlanPage struct {
	Year       int
	Prev, Next int
	LateOnly   bool
	Entries    []PlanRow
	Timeline   template.HTML
	Table      template.HTML
	CSV, XLSX  string
	Today      date.Date
	LateCount  int
	Form       *web.Form // the filter, with a problem in the year
}

// PlanRow is one entry of the time plan with its status in words.
type PlanRow struct {
	PlanEntry
	StatusName string
	IsLate     bool
}

// planRows words the entries' statuses and marks the late ones on today.
func planRows(entries []PlanEntry, today date.Date, lateOnly bool, w words) []PlanRow {
	rows := make([]PlanRow, 0, len(entries))
	for _, e := range entries {
		late := e.Late(today)
		if lateOnly && !late {
			continue
		}
		rows = append(rows, PlanRow{PlanEntry: e, StatusName: w.t("catalog.status." + string(e.Status)), IsLate: late})
	}
	return rows
}

// planTimeline is the timeline of the rows over year, with today's line.
func planTimeline(rows []PlanRow, year int, today date.Date, w words) chart.Timeline {
	tl := chart.Timeline{ID: "tidslinje", Title: w.t("priority.plan.chart_title", "year", strconv.Itoa(year)), Year: year, Today: today, Locale: w.loc,
		LabelTitle: w.t("priority.plan.support"), StartTitle: w.t("priority.plan.start"), EndTitle: w.t("priority.plan.end"),
		StatusTitle: w.t("priority.plan.status"), LateText: w.t("chart.timeline.late"), TodayText: w.t("chart.timeline.today"),
		EmptyText: w.t("chart.timeline.no_data")}
	for _, r := range rows {
		tl.Bars = append(tl.Bars, chart.Bar{Label: r.SupportTitle, Start: r.PlannedStart, End: r.PlannedEnd, Status: r.StatusName, Late: r.IsLate})
	}
	return tl
}

// PlanTable lays out the time plan as a table for CSV and XLSX.
func PlanTable(rows []PlanRow, year int, cat *i18n.Catalog, loc i18n.Locale) doc.Table {
	w := words{cat, loc}
	t := doc.Table{Title: w.t("priority.plan.title", "year", strconv.Itoa(year)), Columns: []doc.Column{
		{Header: w.t("priority.plan.support"), Width: 40}, {Header: w.t("catalog.support.kind")}, {Header: w.t("priority.plan.round"), Width: 30},
		{Header: w.t("priority.plan.order")}, {Header: w.t("priority.plan.start")}, {Header: w.t("priority.plan.end")},
		{Header: w.t("priority.plan.status")}, {Header: w.t("priority.plan.late")}, {Header: w.t("priority.plan.decided_on")},
	}}
	for _, r := range rows {
		late := ""
		if r.IsLate {
			late = w.t("common.yes")
		}
		t.Rows = append(t.Rows, []doc.Cell{doc.Text(r.SupportTitle), doc.Text(w.t("catalog.kind." + string(r.SupportKind))), doc.Text(r.RoundTitle),
			doc.Int(int64(r.Order)), doc.Date(r.PlannedStart), doc.Date(r.PlannedEnd), doc.Text(r.StatusName), doc.Text(late), doc.Date(r.DecidedOn)})
	}
	return t
}
