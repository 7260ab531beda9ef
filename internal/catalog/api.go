package catalog

import (
	"cmp"
	"context"
	"net/http"
	"slices"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// The API's tag for the catalog in the OpenAPI document.
var apiTags = []string{"Knowledge supports"}

// IDInput names one support or recommendation by its id.
type IDInput struct {
	ID int64 `path:"id" minimum:"1" doc:"The record's id"`
}

// DeleteInput names the record to delete and the version the caller last read.
type DeleteInput struct {
	ID      int64 `path:"id" minimum:"1" doc:"The record's id"`
	Version int64 `query:"version" required:"true" minimum:"1" doc:"The version last read; if someone has changed the record since, the answer is 409 and nothing is deleted"`
}

// SupportListInput filters and pages the supports.
type SupportListInput struct {
	Kind   string `query:"kind" enum:"care_pathway,national_guideline,care_programme,clinical_knowledge_document,drug_recommendation_list,local_routine," doc:"Only supports of this kind"`
	Status string `query:"status" enum:"watched,inventoried,prioritised,decided,being_introduced,introduced,followed_up,not_relevant,phased_out," doc:"Only supports with this status"`
	NPO    int64  `query:"npo" minimum:"0" doc:"Only supports owned nationally by this NPO (an org group of kind npo)"`
	LPO    int64  `query:"lpo" minimum:"0" doc:"Only supports owned locally by this LPO (an org group of kind lpo)"`
	Q      string `query:"q" maxLength:"200" doc:"Only supports whose title or code contains this text (case-insensitive)"`
	api.PageParams
}

// SupportListOutput is one page of supports, by id.
type SupportListOutput struct {
	Body struct {
		Items      []Support `json:"items"`
		NextCursor string    `json:"next_cursor,omitempty" doc:"Pass as cursor to get the next page; absent on the last page"`
	}
}

// SupportItemsOutput lists supports.
type SupportItemsOutput struct {
	Body struct {
		Items []Support `json:"items"`
	}
}

// SupportOutput is one support.
type SupportOutput struct {
	Body Support
}

// SupportBody is a support as sent to create it. Its units and leads are set
// with PUT /supports/{id}/units and /leads.
type SupportBody struct {
	Kind                   Kind      `json:"kind" enum:"care_pathway,national_guideline,care_programme,clinical_knowledge_document,drug_recommendation_list,local_routine" doc:"What sort of knowledge support it is"`
	Phase                  Phase     `json:"phase,omitempty" enum:"draft,final," doc:"Only for national guidelines, and required for them: draft (out for consultation) or final"`
	Code                   string    `json:"code,omitempty" doc:"Optional unique code, at most 100 characters, e.g. the national slug of a care pathway"`
	Title                  string    `json:"title" doc:"The support's title, at most 300 characters"`
	NationalOwnerID        int64     `json:"national_owner_id,omitempty" minimum:"0" doc:"The NPO that owns the support nationally, from /groups?kind=npo"`
	LocalOwnerID           int64     `json:"local_owner_id,omitempty" minimum:"0" doc:"The LPO that owns the support locally, from /groups?kind=lpo"`
	Publisher              string    `json:"publisher,omitempty" doc:"Who publishes the support, at most 200 characters"`
	Edition                string    `json:"edition,omitempty" doc:"The support's own version as its publisher names it, e.g. 2.1"`
	PublishedOn            date.Date `json:"published_on,omitzero" format:"date" doc:"Publication date, YYYY-MM-DD"`
	Link                   string    `json:"link,omitempty" doc:"https address of the published support"`
	ConcernsMunicipalities bool      `json:"concerns_municipalities,omitempty" doc:"Whether the support concerns the municipalities too"`
}

func (b SupportBody) support() Support {
	return Support{Kind: b.Kind, Phase: b.Phase, Code: b.Code, Title: b.Title, NationalOwnerID: b.NationalOwnerID,
		LocalOwnerID: b.LocalOwnerID, Publisher: b.Publisher, Edition: b.Edition, PublishedOn: b.PublishedOn, Link: b.Link,
		ConcernsMunicipalities: b.ConcernsMunicipalities}
}

// SupportCreateInput creates a support.
type SupportCreateInput struct {
	Body SupportBody
}

// SupportUpdateBody is a support as sent to change it.
type SupportUpdateBody struct {
	SupportBody
	Version int64 `json:"version" minimum:"1" doc:"The version last read; a stale version is refused with 409"`
}

// SupportUpdateInput changes a support.
type SupportUpdateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The support's id"`
	Body SupportUpdateBody
}

