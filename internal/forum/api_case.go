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

// The API of cases and decisions.

// CaseIDInput names one case.
type CaseIDInput struct {
	ID int64 `path:"id" minimum:"1" doc:"The case's id"`
}

// CaseListInput filters the cases.
type CaseListInput struct {
	Q             string `query:"q" maxLength:"300" doc:"Only cases whose number or title contains this text (case-insensitive)"`
	Kind          string `query:"kind" enum:"prioritisation,introduction,phase_out,consultation_answer,municipal_cooperation,other," doc:"Only cases of this kind"`
	Status        string `query:"status" enum:"registered,prepared,anchoring,decision,follow_up,closed," doc:"Only cases at this step of the workflow"`
	ResponsibleID int64  `query:"responsible_id" minimum:"0" doc:"Only cases this person (from /people) is responsible for"`
	ForumID       int64  `query:"forum_id" minimum:"0" doc:"Only cases anchored in or decided by this forum"`
	api.PageParams
}

// CaseListOutput lists cases in the order they were registered, a page at a
// time.
type CaseListOutput struct {
	Body struct {
		Items      []Case `json:"items"`
		NextCursor string `json:"next_cursor,omitempty" doc:"Pass as cursor to get the next page; absent on the last page"`
	}
}

// CaseOutput is one case.
type CaseOutput struct {
	Body Case
}

// CaseBody is a case as sent to register it.
type CaseBody struct {
	Title               string    `json:"title" minLength:"1" maxLength:"200"`
	Kind                CaseKind  `json:"kind" enum:"prioritisation,introduction,phase_out,consultation_answer,municipal_cooperation,other" doc:"prioritisation, introduction, phase_out, consultation_answer (remissvar), municipal_cooperation or other"`
	Description         string    `json:"description,omitempty" maxLength:"20000"`
	ResponsiblePersonID int64     `json:"responsible_person_id,omitempty" minimum:"0" doc:"The responsible person, from /people"`
	RegisteredOn        date.Date `json:"registered_on,omitzero" format:"date" doc:"Registration day, YYYY-MM-DD; today when left out. The case number's year is this day's year."`
}

func (b CaseBody) value() Case {
	return Case{Title: b.Title, Kind: b.Kind, Description: b.Description, ResponsiblePersonID: b.ResponsiblePersonID, RegisteredOn: b.RegisteredOn}
}

// CaseCreateInput registers a case.
type CaseCreateInput struct {
	Body CaseBody
}

// CaseUpdateBody is a case as sent to change it; its number, registration
// day and status stay.
type CaseUpdateBody struct {
	Title               string   `json:"title" minLength:"1" maxLength:"200"`
	Kind                CaseKind `json:"kind" enum:"prioritisation,introduction,phase_out,consultation_answer,municipal_cooperation,other"`
	Description         string   `json:"description,omitempty" maxLength:"20000"`
	ResponsiblePersonID int64    `json:"responsible_person_id,omitempty" minimum:"0"`
	Version             int64    `json:"version" minimum:"1" doc:"The version last read; a stale version is refused with 409"`
}

// CaseUpdateInput changes a case.
type CaseUpdateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The case's id"`
	Body CaseUpdateBody
}

// StepListOutput lists a case's steps in order.
type StepListOutput struct {
	Body struct {
		Items []Step `json:"items"`
	}
}

// StepBody is a step as sent to add it.
type StepBody struct {
	Kind        Status    `json:"kind" enum:"prepared,anchoring,follow_up,closed" doc:"The step: prepared, anchoring (förankring), follow_up or closed. Decision steps are written by recording a decision."`
	Date        date.Date `json:"date" format:"date" doc:"YYYY-MM-DD; not before the registration or the previous step"`
	ForumID     int64     `json:"forum_id,omitempty" minimum:"0" doc:"For anchoring: the forum, from /forums"`
	MeetingID   int64     `json:"meeting_id,omitempty" minimum:"0" doc:"For anchoring: the forum's meeting, from /meetings"`
	Outcome     Outcome   `json:"outcome,omitempty" enum:"supports,supports_with_comments,does_not_support," doc:"For anchoring: the forum's position"`
	Comment     string    `json:"comment,omitempty" maxLength:"20000" doc:"Required with supports_with_comments"`
	CaseVersion int64     `json:"case_version,omitempty" minimum:"0" doc:"The case's version last read; if given and someone has changed the case since, the answer is 409"`
}

