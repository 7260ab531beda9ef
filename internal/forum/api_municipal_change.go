package forum

import (
	"context"
	"net/http"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
)

// DeadlineInput gives a sent request a new deadline.
type DeadlineInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The request's id"`
	Body struct {
		Deadline date.Date `json:"deadline" doc:"The new last day to answer, not before the day the case was sent"`
		Version  int64     `json:"version" minimum:"1" doc:"The version last read; if someone has changed the request since, the answer is 409 and nothing is saved"`
	}
}

// WithdrawInput names the request to withdraw and the version last read.
type WithdrawInput struct {
	ID      int64 `path:"id" minimum:"1" doc:"The request's id"`
	Version int64 `query:"version" required:"true" minimum:"1" doc:"The version last read; if someone has changed the request since, the answer is 409 and nothing is withdrawn"`
}

// municipalChangeAPI adds the coordinator's changes of a sent request.
func municipalChangeAPI(a *api.API, svc *Service) {
	put := municipalOp("change-municipal-request-deadline", http.MethodPut, "/municipal-requests/{id}", "Give a municipal request a new deadline",
		"Extends or corrects the deadline of a request that still waits for its answer; the deadline may not be before the day the case was sent. Coordinator only.")
	put.Errors = append(put.Errors, http.StatusForbidden)
	api.Register(a, put, Write, func(ctx context.Context, in *DeadlineInput) (*RequestOutput, error) {
		r, err := svc.ChangeDeadline(ctx, in.ID, in.Body.Version, in.Body.Deadline)
		if err != nil {
			return nil, err
		}
		return &RequestOutput{Body: requestItem(r, svc.Today())}, nil
	})
	del := municipalOp("withdraw-municipal-request", http.MethodDelete, "/municipal-requests/{id}", "Withdraw a municipal request",
		"Takes back a request sent by mistake while it still waits for its answer and no decision names the municipality as taking part. The audit log keeps what was withdrawn. Coordinator only.")
	del.Errors = append(del.Errors, http.StatusConflict, http.StatusUnprocessableEntity, http.StatusForbidden)
	api.Register(a, del, Write, func(ctx context.Context, in *WithdrawInput) (*struct{}, error) {
		_, err := svc.WithdrawRequest(ctx, in.ID, in.Version)
		return nil, err
	})
}
