package priority

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// resultRoutes registers the results, proposal and time-plan pages.
func (h *handler) resultRoutes() {
	h.web.Handle("GET /prioritering/{id}/resultat", Read, h.results)
	h.web.Handle("GET /prioritering/{id}/resultat.csv", Read, func(w http.ResponseWriter, r *http.Request) error { return h.resultsFile(w, r, "csv") })
	h.web.Handle("GET /prioritering/{id}/resultat.xlsx", Read, func(w http.ResponseWriter, r *http.Request) error { return h.resultsFile(w, r, "xlsx") })
	h.web.Handle("GET /prioritering/{id}/forslag", Run, h.proposal)
	h.web.Handle("POST /prioritering/{id}/forslag", Run, h.saveProposal)
	h.web.Handle("GET /tidsplan", Read, h.timePlan)
	h.web.Handle("GET /tidsplan.csv", Read, func(w http.ResponseWriter, r *http.Request) error { return h.timePlanFile(w, r, "csv") })
	h.web.Handle("GET /tidsplan.xlsx", Read, func(w http.ResponseWriter, r *http.Request) error { return h.timePlanFile(w, r, "xlsx") })
}

// wordsFor is the catalogue in the request's language.
func (h *handler) wordsFor(r *http.Request) words {
	return words{h.web.Catalog(), web.LocaleFrom(r.Context())}
}

// resultsAndSheets reads the results of round {id} and its sheets with
// their comments.
func (h *handler) resultsAndSheets(r *http.Request) (Results, []Sheet, error) {
	id, err := web.PathID(r)
	if err != nil {
		return Results{}, nil, err
	}
	return h.svc.ResultsAndSheets(r.Context(), id)
}

func (h *handler) results(w http.ResponseWriter, r *http.Request) error {
	res, sheets, err := h.resultsAndSheets(r)
	if err != nil {
		return err
	}
	page, err := buildResultsPage(res, sheets, h.wordsFor(r))
	if err != nil {
		return err
	}
	page.CanPropose = CanRun(r.Context()) && res.Round.Status == Closed
	return h.render(w, r, http.StatusOK, "results", "priority.results.title", page, "title", res.Round.Title)
}

func (h *handler) resultsFile(w http.ResponseWriter, r *http.Request, format string) error {
	res, sheets, err := h.resultsAndSheets(r)
	if err != nil {
		return err
	}
	loc := web.LocaleFrom(r.Context())
	name := h.wordsFor(r).t("priority.results.file", "year", strconv.Itoa(res.Round.Year))
	t := ResultsTable(res, h.web.Catalog(), loc)
	if format == "csv" {
		return doc.ServeCSV(w, name+".csv", t)
	}
	return doc.ServeXLSX(w, name+".xlsx", t, CommentsTable(res, sheets, h.web.Catalog(), loc))
}

// Proposal.

// ProposalPage is the data of the proposal form.
type ProposalPage struct {
	Round     Round
	Rows      []ProposalRow
	Form      *web.Form
	Errors    []ErrorItem
	Prefilled bool        // the order was filled in from the ranking
	Conflict  []Candidate // the proposal someone else saved, when saving met theirs
}

// ErrorItem is a problem in the proposal's error summary, naming its row.
type ErrorItem struct {
	Href, Text string
}

// ProposalRow is one candidate of the proposal form: its place in the
// ranking and the form's values, fields named candidates.N.field.
type ProposalRow struct {
	Name         string // candidates.N
	CandidateID  int64
	Version      int64
	Title        string
	Place        string
	Tied         bool
	QuadrantName string
	Total        string
	Proposed     bool
	Order        string
	Start, End   string
	Note         string
	Errors       map[string]string // field → message
	Cells        []ProposalCell    // the inputs, from proposed to note
}

// ProposalCell is one input of a proposal row, labelled by its candidate.
type ProposalCell struct {
	ID, Name, Label, Value, Kind, Error string
	Checked                             bool
}

// withCells lays out the inputs of each row, with the row's problems.
func withCells(rows []ProposalRow, wd words) {
	labels := map[string]string{"proposed": "proposed_for", "proposed_order": "order_for", "planned_start": "start_for",
		"planned_end": "end_for", "proposal_note": "note_for"}
	for i, r := range rows {
		values := map[string]string{"proposed_order": r.Order, "planned_start": r.Start, "planned_end": r.End, "proposal_note": r.Note}
		rows[i].Cells = nil
		for _, f := range proposalFields {
			c := ProposalCell{ID: "f-" + r.Field(f), Name: r.Field(f), Label: wd.t("priority.proposal.page."+labels[f], "title", r.Title),
				Value: values[f], Error: r.Errors[f], Kind: "text", Checked: f == "proposed" && r.Proposed}
			switch f {
			case "proposed":
				c.Kind = "checkbox"
			case "proposed_order":
				c.Kind = "order"
			case "planned_start", "planned_end":
				c.Kind = "date"
			}
			rows[i].Cells = append(rows[i].Cells, c)
		}
	}
}

