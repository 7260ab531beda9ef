package implement

import (
	"context"
	"net/http"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// planEditNote ends the description of an operation that changes a plan.
const planEditNote = " Only the working group (improvement leads, members, sponsor) and the coordinator may change it (403 for others); once the support is introduced the workspace is locked (409)."

// ActionIDInput names an action of an implementation.
type ActionIDInput struct {
	ID  int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	AID int64 `path:"aid" minimum:"1" doc:"The action's id"`
}

// ActionBody is an action as sent.
type ActionBody struct {
	Title         string       `json:"title" doc:"At most 300 characters"`
	Description   string       `json:"description,omitempty" doc:"At most 4000 characters"`
	ResponsibleID int64        `json:"responsible_id,omitempty" minimum:"0" doc:"The responsible person, from /people"`
	Start         date.Date    `json:"start" format:"date" doc:"YYYY-MM-DD"`
	Due           date.Date    `json:"due" format:"date" doc:"YYYY-MM-DD, not before start"`
	Status        ActionStatus `json:"status" enum:"planned,started,done,cancelled"`
	EffortHours   int          `json:"effort_hours,omitempty" minimum:"0" maximum:"100000"`
	Milestone     bool         `json:"milestone,omitempty" doc:"A dated point: start becomes due"`
	DoneOn        date.Date    `json:"done_on,omitzero" format:"date" doc:"Required when done, only then"`
	GapIDs        []int64      `json:"gap_ids,omitempty" maxItems:"500" doc:"Ids of the gap analyses (of this implementation) the action closes"`
	Version       int64        `json:"version,omitempty" minimum:"0" doc:"When changing: the version last read"`
}

func (b ActionBody) action(id, aid int64) Action {
	return Action{ID: aid, ImplementationID: id, Title: b.Title, Description: b.Description, ResponsibleID: b.ResponsibleID,
		Start: b.Start, Due: b.Due, Status: b.Status, EffortHours: b.EffortHours, Milestone: b.Milestone, DoneOn: b.DoneOn,
		GapIDs: b.GapIDs, Version: b.Version}
}

// ActionCreateInput adds an action.
type ActionCreateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	Body ActionBody
}

// ActionUpdateInput changes an action.
type ActionUpdateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	AID  int64 `path:"aid" minimum:"1" doc:"The action's id"`
	Body ActionBody
}

// ActionDeleteInput deletes an action.
type ActionDeleteInput struct {
	ID      int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	AID     int64 `path:"aid" minimum:"1" doc:"The action's id"`
	Version int64 `query:"version" required:"true" minimum:"1" doc:"The version last read; 409 if it has changed since"`
}

// ActionOutput is one action.
type ActionOutput struct{ Body Action }

// ActionListOutput is the action plan with its progress.
type ActionListOutput struct {
	Body struct {
		Items    []Action `json:"items"`
		Progress Progress `json:"progress"`
	}
}

// CommIDInput names a row of the communication plan.
type CommIDInput struct {
	ID  int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	CID int64 `path:"cid" minimum:"1" doc:"The communication's id"`
}

// CommBody is a row of the communication plan as sent.
type CommBody struct {
	TargetGroup   string    `json:"target_group" doc:"At most 300 characters"`
	Message       string    `json:"message" doc:"At most 4000 characters"`
	Channel       Channel   `json:"channel" enum:"meeting,workplace_meeting,intranet,email,newsletter,training,letter,other"`
	PlannedOn     date.Date `json:"planned_on" format:"date"`
	ResponsibleID int64     `json:"responsible_id,omitempty" minimum:"0"`
	DoneOn        date.Date `json:"done_on,omitzero" format:"date" doc:"Set when done"`
	Version       int64     `json:"version,omitempty" minimum:"0" doc:"When changing: the version last read"`
}

