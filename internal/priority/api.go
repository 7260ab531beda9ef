package priority

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// The API's tag for the prioritisation round in the OpenAPI document.
var apiTags = []string{"Prioritisation"}

// roundsPath is where the rounds live in the API, relative to /api/v1.
const roundsPath = "/prioritisation-rounds"

// RoundIDInput names one round.
type RoundIDInput struct {
	ID int64 `path:"id" minimum:"1" doc:"The round's id"`
}

// RoundDeleteInput names the round to delete and the version last read.
type RoundDeleteInput struct {
	ID      int64 `path:"id" minimum:"1" doc:"The round's id"`
	Version int64 `query:"version" required:"true" minimum:"1" doc:"The version last read; if someone has changed the round since, the answer is 409 and nothing is deleted"`
}

// RoundListInput pages the rounds.
type RoundListInput struct {
	api.PageParams
}

// RoundListOutput is one page of rounds with their progress, by id.
type RoundListOutput struct {
	Body struct {
		Items      []RoundSummary `json:"items"`
		NextCursor string         `json:"next_cursor,omitempty" doc:"Pass as cursor to get the next page; absent on the last page"`
	}
}

// RoundOutput is one round.
type RoundOutput struct {
	Body Round
}

// RoundScaleBody is a round's scale as sent.
type RoundScaleBody struct {
	Min    int      `json:"min" doc:"The lowest score, a whole number from 0"`
	Max    int      `json:"max" doc:"The highest score; the scale has 2 to 10 steps and ends at most at 100"`
	Labels []string `json:"labels,omitempty" maxItems:"10" doc:"Optional name of each step, from min to max: none or one per step"`
}

func (b RoundScaleBody) scale() Scale {
	return Scale{Min: b.Min, Max: b.Max, Labels: slices.Clone(b.Labels)}
}

// RoundCriterionBody is one criterion of a round as sent.
type RoundCriterionBody struct {
	ID          int64  `json:"id,omitempty" minimum:"0" doc:"When changing a round: the id of a criterion kept; absent for a new one"`
	Axis        Axis   `json:"axis" enum:"importance,feasibility" doc:"importance (viktigt) or feasibility (möjligt)"`
	Label       string `json:"label" doc:"The question, at most 200 characters"`
	Description string `json:"description,omitempty" doc:"Help for the assessor groups, at most 4000 characters"`
	Weight      int    `json:"weight,omitempty" doc:"Weight in the axis mean, 1 to 10; 1 when left out"`
}

func criteria(bs []RoundCriterionBody) []Criterion {
	out := make([]Criterion, 0, len(bs))
	for _, b := range bs {
		out = append(out, Criterion{ID: b.ID, Axis: b.Axis, Label: b.Label, Description: b.Description, Weight: b.Weight})
	}
	return out
}

// RoundCreateBody is a round as sent to create it. What is left out gets the
// region's defaults, worded in Swedish.
type RoundCreateBody struct {
	Year         int                  `json:"year" doc:"The year whose introductions the round prioritises, 2000–2100"`
	Title        *string              `json:"title,omitempty" doc:"At most 200 characters; \"Prioritering av kunskapsstöd <year>\" when left out"`
	Instructions *string              `json:"instructions,omitempty" doc:"What the assessor groups are asked to do, at most 4000 characters; the region's standard text when left out, none when empty"`
	Deadline     date.Date            `json:"deadline" format:"date" doc:"Last day on which groups may rate, YYYY-MM-DD"`
	Scale        *RoundScaleBody      `json:"scale,omitempty" doc:"The scale; 1–5 with named steps when left out"`
	Criteria     []RoundCriterionBody `json:"criteria,omitempty" maxItems:"20" doc:"The questions, at least one per axis; when left out the region's three importance and five feasibility criteria"`
}

// RoundCreateInput creates a round.
type RoundCreateInput struct {
	Body RoundCreateBody
}

// RoundUpdateBody is a round as sent to change it.
type RoundUpdateBody struct {
	Year         int                  `json:"year" doc:"Fixed once the round is open"`
	Title        string               `json:"title" doc:"At most 200 characters"`
	Instructions string               `json:"instructions,omitempty" doc:"At most 4000 characters"`
	Deadline     date.Date            `json:"deadline" format:"date" doc:"Last day on which groups may rate, YYYY-MM-DD; not before today once the round is open"`
	Scale        RoundScaleBody       `json:"scale" doc:"Fixed once the round is open: send it as read"`
	Criteria     []RoundCriterionBody `json:"criteria" maxItems:"20" doc:"Fixed once the round is open: send them as read, with their ids"`
	Version      int64                `json:"version" minimum:"1" doc:"The version last read; a stale version is refused with 409"`
}

