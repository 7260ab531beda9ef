package forum

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// The SQL of the region–municipality process: requests (a case sent to a
// municipality, with its answer) and the contacts who answer for each
// municipality.

const requestColumns = `r.id, r.case_id, c.number, c.title, r.municipality, COALESCE(m.name, r.municipality),
	r.sent_on, r.deadline, r.question, r.answer, r.comment, r.answered_on, r.answered_by, r.version`

const requestFrom = ` FROM municipal_requests r
	JOIN cases c ON c.id = r.case_id
	LEFT JOIN municipalities m ON m.code = r.municipality`

func scanRequest(s db.Scanner) (MunicipalRequest, error) {
	var r MunicipalRequest
	err := s.Scan(&r.ID, &r.CaseID, &r.CaseNumber, &r.CaseTitle, &r.Municipality, &r.MunicipalityName,
		&r.SentOn, &r.Deadline, &r.Question, &r.Answer, &r.Comment, &r.AnsweredOn, &r.AnsweredBy, &r.Version)
	return r, err
}

func findRequest(ctx context.Context, q db.Querier, requestID int64) (MunicipalRequest, error) {
	r, err := db.One(ctx, q, scanRequest, `SELECT `+requestColumns+requestFrom+` WHERE r.id = ?`, requestID)
	if err != nil {
		return MunicipalRequest{}, fmt.Errorf("find municipal request %d: %w", requestID, err)
	}
	return r, nil
}

func findRequestFor(ctx context.Context, q db.Querier, caseID int64, municipality string) (MunicipalRequest, error) {
	r, err := db.One(ctx, q, scanRequest, `SELECT `+requestColumns+requestFrom+` WHERE r.case_id = ? AND r.municipality = ?`, caseID, municipality)
	if err != nil {
		return MunicipalRequest{}, fmt.Errorf("find municipal request of case %d to %s: %w", caseID, municipality, err)
	}
	return r, nil
}

// requestWhere turns a filter into SQL conditions; today decides overdue.
// Codes, when not nil, limits the requests to those municipalities (a kommun
// user's own).
func requestWhere(f RequestFilter, codes []string, today date.Date) ([]string, []any) {
	var where []string
	var args []any
	if codes != nil {
		if len(codes) == 0 {
			return []string{"1 = 0"}, nil
		}
		where = append(where, "r.municipality IN (?"+strings.Repeat(", ?", len(codes)-1)+")")
		for _, c := range codes {
			args = append(args, c)
		}
	}
	if f.CaseID != 0 {
		where, args = append(where, "r.case_id = ?"), append(args, f.CaseID)
	}
	if f.Municipality != "" {
		where, args = append(where, "r.municipality = ?"), append(args, f.Municipality)
	}
	if f.Answer != "" {
		where, args = append(where, "r.answer = ?"), append(args, f.Answer)
	}
	if f.Overdue {
		where, args = append(where, "r.answer = ? AND r.deadline < ?"), append(args, Pending, today)
	}
	if f.Year != 0 {
		where = append(where, "r.sent_on >= ? AND r.sent_on <= ?")
		args = append(args, date.New(f.Year, time.January, 1), date.New(f.Year, time.December, 31))
	}
	if f.Status != "" {
		where, args = append(where, "c.status = ?"), append(args, f.Status)
	}
	return where, args
}

// listRequests lists the requests matching f: pending ones first, then by
// deadline, case number and municipality.
func listRequests(ctx context.Context, q db.Querier, f RequestFilter, codes []string, today date.Date) ([]MunicipalRequest, error) {
	where, args := requestWhere(f, codes, today)
	query := `SELECT ` + requestColumns + requestFrom
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += ` ORDER BY CASE WHEN r.answer = 'pending' THEN 0 ELSE 1 END, r.deadline, c.number, m.name, r.id`
	rs, err := db.All(ctx, q, scanRequest, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list municipal requests %+v: %w", f, err)
	}
	return rs, nil
}

// listRequestsOfCases lists every request of the cases that have a request
// matching f, for the matrix of cases × municipalities.
func listRequestsOfCases(ctx context.Context, q db.Querier, f RequestFilter, today date.Date) ([]MunicipalRequest, error) {
	where, args := requestWhere(f, nil, today)
	inner := `SELECT r.case_id` + requestFrom
	if len(where) > 0 {
		inner += " WHERE " + strings.Join(where, " AND ")
	}
	query := `SELECT ` + requestColumns + requestFrom + ` WHERE r.case_id IN (` + inner + `)
		ORDER BY c.registered_on DESC, c.number DESC, m.name, r.id`
	rs, err := db.All(ctx, q, scanRequest, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list municipal requests by case %+v: %w", f, err)
	}
	return rs, nil
}

func insertRequest(ctx context.Context, q db.Querier, caseID int64, municipality string, s Send, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `INSERT INTO municipal_requests (case_id, municipality, sent_on, deadline, question, answer, comment,
			answered_by, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, '', '', ?, ?, 1) RETURNING id`,
		caseID, municipality, s.SentOn, s.Deadline, s.Question, Pending, now, now)
}

