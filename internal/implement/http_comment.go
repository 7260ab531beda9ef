package implement

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// commentRoutes registers the plan's history, the comment rounds and the
// recipients' comment page. Who may do what is the service's to decide: the
// working group sends, answers and closes; a unit's or municipality's people
// (or the coordinator on their behalf) comment.
func (h *handler) commentRoutes() {
	h.web.Handle("GET /inforande/{id}/historik", Read, h.history)
	h.web.Handle("POST /inforande/{id}/historik", Read, h.saveRevision)
	h.web.Handle("GET /inforande/{id}/remiss/ny", Read, h.newCommentRound)
	h.web.Handle("POST /inforande/{id}/remiss/ny", Read, h.sendCommentRound)
	h.web.Handle("GET /inforande/{id}/remiss/{rid}", Read, h.commentRound)
	h.web.Handle("POST /inforande/{id}/remiss/{rid}/stang", Read, h.closeCommentRound)
	h.web.Handle("POST /inforande/{id}/remiss/{rid}/svar/{cid}", Read, h.answerComment)
	h.web.Handle("GET /remissvar/{recipient}", Read, h.commentRecipient)
	h.web.Handle("POST /remissvar/{recipient}", Read, h.addComment)
}

func historyURL(id int64) string { return "/inforande/" + web.IDText(id) + "/historik" }

func commentRoundURL(id, rid int64) string {
	return "/inforande/" + web.IDText(id) + "/remiss/" + web.IDText(rid)
}

// The history page.

// HistoryPage is the data of the plan's history page.
type HistoryPage struct {
	History
	// Form is the "save revision" form; Conflict is set when it was sent
	// after someone else changed the implementation.
	Form     *web.Form
	Conflict bool
	// Editable: the user saves revisions and sends the plan for comments.
	Editable bool
}

func (h *handler) historyPage(w http.ResponseWriter, r *http.Request, status int, id int64, form *web.Form, conflict bool) error {
	hist, err := h.svc.History(r.Context(), id)
	if err != nil {
		return err
	}
	if form == nil {
		form = web.NewForm()
		form.SetVersion(hist.Implementation.Version)
	}
	if conflict {
		form.SetVersion(hist.Implementation.Version)
	}
	data := HistoryPage{History: hist, Form: form, Conflict: conflict,
		Editable: hist.Rights.Edit && hist.Implementation.IntroducedOn.IsZero()}
	return h.render(w, r, status, "comment_history", "implement.history.title", data, "title", hist.SupportTitle)
}

func (h *handler) history(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	return h.historyPage(w, r, http.StatusOK, id, nil, false)
}

func (h *handler) saveRevision(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, version, err := versionedForm(r)
	if err != nil {
		return err
	}
	rev, err := h.svc.SaveRevision(r.Context(), id, form.Raw("note"), version)
	switch {
	case err == nil:
		h.web.AddFlash(r, "success", "implement.revision.saved", "number", rev.Number)
		return web.Redirect(w, r, historyURL(id))
	case errors.Is(err, errs.ErrConflict):
		form.AddError("conflict", "implement.revision.conflict")
		return h.historyPage(w, r, http.StatusConflict, id, form, true)
	case form.Fail(err):
		return h.historyPage(w, r, http.StatusUnprocessableEntity, id, form, false)
	}
	return err
}

// The form that sends the plan for comments.

// CommentRoundFormPage is the data of the page that sends the plan for comments.
type CommentRoundFormPage struct {
	Implementation Implementation
	Choices        NewRoundChoices
	Form           *web.Form
	Units          []RecipientCheck
	Municipalities []RecipientCheck
}

// RecipientCheck is one checkbox of the send form.
type RecipientCheck struct {
	ID      string
	Value   string
	Name    string
	Checked bool
}

func recipientChecks(prefix string, cs []RecipientChoice, chosen []string) []RecipientCheck {
	out := make([]RecipientCheck, 0, len(cs))
	for _, c := range cs {
		out = append(out, RecipientCheck{ID: prefix + c.Value, Value: c.Value, Name: c.Name, Checked: slices.Contains(chosen, c.Value)})
	}
	return out
}