func (b CommBody) communication(id, cid int64) Communication {
	return Communication{ID: cid, ImplementationID: id, TargetGroup: b.TargetGroup, Message: b.Message, Channel: b.Channel,
		PlannedOn: b.PlannedOn, ResponsibleID: b.ResponsibleID, DoneOn: b.DoneOn, Version: b.Version}
}

// CommCreateInput adds a row.
type CommCreateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	Body CommBody
}

// CommUpdateInput changes a row.
type CommUpdateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	CID  int64 `path:"cid" minimum:"1" doc:"The communication's id"`
	Body CommBody
}

// CommDeleteInput deletes a row.
type CommDeleteInput struct {
	ID      int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	CID     int64 `path:"cid" minimum:"1" doc:"The communication's id"`
	Version int64 `query:"version" required:"true" minimum:"1" doc:"The version last read; 409 if it has changed since"`
}

// CommOutput is one row of the communication plan.
type CommOutput struct{ Body Communication }

// CommListOutput is the communication plan.
type CommListOutput struct {
	Body struct {
		Items []Communication `json:"items"`
	}
}

// ChecklistOutput is the checklist with its readiness.
type ChecklistOutput struct {
	Body struct {
		Items []ChecklistItem `json:"items"`
		Ready bool            `json:"ready" doc:"Every required item is done or waived"`
		Open  []ChecklistItem `json:"open" doc:"The required items still open"`
	}
}

// ItemInput changes a checklist item.
type ItemInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	IID  int64 `path:"iid" minimum:"1" doc:"The checklist item's id"`
	Body ItemEdit
}

// WaiveBody waives an item, or lifts the waiver.
type WaiveBody struct {
	Reason  string `json:"reason,omitempty" doc:"Why the item is waived, 1–2000 characters; ignored when lifting"`
	Lift    bool   `json:"lift,omitempty" doc:"Lift the waiver: the item is open again"`
	Version int64  `json:"version" minimum:"1" doc:"The item's version last read"`
}

// WaiveInput waives an item.
type WaiveInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	IID  int64 `path:"iid" minimum:"1" doc:"The checklist item's id"`
	Body WaiveBody
}

// AddItemInput adds the working group's own item.
type AddItemInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	Body struct {
		Label    string `json:"label" doc:"At most 300 characters"`
		Required bool   `json:"required,omitempty"`
	}
}

// ItemOutput is one checklist item.
type ItemOutput struct{ Body ChecklistItem }

// IntroduceInput marks the support introduced.
type IntroduceInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	Body struct {
		On      date.Date `json:"on,omitzero" format:"date" doc:"The day; today when left out"`
		Version int64     `json:"version" minimum:"1" doc:"The implementation's version last read"`
	}
}

// ImplementationOutput is one implementation.
type ImplementationOutput struct{ Body Implementation }

// ModelOutput is the region's checklist model.
type ModelOutput struct {
	Body struct {
		Items []ModelItem `json:"items"`
	}
}

// ModelInput changes the region's checklist model.
type ModelInput struct {
	Body struct {
		Items []ModelEdit `json:"items" maxItems:"200" doc:"Items changed, added (no id) or removed; items not sent stay as they are"`
	}
}

