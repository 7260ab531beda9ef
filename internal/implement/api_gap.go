package implement

import (
	"context"
	"net/http"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
)

// gapFieldNames places the recommendation of a validation error in the path.
var gapFieldNames = map[string]string{"recommendation_id": "path.rec"}

// gapInvalidNote ends the description of an operation that validates a body.
const gapInvalidNote = " A value that breaks a rule is refused with 422, naming the field (`body.<field>`, e.g. `body.answers.displaced`)."

// GapListItem is one recommendation of the support with its gap analysis.
type GapListItem struct {
	RecommendationID int64  `json:"recommendation_id"`
	Code             string `json:"code,omitempty" doc:"The recommendation's code in its support"`
	Text             string `json:"text"`
	Gap              *Gap   `json:"gap,omitempty" doc:"The analysis; absent while none is saved"`
	TemplateID       int64  `json:"template_id" doc:"The template version the analysis is (or will be) made with"`
	DeeperComplete   bool   `json:"deeper_complete" doc:"The analysis needs no deeper analysis, or every deeper question is answered"`
}

// GapListOutput lists the support's recommendations in order with their
// analyses.
type GapListOutput struct {
	Body struct {
		Items   []GapListItem `json:"items"`
		Profile GapProfile    `json:"profile"`
	}
}

// GapInput names one recommendation's analysis.
type GapInput struct {
	ID  int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	Rec int64 `path:"rec" minimum:"1" doc:"The recommendation's id"`
}

// GapOutput is one recommendation's analysis with its template.
type GapOutput struct {
	Body GapView
}

// GapBody is an analysis as sent.
type GapBody struct {
	Size        GapSize           `json:"gap,omitempty" enum:"none,small,moderate,large" doc:"Left out while not judged"`
	CrowdingOut bool              `json:"crowding_out" doc:"Introducing it may crowd out other care: the deeper analysis is required"`
	Answers     map[string]string `json:"answers,omitempty" doc:"Answers by question key of the analysis's template"`
	UnitIDs     []int64           `json:"unit_ids,omitempty" maxItems:"500" doc:"The affected units"`
	Version     int64             `json:"version" minimum:"0" doc:"The analysis's version last read, 0 for the first save; a stale version (or another first save in between) is refused with 409"`
}

// GapSaveInput saves one recommendation's analysis.
type GapSaveInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	Rec  int64 `path:"rec" minimum:"1" doc:"The recommendation's id"`
	Body GapBody
}

// GapSaveOutput is the saved analysis.
type GapSaveOutput struct {
	Body Gap
}

// TemplateListOutput lists every template version.
type TemplateListOutput struct {
	Body struct {
		Items []Template `json:"items" doc:"By sjukvårdsregion, newest version first"`
	}
}

// TemplateIDInput names one template version.
type TemplateIDInput struct {
	TID int64 `path:"tid" minimum:"1" doc:"The template version's id"`
}

// TemplateOutput is one template version.
type TemplateOutput struct {
	Body Template
}

// QuestionBody is a template question as sent.
type QuestionBody struct {
	Key      string `json:"key" doc:"Stable key of a–z, 0–9 and _, starting with a letter; answers are stored by key"`
	Level    Level  `json:"level" enum:"basic,extended,deeper" doc:"basic: always asked; extended: moderate or large gap; deeper: large gap or crowding-out"`
	Label    string `json:"label" doc:"The question, at most 300 characters"`
	Help     string `json:"help,omitempty" doc:"Help for the working group, at most 1000 characters"`
	Required bool   `json:"required,omitempty" doc:"Must be answered when the question is asked"`
}

func questionsOf(bs []QuestionBody) []Question {
	out := make([]Question, 0, len(bs))
	for _, b := range bs {
		out = append(out, Question(b))
	}
	return out
}

// TemplateCreateBody is a new draft version as sent.
type TemplateCreateBody struct {
	HealthcareRegion string         `json:"healthcare_region,omitempty" doc:"Code of the sjukvårdsregion; the home region's when left out"`
	Title            string         `json:"title"`
	Questions        []QuestionBody `json:"questions" maxItems:"60"`
}

// TemplateCreateInput starts a draft version.
type TemplateCreateInput struct {
	Body TemplateCreateBody
}

// TemplateUpdateBody is a draft's title and questions as sent.
type TemplateUpdateBody struct {
	Title     string         `json:"title"`
	Questions []QuestionBody `json:"questions" maxItems:"60"`
	Version   int64          `json:"version" minimum:"1" doc:"The version last read; a stale version is refused with 409"`
}

