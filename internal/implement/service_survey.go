package implement

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/mail"
)

// SurveyStatus is where a questionnaire to the units stands.
type SurveyStatus string

// The statuses of a questionnaire.
const (
	SurveyDraft  SurveyStatus = "draft"
	SurveySent   SurveyStatus = "sent"
	SurveyClosed SurveyStatus = "closed"
)

// Compliance is a unit's answer to whether it works as a recommendation says.
type Compliance string

// The answers.
const (
	Complies Compliance = "complies"
	Partly   Compliance = "partly"
	NotYet   Compliance = "no"
)

// Compliances lists the answers in the order the form shows them.
var Compliances = []Compliance{Complies, Partly, NotYet}

// MaxSurveyComment is the longest comment to one recommendation.
const MaxSurveyComment = 2000

// ReminderDays is how close the deadline must be before a unit is reminded,
// and how long at least between two mails to it.
const ReminderDays = 3

// ReminderJob is the name of the daily job that sends due reminders.
const ReminderJob = "implement.survey_reminders"

// Survey is a questionnaire on current practice sent to many units at once.
type Survey struct {
	ID                int64             `json:"id"`
	ImplementationID  int64             `json:"implementation_id"`
	Title             string            `json:"title"`
	Message           string            `json:"message" doc:"Sent to the units with the questionnaire"`
	Deadline          date.Date         `json:"deadline"`
	Status            SurveyStatus      `json:"status" enum:"draft,sent,closed"`
	SentOn            date.Date         `json:"sent_on,omitzero"`
	ClosedOn          date.Date         `json:"closed_on,omitzero"`
	RecommendationIDs []int64           `json:"recommendation_ids" doc:"The recommendations asked about, of this support"`
	Recipients        []SurveyRecipient `json:"recipients" doc:"One per unit, by unit name"`
	CreatedAt         time.Time         `json:"created_at"`
	UpdatedAt         time.Time         `json:"updated_at"`
	Version           int64             `json:"version"`
}

// Answered counts the units that have answered.
func (v Survey) Answered() int {
	n := 0
	for _, r := range v.Recipients {
		if r.Answered() {
			n++
		}
	}
	return n
}

// WithoutEmail lists the recipients whose contact has no e-mail address:
// they get no mail, only the task on their start page.
func (v Survey) WithoutEmail() []SurveyRecipient {
	var out []SurveyRecipient
	for _, r := range v.Recipients {
		if r.ContactEmail == "" {
			out = append(out, r)
		}
	}
	return out
}

// Open reports whether the units may answer: sent and not closed.
func (v Survey) Open() bool { return v.Status == SurveySent }

// SurveyRecipient is one unit a questionnaire is sent to.
type SurveyRecipient struct {
	ID             int64      `json:"id"`
	SurveyID       int64      `json:"survey_id"`
	UnitID         int64      `json:"unit_id"`
	Unit           string     `json:"unit" doc:"The unit's name"`
	ContactID      int64      `json:"contact_id,omitempty" doc:"The person who answers for the unit"`
	Contact        string     `json:"contact,omitempty" doc:"The contact's name"`
	ContactEmail   string     `json:"contact_email,omitempty" doc:"Where the questionnaire is mailed; empty: no mail, only the start-page task"`
	AnsweredAt     *time.Time `json:"answered_at,omitempty"`
	AnsweredBy     string     `json:"answered_by,omitempty"`
	Late           bool       `json:"late" doc:"Answered after the deadline"`
	Reminders      int        `json:"reminders" doc:"Reminders sent"`
	LastRemindedOn date.Date  `json:"last_reminded_on,omitzero"`
	Version        int64      `json:"version"`
	contactUser    int64
}

// Answered reports whether the unit has answered.
func (r SurveyRecipient) Answered() bool { return r.AnsweredAt != nil }

// AnsweredOn is when the unit last saved its answers; zero if it has not.
func (r SurveyRecipient) AnsweredOn() time.Time {
	if r.AnsweredAt == nil {
		return time.Time{}
	}
	return *r.AnsweredAt
}

// SurveyAnswer is a unit's answer to one recommendation.
type SurveyAnswer struct {
	RecommendationID int64      `json:"recommendation_id"`
	Compliance       Compliance `json:"compliance" enum:"complies,partly,no" doc:"complies (ja), partly (delvis) or no (nej)"`
	Comment          string     `json:"comment,omitempty" doc:"At most 2000 characters"`
}

// SurveyUnit is a unit to send a questionnaire to and its contact.
type SurveyUnit struct {
	UnitID    int64 `json:"unit_id"`
	ContactID int64 `json:"contact_id,omitempty" doc:"A person in the registry; by default a person working at the unit with a user account, a manager (\"chef\" in the title) first"`
}

// SurveyInput is a questionnaire as written by the working group.
type SurveyInput struct {
	ID                int64
	ImplementationID  int64
	Title             string
	Message           string
	Deadline          date.Date
	RecommendationIDs []int64
	// Units to send to; nil is the support's units.
	Units   []SurveyUnit
	Version int64
}

// SurveyContact is a person who may answer for a unit.
type SurveyContact struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Title string `json:"title,omitempty"`
}

// SurveyComment is one unit's answer with a comment, in a compilation.
type SurveyComment struct {
	UnitID     int64      `json:"unit_id"`
	Unit       string     `json:"unit"`
	Compliance Compliance `json:"compliance"`
	Comment    string     `json:"comment"`
}

