package implement

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
)

// surveyOp describes an operation on the questionnaires.
func surveyOp(id, method, path, summary, description string) huma.Operation {
	o := huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Description: description,
		Tags: []string{"Implementation"}}
	switch method {
	case http.MethodGet:
		o.Errors = []int{http.StatusForbidden, http.StatusNotFound}
	default:
		o.DefaultStatus = http.StatusOK
		o.Errors = []int{http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	}
	return o
}

// SurveyListOutput is an implementation's questionnaires, newest first.
type SurveyListOutput struct {
	Body struct {
		Items []Survey `json:"items"`
	}
}

// SurveyBody is a questionnaire as written by the working group.
type SurveyBody struct {
	Title             string       `json:"title" doc:"At most 200 characters"`
	Message           string       `json:"message,omitempty" doc:"Sent to the units with the questionnaire, at most 4000 characters"`
	Deadline          date.Date    `json:"deadline" format:"date" doc:"Last day to answer, YYYY-MM-DD, not before today"`
	RecommendationIDs []int64      `json:"recommendation_ids" doc:"At least one recommendation of the support"`
	Units             []SurveyUnit `json:"units,omitempty" doc:"The units and their contacts; left out: the support's units with their default contacts"`
}

func (b SurveyBody) input(implementationID int64) SurveyInput {
	return SurveyInput{ImplementationID: implementationID, Title: b.Title, Message: b.Message, Deadline: b.Deadline,
		RecommendationIDs: b.RecommendationIDs, Units: b.Units}
}

// SurveyCreateInput creates a questionnaire.
type SurveyCreateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	Body SurveyBody
}

// SurveyIDInput names a questionnaire.
type SurveyIDInput struct {
	ID  int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	SID int64 `path:"sid" minimum:"1" doc:"The questionnaire's id"`
}

// SurveyUpdateInput changes a draft questionnaire.
type SurveyUpdateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	SID  int64 `path:"sid" minimum:"1" doc:"The questionnaire's id"`
	Body struct {
		SurveyBody
		Version int64 `json:"version" minimum:"1" doc:"The version last read; a stale version is refused with 409"`
	}
}

// SurveyStepInput sends or closes a questionnaire, by version.
type SurveyStepInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The implementation's id"`
	SID  int64 `path:"sid" minimum:"1" doc:"The questionnaire's id"`
	Body struct {
		Version int64 `json:"version" minimum:"1" doc:"The version last read; a stale version is refused with 409"`
	}
}

// SurveyOutput is one questionnaire.
type SurveyOutput struct {
	Body Survey
}

// SurveyViewOutput is one questionnaire with its compilation.
type SurveyViewOutput struct {
	Body SurveyView
}

// SurveyRemindOutput is how many units were reminded.
type SurveyRemindOutput struct {
	Body struct {
		Reminded int `json:"reminded" doc:"Units mailed a reminder: those that have not answered and have an address"`
	}
}

// SurveyAnswerInput names a recipient.
type SurveyAnswerInput struct {
	RID int64 `path:"rid" minimum:"1" doc:"The recipient's id (one unit of one questionnaire)"`
}

// SurveyAnswerPutInput saves a unit's answers.
type SurveyAnswerPutInput struct {
	RID  int64 `path:"rid" minimum:"1" doc:"The recipient's id (one unit of one questionnaire)"`
	Body struct {
		Answers []SurveyAnswer `json:"answers" doc:"One answer per recommendation of the questionnaire"`
		Version int64          `json:"version" minimum:"1" doc:"The recipient's version last read; a stale version is refused with 409"`
	}
}

// SurveyAnswerOutput is a unit's answer form with its answers.
type SurveyAnswerOutput struct {
	Body SurveyAnswerBody
}

// SurveyAnswerBody is the questionnaire as one unit sees it, with the
// unit's answers.
type SurveyAnswerBody struct {
	Recipient       SurveyRecipient          `json:"recipient"`
	Survey          Survey                   `json:"survey" doc:"With this unit only among the recipients"`
	Support         string                   `json:"support" doc:"The support's title"`
	Recommendations []catalog.Recommendation `json:"recommendations"`
	Answers         []SurveyAnswer           `json:"answers" doc:"The answers saved, in the order of the recommendations"`
	OnBehalf        bool                     `json:"on_behalf" doc:"The user answers as the coordinator or working group, not as the unit"`
	Late            bool                     `json:"late" doc:"The deadline has passed: answers now are marked late"`
}

func answerOutput(a SurveyAnswerView) *SurveyAnswerOutput {
	out := &SurveyAnswerOutput{Body: SurveyAnswerBody{Recipient: a.Recipient, Survey: a.Survey, Support: a.Support.Title,
		Recommendations: a.Recommendations, Answers: []SurveyAnswer{}, OnBehalf: a.OnBehalf, Late: a.Late()}}
	for _, rec := range a.Recommendations {
		if x, ok := a.Answers[rec.ID]; ok {
			out.Body.Answers = append(out.Body.Answers, x)
		}
	}
	return out
}

const surveyRights = " Only the coordinator and the working group change questionnaires; those who read the workspace read them (403 for others)."