// RoundUpdateInput changes a round.
type RoundUpdateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The round's id"`
	Body RoundUpdateBody
}

// RoundCandidatesOutput is a round with its candidates in their order.
type RoundCandidatesOutput struct {
	Body struct {
		Round Round       `json:"round"`
		Items []Candidate `json:"items"`
	}
}

// RoundCandidatesBody replaces a draft round's candidates.
type RoundCandidatesBody struct {
	SupportIDs []int64 `json:"support_ids" maxItems:"500" doc:"The complete new list of supports (from /supports), in the order they are to be numbered; each watched or inventoried and not a candidate of another round not yet decided"`
	Version    int64   `json:"version" minimum:"1" doc:"The round's version last read; a stale version is refused with 409"`
}

// RoundCandidatesInput replaces a draft round's candidates.
type RoundCandidatesInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The round's id"`
	Body RoundCandidatesBody
}

// RoundGroupsOutput is a round with its assessor groups and the groups that may
// be chosen.
type RoundGroupsOutput struct {
	Body struct {
		Round    Round           `json:"round"`
		Items    []AssessorGroup `json:"items" doc:"The round's assessor groups, by name"`
		Eligible []AssessorGroup `json:"eligible" doc:"The groups that may rate: the region's LPOs and RPOs, the primary-care council and other regional groups"`
	}
}

// RoundGroupsBody replaces a draft round's assessor groups.
type RoundGroupsBody struct {
	GroupIDs []int64 `json:"group_ids" maxItems:"100" doc:"The complete new list of groups, each one of eligible"`
	Version  int64   `json:"version" minimum:"1" doc:"The round's version last read; a stale version is refused with 409"`
}

// RoundGroupsInput replaces a draft round's assessor groups.
type RoundGroupsInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The round's id"`
	Body RoundGroupsBody
}

// RoundStepBody names the round's version for a step.
type RoundStepBody struct {
	Version int64 `json:"version" minimum:"1" doc:"The round's version last read; a stale version is refused with 409"`
}

// RoundStepInput moves a round one step.
type RoundStepInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The round's id"`
	Body RoundStepBody
}

// RoundReopenBody opens a closed round again.
type RoundReopenBody struct {
	Version  int64     `json:"version" minimum:"1" doc:"The round's version last read; a stale version is refused with 409"`
	Deadline date.Date `json:"deadline" format:"date" doc:"The new last day for rating, YYYY-MM-DD, not before today"`
}

// RoundReopenInput opens a closed round again.
type RoundReopenInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The round's id"`
	Body RoundReopenBody
}

// RoundSheetListInput pages a round's sheets.
type RoundSheetListInput struct {
	ID      int64 `path:"id" minimum:"1" doc:"The round's id"`
	GroupID int64 `query:"group_id" minimum:"0" doc:"Only this assessor group's sheets"`
	api.PageParams
}

// RoundSheetListOutput is one page of saved sheets, by id.
type RoundSheetListOutput struct {
	Body struct {
		Items      []Sheet `json:"items"`
		NextCursor string  `json:"next_cursor,omitempty" doc:"Pass as cursor to get the next page; absent on the last page"`
	}
}

// RoundSheetInput names one group's sheet for one candidate.
type RoundSheetInput struct {
	ID        int64 `path:"id" minimum:"1" doc:"The round's id"`
	Group     int64 `path:"group" minimum:"1" doc:"The assessor group's id"`
	Candidate int64 `path:"candidate" minimum:"1" doc:"The candidate's id (not the support's)"`
}

// RoundSheetOutput is one sheet.
type RoundSheetOutput struct {
	Body Sheet
}

// RoundSheetBody is a sheet as sent to save it.
type RoundSheetBody struct {
	Scores  []Score `json:"scores" maxItems:"20" doc:"A score and comment per criterion of the round; a criterion left out or without value is not yet rated"`
	Version int64   `json:"version" minimum:"0" doc:"The sheet's version last read, 0 for a sheet not yet saved; if another member of the group saved in between, the answer is 409 and nothing is saved"`
}

