package forum

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// decisionPageSize is how many decisions the decision list shows per page;
// the CSV and XLSX exports hold every decision matching the filter.
const decisionPageSize = 100

func (h *handler) decisionRoutes(s *web.Server) {
	s.Handle("GET /beslut", Read, h.decisions)
	s.Handle("GET /beslut.csv", Read, func(w http.ResponseWriter, r *http.Request) error { return h.decisionsFile(w, r, "csv") })
	s.Handle("GET /beslut.xlsx", Read, func(w http.ResponseWriter, r *http.Request) error { return h.decisionsFile(w, r, "xlsx") })
	s.Handle("GET /beslut/{id}", Read, h.decision)
	s.Handle("GET /arenden/{id}/beslut/ny", Decide, h.newDecision)
	s.Handle("POST /arenden/{id}/beslut/ny", Decide, h.createDecision)
	s.Handle("GET /beslut/{id}/redigera", Decide, h.editDecision)
	s.Handle("POST /beslut/{id}", Decide, h.saveDecision)
	s.Handle("GET /beslut/{id}/rattelse", Decide, h.newCorrection)
	s.Handle("POST /beslut/{id}/rattelse", Decide, h.createCorrection)
	s.Handle("POST /beslut/{id}/uppfoljning", Decide, h.recordFollowUp)
}

// The decision form.

// DecisionFormPage is the data of the pages that record, edit or correct a
// decision.
type DecisionFormPage struct {
	Form           *web.Form
	Mode           string    // "new", "edit" or "correct"
	Case           *Case     // the case decided on, if any
	Original       *Decision // the decision edited or corrected
	Action         string    // where the form is sent
	Forum          web.FieldView
	Meeting        web.FieldView
	Responsible    web.FieldView
	Basis          caseChecks
	Municipalities caseChecks
	NoForums       bool      // the user may record decisions in no forum
	Conflict       *Decision // the newer version someone else saved
}

// decisionFields is the order of the decision form's fields.
var decisionFields = []string{"conflict", "forum_id", "meeting_id", "decided_on", "text", "basis_document_ids", "municipalities",
	"follow_up_on", "responsible_person_id", "case_id"}

// decisionForm builds the form's choices: the forums the user may decide in,
// their meetings, the case's documents and the municipalities (those the
// case was sent to, if it was sent).
func (h *handler) decisionForm(r *http.Request, form *web.Form, mode string, c *Case, orig *Decision, action string) (DecisionFormPage, error) {
	ctx := r.Context()
	forums, err := h.svc.DecisionForums(ctx)
	if err != nil {
		return DecisionFormPage{}, err
	}
	all, err := h.svc.ForumChoices(ctx)
	if err != nil {
		return DecisionFormPage{}, err
	}
	meetings, err := h.svc.MeetingChoices(ctx, 0)
	if err != nil {
		return DecisionFormPage{}, err
	}
	mine := map[int64]bool{}
	for _, f := range forums {
		mine[f.ID] = true
	}
	meetings = slices.DeleteFunc(meetings, func(m MeetingRef) bool { return !mine[m.ForumID] || m.Locked() })
	people, err := h.svc.PersonChoices(ctx)
	if err != nil {
		return DecisionFormPage{}, err
	}
	p := DecisionFormPage{Form: form, Mode: mode, Case: c, Original: orig, Action: action, NoForums: len(forums) == 0,
		Forum:       form.Select("forum_id", "forum.decision.forum", forumOptions(forums, "forum.choose"), "required"),
		Meeting:     form.Select("meeting_id", "forum.decision.meeting", meetingOptions(meetings, all, "forum.none"), "hint=forum.decision.meeting_hint"),
		Responsible: form.Select("responsible_person_id", "forum.decision.responsible", personOptions(people, "forum.none"), "hint=forum.decision.responsible_hint"),
	}
	checked := func(name, value string) bool { return slices.Contains(form.Values[name], value) }
	p.Basis = caseChecks{Name: "basis_document_ids", Legend: "forum.decision.basis", Hint: "forum.decision.basis_hint", Empty: "forum.decision.basis_none", Error: form.ErrorFor("basis_document_ids")}
	if c != nil {
		docs, err := h.svc.CaseDocuments(ctx, c.ID)
		if err != nil {
			return DecisionFormPage{}, err
		}
		for _, d := range docs {
			v := web.IDText(d.ID)
			p.Basis.Options = append(p.Basis.Options, web.Option{Value: v, Label: d.Title + " (" + d.Name + ")", Selected: checked("basis_document_ids", v)})
		}
	}
	p.Municipalities = caseChecks{Name: "municipalities", Legend: "forum.decision.municipalities", Hint: "forum.decision.municipalities_hint", Empty: "forum.decision.municipalities_none", Error: form.ErrorFor("municipalities")}
	home, err := h.svc.HomeMunicipalities(ctx)
	if err != nil {
		return DecisionFormPage{}, err
	}
	var sent []string
	if c != nil {
		if sent, err = h.svc.SentTo(ctx, c.ID); err != nil {
			return DecisionFormPage{}, err
		}
	}
	if len(sent) > 0 {
		p.Municipalities.Hint = "forum.decision.municipalities_sent_hint"
	}
	for _, m := range home {
		if len(sent) > 0 && !slices.Contains(sent, m.Code) {
			continue
		}
		p.Municipalities.Options = append(p.Municipalities.Options, web.Option{Value: m.Code, Label: m.Name, Selected: checked("municipalities", m.Code)})
	}
	return p, nil
}