// Compilation is how the units answered about one recommendation.
type Compilation struct {
	RecommendationID int64           `json:"recommendation_id"`
	Complies         int             `json:"complies"`
	Partly           int             `json:"partly"`
	No               int             `json:"no"`
	NotAnswered      int             `json:"not_answered"`
	Comments         []SurveyComment `json:"comments" doc:"The comments, with the units' names"`
}

// Total is the number of units asked.
func (c Compilation) Total() int { return c.Complies + c.Partly + c.No + c.NotAnswered }

// Percent is n as a whole percentage of the units asked.
func (c Compilation) Percent(n int) int {
	if c.Total() == 0 {
		return 0
	}
	return (n*100 + c.Total()/2) / c.Total()
}

// compileSurveys counts the answers to the questionnaires vs (not drafts) per
// recommendation. A unit asked about a recommendation in several
// questionnaires counts once: with its answer in the newest questionnaire it
// answered, or as not answered when it answered none.
func compileSurveys(vs []Survey, answers []surveyUnitAnswer) map[int64]Compilation {
	type key struct{ survey, unit, rec int64 }
	given := make(map[key]surveyUnitAnswer, len(answers))
	for _, a := range answers {
		given[key{a.surveyID, a.unitID, a.recommendationID}] = a
	}
	type unitRec struct{ unit, rec int64 }
	type pick struct {
		survey   int64
		unit     string
		answer   surveyUnitAnswer
		answered bool
	}
	picks := map[unitRec]pick{}
	var order []unitRec
	for _, v := range vs {
		if v.Status == SurveyDraft {
			continue
		}
		for _, rec := range v.RecommendationIDs {
			for _, r := range v.Recipients {
				k := unitRec{r.UnitID, rec}
				a, ok := given[key{v.ID, r.UnitID, rec}]
				p := pick{survey: v.ID, unit: r.Unit, answer: a, answered: ok && r.Answered()}
				old, seen := picks[k]
				if !seen {
					order = append(order, k)
				}
				if !seen || p.answered && (!old.answered || p.survey > old.survey) {
					picks[k] = p
				}
			}
		}
	}
	out := map[int64]Compilation{}
	for _, k := range order {
		p := picks[k]
		c := out[k.rec]
		c.RecommendationID = k.rec
		if c.Comments == nil {
			c.Comments = []SurveyComment{}
		}
		switch {
		case !p.answered:
			c.NotAnswered++
		case p.answer.compliance == Complies:
			c.Complies++
		case p.answer.compliance == Partly:
			c.Partly++
		default:
			c.No++
		}
		if p.answered && p.answer.comment != "" {
			c.Comments = append(c.Comments, SurveyComment{UnitID: k.unit, Unit: p.unit, Compliance: p.answer.compliance, Comment: p.answer.comment})
		}
		out[k.rec] = c
	}
	return out
}

// ReminderDue reports whether a unit that has not answered a questionnaire
// with deadline is reminded on day today, when it was last mailed (sent or
// reminded) on last: once the deadline is at most ReminderDays away or
// passed, and at most once per ReminderDays days.
func ReminderDue(deadline, last, today date.Date) bool {
	if today.Before(deadline.AddDays(-ReminderDays)) {
		return false
	}
	return last.IsZero() || !today.Before(last.AddDays(ReminderDays))
}

// WithPublicURL returns the service writing links in mails under base
// (https://kunskapsnav.regionjh.se); without it links are relative.
func (s *Service) WithPublicURL(base string) *Service {
	c := *s
	c.publicURL = strings.TrimRight(base, "/")
	return &c
}

// AnswerURL is the path of a recipient's answer form.
func AnswerURL(recipientID int64) string {
	return "/enkatsvar/" + strconv.FormatInt(recipientID, 10)
}

// surveyRecs lists a support's recommendations, for the questionnaire form.
func (s *Service) surveyRecs(ctx context.Context, supportID int64) ([]catalog.Recommendation, error) {
	return catalog.RecommendationsIn(ctx, s.db, supportID)
}

// SurveyList is an implementation's questionnaires.
type SurveyList struct {
	Implementation Implementation  `json:"implementation"`
	Rights         Rights          `json:"rights"`
	Support        catalog.Support `json:"support"`
	Surveys        []Survey        `json:"surveys"`
	Today          date.Date       `json:"today"`
}

// Surveys lists an implementation's questionnaires, for those who read its workspace.
func (s *Service) Surveys(ctx context.Context, implementationID int64) (SurveyList, error) {
	m, r, err := s.Implementation(ctx, implementationID)
	if err != nil {
		return SurveyList{}, err
	}
	l := SurveyList{Implementation: m, Rights: r, Today: s.Today()}
	if l.Support, err = catalog.SupportIn(ctx, s.db, m.SupportID); err != nil {
		return SurveyList{}, err
	}
	if l.Surveys, err = listSurveys(ctx, s.db, m.ID); err != nil {
		return SurveyList{}, err
	}
	for i := range l.Surveys {
		markSurveyLate(&l.Surveys[i])
	}
	return l, nil
}

func markSurveyLate(v *Survey) {
	for i := range v.Recipients {
		v.Recipients[i].Late = answeredLate(v.Recipients[i], v.Deadline)
	}
}

// answeredLate reports whether r answered after deadline.
func answeredLate(r SurveyRecipient, deadline date.Date) bool {
	return r.AnsweredAt != nil && date.Of(*r.AnsweredAt, i18n.Stockholm()).After(deadline)
}