// RoundSheetSaveInput saves a sheet.
type RoundSheetSaveInput struct {
	ID        int64 `path:"id" minimum:"1" doc:"The round's id"`
	Group     int64 `path:"group" minimum:"1" doc:"The assessor group's id"`
	Candidate int64 `path:"candidate" minimum:"1" doc:"The candidate's id (not the support's)"`
	Body      RoundSheetBody
}

// RoundResultsOutput is a round's results.
type RoundResultsOutput struct {
	Body Results
}

// RoundProposalInput saves the proposal for a closed round's candidates.
type RoundProposalInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The round's id"`
	Body []ProposalChange
}

// RoundCandidateListOutput lists a round's candidates.
type RoundCandidateListOutput struct {
	Body struct {
		Items []Candidate `json:"items"`
	}
}

// RoundCaseBody starts the forum case of a closed round.
type RoundCaseBody struct {
	Version             int64 `json:"version" minimum:"1" doc:"The round's version last read; a stale version is refused with 409"`
	ResponsiblePersonID int64 `json:"responsible_person_id,omitempty" minimum:"0" doc:"The person responsible for the case, from /people"`
}

// RoundCaseInput starts the forum case of a closed round.
type RoundCaseInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The round's id"`
	Body RoundCaseBody
}

// RoundCaseOutput is the round with its new forum case.
type RoundCaseOutput struct {
	Body struct {
		Round Round      `json:"round"`
		Case  forum.Case `json:"case"`
	}
}

// RoundDecisionBody is HSL's decision on a closed round.
type RoundDecisionBody struct {
	Decision
	Version int64 `json:"version" minimum:"1" doc:"The round's version last read; a stale version is refused with 409"`
}

// RoundDecisionInput records HSL's decision.
type RoundDecisionInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The round's id"`
	Body RoundDecisionBody
}

// TimePlanInput names the year of the time plan.
type TimePlanInput struct {
	Year int `query:"year" required:"true" doc:"The year, 2000–2100"`
}

// TimePlanItem is one entry of the time plan.
type TimePlanItem struct {
	PlanEntry
	Late bool `json:"late" doc:"The planned end has passed and the support is not yet introduced"`
}

// TimePlanOutput lists the time plan of a year.
type TimePlanOutput struct {
	Body struct {
		Items []TimePlanItem `json:"items"`
	}
}

// op describes one operation on rounds.
func op(id, method, path, summary, description string) huma.Operation {
	o := huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Description: description, Tags: apiTags}
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

// Texts shared by the descriptions of changing operations.
const (
	versionNote = " Send the `version` you last read: if someone has changed the round since, the answer is 409 and nothing is saved."
	invalidNote = " A value that breaks a rule is refused with 422, naming the field (`body.<field>`); a step the round's status does not allow names `path.id`."
	draftNote   = " Only a draft round changes this; otherwise the answer is 409."
)

// located names the fields of a validation error as the request does: the
// round's own state (its status, candidates, groups) at path.id, the rest in
// the body unless names maps them elsewhere.
func located(err error, names map[string]string) error {
	v, ok := errs.AsValidation(err)
	if !ok {
		return err
	}
	out := &errs.ValidationError{}
	for _, f := range v.Fields {
		name, ok := names[f.Name]
		switch {
		case ok:
		case f.Name == "round" || f.Name == "status":
			name = "path.id"
		case strings.HasPrefix(f.Name, "body.") || strings.HasPrefix(f.Name, "path.") || strings.HasPrefix(f.Name, "query."):
			name = f.Name
		default:
			name = "body." + f.Name
		}
		out.Add(name, f.Key, f.Args...)
	}
	return out
}

// pageByID returns the items after id after, by id, at most limit of them,
// and the id to continue after, 0 on the last page.
func pageByID[T any](items []T, id func(T) int64, after int64, limit int) ([]T, int64) {
	items = slices.Clone(items)
	slices.SortFunc(items, func(a, b T) int { return cmp.Compare(id(a), id(b)) })
	items = slices.DeleteFunc(items, func(it T) bool { return id(it) <= after })
	if limit <= 0 || len(items) <= limit {
		return items, 0
	}
	return items[:limit], id(items[limit-1])
}

