package implement

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// surveyRoutes registers the questionnaires to the units: the working
// group's pages (service-checked), the unit's answer form and the user's
// own unit's page.
func (h *handler) surveyRoutes() {
	h.web.Handle("GET /inforande/{id}/enkater", Read, h.surveyList)
	h.web.Handle("GET /inforande/{id}/enkater/ny", Read, h.newSurvey)
	h.web.Handle("POST /inforande/{id}/enkater/ny", Read, h.createSurvey)
	h.web.Handle("GET /inforande/{id}/enkater/{sid}", Read, h.surveyPage)
	h.web.Handle("GET /inforande/{id}/enkater/{sid}/redigera", Read, h.editSurvey)
	h.web.Handle("POST /inforande/{id}/enkater/{sid}/redigera", Read, h.saveSurvey)
	h.web.Handle("POST /inforande/{id}/enkater/{sid}/skicka", Read, h.surveyStep(surveySend))
	h.web.Handle("POST /inforande/{id}/enkater/{sid}/paminn", Read, h.surveyStep(surveyRemind))
	h.web.Handle("POST /inforande/{id}/enkater/{sid}/stang", Read, h.surveyStep(surveyClose))
	h.web.Handle("GET /enkatsvar/{rid}", access.SignedIn, h.answerForm)
	h.web.Handle("POST /enkatsvar/{rid}", access.SignedIn, h.saveAnswer)
	h.web.Handle("GET /inforande/min-enhet", access.SignedIn, h.myUnit)
}

func surveysURL(id int64) string { return "/inforande/" + strconv.FormatInt(id, 10) + "/enkater" }

func surveyURL(id, sid int64) string { return surveysURL(id) + "/" + strconv.FormatInt(sid, 10) }

// SurveyListPage is the data of an implementation's questionnaires.
type SurveyListPage struct {
	List SurveyList
}

func (h *handler) surveyList(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	l, err := h.svc.Surveys(r.Context(), id)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "survey_list", "implement.survey.list.title", SurveyListPage{List: l}, "support", l.Support.Title)
}

// SurveyRecOption is a recommendation to tick in the questionnaire form.
type SurveyRecOption struct {
	Rec     catalog.Recommendation
	Checked bool
}

// SurveyUnitRow is a unit to tick in the questionnaire form with its contact.
type SurveyUnitRow struct {
	ID        int64
	Name      string
	Checked   bool
	Contact   web.FieldView
	NoContact bool // nobody at the unit has a user account
}

// SurveyFormPage is the data of the new and edit questionnaire pages.
type SurveyFormPage struct {
	Form     *web.Form
	List     SurveyList
	Survey   Survey // as stored, when editing
	New      bool
	Recs     []SurveyRecOption
	Units    []SurveyUnitRow
	Conflict *Survey // the newer version someone else saved
}

var surveyFields = []string{"conflict", "status", "title", "message", "deadline", "recommendations", "units"}

// surveyFormList reads the implementation's questionnaires for a user who
// may edit them.
func (h *handler) surveyFormList(r *http.Request) (SurveyList, error) {
	id, err := web.PathID(r)
	if err != nil {
		return SurveyList{}, err
	}
	l, err := h.svc.Surveys(r.Context(), id)
	if err != nil {
		return SurveyList{}, err
	}
	if !l.Rights.Edit {
		return SurveyList{}, fmt.Errorf("surveys of %d: %w", id, errs.ErrForbidden)
	}
	return l, nil
}

// surveyToEdit reads the questionnaire the path names with the list of
// questionnaires, for a user who may change them.
func (h *handler) surveyToEdit(r *http.Request) (SurveyList, SurveyView, error) {
	l, err := h.surveyFormList(r)
	if err != nil {
		return SurveyList{}, SurveyView{}, err
	}
	_, sid, err := pathIDs(r, "sid")
	if err != nil {
		return SurveyList{}, SurveyView{}, err
	}
	sv, err := h.svc.Survey(r.Context(), l.Implementation.ID, sid)
	return l, sv, err
}

func surveyFormOf(v Survey) *web.Form {
	form := web.NewForm()
	form.Set("title", v.Title)
	form.Set("message", v.Message)
	if !v.Deadline.IsZero() {
		form.Set("deadline", v.Deadline.String())
	}
	for _, rec := range v.RecommendationIDs {
		form.Values.Add("recommendation", strconv.FormatInt(rec, 10))
	}
	for _, u := range v.Recipients {
		form.Values.Add("unit", strconv.FormatInt(u.UnitID, 10))
		form.Set("contact."+strconv.FormatInt(u.UnitID, 10), web.IDText(u.ContactID))
	}
	if v.Version != 0 {
		form.SetVersion(v.Version)
	}
	return form
}

