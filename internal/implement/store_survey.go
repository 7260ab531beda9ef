package implement

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// Unit questionnaires.

const surveyColumns = `id, implementation_id, title, message, deadline, status, sent_on, closed_on, created_at, updated_at, version`

func scanSurvey(s db.Scanner) (Survey, error) {
	var v Survey
	var status string
	err := s.Scan(&v.ID, &v.ImplementationID, &v.Title, &v.Message, &v.Deadline, &status, &v.SentOn, &v.ClosedOn,
		&v.CreatedAt, &v.UpdatedAt, &v.Version)
	v.Status = SurveyStatus(status)
	v.CreatedAt, v.UpdatedAt = v.CreatedAt.UTC(), v.UpdatedAt.UTC()
	v.RecommendationIDs, v.Recipients = []int64{}, []SurveyRecipient{}
	return v, err
}

// surveyRecipientColumns reads a recipient with its unit's and contact's names and
// the contact's address (the person's, else their user's).
const surveyRecipientColumns = `r.id, r.survey_id, r.unit_id, r.contact_id, r.answered_at, r.answered_by, r.reminders,
	r.last_reminded_on, r.version, un.name, COALESCE(p.name, ''), COALESCE(NULLIF(p.email, ''), u.email, ''), p.user_id`

const surveyRecipientFrom = ` FROM survey_recipients r JOIN units un ON un.id = r.unit_id
	LEFT JOIN people p ON p.id = r.contact_id LEFT JOIN users u ON u.id = p.user_id`

func scanSurveyRecipient(s db.Scanner) (SurveyRecipient, error) {
	var r SurveyRecipient
	var contact, contactUser sql.NullInt64
	var answered sql.NullTime
	err := s.Scan(&r.ID, &r.SurveyID, &r.UnitID, &contact, &answered, &r.AnsweredBy, &r.Reminders, &r.LastRemindedOn,
		&r.Version, &r.Unit, &r.Contact, &r.ContactEmail, &contactUser)
	r.ContactID, r.contactUser = contact.Int64, contactUser.Int64
	if answered.Valid {
		t := answered.Time.UTC()
		r.AnsweredAt = &t
	}
	return r, err
}

// findSurvey reads a questionnaire with its recommendations and recipients.
func findSurvey(ctx context.Context, q db.Querier, id int64) (Survey, error) {
	v, err := db.One(ctx, q, scanSurvey, `SELECT `+surveyColumns+` FROM unit_surveys WHERE id = ?`, id)
	if err != nil {
		return Survey{}, fmt.Errorf("find survey %d: %w", id, err)
	}
	return withSurveyParts(ctx, q, v)
}

func withSurveyParts(ctx context.Context, q db.Querier, v Survey) (Survey, error) {
	recs, err := db.All(ctx, q, db.ScanID, `SELECT sr.recommendation_id FROM survey_recommendations sr
		JOIN recommendations rc ON rc.id = sr.recommendation_id WHERE sr.survey_id = ? ORDER BY rc.position, rc.id`, v.ID)
	if err != nil {
		return Survey{}, fmt.Errorf("recommendations of survey %d: %w", v.ID, err)
	}
	if recs != nil {
		v.RecommendationIDs = recs
	}
	rs, err := db.All(ctx, q, scanSurveyRecipient, `SELECT `+surveyRecipientColumns+surveyRecipientFrom+` WHERE r.survey_id = ? ORDER BY un.name, r.id`, v.ID)
	if err != nil {
		return Survey{}, fmt.Errorf("recipients of survey %d: %w", v.ID, err)
	}
	if rs != nil {
		v.Recipients = rs
	}
	return v, nil
}

// listSurveys reads an implementation's questionnaires, newest first.
func listSurveys(ctx context.Context, q db.Querier, implementationID int64) ([]Survey, error) {
	vs, err := db.All(ctx, q, scanSurvey, `SELECT `+surveyColumns+` FROM unit_surveys WHERE implementation_id = ?
		ORDER BY created_at DESC, id DESC`, implementationID)
	if err != nil {
		return nil, fmt.Errorf("list surveys: %w", err)
	}
	for i := range vs {
		if vs[i], err = withSurveyParts(ctx, q, vs[i]); err != nil {
			return nil, err
		}
	}
	return vs, nil
}

