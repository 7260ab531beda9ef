package forum

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// ReadRequests admits those who see municipal requests: the readers of forums
// see every request, kommun users those sent to their own municipalities.
var ReadRequests = access.Permission{Name: "forum.municipal_read", Roles: []access.Role{
	access.Coordinator, access.ImprovementLead, access.Leadership, access.Unit, access.Auditor, access.Municipality}}

// Send is the sending of a case to municipalities of the home region: to
// those named, or with All to every one it was not yet sent to.
type Send struct {
	Municipalities []string
	All            bool
	SentOn         date.Date
	Deadline       date.Date
	Question       string
}

// Reply is a municipality's answer as given: accepts, accepts with comments
// or declines, the comment, and the day it was given (today when zero).
type Reply struct {
	Answer     Answer
	Comment    string
	AnsweredOn date.Date
	Version    int64
}

// RequestFilter narrows a listing of municipal requests; zero fields do not
// filter.
type RequestFilter struct {
	CaseID       int64
	Municipality string
	Answer       Answer
	Overdue      bool // pending after the deadline
	Year         int  // sent this year
	Status       Status
}

// Validate checks the filter's values.
func (f RequestFilter) Validate() error {
	var v errs.ValidationError
	if f.Answer != "" && !oneOf(f.Answer, Answers) {
		v.Add("answer", "validation.choice")
	}
	if f.Status != "" && !oneOf(f.Status, Statuses) {
		v.Add("status", "validation.choice")
	}
	if f.Year != 0 && (f.Year < 2000 || f.Year > 2100) {
		v.Add("year", "validation.range", "min", 2000, "max", 2100)
	}
	if len(f.Municipality) > 50 {
		v.Add("municipality", "validation.choice")
	}
	return v.Err()
}

// MunicipalSummary counts the answers to a case, or of a municipality.
type MunicipalSummary struct {
	Sent                int `json:"sent"`
	Accepts             int `json:"accepts"`
	AcceptsWithComments int `json:"accepts_with_comments"`
	Declines            int `json:"declines"`
	Pending             int `json:"pending"`
	Overdue             int `json:"overdue" doc:"Pending after the deadline"`
}

// Answered is how many answered.
func (m MunicipalSummary) Answered() int { return m.Sent - m.Pending }

// Summarize counts the answers of requests on day today.
func Summarize(rs []MunicipalRequest, today date.Date) MunicipalSummary {
	var m MunicipalSummary
	for _, r := range rs {
		m.Sent++
		switch r.Answer {
		case Accepts:
			m.Accepts++
		case AcceptsWithComments:
			m.AcceptsWithComments++
		case Declines:
			m.Declines++
		default:
			m.Pending++
		}
		if r.Overdue(today) {
			m.Overdue++
		}
	}
	return m
}

// OverdueCase is a case with answers from municipalities that are overdue,
// for the reminders on its responsible person's start page.
type OverdueCase struct {
	CaseID           int64     `json:"case_id"`
	Number           string    `json:"number"`
	Title            string    `json:"title"`
	Overdue          int       `json:"overdue" doc:"How many municipalities have not answered by the deadline"`
	EarliestDeadline date.Date `json:"earliest_deadline"`
}

// BoardRow is one municipality of the home region on a case's board: its
// request and answer, or nil when the case was not sent to it.
type BoardRow struct {
	Municipality MunicipalityRef
	Request      *MunicipalRequest
	Overdue      bool
}

// MunicipalBoard is the status board of one case: every municipality of the
// home region with its answer, and the counts.
type MunicipalBoard struct {
	Case     Case
	Rows     []BoardRow
	Requests []MunicipalRequest // the requests alone, pending first
	Summary  MunicipalSummary
	Today    date.Date
}

// Unsent lists the municipalities the case was not sent to.
func (b MunicipalBoard) Unsent() []MunicipalityRef {
	var out []MunicipalityRef
	for _, r := range b.Rows {
		if r.Request == nil {
			out = append(out, r.Municipality)
		}
	}
	return out
}