// surveyFormPage fills the form's choices: every recommendation of the
// support, and the support's units (with those of the questionnaire) with
// the people who may answer for each.
func (h *handler) surveyFormPage(r *http.Request, form *web.Form, l SurveyList, v Survey, isNew bool) (SurveyFormPage, error) {
	p := SurveyFormPage{Form: form, List: l, Survey: v, New: isNew}
	recs, err := h.svc.surveyRecs(r.Context(), l.Support.ID)
	if err != nil {
		return SurveyFormPage{}, err
	}
	checked := form.Values["recommendation"]
	for _, rec := range recs {
		p.Recs = append(p.Recs, SurveyRecOption{Rec: rec, Checked: slices.Contains(checked, strconv.FormatInt(rec.ID, 10))})
	}
	units := slices.Clone(l.Support.UnitIDs)
	for _, u := range v.Recipients {
		units = append(units, u.UnitID)
	}
	units = distinct(units)
	names, err := h.svc.UnitNames(r.Context(), units)
	if err != nil {
		return SurveyFormPage{}, err
	}
	contacts, err := h.svc.SurveyContacts(r.Context(), units)
	if err != nil {
		return SurveyFormPage{}, err
	}
	ticked := form.Values["unit"]
	for _, u := range units {
		idText := strconv.FormatInt(u, 10)
		name := "contact." + idText
		opts := []web.Option{web.Choose("implement.survey.form.contact_default")}
		chosen := form.Get(name)
		found := chosen == ""
		for _, c := range contacts[u] {
			label := c.Name
			if c.Title != "" {
				label += " (" + c.Title + ")"
			}
			opts = append(opts, web.Option{Value: strconv.FormatInt(c.ID, 10), Label: label})
			found = found || chosen == strconv.FormatInt(c.ID, 10)
		}
		if !found {
			for _, x := range v.Recipients {
				if strconv.FormatInt(x.ContactID, 10) == chosen {
					opts = append(opts, web.Option{Value: chosen, Label: x.Contact})
				}
			}
		}
		f := form.Select(name, "implement.survey.form.contact", opts)
		f.Label = ""
		p.Units = append(p.Units, SurveyUnitRow{ID: u, Name: names[u], Checked: slices.Contains(ticked, idText),
			Contact: f, NoContact: len(contacts[u]) == 0})
	}
	return p, nil
}

func (h *handler) newSurvey(w http.ResponseWriter, r *http.Request) error {
	l, err := h.surveyFormList(r)
	if err != nil {
		return err
	}
	v := Survey{Deadline: h.svc.Today().AddDays(14)}
	form := surveyFormOf(v)
	recs, err := h.svc.surveyRecs(r.Context(), l.Support.ID)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		form.Values.Add("recommendation", strconv.FormatInt(rec.ID, 10))
	}
	for _, u := range l.Support.UnitIDs {
		form.Values.Add("unit", strconv.FormatInt(u, 10))
	}
	p, err := h.surveyFormPage(r, form, l, Survey{}, true)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "survey_form", "implement.survey.form.new_title", p, "support", l.Support.Title)
}

// surveyInputOf reads the posted questionnaire form.
func surveyInputOf(form *web.Form, implementationID int64) SurveyInput {
	in := SurveyInput{ImplementationID: implementationID, Title: form.Get("title"), Message: form.Get("message"),
		Deadline: form.Date("deadline"), RecommendationIDs: form.IDs("recommendation"), Units: []SurveyUnit{}}
	for _, u := range form.IDs("unit") {
		in.Units = append(in.Units, SurveyUnit{UnitID: u, ContactID: form.ID("contact." + strconv.FormatInt(u, 10))})
	}
	return in
}

func (h *handler) createSurvey(w http.ResponseWriter, r *http.Request) error {
	l, err := h.surveyFormList(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := surveyInputOf(form, l.Implementation.ID)
	if !form.HasErrors() {
		v, err := h.svc.CreateSurvey(r.Context(), in)
		if err == nil {
			h.web.AddFlash(r, "success", "implement.survey.created")
			return web.Redirect(w, r, surveyURL(l.Implementation.ID, v.ID))
		}
		if !form.Fail(err) {
			return err
		}
	}
	form.SortErrors(surveyFields...)
	p, err := h.surveyFormPage(r, form, l, Survey{}, true)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusUnprocessableEntity, "survey_form", "implement.survey.form.new_title", p, "support", l.Support.Title)
}

