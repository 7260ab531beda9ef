package implement

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// implementationsPath is where the implementations live in the API,
// relative to /api/v1.
const implementationsPath = "/implementations"

// workspaceOp describes one operation of the implementation workspace.
func workspaceOp(id, method, path, summary, description string) huma.Operation {
	o := huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Description: description,
		Tags: []string{"Implementation"}}
	switch method {
	case http.MethodGet:
		o.Errors = []int{http.StatusNotFound}
	case http.MethodPost:
		o.DefaultStatus = http.StatusCreated
		o.Errors = []int{http.StatusBadRequest, http.StatusUnprocessableEntity}
	case http.MethodPut:
		o.Errors = []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	}
	return o
}

// partOp describes an operation on a part of an implementation (gap
// analyses, templates, action and communication plans, checklist): a POST
// answers 200, a DELETE 204.
func partOp(id, method, path, summary, description string) huma.Operation {
	o := huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Description: description, Tags: []string{"Implementation"}}
	switch method {
	case http.MethodGet:
		o.Errors = []int{http.StatusNotFound}
	case http.MethodPost:
		o.DefaultStatus = http.StatusOK
		o.Errors = []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	case http.MethodPut:
		o.Errors = []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	case http.MethodDelete:
		o.DefaultStatus = http.StatusNoContent
		o.Errors = []int{http.StatusNotFound, http.StatusConflict}
	}
	return o
}

// versionNote ends the description of an operation that changes by version.
const versionNote = " Send the `version` you last read: if someone has changed it since, the answer is 409 and nothing is saved."

// inBody names the fields of a validation error as the request body does,
// with names mapping the service's names that differ.
func inBody(err error, names map[string]string) error {
	v, ok := errs.AsValidation(err)
	if !ok {
		return err
	}
	out := &errs.ValidationError{}
	for _, f := range v.Fields {
		name := f.Name
		if n, ok := names[name]; ok {
			name = n
		}
		if !strings.HasPrefix(name, "body.") && !strings.HasPrefix(name, "query.") && !strings.HasPrefix(name, "path.") {
			name = "body." + name
		}
		out.Add(name, f.Key, f.Args...)
	}
	return out
}

// jsonList returns s, or an empty slice for nil, so JSON shows a list.
func jsonList[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// OverviewInput filters the overview.
type OverviewInput struct {
	Status string `query:"status" enum:"in_work,introduced" doc:"in_work: not yet introduced; introduced: introduced in the last twelve months; both when left out"`
}

// OverviewOutput is the overview of implementations.
type OverviewOutput struct {
	Body struct {
		Items []OverviewRow `json:"items"`
	}
}

// ImplementationIDInput names one implementation.
type ImplementationIDInput struct {
	ID int64 `path:"id" minimum:"1" doc:"The implementation's id"`
}

// StartInput starts a workspace.
type StartInput struct {
	Body Start
}

// StartOutput is the implementation started.
type StartOutput struct {
	Body Implementation
}

// WorkingGroupOutput is the implementation with its working group as saved.
type WorkingGroupOutput struct {
	Body Implementation
}

// WorkspaceOutput is one implementation's workspace read whole.
type WorkspaceOutput struct {
	Body Workspace
}

// WorkingGroupBody is the working group as sent to change it.
type WorkingGroupBody struct {
	SponsorID      int64     `json:"sponsor_id,omitempty" minimum:"0" doc:"The sponsoring manager (a person from /people); 0 or left out for none"`
	MemberIDs      []int64   `json:"member_ids" maxItems:"200" doc:"The complete list of members besides the improvement leads (people from /people)"`
	Municipalities []string  `json:"municipalities" maxItems:"400" doc:"The complete list of codes of the municipalities concerned"`
	PlannedEnd     date.Date `json:"planned_end,omitzero" format:"date" doc:"Planned end, YYYY-MM-DD, not before the start; left out for none"`
	Version        int64     `json:"version" minimum:"1" doc:"The implementation's version last read; a stale version is refused with 409"`
}

// WorkingGroupInput changes an implementation's working group.
type WorkingGroupInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	Body WorkingGroupBody
}