// TemplateUpdateInput changes a draft.
type TemplateUpdateInput struct {
	TID  int64 `path:"tid" minimum:"1" doc:"The template version's id"`
	Body TemplateUpdateBody
}

// TemplateVersionBody names the version last read.
type TemplateVersionBody struct {
	Version int64 `json:"version" minimum:"1" doc:"The version last read; a stale version is refused with 409"`
}

// TemplatePublishInput publishes a draft.
type TemplatePublishInput struct {
	TID  int64 `path:"tid" minimum:"1" doc:"The template version's id"`
	Body TemplateVersionBody
}

// TemplateDeleteInput deletes a draft.
type TemplateDeleteInput struct {
	TID     int64 `path:"tid" minimum:"1" doc:"The template version's id"`
	Version int64 `query:"version" required:"true" minimum:"1" doc:"The version last read; if someone has changed the draft since, the answer is 409 and nothing is deleted"`
}

// UseTemplateBody names the version an implementation moves to.
type UseTemplateBody struct {
	TemplateID int64 `json:"template_id" minimum:"1" doc:"A published version of the implementation's sjukvårdsregion"`
	Version    int64 `json:"version" minimum:"1" doc:"The implementation's version last read; a stale version is refused with 409"`
}

// UseTemplateInput moves an implementation to another template version.
type UseTemplateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	Body UseTemplateBody
}

// UseTemplateOutput is the implementation moved to another template version.
type UseTemplateOutput struct {
	Body Implementation
}

func gapAPI(a *api.API, svc *Service) {
	gapsAPI(a, svc)
	templatesAPI(a, svc)
}

