package forum_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// munNow is the municipal tests' clock: Monday 23 November 2026.
var munNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// munToday is munNow's date in Sweden.
var munToday = date.New(2026, time.November, 23)

// Municipalities of Jämtland used by the tests.
const (
	ostersund = "2380"
	are       = "2321"
	krokom    = "2309"
	bracke    = "2305"
)

// munFixture is a migrated database with the coordinator sara, the kommun
// users karin (contact of Östersund) and kalle (contact of Åre), kim (kommun,
// contact of no municipality), ulf (improvement lead, responsible for the
// cases the tests make) and rut (auditor).
type munFixture struct {
	d     *db.DB
	svc   *forum.Service
	auth  *auth.Service
	users map[string]access.Principal
	ulf   int64 // the person linked to ulf
	seq   int   // the cases made so far
}

func newMunFixture(t testing.TB, d *db.DB) *munFixture {
	t.Helper()
	now := func() time.Time { return munNow }
	log := audit.New(now)
	f := &munFixture{d: d, svc: forum.NewService(d, log, now), auth: auth.NewService(d, log, now, auth.DefaultThrottle)}
	sys := audit.WithSystemActor(context.Background(), "test")
	f.users = createUsers(t, sys, f.auth, munPassword, testUser{"sara", access.Coordinator}, testUser{"karin", access.Municipality},
		testUser{"kalle", access.Municipality}, testUser{"kim", access.Municipality}, testUser{"ulf", access.ImprovementLead}, testUser{"rut", access.Auditor})
	var err error
	f.ulf, err = db.Insert(sys, d, `INSERT INTO people (name, user_id, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
		"Ulf Utvecklare", f.users["ulf"].UserID, munNow, munNow)
	if err != nil {
		t.Fatal(err)
	}
	sara := f.as("sara")
	for user, code := range map[string]string{"karin": ostersund, "kalle": are} {
		if _, err := f.svc.AddContact(sara, code, f.users[user].UserID); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// munPassword is every test account's password.
const munPassword = "ett långt lösenord"

// as is a context signed in as the test user name.
func (f *munFixture) as(name string) context.Context {
	return access.With(context.Background(), f.users[name])
}

// newCase stores a case registered on day, with ulf responsible, straight
// into the table so the tests do not hang on the case workflow.
func (f *munFixture) newCase(t testing.TB, title string, registered date.Date) int64 {
	t.Helper()
	f.seq++
	id, err := db.Insert(context.Background(), f.d, `INSERT INTO cases (number, title, kind, description, responsible_person_id, status,
			registered_on, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`,
		fmt.Sprintf("2026/%04d", f.seq), title, forum.MunicipalCooperation,
		"Gemensamt arbetssätt för "+title, f.ulf, forum.Registered, registered, munNow, munNow)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// send sends case id to codes as the coordinator, or fails the test.
func (f *munFixture) send(t testing.TB, id int64, sentOn, deadline date.Date, codes ...string) []forum.MunicipalRequest {
	t.Helper()
	rs, err := f.svc.SendToMunicipalities(f.as("sara"), id, forum.Send{Municipalities: codes, SentOn: sentOn, Deadline: deadline, Question: "Ställer kommunen sig bakom?"})
	if err != nil {
		t.Fatalf("send case %d to %v: %v", id, codes, err)
	}
	return rs
}

// request returns the request of case id to code.
func (f *munFixture) request(t testing.TB, id int64, code string) forum.MunicipalRequest {
	t.Helper()
	rs, err := f.svc.CaseRequests(f.as("sara"), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Municipality == code {
			return r
		}
	}
	t.Fatalf("case %d was not sent to %s", id, code)
	return forum.MunicipalRequest{}
}

// wantProblem fails unless err is a validation error naming field with key.
func wantProblem(t *testing.T, err error, field, key string) {
	t.Helper()
	v, ok := errs.AsValidation(err)
	if !ok {
		t.Fatalf("got %v, want a problem with %s (%s)", err, field, key)
	}
	for _, f := range v.Fields {
		if f.Name == field && f.Key == key {
			return
		}
	}
	t.Fatalf("got %v, want %s: %s", err, field, key)
}

func TestMunicipal_SendingRefusesBadInputAndRepeats(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMunFixture(t, d)
		id := f.newCase(t, "Fallprevention", munToday.AddDays(-30))
		f.send(t, id, munToday.AddDays(-10), munToday.AddDays(20), ostersund, are)

		tests := []struct {
			name   string
			who    string
			caseID int64
			send   forum.Send
			field  string // the field of the expected problem, or
			key    string
			kind   errs.Kind // the expected kind of error
		}{
			{"deadline before the sending date", "sara", id, forum.Send{Municipalities: []string{krokom}, SentOn: munToday, Deadline: munToday.AddDays(-1)}, "deadline", "forum.validation.deadline_before_sent", 0},
			{"no municipality", "sara", id, forum.Send{SentOn: munToday, Deadline: munToday}, "municipalities", "forum.validation.no_municipalities", 0},
			{"no sending date", "sara", id, forum.Send{Municipalities: []string{krokom}, Deadline: munToday}, "sent_on", "validation.required", 0},
			{"a municipality of another region", "sara", id, forum.Send{Municipalities: []string{"0180"}, SentOn: munToday, Deadline: munToday}, "municipalities", "forum.municipal.unknown_municipality", 0},
			{"a municipality already sent to", "sara", id, forum.Send{Municipalities: []string{krokom, are}, SentOn: munToday, Deadline: munToday}, "municipalities", "forum.municipal.already_sent", 0},
			{"sent before the case was registered", "sara", id, forum.Send{Municipalities: []string{krokom}, SentOn: munToday.AddDays(-31), Deadline: munToday}, "sent_on", "forum.municipal.sent_before_registered", 0},
			{"a kommun user may not send", "karin", id, forum.Send{Municipalities: []string{krokom}, SentOn: munToday, Deadline: munToday}, "", "", errs.Forbidden},
			{"an auditor may not send", "rut", id, forum.Send{Municipalities: []string{krokom}, SentOn: munToday, Deadline: munToday}, "", "", errs.Forbidden},
			{"no such case", "sara", id + 1000, forum.Send{Municipalities: []string{krokom}, SentOn: munToday, Deadline: munToday}, "", "", errs.NotFound},
		}
		for _, tt := range tests {
			_, err := f.svc.SendToMunicipalities(f.as(tt.who), tt.caseID, tt.send)
			if tt.field != "" {
				wantProblem(t, err, tt.field, tt.key)
			} else if errs.KindOf(err) != tt.kind {
				t.Errorf("%s: got %v, want kind %v", tt.name, err, tt.kind)
			}
		}
		if got, _ := f.svc.SentTo(context.Background(), id); !slices.Equal(got, []string{are, ostersund}) {
			t.Fatalf("refused sendings changed what was sent: %v", got)
		}

		// A municipality added later gets its own sending; then all the rest.
		later := f.send(t, id, munToday, munToday.AddDays(14), krokom)
		if len(later) != 1 || later[0].Municipality != krokom || later[0].Answer != forum.Pending || later[0].MunicipalityName != "Krokom" {
			t.Fatalf("later sending = %+v", later)
		}
		rest, err := f.svc.SendToMunicipalities(f.as("sara"), id, forum.Send{All: true, SentOn: munToday, Deadline: munToday.AddDays(14)})
		if err != nil || len(rest) != 5 {
			t.Fatalf("send to all the rest: %d, %v", len(rest), err)
		}
		_, err = f.svc.SendToMunicipalities(f.as("sara"), id, forum.Send{All: true, SentOn: munToday, Deadline: munToday.AddDays(14)})
		wantProblem(t, err, "municipalities", "forum.municipal.all_sent")

		entries, _, err := audit.New(time.Now).List(context.Background(), d, audit.Filter{Entity: "municipal_request", Action: audit.Create}, audit.Page{Limit: 100})
		if err != nil || len(entries) != 8 {
			t.Fatalf("audit records of the sendings: %d, %v", len(entries), err)
		}
	})
}

func TestMunicipal_AnswerOnlyBySentMunicipalityAndItsContacts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMunFixture(t, d)
		id := f.newCase(t, "Demensvård", munToday.AddDays(-30))
		f.send(t, id, munToday.AddDays(-10), munToday.AddDays(20), ostersund, are)
		ost := f.request(t, id, ostersund)

		tests := []struct {
			name         string
			who          string
			caseID       int64
			municipality string
			reply        forum.Reply
			field, key   string
			kind         errs.Kind
		}{
			{"a municipality the case was not sent to", "sara", id, bracke, forum.Reply{Answer: forum.Accepts, Version: 1}, "municipality", "forum.municipal.not_sent", 0},
			{"a kommun user of another municipality", "kalle", id, ostersund, forum.Reply{Answer: forum.Accepts, Version: ost.Version}, "", "", errs.NotFound},
			{"a kommun user who is no contact", "kim", id, ostersund, forum.Reply{Answer: forum.Accepts, Version: ost.Version}, "", "", errs.NotFound},
			{"an auditor may not answer", "rut", id, ostersund, forum.Reply{Answer: forum.Accepts, Version: ost.Version}, "", "", errs.Forbidden},
			{"declines without a comment", "karin", id, ostersund, forum.Reply{Answer: forum.Declines, Comment: "  ", Version: ost.Version}, "comment", "forum.validation.comment_required", 0},
			{"accepts with comments without a comment", "karin", id, ostersund, forum.Reply{Answer: forum.AcceptsWithComments, Version: ost.Version}, "comment", "forum.validation.comment_required", 0},
			{"pending is no answer", "karin", id, ostersund, forum.Reply{Answer: forum.Pending, Version: ost.Version}, "answer", "validation.choice", 0},
			{"answered before it was sent", "sara", id, ostersund, forum.Reply{Answer: forum.Accepts, AnsweredOn: munToday.AddDays(-11), Version: ost.Version}, "answered_on", "forum.municipal.answered_before_sent", 0},
			{"answered in the future", "sara", id, ostersund, forum.Reply{Answer: forum.Accepts, AnsweredOn: munToday.AddDays(1), Version: ost.Version}, "answered_on", "forum.municipal.answered_in_future", 0},
			{"a stale version", "karin", id, ostersund, forum.Reply{Answer: forum.Accepts, Version: ost.Version + 1}, "", "", errs.Conflict},
			{"no such case", "sara", id + 1000, ostersund, forum.Reply{Answer: forum.Accepts, Version: 1}, "", "", errs.NotFound},
		}
		for _, tt := range tests {
			_, err := f.svc.AnswerRequest(f.as(tt.who), tt.caseID, tt.municipality, tt.reply)
			if tt.field != "" {
				wantProblem(t, err, tt.field, tt.key)
			} else if errs.KindOf(err) != tt.kind {
				t.Errorf("%s: got %v, want kind %v", tt.name, err, tt.kind)
			}
		}
		if _, err := f.svc.AnswerRequest(f.as("sara"), id, bracke, forum.Reply{Answer: forum.Accepts, Version: 1}); !strings.Contains(errMessage(err), "not_sent") {
			t.Errorf("not-sent refusal: %v", err)
		} else if v, _ := errs.AsValidation(err); len(v.Fields[0].Args) != 2 || v.Fields[0].Args[1] != "Bräcke" {
			t.Errorf("the refusal does not name the municipality: %+v", v.Fields[0])
		}

		// Karin answers for Östersund, then changes her answer; both stay in the history.
		first, err := f.svc.AnswerRequest(f.as("karin"), id, ostersund, forum.Reply{Answer: forum.AcceptsWithComments, Comment: "Behöver utbildning först.", Version: ost.Version})
		if err != nil {
			t.Fatal(err)
		}
		if first.AnsweredOn != munToday || first.AnsweredBy != "Karin" || first.Version != ost.Version+1 {
			t.Fatalf("answer = %+v", first)
		}
		second, err := f.svc.AnswerRequest(f.as("karin"), id, ostersund, forum.Reply{Answer: forum.Declines, Comment: "Saknar resurser.", Version: first.Version})
		if err != nil {
			t.Fatal(err)
		}
		// The coordinator records Åre's answer that came by letter, with its date.
		are1 := f.request(t, id, are)
		byLetter, err := f.svc.AnswerRequest(f.as("sara"), id, are, forum.Reply{Answer: forum.Accepts, AnsweredOn: munToday.AddDays(-2), Version: are1.Version})
		if err != nil || byLetter.AnsweredOn != munToday.AddDays(-2) {
			t.Fatalf("answer by letter = %+v, %v", byLetter, err)
		}
		hist, err := f.svc.AnswerHistory(f.as("karin"), second.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 2 || hist[0].Answer != forum.AcceptsWithComments || hist[1].Answer != forum.Declines || hist[1].Comment != "Saknar resurser." {
			t.Fatalf("history = %+v", hist)
		}
		if _, err := f.svc.AnswerHistory(f.as("kalle"), second.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("kalle reads Östersund's history: %v", err)
		}
		if got, _ := f.svc.AcceptedMunicipalities(context.Background(), id); !slices.Equal(got, []string{are}) {
			t.Errorf("accepted = %v, want only Åre", got)
		}
	})
}

func errMessage(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestMunicipal_ConcurrentAnswersConflict(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMunFixture(t, d)
		id := f.newCase(t, "Läkemedelsgenomgång", munToday.AddDays(-5))
		f.send(t, id, munToday, munToday.AddDays(10), ostersund)
		r := f.request(t, id, ostersund)
		// Karin and the coordinator both opened the form at version r.Version.
		if _, err := f.svc.AnswerRequest(f.as("karin"), id, ostersund, forum.Reply{Answer: forum.Accepts, Version: r.Version}); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.AnswerRequest(f.as("sara"), id, ostersund, forum.Reply{Answer: forum.Declines, Comment: "Nej.", Version: r.Version})
		if !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("second answer on the same version: %v, want conflict", err)
		}
		if got := f.request(t, id, ostersund); got.Answer != forum.Accepts {
			t.Fatalf("the stale answer overwrote the first: %+v", got)
		}
	})
}

func TestMunicipal_OverdueAndReminders(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMunFixture(t, d)
		late := f.newCase(t, "Sen", munToday.AddDays(-60))
		f.send(t, late, munToday.AddDays(-40), munToday.AddDays(-10), ostersund, are, krokom)
		f.send(t, late, munToday.AddDays(-20), munToday.AddDays(-3), bracke)
		onTime := f.newCase(t, "I tid", munToday.AddDays(-60))
		f.send(t, onTime, munToday.AddDays(-5), munToday, ostersund) // deadline today: not overdue yet

		// Åre answered late; an answer is never overdue.
		r := f.request(t, late, are)
		if _, err := f.svc.AnswerRequest(f.as("kalle"), late, are, forum.Reply{Answer: forum.Accepts, Version: r.Version}); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name   string
			r      forum.MunicipalRequest
			want   bool
			onDays int
		}{
			{"pending after the deadline", f.request(t, late, ostersund), true, 0},
			{"answered after the deadline", f.request(t, late, are), false, 0},
			{"pending on the deadline", f.request(t, onTime, ostersund), false, 0},
			{"pending the day after the deadline", f.request(t, onTime, ostersund), true, 1},
		}
		for _, tt := range tests {
			if got := tt.r.Overdue(munToday.AddDays(tt.onDays)); got != tt.want {
				t.Errorf("%s: overdue = %v, want %v", tt.name, got, tt.want)
			}
		}

		board, err := f.svc.MunicipalBoard(f.as("rut"), late)
		if err != nil {
			t.Fatal(err)
		}
		want := forum.MunicipalSummary{Sent: 4, Accepts: 1, Pending: 3, Overdue: 3}
		if board.Summary != want {
			t.Errorf("summary = %+v, want %+v", board.Summary, want)
		}
		if len(board.Rows) != 8 || board.Rows[0].Municipality.Name != "Berg" {
			t.Errorf("board rows: %d, first %+v", len(board.Rows), board.Rows[0])
		}
		var overdue []string
		for _, row := range board.Rows {
			if row.Overdue {
				overdue = append(overdue, row.Municipality.Name)
			}
		}
		if !slices.Equal(overdue, []string{"Bräcke", "Krokom", "Östersund"}) {
			t.Errorf("overdue rows = %v", overdue)
		}

		reminders, err := f.svc.OverdueRequests(context.Background(), f.users["ulf"].UserID)
		if err != nil {
			t.Fatal(err)
		}
		if len(reminders) != 1 || reminders[0].CaseID != late || reminders[0].Overdue != 3 || reminders[0].EarliestDeadline != munToday.AddDays(-10) {
			t.Fatalf("overdue reminders = %+v", reminders)
		}
		if none, _ := f.svc.OverdueRequests(context.Background(), f.users["sara"].UserID); len(none) != 0 {
			t.Errorf("sara is responsible for nothing, got %+v", none)
		}
		pending, err := f.svc.PendingAnswers(context.Background(), f.users["karin"].UserID)
		if err != nil {
			t.Fatal(err)
		}
		if len(pending) != 2 || pending[0].CaseID != late || pending[1].CaseID != onTime || pending[0].CaseTitle != "Sen" {
			t.Fatalf("karin's pending answers = %+v", pending)
		}
		if none, _ := f.svc.PendingAnswers(context.Background(), f.users["kalle"].UserID); len(none) != 0 {
			t.Errorf("kalle has answered, got %+v", none)
		}

		over, err := f.svc.MunicipalRequests(f.as("sara"), forum.RequestFilter{Overdue: true})
		if err != nil || len(over) != 3 {
			t.Fatalf("overdue filter: %d, %v", len(over), err)
		}
	})
}

func TestMunicipal_KommunUserSeesOnlyOwnMunicipalities(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMunFixture(t, d)
		id := f.newCase(t, "Nutrition", munToday.AddDays(-5))
		f.send(t, id, munToday, munToday.AddDays(10), ostersund, are, krokom)
		other := f.request(t, id, are)

		tests := []struct {
			who  string
			f    forum.RequestFilter
			want []string
		}{
			{"karin", forum.RequestFilter{}, []string{ostersund}},
			{"kalle", forum.RequestFilter{}, []string{are}},
			{"kim", forum.RequestFilter{}, nil},
			{"karin", forum.RequestFilter{Municipality: are}, nil},
			{"sara", forum.RequestFilter{}, []string{krokom, are, ostersund}},
			{"rut", forum.RequestFilter{Municipality: krokom}, []string{krokom}},
			{"sara", forum.RequestFilter{Answer: forum.Accepts}, nil},
			{"sara", forum.RequestFilter{Year: 2026, Status: forum.Registered}, []string{krokom, are, ostersund}},
			{"sara", forum.RequestFilter{Year: 2025}, nil},
			{"sara", forum.RequestFilter{Status: forum.Closed}, nil},
			{"karin", forum.RequestFilter{Year: 2026, Overdue: false, Answer: forum.Pending}, []string{ostersund}},
		}
		for _, tt := range tests {
			rs, err := f.svc.MunicipalRequests(f.as(tt.who), tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rs {
				got = append(got, r.Municipality)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s %+v: %v, want %v", tt.who, tt.f, got, tt.want)
			}
		}
		if _, err := f.svc.MunicipalRequest(f.as("karin"), other.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("karin reads Åre's request: %v", err)
		}
		if _, err := f.svc.RequestDocuments(f.as("karin"), other.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("karin lists Åre's documents: %v", err)
		}
		if _, err := f.svc.MunicipalBoard(f.as("karin"), id); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("karin reads the board of every municipality: %v", err)
		}
		if _, err := f.svc.MunicipalRequests(f.as("sara"), forum.RequestFilter{Answer: "maybe"}); errs.KindOf(err) != errs.Invalid {
			t.Errorf("unknown answer filter: %v", err)
		}
	})
}

func TestMunicipal_MatrixOfCasesAndMunicipalities(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMunFixture(t, d)
		a := f.newCase(t, "Första", munToday.AddDays(-9))
		b := f.newCase(t, "Andra", munToday.AddDays(-8))
		f.newCase(t, "Aldrig skickat", munToday.AddDays(-7))
		f.send(t, a, munToday.AddDays(-9), munToday.AddDays(-1), ostersund, are)
		f.send(t, b, munToday.AddDays(-8), munToday.AddDays(9), krokom)

		m, err := f.svc.MunicipalMatrix(f.as("rut"), forum.RequestFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Municipalities) != 8 || len(m.Rows) != 2 {
			t.Fatalf("matrix %d × %d, want 2 × 8", len(m.Rows), len(m.Municipalities))
		}
		for _, row := range m.Rows {
			if len(row.Cells) != 8 {
				t.Fatalf("row %s has %d cells", row.Title, len(row.Cells))
			}
			for i, c := range row.Cells {
				if c.Municipality != m.Municipalities[i] || (c.Request != nil && c.Request.Municipality != c.Municipality.Code) {
					t.Fatalf("row %s, cell %d is out of line: %+v", row.Title, i, c)
				}
			}
		}
		if len(m.Totals) != 8 || m.Totals[slices.IndexFunc(m.Municipalities, func(x forum.MunicipalityRef) bool { return x.Code == ostersund })] != (forum.MunicipalSummary{Sent: 1, Pending: 1, Overdue: 1}) {
			t.Errorf("totals per municipality = %+v", m.Totals)
		}
		first := m.Rows[slices.IndexFunc(m.Rows, func(r forum.MatrixRow) bool { return r.CaseID == a })]
		if first.Summary.Sent != 2 || first.Summary.Overdue != 2 {
			t.Errorf("summary of the first case = %+v", first.Summary)
		}
		// Filters keep the cases with a matching request.
		m, err = f.svc.MunicipalMatrix(f.as("rut"), forum.RequestFilter{Overdue: true})
		if err != nil || len(m.Rows) != 1 || m.Rows[0].CaseID != a {
			t.Fatalf("overdue matrix = %+v, %v", m.Rows, err)
		}
		m, err = f.svc.MunicipalMatrix(f.as("rut"), forum.RequestFilter{Municipality: krokom})
		if err != nil || len(m.Rows) != 1 || m.Rows[0].CaseID != b {
			t.Fatalf("Krokom matrix = %+v, %v", m.Rows, err)
		}
		if _, err := f.svc.MunicipalMatrix(f.as("karin"), forum.RequestFilter{}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("karin reads the matrix: %v", err)
		}
	})
}

func TestMunicipal_ContactsRegister(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMunFixture(t, d)
		sara := f.as("sara")
		tests := []struct {
			name         string
			municipality string
			user         string
			field, key   string
		}{
			{"a user without the kommun role", krokom, "ulf", "user_id", "forum.municipal.contact_not_kommun"},
			{"a contact already", ostersund, "karin", "user_id", "forum.municipal.contact_exists"},
			{"a municipality of another region", "0180", "kim", "municipality", "validation.choice"},
		}
		for _, tt := range tests {
			_, err := f.svc.AddContact(sara, tt.municipality, f.users[tt.user].UserID)
			wantProblem(t, err, tt.field, tt.key)
		}
		if _, err := f.svc.AddContact(f.as("karin"), krokom, f.users["karin"].UserID); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("karin adds herself: %v", err)
		}
		// Karin answers for Krokom too, and then for Östersund no more.
		c, err := f.svc.AddContact(sara, krokom, f.users["karin"].UserID)
		if err != nil || c.MunicipalityName != "Krokom" || c.UserName != "Karin" {
			t.Fatalf("add = %+v, %v", c, err)
		}
		if err := f.svc.RemoveContact(sara, ostersund, f.users["karin"].UserID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.RemoveContact(sara, ostersund, f.users["karin"].UserID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("remove twice: %v", err)
		}
		codes, err := f.svc.MunicipalitiesOf(context.Background(), f.users["karin"].UserID)
		if err != nil || !slices.Equal(codes, []string{krokom}) {
			t.Fatalf("karin answers for %v, %v", codes, err)
		}
		accounts, err := f.svc.MunicipalAccounts(sara)
		if err != nil || len(accounts) != 3 {
			t.Fatalf("kommun accounts = %+v, %v", accounts, err)
		}
		contacts, err := f.svc.Contacts(sara)
		if err != nil || len(contacts) != 2 {
			t.Fatalf("contacts = %+v, %v", contacts, err)
		}
		entries, _, err := audit.New(time.Now).List(context.Background(), d, audit.Filter{Entity: "municipality_contact"}, audit.Page{Limit: 100})
		if err != nil || len(entries) != 4 { // two in the fixture, one added, one removed
			t.Fatalf("audit records of the contacts: %d, %v", len(entries), err)
		}
	})
}