// Field returns the name of the row's field f.
func (p ProposalRow) Field(f string) string { return p.Name + "." + f }

// rankInfo is a candidate's place in the ranking, as the proposal shows it.
func rankInfo(res Results, w words) map[int64]ProposalRow {
	out := make(map[int64]ProposalRow, len(res.Ranked))
	for _, c := range res.Ranked {
		row := ProposalRow{CandidateID: c.Candidate.ID, Version: c.Candidate.Version, Title: c.Candidate.SupportTitle,
			Tied: c.Tied, QuadrantName: w.quadrantName(c.Quadrant), Total: "–"}
		if c.Rank > 0 {
			row.Place, row.Total = strconv.Itoa(c.Rank), w.dec(c.Total)
		}
		out[c.Candidate.ID] = row
	}
	return out
}

func (h *handler) proposal(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	res, err := h.svc.Results(r.Context(), id)
	if err != nil {
		return err
	}
	wd := h.wordsFor(r)
	info := rankInfo(res, wd)
	page := ProposalPage{Round: res.Round, Form: web.NewForm()}
	proposed := slices.ContainsFunc(res.Ranked, func(c CandidateResult) bool { return c.Candidate.Proposed })
	next := 1
	for i, c := range res.Ranked {
		row := info[c.Candidate.ID]
		row.Name = "candidates." + strconv.Itoa(i)
		p := c.Candidate.Proposal
		if !proposed && c.Quadrant == Introduce {
			p.Proposed, p.ProposedOrder = true, next
			next++
			page.Prefilled = true
		}
		row.Proposed, row.Note = p.Proposed, p.Note
		if p.ProposedOrder > 0 {
			row.Order = strconv.Itoa(p.ProposedOrder)
		}
		row.Start, row.End = dateText(p.PlannedStart), dateText(p.PlannedEnd)
		page.Rows = append(page.Rows, row)
	}
	withCells(page.Rows, wd)
	return h.render(w, r, http.StatusOK, "proposal", "priority.proposal.page.title", page, "title", res.Round.Title)
}

func dateText(d date.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// proposalFields are the fields of a row in the order of the form.
var proposalFields = []string{"proposed", "proposed_order", "planned_start", "planned_end", "proposal_note"}

func (h *handler) saveProposal(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	res, err := h.svc.Results(r.Context(), id)
	if err != nil {
		return err
	}
	wd := h.wordsFor(r)
	info := rankInfo(res, wd)
	page := ProposalPage{Round: res.Round, Form: form}
	var changes []ProposalChange
	for i := 0; i <= len(res.Ranked); i++ {
		name := "candidates." + strconv.Itoa(i)
		if form.Get(name+".id") == "" {
			break
		}
		cid := form.ID(name + ".id")
		row, ok := info[cid]
		if !ok {
			return errs.Invalidf("candidates", "priority.sheet.unknown_candidate")
		}
		row.Name = name
		row.Version, _ = strconv.ParseInt(form.Get(name+".version"), 10, 64)
		row.Proposed = form.Get(name+".proposed") != ""
		row.Order, row.Start, row.End, row.Note = form.Get(name+".proposed_order"), form.Get(name+".planned_start"), form.Get(name+".planned_end"), form.Get(name+".proposal_note")
		ch := ProposalChange{CandidateID: cid, Version: row.Version, Proposal: Proposal{Proposed: row.Proposed, Note: row.Note,
			PlannedStart: form.Date(name + ".planned_start"), PlannedEnd: form.Date(name + ".planned_end")}}
		if row.Order != "" {
			ch.ProposedOrder = int(form.Int(name + ".proposed_order"))
		}
		changes = append(changes, ch)
		page.Rows = append(page.Rows, row)
	}
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		_, err := h.svc.SaveProposal(r.Context(), id, changes)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "priority.proposal.page.saved")
			return web.Redirect(w, r, "/prioritering/"+web.IDText(id)+"/forslag")
		case errors.Is(err, errs.ErrConflict):
			current, err := h.svc.Candidates(r.Context(), id)
			if err != nil {
				return err
			}
			for i := range page.Rows {
				if j := slices.IndexFunc(current, func(c Candidate) bool { return c.ID == page.Rows[i].CandidateID }); j >= 0 {
					page.Rows[i].Version = current[j].Version
				}
			}
			for _, c := range current {
				if c.Proposed {
					page.Conflict = append(page.Conflict, c)
				}
			}
			slices.SortFunc(page.Conflict, func(a, b Candidate) int { return a.ProposedOrder - b.ProposedOrder })
			form.AddError("conflict", "priority.proposal.page.conflict")
			status = http.StatusConflict
		case !form.Fail(err):
			return err
		}
	} else {
		// Show the rules' problems too, not only what could not be read.
		for i, ch := range changes {
			var v errs.ValidationError
			if err := ch.Proposal.Validate(); err != nil {
				fv, _ := errs.AsValidation(err)
				for _, f := range fv.Fields {
					v.Add("candidates."+strconv.Itoa(i)+"."+f.Name, f.Key, f.Args...)
				}
			}
			form.Merge(v.Err())
		}
	}
	page.Errors = proposalErrors(form, page.Rows, wd)
	withCells(page.Rows, wd)
	return h.render(w, r, status, "proposal", "priority.proposal.page.title", page, "title", res.Round.Title)
}