func (h *handler) editSurvey(w http.ResponseWriter, r *http.Request) error {
	l, sv, err := h.surveyToEdit(r)
	if err != nil {
		return err
	}
	if sv.Survey.Status != SurveyDraft {
		return web.Redirect(w, r, surveyURL(l.Implementation.ID, sv.Survey.ID))
	}
	p, err := h.surveyFormPage(r, surveyFormOf(sv.Survey), l, sv.Survey, false)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "survey_form", "implement.survey.form.edit_title", p, "title", sv.Survey.Title)
}

func (h *handler) saveSurvey(w http.ResponseWriter, r *http.Request) error {
	l, sv, err := h.surveyToEdit(r)
	if err != nil {
		return err
	}
	form, version, err := versionedForm(r)
	if err != nil {
		return err
	}
	in := surveyInputOf(form, l.Implementation.ID)
	in.ID, in.Version = sv.Survey.ID, version
	status := http.StatusUnprocessableEntity
	var conflict *Survey
	if !form.HasErrors() {
		v, err := h.svc.UpdateSurvey(r.Context(), in)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "implement.survey.saved")
			return web.Redirect(w, r, surveyURL(l.Implementation.ID, v.ID))
		case errors.Is(err, errs.ErrConflict):
			current := sv.Survey
			form.Conflict(current.Version, "implement.survey.conflict")
			status, conflict = http.StatusConflict, &current
		case !form.Fail(err):
			return err
		}
	}
	form.SortErrors(surveyFields...)
	p, err := h.surveyFormPage(r, form, l, sv.Survey, false)
	if err != nil {
		return err
	}
	p.Conflict = conflict
	return h.render(w, r, status, "survey_form", "implement.survey.form.edit_title", p, "title", sv.Survey.Title)
}

// SurveyCompRow is one recommendation's row of the compilation.
type SurveyCompRow struct {
	Rec catalog.Recommendation
	C   Compilation
}

// SurveyPage is the data of one questionnaire's page.
type SurveyPage struct {
	View SurveyView
	Rows []SurveyCompRow
	Form *web.Form // problems of the last step tried
}

func (h *handler) surveyPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderSurvey(w, r, http.StatusOK, web.NewForm())
}

func (h *handler) renderSurvey(w http.ResponseWriter, r *http.Request, status int, form *web.Form) error {
	id, sid, err := pathIDs(r, "sid")
	if err != nil {
		return err
	}
	sv, err := h.svc.Survey(r.Context(), id, sid)
	if err != nil {
		return err
	}
	p := SurveyPage{View: sv, Form: form}
	for _, rec := range sv.Recommendations {
		p.Rows = append(p.Rows, SurveyCompRow{Rec: rec, C: sv.Compilation[rec.ID]})
	}
	return h.render(w, r, status, "survey_page", "implement.survey.page.title", p, "title", sv.Survey.Title)
}

type surveyStepKind int

const (
	surveySend surveyStepKind = iota
	surveyRemind
	surveyClose
)

// surveyStep sends, reminds or closes a questionnaire.
func (h *handler) surveyStep(kind surveyStepKind) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, sid, err := pathIDs(r, "sid")
		if err != nil {
			return err
		}
		form, err := web.ParseForm(r)
		if err != nil {
			return err
		}
		ctx := r.Context()
		switch kind {
		case surveyRemind:
			var n int
			if n, err = h.svc.RemindNow(ctx, id, sid); err == nil {
				h.web.AddFlash(r, "success", "implement.survey.reminded", "count", n)
			}
		default:
			version, verr := form.Version()
			if verr != nil {
				return verr
			}
			if kind == surveySend {
				var v Survey
				if v, err = h.svc.SendSurvey(ctx, id, sid, version); err == nil {
					h.web.AddFlash(r, "success", "implement.survey.sent", "count", len(v.Recipients)-len(v.WithoutEmail()))
				}
			} else if _, err = h.svc.CloseSurvey(ctx, id, sid, version); err == nil {
				h.web.AddFlash(r, "success", "implement.survey.closed_now")
			}
		}
		switch {
		case err == nil:
			return web.Redirect(w, r, surveyURL(id, sid))
		case errors.Is(err, errs.ErrConflict):
			form = web.NewForm()
			form.AddError("conflict", "implement.survey.step_conflict")
			return h.renderSurvey(w, r, http.StatusConflict, form)
		case form.Fail(err):
			return h.renderSurvey(w, r, http.StatusUnprocessableEntity, form)
		}
		return err
	}
}

