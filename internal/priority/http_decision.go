package priority

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// decisionRoutes registers the forum case, decision basis and HSL decision pages.
func (h *handler) decisionRoutes() {
	s := h.web
	s.Handle("GET /prioritering/{id}/arende", Read, h.anchorPage)
	s.Handle("POST /prioritering/{id}/arende", Run, h.startCase)
	s.Handle("GET /prioritering/{id}/beslutsunderlag.docx", Read, h.basisFile(doc.ServeDOCX, ".docx"))
	s.Handle("GET /prioritering/{id}/beslutsunderlag.pdf", Read, h.basisFile(doc.ServePDF, ".pdf"))
	s.Handle("POST /prioritering/{id}/beslutsunderlag/bifoga", Run, h.attachBasis)
	s.Handle("GET /prioritering/{id}/beslut", Decide, h.decisionPage)
	s.Handle("POST /prioritering/{id}/beslut", Decide, h.recordDecision)
}

// decTr is a catalogue lookup in the request's language.
func (h *handler) decTr(r *http.Request) basisTr {
	loc := web.LocaleFrom(r.Context())
	return func(key string, args ...any) string { return h.web.Catalog().T(loc, key, args...) }
}

// decRoundPath is the path of round id's page, or of one below it.
func decRoundPath(id int64, rest string) string { return "/prioritering/" + web.IDText(id) + rest }

// basisFile serves a round's decision basis with serve.
func (h *handler) basisFile(serve func(http.ResponseWriter, string, doc.Document) error, ext string) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		b, err := h.svc.Basis(r.Context(), id)
		if err != nil {
			return err
		}
		return serve(w, BasisFileName(b.Results.Round, ext), BasisDocument(b, h.decTr(r), web.LocaleFrom(r.Context())))
	}
}

// AnchorPage is the data of the page of a round's forum case: before the
// case, what anchoring means and the button that starts it; after, the
// case, its steps, whether the primary-care council has anchored the
// proposal and the case's documents.
type AnchorPage struct {
	Round       Round
	Case        *forum.Case
	Steps       []forum.Step
	Council     *forum.Step // the council's latest anchoring step
	HasCouncil  bool        // the primary-care council has a forum
	Documents   []forum.Document
	HasBasis    bool // closed or decided: the decision basis can be downloaded
	CanRun      bool
	CanDecide   bool
	Form        *web.Form
	Responsible web.FieldView
}

func (h *handler) anchorData(r *http.Request, id int64, form *web.Form) (AnchorPage, error) {
	ctx := r.Context()
	rd, err := h.svc.Round(ctx, id)
	if err != nil {
		return AnchorPage{}, err
	}
	p := AnchorPage{Round: rd, CanRun: CanRun(ctx), CanDecide: CanDecide(ctx), Form: form,
		HasBasis: rd.Status == Closed || rd.Status == Decided}
	if form.Get("version") == "" {
		form.SetVersion(rd.Version)
	}
	council, err := h.svc.CouncilForum(ctx)
	if err != nil {
		return AnchorPage{}, err
	}
	p.HasCouncil = council != 0
	if rd.CaseID != 0 {
		c, err := h.svc.forums.Case(ctx, rd.CaseID)
		if err != nil {
			return AnchorPage{}, err
		}
		p.Case = &c
		if p.Steps, err = h.svc.forums.Steps(ctx, c.ID); err != nil {
			return AnchorPage{}, err
		}
		for i := range p.Steps {
			if st := p.Steps[i]; st.Kind == forum.Anchoring && st.ForumID == council && council != 0 {
				p.Council = &p.Steps[i]
			}
		}
		if p.Documents, err = h.svc.forums.CaseDocuments(ctx, c.ID); err != nil {
			return AnchorPage{}, err
		}
		return p, nil
	}
	if p.CanRun {
		people, err := h.svc.forums.PersonChoices(ctx)
		if err != nil {
			return AnchorPage{}, err
		}
		opts := []web.Option{web.Choose("priority.anchor.responsible_none")}
		for _, pr := range people {
			label := pr.Name
			if pr.Title != "" {
				label += ", " + pr.Title
			}
			opts = append(opts, web.Option{Value: web.IDText(pr.ID), Label: label})
		}
		p.Responsible = form.Select("responsible_person_id", "priority.anchor.responsible", opts, "hint=priority.anchor.responsible_hint")
	}
	return p, nil
}