// Questions lists the questions the case was sent with, each once, in the
// order of sending.
func (b MunicipalBoard) Questions() []string {
	rs := slices.Clone(b.Requests)
	slices.SortFunc(rs, func(x, y MunicipalRequest) int { return int(x.ID - y.ID) })
	var out []string
	for _, r := range rs {
		if r.Question != "" && !slices.Contains(out, r.Question) {
			out = append(out, r.Question)
		}
	}
	return out
}

// MatrixRow is one case of the matrix with a cell per municipality.
type MatrixRow struct {
	CaseID  int64
	Number  string
	Title   string
	Cells   []BoardRow
	Summary MunicipalSummary
}

// MunicipalMatrix is the board of cases × municipalities.
type MunicipalMatrix struct {
	Municipalities []MunicipalityRef
	Rows           []MatrixRow
	Totals         []MunicipalSummary // per municipality, in the order of Municipalities
	Today          date.Date
}

// Contact is a user who answers for a municipality.
type Contact struct {
	Municipality     string `json:"municipality"`
	MunicipalityName string `json:"municipality_name"`
	UserID           int64  `json:"user_id"`
	UserName         string `json:"user_name"`
	Username         string `json:"username"`
}

// MunicipalAccount is an active user account with the kommun role, which can
// be made a contact of a municipality.
type MunicipalAccount struct {
	ID       int64
	Name     string
	Username string
}

// AnswerChange is one answer given to a request, from its history.
type AnswerChange struct {
	At         time.Time
	By         string
	Answer     Answer
	Comment    string
	AnsweredOn date.Date
}

// requestScope is which municipalities' requests the signed-in user sees:
// nil for all (the readers of forums), their own for a kommun user (never
// nil, possibly empty).
func requestScope(ctx context.Context, q db.Querier) ([]string, error) {
	p := access.From(ctx)
	switch {
	case p.Can(Read):
		return nil, nil
	case !p.Anonymous() && p.Has(access.Municipality):
		codes, err := contactMunicipalities(ctx, q, p.UserID)
		if codes == nil {
			codes = []string{}
		}
		return codes, err
	}
	return nil, errs.ErrForbidden
}

// inScope reports whether municipality is among codes (nil: all).
func inScope(codes []string, municipality string) bool {
	return codes == nil || slices.Contains(codes, municipality)
}

func requirePermission(ctx context.Context, perm access.Permission) error {
	if !access.From(ctx).Can(perm) {
		return fmt.Errorf("%s: %w", perm.Name, errs.ErrForbidden)
	}
	return nil
}

// SendToMunicipalities sends case caseID to municipalities of the home
// region, one request each. A municipality the case was already sent to is
// refused, so a municipality added later gets its own sending.
func (s *Service) SendToMunicipalities(ctx context.Context, caseID int64, in Send) ([]MunicipalRequest, error) {
	if err := requirePermission(ctx, Write); err != nil {
		return nil, err
	}
	in.Question = strings.TrimSpace(in.Question)
	var out []MunicipalRequest
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		c, err := findCase(ctx, tx, caseID)
		if err != nil {
			return nil, err
		}
		home, err := homeMunicipalities(ctx, tx)
		if err != nil {
			return nil, err
		}
		sent, err := sentMunicipalities(ctx, tx, caseID)
		if err != nil {
			return nil, err
		}
		codes := sendCodes(in, home, sent)
		if err := checkSend(c, in, codes, home, sent); err != nil {
			return nil, err
		}
		out = nil
		var cs []audit.Change
		for _, code := range codes {
			id, err := insertRequest(ctx, tx, caseID, code, in, now)
			if errors.Is(err, errs.ErrDuplicate) { // sent at the same moment by someone else
				name := home[slices.IndexFunc(home, func(m MunicipalityRef) bool { return m.Code == code })].Name
				return nil, fmt.Errorf("%w: %w", errs.Invalidf("municipalities", "forum.municipal.already_sent", "name", name), err)
			}
			if err != nil {
				return nil, err
			}
			r, err := findRequest(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
			cs = append(cs, audit.Change{Entity: entityRequest, EntityID: id, Action: audit.Create, After: r})
		}
		return cs, nil
	})
	return out, err
}