// TasksOutput lists what waits for the signed-in user.
type TasksOutput struct {
	Body struct {
		Items []Task `json:"items"`
	}
}

func workspaceAPI(a *api.API, svc *Service) {
	api.Register(a, workspaceOp("list-implementations", http.MethodGet, implementationsPath, "List the implementations",
		"The overview: every implementation not yet introduced and those introduced in the last twelve months, by start, with the progress of the action plan, overdue actions, the required checklist items settled, the gap profile and the number of improvement leads (fewer than two is person-dependent)."),
		Oversee, func(ctx context.Context, in *OverviewInput) (*OverviewOutput, error) {
			rows, err := svc.Overview(ctx, OverviewStatus(in.Status))
			if err != nil {
				return nil, api.InQuery(err)
			}
			out := &OverviewOutput{}
			out.Body.Items = append([]OverviewRow{}, rows...)
			return out, nil
		})
	api.Register(a, workspaceOp("start-implementation", http.MethodPost, implementationsPath, "Start an implementation",
		"Opens the workspace of a support decided for introduction (or already being introduced) that has none: it gets the newest published gap-analysis template of the home sjukvårdsregion (the default model as version 1 on first use) and the region's readiness checklist, and the support moves to being_introduced on started_on (today when left out). A support that is not decided, or already has a workspace, is refused with 422 at body.support_id."),
		Coordinate, func(ctx context.Context, in *StartInput) (*StartOutput, error) {
			m, err := svc.StartImplementation(ctx, in.Body)
			return &StartOutput{Body: m}, inBody(err, map[string]string{"on": "body.started_on", "to": "body.support_id"})
		})
	api.Register(a, workspaceOp("get-implementation", http.MethodGet, implementationsPath+"/{id}", "Get an implementation's workspace",
		"Everything about one implementation: the working group, the support and its recommendations, the gap analyses by recommendation id and the templates they were made with, the action and communication plans, the checklist, progress, gap profile and readiness, and what the caller may do. The coordinator, the working group and those who oversee (samordnare, verksamhetsutvecklare, ledning, revisor) read it; others get 403."),
		Read, func(ctx context.Context, in *ImplementationIDInput) (*WorkspaceOutput, error) {
			w, err := svc.Workspace(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			// Lists are lists in JSON, empty or not.
			w.Recommendations = jsonList(w.Recommendations)
			w.Actions, w.Communications, w.Checklist = jsonList(w.Actions), jsonList(w.Communications), jsonList(w.Checklist)
			return &WorkspaceOutput{Body: w}, nil
		})
	api.Register(a, workspaceOp("update-implementation-working-group", http.MethodPut, implementationsPath+"/{id}/working-group", "Change an implementation's working group",
		"Replaces the sponsor, the members and the municipalities concerned, and sets the planned end. The improvement leads and the affected units are the support's own, changed in /supports. The working group and the coordinator may change it, until the support is introduced (then 409). Send the version you last read: if someone has changed the implementation since, the answer is 409 and nothing is saved. An unknown person or municipality is refused with 422."),
		Read, func(ctx context.Context, in *WorkingGroupInput) (*WorkingGroupOutput, error) {
			b := in.Body
			m := Implementation{ID: in.ID, SponsorID: b.SponsorID, MemberIDs: b.MemberIDs, Municipalities: b.Municipalities,
				PlannedEnd: b.PlannedEnd, Version: b.Version}
			saved, err := svc.UpdateGroup(ctx, m)
			return &WorkingGroupOutput{Body: saved}, inBody(err, nil)
		})
	tasks := workspaceOp("list-implementation-tasks", http.MethodGet, "/implementation-tasks", "List the caller's implementation tasks",
		"What waits for the signed-in user in the implementation workspaces, by due date: questionnaires to answer for their unit, comment rounds to answer for their unit or municipality, their own overdue actions, and for the coordinator workspaces with overdue actions.")
	tasks.Errors = nil
	api.Register(a, tasks, Read, func(ctx context.Context, _ *struct{}) (*TasksOutput, error) {
		ts, err := svc.Tasks(ctx)
		if err != nil {
			return nil, err
		}
		out := &TasksOutput{}
		out.Body.Items = append([]Task{}, ts...)
		return out, nil
	})
}