func surveyAPI(a *api.API, svc *Service) {
	base := "/implementations/{id}/surveys"
	api.Register(a, surveyOp("list-implementation-surveys", http.MethodGet, base, "List an implementation's questionnaires",
		"The questionnaires on current practice sent (or to be sent) to the units, newest first, with their recipients and who has answered."),
		Read, func(ctx context.Context, in *ImplementationIDInput) (*SurveyListOutput, error) {
			l, err := svc.Surveys(ctx, in.ID)
			out := &SurveyListOutput{}
			out.Body.Items = append([]Survey{}, l.Surveys...)
			return out, err
		})
	create := surveyOp("create-implementation-survey", http.MethodPost, base, "Create a questionnaire to the units",
		"Creates a draft questionnaire. Units left out are the support's units; a contact left out is a person working at the unit with a user account, a manager first. A unit without any possible contact is refused (422) naming the unit."+surveyRights)
	create.DefaultStatus = http.StatusCreated
	api.Register(a, create, Read, func(ctx context.Context, in *SurveyCreateInput) (*SurveyOutput, error) {
		v, err := svc.CreateSurvey(ctx, in.Body.input(in.ID))
		return &SurveyOutput{Body: v}, inBody(err, nil)
	})
	api.Register(a, surveyOp("get-implementation-survey", http.MethodGet, base+"/{sid}", "Get a questionnaire with its compilation",
		"One questionnaire with its recipients and, per recommendation, how many units comply, partly comply, do not, or have not answered, with their comments."),
		Read, func(ctx context.Context, in *SurveyIDInput) (*SurveyViewOutput, error) {
			v, err := svc.Survey(ctx, in.ID, in.SID)
			return &SurveyViewOutput{Body: v}, err
		})
	api.Register(a, surveyOp("update-implementation-survey", http.MethodPut, base+"/{sid}", "Change a draft questionnaire",
		"Replaces a draft questionnaire whole; a sent one is refused (422)."+surveyRights),
		Read, func(ctx context.Context, in *SurveyUpdateInput) (*SurveyOutput, error) {
			s := in.Body.input(in.ID)
			s.ID, s.Version = in.SID, in.Body.Version
			v, err := svc.UpdateSurvey(ctx, s)
			return &SurveyOutput{Body: v}, inBody(err, nil)
		})
	api.Register(a, surveyOp("send-implementation-survey", http.MethodPost, base+"/{sid}/send", "Send a questionnaire",
		"Sends a draft: each unit's contact is mailed a link to the unit's answer form and sees a task on the start page. Contacts without an address get only the task (listed in the answer as recipients without contact_email)."+surveyRights),
		Read, func(ctx context.Context, in *SurveyStepInput) (*SurveyOutput, error) {
			v, err := svc.SendSurvey(ctx, in.ID, in.SID, in.Body.Version)
			return &SurveyOutput{Body: v}, inBody(err, nil)
		})
	api.Register(a, surveyOp("remind-implementation-survey", http.MethodPost, base+"/{sid}/remind", "Remind the units that have not answered",
		"Mails a reminder to every unit of a sent questionnaire that has not answered. A daily job does the same once the deadline is three days away or passed, at most every three days."+surveyRights),
		Read, func(ctx context.Context, in *SurveyIDInput) (*SurveyRemindOutput, error) {
			n, err := svc.RemindNow(ctx, in.ID, in.SID)
			out := &SurveyRemindOutput{}
			out.Body.Reminded = n
			return out, inBody(err, nil)
		})
	api.Register(a, surveyOp("close-implementation-survey", http.MethodPost, base+"/{sid}/close", "Close a questionnaire",
		"Closes a sent questionnaire: no more answers and no more reminders."+surveyRights),
		Read, func(ctx context.Context, in *SurveyStepInput) (*SurveyOutput, error) {
			v, err := svc.CloseSurvey(ctx, in.ID, in.SID, in.Body.Version)
			return &SurveyOutput{Body: v}, inBody(err, nil)
		})
	api.Register(a, surveyOp("get-survey-answer", http.MethodGet, "/survey-answers/{rid}", "Get a unit's answer form",
		"The questionnaire as one unit sees it, with the unit's answers. Only the unit's contact, enhet users working at the unit, and the coordinator or working group on their behalf; to anyone else it does not exist (404)."),
		access.SignedIn, func(ctx context.Context, in *SurveyAnswerInput) (*SurveyAnswerOutput, error) {
			a, err := svc.Answer(ctx, in.RID)
			return answerOutput(a), err
		})
	api.Register(a, surveyOp("save-survey-answer", http.MethodPut, "/survey-answers/{rid}", "Save a unit's answers",
		"Saves the unit's answers whole: complies, partly or no for every recommendation, each with an optional comment of at most 2000 characters. After the deadline answers are still taken, marked late, until the questionnaire is closed (then 422)."),
		access.SignedIn, func(ctx context.Context, in *SurveyAnswerPutInput) (*SurveyAnswerOutput, error) {
			a, err := svc.SaveAnswer(ctx, in.RID, in.Body.Version, in.Body.Answers)
			return answerOutput(a), inBody(err, nil)
		})
}