// sendCodes are the municipalities a sending goes to, each once, in the
// home region's order for All.
func sendCodes(in Send, home []MunicipalityRef, sent []string) []string {
	var codes []string
	if in.All {
		for _, m := range home {
			if !slices.Contains(sent, m.Code) {
				codes = append(codes, m.Code)
			}
		}
		return codes
	}
	for _, code := range in.Municipalities {
		code = strings.TrimSpace(code)
		if code != "" && !slices.Contains(codes, code) {
			codes = append(codes, code)
		}
	}
	return codes
}

// checkSend checks a sending of case c to codes against what was sent before.
func checkSend(c Case, in Send, codes []string, home []MunicipalityRef, sent []string) error {
	var v errs.ValidationError
	if ve, ok := errs.AsValidation(ValidateSend(in.SentOn, in.Deadline, in.Question, codes)); ok {
		for _, f := range ve.Fields {
			if f.Key == "forum.validation.no_municipalities" && in.All && len(sent) > 0 {
				f.Key = "forum.municipal.all_sent"
			}
			v.Fields = append(v.Fields, f)
		}
	}
	if c.Status == Closed {
		v.Add("municipalities", "forum.municipal.case_closed")
	}
	if !in.SentOn.IsZero() && in.SentOn.Before(c.RegisteredOn) {
		v.Add("sent_on", "forum.municipal.sent_before_registered", "date", c.RegisteredOn.Time())
	}
	for _, code := range codes {
		i := slices.IndexFunc(home, func(m MunicipalityRef) bool { return m.Code == code })
		switch {
		case i < 0:
			v.Add("municipalities", "forum.municipal.unknown_municipality", "code", code)
		case slices.Contains(sent, code):
			v.Add("municipalities", "forum.municipal.already_sent", "name", home[i].Name)
		}
	}
	return v.Err()
}

// AnswerRequest records the answer of municipality to case caseID, or changes
// it; the audit log keeps every earlier answer. Only the coordinator and the
// kommun users who are contacts of the municipality answer; to anyone else a
// request of another municipality does not exist. An answer for a
// municipality the case was not sent to is refused.
func (s *Service) AnswerRequest(ctx context.Context, caseID int64, municipality string, in Reply) (MunicipalRequest, error) {
	if err := requirePermission(ctx, Respond); err != nil {
		return MunicipalRequest{}, err
	}
	in.Comment = strings.TrimSpace(in.Comment)
	var after MunicipalRequest
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		if err := requireAnswerer(ctx, tx, municipality); err != nil {
			return nil, fmt.Errorf("case %d to %s: %w", caseID, municipality, errs.ErrNotFound)
		}
		if _, err := findCase(ctx, tx, caseID); err != nil {
			return nil, err
		}
		before, err := findRequestFor(ctx, tx, caseID, municipality)
		if errors.Is(err, errs.ErrNotFound) {
			return nil, notSent(ctx, tx, municipality)
		}
		if err != nil {
			return nil, err
		}
		today := date.Of(now, i18n.Stockholm())
		if err := checkReply(in, before, today); err != nil {
			return nil, err
		}
		r := before
		r.Answer, r.Comment, r.AnsweredOn, r.AnsweredBy, r.Version = in.Answer, in.Comment, in.AnsweredOn, actorName(ctx), in.Version
		if r.AnsweredOn.IsZero() {
			r.AnsweredOn = today
		}
		if err := updateAnswer(ctx, tx, r, now); err != nil {
			return nil, err
		}
		if after, err = findRequest(ctx, tx, r.ID); err != nil {
			return nil, err
		}
		return one(audit.Change{Entity: entityRequest, EntityID: r.ID, Action: audit.Update, Before: before, After: after}), nil
	})
	return after, err
}

