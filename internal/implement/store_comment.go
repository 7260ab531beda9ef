package implement

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// Plan revisions.

const revisionColumns = `id, implementation_id, number, note, snapshot, created_by, created_at`

func scanRevision(s db.Scanner) (Revision, error) {
	var r Revision
	var snapshot string
	if err := s.Scan(&r.ID, &r.ImplementationID, &r.Number, &r.Note, &snapshot, &r.CreatedBy, &r.CreatedAt); err != nil {
		return Revision{}, err
	}
	r.CreatedAt = r.CreatedAt.UTC()
	r.Actions = []RevisionAction{}
	if err := json.Unmarshal([]byte(snapshot), &r.Actions); err != nil {
		return Revision{}, fmt.Errorf("revision %d: snapshot: %w", r.ID, err)
	}
	return r, nil
}

// listRevisions lists an implementation's plan revisions by number.
func listRevisions(ctx context.Context, q db.Querier, implementationID int64) ([]Revision, error) {
	rs, err := db.All(ctx, q, scanRevision, `SELECT `+revisionColumns+` FROM plan_revisions
		WHERE implementation_id = ? ORDER BY number`, implementationID)
	if err != nil {
		return nil, fmt.Errorf("list revisions: %w", err)
	}
	return rs, nil
}

// findRevision reads revision number of an implementation.
func findRevision(ctx context.Context, q db.Querier, implementationID int64, number int) (Revision, error) {
	r, err := db.One(ctx, q, scanRevision, `SELECT `+revisionColumns+` FROM plan_revisions
		WHERE implementation_id = ? AND number = ?`, implementationID, number)
	if err != nil {
		return Revision{}, fmt.Errorf("revision %d of implementation %d: %w", number, implementationID, err)
	}
	return r, nil
}

func insertRevision(ctx context.Context, q db.Querier, r Revision, now time.Time) (int64, error) {
	b, err := json.Marshal(r.Actions)
	if err != nil {
		return 0, fmt.Errorf("revision snapshot: %w", err)
	}
	return db.Insert(ctx, q, `INSERT INTO plan_revisions (implementation_id, number, note, snapshot, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, r.ImplementationID, r.Number, r.Note, string(b), r.CreatedBy, now)
}

// setPlanRevision records number as the implementation's latest plan
// revision, by version: two revisions saved at once cannot both pass.
func setPlanRevision(ctx context.Context, q db.Querier, id int64, number int, version int64, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "implementations", id, `UPDATE implementations SET plan_revision = ?, updated_at = ?,
		version = version + 1 WHERE id = ? AND version = ?`, number, now, id, version)
}

// Comment rounds.

const commentRoundColumns = `id, implementation_id, revision, message, deadline, sent_on, closed_on, created_at, updated_at, version`

func scanCommentRound(s db.Scanner) (CommentRound, error) {
	var r CommentRound
	err := s.Scan(&r.ID, &r.ImplementationID, &r.Revision, &r.Message, &r.Deadline, &r.SentOn, &r.ClosedOn,
		&r.CreatedAt, &r.UpdatedAt, &r.Version)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	r.UnitIDs, r.Municipalities, r.Recipients = []int64{}, []string{}, []CommentRecipient{}
	return r, err
}

func findCommentRound(ctx context.Context, q db.Querier, id int64) (CommentRound, error) {
	r, err := db.One(ctx, q, scanCommentRound, `SELECT `+commentRoundColumns+` FROM comment_rounds WHERE id = ?`, id)
	if err != nil {
		return CommentRound{}, fmt.Errorf("find comment round %d: %w", id, err)
	}
	return r, nil
}

// listCommentRounds lists an implementation's comment rounds, oldest first.
func listCommentRounds(ctx context.Context, q db.Querier, implementationID int64) ([]CommentRound, error) {
	rs, err := db.All(ctx, q, scanCommentRound, `SELECT `+commentRoundColumns+` FROM comment_rounds
		WHERE implementation_id = ? ORDER BY created_at, id`, implementationID)
	if err != nil {
		return nil, fmt.Errorf("list comment rounds: %w", err)
	}
	return rs, nil
}

func insertCommentRound(ctx context.Context, q db.Querier, r CommentRound, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `INSERT INTO comment_rounds (implementation_id, revision, message, deadline, sent_on,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.ImplementationID, r.Revision, r.Message, r.Deadline, r.SentOn, now, now)
}

func closeCommentRound(ctx context.Context, q db.Querier, id int64, on date.Date, version int64, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "comment_rounds", id, `UPDATE comment_rounds SET closed_on = ?, updated_at = ?,
		version = version + 1 WHERE id = ? AND version = ?`, on, now, id, version)
}

