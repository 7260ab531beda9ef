package implement

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
)

// commentOp describes one operation of the plan's revisions and comment
// rounds.
func commentOp(id, method, path, summary, description string) huma.Operation {
	o := huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Description: description,
		Tags: []string{"Implementation"}}
	switch method {
	case http.MethodGet:
		o.Errors = []int{http.StatusNotFound}
	case http.MethodPost:
		o.DefaultStatus = http.StatusCreated
		o.Errors = []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	case http.MethodPut:
		o.Errors = []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	}
	return o
}

// RevisionListOutput is an implementation's plan revisions.
type RevisionListOutput struct {
	Body struct {
		Items []Revision `json:"items"`
	}
}

// RevisionCreateInput saves a revision of the plan.
type RevisionCreateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	Body struct {
		Note    string `json:"note" doc:"What changed, e.g. how the comments were taken into account; 1–2000 characters"`
		Version int64  `json:"version" minimum:"1" doc:"The implementation's version last read"`
	}
}

// RevisionOutput is one revision.
type RevisionOutput struct {
	Body Revision
}

// CommentRoundListOutput is an implementation's comment rounds.
type CommentRoundListOutput struct {
	Body struct {
		Items []CommentRound `json:"items"`
	}
}

// CommentRoundCreateInput sends the plan for comments.
type CommentRoundCreateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	Body struct {
		Deadline       date.Date `json:"deadline" format:"date" doc:"Last day for comments, YYYY-MM-DD, not before today"`
		Message        string    `json:"message,omitempty" doc:"To the recipients, at most 4000 characters"`
		UnitIDs        []int64   `json:"unit_ids,omitempty" maxItems:"500" doc:"Units among the support's units and the gaps' affected units"`
		Municipalities []string  `json:"municipalities,omitempty" maxItems:"300" doc:"Codes of municipalities among the implementation's"`
	}
}

// CommentRoundOutput is one comment round.
type CommentRoundOutput struct {
	Body CommentRound
}

// CommentRoundInput names one round of an implementation.
type CommentRoundInput struct {
	ID  int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	RID int64 `path:"rid" minimum:"1" doc:"The round's id"`
}

// CommentRoundCloseInput closes a round.
type CommentRoundCloseInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	RID  int64 `path:"rid" minimum:"1" doc:"The round's id"`
	Body struct {
		Version int64 `json:"version" minimum:"1" doc:"The round's version last read"`
	}
}

// PlanCommentCreateInput is a recipient's comment.
type PlanCommentCreateInput struct {
	Body struct {
		RecipientID int64  `json:"recipient_id" minimum:"1" doc:"The recipient (a unit or municipality of a round) commented for"`
		Body        string `json:"body" doc:"The comment, 1–4000 characters"`
	}
}

// PlanCommentOutput is one comment.
type PlanCommentOutput struct {
	Body PlanComment
}

// PlanCommentAnswerInput answers a comment.
type PlanCommentAnswerInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	CID  int64 `path:"cid" minimum:"1" doc:"The comment's id"`
	Body struct {
		Answer  string `json:"answer" doc:"The working group's answer, 1–4000 characters; replaces an earlier answer"`
		Version int64  `json:"version" minimum:"1" doc:"The comment's version last read"`
	}
}