// StepCreateInput adds a step.
type StepCreateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The case's id"`
	Body StepBody
}

// StepOutput is one step.
type StepOutput struct {
	Body Step
}

// TrailOutput is a case's full trail.
type TrailOutput struct {
	Body Trail
}

// LinkListOutput lists the records linked to a case.
type LinkListOutput struct {
	Body struct {
		Items []Link `json:"items"`
	}
}

// LinkBody is a link as sent to add it.
type LinkBody struct {
	Entity   string `json:"entity" minLength:"1" maxLength:"50" doc:"The kind of record, as the audit log names it, e.g. group, person, unit"`
	EntityID string `json:"entity_id" minLength:"1" maxLength:"100" doc:"The record's id"`
	Label    string `json:"label,omitempty" maxLength:"300" doc:"What the case shows for the record"`
}

// LinkCreateInput links a record to a case.
type LinkCreateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The case's id"`
	Body LinkBody
}

// LinkOutput is one link.
type LinkOutput struct {
	Body Link
}

// LinkDeleteInput names a case's link.
type LinkDeleteInput struct {
	ID     int64 `path:"id" minimum:"1" doc:"The case's id"`
	LinkID int64 `path:"link" minimum:"1" doc:"The link's id"`
}

// DocumentListOutput lists a case's documents.
type DocumentListOutput struct {
	Body struct {
		Items []Document `json:"items"`
	}
}

// CaseDocumentInput uploads a document to a case.
type CaseDocumentInput struct {
	ID      int64 `path:"id" minimum:"1" doc:"The case's id"`
	RawBody huma.MultipartFormFiles[DocumentForm]
}

// Decisions.

// DecisionIDInput names one decision.
type DecisionIDInput struct {
	ID int64 `path:"id" minimum:"1" doc:"The decision's id"`
}

// DecisionListInput filters and pages the decisions.
type DecisionListInput struct {
	ForumID  int64  `query:"forum_id" minimum:"0" doc:"Only decisions of this forum"`
	CaseID   int64  `query:"case_id" minimum:"0" doc:"Only decisions on this case"`
	From     string `query:"from" format:"date" doc:"Only decisions made on or after this day, YYYY-MM-DD"`
	To       string `query:"to" format:"date" doc:"Only decisions made on or before this day, YYYY-MM-DD"`
	FollowUp string `query:"follow_up" enum:"due,pending,done,none," doc:"Only decisions whose follow-up is due (date reached, not recorded), pending (date ahead), done (recorded) or none (no date)"`
	Q        string `query:"q" maxLength:"300" doc:"Only decisions whose text, case number or case title contains this text"`
	api.PageParams
}

// DecisionListOutput is one page of decisions, by id.
type DecisionListOutput struct {
	Body struct {
		Items      []Decision `json:"items"`
		NextCursor string     `json:"next_cursor,omitempty" doc:"Pass as cursor to get the next page; absent on the last page"`
	}
}

// DecisionOutput is one decision.
type DecisionOutput struct {
	Body Decision
}