// Recipients.

const commentRecipientColumns = `r.id, r.round_id, r.unit_id, r.municipality, COALESCE(u.name, m.name, r.municipality, '')`

const commentRecipientFrom = ` FROM comment_recipients r
	LEFT JOIN units u ON u.id = r.unit_id
	LEFT JOIN municipalities m ON m.code = r.municipality`

func scanCommentRecipient(s db.Scanner) (CommentRecipient, error) {
	var r CommentRecipient
	var unit sql.NullInt64
	var muni sql.NullString
	err := s.Scan(&r.ID, &r.RoundID, &unit, &muni, &r.Name)
	r.UnitID, r.Municipality = unit.Int64, muni.String
	r.Comments = []PlanComment{}
	return r, err
}

func findCommentRecipient(ctx context.Context, q db.Querier, id int64) (CommentRecipient, error) {
	r, err := db.One(ctx, q, scanCommentRecipient, `SELECT `+commentRecipientColumns+commentRecipientFrom+` WHERE r.id = ?`, id)
	if err != nil {
		return CommentRecipient{}, fmt.Errorf("find comment recipient %d: %w", id, err)
	}
	return r, nil
}

// listCommentRecipients lists a round's recipients: units, then
// municipalities, by name.
func listCommentRecipients(ctx context.Context, q db.Querier, roundID int64) ([]CommentRecipient, error) {
	rs, err := db.All(ctx, q, scanCommentRecipient, `SELECT `+commentRecipientColumns+commentRecipientFrom+`
		WHERE r.round_id = ? ORDER BY r.municipality IS NOT NULL, COALESCE(u.name, m.name, r.municipality), r.id`, roundID)
	if err != nil {
		return nil, fmt.Errorf("list comment recipients: %w", err)
	}
	return rs, nil
}

func insertCommentRecipient(ctx context.Context, q db.Querier, roundID, unitID int64, municipality string) (int64, error) {
	return db.Insert(ctx, q, `INSERT INTO comment_recipients (round_id, unit_id, municipality) VALUES (?, ?, ?) RETURNING id`,
		roundID, db.NullID(unitID), db.NullString(municipality))
}

// commentAddresses lists the mail addresses of a recipient's people: for a
// unit, the people working at it who have a user account (the person's
// address, else the user's); for a municipality, the forum's municipality
// contacts (municipality_contacts) with an address. Inactive users get
// nothing.
func commentAddresses(ctx context.Context, q db.Querier, unitID int64, municipality string) ([]string, error) {
	scan := func(s db.Scanner) (string, error) {
		var a string
		return a, s.Scan(&a)
	}
	var as []string
	var err error
	if unitID != 0 {
		as, err = db.All(ctx, q, scan, `SELECT DISTINCT COALESCE(NULLIF(p.email, ''), u.email) FROM people p
			JOIN users u ON u.id = p.user_id
			WHERE p.unit_id = ? AND u.active = ? AND COALESCE(NULLIF(p.email, ''), u.email) <> ''
			ORDER BY 1`, unitID, true)
	} else {
		as, err = db.All(ctx, q, scan, `SELECT DISTINCT u.email FROM municipality_contacts mc
			JOIN users u ON u.id = mc.user_id
			WHERE mc.municipality = ? AND u.active = ? AND u.email <> '' ORDER BY 1`, municipality, true)
	}
	if err != nil {
		return nil, fmt.Errorf("recipient addresses: %w", err)
	}
	return as, nil
}