func insertSurvey(ctx context.Context, q db.Querier, v Survey, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `INSERT INTO unit_surveys (implementation_id, title, message, deadline, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, v.ImplementationID, v.Title, v.Message, v.Deadline, string(v.Status), now, now)
}

// updateSurvey writes the texts, deadline and status of a questionnaire, by version.
func updateSurvey(ctx context.Context, q db.Querier, v Survey, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "unit_surveys", v.ID, `UPDATE unit_surveys SET title = ?, message = ?, deadline = ?,
		status = ?, sent_on = ?, closed_on = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		v.Title, v.Message, v.Deadline, string(v.Status), v.SentOn, v.ClosedOn, now, v.ID, v.Version)
}

// replaceSurveyParts writes a draft's recommendations and recipients anew.
func replaceSurveyParts(ctx context.Context, q db.Querier, surveyID int64, recs []int64, units []SurveyUnit) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM survey_recommendations WHERE survey_id = ?`, surveyID); err != nil {
		return fmt.Errorf("clear survey recommendations: %w", err)
	}
	for _, r := range recs {
		if _, err := q.ExecContext(ctx, `INSERT INTO survey_recommendations (survey_id, recommendation_id) VALUES (?, ?)`, surveyID, r); err != nil {
			return fmt.Errorf("add survey recommendation %d: %w", r, db.MapError(err))
		}
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM survey_recipients WHERE survey_id = ?`, surveyID); err != nil {
		return fmt.Errorf("clear survey recipients: %w", err)
	}
	for _, u := range units {
		if _, err := q.ExecContext(ctx, `INSERT INTO survey_recipients (survey_id, unit_id, contact_id) VALUES (?, ?, ?)`,
			surveyID, u.UnitID, db.NullID(u.ContactID)); err != nil {
			return fmt.Errorf("add survey recipient %d: %w", u.UnitID, db.MapError(err))
		}
	}
	return nil
}

// findSurveyRecipient reads one recipient.
func findSurveyRecipient(ctx context.Context, q db.Querier, id int64) (SurveyRecipient, error) {
	r, err := db.One(ctx, q, scanSurveyRecipient, `SELECT `+surveyRecipientColumns+surveyRecipientFrom+` WHERE r.id = ?`, id)
	if err != nil {
		return SurveyRecipient{}, fmt.Errorf("find survey recipient %d: %w", id, err)
	}
	return r, nil
}

// surveyRecipientAnswers reads a recipient's answers by recommendation.
func surveyRecipientAnswers(ctx context.Context, q db.Querier, recipientID int64) (map[int64]SurveyAnswer, error) {
	as, err := db.All(ctx, q, scanSurveyAnswer, `SELECT recommendation_id, compliance, comment FROM survey_answers
		WHERE recipient_id = ?`, recipientID)
	if err != nil {
		return nil, fmt.Errorf("answers of recipient %d: %w", recipientID, err)
	}
	out := make(map[int64]SurveyAnswer, len(as))
	for _, a := range as {
		out[a.RecommendationID] = a
	}
	return out, nil
}

func scanSurveyAnswer(s db.Scanner) (SurveyAnswer, error) {
	var a SurveyAnswer
	var c string
	err := s.Scan(&a.RecommendationID, &c, &a.Comment)
	a.Compliance = Compliance(c)
	return a, err
}