// notSent is the refusal of an answer from a municipality the case was not
// sent to, naming it.
func notSent(ctx context.Context, q db.Querier, municipality string) error {
	name := municipality
	home, err := homeMunicipalities(ctx, q)
	if err != nil {
		return err
	}
	if i := slices.IndexFunc(home, func(m MunicipalityRef) bool { return m.Code == municipality }); i >= 0 {
		name = home[i].Name
	}
	return errs.Invalidf("municipality", "forum.municipal.not_sent", "name", name)
}

// checkReply checks an answer to request r on day today.
func checkReply(in Reply, r MunicipalRequest, today date.Date) error {
	var v errs.ValidationError
	if ve, ok := errs.AsValidation(ValidateAnswer(in.Answer, in.Comment)); ok {
		v.Fields = append(v.Fields, ve.Fields...)
	}
	switch {
	case in.AnsweredOn.IsZero():
	case in.AnsweredOn.Before(r.SentOn):
		v.Add("answered_on", "forum.municipal.answered_before_sent", "date", r.SentOn.Time())
	case in.AnsweredOn.After(today):
		v.Add("answered_on", "forum.municipal.answered_in_future")
	}
	if in.Version <= 0 {
		v.Add("version", "validation.form")
	}
	return v.Err()
}

// MunicipalRequest returns one request; a kommun user sees only those sent to
// their own municipalities.
func (s *Service) MunicipalRequest(ctx context.Context, id int64) (MunicipalRequest, error) {
	codes, err := requestScope(ctx, s.db)
	if err != nil {
		return MunicipalRequest{}, err
	}
	r, err := findRequest(ctx, s.db, id)
	if err != nil {
		return MunicipalRequest{}, err
	}
	if !inScope(codes, r.Municipality) {
		return MunicipalRequest{}, fmt.Errorf("municipal request %d: %w", id, errs.ErrNotFound)
	}
	return r, nil
}

// MunicipalRequests lists the requests matching f, pending first, then by
// deadline; a kommun user sees only those sent to their own municipalities.
func (s *Service) MunicipalRequests(ctx context.Context, f RequestFilter) ([]MunicipalRequest, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	codes, err := requestScope(ctx, s.db)
	if err != nil {
		return nil, err
	}
	return listRequests(ctx, s.db, f, codes, s.Today())
}

// CaseRequests lists the requests of one case, pending first.
func (s *Service) CaseRequests(ctx context.Context, caseID int64) ([]MunicipalRequest, error) {
	if _, err := findCase(ctx, s.db, caseID); err != nil {
		return nil, err
	}
	return s.MunicipalRequests(ctx, RequestFilter{CaseID: caseID})
}

// MunicipalBoard is the status board of a case: every municipality of the
// home region, what it answered and when, and the counts.
func (s *Service) MunicipalBoard(ctx context.Context, caseID int64) (MunicipalBoard, error) {
	if err := requirePermission(ctx, Read); err != nil {
		return MunicipalBoard{}, err
	}
	c, err := findCase(ctx, s.db, caseID)
	if err != nil {
		return MunicipalBoard{}, err
	}
	today := s.Today()
	b := MunicipalBoard{Case: c, Today: today}
	if b.Requests, err = listRequests(ctx, s.db, RequestFilter{CaseID: caseID}, nil, today); err != nil {
		return MunicipalBoard{}, err
	}
	home, err := homeMunicipalities(ctx, s.db)
	if err != nil {
		return MunicipalBoard{}, err
	}
	b.Rows = boardRows(home, b.Requests, today)
	b.Summary = Summarize(b.Requests, today)
	return b, nil
}

// boardRows puts requests beside the municipalities of the home region; a
// request to a municipality no longer in the region comes last.
func boardRows(home []MunicipalityRef, rs []MunicipalRequest, today date.Date) []BoardRow {
	rows := make([]BoardRow, 0, len(home))
	byCode := make(map[string]*MunicipalRequest, len(rs))
	for i := range rs {
		byCode[rs[i].Municipality] = &rs[i]
	}
	for _, m := range home {
		row := BoardRow{Municipality: m, Request: byCode[m.Code]}
		if row.Request != nil {
			row.Overdue = row.Request.Overdue(today)
			delete(byCode, m.Code)
		}
		rows = append(rows, row)
	}
	for i := range rs {
		if r := byCode[rs[i].Municipality]; r != nil {
			rows = append(rows, BoardRow{Municipality: MunicipalityRef{Code: r.Municipality, Name: r.MunicipalityName}, Request: r, Overdue: r.Overdue(today)})
		}
	}
	return rows
}