// decisionFromForm reads the decision form on top of base and records every
// problem.
func decisionFromForm(form *web.Form, base Decision) Decision {
	d := base
	d.ForumID = form.ID("forum_id")
	d.MeetingID = form.ID("meeting_id")
	d.DecidedOn = form.Date("decided_on")
	d.Text = form.Get("text")
	d.BasisDocumentIDs = form.IDs("basis_document_ids")
	d.Municipalities = form.Values["municipalities"]
	d.FollowUpOn = form.Date("follow_up_on")
	d.ResponsiblePersonID = form.ID("responsible_person_id")
	check := d
	check.normalize()
	form.Merge(check.Validate())
	return d
}

// decisionFormOf fills a form with a stored decision.
func decisionFormOf(d Decision) *web.Form {
	form := web.NewForm()
	form.Set("forum_id", web.IDText(d.ForumID))
	form.Set("meeting_id", web.IDText(d.MeetingID))
	form.Set("decided_on", d.DecidedOn.String())
	form.Set("text", d.Text)
	form.Set("follow_up_on", d.FollowUpOn.String())
	form.Set("responsible_person_id", web.IDText(d.ResponsiblePersonID))
	for _, id := range d.BasisDocumentIDs {
		form.Values.Add("basis_document_ids", web.IDText(id))
	}
	for _, m := range d.Municipalities {
		form.Values.Add("municipalities", m)
	}
	form.SetVersion(d.Version)
	return form
}

// renderDecisionForm shows a decision form with status.
func (h *handler) renderDecisionForm(w http.ResponseWriter, r *http.Request, status int, p DecisionFormPage) error {
	key := map[string]string{"new": "forum.decision.new", "edit": "forum.decision.edit", "correct": "forum.decision.correct"}[p.Mode]
	args := []any{}
	if p.Original != nil {
		args = append(args, "id", p.Original.ID)
	}
	return h.render(w, r, status, "decision_form", key, p, args...)
}

// decisionFormError records a service error on the form; other errors are
// returned. A decision that may not be recorded in the forum chosen is a
// problem at the forum.
func decisionFormError(form *web.Form, err error) error {
	if errs.KindOf(err) == errs.Forbidden {
		form.AddError("forum_id", "forum.decision.not_decider")
		return nil
	}
	if form.Fail(err) {
		return nil
	}
	return err
}

func (h *handler) newDecision(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	c, err := h.svc.Case(r.Context(), id)
	if err != nil {
		return err
	}
	form := web.NewForm()
	form.Set("decided_on", h.svc.Today().String())
	form.Set("responsible_person_id", web.IDText(c.ResponsiblePersonID))
	form.SetVersion(c.Version)
	data, err := h.decisionForm(r, form, "new", &c, nil, "/arenden/"+web.IDText(id)+"/beslut/ny")
	if err != nil {
		return err
	}
	return h.renderDecisionForm(w, r, http.StatusOK, data)
}