func (h *handler) renderAnchor(w http.ResponseWriter, r *http.Request, status int, id int64, form *web.Form) error {
	data, err := h.anchorData(r, id, form)
	if err != nil {
		return err
	}
	return h.render(w, r, status, "anchor", "priority.anchor.title", data, "title", data.Round.Title)
}

func (h *handler) anchorPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	return h.renderAnchor(w, r, http.StatusOK, id, web.NewForm())
}

// decFormStatus records a failed change on form and reports the status to
// answer with; errors that are not the user's to fix are returned.
func decFormStatus(form *web.Form, err error, conflictKey string) (int, error) {
	switch {
	case errors.Is(err, errs.ErrConflict):
		form.AddError("conflict", conflictKey)
		return http.StatusConflict, nil
	case form.Fail(err):
		return http.StatusUnprocessableEntity, nil
	}
	return 0, err
}

func (h *handler) startCase(w http.ResponseWriter, r *http.Request) error {
	id, form, version, err := postedVersion(r)
	if err != nil {
		return err
	}
	person := form.ID("responsible_person_id")
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		_, c, err := h.svc.StartCase(r.Context(), id, person, version)
		if err == nil {
			h.web.AddFlash(r, "success", "priority.anchor.started", "number", c.Number)
			return web.Redirect(w, r, "/arenden/"+web.IDText(c.ID))
		}
		if status, err = decFormStatus(form, err, "priority.anchor.conflict"); err != nil {
			return err
		}
		form.Values.Del("version")
	}
	return h.renderAnchor(w, r, status, id, form)
}

func (h *handler) attachBasis(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	_, err = h.svc.AttachBasis(r.Context(), id)
	if err == nil {
		h.web.AddFlash(r, "success", "priority.basis.attached")
		return web.Redirect(w, r, decRoundPath(id, "/arende"))
	}
	form := web.NewForm()
	status, err := decFormStatus(form, err, "priority.anchor.conflict")
	if err != nil {
		return err
	}
	return h.renderAnchor(w, r, status, id, form)
}

// DecisionRow is one candidate on the decision form: what HSL decides on it,
// beside its result and the proposal.
type DecisionRow struct {
	Index     int // the candidate's place in the round, which names its fields outcomes.N.*
	Candidate Candidate
	Result    CandidateResult
	Outcome   string
	Error     *errs.Field // a problem with the outcome
	Order     web.FieldView
	Start     web.FieldView
	End       web.FieldView
}

// OutcomeField is the name of the row's outcome field.
func (d DecisionRow) OutcomeField() string { return "outcomes." + itoa(d.Index) + ".outcome" }

// DecisionPage is the data of HSL's decision page: the form prefilled from
// the proposal, or, once decided, the decision.
type DecisionPage struct {
	Round    Round
	Case     *forum.Case
	Form     *web.Form
	Meeting  web.FieldView
	Rows     []DecisionRow
	Outcomes []catalog.Status
	Decision *forum.Decision // HSL's decision, once recorded
	Conflict bool
}

// Decidable reports whether the round is ready for HSL's decision.
func (p DecisionPage) Decidable() bool { return p.Round.Status == Closed && p.Round.CaseID != 0 }

var decFields = []string{"conflict", "round", "decided_on", "meeting_id", "text", "outcomes"}

