package forum

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

func (h *handler) municipalRoutes(s *web.Server) {
	s.Handle("GET /arenden/{id}/kommuner", Read, h.municipalBoard)
	s.Handle("POST /arenden/{id}/kommuner", Write, h.municipalSend)
	s.Handle("POST /kommuner/utskick/{id}/svarsdatum", Write, h.municipalDeadline)
	s.Handle("POST /kommuner/utskick/{id}/aterkalla", Write, h.municipalWithdraw)
	s.Handle("GET /kommuner/arenden", Read, h.municipalMatrix)
	s.Handle("GET /kommuner/kontakter", Write, h.municipalContacts)
	s.Handle("POST /kommuner/kontakter", Write, h.municipalAddContact)
	s.Handle("POST /kommuner/kontakter/ta-bort", Write, h.municipalRemoveContact)
	s.Handle("GET /kommunsvar", Respond, h.answerList)
	s.Handle("GET /kommunsvar/{id}", Respond, h.answerPage)
	s.Handle("POST /kommunsvar/{id}", Respond, h.answerSave)
}

func canRead(r *http.Request) bool { return access.From(r.Context()).Can(Read) }

// The status board of a case and the sending form.

// MunicipalBoardPage is the data of a case's board of municipal answers, with
// the form that sends the case to more municipalities.
type MunicipalBoardPage struct {
	Board     MunicipalBoard
	Form      *web.Form
	Unsent    []MunicipalityRef
	Checked   map[string]bool // municipalities ticked in the form
	CanWrite  bool
	CanAnswer bool
}

// sendFields is the order of the sending form's fields.
var sendFields = []string{"municipalities", "sent_on", "deadline", "question"}

func (h *handler) boardPage(r *http.Request, caseID int64, form *web.Form) (MunicipalBoardPage, error) {
	b, err := h.svc.MunicipalBoard(r.Context(), caseID)
	if err != nil {
		return MunicipalBoardPage{}, err
	}
	data := MunicipalBoardPage{Board: b, Form: form, Unsent: b.Unsent(), Checked: map[string]bool{},
		CanWrite: canWrite(r), CanAnswer: access.From(r.Context()).Can(Respond)}
	if form == nil {
		// A new sending: every municipality not yet sent to, today, and the
		// deadline and question of the last sending.
		data.Form = web.NewForm()
		data.Form.Set("sent_on", h.svc.Today().String())
		for _, m := range data.Unsent {
			data.Checked[m.Code] = true
		}
		if n := len(b.Requests); n > 0 {
			last := slices.MaxFunc(b.Requests, func(a, b MunicipalRequest) int { return int(a.ID - b.ID) })
			data.Form.Set("question", last.Question)
			if !last.Deadline.Before(h.svc.Today()) {
				data.Form.Set("deadline", last.Deadline.String())
			}
		}
		return data, nil
	}
	for _, code := range form.Values["municipalities"] {
		data.Checked[code] = true
	}
	return data, nil
}

func (h *handler) municipalBoard(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	data, err := h.boardPage(r, id, nil)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "municipal_board", "forum.municipal.board_title", data, "number", data.Board.Case.Number)
}

func (h *handler) municipalSend(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := Send{Municipalities: form.Values["municipalities"], SentOn: form.Date("sent_on"), Deadline: form.Date("deadline"), Question: form.Get("question")}
	if !form.HasErrors() {
		form.Merge(ValidateSend(in.SentOn, in.Deadline, in.Question, in.Municipalities))
	}
	if !form.HasErrors() {
		sent, err := h.svc.SendToMunicipalities(r.Context(), id, in)
		if err == nil {
			if len(sent) == 1 {
				h.web.AddFlash(r, "success", "forum.municipal.sent_one", "name", sent[0].MunicipalityName)
			} else {
				h.web.AddFlash(r, "success", "forum.municipal.sent_many", "count", len(sent))
			}
			return web.Redirect(w, r, "/arenden/"+web.IDText(id)+"/kommuner")
		}
		if !form.Fail(err) {
			return err
		}
	}
	form.SortErrors(sendFields...)
	data, err := h.boardPage(r, id, form)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusUnprocessableEntity, "municipal_board", "forum.municipal.board_title", data, "number", data.Board.Case.Number)
}