func (h *handler) createDecision(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	c, err := h.svc.Case(r.Context(), id)
	if err != nil {
		return err
	}
	d := decisionFromForm(form, Decision{CaseID: id})
	version, verr := form.Version()
	if verr != nil {
		form.Fail(verr)
	}
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		saved, err := h.svc.RecordDecision(r.Context(), d, version)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "forum.decision.recorded")
			return web.Redirect(w, r, "/beslut/"+web.IDText(saved.ID))
		case errors.Is(err, errs.ErrConflict):
			if c, err = h.svc.Case(r.Context(), id); err != nil {
				return err
			}
			form.Conflict(c.Version, "forum.decision.case_conflict")
			status = http.StatusConflict
		default:
			if err := decisionFormError(form, err); err != nil {
				return err
			}
		}
	}
	form.SortErrors(decisionFields...)
	data, err := h.decisionForm(r, form, "new", &c, nil, "/arenden/"+web.IDText(id)+"/beslut/ny")
	if err != nil {
		return err
	}
	return h.renderDecisionForm(w, r, status, data)
}

// decisionAndCase reads the decision of the route and its case, if any.
func (h *handler) decisionAndCase(r *http.Request) (Decision, *Case, error) {
	id, err := web.PathID(r)
	if err != nil {
		return Decision{}, nil, err
	}
	d, err := h.svc.Decision(r.Context(), id)
	if err != nil {
		return Decision{}, nil, err
	}
	if d.CaseID == 0 {
		return d, nil, nil
	}
	c, err := h.svc.Case(r.Context(), d.CaseID)
	return d, &c, err
}

func (h *handler) editDecision(w http.ResponseWriter, r *http.Request) error {
	d, c, err := h.decisionAndCase(r)
	if err != nil {
		return err
	}
	if d.Locked {
		return h.decisionProblem(w, r, d, http.StatusConflict, "forum.decision.locked", nil)
	}
	data, err := h.decisionForm(r, decisionFormOf(d), "edit", c, &d, "/beslut/"+web.IDText(d.ID))
	if err != nil {
		return err
	}
	return h.renderDecisionForm(w, r, http.StatusOK, data)
}

func (h *handler) saveDecision(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	current, c, err := h.decisionAndCase(r)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	edit := decisionFromForm(form, current)
	edit.Version = version
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		_, err := h.svc.UpdateDecision(r.Context(), edit)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "forum.decision.saved")
			return web.Redirect(w, r, "/beslut/"+web.IDText(current.ID))
		case errors.Is(err, errs.ErrLocked):
			return h.decisionProblem(w, r, current, http.StatusConflict, "forum.decision.locked", nil)
		case errors.Is(err, errs.ErrConflict):
			if current, err = h.svc.Decision(r.Context(), current.ID); err != nil {
				return err
			}
			form.Conflict(current.Version, "forum.conflict")
			status = http.StatusConflict
		default:
			if err := decisionFormError(form, err); err != nil {
				return err
			}
		}
	}
	form.SortErrors(decisionFields...)
	data, err := h.decisionForm(r, form, "edit", c, &current, "/beslut/"+web.IDText(current.ID))
	if err != nil {
		return err
	}
	if status == http.StatusConflict {
		data.Conflict = &current
	}
	return h.renderDecisionForm(w, r, status, data)
}

func (h *handler) newCorrection(w http.ResponseWriter, r *http.Request) error {
	d, c, err := h.decisionAndCase(r)
	if err != nil {
		return err
	}
	form := decisionFormOf(d)
	form.Set("decided_on", h.svc.Today().String())
	form.Set("meeting_id", "")
	data, err := h.decisionForm(r, form, "correct", c, &d, "/beslut/"+web.IDText(d.ID)+"/rattelse")
	if err != nil {
		return err
	}
	return h.renderDecisionForm(w, r, http.StatusOK, data)
}