// decisionForm prefills the decision from the proposal: the proposed
// candidates introduced in the proposed order and time, the others watched
// again, dated today, with a suggested wording.
func (h *handler) decisionForm(r *http.Request, rd Round, res Results) *web.Form {
	form := web.NewForm()
	form.SetVersion(rd.Version)
	form.Set("decided_on", h.svc.Today().String())
	cs := basisCandidates(res)
	for i, c := range cs {
		n := "outcomes." + itoa(i) + "."
		form.Set(n+"candidate_id", web.IDText(c.ID))
		form.Set(n+"outcome", string(catalog.Watched))
		if c.Proposed {
			form.Set(n+"outcome", string(catalog.Decided))
			if c.ProposedOrder > 0 {
				form.Set(n+"order", itoa(c.ProposedOrder))
			}
			form.Set(n+"planned_start", c.PlannedStart.String())
			form.Set(n+"planned_end", c.PlannedEnd.String())
		}
	}
	form.Set("text", decSuggestedText(rd, basisProposed(cs), len(cs), h.decTr(r)))
	return form
}

// decSuggestedText words a decision that introduces the proposed supports in
// order and watches the others again.
func decSuggestedText(rd Round, props []Candidate, total int, tr basisTr) string {
	if len(props) == 0 {
		return tr("priority.decide.text_none", "title", rd.Title)
	}
	lines := []string{tr("priority.decide.text_intro", "title", rd.Title, "year", itoa(rd.Year))}
	for i, c := range props {
		when := tr("priority.decide.text_from", "start", c.PlannedStart.String())
		if !c.PlannedEnd.IsZero() {
			when = tr("priority.decide.text_from_to", "start", c.PlannedStart.String(), "end", c.PlannedEnd.String())
		}
		lines = append(lines, itoa(i+1)+". "+c.SupportTitle+" ("+when+")")
	}
	if len(props) < total {
		lines = append(lines, tr("priority.decide.text_rest"))
	}
	return strings.Join(lines, "\n")
}

// decFromForm reads the decision from the form.
func decFromForm(form *web.Form, cs []Candidate) Decision {
	d := Decision{DecidedOn: form.Date("decided_on"), MeetingID: form.ID("meeting_id"), Text: form.Get("text")}
	for i, c := range cs {
		n := "outcomes." + itoa(i) + "."
		o := CandidateChoice{CandidateID: c.ID, Outcome: catalog.Status(form.Get(n + "outcome"))}
		if o.Outcome == catalog.Decided {
			if s := form.Get(n + "order"); s != "" {
				v, err := strconv.Atoi(s)
				switch {
				case err != nil:
					form.AddError(n+"order", "validation.integer")
				case v < 1:
					form.AddError(n+"order", "validation.range", "min", "1", "max", "999")
				}
				o.Order = v
			}
			o.PlannedStart, o.PlannedEnd = form.Date(n+"planned_start"), form.Date(n+"planned_end")
		}
		d.Outcomes = append(d.Outcomes, o)
	}
	return d
}