func updateAnswer(ctx context.Context, q db.Querier, r MunicipalRequest, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "municipal_requests", r.ID, `
		UPDATE municipal_requests SET answer = ?, comment = ?, answered_on = ?, answered_by = ?, updated_at = ?,
			version = version + 1
		WHERE id = ? AND version = ?`,
		r.Answer, r.Comment, r.AnsweredOn, r.AnsweredBy, now, r.ID, r.Version)
}

// sentMunicipalities lists the codes of the municipalities case caseID was
// sent to, in q (a transaction of the caller's, or the database).
func sentMunicipalities(ctx context.Context, q db.Querier, caseID int64) ([]string, error) {
	return municipalityCodes(ctx, q, `SELECT municipality FROM municipal_requests WHERE case_id = ? ORDER BY municipality`, caseID)
}

// acceptedMunicipalities lists the codes of the municipalities that accepted
// the case, with or without comments.
func acceptedMunicipalities(ctx context.Context, q db.Querier, caseID int64) ([]string, error) {
	return municipalityCodes(ctx, q, `SELECT municipality FROM municipal_requests
		WHERE case_id = ? AND answer IN (?, ?) ORDER BY municipality`, caseID, Accepts, AcceptsWithComments)
}

// listOverdueCases lists the cases whose responsible person is linked to
// user and that have pending requests past their deadline.
func listOverdueCases(ctx context.Context, q db.Querier, userID int64, today date.Date) ([]OverdueCase, error) {
	return db.All(ctx, q, func(s db.Scanner) (OverdueCase, error) {
		var o OverdueCase
		return o, s.Scan(&o.CaseID, &o.Number, &o.Title, &o.Overdue, &o.EarliestDeadline)
	}, `SELECT c.id, c.number, c.title, COUNT(*), MIN(r.deadline)
		FROM municipal_requests r
		JOIN cases c ON c.id = r.case_id
		JOIN people p ON p.id = c.responsible_person_id
		WHERE p.user_id = ? AND r.answer = ? AND r.deadline < ?
		GROUP BY c.id, c.number, c.title
		ORDER BY MIN(r.deadline), c.number`, userID, Pending, today)
}

// Contacts.

func listContacts(ctx context.Context, q db.Querier) ([]Contact, error) {
	cs, err := db.All(ctx, q, func(s db.Scanner) (Contact, error) {
		var c Contact
		return c, s.Scan(&c.Municipality, &c.MunicipalityName, &c.UserID, &c.UserName, &c.Username)
	}, `SELECT mc.municipality, COALESCE(m.name, mc.municipality), mc.user_id, u.display_name, u.username
		FROM municipality_contacts mc
		JOIN users u ON u.id = mc.user_id
		LEFT JOIN municipalities m ON m.code = mc.municipality
		ORDER BY m.name, u.display_name, u.id`)
	if err != nil {
		return nil, fmt.Errorf("list municipality contacts: %w", err)
	}
	return cs, nil
}

func insertContact(ctx context.Context, q db.Querier, municipality string, userID int64, now time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO municipality_contacts (municipality, user_id, created_at) VALUES (?, ?, ?)`,
		municipality, userID, now)
	if err != nil {
		return fmt.Errorf("add contact %d of %s: %w", userID, municipality, db.MapError(err))
	}
	return nil
}

func deleteContact(ctx context.Context, q db.Querier, municipality string, userID int64) error {
	res, err := q.ExecContext(ctx, `DELETE FROM municipality_contacts WHERE municipality = ? AND user_id = ?`, municipality, userID)
	if err != nil {
		return fmt.Errorf("remove contact %d of %s: %w", userID, municipality, db.MapError(err))
	}
	if err := db.Affected(res); err != nil {
		return fmt.Errorf("remove contact %d of %s: %w", userID, municipality, err)
	}
	return nil
}

// listMunicipalAccounts lists the active user accounts holding the kommun
// role, who can be made contacts of a municipality.
func listMunicipalAccounts(ctx context.Context, q db.Querier) ([]MunicipalAccount, error) {
	as, err := db.All(ctx, q, func(s db.Scanner) (MunicipalAccount, error) {
		var a MunicipalAccount
		return a, s.Scan(&a.ID, &a.Name, &a.Username)
	}, `SELECT u.id, u.display_name, u.username FROM users u
		JOIN user_roles ur ON ur.user_id = u.id
		WHERE ur.role = ? AND u.active = ?
		ORDER BY u.display_name, u.id`, "kommun", true)
	if err != nil {
		return nil, fmt.Errorf("list kommun accounts: %w", err)
	}
	return as, nil
}

// municipalAccount reads one active kommun account.
func municipalAccount(ctx context.Context, q db.Querier, userID int64) (MunicipalAccount, error) {
	return db.One(ctx, q, func(s db.Scanner) (MunicipalAccount, error) {
		var a MunicipalAccount
		return a, s.Scan(&a.ID, &a.Name, &a.Username)
	}, `SELECT u.id, u.display_name, u.username FROM users u
		JOIN user_roles ur ON ur.user_id = u.id
		WHERE u.id = ? AND ur.role = ? AND u.active = ?`, userID, "kommun", true)
}