func (h *handler) createCorrection(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	orig, c, err := h.decisionAndCase(r)
	if err != nil {
		return err
	}
	d := decisionFromForm(form, Decision{})
	if !form.HasErrors() {
		saved, err := h.svc.CorrectDecision(r.Context(), orig.ID, d)
		if err == nil {
			h.web.AddFlash(r, "success", "forum.decision.corrected", "id", orig.ID)
			return web.Redirect(w, r, "/beslut/"+web.IDText(saved.ID))
		}
		if err := decisionFormError(form, err); err != nil {
			return err
		}
	}
	form.SortErrors(decisionFields...)
	data, err := h.decisionForm(r, form, "correct", c, &orig, "/beslut/"+web.IDText(orig.ID)+"/rattelse")
	if err != nil {
		return err
	}
	return h.renderDecisionForm(w, r, http.StatusUnprocessableEntity, data)
}

// The decision page.

// DecisionPage is the data of a decision's page.
type DecisionPage struct {
	Decision       Decision
	Case           *Case
	Meeting        *MeetingRef
	MeetingLabel   string
	Basis          []Document
	Municipalities []MunicipalityRef
	FollowUps      []FollowUpRecord
	FollowUp       FollowUpStatus
	CanDecide      bool // the reader may record decisions in its forum
	Problem        string
	FollowUpForm   *web.Form
}

func (h *handler) decisionPageData(r *http.Request, d Decision, followUpForm *web.Form) (DecisionPage, error) {
	ctx := r.Context()
	p := DecisionPage{Decision: d, FollowUp: d.FollowUpStatusOn(h.svc.Today())}
	var err error
	if d.CaseID != 0 {
		c, err := h.svc.Case(ctx, d.CaseID)
		if err != nil {
			return p, err
		}
		p.Case = &c
	}
	if d.MeetingID != 0 {
		m, err := h.svc.MeetingRef(ctx, d.MeetingID)
		if err != nil {
			return p, err
		}
		p.Meeting, p.MeetingLabel = &m, meetingLabel(m, d.ForumName)
	}
	if p.Basis, err = h.svc.DecisionBasis(ctx, d); err != nil {
		return p, err
	}
	home, err := h.svc.HomeMunicipalities(ctx)
	if err != nil {
		return p, err
	}
	for _, code := range d.Municipalities {
		name := code
		if i := slices.IndexFunc(home, func(m MunicipalityRef) bool { return m.Code == code }); i >= 0 {
			name = home[i].Name
		}
		p.Municipalities = append(p.Municipalities, MunicipalityRef{Code: code, Name: name})
	}
	if p.FollowUps, err = h.svc.FollowUps(ctx, d.ID); err != nil {
		return p, err
	}
	canDecide, err := h.svc.CanDecideIn(ctx, d.ForumID)
	if err != nil {
		return p, err
	}
	p.CanDecide = access.From(ctx).Can(Decide) && canDecide
	if p.CanDecide {
		p.FollowUpForm = followUpForm
		if p.FollowUpForm == nil {
			p.FollowUpForm = web.NewForm()
			p.FollowUpForm.Set("done_on", h.svc.Today().String())
		}
	}
	return p, nil
}

// decisionProblem shows a decision's page with a message, or with the
// follow-up form's problems.
func (h *handler) decisionProblem(w http.ResponseWriter, r *http.Request, d Decision, status int, problem string, followUpForm *web.Form) error {
	data, err := h.decisionPageData(r, d, followUpForm)
	if err != nil {
		return err
	}
	data.Problem = problem
	return h.render(w, r, status, "decision", "forum.decision.title", data, "id", d.ID)
}

func (h *handler) decision(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	d, err := h.svc.Decision(r.Context(), id)
	if err != nil {
		return err
	}
	return h.decisionProblem(w, r, d, http.StatusOK, "", nil)
}

func (h *handler) recordFollowUp(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	d, err := h.svc.Decision(r.Context(), id)
	if err != nil {
		return err
	}
	f := FollowUpRecord{DecisionID: id, DoneOn: form.Date("done_on"), Note: form.Get("note")}
	form.Merge(f.Validate())
	if !form.HasErrors() {
		_, err := h.svc.RecordFollowUp(r.Context(), f)
		if err == nil {
			h.web.AddFlash(r, "success", "forum.follow_up.recorded")
			return web.Redirect(w, r, "/beslut/"+web.IDText(id))
		}
		if !form.Fail(err) {
			return err
		}
	}
	form.SortErrors("done_on", "note")
	return h.decisionProblem(w, r, d, http.StatusUnprocessableEntity, "", form)
}