// SurveyView is one questionnaire with its compilation.
type SurveyView struct {
	Implementation  Implementation           `json:"implementation"`
	Rights          Rights                   `json:"rights"`
	Support         catalog.Support          `json:"support"`
	Survey          Survey                   `json:"survey"`
	Recommendations []catalog.Recommendation `json:"recommendations" doc:"The recommendations asked about, in order"`
	// Compilation by recommendation id.
	Compilation map[int64]Compilation `json:"-"`
	// Compiled is the compilation in the order of the recommendations.
	Compiled []Compilation `json:"compilation"`
	Today    date.Date     `json:"today"`
}

// Survey reads one questionnaire of an implementation with its compilation.
func (s *Service) Survey(ctx context.Context, implementationID, surveyID int64) (SurveyView, error) {
	m, r, err := s.Implementation(ctx, implementationID)
	if err != nil {
		return SurveyView{}, err
	}
	v, err := findSurvey(ctx, s.db, surveyID)
	if err != nil {
		return SurveyView{}, err
	}
	if v.ImplementationID != m.ID {
		return SurveyView{}, fmt.Errorf("survey %d not of implementation %d: %w", surveyID, m.ID, errs.ErrNotFound)
	}
	markSurveyLate(&v)
	out := SurveyView{Implementation: m, Rights: r, Survey: v, Today: s.Today()}
	if out.Support, err = catalog.SupportIn(ctx, s.db, m.SupportID); err != nil {
		return SurveyView{}, err
	}
	if out.Recommendations, err = surveyRecommendations(ctx, s.db, m.SupportID, v.RecommendationIDs); err != nil {
		return SurveyView{}, err
	}
	answers, err := surveyAnswersOf(ctx, s.db, m.ID)
	if err != nil {
		return SurveyView{}, err
	}
	out.Compilation = compileSurveys([]Survey{v}, answers)
	out.Compiled = make([]Compilation, 0, len(out.Recommendations))
	for _, rec := range out.Recommendations {
		c := out.Compilation[rec.ID]
		c.RecommendationID = rec.ID
		if c.Comments == nil {
			c.Comments = []SurveyComment{}
		}
		out.Compiled = append(out.Compiled, c)
	}
	return out, nil
}

// surveyRecommendations returns the support's recommendations among ids, in
// the support's order.
func surveyRecommendations(ctx context.Context, q db.Querier, supportID int64, ids []int64) ([]catalog.Recommendation, error) {
	all, err := catalog.RecommendationsIn(ctx, q, supportID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(r catalog.Recommendation) bool { return !slices.Contains(ids, r.ID) }), nil
}

// SurveyCompilation compiles the answers to every questionnaire of an
// implementation that has been sent, by recommendation id.
func (s *Service) SurveyCompilation(ctx context.Context, implementationID int64) (map[int64]Compilation, error) {
	m, _, err := s.Implementation(ctx, implementationID)
	if err != nil {
		return nil, err
	}
	vs, err := listSurveys(ctx, s.db, m.ID)
	if err != nil {
		return nil, err
	}
	answers, err := surveyAnswersOf(ctx, s.db, m.ID)
	if err != nil {
		return nil, err
	}
	return compileSurveys(vs, answers), nil
}

// SurveyContacts lists who may be each of the units' contact, by unit id,
// for the form.
func (s *Service) SurveyContacts(ctx context.Context, unitIDs []int64) (map[int64][]SurveyContact, error) {
	out := make(map[int64][]SurveyContact, len(unitIDs))
	for _, u := range distinct(unitIDs) {
		cs, err := surveyContacts(ctx, s.db, u)
		if err != nil {
			return nil, err
		}
		out[u] = cs
	}
	return out, nil
}

// UnitNames returns the names of units by id.
func (s *Service) UnitNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	return unitNames(ctx, s.db, distinct(ids))
}

// validateSurvey normalizes and checks a questionnaire inside tx, filling in
// the default units and contacts.
func (s *Service) validateSurvey(ctx context.Context, tx *db.Tx, m Implementation, in *SurveyInput) error {
	in.Title, in.Message = strings.TrimSpace(in.Title), strings.TrimSpace(in.Message)
	in.RecommendationIDs = distinct(in.RecommendationIDs)
	var v errs.ValidationError
	v.Text("title", in.Title, true, 200)
	v.Text("message", in.Message, false, 4000)
	switch {
	case in.Deadline.IsZero():
		v.Add("deadline", "validation.required")
	case in.Deadline.Before(s.Today()):
		v.Add("deadline", "implement.survey.deadline_past")
	}
	if len(in.RecommendationIDs) == 0 {
		v.Add("recommendations", "implement.survey.recommendations_required")
	}
	for _, rec := range in.RecommendationIDs {
		sup, err := recommendationSupport(ctx, tx, rec)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return err
		}
		if sup != m.SupportID {
			v.Add("recommendations", "implement.survey.recommendation_other_support")
			break
		}
	}
	if in.Units == nil {
		sp, err := catalog.SupportIn(ctx, tx, m.SupportID)
		if err != nil {
			return err
		}
		for _, u := range sp.UnitIDs {
			in.Units = append(in.Units, SurveyUnit{UnitID: u})
		}
	}
	seen := map[int64]bool{}
	units := in.Units[:0:0]
	for _, u := range in.Units {
		if u.UnitID == 0 || seen[u.UnitID] {
			continue
		}
		seen[u.UnitID] = true
		units = append(units, u)
	}
	in.Units = units
	if len(in.Units) == 0 {
		v.Add("units", "implement.survey.units_required")
	}
	names, err := unitNames(ctx, tx, slices.Collect(func(yield func(int64) bool) {
		for _, u := range in.Units {
			if !yield(u.UnitID) {
				return
			}
		}
	}))
	if err != nil {
		return err
	}
	for i := range in.Units {
		u := &in.Units[i]
		field := "contact." + strconv.FormatInt(u.UnitID, 10)
		name, ok := names[u.UnitID]
		if !ok {
			v.Add("units", "implement.survey.unit_missing")
			continue
		}
		if u.ContactID != 0 {
			if _, found, err := surveyPersonUnit(ctx, tx, u.ContactID); err != nil {
				return err
			} else if !found {
				v.Add(field, "implement.group.person_missing")
			}
			continue
		}
		cs, err := surveyContacts(ctx, tx, u.UnitID)
		if err != nil {
			return err
		}
		if len(cs) == 0 {
			v.Add(field, "implement.survey.no_contact", "unit", name)
			continue
		}
		u.ContactID = cs[0].ID
	}
	return v.Err()
}