// proposalErrors puts each problem of form at its row, and lists them in the
// order of the form, each named by its candidate, for the error summary.
func proposalErrors(form *web.Form, rows []ProposalRow, wd words) []ErrorItem {
	var order []string
	for _, row := range rows {
		for _, f := range proposalFields {
			order = append(order, row.Field(f))
		}
	}
	form.SortErrors(append([]string{"conflict", "round"}, order...)...)
	var items []ErrorItem
	for _, e := range form.Errors {
		msg := wd.t(e.Key, e.Args...)
		rest, ok := strings.CutPrefix(e.Name, "candidates.")
		n, field, _ := strings.Cut(rest, ".")
		i, err := strconv.Atoi(n)
		if !ok || err != nil || i < 0 || i >= len(rows) || field == "" {
			href := "#proposal-table"
			if e.Name == "conflict" {
				href = "#f-conflict"
			}
			items = append(items, ErrorItem{Href: href, Text: msg})
			continue
		}
		if rows[i].Errors == nil {
			rows[i].Errors = map[string]string{}
		}
		if _, seen := rows[i].Errors[field]; !seen {
			rows[i].Errors[field] = msg
		}
		items = append(items, ErrorItem{Href: "#f-" + e.Name, Text: wd.t("priority.proposal.page.row_error", "title", rows[i].Title, "message", msg)})
	}
	return items
}

// Time plan.

// planQuery reads the year (ar, default this year) and the late-only filter
// (forsenade=1) of the time plan.
func (h *handler) planQuery(r *http.Request) (*web.Form, int, bool) {
	form := web.QueryForm(r)
	year := h.svc.Today().Year()
	if s := form.Get("ar"); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil:
			form.AddError("ar", "validation.integer")
		case n < 2000 || n > 2100:
			form.AddError("ar", "validation.range", "min", "2000", "max", "2100")
		default:
			year = n
		}
	} else {
		form.Set("ar", strconv.Itoa(year))
	}
	return form, year, form.Get("forsenade") == "1"
}

func (h *handler) timePlan(w http.ResponseWriter, r *http.Request) error {
	form, year, lateOnly := h.planQuery(r)
	wd := h.wordsFor(r)
	today := h.svc.Today()
	page := PlanPage{Year: year, Prev: year - 1, Next: year + 1, LateOnly: lateOnly, Today: today, Form: form}
	if form.HasErrors() {
		return h.render(w, r, http.StatusUnprocessableEntity, "timeplan", "priority.plan.title", page, "year", form.Get("ar"))
	}
	entries, err := h.svc.TimePlan(r.Context(), year)
	if err != nil {
		return err
	}
	page.Entries = planRows(entries, today, lateOnly, wd)
	for _, e := range page.Entries {
		if e.IsLate {
			page.LateCount++
		}
	}
	tl := planTimeline(page.Entries, year, today, wd)
	if page.Timeline, err = tl.SVG(); err != nil {
		return err
	}
	page.Table = tl.Table().HTML()
	q := url.Values{"ar": {strconv.Itoa(year)}}
	if lateOnly {
		q.Set("forsenade", "1")
	}
	page.CSV, page.XLSX = "/tidsplan.csv?"+q.Encode(), "/tidsplan.xlsx?"+q.Encode()
	return h.render(w, r, http.StatusOK, "timeplan", "priority.plan.title", page, "year", strconv.Itoa(year))
}

func (h *handler) timePlanFile(w http.ResponseWriter, r *http.Request, format string) error {
	form, year, lateOnly := h.planQuery(r)
	if form.HasErrors() {
		var v errs.ValidationError
		for _, e := range form.Errors {
			v.Add("query."+e.Name, e.Key, e.Args...)
		}
		return v.Err()
	}
	entries, err := h.svc.TimePlan(r.Context(), year)
	if err != nil {
		return err
	}
	wd := h.wordsFor(r)
	t := PlanTable(planRows(entries, h.svc.Today(), lateOnly, wd), year, h.web.Catalog(), wd.loc)
	name := wd.t("priority.plan.file", "year", strconv.Itoa(year))
	if format == "csv" {
		return doc.ServeCSV(w, name+".csv", t)
	}
	return doc.ServeXLSX(w, name+".xlsx", t)
}