func commentAPI(a *api.API, svc *Service) {
	const base = "/implementations/{id}"
	api.Register(a, commentOp("list-plan-revisions", http.MethodGet, base+"/revisions", "List the action plan's revisions",
		"Every revision (snapshot) of the implementation's action plan by number, each with what changed from the one before (actions added, removed or changed, by title). For those who read the workspace."),
		Read, func(ctx context.Context, in *ImplementationIDInput) (*RevisionListOutput, error) {
			rs, err := svc.Revisions(ctx, in.ID)
			out := &RevisionListOutput{}
			out.Body.Items = rs
			return out, err
		})
	api.Register(a, commentOp("create-plan-revision", http.MethodPost, base+"/revisions", "Save a revision of the action plan",
		"Snapshots the current action plan as the next revision with a note, e.g. after a comment round. The working group's step; 409 once the support is introduced."+versionNote),
		Read, func(ctx context.Context, in *RevisionCreateInput) (*RevisionOutput, error) {
			r, err := svc.SaveRevision(ctx, in.ID, in.Body.Note, in.Body.Version)
			return &RevisionOutput{Body: r}, inBody(err, nil)
		})
	api.Register(a, commentOp("list-comment-rounds", http.MethodGet, base+"/comment-rounds", "List the comment rounds",
		"The implementation's comment rounds (remiss) on its action plan, oldest first, with recipients, comments and answers. For those who read the workspace."),
		Read, func(ctx context.Context, in *ImplementationIDInput) (*CommentRoundListOutput, error) {
			rs, err := svc.CommentRounds(ctx, in.ID)
			out := &CommentRoundListOutput{}
			out.Body.Items = rs
			return out, err
		})
	api.Register(a, commentOp("create-comment-round", http.MethodPost, base+"/comment-rounds", "Send the action plan for comments",
		"Sends the plan to units (among the support's units and the gaps' affected units) and municipalities (among the implementation's) with a deadline; at least one recipient. The plan is saved as a new revision first unless unchanged since the latest. Recipients are mailed and get a task on their start page. The working group's step."),
		Read, func(ctx context.Context, in *CommentRoundCreateInput) (*CommentRoundOutput, error) {
			b := in.Body
			r, err := svc.SendForComments(ctx, in.ID, CommentRound{Deadline: b.Deadline, Message: b.Message, UnitIDs: b.UnitIDs, Municipalities: b.Municipalities})
			return &CommentRoundOutput{Body: r}, inBody(err, nil)
		})
	api.Register(a, commentOp("get-comment-round", http.MethodGet, base+"/comment-rounds/{rid}", "Get a comment round",
		"One round with its recipients, their comments and the working group's answers."),
		Read, func(ctx context.Context, in *CommentRoundInput) (*CommentRoundOutput, error) {
			d, err := svc.CommentRoundOf(ctx, in.ID, in.RID)
			return &CommentRoundOutput{Body: d.Round}, err
		})
	closeOp := commentOp("close-comment-round", http.MethodPost, base+"/comment-rounds/{rid}/close", "Close a comment round",
		"No more comments are taken. The working group's step; a closed round answers 409."+versionNote)
	closeOp.DefaultStatus = http.StatusOK
	api.Register(a, closeOp,
		Read, func(ctx context.Context, in *CommentRoundCloseInput) (*CommentRoundOutput, error) {
			r, err := svc.CloseRound(ctx, in.ID, in.RID, in.Body.Version)
			return &CommentRoundOutput{Body: r}, inBody(err, nil)
		})
	api.Register(a, commentOp("create-plan-comment", http.MethodPost, "/plan-comments", "Comment on an action plan sent for comments",
		"A recipient's comment: by the unit's people (enhet users working at the unit), the municipality's contacts (kommun users) or the coordinator on their behalf (recorded as \"X för Y\"); to anyone else the recipient does not exist (404). Taken until the round is closed; after the deadline marked late."),
		Read, func(ctx context.Context, in *PlanCommentCreateInput) (*PlanCommentOutput, error) {
			c, err := svc.AddComment(ctx, in.Body.RecipientID, in.Body.Body)
			return &PlanCommentOutput{Body: c}, inBody(err, nil)
		})
	api.Register(a, commentOp("answer-plan-comment", http.MethodPut, base+"/comments/{cid}/answer", "Answer a comment on the action plan",
		"The working group's answer to a comment (replacing an earlier one)."+versionNote),
		Read, func(ctx context.Context, in *PlanCommentAnswerInput) (*PlanCommentOutput, error) {
			c, err := svc.answerComment(ctx, in.ID, 0, in.CID, in.Body.Answer, in.Body.Version)
			return &PlanCommentOutput{Body: c}, inBody(err, nil)
		})
}