// commentRecipientsFor lists the recipients the user answers for — their
// unit, or one of the municipalities they are a contact of — with the
// round's deadline, whether it is closed and the support's title. With
// onlyOpen, only those of open rounds (of workspaces not yet introduced)
// with no comment yet: the start page's tasks; else every round, for the
// user's own page.
func commentRecipientsFor(ctx context.Context, q db.Querier, unitID int64, municipalities []string, onlyOpen bool) ([]commentTaskRow, error) {
	scan := func(s db.Scanner) (commentTaskRow, error) {
		var r commentTaskRow
		var closed date.Date
		err := s.Scan(&r.recipient, &r.deadline, &closed, &r.title)
		r.closed = !closed.IsZero()
		return r, err
	}
	query := `SELECT r.id, cr.deadline, cr.closed_on, s.title FROM comment_recipients r
		JOIN comment_rounds cr ON cr.id = r.round_id
		JOIN implementations i ON i.id = cr.implementation_id
		JOIN supports s ON s.id = i.support_id
		WHERE `
	if onlyOpen {
		query += `cr.closed_on IS NULL AND i.introduced_on IS NULL
		  AND NOT EXISTS (SELECT 1 FROM plan_comments c WHERE c.recipient_id = r.id) AND `
	}
	var out []commentTaskRow
	if unitID != 0 {
		rs, err := db.All(ctx, q, scan, query+`r.unit_id = ? ORDER BY cr.deadline, r.id`, unitID)
		if err != nil {
			return nil, fmt.Errorf("comment recipients: %w", err)
		}
		out = append(out, rs...)
	}
	for _, m := range municipalities {
		rs, err := db.All(ctx, q, scan, query+`r.municipality = ? ORDER BY cr.deadline, r.id`, m)
		if err != nil {
			return nil, fmt.Errorf("comment recipients: %w", err)
		}
		out = append(out, rs...)
	}
	return out, nil
}

type commentTaskRow struct {
	recipient int64
	deadline  date.Date
	closed    bool
	title     string
}

// Comments.

const planCommentColumns = `id, round_id, recipient_id, author, body, created_at, answer, answered_by, answered_at, version`

func scanPlanComment(s db.Scanner) (PlanComment, error) {
	var c PlanComment
	var at sql.NullTime
	err := s.Scan(&c.ID, &c.RoundID, &c.RecipientID, &c.Author, &c.Body, &c.CreatedAt, &c.Answer, &c.AnsweredBy, &at, &c.Version)
	c.CreatedAt = c.CreatedAt.UTC()
	if at.Valid {
		t := at.Time.UTC()
		c.AnsweredAt = &t
	}
	return c, err
}

func findPlanComment(ctx context.Context, q db.Querier, id int64) (PlanComment, error) {
	c, err := db.One(ctx, q, scanPlanComment, `SELECT `+planCommentColumns+` FROM plan_comments WHERE id = ?`, id)
	if err != nil {
		return PlanComment{}, fmt.Errorf("find plan comment %d: %w", id, err)
	}
	return c, nil
}

// listPlanComments lists a round's comments, oldest first.
func listPlanComments(ctx context.Context, q db.Querier, roundID int64) ([]PlanComment, error) {
	cs, err := db.All(ctx, q, scanPlanComment, `SELECT `+planCommentColumns+` FROM plan_comments
		WHERE round_id = ? ORDER BY created_at, id`, roundID)
	if err != nil {
		return nil, fmt.Errorf("list plan comments: %w", err)
	}
	return cs, nil
}

func insertPlanComment(ctx context.Context, q db.Querier, c PlanComment, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `INSERT INTO plan_comments (round_id, recipient_id, author, body, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, c.RoundID, c.RecipientID, c.Author, c.Body, now)
}

func answerPlanComment(ctx context.Context, q db.Querier, c PlanComment, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "plan_comments", c.ID, `UPDATE plan_comments SET answer = ?, answered_by = ?,
		answered_at = ?, version = version + 1 WHERE id = ? AND version = ?`, c.Answer, c.AnsweredBy, now, c.ID, c.Version)
}