// registerAPI adds /api/v1/prioritisation-rounds and /api/v1/time-plan.
func registerAPI(a *api.API, svc *Service) {
	roundAPI(a, svc)
	linksAPI(a, svc)
	stepAPI(a, svc)
	sheetAPI(a, svc)
	outcomeAPI(a, svc)
}

func roundAPI(a *api.API, svc *Service) {
	api.Register(a, op("list-prioritisation-rounds", http.MethodGet, roundsPath, "List the prioritisation rounds",
		"Every round with its status and progress (candidates, assessor groups, groups that have rated every candidate), by id, one page at a time."),
		Read, func(ctx context.Context, in *RoundListInput) (*RoundListOutput, error) {
			after, err := api.DecodeCursor(in.Cursor)
			if err != nil {
				return nil, api.InQuery(err)
			}
			all, err := svc.Rounds(ctx)
			if err != nil {
				return nil, err
			}
			items, next := pageByID(all, func(r RoundSummary) int64 { return r.ID }, after, in.Limit)
			out := &RoundListOutput{}
			out.Body.Items = append([]RoundSummary{}, items...)
			out.Body.NextCursor = api.EncodeCursor(next)
			return out, nil
		})
	create := op("create-prioritisation-round", http.MethodPost, roundsPath, "Create a prioritisation round",
		"Creates a draft round for a year. A title, instructions, scale or criteria left out get the region's defaults in Swedish: three importance criteria (significance and urgency, impact on care, spread) and five feasibility criteria (resources, managers, support, culture, timing) on a scale of 1 to 5. Candidates and assessor groups are set afterwards."+invalidNote)
	create.DefaultStatus = http.StatusCreated
	create.Errors = []int{http.StatusBadRequest, http.StatusUnprocessableEntity}
	api.Register(a, create,
		Run, func(ctx context.Context, in *RoundCreateInput) (*RoundOutput, error) {
			b := in.Body
			r := svc.Defaults(b.Year, b.Deadline)
			if b.Title != nil {
				r.Title = *b.Title
			}
			if b.Instructions != nil {
				r.Instructions = *b.Instructions
			}
			if b.Scale != nil {
				r.Scale = b.Scale.scale()
			}
			if len(b.Criteria) > 0 {
				r.Criteria = criteria(b.Criteria)
				for i := range r.Criteria {
					r.Criteria[i].ID = 0
				}
			}
			r, err := svc.CreateRound(ctx, r)
			return &RoundOutput{Body: r}, located(err, map[string]string{"scale_labels": "body.scale.labels"})
		})
	api.Register(a, op("get-prioritisation-round", http.MethodGet, roundsPath+"/{id}", "Get a prioritisation round",
		"One round with its status, scale and criteria, its forum case and HSL's decision once they exist."),
		Read, func(ctx context.Context, in *RoundIDInput) (*RoundOutput, error) {
			r, err := svc.Round(ctx, in.ID)
			return &RoundOutput{Body: r}, err
		})
	api.Register(a, op("update-prioritisation-round", http.MethodPut, roundsPath+"/{id}", "Change a prioritisation round",
		"Replaces the round's settings. A draft changes everything; an open round only its title, instructions and deadline (the year, scale and criteria must be sent as read, or the answer is 422), so every rating keeps its meaning; a closed or decided round nothing (409)."+versionNote+invalidNote),
		Run, func(ctx context.Context, in *RoundUpdateInput) (*RoundOutput, error) {
			b := in.Body
			r := Round{ID: in.ID, Year: b.Year, Title: b.Title, Instructions: b.Instructions, Deadline: b.Deadline,
				Scale: b.Scale.scale(), Criteria: criteria(b.Criteria), Version: b.Version}
			r, err := svc.UpdateRound(ctx, r)
			return &RoundOutput{Body: r}, located(err, map[string]string{"scale_labels": "body.scale.labels"})
		})
	api.Register(a, op("delete-prioritisation-round", http.MethodDelete, roundsPath+"/{id}", "Delete a prioritisation round",
		"Removes a draft round with its criteria, candidates and groups; a round that has been opened is kept (409). Give the version you last read as `?version=`: if someone has changed the round since, the answer is 409 and nothing is deleted."),
		Run, func(ctx context.Context, in *RoundDeleteInput) (*struct{}, error) {
			return nil, svc.DeleteRound(ctx, in.ID, in.Version)
		})
}