// The decision list and its exports.

// DecisionsPage is the data of the decision list: the filter, one page of
// decisions and the links to the exports of every matching decision.
type DecisionsPage struct {
	Form      *web.Form
	Forum     web.FieldView
	FollowUp  web.FieldView
	Decisions []Decision
	Total     int
	Page      int
	Pages     int
	Prev      string
	Next      string
	CSVLink   string
	XLSXLink  string
	Filtered  bool
	Today     date.Date
	Summary   []ForumSummary // per forum, of every matching decision
	Sum       ForumSummary   // the sum of Summary
}

// Status is a decision's follow-up status today.
func (p DecisionsPage) Status(d Decision) FollowUpStatus { return d.FollowUpStatusOn(p.Today) }

// Excerpt is the start of a decision's text, at most 160 characters.
func (DecisionsPage) Excerpt(text string) string {
	r := []rune(text)
	if len(r) <= 160 {
		return text
	}
	return strings.TrimSpace(string(r[:159])) + "…"
}

// decisionQuery reads the decision list's filter from the query string into
// a form, recording what is wrong with it.
func (h *handler) decisionQuery(r *http.Request) (*web.Form, DecisionFilter, url.Values) {
	form := web.QueryForm(r)
	f := DecisionFilter{ForumID: form.ID("forum"), From: form.Date("from"), To: form.Date("to"),
		FollowUp: FollowUpStatus(form.Get("follow_up")), Query: form.Get("q")}
	form.Merge(f.Validate())
	kept := url.Values{}
	for _, k := range []string{"forum", "from", "to", "follow_up", "q"} {
		if v := form.Get(k); v != "" {
			kept.Set(k, v)
		}
	}
	return form, f, kept
}

func (h *handler) decisions(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	form, f, kept := h.decisionQuery(r)
	page := 1
	if s := form.Get("sida"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100_000 {
			form.AddError("sida", "validation.range", "min", 1, "max", 100_000)
		} else {
			page = n
		}
	}
	forums, err := h.svc.ForumChoices(ctx)
	if err != nil {
		return err
	}
	data := DecisionsPage{Form: form, Page: page, Today: h.svc.Today(), Filtered: len(kept) > 0,
		Forum:    form.Select("forum", "forum.decision.forum", forumOptions(forums, "common.all")),
		FollowUp: form.Select("follow_up", "forum.decisions.follow_up", append([]web.Option{web.Choose("common.all")}, web.EnumOptions(FollowUpStatuses, "forum.follow_up_status.")...)),
	}
	if form.HasErrors() {
		return h.render(w, r, http.StatusUnprocessableEntity, "decisions", "forum.decisions.title", data)
	}
	suffix := ""
	if len(kept) > 0 {
		suffix = "?" + kept.Encode()
	}
	data.CSVLink, data.XLSXLink = "/beslut.csv"+suffix, "/beslut.xlsx"+suffix
	f.Limit, f.Offset = decisionPageSize, (page-1)*decisionPageSize
	if data.Decisions, data.Total, err = h.svc.DecisionPage(ctx, f); err != nil {
		return err
	}
	data.Pages = max(1, (data.Total+decisionPageSize-1)/decisionPageSize)
	if data.Summary, err = h.svc.DecisionSummary(ctx, f); err != nil {
		return err
	}
	data.Sum = sumSummary(data.Summary)
	link := func(n int) string {
		q := url.Values{}
		for k, v := range kept {
			q[k] = v
		}
		if n > 1 {
			q.Set("sida", strconv.Itoa(n))
		}
		if len(q) == 0 {
			return "/beslut"
		}
		return "/beslut?" + q.Encode()
	}
	if page > 1 {
		data.Prev = link(page - 1)
	}
	if page < data.Pages {
		data.Next = link(page + 1)
	}
	return h.render(w, r, http.StatusOK, "decisions", "forum.decisions.title", data)
}