func planAPI(a *api.API, svc *Service) {
	const base = "/implementations/{id}"
	api.Register(a, partOp("list-implementation-actions", http.MethodGet, base+"/actions", "List an action plan",
		"The implementation's actions in order, with the gaps each closes, and the plan's progress."),
		Read, func(ctx context.Context, in *ImplementationIDInput) (*ActionListOutput, error) {
			as, err := svc.Actions(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			out := &ActionListOutput{}
			out.Body.Items, out.Body.Progress = as, PlanProgress(as, svc.Today())
			return out, nil
		})
	api.Register(a, partOp("create-implementation-action", http.MethodPost, base+"/actions", "Add an action",
		"Adds an action at the end of the plan. The due date may not be before the start (422 at `body.due`); the gaps must be gap analyses of this implementation (422 at `body.gap_ids`). An action started or done moves a support still decided to being introduced."+planEditNote),
		Read, func(ctx context.Context, in *ActionCreateInput) (*ActionOutput, error) {
			act, err := svc.CreateAction(ctx, in.Body.action(in.ID, 0))
			return &ActionOutput{Body: act}, inBody(err, nil)
		})
	api.Register(a, partOp("get-implementation-action", http.MethodGet, base+"/actions/{aid}", "Get an action", "One action of the plan."),
		Read, func(ctx context.Context, in *ActionIDInput) (*ActionOutput, error) {
			act, err := svc.Action(ctx, in.ID, in.AID)
			return &ActionOutput{Body: act}, err
		})
	api.Register(a, partOp("update-implementation-action", http.MethodPut, base+"/actions/{aid}", "Change an action",
		"Saves the action whole."+versionNote+planEditNote),
		Read, func(ctx context.Context, in *ActionUpdateInput) (*ActionOutput, error) {
			act, err := svc.UpdateAction(ctx, in.Body.action(in.ID, in.AID))
			return &ActionOutput{Body: act}, inBody(err, nil)
		})
	api.Register(a, partOp("delete-implementation-action", http.MethodDelete, base+"/actions/{aid}", "Delete an action",
		"Removes the action; give the version last read as `?version=`."+planEditNote),
		Read, func(ctx context.Context, in *ActionDeleteInput) (*struct{}, error) {
			return nil, svc.DeleteAction(ctx, in.ID, in.AID, in.Version)
		})

	api.Register(a, partOp("list-implementation-communications", http.MethodGet, base+"/communications", "List a communication plan",
		"The rows of the communication plan by planned date."),
		Read, func(ctx context.Context, in *ImplementationIDInput) (*CommListOutput, error) {
			cs, err := svc.Communications(ctx, in.ID)
			out := &CommListOutput{}
			out.Body.Items = cs
			if out.Body.Items == nil {
				out.Body.Items = []Communication{}
			}
			return out, err
		})
	api.Register(a, partOp("create-implementation-communication", http.MethodPost, base+"/communications", "Add a communication",
		"Adds a row to the communication plan."+planEditNote),
		Read, func(ctx context.Context, in *CommCreateInput) (*CommOutput, error) {
			c, err := svc.CreateCommunication(ctx, in.Body.communication(in.ID, 0))
			return &CommOutput{Body: c}, inBody(err, nil)
		})
	api.Register(a, partOp("get-implementation-communication", http.MethodGet, base+"/communications/{cid}", "Get a communication",
		"One row of the communication plan."),
		Read, func(ctx context.Context, in *CommIDInput) (*CommOutput, error) {
			c, err := svc.Communication(ctx, in.ID, in.CID)
			return &CommOutput{Body: c}, err
		})
	api.Register(a, partOp("update-implementation-communication", http.MethodPut, base+"/communications/{cid}", "Change a communication",
		"Saves the row whole."+versionNote+planEditNote),
		Read, func(ctx context.Context, in *CommUpdateInput) (*CommOutput, error) {
			c, err := svc.UpdateCommunication(ctx, in.Body.communication(in.ID, in.CID))
			return &CommOutput{Body: c}, inBody(err, nil)
		})
	api.Register(a, partOp("delete-implementation-communication", http.MethodDelete, base+"/communications/{cid}", "Delete a communication",
		"Removes the row; give the version last read as `?version=`."+planEditNote),
		Read, func(ctx context.Context, in *CommDeleteInput) (*struct{}, error) {
			return nil, svc.DeleteCommunication(ctx, in.ID, in.CID, in.Version)
		})

	api.Register(a, partOp("get-implementation-checklist", http.MethodGet, base+"/checklist", "Get a readiness checklist",
		"The checklist items, whether the implementation is ready to be marked introduced and the required items still open."),
		Read, func(ctx context.Context, in *ImplementationIDInput) (*ChecklistOutput, error) {
			items, err := svc.Checklist(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			out := &ChecklistOutput{}
			out.Body.Items = items
			out.Body.Ready, out.Body.Open = Ready(items)
			if out.Body.Open == nil {
				out.Body.Open = []ChecklistItem{}
			}
			return out, nil
		})
	api.Register(a, partOp("add-implementation-checklist-item", http.MethodPost, base+"/checklist", "Add a checklist item",
		"Adds the working group's own item to the end of the checklist."+planEditNote),
		Read, func(ctx context.Context, in *AddItemInput) (*ItemOutput, error) {
			it, err := svc.AddItem(ctx, in.ID, in.Body.Label, in.Body.Required)
			return &ItemOutput{Body: it}, inBody(err, nil)
		})
	api.Register(a, partOp("update-implementation-checklist-item", http.MethodPut, base+"/checklist/{iid}", "Change a checklist item",
		"Marks the item done or open with a note and the forum case that documents it (422 at `body.case_id` for a case that does not exist). A waived item is opened again only by the coordinator (waive with lift)."+versionNote+planEditNote),
		Read, func(ctx context.Context, in *ItemInput) (*ItemOutput, error) {
			e := in.Body
			e.ImplementationID, e.ID = in.ID, in.IID
			it, err := svc.SetItem(ctx, e)
			return &ItemOutput{Body: it}, inBody(err, nil)
		})
	api.Register(a, partOp("waive-implementation-checklist-item", http.MethodPost, base+"/checklist/{iid}/waive", "Waive a checklist item",
		"The coordinator settles an item without it being done, giving a reason (422 at `body.reason` without one), or lifts the waiver with `lift`. Others get 403."+versionNote),
		Read, func(ctx context.Context, in *WaiveInput) (*ItemOutput, error) {
			var it ChecklistItem
			var err error
			if in.Body.Lift {
				it, err = svc.Unwaive(ctx, in.ID, in.IID, in.Body.Version)
			} else {
				it, err = svc.Waive(ctx, in.ID, in.IID, in.Body.Reason, in.Body.Version)
			}
			if v, ok := errs.AsValidation(err); ok {
				out := &errs.ValidationError{}
				for _, f := range v.Fields {
					name := f.Name
					if name == "waive_reason" {
						name = "reason"
					}
					out.Add("body."+name, f.Key, f.Args...)
				}
				return nil, out
			}
			return &ItemOutput{Body: it}, err
		})
	api.Register(a, partOp("introduce-implementation", http.MethodPost, base+"/introduce", "Mark a support introduced",
		"Records that the support is introduced and moves it to introduced, in one step. Refused with 422 at `body.checklist` until every required checklist item is done or waived. Afterwards the workspace is locked."+versionNote+planEditNote),
		Read, func(ctx context.Context, in *IntroduceInput) (*ImplementationOutput, error) {
			m, err := svc.MarkIntroduced(ctx, in.ID, in.Body.On, in.Body.Version)
			return &ImplementationOutput{Body: m}, inBody(err, nil)
		})

	api.Register(a, partOp("get-checklist-model", http.MethodGet, "/checklist-model", "Get the region's checklist model",
		"The items copied into the checklist of each new implementation."),
		Oversee, func(ctx context.Context, _ *struct{}) (*ModelOutput, error) {
			ms, err := svc.ChecklistModel(ctx)
			out := &ModelOutput{}
			out.Body.Items = ms
			return out, err
		})
	api.Register(a, partOp("update-checklist-model", http.MethodPut, "/checklist-model", "Change the region's checklist model",
		"Changes, adds or removes items of the model (each existing item by its version; 409 if it has changed since). Used for implementations started afterwards."),
		Coordinate, func(ctx context.Context, in *ModelInput) (*ModelOutput, error) {
			ms, err := svc.SaveModel(ctx, in.Body.Items)
			out := &ModelOutput{}
			out.Body.Items = ms
			return out, inBody(err, nil)
		})
}