// MunicipalMatrix is the board of every case sent to municipalities (those
// with a request matching f) × the municipalities of the home region.
func (s *Service) MunicipalMatrix(ctx context.Context, f RequestFilter) (MunicipalMatrix, error) {
	if err := requirePermission(ctx, Read); err != nil {
		return MunicipalMatrix{}, err
	}
	if err := f.Validate(); err != nil {
		return MunicipalMatrix{}, err
	}
	today := s.Today()
	home, err := homeMunicipalities(ctx, s.db)
	if err != nil {
		return MunicipalMatrix{}, err
	}
	rs, err := listRequestsOfCases(ctx, s.db, f, today)
	if err != nil {
		return MunicipalMatrix{}, err
	}
	m := MunicipalMatrix{Municipalities: home, Today: today}
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && rs[j].CaseID == rs[i].CaseID {
			j++
		}
		group := rs[i:j]
		row := MatrixRow{CaseID: rs[i].CaseID, Number: rs[i].CaseNumber, Title: rs[i].CaseTitle, Summary: Summarize(group, today)}
		row.Cells = boardRows(home, group, today)[:len(home)]
		m.Rows = append(m.Rows, row)
		i = j
	}
	m.Totals = make([]MunicipalSummary, len(home))
	for k, mun := range home {
		var of []MunicipalRequest
		for _, r := range rs {
			if r.Municipality == mun.Code {
				of = append(of, r)
			}
		}
		m.Totals[k] = Summarize(of, today)
	}
	return m, nil
}

// AnswerHistory lists the answers given to a request, oldest first, from the
// audit log: who answered what, and when.
func (s *Service) AnswerHistory(ctx context.Context, requestID int64) ([]AnswerChange, error) {
	if _, err := s.MunicipalRequest(ctx, requestID); err != nil {
		return nil, err
	}
	entries, _, err := s.audit.List(ctx, s.db, audit.Filter{Entity: entityRequest, EntityID: strconv.FormatInt(requestID, 10), Action: audit.Update}, audit.Page{Limit: 200})
	if err != nil {
		return nil, err
	}
	out := make([]AnswerChange, 0, len(entries))
	for i := len(entries) - 1; i >= 0; i-- {
		var r MunicipalRequest
		if err := json.Unmarshal(entries[i].After, &r); err != nil {
			return nil, fmt.Errorf("answer history of request %d: %w", requestID, err)
		}
		out = append(out, AnswerChange{At: entries[i].At, By: r.AnsweredBy, Answer: r.Answer, Comment: r.Comment, AnsweredOn: r.AnsweredOn})
	}
	return out, nil
}

// RequestCase returns the case of a request, for the municipality answering
// it.
func (s *Service) RequestCase(ctx context.Context, requestID int64) (Case, error) {
	r, err := s.MunicipalRequest(ctx, requestID)
	if err != nil {
		return Case{}, err
	}
	return findCase(ctx, s.db, r.CaseID)
}

// RequestDocuments lists the documents of the case of a request, for the
// municipality answering it.
func (s *Service) RequestDocuments(ctx context.Context, requestID int64) ([]Document, error) {
	r, err := s.MunicipalRequest(ctx, requestID)
	if err != nil {
		return nil, err
	}
	return listCaseDocuments(ctx, s.db, r.CaseID)
}

// OverdueRequests lists, for the start page of user, the cases they are
// responsible for (through the person linked to them) with answers from
// municipalities that are overdue.
func (s *Service) OverdueRequests(ctx context.Context, userID int64) ([]OverdueCase, error) {
	return listOverdueCases(ctx, s.db, userID, s.Today())
}

