package forum

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// MunicipalRequestItem is a case sent to one municipality, its answer, and
// whether the answer is overdue.
type MunicipalRequestItem struct {
	ID               int64     `json:"id"`
	CaseID           int64     `json:"case_id"`
	CaseNumber       string    `json:"case_number" doc:"Case number, year/sequence"`
	CaseTitle        string    `json:"case_title"`
	Municipality     string    `json:"municipality" doc:"The municipality's code"`
	MunicipalityName string    `json:"municipality_name"`
	SentOn           date.Date `json:"sent_on" format:"date"`
	Deadline         date.Date `json:"deadline" format:"date" doc:"Last day to answer"`
	Question         string    `json:"question"`
	Answer           Answer    `json:"answer" enum:"pending,accepts,accepts_with_comments,declines" doc:"pending until the municipality answers"`
	Comment          string    `json:"comment"`
	AnsweredOn       date.Date `json:"answered_on,omitzero" format:"date"`
	AnsweredBy       string    `json:"answered_by,omitempty"`
	Overdue          bool      `json:"overdue" doc:"No answer yet and the deadline has passed"`
	Version          int64     `json:"version" doc:"Send it back when answering; a stale version is refused with 409"`
}

func requestItem(r MunicipalRequest, today date.Date) MunicipalRequestItem {
	return MunicipalRequestItem{ID: r.ID, CaseID: r.CaseID, CaseNumber: r.CaseNumber, CaseTitle: r.CaseTitle, Municipality: r.Municipality,
		MunicipalityName: r.MunicipalityName, SentOn: r.SentOn, Deadline: r.Deadline, Question: r.Question, Answer: r.Answer,
		Comment: r.Comment, AnsweredOn: r.AnsweredOn, AnsweredBy: r.AnsweredBy, Overdue: r.Overdue(today), Version: r.Version}
}

func requestItems(rs []MunicipalRequest, today date.Date) []MunicipalRequestItem {
	out := make([]MunicipalRequestItem, len(rs))
	for i, r := range rs {
		out[i] = requestItem(r, today)
	}
	return out
}

// CaseRequestsInput names a case.
type CaseRequestsInput struct {
	ID int64 `path:"id" minimum:"1" doc:"The case's id"`
}

// CaseRequestsOutput lists the requests of a case and counts the answers.
type CaseRequestsOutput struct {
	Body struct {
		Items   []MunicipalRequestItem `json:"items"`
		Summary MunicipalSummary       `json:"summary"`
	}
}

// SendBody is the sending of a case to municipalities.
type SendBody struct {
	Municipalities []string  `json:"municipalities,omitempty" maxItems:"300" doc:"Codes of the municipalities of the home region to send to, from /municipalities; leave out with all"`
	All            bool      `json:"all,omitempty" doc:"Send to every municipality of the home region the case was not yet sent to"`
	SentOn         date.Date `json:"sent_on" format:"date" doc:"Day of sending, YYYY-MM-DD; not before the case was registered"`
	Deadline       date.Date `json:"deadline" format:"date" doc:"Last day to answer, YYYY-MM-DD; not before sent_on"`
	Question       string    `json:"question,omitempty" maxLength:"20000" doc:"What the municipalities are asked to take a position on"`
}

// SendInput sends a case to municipalities.
type SendInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The case's id"`
	Body SendBody
}

// SendOutput lists the requests the sending made.
type SendOutput struct {
	Body struct {
		Items []MunicipalRequestItem `json:"items"`
	}
}

// AnswerBody is a municipality's answer.
type AnswerBody struct {
	Answer     Answer    `json:"answer" enum:"accepts,accepts_with_comments,declines" doc:"accepts, accepts_with_comments or declines"`
	Comment    string    `json:"comment,omitempty" maxLength:"20000" doc:"Required with accepts_with_comments and declines"`
	AnsweredOn date.Date `json:"answered_on,omitzero" format:"date" doc:"Day the answer was given, YYYY-MM-DD; today when left out"`
	Version    int64     `json:"version" minimum:"1" doc:"The version of the request last read; a stale version is refused with 409"`
}