func gapsAPI(a *api.API, svc *Service) {
	api.Register(a, partOp("list-implementation-gaps", http.MethodGet, "/implementations/{id}/gaps", "List the gap analyses of an implementation",
		"Every recommendation of the support, in order, with its gap analysis once saved and the template version it is made with. Readable by the working group and those who oversee every workspace (samordnare, verksamhetsutvecklare, ledning, revisor); others get 403."),
		Read, func(ctx context.Context, in *ImplementationIDInput) (*GapListOutput, error) {
			ws, err := svc.Workspace(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			out := &GapListOutput{}
			out.Body.Items = []GapListItem{}
			out.Body.Profile = ws.Profile
			for _, rec := range ws.Recommendations {
				row := gapRow(ws, rec)
				it := GapListItem{RecommendationID: rec.ID, Code: rec.Code, Text: rec.Text, TemplateID: row.Template.ID,
					DeeperComplete: row.Deeper != deeperIncomplete}
				if row.Saved {
					g := row.Gap
					it.Gap = &g
				}
				out.Body.Items = append(out.Body.Items, it)
			}
			return out, nil
		})
	api.Register(a, partOp("get-implementation-gap", http.MethodGet, "/implementations/{id}/gaps/{rec}", "Get the gap analysis of a recommendation",
		"The recommendation, its gap analysis (empty with version 0 while none is saved), the template version it is made with and what the caller may do."),
		Read, func(ctx context.Context, in *GapInput) (*GapOutput, error) {
			v, err := svc.GapOf(ctx, in.ID, in.Rec)
			return &GapOutput{Body: v}, err
		})
	api.Register(a, partOp("save-implementation-gap", http.MethodPut, "/implementations/{id}/gaps/{rec}", "Save the gap analysis of a recommendation",
		"Saves the analysis whole (the working group or the coordinator; an introduced implementation is fixed, 409). The form grows with the gap: basic questions are asked always, extended ones when the gap is moderate or large, and the deeper analysis (its required questions must be answered) when the gap is large or it may crowd out other care. Answers only to questions of the analysis's template; the affected units must exist."+versionNote+gapInvalidNote),
		Read, func(ctx context.Context, in *GapSaveInput) (*GapSaveOutput, error) {
			b := in.Body
			g := Gap{ImplementationID: in.ID, RecommendationID: in.Rec, Size: b.Size, CrowdingOut: b.CrowdingOut,
				Answers: b.Answers, UnitIDs: b.UnitIDs, Version: b.Version}
			if g.Answers == nil {
				g.Answers = map[string]string{}
			}
			saved, err := svc.SaveGap(ctx, g)
			return &GapSaveOutput{Body: saved}, inBody(err, gapFieldNames)
		})
	api.Register(a, partOp("use-implementation-template", http.MethodPut, "/implementations/{id}/template", "Move an implementation to another template version",
		"The coordinator moves the implementation to another published version of its sjukvårdsregion's template. New analyses are made with it; those already saved keep the version they were made with."+versionNote+gapInvalidNote),
		Coordinate, func(ctx context.Context, in *UseTemplateInput) (*UseTemplateOutput, error) {
			m, err := svc.UseTemplate(ctx, in.ID, in.Body.TemplateID, in.Body.Version)
			return &UseTemplateOutput{Body: m}, inBody(err, gapFieldNames)
		})
}

func templatesAPI(a *api.API, svc *Service) {
	const path = "/gap-templates"
	api.Register(a, partOp("list-gap-templates", http.MethodGet, path, "List the gap-analysis templates",
		"Every version of every sjukvårdsregion's template, newest first within each; the home sjukvårdsregion's default model is written as version 1 on first use."),
		Oversee, func(ctx context.Context, _ *struct{}) (*TemplateListOutput, error) {
			ts, err := svc.Templates(ctx)
			out := &TemplateListOutput{}
			out.Body.Items = append([]Template{}, ts...)
			return out, err
		})
	create := partOp("create-gap-template", http.MethodPost, path, "Start a draft template version",
		"Starts the next version of a sjukvårdsregion's template as a draft with the given title and questions (keys of a–z, 0–9 and _, unique; at least one basic question). A sjukvårdsregion has at most one draft at a time (422 at `body.template`)."+gapInvalidNote)
	create.DefaultStatus = http.StatusCreated
	api.Register(a, create, Coordinate, func(ctx context.Context, in *TemplateCreateInput) (*TemplateOutput, error) {
		t, err := svc.CreateTemplate(ctx, Template{HealthcareRegion: in.Body.HealthcareRegion, Title: in.Body.Title, Questions: questionsOf(in.Body.Questions)})
		return &TemplateOutput{Body: t}, inBody(err, gapFieldNames)
	})
	api.Register(a, partOp("get-gap-template", http.MethodGet, path+"/{tid}", "Get a template version",
		"One version with its questions."),
		Oversee, func(ctx context.Context, in *TemplateIDInput) (*TemplateOutput, error) {
			t, err := svc.Template(ctx, in.TID)
			return &TemplateOutput{Body: t}, err
		})
	api.Register(a, partOp("update-gap-template", http.MethodPut, path+"/{tid}", "Change a draft template version",
		"Replaces a draft's title and questions; a published version never changes (409)."+versionNote+gapInvalidNote),
		Coordinate, func(ctx context.Context, in *TemplateUpdateInput) (*TemplateOutput, error) {
			t, err := svc.UpdateTemplate(ctx, Template{ID: in.TID, Title: in.Body.Title, Questions: questionsOf(in.Body.Questions), Version: in.Body.Version})
			return &TemplateOutput{Body: t}, inBody(err, gapFieldNames)
		})
	api.Register(a, partOp("delete-gap-template", http.MethodDelete, path+"/{tid}", "Delete a draft template version",
		"Removes a draft that no implementation or analysis uses; a published version is kept (409). Give the version you last read as `?version=`."),
		Coordinate, func(ctx context.Context, in *TemplateDeleteInput) (*struct{}, error) {
			return nil, svc.DeleteTemplate(ctx, in.TID, in.Version)
		})
	api.Register(a, partOp("publish-gap-template", http.MethodPost, path+"/{tid}/publish", "Publish a draft template version",
		"Publishes the draft: from then on it is fixed, and new workspaces of the sjukvårdsregion use it."+versionNote+gapInvalidNote),
		Coordinate, func(ctx context.Context, in *TemplatePublishInput) (*TemplateOutput, error) {
			t, err := svc.PublishTemplate(ctx, in.TID, in.Body.Version)
			return &TemplateOutput{Body: t}, inBody(err, gapFieldNames)
		})
	newVersion := partOp("new-gap-template-version", http.MethodPost, path+"/{tid}/new-version", "Start a new version from a template version",
		"Starts a draft of the sjukvårdsregion's next version, copying the title and questions of this version. A sjukvårdsregion has at most one draft at a time (422 at `body.template`).")
	newVersion.DefaultStatus = http.StatusCreated
	api.Register(a, newVersion, Coordinate, func(ctx context.Context, in *TemplateIDInput) (*TemplateOutput, error) {
		t, err := svc.NewTemplateVersion(ctx, in.TID)
		return &TemplateOutput{Body: t}, inBody(err, gapFieldNames)
	})
}