// CreateSurvey writes a new questionnaire as a draft (the working group's step).
func (s *Service) CreateSurvey(ctx context.Context, in SurveyInput) (Survey, error) {
	var out Survey
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		m, err := editable(ctx, tx, in.ImplementationID)
		if err != nil {
			return nil, err
		}
		if err := s.validateSurvey(ctx, tx, m, &in); err != nil {
			return nil, err
		}
		v := Survey{ImplementationID: m.ID, Title: in.Title, Message: in.Message, Deadline: in.Deadline, Status: SurveyDraft}
		if v.ID, err = insertSurvey(ctx, tx, v, now); err != nil {
			return nil, err
		}
		if err := replaceSurveyParts(ctx, tx, v.ID, in.RecommendationIDs, in.Units); err != nil {
			return nil, err
		}
		out, err = findSurvey(ctx, tx, v.ID)
		return []audit.Change{{Entity: entitySurvey, EntityID: v.ID, Action: audit.Create, After: out}}, err
	})
	return out, err
}

// UpdateSurvey saves a draft questionnaire whole, by version.
func (s *Service) UpdateSurvey(ctx context.Context, in SurveyInput) (Survey, error) {
	var out Survey
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		m, before, err := editableSurvey(ctx, tx, in.ImplementationID, in.ID)
		if err != nil {
			return nil, err
		}
		if before.Version != in.Version {
			return nil, errs.ErrConflict
		}
		if before.Status != SurveyDraft {
			return nil, errs.Invalidf("status", "implement.survey.not_draft")
		}
		if err := s.validateSurvey(ctx, tx, m, &in); err != nil {
			return nil, err
		}
		v := before
		v.Title, v.Message, v.Deadline = in.Title, in.Message, in.Deadline
		if err := updateSurvey(ctx, tx, v, now); err != nil {
			return nil, err
		}
		if err := replaceSurveyParts(ctx, tx, v.ID, in.RecommendationIDs, in.Units); err != nil {
			return nil, err
		}
		out, err = findSurvey(ctx, tx, v.ID)
		return []audit.Change{{Entity: entitySurvey, EntityID: v.ID, Action: audit.Update, Before: before, After: out}}, err
	})
	return out, err
}

// editableSurvey reads survey id of implementation implementationID inside
// tx, for a user who may edit the implementation.
func editableSurvey(ctx context.Context, tx *db.Tx, implementationID, id int64) (Implementation, Survey, error) {
	m, err := editable(ctx, tx, implementationID)
	if err != nil {
		return Implementation{}, Survey{}, err
	}
	v, err := findSurvey(ctx, tx, id)
	if err != nil {
		return Implementation{}, Survey{}, err
	}
	if v.ImplementationID != m.ID {
		return Implementation{}, Survey{}, fmt.Errorf("survey %d not of implementation %d: %w", id, m.ID, errs.ErrNotFound)
	}
	return m, v, nil
}

// SendSurvey sends a draft: each unit's contact gets a mail with the link to
// the unit's answer form (contacts without an address only the task on
// their start page).
func (s *Service) SendSurvey(ctx context.Context, implementationID, id, version int64) (Survey, error) {
	var out Survey
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		m, before, err := editableSurvey(ctx, tx, implementationID, id)
		if err != nil {
			return nil, err
		}
		if before.Version != version {
			return nil, errs.ErrConflict
		}
		if before.Status != SurveyDraft {
			return nil, errs.Invalidf("status", "implement.survey.not_draft")
		}
		if before.Deadline.Before(s.Today()) {
			return nil, errs.Invalidf("deadline", "implement.survey.deadline_past")
		}
		if len(before.Recipients) == 0 {
			return nil, errs.Invalidf("units", "implement.survey.units_required")
		}
		sp, err := catalog.SupportIn(ctx, tx, m.SupportID)
		if err != nil {
			return nil, err
		}
		v := before
		v.Status, v.SentOn = SurveySent, s.Today()
		if err := updateSurvey(ctx, tx, v, now); err != nil {
			return nil, err
		}
		for _, r := range before.Recipients {
			if err := s.mailRecipient(ctx, tx, v, sp, r, false, now); err != nil {
				return nil, err
			}
		}
		out, err = findSurvey(ctx, tx, v.ID)
		return []audit.Change{{Entity: entitySurvey, EntityID: v.ID, Action: audit.Update, Before: before, After: out}}, err
	})
	markSurveyLate(&out)
	return out, err
}