// AnswerInput answers a case for a municipality.
type AnswerInput struct {
	ID           int64  `path:"id" minimum:"1" doc:"The case's id"`
	Municipality string `path:"municipality" maxLength:"50" doc:"The municipality's code"`
	Body         AnswerBody
}

// RequestOutput is one request.
type RequestOutput struct {
	Body MunicipalRequestItem
}

// RequestListInput filters the requests.
type RequestListInput struct {
	Municipality string `query:"municipality" maxLength:"50" doc:"Only requests to this municipality (code)"`
	Answer       string `query:"answer" enum:"pending,accepts,accepts_with_comments,declines," doc:"Only requests with this answer"`
	Overdue      bool   `query:"overdue" doc:"Only requests without an answer after their deadline"`
	CaseID       int64  `query:"case_id" minimum:"0" doc:"Only requests of this case"`
	Year         int    `query:"year" minimum:"0" maximum:"2100" doc:"Only requests sent this year"`
}

// RequestListOutput lists requests, pending first, then by deadline.
type RequestListOutput struct {
	Body struct {
		Items   []MunicipalRequestItem `json:"items"`
		Summary MunicipalSummary       `json:"summary"`
	}
}

// ContactListOutput lists who answers for which municipality.
type ContactListOutput struct {
	Body struct {
		Items []Contact `json:"items"`
	}
}

// ContactBody makes a user a contact of a municipality.
type ContactBody struct {
	Municipality string `json:"municipality" maxLength:"50" doc:"The municipality's code, from /municipalities"`
	UserID       int64  `json:"user_id" minimum:"1" doc:"An active user with the kommun role"`
}

// ContactCreateInput adds a contact.
type ContactCreateInput struct {
	Body ContactBody
}

// ContactOutput is one contact.
type ContactOutput struct {
	Body Contact
}

// ContactDeleteInput names a contact to remove.
type ContactDeleteInput struct {
	Municipality string `path:"municipality" maxLength:"50" doc:"The municipality's code"`
	UserID       int64  `path:"user_id" minimum:"1" doc:"The user's id"`
}

// municipalOp describes one operation of the municipal process.
func municipalOp(id, method, path, summary, description string) huma.Operation {
	o := huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Description: description, Tags: apiTags}
	switch method {
	case http.MethodGet:
		o.Errors = []int{http.StatusNotFound, http.StatusUnprocessableEntity}
	case http.MethodPost:
		o.DefaultStatus = http.StatusCreated
		o.Errors = []int{http.StatusBadRequest, http.StatusNotFound, http.StatusUnprocessableEntity}
	case http.MethodPut:
		o.Errors = []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	case http.MethodDelete:
		o.DefaultStatus = http.StatusNoContent
		o.Errors = []int{http.StatusNotFound}
	}
	return o
}

// inPathMunicipality names a problem with the municipality as the path
// parameter; the other fields are the body's.
func inPathMunicipality(err error) error {
	v, ok := errs.AsValidation(err)
	if !ok || !v.Has("municipality") {
		return err
	}
	out := &errs.ValidationError{}
	for _, f := range v.Fields {
		if f.Name == "municipality" {
			f.Name = "path.municipality"
		}
		out.Add(f.Name, f.Key, f.Args...)
	}
	return out
}