func linksAPI(a *api.API, svc *Service) {
	api.Register(a, op("list-round-candidates", http.MethodGet, roundsPath+"/{id}/candidates", "List a round's candidates",
		"The round and its candidate knowledge supports in their order, with the support's status now, the proposal and HSL's outcome."),
		Read, func(ctx context.Context, in *RoundIDInput) (*RoundCandidatesOutput, error) {
			return candidatesOutput(ctx, svc, in.ID, nil)
		})
	api.Register(a, op("set-round-candidates", http.MethodPut, roundsPath+"/{id}/candidates", "Set a round's candidates",
		"Replaces the candidates of a draft round by knowledge supports (from /supports?status=watched or inventoried). A support that is not watched or inventoried, or is a candidate of another round not yet decided, is refused with 422 at `body.support_ids`."+draftNote+versionNote),
		Run, func(ctx context.Context, in *RoundCandidatesInput) (*RoundCandidatesOutput, error) {
			r, err := svc.SetCandidates(ctx, in.ID, in.Body.SupportIDs, in.Body.Version)
			if err != nil {
				return nil, located(err, nil)
			}
			return candidatesOutput(ctx, svc, in.ID, &r)
		})
	api.Register(a, op("list-round-groups", http.MethodGet, roundsPath+"/{id}/groups", "List a round's assessor groups",
		"The round, its assessor groups and the groups that may be chosen."),
		Read, func(ctx context.Context, in *RoundIDInput) (*RoundGroupsOutput, error) {
			return groupsOutput(ctx, svc, in.ID, nil)
		})
	api.Register(a, op("set-round-groups", http.MethodPut, roundsPath+"/{id}/groups", "Set a round's assessor groups",
		"Replaces the assessor groups of a draft round; each must be one of the eligible groups, or the answer is 422 at `body.group_ids`."+draftNote+versionNote),
		Run, func(ctx context.Context, in *RoundGroupsInput) (*RoundGroupsOutput, error) {
			r, err := svc.SetGroups(ctx, in.ID, in.Body.GroupIDs, in.Body.Version)
			if err != nil {
				return nil, located(err, nil)
			}
			return groupsOutput(ctx, svc, in.ID, &r)
		})
}