// TransitionBody moves a support to another status.
type TransitionBody struct {
	To      Status    `json:"to" enum:"watched,inventoried,prioritised,decided,being_introduced,introduced,followed_up,not_relevant,phased_out" doc:"The new status; it must be one the lifecycle allows from the current status"`
	Date    date.Date `json:"date" format:"date" doc:"The day the change took effect, YYYY-MM-DD, e.g. the day of HSL's decision; not before the previous change"`
	Reason  string    `json:"reason" doc:"Why the status changes, at most 2000 characters"`
	Version int64     `json:"version" minimum:"1" doc:"The version last read; a stale version is refused with 409"`
}

// TransitionInput moves a support.
type TransitionInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The support's id"`
	Body TransitionBody
}

// HistoryOutput lists a support's status changes.
type HistoryOutput struct {
	Body struct {
		Items []Transition `json:"items"`
	}
}

// LinksBody replaces a support's leads or units.
type LinksBody struct {
	IDs     []int64 `json:"ids" maxItems:"500" doc:"The complete new list of ids; an empty list removes all"`
	Version int64   `json:"version" minimum:"1" doc:"The version last read; a stale version is refused with 409"`
}

// LinksInput replaces a support's leads or units.
type LinksInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The support's id"`
	Body LinksBody
}

// RecommendationListInput names the support whose recommendations to list.
type RecommendationListInput struct {
	SupportID int64 `query:"support_id" required:"true" minimum:"1" doc:"The support, from /supports"`
}

// RecommendationListOutput lists recommendations in their order.
type RecommendationListOutput struct {
	Body struct {
		Items []Recommendation `json:"items"`
	}
}

// RecommendationOutput is one recommendation.
type RecommendationOutput struct {
	Body Recommendation
}

// RecommendationFields are a recommendation's fields as sent to change it.
type RecommendationFields struct {
	Code         string `json:"code,omitempty" doc:"The recommendation's code in its support, e.g. A12; at most 50 characters"`
	Text         string `json:"text" doc:"The recommendation, at most 4000 characters"`
	Priority     int    `json:"priority,omitempty" doc:"Only for national guidelines: 1 (highest) to 10 (lowest); 0 or absent is none"`
	DoNotDo      bool   `json:"do_not_do,omitempty" doc:"Only for national guidelines: icke-göra, the guideline advises against it"`
	ResearchOnly bool   `json:"research_only,omitempty" doc:"Only for national guidelines: FoU, only within research and development"`
	Position     int    `json:"position,omitempty" doc:"Order within the support; 0 or absent appends on create and keeps the place on change"`
}

func (f RecommendationFields) recommendation() Recommendation {
	return Recommendation{Code: f.Code, Text: f.Text, Priority: f.Priority, DoNotDo: f.DoNotDo, ResearchOnly: f.ResearchOnly, Position: f.Position}
}

// RecommendationBody is a recommendation as sent to create it.
type RecommendationBody struct {
	SupportID int64 `json:"support_id" minimum:"1" doc:"The support it belongs to, from /supports"`
	RecommendationFields
}

// RecommendationCreateInput creates a recommendation.
type RecommendationCreateInput struct {
	Body RecommendationBody
}

// RecommendationUpdateBody is a recommendation as sent to change it; it stays
// with its support.
type RecommendationUpdateBody struct {
	RecommendationFields
	Version int64 `json:"version" minimum:"1" doc:"The version last read; a stale version is refused with 409"`
}

// RecommendationUpdateInput changes a recommendation.
type RecommendationUpdateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The recommendation's id"`
	Body RecommendationUpdateBody
}

// op describes one catalog operation.
func op(id, method, path, summary, description string) huma.Operation {
	o := huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Description: description, Tags: apiTags}
	switch method {
	case http.MethodGet:
		o.Errors = []int{http.StatusNotFound}
	case http.MethodPost:
		o.DefaultStatus = http.StatusCreated
		o.Errors = []int{http.StatusBadRequest, http.StatusUnprocessableEntity}
	case http.MethodPut:
		o.Errors = []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	case http.MethodDelete:
		o.DefaultStatus = http.StatusNoContent
		o.Errors = []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	}
	return o
}

// Texts shared by the descriptions of changing operations.
const (
	versionNote = " Send the `version` you last read: if someone has changed the record since, the answer is 409 and nothing is saved."
	deleteNote  = " Give the version you last read as `?version=`: if someone has changed the record since, the answer is 409 and nothing is deleted."
	invalidNote = " A value that breaks a rule of the catalog is refused with 422, naming the field (`body.<field>`)."
)

// renamed returns err with the validation fields named in names renamed, so
// a problem names the field of the request body rather than the service's.
func renamed(err error, names map[string]string) error {
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
		out.Add(name, f.Key, f.Args...)
	}
	return out
}