// The board of cases × municipalities.

// MunicipalMatrixPage is the data of the board per municipality: the matrix
// of cases × municipalities, or, with one municipality chosen, its requests.
type MunicipalMatrixPage struct {
	Form         *web.Form
	Municipality web.FieldView
	Answer       web.FieldView
	Status       web.FieldView
	Year         web.FieldView
	Filtered     bool
	Matrix       MunicipalMatrix
	Chosen       *MunicipalityRef   // the municipality of the per-municipality view
	Requests     []MunicipalRequest // its requests
	Summary      MunicipalSummary   // and their counts
	Today        date.Date          // for overdue marks
}

// MunicipalLink is the address of the per-municipality view of code.
func (p MunicipalMatrixPage) MunicipalLink(code string) string {
	q := url.Values{}
	for _, k := range []string{"answer", "status", "year", "overdue"} {
		if v := p.Form.Get(k); v != "" {
			q.Set(k, v)
		}
	}
	q.Set("kommun", code)
	return "/kommuner/arenden?" + q.Encode()
}

func (h *handler) municipalMatrix(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	form := web.QueryForm(r)
	f := RequestFilter{Municipality: form.Get("kommun"), Answer: Answer(form.Get("answer")), Status: Status(form.Get("status")), Overdue: form.Get("overdue") != ""}
	if y := form.Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			form.AddError("year", "validation.integer")
		}
		f.Year = n
	}
	if !form.HasErrors() {
		if v, ok := errs.AsValidation(f.Validate()); ok {
			for _, fe := range v.Fields {
				if fe.Name == "municipality" {
					fe.Name = "kommun"
				}
				form.Errors = append(form.Errors, fe)
			}
		}
	}
	home, err := h.svc.HomeMunicipalities(ctx)
	if err != nil {
		return err
	}
	var chosen *MunicipalityRef
	if f.Municipality != "" {
		i := slices.IndexFunc(home, func(m MunicipalityRef) bool { return m.Code == f.Municipality })
		if i < 0 {
			form.AddError("kommun", "validation.choice")
		} else {
			chosen = &home[i]
		}
	}
	munOptions := municipalityOptions(home, "forum.municipal.all_municipalities")
	var recent []int
	for y := h.svc.Today().Year(); y >= h.svc.Today().Year()-5; y-- {
		recent = append(recent, y)
	}
	years := yearOptions(recent)
	data := MunicipalMatrixPage{
		Form: form, Today: h.svc.Today(), Chosen: chosen,
		Municipality: form.Select("kommun", "forum.municipal.municipality", munOptions),
		Answer:       form.Select("answer", "forum.municipal.answer", append([]web.Option{web.Choose("common.all")}, web.EnumOptions(Answers, "forum.answer.")...)),
		Status:       form.Select("status", "forum.municipal.case_status", append([]web.Option{web.Choose("common.all")}, web.EnumOptions(Statuses, "forum.status.")...)),
		Year:         form.Select("year", "forum.municipal.year", years),
		Filtered:     f != RequestFilter{},
	}
	if form.HasErrors() {
		return h.render(w, r, http.StatusUnprocessableEntity, "municipal_matrix", "forum.municipal.matrix_title", data)
	}
	if chosen != nil {
		if data.Requests, err = h.svc.MunicipalRequests(ctx, f); err != nil {
			return err
		}
		data.Summary = Summarize(data.Requests, data.Today)
		return h.render(w, r, http.StatusOK, "municipal_matrix", "forum.municipal.one_title", data, "name", chosen.Name)
	}
	if data.Matrix, err = h.svc.MunicipalMatrix(ctx, f); err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "municipal_matrix", "forum.municipal.matrix_title", data)
}

// The register of contacts.

// ContactGroup is a municipality with its contacts.
type ContactGroup struct {
	Municipality MunicipalityRef
	Contacts     []Contact
}

// MunicipalContactsPage is the data of the register of who answers for which
// municipality.
type MunicipalContactsPage struct {
	Groups       []ContactGroup
	Form         *web.Form
	Municipality web.FieldView
	User         web.FieldView
	NoAccounts   bool
}