// SurveyAnswerRow is one recommendation of the answer form.
type SurveyAnswerRow struct {
	Rec     catalog.Recommendation
	Field   string // answer.{id}
	Choice  string // the compliance chosen
	Comment web.FieldView
	Error   *errs.Field
	Saved   SurveyAnswer // as stored, shown beside the input after a conflict
}

// SurveyAnswerPage is the data of a unit's answer form.
type SurveyAnswerPage struct {
	View        SurveyAnswerView
	Form        *web.Form
	Rows        []SurveyAnswerRow
	Compliances []Compliance
	Conflict    bool
}

func surveyAnswerForm(a SurveyAnswerView) *web.Form {
	form := web.NewForm()
	for rec, ans := range a.Answers {
		id := strconv.FormatInt(rec, 10)
		form.Set("answer."+id, string(ans.Compliance))
		form.Set("comment."+id, ans.Comment)
	}
	form.SetVersion(a.Recipient.Version)
	return form
}

func surveyAnswerPage(a SurveyAnswerView, form *web.Form, conflict bool) SurveyAnswerPage {
	p := SurveyAnswerPage{View: a, Form: form, Compliances: Compliances, Conflict: conflict}
	for _, rec := range a.Recommendations {
		id := strconv.FormatInt(rec.ID, 10)
		c := "comment." + id
		p.Rows = append(p.Rows, SurveyAnswerRow{Rec: rec, Field: "answer." + id, Choice: form.Get("answer." + id),
			Comment: web.FieldView{ID: "f-" + c, Name: c, Label: "implement.survey.answer.comment", Value: form.Get(c), Error: form.ErrorFor(c)},
			Error:   form.ErrorFor("answer." + id), Saved: a.Answers[rec.ID]})
	}
	return p
}

func (h *handler) answerForm(w http.ResponseWriter, r *http.Request) error {
	rid, err := web.PathInt(r, "rid")
	if err != nil {
		return err
	}
	a, err := h.svc.Answer(r.Context(), rid)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "survey_answer", "implement.survey.answer.title",
		surveyAnswerPage(a, surveyAnswerForm(a), false), "support", a.Support.Title)
}

func (h *handler) saveAnswer(w http.ResponseWriter, r *http.Request) error {
	rid, err := web.PathInt(r, "rid")
	if err != nil {
		return err
	}
	a, err := h.svc.Answer(r.Context(), rid)
	if err != nil {
		return err
	}
	form, version, err := versionedForm(r)
	if err != nil {
		return err
	}
	var answers []SurveyAnswer
	for _, rec := range a.Survey.RecommendationIDs {
		id := strconv.FormatInt(rec, 10)
		answers = append(answers, SurveyAnswer{RecommendationID: rec, Compliance: Compliance(form.Get("answer." + id)),
			Comment: form.Get("comment." + id)})
	}
	saved, err := h.svc.SaveAnswer(r.Context(), rid, version, answers)
	switch {
	case err == nil:
		key := "implement.survey.answer.saved"
		if saved.Late() {
			key = "implement.survey.answer.saved_late"
		}
		h.web.AddFlash(r, "success", key)
		return web.Redirect(w, r, AnswerURL(rid))
	case errors.Is(err, errs.ErrConflict):
		form.Conflict(a.Recipient.Version, "implement.survey.answer.conflict")
		return h.render(w, r, http.StatusConflict, "survey_answer", "implement.survey.answer.title",
			surveyAnswerPage(a, form, true), "support", a.Support.Title)
	case form.Fail(err):
		return h.render(w, r, http.StatusUnprocessableEntity, "survey_answer", "implement.survey.answer.title",
			surveyAnswerPage(a, form, false), "support", a.Support.Title)
	}
	return err
}

// MyUnitPage is the data of the user's own unit's page.
type MyUnitPage struct {
	Mine MyUnit
}

func (h *handler) myUnit(w http.ResponseWriter, r *http.Request) error {
	mine, err := h.svc.MyUnit(r.Context())
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "myunit_page", "implement.myunit.title", MyUnitPage{Mine: mine})
}
