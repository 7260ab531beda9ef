package catalog

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

var recFields = []string{"conflict", "code", "text", "priority", "do_not_do", "research_only"}

// recFromForm reads the recommendation form on top of base.
func recFromForm(form *web.Form, base Recommendation, kind Kind) Recommendation {
	rec := base
	rec.Code, rec.Text = form.Get("code"), form.Get("text")
	rec.Priority = 0
	if s := form.Get("priority"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 10 {
			form.AddError("priority", "validation.range", "min", 1, "max", 10)
		} else {
			rec.Priority = n
		}
	}
	rec.DoNotDo = form.Get("do_not_do") != ""
	rec.ResearchOnly = form.Get("research_only") != ""
	check := rec
	check.Normalize()
	form.Merge(check.Validate(kind))
	return rec
}

func recFormOf(rec Recommendation) *web.Form {
	form := web.NewForm()
	form.Set("code", rec.Code)
	form.Set("text", rec.Text)
	if rec.Priority > 0 {
		form.Set("priority", strconv.Itoa(rec.Priority))
	}
	if rec.DoNotDo {
		form.Set("do_not_do", "1")
	}
	if rec.ResearchOnly {
		form.Set("research_only", "1")
	}
	form.SetVersion(rec.Version)
	return form
}

func (h *handler) addRecommendation(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	sp, err := h.svc.Support(r.Context(), id)
	if err != nil {
		return err
	}
	rec := recFromForm(form, Recommendation{SupportID: id}, sp.Kind)
	if !form.HasErrors() {
		saved, err := h.svc.CreateRecommendation(r.Context(), rec)
		if err == nil {
			h.web.AddFlash(r, "success", "catalog.recommendation.added", "code", saved.Code)
			return web.Redirect(w, r, "/kunskapsstod/"+web.IDText(id)+"#recommendations-title")
		}
		if !form.Fail(err) {
			return err
		}
	}
	form.SortErrors(recFields...)
	return h.renderSupport(w, r, http.StatusUnprocessableEntity, id, pageForms{rec: form})
}

// RecPage is the data of the recommendation edit page.
type RecPage struct {
	Support        Support
	Recommendation Recommendation
	Form           *web.Form
	Guideline      bool
	Conflict       *Recommendation
}

// recommendationOf reads {id} and {rec} and checks they belong together.
func (h *handler) recommendationOf(r *http.Request) (Support, Recommendation, error) {
	id, err := web.PathID(r)
	if err != nil {
		return Support{}, Recommendation{}, err
	}
	recID, err := web.PathInt(r, "rec")
	if err != nil {
		return Support{}, Recommendation{}, err
	}
	sp, err := h.svc.Support(r.Context(), id)
	if err != nil {
		return Support{}, Recommendation{}, err
	}
	rec, err := h.svc.Recommendation(r.Context(), recID)
	if err != nil {
		return Support{}, Recommendation{}, err
	}
	if rec.SupportID != sp.ID {
		return Support{}, Recommendation{}, errs.ErrNotFound
	}
	return sp, rec, nil
}

func (h *handler) editRecommendation(w http.ResponseWriter, r *http.Request) error {
	sp, rec, err := h.recommendationOf(r)
	if err != nil {
		return err
	}
	data := RecPage{Support: sp, Recommendation: rec, Form: recFormOf(rec), Guideline: sp.Kind == NationalGuideline}
	return h.render(w, r, http.StatusOK, "recommendation_form", "catalog.recommendation.edit_title", data, "title", sp.Title)
}

func (h *handler) saveRecommendation(w http.ResponseWriter, r *http.Request) error {
	sp, current, err := h.recommendationOf(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	edit := recFromForm(form, current, sp.Kind)
	edit.Version = version
	status := http.StatusUnprocessableEntity
	data := RecPage{Support: sp, Form: form, Guideline: sp.Kind == NationalGuideline}
	if !form.HasErrors() {
		_, err := h.svc.UpdateRecommendation(r.Context(), edit)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "catalog.recommendation.saved")
			return web.Redirect(w, r, "/kunskapsstod/"+web.IDText(sp.ID)+"#recommendations-title")
		case errors.Is(err, errs.ErrConflict):
			if current, err = h.svc.Recommendation(r.Context(), current.ID); err != nil {
				return err
			}
			form.Conflict(current.Version, "catalog.conflict")
			status = http.StatusConflict
			data.Conflict = &current
		case !form.Fail(err):
			return err
		}
	}
	form.SortErrors(recFields...)
	data.Recommendation = current
	return h.render(w, r, status, "recommendation_form", "catalog.recommendation.edit_title", data, "title", sp.Title)
}

func (h *handler) deleteRecommendation(w http.ResponseWriter, r *http.Request) error {
	sp, rec, err := h.recommendationOf(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	if err := h.svc.DeleteRecommendation(r.Context(), rec.ID, version); err != nil {
		if errors.Is(err, errs.ErrConflict) {
			h.web.AddFlash(r, "error", "catalog.recommendation.delete_conflict")
			return web.Redirect(w, r, "/kunskapsstod/"+web.IDText(sp.ID)+"#recommendations-title")
		}
		return err
	}
	h.web.AddFlash(r, "success", "catalog.recommendation.deleted")
	return web.Redirect(w, r, "/kunskapsstod/"+web.IDText(sp.ID)+"#recommendations-title")
}