func (h *handler) decisionsFile(w http.ResponseWriter, r *http.Request, format string) error {
	form, f, _ := h.decisionQuery(r)
	if form.HasErrors() {
		var v errs.ValidationError
		for _, e := range form.Errors {
			v.Add("query."+e.Name, e.Key, e.Args...)
		}
		return v.Err()
	}
	ds, err := h.svc.Decisions(r.Context(), f)
	if err != nil {
		return err
	}
	loc := web.LocaleFrom(r.Context())
	t := DecisionTable(ds, h.svc.Today(), h.web.Catalog(), loc)
	name := h.t(r, "forum.decisions.file", "date", h.svc.Today().String())
	if format == "csv" {
		return doc.ServeCSV(w, name+".csv", t)
	}
	summary, err := h.svc.DecisionSummary(r.Context(), f)
	if err != nil {
		return err
	}
	return doc.ServeXLSX(w, name+".xlsx", t, SummaryTable(summary, h.web.Catalog(), loc))
}

// sumSummary adds up the forums' counts.
func sumSummary(rows []ForumSummary) ForumSummary {
	var t ForumSummary
	for _, r := range rows {
		t.Total, t.Due, t.Pending, t.Done, t.None = t.Total+r.Total, t.Due+r.Due, t.Pending+r.Pending, t.Done+r.Done, t.None+r.None
	}
	return t
}

// SummaryTable lays the per-forum counts out as a table in the language loc,
// with the total last.
func SummaryTable(rows []ForumSummary, cat *i18n.Catalog, loc i18n.Locale) doc.Table {
	t := func(key string, args ...any) string { return cat.T(loc, key, args...) }
	tab := doc.Table{Title: t("forum.decisions.summary_sheet")}
	for _, k := range []string{"forum", "total", "due", "pending", "done", "none"} {
		tab.Columns = append(tab.Columns, doc.Column{Header: t("forum.decisions.summary." + k)})
	}
	cells := func(x ForumSummary) []doc.Cell {
		return []doc.Cell{doc.Int(x.Total), doc.Int(x.Due), doc.Int(x.Pending), doc.Int(x.Done), doc.Int(x.None)}
	}
	for _, r := range rows {
		tab.Rows = append(tab.Rows, append([]doc.Cell{doc.Text(r.ForumName)}, cells(r)...))
	}
	tab.Footer = append([]doc.Cell{doc.Text(t("forum.decisions.summary.sum"))}, cells(sumSummary(rows))...)
	return tab
}

// DecisionTable lays decisions out as one table in the language loc: a row
// per decision with its forum, date, case, text, follow-up date and status
// on day today, responsible person, and the decision it corrects.
func DecisionTable(ds []Decision, today date.Date, cat *i18n.Catalog, loc i18n.Locale) doc.Table {
	t := func(key string, args ...any) string { return cat.T(loc, key, args...) }
	tab := doc.Table{Title: t("forum.decisions.sheet")}
	for _, k := range []string{"id", "decided_on", "forum", "case_number", "case_title", "text", "follow_up_on", "follow_up_status",
		"followed_up_on", "responsible", "corrects", "corrected_by", "locked"} {
		tab.Columns = append(tab.Columns, doc.Column{Header: t("forum.decisions.col." + k)})
	}
	id := func(n int64) doc.Cell {
		if n == 0 {
			return doc.Cell{}
		}
		return doc.Int(n)
	}
	for _, d := range ds {
		locked := t("common.no")
		if d.Locked {
			locked = t("common.yes")
		}
		tab.Rows = append(tab.Rows, []doc.Cell{doc.Int(d.ID), doc.Date(d.DecidedOn), doc.Text(d.ForumName), doc.Text(d.CaseNumber),
			doc.Text(d.CaseTitle), doc.Text(d.Text), doc.Date(d.FollowUpOn), doc.Text(t("forum.follow_up_status." + string(d.FollowUpStatusOn(today)))),
			doc.Date(d.FollowedUpOn), doc.Text(d.ResponsibleName), id(d.CorrectsID), id(d.CorrectedByID), doc.Text(locked)})
	}
	return tab
}