// mailRecipient puts the questionnaire (or a reminder of it) to one unit's
// contact in the outbox; nothing when the contact has no address. The mail
// names only the support, the questionnaire, the unit and the deadline.
func (s *Service) mailRecipient(ctx context.Context, tx *db.Tx, v Survey, sp catalog.Support, r SurveyRecipient, reminder bool, now time.Time) error {
	if r.ContactEmail == "" {
		return nil
	}
	subject, kind := "implement.survey.mail.subject", "implement.survey"
	if reminder {
		subject, kind = "implement.survey.mail.reminder_subject", "implement.survey_reminder"
	}
	body := s.say("implement.survey.mail.body", "support", sp.Title, "title", v.Title, "unit", r.Unit,
		"date", v.Deadline.Time(), "link", s.publicURL+AnswerURL(r.ID))
	if reminder {
		body = s.say("implement.survey.mail.reminder_body", "support", sp.Title, "title", v.Title, "unit", r.Unit,
			"date", v.Deadline.Time(), "link", s.publicURL+AnswerURL(r.ID))
	}
	if v.Message != "" && !reminder {
		body += "\n\n" + v.Message
	}
	_, err := mail.Enqueue(ctx, tx, mail.Message{To: r.ContactEmail, Subject: mailSubject(s.say(subject, "support", sp.Title)),
		Body: body, Kind: kind, Entity: entitySurvey, EntityID: v.ID}, now)
	var verr *errs.ValidationError
	if errors.As(err, &verr) {
		return nil // an address the registry holds but mail cannot take: the task on the start page remains
	}
	return err
}

// CloseSurvey closes a sent questionnaire: no more answers, no more reminders.
func (s *Service) CloseSurvey(ctx context.Context, implementationID, id, version int64) (Survey, error) {
	var out Survey
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		_, before, err := editableSurvey(ctx, tx, implementationID, id)
		if err != nil {
			return nil, err
		}
		if before.Version != version {
			return nil, errs.ErrConflict
		}
		if before.Status != SurveySent {
			return nil, errs.Invalidf("status", "implement.survey.not_sent")
		}
		v := before
		v.Status, v.ClosedOn = SurveyClosed, s.Today()
		if err := updateSurvey(ctx, tx, v, now); err != nil {
			return nil, err
		}
		out, err = findSurvey(ctx, tx, v.ID)
		return []audit.Change{{Entity: entitySurvey, EntityID: v.ID, Action: audit.Update, Before: before, After: out}}, err
	})
	markSurveyLate(&out)
	return out, err
}

// surveyReminded is what the audit log records of reminders.
type surveyReminded struct {
	Reminded []int64 `json:"reminded_recipients"`
}

// RemindNow mails a reminder to every unit that has not answered a sent
// questionnaire (the working group's button) and returns how many were mailed.
func (s *Service) RemindNow(ctx context.Context, implementationID, id int64) (int, error) {
	n := 0
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		m, v, err := editableSurvey(ctx, tx, implementationID, id)
		if err != nil {
			return nil, err
		}
		if v.Status != SurveySent {
			return nil, errs.Invalidf("status", "implement.survey.not_sent")
		}
		sp, err := catalog.SupportIn(ctx, tx, m.SupportID)
		if err != nil {
			return nil, err
		}
		var ids []int64
		for _, r := range v.Recipients {
			if r.Answered() || r.ContactEmail == "" {
				continue
			}
			if err := s.remind(ctx, tx, v, sp, r, now); err != nil {
				return nil, err
			}
			ids = append(ids, r.ID)
		}
		n = len(ids)
		if n == 0 {
			return nil, nil
		}
		return []audit.Change{{Entity: entitySurvey, EntityID: v.ID, Action: audit.Update, After: surveyReminded{ids}}}, nil
	})
	return n, err
}

func (s *Service) remind(ctx context.Context, tx *db.Tx, v Survey, sp catalog.Support, r SurveyRecipient, now time.Time) error {
	if err := s.mailRecipient(ctx, tx, v, sp, r, true, now); err != nil {
		return err
	}
	return markSurveyReminded(ctx, tx, r.ID, s.Today())
}

// ReminderActor is the name the audit log gives the daily reminders.
const ReminderActor = "system: implement.survey_reminders"

// SendDueReminders is the daily job: for every sent questionnaire it mails
// the units that have not answered once the deadline is near or passed, at
// most once per ReminderDays days (ReminderDue).
func (s *Service) SendDueReminders(ctx context.Context) error {
	ctx = audit.WithSystemActor(ctx, ReminderActor)
	today := s.Today()
	return s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		rs, err := openSurveyRecipients(ctx, tx)
		if err != nil {
			return nil, err
		}
		surveys := map[int64]Survey{}
		supports := map[int64]catalog.Support{}
		byID := map[int64][]int64{}
		var order []int64
		for _, r := range rs {
			if r.ContactEmail == "" {
				continue
			}
			v, ok := surveys[r.SurveyID]
			if !ok {
				if v, err = findSurvey(ctx, tx, r.SurveyID); err != nil {
					return nil, err
				}
				surveys[v.ID] = v
			}
			last := r.LastRemindedOn
			if last.IsZero() {
				last = v.SentOn
			}
			if !ReminderDue(v.Deadline, last, today) {
				continue
			}
			m, err := findImplementation(ctx, tx, v.ImplementationID)
			if err != nil {
				return nil, err
			}
			sp, ok := supports[m.SupportID]
			if !ok {
				if sp, err = catalog.SupportIn(ctx, tx, m.SupportID); err != nil {
					return nil, err
				}
				supports[m.SupportID] = sp
			}
			if err := s.remind(ctx, tx, v, sp, r, now); err != nil {
				return nil, err
			}
			if byID[v.ID] == nil {
				order = append(order, v.ID)
			}
			byID[v.ID] = append(byID[v.ID], r.ID)
		}
		cs := make([]audit.Change, 0, len(order))
		for _, id := range order {
			cs = append(cs, audit.Change{Entity: entitySurvey, EntityID: id, Action: audit.Update, After: surveyReminded{byID[id]}})
		}
		return cs, nil
	})
}