func (h *handler) contactsPage(r *http.Request, form *web.Form) (MunicipalContactsPage, error) {
	ctx := r.Context()
	home, err := h.svc.HomeMunicipalities(ctx)
	if err != nil {
		return MunicipalContactsPage{}, err
	}
	contacts, err := h.svc.Contacts(ctx)
	if err != nil {
		return MunicipalContactsPage{}, err
	}
	accounts, err := h.svc.MunicipalAccounts(ctx)
	if err != nil {
		return MunicipalContactsPage{}, err
	}
	data := MunicipalContactsPage{Form: form, NoAccounts: len(accounts) == 0}
	for _, m := range home {
		g := ContactGroup{Municipality: m}
		for _, c := range contacts {
			if c.Municipality == m.Code {
				g.Contacts = append(g.Contacts, c)
			}
		}
		data.Groups = append(data.Groups, g)
	}
	munOptions := municipalityOptions(home, "forum.choose")
	userOptions := []web.Option{web.Choose("forum.choose")}
	for _, a := range accounts {
		userOptions = append(userOptions, web.Option{Value: web.IDText(a.ID), Label: a.Name + " (" + a.Username + ")"})
	}
	data.Municipality = form.Select("municipality", "forum.municipal.municipality", munOptions, "required")
	data.User = form.Select("user_id", "forum.municipal.contact_user", userOptions, "required", "hint=forum.municipal.contact_user_hint")
	return data, nil
}

func (h *handler) municipalContacts(w http.ResponseWriter, r *http.Request) error {
	data, err := h.contactsPage(r, web.NewForm())
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "municipal_contacts", "forum.municipal.contacts_title", data)
}

func (h *handler) municipalAddContact(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	municipality := form.Get("municipality")
	if municipality == "" {
		form.AddError("municipality", "validation.required")
	}
	userID := form.ID("user_id")
	if userID == 0 && form.ErrorFor("user_id") == nil {
		form.AddError("user_id", "validation.required")
	}
	if !form.HasErrors() {
		c, err := h.svc.AddContact(r.Context(), municipality, userID)
		if err == nil {
			h.web.AddFlash(r, "success", "forum.municipal.contact_added", "name", c.UserName, "municipality", c.MunicipalityName)
			return web.Redirect(w, r, "/kommuner/kontakter")
		}
		if !form.Fail(err) {
			return err
		}
	}
	form.SortErrors("municipality", "user_id")
	data, err := h.contactsPage(r, form)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusUnprocessableEntity, "municipal_contacts", "forum.municipal.contacts_title", data)
}

func (h *handler) municipalRemoveContact(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	userID := form.ID("user_id")
	if form.HasErrors() || userID == 0 {
		return errs.Invalidf("user_id", "validation.form")
	}
	err = h.svc.RemoveContact(r.Context(), form.Get("municipality"), userID)
	switch {
	case err == nil:
		h.web.AddFlash(r, "success", "forum.municipal.contact_removed")
	case errors.Is(err, errs.ErrNotFound):
		h.web.AddFlash(r, "error", "forum.municipal.contact_gone")
	default:
		return err
	}
	return web.Redirect(w, r, "/kommuner/kontakter")
}

// The kommun user's pages.

// AnswerListPage is the data of the list of cases sent to the user's
// municipalities (all municipalities for the coordinator).
type AnswerListPage struct {
	Requests       []MunicipalRequest
	Pending        int
	Overdue        int
	Today          date.Date
	CanRead        bool
	Municipalities []string // names of the user's municipalities; empty for the coordinator
	NoMunicipality bool     // a kommun user who answers for no municipality yet
}

