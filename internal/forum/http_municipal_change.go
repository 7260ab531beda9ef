package forum

import (
	"net/http"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// requestChange runs a change of a sent request (a new deadline, or a
// withdrawal) from the case's board and goes back to the board, with the
// outcome as a message: the board is where the coordinator sees every
// municipality's request, so a refusal is shown there rather than on a page
// of its own.
func (h *handler) requestChange(w http.ResponseWriter, r *http.Request, change func(form *web.Form, id, version int64) (MunicipalRequest, string, error)) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	before, err := h.svc.MunicipalRequest(r.Context(), id)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	back := "/arenden/" + web.IDText(before.CaseID) + "/kommuner"
	version, err := form.Version()
	if err != nil {
		return err
	}
	after, key, err := change(form, id, version)
	if form.HasErrors() {
		err = &errs.ValidationError{Fields: form.Errors}
	}
	switch {
	case err == nil:
		h.web.AddFlash(r, "success", key, "name", after.MunicipalityName, "date", after.Deadline.String())
	case errs.KindOf(err) == errs.Invalid:
		v, _ := errs.AsValidation(err)
		for _, f := range v.Fields {
			h.web.AddFlash(r, "error", f.Key, append([]any{"name", before.MunicipalityName}, f.Args...)...)
		}
	case errs.KindOf(err) == errs.Conflict || errs.KindOf(err) == errs.NotFound:
		h.web.AddFlash(r, "error", "forum.municipal.request_changed", "name", before.MunicipalityName)
	default:
		return err
	}
	return web.Redirect(w, r, back)
}

func (h *handler) municipalDeadline(w http.ResponseWriter, r *http.Request) error {
	return h.requestChange(w, r, func(form *web.Form, id, version int64) (MunicipalRequest, string, error) {
		deadline := form.Date("deadline")
		if form.Get("deadline") == "" {
			form.AddError("deadline", "validation.required")
		}
		if form.HasErrors() {
			return MunicipalRequest{}, "", nil
		}
		after, err := h.svc.ChangeDeadline(r.Context(), id, version, deadline)
		return after, "forum.municipal.deadline_changed", err
	})
}

func (h *handler) municipalWithdraw(w http.ResponseWriter, r *http.Request) error {
	return h.requestChange(w, r, func(_ *web.Form, id, version int64) (MunicipalRequest, string, error) {
		before, err := h.svc.WithdrawRequest(r.Context(), id, version)
		return before, "forum.municipal.withdrawn", err
	})
}