func (h *handler) decisionData(r *http.Request, rd Round, res Results, form *web.Form) (DecisionPage, error) {
	ctx := r.Context()
	p := DecisionPage{Round: rd, Form: form, Outcomes: Outcomes}
	if rd.CaseID != 0 {
		c, err := h.svc.forums.Case(ctx, rd.CaseID)
		if err != nil {
			return DecisionPage{}, err
		}
		p.Case = &c
	}
	if rd.DecisionID != 0 {
		d, err := h.svc.forums.Decision(ctx, rd.DecisionID)
		if err != nil {
			return DecisionPage{}, err
		}
		p.Decision = &d
	}
	opts := []web.Option{web.Choose("priority.decide.no_meeting")}
	if hsl, err := h.svc.HSLForum(ctx); err == nil {
		ms, err := h.svc.forums.MeetingChoices(ctx, hsl)
		if err != nil {
			return DecisionPage{}, err
		}
		loc := web.LocaleFrom(ctx)
		for _, m := range ms {
			if m.Locked() {
				continue
			}
			label := i18n.FormatDate(loc, m.StartsAt)
			if m.Title != "" {
				label += " – " + m.Title
			}
			opts = append(opts, web.Option{Value: web.IDText(m.ID), Label: label})
		}
	} else if _, ok := errs.AsValidation(err); !ok {
		return DecisionPage{}, err
	} else if form.ErrorFor("meeting_id") == nil {
		form.AddError("meeting_id", "priority.decision.no_hsl")
	}
	p.Meeting = form.Select("meeting_id", "priority.decide.meeting", opts, "hint=priority.decide.meeting_hint")

	// Proposed candidates first, in the proposed order, then the others by rank.
	index := map[int64]int{}
	for i, c := range basisCandidates(res) {
		index[c.ID] = i
	}
	results := slices.Clone(res.Ranked)
	slices.SortStableFunc(results, func(a, b CandidateResult) int {
		ap, bp := a.Candidate.Proposed, b.Candidate.Proposed
		switch {
		case ap && !bp:
			return -1
		case bp && !ap:
			return 1
		case ap && bp:
			return cmp.Compare(a.Candidate.ProposedOrder, b.Candidate.ProposedOrder)
		}
		return 0
	})
	for _, cr := range results {
		i := index[cr.Candidate.ID]
		n := "outcomes." + itoa(i) + "."
		p.Rows = append(p.Rows, DecisionRow{Index: i, Candidate: cr.Candidate, Result: cr,
			Outcome: form.Get(n + "outcome"), Error: form.ErrorFor(n + "outcome"),
			Order: decFieldView(form, n+"order", "priority.decide.order", "number"),
			Start: decFieldView(form, n+"planned_start", "priority.decide.planned_start", "date"),
			End:   decFieldView(form, n+"planned_end", "priority.decide.planned_end", "date"),
		})
	}
	return p, nil
}

// decFieldView is a field of a decision row for the "field" partial.
func decFieldView(form *web.Form, name, label, typ string) web.FieldView {
	return web.FieldView{ID: "f-" + name, Name: name, Label: label, Type: typ, Value: form.Get(name), Error: form.ErrorFor(name)}
}

func (h *handler) renderDecision(w http.ResponseWriter, r *http.Request, status int, rd Round, form *web.Form, conflict bool) error {
	res, err := h.svc.Results(r.Context(), rd.ID)
	if err != nil {
		return err
	}
	if form == nil {
		form = h.decisionForm(r, rd, res)
	}
	data, err := h.decisionData(r, rd, res, form)
	if err != nil {
		return err
	}
	data.Conflict = conflict
	return h.render(w, r, status, "decision", "priority.decide.title", data, "title", rd.Title)
}

func (h *handler) decisionPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	rd, err := h.svc.Round(r.Context(), id)
	if err != nil {
		return err
	}
	return h.renderDecision(w, r, http.StatusOK, rd, nil, false)
}

func (h *handler) recordDecision(w http.ResponseWriter, r *http.Request) error {
	id, form, version, err := postedVersion(r)
	if err != nil {
		return err
	}
	cs, err := h.svc.Candidates(r.Context(), id)
	if err != nil {
		return err
	}
	d := decFromForm(form, cs)
	if form.HasErrors() {
		form.Merge(d.Validate(cs)) // the whole picture at once, not only what could not be read
	}
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		_, err := h.svc.RecordDecision(r.Context(), id, d, version)
		if err == nil {
			h.web.AddFlash(r, "success", "priority.decide.recorded")
			return web.Redirect(w, r, decRoundPath(id, ""))
		}
		if status, err = decFormStatus(form, err, "priority.decide.conflict"); err != nil {
			return err
		}
	}
	rd, err := h.svc.Round(r.Context(), id)
	if err != nil {
		return err
	}
	if status == http.StatusConflict {
		form.SetVersion(rd.Version)
	}
	form.SortErrors(decFields...)
	return h.renderDecision(w, r, status, rd, form, status == http.StatusConflict)
}