func (h *handler) answerList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := access.From(ctx)
	data := AnswerListPage{Today: h.svc.Today(), CanRead: canRead(r)}
	requests, err := h.svc.MunicipalRequests(ctx, RequestFilter{})
	if err != nil {
		return err
	}
	if !isCoordinator(p) {
		// A kommun user, or a reader who is also a contact, sees here only
		// the requests to their own municipalities.
		codes, err := h.svc.MunicipalitiesOf(ctx, p.UserID)
		if err != nil {
			return err
		}
		home, err := h.svc.HomeMunicipalities(ctx)
		if err != nil {
			return err
		}
		for _, m := range home {
			if slices.Contains(codes, m.Code) {
				data.Municipalities = append(data.Municipalities, m.Name)
			}
		}
		data.NoMunicipality = len(codes) == 0
		requests = slices.DeleteFunc(requests, func(x MunicipalRequest) bool { return !slices.Contains(codes, x.Municipality) })
	}
	data.Requests = requests
	for _, x := range requests {
		if x.Answer == Pending {
			data.Pending++
		}
		if x.Overdue(data.Today) {
			data.Overdue++
		}
	}
	return h.render(w, r, http.StatusOK, "answer_list", "forum.answer_list.title", data)
}

// AnswerPage is the data of a request's page: the case, the question, its
// documents, the answer form and the answers given so far.
type AnswerPage struct {
	Request   MunicipalRequest
	Case      Case
	Documents []Document
	History   []AnswerChange
	Form      *web.Form
	Answers   []Answer // the choices of the form
	Conflict  *MunicipalRequest
	Today     date.Date
	CanRead   bool
	CanWrite  bool // the coordinator, who may give the day an answer arrived
}

// answerFields is the order of the answer form's fields.
var answerFields = []string{"conflict", "municipality", "answer", "comment", "answered_on"}

func (h *handler) answerData(r *http.Request, id int64, form *web.Form) (AnswerPage, error) {
	ctx := r.Context()
	req, err := h.svc.MunicipalRequest(ctx, id)
	if err != nil {
		return AnswerPage{}, err
	}
	c, err := h.svc.RequestCase(ctx, id)
	if err != nil {
		return AnswerPage{}, err
	}
	data := AnswerPage{Request: req, Case: c, Form: form, Answers: []Answer{Accepts, AcceptsWithComments, Declines},
		Today: h.svc.Today(), CanRead: canRead(r), CanWrite: canWrite(r)}
	if data.Documents, err = h.svc.RequestDocuments(ctx, id); err != nil {
		return AnswerPage{}, err
	}
	if data.History, err = h.svc.AnswerHistory(ctx, id); err != nil {
		return AnswerPage{}, err
	}
	if form == nil {
		data.Form = answerFormOf(req)
	}
	return data, nil
}

// answerFormOf fills the answer form with the request's current answer.
func answerFormOf(req MunicipalRequest) *web.Form {
	form := web.NewForm()
	if req.Answer != Pending {
		form.Set("answer", string(req.Answer))
		form.Set("comment", req.Comment)
	}
	form.SetVersion(req.Version)
	return form
}

func (h *handler) answerPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	data, err := h.answerData(r, id, nil)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "answer", "forum.answer.title", data, "number", data.Request.CaseNumber, "name", data.Request.MunicipalityName)
}

func (h *handler) answerSave(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	// A kommun user learns nothing of another municipality's request.
	current, err := h.svc.MunicipalRequest(r.Context(), id)
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
	in := Reply{Answer: Answer(form.Get("answer")), Comment: form.Get("comment"), AnsweredOn: form.Date("answered_on"), Version: version}
	status := http.StatusUnprocessableEntity
	var conflict *MunicipalRequest
	if !form.HasErrors() {
		_, err := h.svc.AnswerRequest(r.Context(), current.CaseID, current.Municipality, in)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "forum.answer.saved", "name", current.MunicipalityName)
			return web.Redirect(w, r, "/kommunsvar/"+web.IDText(id))
		case errors.Is(err, errs.ErrConflict):
			if current, err = h.svc.MunicipalRequest(r.Context(), id); err != nil {
				return err
			}
			form.Conflict(current.Version, "forum.answer.conflict")
			status, conflict = http.StatusConflict, &current
		case !form.Fail(err):
			return err
		}
	}
	form.SortErrors(answerFields...)
	data, err := h.answerData(r, id, form)
	if err != nil {
		return err
	}
	data.Conflict = conflict
	return h.render(w, r, status, "answer", "forum.answer.title", data, "number", data.Request.CaseNumber, "name", data.Request.MunicipalityName)
}