// SurveyAnswerView is a unit's answer form.
type SurveyAnswerView struct {
	Recipient       SurveyRecipient          `json:"recipient"`
	Survey          Survey                   `json:"survey"`
	Support         catalog.Support          `json:"support"`
	Recommendations []catalog.Recommendation `json:"recommendations"`
	// Answers by recommendation id, as saved.
	Answers map[int64]SurveyAnswer `json:"-"`
	// OnBehalf: the user answers as the coordinator or the working group, not
	// as the unit.
	OnBehalf bool      `json:"on_behalf"`
	Today    date.Date `json:"today"`
}

// Late reports whether answering now is after the deadline.
func (a SurveyAnswerView) Late() bool { return a.Today.After(a.Survey.Deadline) }

// surveyAnswerable reads recipient id and its questionnaire for a user who may
// answer for the unit: its contact, an enhet user working at the unit, or
// the coordinator or working group on their behalf. To anyone else, and for
// a questionnaire not yet sent, it does not exist.
func surveyAnswerable(ctx context.Context, q db.Querier, id int64) (SurveyRecipient, Survey, Implementation, bool, error) {
	notFound := fmt.Errorf("survey recipient %d: %w", id, errs.ErrNotFound)
	r, err := findSurveyRecipient(ctx, q, id)
	if err != nil {
		return SurveyRecipient{}, Survey{}, Implementation{}, false, err
	}
	v, err := findSurvey(ctx, q, r.SurveyID)
	if err != nil {
		return SurveyRecipient{}, Survey{}, Implementation{}, false, err
	}
	if v.Status == SurveyDraft {
		return SurveyRecipient{}, Survey{}, Implementation{}, false, notFound
	}
	m, err := findImplementation(ctx, q, v.ImplementationID)
	if err != nil {
		return SurveyRecipient{}, Survey{}, Implementation{}, false, err
	}
	p := access.From(ctx)
	if p.Anonymous() {
		return SurveyRecipient{}, Survey{}, Implementation{}, false, notFound
	}
	own := r.contactUser == p.UserID
	if !own && p.Has(access.Unit) {
		_, unit, err := personOfUser(ctx, q, p.UserID)
		if err != nil {
			return SurveyRecipient{}, Survey{}, Implementation{}, false, err
		}
		own = unit != 0 && unit == r.UnitID
	}
	if own {
		return r, v, m, false, nil
	}
	rt, err := rights(ctx, q, m)
	if err != nil {
		return SurveyRecipient{}, Survey{}, Implementation{}, false, err
	}
	if !rt.Edit {
		return SurveyRecipient{}, Survey{}, Implementation{}, false, notFound
	}
	return r, v, m, true, nil
}

// Answer reads a unit's answer form.
func (s *Service) Answer(ctx context.Context, recipientID int64) (SurveyAnswerView, error) {
	r, v, m, onBehalf, err := surveyAnswerable(ctx, s.db, recipientID)
	if err != nil {
		return SurveyAnswerView{}, err
	}
	return s.answerView(ctx, s.db, r, v, m, onBehalf)
}

func (s *Service) answerView(ctx context.Context, q db.Querier, r SurveyRecipient, v Survey, m Implementation, onBehalf bool) (SurveyAnswerView, error) {
	r.Late = answeredLate(r, v.Deadline)
	a := SurveyAnswerView{Recipient: r, Survey: v, OnBehalf: onBehalf, Today: s.Today()}
	a.Survey.Recipients = []SurveyRecipient{r} // never the other units
	var err error
	if a.Support, err = catalog.SupportIn(ctx, q, m.SupportID); err != nil {
		return SurveyAnswerView{}, err
	}
	if a.Recommendations, err = surveyRecommendations(ctx, q, m.SupportID, v.RecommendationIDs); err != nil {
		return SurveyAnswerView{}, err
	}
	if a.Answers, err = surveyRecipientAnswers(ctx, q, r.ID); err != nil {
		return SurveyAnswerView{}, err
	}
	return a, nil
}

// SaveAnswer saves a unit's answers whole, by the recipient's version: one
// answer per recommendation asked about. After the deadline answers are
// still taken (and marked late) until the questionnaire is closed.
func (s *Service) SaveAnswer(ctx context.Context, recipientID, version int64, answers []SurveyAnswer) (SurveyAnswerView, error) {
	var out SurveyAnswerView
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		r, v, m, onBehalf, err := surveyAnswerable(ctx, tx, recipientID)
		if err != nil {
			return nil, err
		}
		if v.Status != SurveySent {
			return nil, errs.Invalidf("answers", "implement.survey.closed")
		}
		if r.Version != version {
			return nil, errs.ErrConflict
		}
		clean, err := validateSurveyAnswers(v, answers)
		if err != nil {
			return nil, err
		}
		before, err := surveyRecipientAnswers(ctx, tx, r.ID)
		if err != nil {
			return nil, err
		}
		if err := saveSurveyAnswers(ctx, tx, r, clean, audit.DisplayName(ctx), now); err != nil {
			return nil, err
		}
		r, err = findSurveyRecipient(ctx, tx, r.ID)
		if err != nil {
			return nil, err
		}
		if out, err = s.answerView(ctx, tx, r, v, m, onBehalf); err != nil {
			return nil, err
		}
		return []audit.Change{{Entity: entitySurveyAnswer, EntityID: r.ID, Action: audit.Update,
			Before: surveyAnswerList(before), After: clean}}, nil
	})
	return out, err
}