// saveSurveyAnswers replaces a recipient's answers and marks it answered, by the
// recipient's version.
func saveSurveyAnswers(ctx context.Context, q db.Querier, r SurveyRecipient, answers []SurveyAnswer, by string, now time.Time) error {
	err := db.UpdateVersioned(ctx, q, "survey_recipients", r.ID, `UPDATE survey_recipients SET answered_at = ?, answered_by = ?,
		version = version + 1 WHERE id = ? AND version = ?`, now, by, r.ID, r.Version)
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM survey_answers WHERE recipient_id = ?`, r.ID); err != nil {
		return fmt.Errorf("clear answers: %w", err)
	}
	for _, a := range answers {
		if _, err := q.ExecContext(ctx, `INSERT INTO survey_answers (recipient_id, recommendation_id, compliance, comment)
			VALUES (?, ?, ?, ?)`, r.ID, a.RecommendationID, string(a.Compliance), a.Comment); err != nil {
			return fmt.Errorf("add answer: %w", db.MapError(err))
		}
	}
	return nil
}

// markSurveyReminded counts a reminder sent to a recipient on day on. It
// leaves the version alone: a reminder does not conflict with an answer
// being written.
func markSurveyReminded(ctx context.Context, q db.Querier, recipientID int64, on date.Date) error {
	res, err := q.ExecContext(ctx, `UPDATE survey_recipients SET reminders = reminders + 1, last_reminded_on = ?
		WHERE id = ?`, on, recipientID)
	if err != nil {
		return fmt.Errorf("mark recipient %d reminded: %w", recipientID, err)
	}
	return db.Affected(res)
}

// surveyUnitAnswer is one unit's answer to one recommendation, for the compilation.
type surveyUnitAnswer struct {
	surveyID, recommendationID, unitID int64
	unit                               string
	compliance                         Compliance
	comment                            string
}

// surveyAnswersOf reads every answer given to the questionnaires of an
// implementation that have been sent.
func surveyAnswersOf(ctx context.Context, q db.Querier, implementationID int64) ([]surveyUnitAnswer, error) {
	as, err := db.All(ctx, q, func(s db.Scanner) (surveyUnitAnswer, error) {
		var a surveyUnitAnswer
		var c string
		err := s.Scan(&a.surveyID, &a.recommendationID, &a.unitID, &a.unit, &c, &a.comment)
		a.compliance = Compliance(c)
		return a, err
	}, `SELECT r.survey_id, a.recommendation_id, r.unit_id, un.name, a.compliance, a.comment
		FROM survey_answers a JOIN survey_recipients r ON r.id = a.recipient_id
		JOIN unit_surveys s ON s.id = r.survey_id JOIN units un ON un.id = r.unit_id
		WHERE s.implementation_id = ? AND s.status <> 'draft' ORDER BY un.name, r.id`, implementationID)
	if err != nil {
		return nil, fmt.Errorf("answers of implementation %d: %w", implementationID, err)
	}
	return as, nil
}

// surveyContacts lists the people who may be a unit's contact: those working
// at the unit with a linked user, whoever has "chef" in the title first.
func surveyContacts(ctx context.Context, q db.Querier, unitID int64) ([]SurveyContact, error) {
	ps, err := db.All(ctx, q, func(s db.Scanner) (SurveyContact, error) {
		var p SurveyContact
		return p, s.Scan(&p.ID, &p.Name, &p.Title)
	}, `SELECT id, name, title FROM people WHERE unit_id = ? AND user_id IS NOT NULL
		ORDER BY CASE WHEN LOWER(title) LIKE '%chef%' THEN 0 ELSE 1 END, name, id`, unitID)
	if err != nil {
		return nil, fmt.Errorf("contacts of unit %d: %w", unitID, err)
	}
	return ps, nil
}

// surveyPersonUnit is the unit a person works at, 0 if none; found reports
// whether the person exists.
func surveyPersonUnit(ctx context.Context, q db.Querier, personID int64) (unit int64, found bool, err error) {
	var u sql.NullInt64
	err = q.QueryRowContext(ctx, `SELECT unit_id FROM people WHERE id = ?`, personID).Scan(&u)
	if err == sql.ErrNoRows {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("unit of person %d: %w", personID, err)
	}
	return u.Int64, true, nil
}

// openSurveyRecipients lists the recipients of sent questionnaires not yet
// answered, with the questionnaire's deadline, for the daily reminders.
func openSurveyRecipients(ctx context.Context, q db.Querier) ([]SurveyRecipient, error) {
	rs, err := db.All(ctx, q, scanSurveyRecipient, `SELECT `+surveyRecipientColumns+surveyRecipientFrom+`
		JOIN unit_surveys s ON s.id = r.survey_id WHERE s.status = 'sent' AND r.answered_at IS NULL ORDER BY r.survey_id, r.id`)
	if err != nil {
		return nil, fmt.Errorf("open survey recipients: %w", err)
	}
	return rs, nil
}

// surveyRecipientsOf lists the recipients of sent or closed questionnaires whose
// contact is person or whose unit is unit (0: none).
func surveyRecipientsOf(ctx context.Context, q db.Querier, person, unit int64) ([]SurveyRecipient, error) {
	rs, err := db.All(ctx, q, scanSurveyRecipient, `SELECT `+surveyRecipientColumns+surveyRecipientFrom+`
		JOIN unit_surveys s ON s.id = r.survey_id WHERE s.status <> 'draft' AND (r.contact_id = ? OR r.unit_id = ?)
		ORDER BY s.deadline DESC, r.id`, person, unit)
	if err != nil {
		return nil, fmt.Errorf("survey recipients of person %d: %w", person, err)
	}
	return rs, nil
}

// surveyGapsOfUnit lists the gap analyses whose affected units include unit.
func surveyGapsOfUnit(ctx context.Context, q db.Querier, unitID int64) ([]Gap, error) {
	gs, err := db.All(ctx, q, scanGap, `SELECT `+gapColumns+` FROM gap_analyses WHERE id IN (SELECT gap_id FROM gap_units WHERE unit_id = ?)
		ORDER BY implementation_id, id`, unitID)
	if err != nil {
		return nil, fmt.Errorf("gaps of unit %d: %w", unitID, err)
	}
	return gs, nil
}