func municipalAPI(a *api.API, svc *Service) {
	municipalChangeAPI(a, svc)
	api.Register(a, municipalOp("list-case-municipal-requests", http.MethodGet, "/cases/{id}/municipal-requests", "List a case's municipal requests",
		"The municipalities the case was sent to, each with its deadline and answer (pending, accepts, accepts_with_comments, declines), pending first; and the counts of the answers."),
		Read, func(ctx context.Context, in *CaseRequestsInput) (*CaseRequestsOutput, error) {
			rs, err := svc.CaseRequests(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			today := svc.Today()
			out := &CaseRequestsOutput{}
			out.Body.Items = requestItems(rs, today)
			out.Body.Summary = Summarize(rs, today)
			return out, nil
		})
	api.Register(a, municipalOp("send-case-to-municipalities", http.MethodPost, "/cases/{id}/municipal-requests", "Send a case to municipalities",
		"Sends the case to the named municipalities of the home region, or with `all` to every one it was not yet sent to, with a deadline and a question; each gets a pending request. A municipality the case was already sent to is refused with 422, so a municipality added later is sent to on its own. The deadline may not be before the day of sending."),
		Write, func(ctx context.Context, in *SendInput) (*SendOutput, error) {
			rs, err := svc.SendToMunicipalities(ctx, in.ID, Send(in.Body))
			if err != nil {
				return nil, err
			}
			out := &SendOutput{}
			out.Body.Items = requestItems(rs, svc.Today())
			return out, nil
		})
	api.Register(a, municipalOp("answer-municipal-request", http.MethodPut, "/cases/{id}/municipal-requests/{municipality}", "Answer a case for a municipality",
		"Records or changes the municipality's answer: accepts, accepts_with_comments or declines, with a comment for the last two. Every earlier answer stays in the audit log. Allowed for the coordinator and for kommun users who are contacts of the municipality; for other kommun users the request does not exist (404). An answer for a municipality the case was not sent to is refused with 422. Send the `version` you last read: if someone has changed the answer since, the answer is 409 and nothing is saved."),
		Respond, func(ctx context.Context, in *AnswerInput) (*RequestOutput, error) {
			r, err := svc.AnswerRequest(ctx, in.ID, strings.TrimSpace(in.Municipality), Reply(in.Body))
			if err != nil {
				return nil, inPathMunicipality(err)
			}
			return &RequestOutput{Body: requestItem(r, svc.Today())}, nil
		})
	api.Register(a, municipalOp("list-municipal-requests", http.MethodGet, "/municipal-requests", "List municipal requests",
		"Cases sent to municipalities with their answers, pending first, then by deadline, with the counts. A kommun user sees only the requests to the municipalities they are a contact of."),
		ReadRequests, func(ctx context.Context, in *RequestListInput) (*RequestListOutput, error) {
			f := RequestFilter{Municipality: strings.TrimSpace(in.Municipality), Answer: Answer(in.Answer), Overdue: in.Overdue, CaseID: in.CaseID, Year: in.Year}
			rs, err := svc.MunicipalRequests(ctx, f)
			if err != nil {
				return nil, api.InQuery(err)
			}
			today := svc.Today()
			out := &RequestListOutput{}
			out.Body.Items = requestItems(rs, today)
			out.Body.Summary = Summarize(rs, today)
			return out, nil
		})
	api.Register(a, municipalOp("list-municipality-contacts", http.MethodGet, "/municipality-contacts", "List the municipalities' contacts",
		"Who answers for which municipality: users with the kommun role, who see and answer the cases sent to it; by municipality."),
		Read, func(ctx context.Context, _ *struct{}) (*ContactListOutput, error) {
			items, err := svc.Contacts(ctx)
			out := &ContactListOutput{}
			out.Body.Items = nonNil(items)
			return out, err
		})
	api.Register(a, municipalOp("add-municipality-contact", http.MethodPost, "/municipality-contacts", "Make a user a contact of a municipality",
		"The user, who must be active and hold the kommun role, then sees and answers the cases sent to the municipality. A user already a contact of it is refused with 422."),
		Write, func(ctx context.Context, in *ContactCreateInput) (*ContactOutput, error) {
			c, err := svc.AddContact(ctx, in.Body.Municipality, in.Body.UserID)
			return &ContactOutput{Body: c}, err
		})
	api.Register(a, municipalOp("remove-municipality-contact", http.MethodDelete, "/municipality-contacts/{municipality}/{user_id}", "Remove a contact of a municipality",
		"The user no longer answers for the municipality; the answers already given stay."),
		Write, func(ctx context.Context, in *ContactDeleteInput) (*struct{}, error) {
			return nil, svc.RemoveContact(ctx, in.Municipality, in.UserID)
		})
}