// DecisionBody is a decision as sent to record it.
type DecisionBody struct {
	CaseID              int64     `json:"case_id,omitempty" minimum:"0" doc:"The case decided on; recording the decision also writes the case's decision step"`
	ForumID             int64     `json:"forum_id,omitempty" minimum:"0" doc:"The forum that decided, from /forums; required (a decision without it is refused with 422)"`
	MeetingID           int64     `json:"meeting_id,omitempty" minimum:"0" doc:"The forum's meeting, if any; its minutes must not be approved yet"`
	AgendaItemID        int64     `json:"agenda_item_id,omitempty" minimum:"0" doc:"The meeting's agenda item, if any"`
	DecidedOn           date.Date `json:"decided_on,omitzero" format:"date" doc:"YYYY-MM-DD; required"`
	Text                string    `json:"text,omitempty" maxLength:"20000" doc:"What was decided; required"`
	FollowUpOn          date.Date `json:"follow_up_on,omitzero" format:"date" doc:"When to follow the decision up, YYYY-MM-DD; not before the decision"`
	ResponsiblePersonID int64     `json:"responsible_person_id,omitempty" minimum:"0" doc:"Who follows it up, from /people; the case's responsible person when left out"`
	BasisDocumentIDs    []int64   `json:"basis_document_ids,omitempty" doc:"Documents of the case (or the meeting) the decision was based on"`
	Municipalities      []string  `json:"municipalities,omitempty" doc:"Codes of the municipalities that take part; if the case was sent to municipalities, only those"`
}

func (b DecisionBody) value() Decision {
	return Decision{CaseID: b.CaseID, ForumID: b.ForumID, MeetingID: b.MeetingID, AgendaItemID: b.AgendaItemID, DecidedOn: b.DecidedOn,
		Text: b.Text, FollowUpOn: b.FollowUpOn, ResponsiblePersonID: b.ResponsiblePersonID, BasisDocumentIDs: b.BasisDocumentIDs,
		Municipalities: b.Municipalities}
}

// DecisionCreateBody is a decision as sent to record it on a case.
type DecisionCreateBody struct {
	DecisionBody
	CaseVersion int64 `json:"case_version,omitempty" minimum:"0" doc:"The case's version last read; if given and someone has changed the case since, the answer is 409"`
}

// DecisionCreateInput records a decision.
type DecisionCreateInput struct {
	Body DecisionCreateBody
}

// DecisionUpdateBody is a decision as sent to change it; its case stays.
type DecisionUpdateBody struct {
	DecisionBody
	Version int64 `json:"version" minimum:"1" doc:"The version last read; a stale version is refused with 409"`
}

// DecisionUpdateInput changes a decision that is not locked.
type DecisionUpdateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The decision's id"`
	Body DecisionUpdateBody
}

// CorrectionInput records a correction of a decision.
type CorrectionInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The id of the decision corrected"`
	Body DecisionBody
}

// FollowUpListOutput lists a decision's follow-ups.
type FollowUpListOutput struct {
	Body struct {
		Items []FollowUpRecord `json:"items"`
	}
}

// FollowUpBody is a follow-up as sent to record it.
type FollowUpBody struct {
	DoneOn date.Date `json:"done_on,omitzero" format:"date" doc:"The day it was followed up, YYYY-MM-DD; not before the decision nor in the future"`
	Note   string    `json:"note" maxLength:"20000" doc:"What the follow-up showed"`
}

// FollowUpInput records a follow-up.
type FollowUpInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The decision's id"`
	Body FollowUpBody
}

// FollowUpOutput is one follow-up.
type FollowUpOutput struct {
	Body FollowUpRecord
}

// caseOp describes one operation of cases and decisions.
func caseOp(id, method, path, summary, description string) huma.Operation {
	o := huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Description: description, Tags: apiTags}
	switch method {
	case http.MethodPost:
		o.DefaultStatus = http.StatusCreated
		o.Errors = []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	case http.MethodPut:
		o.Errors = []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	case http.MethodDelete:
		o.DefaultStatus = http.StatusNoContent
		o.Errors = []int{http.StatusNotFound}
	default:
		o.Errors = []int{http.StatusNotFound}
	}
	return o
}

// lockedNote tells of locked decisions in the descriptions of the operations
// that change one.
const lockedNote = " A decision is locked once the minutes of its meeting are approved, or, without a meeting, once saved: changing it is refused with 409; record a correction instead."