// page returns the supports after id after, by id, at most limit of them,
// and the id to continue after, 0 on the last page.
func page(items []Support, after int64, limit int) ([]Support, int64) {
	items = slices.Clone(items)
	slices.SortFunc(items, func(a, b Support) int { return cmp.Compare(a.ID, b.ID) })
	items = slices.DeleteFunc(items, func(s Support) bool { return s.ID <= after })
	if limit <= 0 || len(items) <= limit {
		return items, 0
	}
	return items[:limit], items[limit-1].ID
}

// RegisterAPI adds the catalog's operations to the API: the knowledge
// supports, their lifecycle, leads and units, and their recommendations.
func RegisterAPI(a *api.API, svc *Service) {
	registerSupportAPI(a, svc)
	registerLifecycleAPI(a, svc)
	registerRecommendationAPI(a, svc)
	registerImportAPI(a, svc)
}

func registerSupportAPI(a *api.API, svc *Service) {
	api.Register(a, op("list-supports", http.MethodGet, "/supports", "List the knowledge supports",
		"Care pathways, national guidelines, care programmes, clinical knowledge documents, drug recommendation lists and local routines in the catalog, by id, one page at a time. Filter by kind, status, national owner (npo), local owner (lpo) and a text in the title or code."),
		Read, func(ctx context.Context, in *SupportListInput) (*SupportListOutput, error) {
			after, err := api.DecodeCursor(in.Cursor)
			if err != nil {
				return nil, api.InQuery(err)
			}
			all, err := svc.Supports(ctx, Filter{Kind: Kind(in.Kind), Status: Status(in.Status), NPO: in.NPO, LPO: in.LPO, Query: in.Q})
			if err != nil {
				return nil, err
			}
			items, next := page(all, after, in.Limit)
			out := &SupportListOutput{}
			out.Body.Items = append([]Support{}, items...)
			out.Body.NextCursor = api.EncodeCursor(next)
			return out, nil
		})
	api.Register(a, op("list-person-dependent-supports", http.MethodGet, "/supports/person-dependent", "List the person-dependent supports",
		"The supports the region works on (decided for introduction, being introduced, introduced or followed up) that have no or only one responsible improvement lead, by title."),
		Read, func(ctx context.Context, _ *struct{}) (*SupportItemsOutput, error) {
			items, err := svc.PersonDependent(ctx)
			out := &SupportItemsOutput{}
			out.Body.Items = append([]Support{}, items...)
			return out, err
		})
	api.Register(a, op("get-support", http.MethodGet, "/supports/{id}", "Get a knowledge support",
		"One support with its status, owners, affected units and responsible improvement leads."),
		Read, func(ctx context.Context, in *IDInput) (*SupportOutput, error) {
			sp, err := svc.Support(ctx, in.ID)
			return &SupportOutput{Body: sp}, err
		})
	api.Register(a, op("create-support", http.MethodPost, "/supports", "Create a knowledge support",
		"Adds a support to the catalog; it starts as watched. A national guideline needs a phase, other kinds have none; the national owner must be an NPO and the local owner an LPO; a code must be unique and a link an https address. Units and leads are set afterwards with PUT /supports/{id}/units and /leads."+invalidNote),
		Write, func(ctx context.Context, in *SupportCreateInput) (*SupportOutput, error) {
			sp, err := svc.CreateSupport(ctx, in.Body.support())
			return &SupportOutput{Body: sp}, err
		})
	api.Register(a, op("update-support", http.MethodPut, "/supports/{id}", "Change a knowledge support",
		"Replaces the support's fields. The status changes only through POST /supports/{id}/transitions, the units and leads through their own operations."+versionNote+invalidNote),
		Write, func(ctx context.Context, in *SupportUpdateInput) (*SupportOutput, error) {
			sp := in.Body.support()
			sp.ID, sp.Version = in.ID, in.Body.Version
			sp, err := svc.UpdateSupport(ctx, sp)
			return &SupportOutput{Body: sp}, err
		})
	api.Register(a, op("delete-support", http.MethodDelete, "/supports/{id}", "Delete a knowledge support",
		"Removes the support with its recommendations and status history. The care pathways of the national reference list are kept (422): they return on every install."+deleteNote),
		Write, func(ctx context.Context, in *DeleteInput) (*struct{}, error) {
			return nil, svc.DeleteSupport(ctx, in.ID, in.Version)
		})
}