func (h *handler) commentRoundForm(w http.ResponseWriter, r *http.Request, status int, id int64, form *web.Form) error {
	m, choices, err := h.svc.RoundChoices(r.Context(), id)
	if err != nil {
		return err
	}
	if form == nil {
		form = web.NewForm()
		form.Set("deadline", h.svc.Today().AddDays(21).String())
	}
	data := CommentRoundFormPage{Implementation: m, Choices: choices, Form: form,
		Units:          recipientChecks("unit-", choices.Units, form.Values["unit_ids"]),
		Municipalities: recipientChecks("municipality-", choices.Municipalities, form.Values["municipalities"])}
	return h.render(w, r, status, "comment_round_form", "implement.comment.new_title", data, "title", choices.SupportTitle)
}

func (h *handler) newCommentRound(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	return h.commentRoundForm(w, r, http.StatusOK, id, nil)
}

func (h *handler) sendCommentRound(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := CommentRound{Message: form.Raw("message"), Deadline: form.Date("deadline"), UnitIDs: form.IDs("unit_ids"),
		Municipalities: form.Values["municipalities"]}
	if !form.HasErrors() {
		rd, err := h.svc.SendForComments(r.Context(), id, in)
		if err == nil {
			h.web.AddFlash(r, "success", "implement.comment.sent", "count", len(rd.Recipients))
			return web.Redirect(w, r, commentRoundURL(id, rd.ID))
		}
		if !form.Fail(err) {
			return err
		}
	}
	form.SortErrors("plan", "deadline", "message", "recipients", "unit_ids", "municipalities")
	return h.commentRoundForm(w, r, http.StatusUnprocessableEntity, id, form)
}

// One round.

// CommentRoundPage is the data of a comment round's page.
type CommentRoundPage struct {
	CommentRoundDetail
	ImplementationID int64
	// Answer is the answer form that failed, for comment AnswerID.
	Answer   *web.Form
	AnswerID int64
	// Close is the close form that failed.
	Close *web.Form
}

// AnswerFor returns the form of comment c's answer: the failed one, or one
// holding the saved answer.
func (p CommentRoundPage) AnswerFor(c PlanComment) *web.Form {
	if p.Answer != nil && p.AnswerID == c.ID {
		return p.Answer
	}
	f := web.NewForm()
	f.Set("answer", c.Answer)
	f.SetVersion(c.Version)
	return f
}

// Errors is every problem of the page's failed forms, for the summary.
func (p CommentRoundPage) Errors() *web.Form {
	f := web.NewForm()
	if p.Answer != nil {
		f.Errors = append(f.Errors, p.Answer.Errors...)
	}
	if p.Close != nil {
		f.Errors = append(f.Errors, p.Close.Errors...)
	}
	return f
}

func (h *handler) commentRoundPage(w http.ResponseWriter, r *http.Request, status int, page CommentRoundPage) error {
	d, err := h.svc.CommentRoundOf(r.Context(), page.ImplementationID, page.Round.ID)
	if err != nil {
		return err
	}
	page.CommentRoundDetail = d
	if page.Answer != nil && page.Answer.ErrorFor("conflict") != nil {
		// Someone else answered first: the form takes the saved version and
		// says what was saved, so that sending it again replaces it knowingly.
		page.Answer.Errors = nil
		for _, rc := range d.Round.Recipients {
			for _, c := range rc.Comments {
				if c.ID == page.AnswerID {
					page.Answer.SetVersion(c.Version)
					page.Answer.AddError("answer-"+strconv.FormatInt(c.ID, 10), "implement.comment.answer_conflict", "answer", c.Answer, "by", c.AnsweredBy)
				}
			}
		}
	}
	return h.render(w, r, status, "comment_round", "implement.comment.round_title", page,
		"title", d.SupportTitle, "number", d.Round.Revision)
}