func surveyAnswerList(m map[int64]SurveyAnswer) []SurveyAnswer {
	out := make([]SurveyAnswer, 0, len(m))
	for _, a := range m {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b SurveyAnswer) int { return int(a.RecommendationID - b.RecommendationID) })
	return out
}

// validateSurveyAnswers checks one answer per recommendation of v: a known
// compliance and a comment of at most MaxSurveyComment characters.
func validateSurveyAnswers(v Survey, answers []SurveyAnswer) ([]SurveyAnswer, error) {
	var ve errs.ValidationError
	given := map[int64]SurveyAnswer{}
	for _, a := range answers {
		if !slices.Contains(v.RecommendationIDs, a.RecommendationID) {
			ve.Add("answers", "implement.survey.unknown_recommendation")
			continue
		}
		a.Comment = strings.TrimSpace(a.Comment)
		given[a.RecommendationID] = a
	}
	out := make([]SurveyAnswer, 0, len(v.RecommendationIDs))
	for _, rec := range v.RecommendationIDs {
		id := strconv.FormatInt(rec, 10)
		a, ok := given[rec]
		switch {
		case !ok || a.Compliance == "":
			ve.Add("answer."+id, "implement.survey.answer_required")
		case !slices.Contains(Compliances, a.Compliance):
			ve.Add("answer."+id, "validation.choice")
		}
		if utf8.RuneCountInString(a.Comment) > MaxSurveyComment {
			ve.Add("comment."+id, "validation.too_long", "max", MaxSurveyComment)
		}
		a.RecommendationID = rec
		out = append(out, a)
	}
	return out, ve.Err()
}

// surveyTasks are the questionnaires the signed-in user's unit has not
// answered: for the unit's contact and the unit's enhet users.
func (s *Service) surveyTasks(ctx context.Context) ([]Task, error) {
	rs, err := s.mySurveys(ctx)
	if err != nil {
		return nil, err
	}
	today := s.Today()
	var tasks []Task
	for _, x := range rs {
		if !x.CanAnswer || x.Recipient.Answered() || !x.Survey.Open() {
			continue
		}
		tasks = append(tasks, Task{Key: "implement.task.survey", Title: x.Support, Href: AnswerURL(x.Recipient.ID),
			Due: x.Survey.Deadline, Late: today.After(x.Survey.Deadline)})
	}
	return tasks, nil
}

// UnitSurvey is a questionnaire sent to the user's unit.
type UnitSurvey struct {
	Recipient        SurveyRecipient `json:"recipient"`
	Survey           Survey          `json:"survey" doc:"Without the other units"`
	Support          string          `json:"support" doc:"The support's title"`
	ImplementationID int64           `json:"implementation_id"`
	CanAnswer        bool            `json:"can_answer"`
}

// mySurveys lists the sent questionnaires whose contact is the user, or
// whose unit is the user's unit.
func (s *Service) mySurveys(ctx context.Context) ([]UnitSurvey, error) {
	p := access.From(ctx)
	if p.Anonymous() {
		return nil, nil
	}
	person, unit, err := personOfUser(ctx, s.db, p.UserID)
	if err != nil || person == 0 {
		return nil, err
	}
	rs, err := surveyRecipientsOf(ctx, s.db, person, unit)
	if err != nil {
		return nil, err
	}
	out := make([]UnitSurvey, 0, len(rs))
	for _, r := range rs {
		v, err := findSurvey(ctx, s.db, r.SurveyID)
		if err != nil {
			return nil, err
		}
		markSurveyLate(&v)
		for _, x := range v.Recipients {
			if x.ID == r.ID {
				r = x
			}
		}
		v.Recipients = []SurveyRecipient{r}
		m, err := findImplementation(ctx, s.db, v.ImplementationID)
		if err != nil {
			return nil, err
		}
		sp, err := catalog.SupportIn(ctx, s.db, m.SupportID)
		if err != nil {
			return nil, err
		}
		can := r.contactUser == p.UserID || (p.Has(access.Unit) && unit == r.UnitID)
		out = append(out, UnitSurvey{Recipient: r, Survey: v, Support: sp.Title, ImplementationID: m.ID, CanAnswer: can})
	}
	return out, nil
}

// UnitGap is a gap analysis that concerns the user's unit, read-only: its
// recommendation, size and the answers to the basic questions.
type UnitGap struct {
	Recommendation catalog.Recommendation `json:"recommendation"`
	Size           GapSize                `json:"gap,omitempty"`
	Basic          []UnitGapAnswer        `json:"basic"`
}

// UnitGapAnswer is a question of the template with its answer.
type UnitGapAnswer struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// UnitImplementation is an implementation whose gap analyses concern the
// user's unit, with its actions.
type UnitImplementation struct {
	ImplementationID int64     `json:"implementation_id"`
	Support          string    `json:"support"`
	Gaps             []UnitGap `json:"gaps"`
	Actions          []Action  `json:"actions"`
	// People names the actions' responsible people.
	People map[int64]string `json:"-"`
}