func registerLifecycleAPI(a *api.API, svc *Service) {
	api.Register(a, op("list-support-history", http.MethodGet, "/supports/{id}/history", "List a support's status changes",
		"Each move through the lifecycle with its date, reason, who recorded it and when; oldest first."),
		Read, func(ctx context.Context, in *IDInput) (*HistoryOutput, error) {
			items, err := svc.History(ctx, in.ID)
			out := &HistoryOutput{}
			out.Body.Items = append([]Transition{}, items...)
			return out, err
		})
	transition := op("transition-support", http.MethodPost, "/supports/{id}/transitions", "Move a support to another status",
		"Moves the support one step through its lifecycle: watched → inventoried → prioritised → decided → being introduced → introduced → followed up. It can be judged not relevant until HSL has decided on it (and be watched again later); a prioritised support HSL does not choose goes back to being watched; a support being introduced or later can be phased out. A move the lifecycle does not allow is refused with 422 at `body.to`; a date before the previous change with 422 at `body.date`. The change is recorded in the history with its date and reason."+versionNote)
	transition.DefaultStatus = http.StatusOK
	transition.Errors = append(transition.Errors, http.StatusNotFound, http.StatusConflict)
	api.Register(a, transition,
		Write, func(ctx context.Context, in *TransitionInput) (*SupportOutput, error) {
			b := in.Body
			sp, err := svc.Transition(ctx, in.ID, b.To, b.Date, b.Reason, b.Version)
			return &SupportOutput{Body: sp}, renamed(err, map[string]string{"on": "date"})
		})
	api.Register(a, op("set-support-leads", http.MethodPut, "/supports/{id}/leads", "Set a support's improvement leads",
		"Replaces the responsible improvement leads (people, from /people). A support the region works on with fewer than two leads is person-dependent."+versionNote+invalidNote),
		Write, func(ctx context.Context, in *LinksInput) (*SupportOutput, error) {
			sp, err := svc.SetLeads(ctx, in.ID, in.Body.IDs, in.Body.Version)
			return &SupportOutput{Body: sp}, renamed(err, map[string]string{"lead_ids": "ids"})
		})
	api.Register(a, op("set-support-units", http.MethodPut, "/supports/{id}/units", "Set a support's affected units",
		"Replaces the units (from /units) the support affects."+versionNote+invalidNote),
		Write, func(ctx context.Context, in *LinksInput) (*SupportOutput, error) {
			sp, err := svc.SetUnits(ctx, in.ID, in.Body.IDs, in.Body.Version)
			return &SupportOutput{Body: sp}, renamed(err, map[string]string{"unit_ids": "ids"})
		})
}

func registerRecommendationAPI(a *api.API, svc *Service) {
	api.Register(a, op("list-recommendations", http.MethodGet, "/recommendations", "List a support's recommendations",
		"The recommendations of one support, in their order. An unknown support is 404."),
		Read, func(ctx context.Context, in *RecommendationListInput) (*RecommendationListOutput, error) {
			items, err := svc.Recommendations(ctx, in.SupportID)
			out := &RecommendationListOutput{}
			out.Body.Items = append([]Recommendation{}, items...)
			return out, err
		})
	api.Register(a, op("get-recommendation", http.MethodGet, "/recommendations/{id}", "Get a recommendation", "One recommendation of a support."),
		Read, func(ctx context.Context, in *IDInput) (*RecommendationOutput, error) {
			r, err := svc.Recommendation(ctx, in.ID)
			return &RecommendationOutput{Body: r}, err
		})
	api.Register(a, op("create-recommendation", http.MethodPost, "/recommendations", "Create a recommendation",
		"Adds a recommendation to a support, last unless it names a position. Priority (1–10), do not do and research only are Socialstyrelsen's markings and belong to national guidelines only."+invalidNote),
		Write, func(ctx context.Context, in *RecommendationCreateInput) (*RecommendationOutput, error) {
			r := in.Body.recommendation()
			r.SupportID = in.Body.SupportID
			r, err := svc.CreateRecommendation(ctx, r)
			return &RecommendationOutput{Body: r}, err
		})
	api.Register(a, op("update-recommendation", http.MethodPut, "/recommendations/{id}", "Change a recommendation",
		"Replaces the recommendation's fields; it stays with its support."+versionNote+invalidNote),
		Write, func(ctx context.Context, in *RecommendationUpdateInput) (*RecommendationOutput, error) {
			r := in.Body.recommendation()
			r.ID, r.Version = in.ID, in.Body.Version
			r, err := svc.UpdateRecommendation(ctx, r)
			return &RecommendationOutput{Body: r}, err
		})
	api.Register(a, op("delete-recommendation", http.MethodDelete, "/recommendations/{id}", "Delete a recommendation",
		"Removes one recommendation from its support."+deleteNote),
		Write, func(ctx context.Context, in *DeleteInput) (*struct{}, error) {
			return nil, svc.DeleteRecommendation(ctx, in.ID, in.Version)
		})
}