func (h *handler) commentRound(w http.ResponseWriter, r *http.Request) error {
	id, rid, err := pathIDs(r, "rid")
	if err != nil {
		return err
	}
	return h.commentRoundPage(w, r, http.StatusOK, CommentRoundPage{ImplementationID: id, CommentRoundDetail: CommentRoundDetail{Round: CommentRound{ID: rid}}})
}

func (h *handler) closeCommentRound(w http.ResponseWriter, r *http.Request) error {
	id, rid, err := pathIDs(r, "rid")
	if err != nil {
		return err
	}
	form, version, err := versionedForm(r)
	if err != nil {
		return err
	}
	page := CommentRoundPage{ImplementationID: id, CommentRoundDetail: CommentRoundDetail{Round: CommentRound{ID: rid}}, Close: form}
	_, err = h.svc.CloseRound(r.Context(), id, rid, version)
	switch {
	case err == nil:
		h.web.AddFlash(r, "success", "implement.comment.closed")
		return web.Redirect(w, r, commentRoundURL(id, rid))
	case errors.Is(err, errs.ErrConflict):
		form.AddError("close", "implement.comment.close_conflict")
		return h.commentRoundPage(w, r, http.StatusConflict, page)
	}
	return err
}

func (h *handler) answerComment(w http.ResponseWriter, r *http.Request) error {
	id, rid, err := pathIDs(r, "rid")
	if err != nil {
		return err
	}
	cid, err := web.PathInt(r, "cid")
	if err != nil {
		return err
	}
	form, version, err := versionedForm(r)
	if err != nil {
		return err
	}
	name := "answer-" + strconv.FormatInt(cid, 10)
	page := CommentRoundPage{ImplementationID: id, CommentRoundDetail: CommentRoundDetail{Round: CommentRound{ID: rid}}, Answer: form, AnswerID: cid}
	_, err = h.svc.answerComment(r.Context(), id, rid, cid, form.Raw("answer"), version)
	switch {
	case err == nil:
		h.web.AddFlash(r, "success", "implement.comment.answered")
		return web.Redirect(w, r, commentRoundURL(id, rid)+"#comment-"+strconv.FormatInt(cid, 10))
	case errors.Is(err, errs.ErrConflict):
		form.AddError("conflict", "implement.comment.answer_conflict")
		return h.commentRoundPage(w, r, http.StatusConflict, page)
	}
	if v, ok := errs.AsValidation(err); ok {
		for _, f := range v.Fields {
			form.AddError(name, f.Key, f.Args...)
		}
		return h.commentRoundPage(w, r, http.StatusUnprocessableEntity, page)
	}
	return err
}

// The recipient's page.

// CommentRecipientPage is the data of a recipient's comment page.
type CommentRecipientPage struct {
	CommentRecipientView
	Form *web.Form
}

func (h *handler) commentRecipientPage(w http.ResponseWriter, r *http.Request, status int, id int64, form *web.Form) error {
	v, err := h.svc.ViewCommentRecipient(r.Context(), id)
	if err != nil {
		return err
	}
	if form == nil {
		form = web.NewForm()
	}
	return h.render(w, r, status, "comment_recipient", "implement.comment.recipient_title", CommentRecipientPage{CommentRecipientView: v, Form: form},
		"title", v.SupportTitle, "recipient", v.Recipient.Name)
}

func (h *handler) commentRecipient(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathInt(r, "recipient")
	if err != nil {
		return err
	}
	return h.commentRecipientPage(w, r, http.StatusOK, id, nil)
}

func (h *handler) addComment(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathInt(r, "recipient")
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	c, err := h.svc.AddComment(r.Context(), id, form.Raw("body"))
	switch {
	case err == nil:
		key := "implement.comment.added"
		if c.Late {
			key = "implement.comment.added_late"
		}
		h.web.AddFlash(r, "success", key)
		return web.Redirect(w, r, commentRecipientHref(id))
	case form.Fail(err):
		return h.commentRecipientPage(w, r, http.StatusUnprocessableEntity, id, form)
	}
	return err
}