// MyUnit is what concerns the signed-in user's unit in the implementation
// workspaces: the questionnaires to answer or answered, the gap analyses
// that concern the unit and the actions of those implementations.
type MyUnit struct {
	UnitID          int64                `json:"unit_id,omitempty" doc:"0: the user works at no unit in the registry"`
	Unit            string               `json:"unit,omitempty"`
	Surveys         []UnitSurvey         `json:"surveys"`
	Implementations []UnitImplementation `json:"implementations"`
	// Rounds are the comment rounds on action plans sent to the user's unit
	// or municipality, open and closed, to comment on or read the answers.
	Rounds []UnitRound `json:"comment_rounds"`
	// Working are the workspaces whose working group the user is in.
	Working []WorkingOn `json:"working_on"`
	Today   date.Date   `json:"today"`
}

// UnitRound is a comment round to the user's unit or municipality.
type UnitRound struct {
	RecipientID int64     `json:"recipient_id" doc:"The page /remissvar/{recipient_id}"`
	Support     string    `json:"support"`
	Deadline    date.Date `json:"deadline"`
	Closed      bool      `json:"closed"`
}

// WorkingOn is a workspace the user works in.
type WorkingOn struct {
	ImplementationID int64  `json:"implementation_id"`
	Support          string `json:"support"`
}

// MyUnit reads what concerns the signed-in user's unit.
func (s *Service) MyUnit(ctx context.Context) (MyUnit, error) {
	out := MyUnit{Today: s.Today(), Surveys: []UnitSurvey{}, Implementations: []UnitImplementation{}, Rounds: []UnitRound{}, Working: []WorkingOn{}}
	p := access.From(ctx)
	if p.Anonymous() {
		return out, fmt.Errorf("my unit: %w", errs.ErrForbidden)
	}
	_, unit, err := personOfUser(ctx, s.db, p.UserID)
	if err != nil {
		return MyUnit{}, err
	}
	if out.Surveys, err = s.mySurveys(ctx); err != nil {
		return MyUnit{}, err
	}
	if out.Surveys == nil {
		out.Surveys = []UnitSurvey{}
	}
	if out.Working, err = workingOn(ctx, s.db, p.UserID); err != nil {
		return MyUnit{}, err
	}
	var munis []string
	if p.Has(access.Municipality) {
		if munis, err = forum.ContactMunicipalitiesIn(ctx, s.db, p.UserID); err != nil {
			return MyUnit{}, err
		}
	}
	roundUnit := unit
	if !p.Has(access.Unit) {
		roundUnit = 0 // as for the start page's tasks: enhet users answer for their unit
	}
	rounds, err := commentRecipientsFor(ctx, s.db, roundUnit, munis, false)
	if err != nil {
		return MyUnit{}, err
	}
	out.Rounds = make([]UnitRound, 0, len(rounds))
	for _, r := range rounds {
		out.Rounds = append(out.Rounds, UnitRound{RecipientID: r.recipient, Support: r.title, Deadline: r.deadline, Closed: r.closed})
	}
	if unit == 0 {
		return out, nil
	}
	out.UnitID = unit
	names, err := unitNames(ctx, s.db, []int64{unit})
	if err != nil {
		return MyUnit{}, err
	}
	out.Unit = names[unit]
	gaps, err := surveyGapsOfUnit(ctx, s.db, unit)
	if err != nil {
		return MyUnit{}, err
	}
	idx := map[int64]int{}
	recs := map[int64][]catalog.Recommendation{}
	templates := map[int64]Template{}
	for _, g := range gaps {
		i, ok := idx[g.ImplementationID]
		if !ok {
			m, err := findImplementation(ctx, s.db, g.ImplementationID)
			if err != nil {
				return MyUnit{}, err
			}
			sp, err := catalog.SupportIn(ctx, s.db, m.SupportID)
			if err != nil {
				return MyUnit{}, err
			}
			if recs[m.ID], err = catalog.RecommendationsIn(ctx, s.db, m.SupportID); err != nil {
				return MyUnit{}, err
			}
			ui := UnitImplementation{ImplementationID: m.ID, Support: sp.Title, Gaps: []UnitGap{}}
			if ui.Actions, err = listActions(ctx, s.db, m.ID); err != nil {
				return MyUnit{}, err
			}
			var people []int64
			for _, a := range ui.Actions {
				people = append(people, a.ResponsibleID)
			}
			if ui.People, err = personNames(ctx, s.db, distinct(people)); err != nil {
				return MyUnit{}, err
			}
			i = len(out.Implementations)
			idx[m.ID] = i
			out.Implementations = append(out.Implementations, ui)
		}
		t, ok := templates[g.TemplateID]
		if !ok {
			if t, err = findTemplate(ctx, s.db, g.TemplateID); err != nil {
				return MyUnit{}, err
			}
			templates[t.ID] = t
		}
		ug := UnitGap{Size: g.Size, Basic: []UnitGapAnswer{}}
		for _, r := range recs[g.ImplementationID] {
			if r.ID == g.RecommendationID {
				ug.Recommendation = r
			}
		}
		for _, q := range t.Questions {
			if q.Level == Basic {
				ug.Basic = append(ug.Basic, UnitGapAnswer{Question: q.Label, Answer: g.Answers[q.Key]})
			}
		}
		out.Implementations[i].Gaps = append(out.Implementations[i].Gaps, ug)
	}
	return out, nil
}