func caseAPI(a *api.API, svc *Service) {
	api.Register(a, caseOp("list-cases", http.MethodGet, "/cases", "List cases",
		"Cases (ärenden) in the order they were registered, one page at a time, filtered by text, kind, status, responsible person and forum."),
		Read, func(ctx context.Context, in *CaseListInput) (*CaseListOutput, error) {
			after, err := api.DecodeCursor(in.Cursor)
			if err != nil {
				return nil, api.InQuery(err)
			}
			items, err := svc.Cases(ctx, CaseFilter{Query: in.Q, Kind: CaseKind(in.Kind), Status: Status(in.Status), ResponsibleID: in.ResponsibleID,
				ForumID: in.ForumID, ByID: true, AfterID: after, Limit: in.Limit + 1})
			if err != nil {
				return nil, api.InQuery(err)
			}
			out := &CaseListOutput{}
			if len(items) > in.Limit {
				items = items[:in.Limit]
				out.Body.NextCursor = api.EncodeCursor(items[len(items)-1].ID)
			}
			out.Body.Items = nonNil(items)
			return out, nil
		})
	api.Register(a, caseOp("get-case", http.MethodGet, "/cases/{id}", "Get a case", ""),
		Read, func(ctx context.Context, in *CaseIDInput) (*CaseOutput, error) {
			c, err := svc.Case(ctx, in.ID)
			return &CaseOutput{Body: c}, err
		})
	api.Register(a, caseOp("create-case", http.MethodPost, "/cases", "Register a case",
		"Registers a case: it gets the next number of its registration year (2026/0013) and its registered step."+invalidNote),
		Write, func(ctx context.Context, in *CaseCreateInput) (*CaseOutput, error) {
			c, err := svc.CreateCase(ctx, in.Body.value())
			return &CaseOutput{Body: c}, err
		})
	api.Register(a, caseOp("update-case", http.MethodPut, "/cases/{id}", "Change a case",
		"Changes the title, kind, description and responsible person; the number, registration day and status stay (the status moves by steps)."+versionNote+invalidNote),
		Write, func(ctx context.Context, in *CaseUpdateInput) (*CaseOutput, error) {
			b := in.Body
			c, err := svc.UpdateCase(ctx, Case{ID: in.ID, Title: b.Title, Kind: b.Kind, Description: b.Description, ResponsiblePersonID: b.ResponsiblePersonID, Version: b.Version})
			return &CaseOutput{Body: c}, err
		})
	api.Register(a, caseOp("list-case-steps", http.MethodGet, "/cases/{id}/steps", "List a case's workflow steps", "In order: by date, then as entered."),
		Read, func(ctx context.Context, in *CaseIDInput) (*StepListOutput, error) {
			items, err := svc.Steps(ctx, in.ID)
			out := &StepListOutput{}
			out.Body.Items = nonNil(items)
			return out, err
		})
	api.Register(a, caseOp("add-case-step", http.MethodPost, "/cases/{id}/steps", "Add a workflow step",
		"Moves the case forward: registered → prepared → anchoring → decision → follow_up → closed; steps may be skipped, anchoring may repeat, "+
			"nothing follows closed. The date may not be before the registration or the previous step. An anchoring step names the forum, usually "+
			"the meeting (of that forum) and the forum's outcome."+invalidNote),
		Write, func(ctx context.Context, in *StepCreateInput) (*StepOutput, error) {
			b := in.Body
			st, err := svc.AddStep(ctx, Step{CaseID: in.ID, Kind: b.Kind, Date: b.Date, ForumID: b.ForumID, MeetingID: b.MeetingID, Outcome: b.Outcome, Comment: b.Comment}, b.CaseVersion)
			return &StepOutput{Body: st}, err
		})
	api.Register(a, caseOp("get-case-trail", http.MethodGet, "/cases/{id}/trail", "Get a case's full trail",
		"Everything that happened to the case in date order: steps (anchoring with forum, meeting and outcome), decisions and corrections, "+
			"follow-ups, documents, links, and the sendings to municipalities with their answers."),
		Read, func(ctx context.Context, in *CaseIDInput) (*TrailOutput, error) {
			t, err := svc.Trail(ctx, in.ID)
			t.Events = nonNil(t.Events)
			return &TrailOutput{Body: t}, err
		})
	api.Register(a, caseOp("list-case-links", http.MethodGet, "/cases/{id}/links", "List the records linked to a case", ""),
		Read, func(ctx context.Context, in *CaseIDInput) (*LinkListOutput, error) {
			if _, err := svc.Case(ctx, in.ID); err != nil {
				return nil, err
			}
			items, err := svc.Links(ctx, in.ID)
			out := &LinkListOutput{}
			out.Body.Items = nonNil(items)
			return out, err
		})
	api.Register(a, caseOp("add-case-link", http.MethodPost, "/cases/{id}/links", "Link a record to a case",
		"Any record of the system (a knowledge support, a group, an action plan) can be linked to a case, once."+invalidNote),
		Write, func(ctx context.Context, in *LinkCreateInput) (*LinkOutput, error) {
			l, err := svc.AddLink(ctx, Link{CaseID: in.ID, Entity: in.Body.Entity, EntityID: in.Body.EntityID, Label: in.Body.Label})
			return &LinkOutput{Body: l}, err
		})
	api.Register(a, caseOp("delete-case-link", http.MethodDelete, "/cases/{id}/links/{link}", "Remove a link from a case", ""),
		Write, func(ctx context.Context, in *LinkDeleteInput) (*struct{}, error) {
			links, err := svc.Links(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			for _, l := range links {
				if l.ID == in.LinkID {
					_, err := svc.DeleteLink(ctx, l.ID)
					return nil, err
				}
			}
			return nil, errs.ErrNotFound
		})
	api.Register(a, caseOp("list-case-documents", http.MethodGet, "/cases/{id}/documents", "List a case's documents",
		"Oldest first; download one at /dokument/{id}."),
		Read, func(ctx context.Context, in *CaseIDInput) (*DocumentListOutput, error) {
			if _, err := svc.Case(ctx, in.ID); err != nil {
				return nil, err
			}
			items, err := svc.CaseDocuments(ctx, in.ID)
			out := &DocumentListOutput{}
			out.Body.Items = nonNil(items)
			return out, err
		})
	upload := caseOp("upload-case-document", http.MethodPost, "/cases/{id}/documents", "Upload a document to a case",
		"A multipart/form-data body with the file in `file` and an optional `title`. The file is size- and type-checked (its content must be "+
			"what its name says) and stored with its SHA-256 hash. Decision bases are chosen among the case's documents.")
	upload.MaxBodyBytes = DocumentLimit + 1<<20
	upload.Errors = append(upload.Errors, http.StatusRequestEntityTooLarge)
	api.Register(a, upload, Decide, func(ctx context.Context, in *CaseDocumentInput) (*DocumentOutput, error) {
		if _, err := svc.Case(ctx, in.ID); err != nil {
			return nil, err
		}
		name, content, title, err := readDocument(in.RawBody)
		if err != nil {
			return nil, err
		}
		d, err := svc.AddDocument(ctx, Document{CaseID: in.ID, Title: title}, name, content)
		return &DocumentOutput{Body: d}, err
	})
	decisionAPI(a, svc)
}

func decisionAPI(a *api.API, svc *Service) {
	api.Register(a, caseOp("list-decisions", http.MethodGet, "/decisions", "List decisions",
		"Decisions by id, one page at a time, filtered by forum, case, period, follow-up status and text. "+
			"Corrections carry corrects_id; a corrected decision carries corrected_by_id."),
		Read, func(ctx context.Context, in *DecisionListInput) (*DecisionListOutput, error) {
			f := DecisionFilter{ForumID: in.ForumID, CaseID: in.CaseID, FollowUp: FollowUpStatus(in.FollowUp), Query: in.Q}
			var v errs.ValidationError
			for _, p := range []struct {
				name, value string
				to          *date.Date
			}{{"from", in.From, &f.From}, {"to", in.To, &f.To}} {
				if s := strings.TrimSpace(p.value); s != "" {
					d, err := date.Parse(s)
					if err != nil {
						v.Add(p.name, "validation.date")
					}
					*p.to = d
				}
			}
			if err := v.Err(); err != nil {
				return nil, api.InQuery(err)
			}
			after, err := api.DecodeCursor(in.Cursor)
			if err != nil {
				return nil, api.InQuery(err)
			}
			f.AfterID, f.ByID, f.Limit = after, true, in.Limit+1
			items, err := svc.Decisions(ctx, f)
			if err != nil {
				return nil, api.InQuery(err)
			}
			out := &DecisionListOutput{}
			if len(items) > in.Limit {
				items = items[:in.Limit]
				out.Body.NextCursor = api.EncodeCursor(items[len(items)-1].ID)
			}
			for i := range items {
				items[i].BasisDocumentIDs, items[i].Municipalities = nil, nil
			}
			out.Body.Items = nonNil(items)
			return out, nil
		})
	api.Register(a, caseOp("get-decision", http.MethodGet, "/decisions/{id}", "Get a decision",
		"With its basis documents, municipalities and follow-up status."),
		Read, func(ctx context.Context, in *DecisionIDInput) (*DecisionOutput, error) {
			d, err := svc.Decision(ctx, in.ID)
			return &DecisionOutput{Body: d}, err
		})
	api.Register(a, caseOp("record-decision", http.MethodPost, "/decisions", "Record a decision",
		"Records what a forum decided. Forum and date are required; the meeting, if given, must be the forum's and its minutes not approved. "+
			"On a case it also writes the case's decision step, so the step rules hold. Basis documents must be the case's (or the meeting's); "+
			"municipalities must be among those the case was sent to. The coordinator records decisions in every forum, ledning in HSL only (403 elsewhere)."+invalidNote),
		Decide, func(ctx context.Context, in *DecisionCreateInput) (*DecisionOutput, error) {
			d, err := svc.RecordDecision(ctx, in.Body.value(), in.Body.CaseVersion)
			return &DecisionOutput{Body: d}, err
		})
	api.Register(a, caseOp("update-decision", http.MethodPut, "/decisions/{id}", "Change a decision",
		"Changes a decision that is not locked; its case stays."+lockedNote+versionNote+invalidNote),
		Decide, func(ctx context.Context, in *DecisionUpdateInput) (*DecisionOutput, error) {
			d := in.Body.value()
			d.ID, d.Version = in.ID, in.Body.Version
			d, err := svc.UpdateDecision(ctx, d)
			return &DecisionOutput{Body: d}, err
		})
	api.Register(a, caseOp("correct-decision", http.MethodPost, "/decisions/{id}/corrections", "Correct a decision",
		"Records a new decision that references the old one (corrects_id), on the same case; the old one stays as it was. "+
			"The correction may not be dated before the decision it corrects."+invalidNote),
		Decide, func(ctx context.Context, in *CorrectionInput) (*DecisionOutput, error) {
			d, err := svc.CorrectDecision(ctx, in.ID, in.Body.value())
			return &DecisionOutput{Body: d}, err
		})
	api.Register(a, caseOp("list-decision-follow-ups", http.MethodGet, "/decisions/{id}/follow-up", "List a decision's follow-ups", "Oldest first."),
		Read, func(ctx context.Context, in *DecisionIDInput) (*FollowUpListOutput, error) {
			if _, err := svc.Decision(ctx, in.ID); err != nil {
				return nil, err
			}
			items, err := svc.FollowUps(ctx, in.ID)
			out := &FollowUpListOutput{}
			out.Body.Items = nonNil(items)
			return out, err
		})
	api.Register(a, caseOp("record-decision-follow-up", http.MethodPost, "/decisions/{id}/follow-up", "Record a follow-up",
		"Records that the decision was followed up, with what it showed; the decision itself stays as it was."+invalidNote),
		Decide, func(ctx context.Context, in *FollowUpInput) (*FollowUpOutput, error) {
			f, err := svc.RecordFollowUp(ctx, FollowUpRecord{DecisionID: in.ID, DoneOn: in.Body.DoneOn, Note: in.Body.Note})
			return &FollowUpOutput{Body: f}, err
		})
}