func candidatesOutput(ctx context.Context, svc *Service, id int64, r *Round) (*RoundCandidatesOutput, error) {
	if r == nil {
		got, err := svc.Round(ctx, id)
		if err != nil {
			return nil, err
		}
		r = &got
	}
	cs, err := svc.Candidates(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &RoundCandidatesOutput{}
	out.Body.Round, out.Body.Items = *r, append([]Candidate{}, cs...)
	return out, nil
}

func groupsOutput(ctx context.Context, svc *Service, id int64, r *Round) (*RoundGroupsOutput, error) {
	if r == nil {
		got, err := svc.Round(ctx, id)
		if err != nil {
			return nil, err
		}
		r = &got
	}
	gs, err := svc.Groups(ctx, id)
	if err != nil {
		return nil, err
	}
	eligible, err := svc.EligibleGroups(ctx)
	if err != nil {
		return nil, err
	}
	out := &RoundGroupsOutput{}
	out.Body.Round, out.Body.Items, out.Body.Eligible = *r, append([]AssessorGroup{}, gs...), append([]AssessorGroup{}, eligible...)
	return out, nil
}

// roundState names the round's own settings at path.id when a step needs
// them: the steps' bodies hold only the version.
var roundState = map[string]string{"support_ids": "path.id", "group_ids": "path.id", "deadline": "path.id"}

func stepAPI(a *api.API, svc *Service) {
	api.Register(a, op("open-prioritisation-round", http.MethodPost, roundsPath+"/{id}/open", "Open a round for rating",
		"Opens a draft round: it needs candidates, assessor groups and a deadline not in the past, or the answer is 422 at `path.id`. Watched candidates become inventoried in the catalog. From now on the year, scale and criteria are fixed."+versionNote),
		Run, func(ctx context.Context, in *RoundStepInput) (*RoundOutput, error) {
			r, err := svc.Open(ctx, in.ID, in.Body.Version)
			return &RoundOutput{Body: r}, located(err, roundState)
		})
	api.Register(a, op("close-prioritisation-round", http.MethodPost, roundsPath+"/{id}/close", "Close a round",
		"Ends the rating of an open round, also before its deadline: the results become final and the candidates prioritised in the catalog."+versionNote),
		Run, func(ctx context.Context, in *RoundStepInput) (*RoundOutput, error) {
			r, err := svc.Close(ctx, in.ID, in.Body.Version)
			return &RoundOutput{Body: r}, located(err, nil)
		})
	api.Register(a, op("reopen-prioritisation-round", http.MethodPost, roundsPath+"/{id}/reopen", "Open a closed round again",
		"Opens a closed round again, before HSL has decided, with a new deadline not before today (422 at `body.deadline`), for a group that needs more time."+versionNote),
		Run, func(ctx context.Context, in *RoundReopenInput) (*RoundOutput, error) {
			r, err := svc.Reopen(ctx, in.ID, in.Body.Deadline, in.Body.Version)
			return &RoundOutput{Body: r}, located(err, nil)
		})
}

// sheetNames names the sheet's path parameters.
var sheetNames = map[string]string{"group_id": "path.group", "candidate_id": "path.candidate"}

func sheetAPI(a *api.API, svc *Service) {
	api.Register(a, op("list-round-sheets", http.MethodGet, roundsPath+"/{id}/sheets", "List a round's rating sheets",
		"Every saved sheet of the round, or of one assessor group, with its scores and comments, by id, one page at a time."),
		Read, func(ctx context.Context, in *RoundSheetListInput) (*RoundSheetListOutput, error) {
			after, err := api.DecodeCursor(in.Cursor)
			if err != nil {
				return nil, api.InQuery(err)
			}
			all, err := svc.Sheets(ctx, in.ID, in.GroupID)
			if err != nil {
				return nil, err
			}
			items, next := pageByID(all, func(s Sheet) int64 { return s.ID }, after, in.Limit)
			out := &RoundSheetListOutput{}
			out.Body.Items = append([]Sheet{}, items...)
			out.Body.NextCursor = api.EncodeCursor(next)
			return out, nil
		})
	api.Register(a, op("get-round-sheet", http.MethodGet, roundsPath+"/{id}/sheets/{group}/{candidate}", "Get a rating sheet",
		"One assessor group's rating of one candidate: a score and a comment per criterion. A sheet not yet saved has version 0 and no scores. A group or candidate not of the round is 404."),
		Read, func(ctx context.Context, in *RoundSheetInput) (*RoundSheetOutput, error) {
			sh, err := svc.Sheet(ctx, in.ID, in.Candidate, in.Group)
			return &RoundSheetOutput{Body: sh}, err
		})
	api.Register(a, op("save-round-sheet", http.MethodPut, roundsPath+"/{id}/sheets/{group}/{candidate}", "Save a rating sheet",
		"Saves the group's rating of the candidate as a whole. The round must be open and its deadline not passed (422 at `path.id`); the caller must be a current member of the group in the organisation registry, or the coordinator (422 at `path.group`); each score must lie on the round's scale (422 at `body.scores.N.value`, N being the criterion's place in the round). Send the sheet's `version` as read, 0 for a new sheet: if another member of the group saved in between, the answer is 409 and nothing is saved; read the sheet again to see their rating before saying yours."),
		Rate, func(ctx context.Context, in *RoundSheetSaveInput) (*RoundSheetOutput, error) {
			sh, err := svc.SaveSheet(ctx, Sheet{RoundID: in.ID, GroupID: in.Group, CandidateID: in.Candidate,
				Scores: slices.Clone(in.Body.Scores), Version: in.Body.Version})
			return &RoundSheetOutput{Body: sh}, located(err, sheetNames)
		})
}

func outcomeAPI(a *api.API, svc *Service) {
	api.Register(a, op("get-round-results", http.MethodGet, roundsPath+"/{id}/results", "Get a round's results",
		"Per candidate the mean, standard deviation (sample), lowest and highest score and number of groups (N) on importance and feasibility, the mean per criterion, the total (mean of the two axes), the place in the ranking (equal totals share a place and are marked tied) and the quadrant of the importance × feasibility matrix; per assessor group its progress, and the groups that have not rated every candidate."),
		Read, func(ctx context.Context, in *RoundIDInput) (*RoundResultsOutput, error) {
			res, err := svc.Results(ctx, in.ID)
			return &RoundResultsOutput{Body: res}, err
		})
	api.Register(a, op("save-round-proposal", http.MethodPut, roundsPath+"/{id}/proposal", "Save the proposal of a closed round",
		"Saves, for the candidates sent (each by its id and version), whether it is proposed for introduction, in what order and from when to when. A proposed candidate needs an order from 1, unique among the proposed, and a planned start; problems are named `body.N.<field>` by the change's place in the list. All changes are saved or none; a candidate changed by someone else since it was read is 409."),
		Run, func(ctx context.Context, in *RoundProposalInput) (*RoundCandidateListOutput, error) {
			changes := slices.Clone(in.Body)
			cs, err := svc.SaveProposal(ctx, in.ID, changes)
			if err != nil {
				return nil, proposalLocated(err)
			}
			out := &RoundCandidateListOutput{}
			out.Body.Items = append([]Candidate{}, cs...)
			return out, nil
		})
	api.Register(a, op("start-round-case", http.MethodPost, roundsPath+"/{id}/case", "Start the forum case of a closed round",
		"Registers the forum case of kind prioritisation, linked to the round, through which the proposal is anchored in the primary-care council and decided by HSL; the anchoring, its meetings and documents follow on the case under /cases. A round that is not closed or already has its case is 422 at `path.id`."+versionNote),
		Run, func(ctx context.Context, in *RoundCaseInput) (*RoundCaseOutput, error) {
			r, c, err := svc.StartCase(ctx, in.ID, in.Body.ResponsiblePersonID, in.Body.Version)
			if err != nil {
				return nil, located(err, nil)
			}
			out := &RoundCaseOutput{}
			out.Body.Round, out.Body.Case = r, c
			return out, nil
		})
	api.Register(a, op("record-round-decision", http.MethodPost, roundsPath+"/{id}/decision", "Record HSL's decision on a round",
		"Records HSL's decision on a closed round with its forum case, in one transaction: the decision on the case, each candidate's outcome — decided (introduce, with order from 1, unique, and planned start), watched again or not relevant — and the supports' status changes in the catalog, dated the decision day with the decision as the reason. The round becomes decided. A round that is not closed, or has no case, is 422 at `path.id`; a choice is named `body.outcomes.N.<field>` by the candidate's place in the round."+versionNote),
		Decide, func(ctx context.Context, in *RoundDecisionInput) (*RoundOutput, error) {
			d := in.Body.Decision
			d.Outcomes = slices.Clone(d.Outcomes)
			r, err := svc.RecordDecision(ctx, in.ID, d, in.Body.Version)
			return &RoundOutput{Body: r}, located(err, map[string]string{"forum_id": "path.id"})
		})
	api.Register(a, op("get-time-plan", http.MethodGet, "/time-plan", "Get the time plan of a year",
		"The knowledge supports HSL decided to introduce whose planned time overlaps the year, by planned start, with their status in the catalog now; late when the planned end has passed and the support is not yet introduced."),
		Read, func(ctx context.Context, in *TimePlanInput) (*TimePlanOutput, error) {
			es, err := svc.TimePlan(ctx, in.Year)
			if err != nil {
				return nil, api.InQuery(err)
			}
			today := svc.Today()
			out := &TimePlanOutput{}
			out.Body.Items = make([]TimePlanItem, 0, len(es))
			for _, e := range es {
				out.Body.Items = append(out.Body.Items, TimePlanItem{PlanEntry: e, Late: e.Late(today)})
			}
			return out, nil
		})
}

// proposalLocated names the proposal's fields by the change's place in the
// body, a list: candidates.N.field becomes body.N.field.
func proposalLocated(err error) error {
	v, ok := errs.AsValidation(err)
	if !ok {
		return err
	}
	out := &errs.ValidationError{}
	for _, f := range v.Fields {
		name := f.Name
		switch {
		case name == "round":
			name = "path.id"
		case name == "candidates" && f.Key == "priority.decision.order_taken":
			name = "body.proposed_order"
		case name == "candidates":
			name = "body.candidate_id"
		default:
			name = "body." + strings.TrimPrefix(name, "candidates.")
		}
		out.Add(name, f.Key, f.Args...)
	}
	return out
}