// PendingAnswers lists, for the start page of a kommun user, the pending
// requests to the municipalities they answer for, by deadline.
func (s *Service) PendingAnswers(ctx context.Context, userID int64) ([]MunicipalRequest, error) {
	codes, err := contactMunicipalities(ctx, s.db, userID)
	if err != nil {
		return nil, err
	}
	if codes == nil {
		codes = []string{}
	}
	return listRequests(ctx, s.db, RequestFilter{Answer: Pending}, codes, s.Today())
}

// AcceptedMunicipalities lists the codes of the municipalities that accepted
// case caseID, with or without comments: those a decision can name as taking
// part.
func (s *Service) AcceptedMunicipalities(ctx context.Context, caseID int64) ([]string, error) {
	return acceptedMunicipalities(ctx, s.db, caseID)
}

// Contacts lists who answers for which municipality, by municipality.
func (s *Service) Contacts(ctx context.Context) ([]Contact, error) {
	if err := requirePermission(ctx, Read); err != nil {
		return nil, err
	}
	return listContacts(ctx, s.db)
}

// MunicipalAccounts lists the active user accounts with the kommun role, who
// can be made contacts.
func (s *Service) MunicipalAccounts(ctx context.Context) ([]MunicipalAccount, error) {
	if err := requirePermission(ctx, Write); err != nil {
		return nil, err
	}
	return listMunicipalAccounts(ctx, s.db)
}

// AddContact makes user a contact of municipality: they see and answer the
// cases sent to it. The user must hold the kommun role.
func (s *Service) AddContact(ctx context.Context, municipality string, userID int64) (Contact, error) {
	if err := requirePermission(ctx, Write); err != nil {
		return Contact{}, err
	}
	municipality = strings.TrimSpace(municipality)
	var out Contact
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		var v errs.ValidationError
		home, err := homeMunicipalities(ctx, tx)
		if err != nil {
			return nil, err
		}
		i := slices.IndexFunc(home, func(m MunicipalityRef) bool { return m.Code == municipality })
		if i < 0 {
			v.Add("municipality", "validation.choice")
		}
		acc, err := municipalAccount(ctx, tx, userID)
		switch {
		case errors.Is(err, errs.ErrNotFound):
			v.Add("user_id", "forum.municipal.contact_not_kommun")
		case err != nil:
			return nil, err
		}
		if v.Err() != nil {
			return nil, v.Err()
		}
		codes, err := contactMunicipalities(ctx, tx, userID)
		if err != nil {
			return nil, err
		}
		if slices.Contains(codes, municipality) {
			return nil, errs.Invalidf("user_id", "forum.municipal.contact_exists", "name", acc.Name, "municipality", home[i].Name)
		}
		if err := insertContact(ctx, tx, municipality, userID, now); errors.Is(err, errs.ErrDuplicate) {
			return nil, fmt.Errorf("%w: %w", errs.Invalidf("user_id", "forum.municipal.contact_exists", "name", acc.Name, "municipality", home[i].Name), err)
		} else if err != nil {
			return nil, err
		}
		out = Contact{Municipality: municipality, MunicipalityName: home[i].Name, UserID: userID, UserName: acc.Name, Username: acc.Username}
		return one(audit.Change{Entity: entityContact, EntityID: userID, Action: audit.Create, After: out}), nil
	})
	return out, err
}

// RemoveContact ends user's answering for municipality.
func (s *Service) RemoveContact(ctx context.Context, municipality string, userID int64) error {
	if err := requirePermission(ctx, Write); err != nil {
		return err
	}
	return s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		cs, err := listContacts(ctx, tx)
		if err != nil {
			return nil, err
		}
		i := slices.IndexFunc(cs, func(c Contact) bool { return c.Municipality == municipality && c.UserID == userID })
		if i < 0 {
			return nil, fmt.Errorf("contact %d of %s: %w", userID, municipality, errs.ErrNotFound)
		}
		if err := deleteContact(ctx, tx, municipality, userID); err != nil {
			return nil, err
		}
		return one(audit.Change{Entity: entityContact, EntityID: userID, Action: audit.Delete, Before: cs[i]}), nil
	})
}
