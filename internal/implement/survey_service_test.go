package implement_test

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/mail"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/mail/mailtest"
)

// publicURL is the base of the links in the tests' mails.
const publicURL = "https://kunskapsnav.example.se"

// surveyEnv is env with the implementation started and a service that
// writes absolute links.
type surveyEnv struct {
	*env
	m   implement.Implementation
	svc *implement.Service
}

func newSurveyEnv(t *testing.T, d *db.DB) *surveyEnv {
	t.Helper()
	e := newEnv(t, d)
	m := e.started(t)
	// Addresses mail takes: "Agnes Alfa" → agnes.alfa@example.se.
	for _, q := range []string{`UPDATE people SET email = LOWER(REPLACE(name, ' ', '.')) || '@example.se' WHERE email <> ''`,
		`UPDATE users SET email = LOWER(REPLACE(display_name, ' ', '.')) || '@example.se' WHERE email <> ''`} {
		if _, err := d.ExecContext(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	return &surveyEnv{env: e, m: m, svc: e.svc.WithPublicURL(publicURL + "/")}
}

// input is a valid questionnaire on the first two recommendations to the
// support's units (nil: the default), due ten days after start.
func (e *surveyEnv) input() implement.SurveyInput {
	return implement.SurveyInput{ImplementationID: e.m.ID, Title: "Nuläge", Message: "Svara gärna före mötet.",
		Deadline: day("2026-09-11"), RecommendationIDs: e.recs[:2]}
}

// sent creates and sends the questionnaire of input as the lead.
func (e *surveyEnv) sent(t *testing.T) implement.Survey {
	t.Helper()
	v := must(e.svc.CreateSurvey(e.leadCtx, e.input()))(t)
	return must(e.svc.SendSurvey(e.leadCtx, e.m.ID, v.ID, v.Version))(t)
}

// recipient returns the survey's recipient of unit.
func recipient(t *testing.T, v implement.Survey, unit int64) implement.SurveyRecipient {
	t.Helper()
	for _, r := range v.Recipients {
		if r.UnitID == unit {
			return r
		}
	}
	t.Fatalf("no recipient of unit %d in %+v", unit, v.Recipients)
	return implement.SurveyRecipient{}
}

// answerAll answers every recommendation of v with c.
func answerAll(v implement.Survey, c implement.Compliance, comment string) []implement.SurveyAnswer {
	var as []implement.SurveyAnswer
	for _, rec := range v.RecommendationIDs {
		as = append(as, implement.SurveyAnswer{RecommendationID: rec, Compliance: c, Comment: comment})
	}
	return as
}

type outboxRow struct {
	to, subject, body, kind string
}

func outbox(t *testing.T, d *db.DB) []outboxRow {
	t.Helper()
	rows, err := db.All(context.Background(), d, func(s db.Scanner) (outboxRow, error) {
		var r outboxRow
		return r, s.Scan(&r.to, &r.subject, &r.body, &r.kind)
	}, `SELECT to_addr, subject, body, kind FROM mail_outbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func fieldErr(t *testing.T, err error, field, key string) {
	t.Helper()
	v, ok := errs.AsValidation(err)
	if !ok {
		t.Fatalf("err = %v, want a validation error at %s", err, field)
	}
	for _, f := range v.Fields {
		if f.Name == field && f.Key == key {
			return
		}
	}
	t.Fatalf("err = %v, want %s at %s", err, key, field)
}

func TestSurvey_CreateValidatesAndDefaultsUnitsAndContacts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newSurveyEnv(t, d)
		lonely := insert(t, d, `INSERT INTO units (level, name, kind, created_at, updated_at) VALUES ('unit', 'Enhet Ensam', 'primary_care', ?, ?) RETURNING id`, start, start)
		for _, tc := range []struct {
			name       string
			change     func(*implement.SurveyInput)
			ctx        context.Context
			field, key string
			wantErr    error
		}{
			{"no title", func(in *implement.SurveyInput) { in.Title = " " }, nil, "title", "validation.required", nil},
			{"deadline passed", func(in *implement.SurveyInput) { in.Deadline = day("2026-08-31") }, nil, "deadline", "implement.survey.deadline_past", nil},
			{"no recommendation", func(in *implement.SurveyInput) { in.RecommendationIDs = nil }, nil, "recommendations", "implement.survey.recommendations_required", nil},
			{"other support's recommendation", func(in *implement.SurveyInput) { in.RecommendationIDs = []int64{e.otherRec} }, nil, "recommendations", "implement.survey.recommendation_other_support", nil},
			{"no unit", func(in *implement.SurveyInput) { in.Units = []implement.SurveyUnit{} }, nil, "units", "implement.survey.units_required", nil},
			{"unit without contact", func(in *implement.SurveyInput) { in.Units = []implement.SurveyUnit{{UnitID: lonely}} }, nil,
				"contact." + strconv.FormatInt(lonely, 10), "implement.survey.no_contact", nil},
			{"outsider", func(*implement.SurveyInput) {}, e.outsiderCtx, "", "", errs.ErrForbidden},
			{"enhet user", func(*implement.SurveyInput) {}, e.unitACtx, "", "", errs.ErrForbidden},
		} {
			in := e.input()
			tc.change(&in)
			ctx := tc.ctx
			if ctx == nil {
				ctx = e.leadCtx
			}
			_, err := e.svc.CreateSurvey(ctx, in)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Errorf("%s: err = %v, want %v", tc.name, err, tc.wantErr)
				}
				continue
			}
			fieldErr(t, err, tc.field, tc.key)
			if tc.key == "implement.survey.no_contact" && !strings.Contains(e.texts.T("sv", tc.key, "unit", "Enhet Ensam"), "Enhet Ensam") {
				t.Errorf("the message does not name the unit")
			}
		}
		// The defaults: the support's two units, each with its enhet user's person.
		v := must(e.svc.CreateSurvey(e.leadCtx, e.input()))(t)
		if v.Status != implement.SurveyDraft || len(v.Recipients) != 2 || len(v.RecommendationIDs) != 2 {
			t.Fatalf("created %+v", v)
		}
		if recipient(t, v, e.unitA).ContactID != e.contactA || recipient(t, v, e.unitB).ContactID != e.contact {
			t.Errorf("contacts %+v", v.Recipients)
		}
		// A manager at the unit with a user is preferred.
		u := insert(t, d, `INSERT INTO users (username, display_name, email, password_hash, created_at, updated_at, password_changed_at)
			VALUES ('chefen', 'Chefen', 'chef@example.se', 'x', ?, ?, ?) RETURNING id`, start, start, start)
		chief := insert(t, d, `INSERT INTO people (name, title, email, unit_id, user_id, created_at, updated_at) VALUES ('Cecilia Chef', 'Enhetschef', 'chef@example.se', ?, ?, ?, ?) RETURNING id`,
			e.unitA, u, start, start)
		v2 := must(e.svc.CreateSurvey(e.leadCtx, e.input()))(t)
		if recipient(t, v2, e.unitA).ContactID != chief {
			t.Errorf("contact of A = %d, want the manager %d", recipient(t, v2, e.unitA).ContactID, chief)
		}
		// The working group may choose another contact, and update while draft by version.
		in := e.input()
		in.ID, in.Version, in.Title = v.ID, v.Version, "Nuläge hösten"
		in.Units = []implement.SurveyUnit{{UnitID: e.unitA, ContactID: e.lead}}
		v = must(e.svc.UpdateSurvey(e.leadCtx, in))(t)
		if v.Title != "Nuläge hösten" || len(v.Recipients) != 1 || v.Recipients[0].ContactID != e.lead {
			t.Errorf("updated %+v", v)
		}
		if _, err := e.svc.UpdateSurvey(e.leadCtx, in); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("stale update: %v", err)
		}
	})
}

func TestSurvey_SendMailsEachContactTheirOwnLink(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newSurveyEnv(t, d)
		if _, err := d.ExecContext(context.Background(), `UPDATE people SET email = '' WHERE id = ?`, e.contact); err != nil {
			t.Fatal(err)
		}
		v := e.sent(t)
		if v.Status != implement.SurveySent || v.SentOn != day("2026-09-01") {
			t.Fatalf("sent %+v", v)
		}
		mails := outbox(t, d)
		// Bertil Beta's person has no address: his user's is used.
		if len(mails) != 2 {
			t.Fatalf("%d mails, want 2: %+v", len(mails), mails)
		}
		for _, m := range mails {
			var r, other implement.SurveyRecipient
			switch m.to {
			case "agnes.alfa@example.se":
				r, other = recipient(t, v, e.unitA), recipient(t, v, e.unitB)
			case "bertil.beta@example.se":
				r, other = recipient(t, v, e.unitB), recipient(t, v, e.unitA)
			default:
				t.Errorf("mail to %q", m.to)
				continue
			}
			link := publicURL + "/enkatsvar/" + strconv.FormatInt(r.ID, 10)
			if !strings.Contains(m.body, link) || !strings.Contains(m.body, r.Unit) || !strings.Contains(m.body, "Vårdförlopp Testsjukdom") ||
				!strings.Contains(m.body, "2026-09-11") || !strings.Contains(m.body, "Svara gärna före mötet.") {
				t.Errorf("mail to %s:\n%s", m.to, m.body)
			}
			if strings.Contains(m.body, other.Unit) || strings.Contains(m.body, "enkatsvar/"+strconv.FormatInt(other.ID, 10)) {
				t.Errorf("mail to %s names the other unit:\n%s", m.to, m.body)
			}
			if m.kind != "implement.survey" || !strings.Contains(m.subject, "Vårdförlopp Testsjukdom") {
				t.Errorf("mail %+v", m)
			}
		}
		if _, err := e.svc.SendSurvey(e.leadCtx, e.m.ID, v.ID, v.Version); err == nil {
			t.Error("sent twice")
		}
	})
}

func TestSurvey_WithoutAddressNoMailButTheTask(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newSurveyEnv(t, d)
		ctx := context.Background()
		if _, err := d.ExecContext(ctx, `UPDATE people SET email = '' WHERE id = ?`, e.contact); err != nil {
			t.Fatal(err)
		}
		if _, err := d.ExecContext(ctx, `UPDATE users SET email = NULL WHERE id = (SELECT user_id FROM people WHERE id = ?)`, e.contact); err != nil {
			if _, err := d.ExecContext(ctx, `UPDATE users SET email = '' WHERE id = (SELECT user_id FROM people WHERE id = ?)`, e.contact); err != nil {
				t.Fatal(err)
			}
		}
		v := e.sent(t)
		if n := len(outbox(t, d)); n != 1 {
			t.Errorf("%d mails, want 1", n)
		}
		if w := v.WithoutEmail(); len(w) != 1 || w[0].UnitID != e.unitB {
			t.Errorf("without e-mail: %+v", w)
		}
		tasks := must(e.svc.Tasks(e.unitBCtx))(t)
		if len(tasks) != 1 || tasks[0].Key != "implement.task.survey" || tasks[0].Href != implement.AnswerURL(recipient(t, v, e.unitB).ID) ||
			tasks[0].Due != day("2026-09-11") || tasks[0].Late || tasks[0].Title != "Vårdförlopp Testsjukdom" {
			t.Errorf("tasks %+v", tasks)
		}
		e.clock.set(start.AddDate(0, 0, 12))
		tasks = must(e.svc.Tasks(e.unitBCtx))(t)
		if len(tasks) != 1 || !tasks[0].Late {
			t.Errorf("late tasks %+v", tasks)
		}
		if tasks := must(e.svc.Tasks(e.outsiderCtx))(t); len(tasks) != 0 {
			t.Errorf("outsider's tasks %+v", tasks)
		}
	})
}

func TestSurvey_WhoMayAnswer(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newSurveyEnv(t, d)
		draft := must(e.svc.CreateSurvey(e.leadCtx, e.input()))(t)
		v := e.sent(t)
		ra := recipient(t, v, e.unitA)
		// A second enhet user working at unit A, and an enhet user elsewhere.
		colleague := e.personWithUser(t, "Ada Kollega", e.unitA, access.Unit)
		stranger := e.personWithUser(t, "Sten Annan", 0, access.Unit)
		viewer := e.personWithUser(t, "Vera Läsare", e.unitA, access.Leadership)
		for _, tc := range []struct {
			name     string
			ctx      context.Context
			ok       bool
			onBehalf bool
		}{
			{"the unit's contact", e.unitACtx, true, false},
			{"an enhet colleague at the unit", colleague, true, false},
			{"another unit's enhet user", e.unitBCtx, false, false},
			{"an enhet user of no unit", stranger, false, false},
			{"a non-enhet user at the unit", viewer, false, false},
			{"the coordinator", e.coordinator, true, true},
			{"the improvement lead", e.leadCtx, true, true},
			{"ledning", e.chief, false, false},
			{"an outsider", e.outsiderCtx, false, false},
		} {
			a, err := e.svc.Answer(tc.ctx, ra.ID)
			switch {
			case tc.ok && err != nil:
				t.Errorf("%s: %v", tc.name, err)
			case tc.ok && a.OnBehalf != tc.onBehalf:
				t.Errorf("%s: on behalf %v", tc.name, a.OnBehalf)
			case tc.ok && (len(a.Survey.Recipients) != 1 || a.Survey.Recipients[0].ID != ra.ID):
				t.Errorf("%s: sees recipients %+v", tc.name, a.Survey.Recipients)
			case !tc.ok && !errors.Is(err, errs.ErrNotFound):
				t.Errorf("%s: err = %v, want not found", tc.name, err)
			}
			_, err = e.svc.SaveAnswer(tc.ctx, ra.ID, 999, answerAll(v, implement.Complies, ""))
			if !tc.ok && !errors.Is(err, errs.ErrNotFound) {
				t.Errorf("%s saves: err = %v, want not found", tc.name, err)
			}
		}
		// A draft's recipients cannot answer yet.
		if _, err := e.svc.Answer(e.unitACtx, recipient(t, draft, e.unitA).ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("draft: %v", err)
		}
	})
}

// personWithUser adds a person at unit (0: none) linked to a new user with role.
func (e *env) personWithUser(t *testing.T, name string, unit int64, role access.Role) context.Context {
	t.Helper()
	u := insert(t, e.d, `INSERT INTO users (username, display_name, email, password_hash, created_at, updated_at, password_changed_at)
		VALUES (?, ?, ?, 'x', ?, ?, ?) RETURNING id`, name, name, name+"@example.se", start, start, start)
	insert(t, e.d, `INSERT INTO people (name, email, unit_id, user_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		name, name+"@example.se", db.NullID(unit), u, start, start)
	return as(u, name, role)
}

func TestSurvey_AnswerValidatesConflictsLateAndClosed(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newSurveyEnv(t, d)
		v := e.sent(t)
		ra := recipient(t, v, e.unitA)
		rec := strconv.FormatInt(v.RecommendationIDs[0], 10)
		_, err := e.svc.SaveAnswer(e.unitACtx, ra.ID, ra.Version, answerAll(v, implement.Complies, strings.Repeat("x", 2001))[:1])
		fieldErr(t, err, "comment."+rec, "validation.too_long")
		fieldErr(t, err, "answer."+strconv.FormatInt(v.RecommendationIDs[1], 10), "implement.survey.answer_required")
		_, err = e.svc.SaveAnswer(e.unitACtx, ra.ID, ra.Version, []implement.SurveyAnswer{{RecommendationID: e.recs[2], Compliance: implement.Complies}})
		fieldErr(t, err, "answers", "implement.survey.unknown_recommendation")
		_, err = e.svc.SaveAnswer(e.unitACtx, ra.ID, ra.Version, answerAll(v, "maybe", ""))
		fieldErr(t, err, "answer."+rec, "validation.choice")

		a := must(e.svc.SaveAnswer(e.unitACtx, ra.ID, ra.Version, answerAll(v, implement.Partly, " Delvis ")))(t)
		if !a.Recipient.Answered() || a.Recipient.Late || a.Answers[v.RecommendationIDs[0]].Comment != "Delvis" || a.Recipient.AnsweredBy != "Agnes Alfa" {
			t.Errorf("answered %+v", a)
		}
		// The coordinator, with the version read before, conflicts.
		if _, err := e.svc.SaveAnswer(e.coordinator, ra.ID, ra.Version, answerAll(v, implement.NotYet, "")); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("stale: %v", err)
		}
		// After the deadline answers are still taken, marked late.
		e.clock.set(start.AddDate(0, 0, 11))
		a = must(e.svc.SaveAnswer(e.unitACtx, ra.ID, a.Recipient.Version, answerAll(v, implement.Complies, "")))(t)
		if !a.Recipient.Late || !a.Late() {
			t.Errorf("late answer %+v", a.Recipient)
		}
		v = must(e.svc.CloseSurvey(e.leadCtx, e.m.ID, v.ID, v.Version))(t)
		if v.Status != implement.SurveyClosed || v.ClosedOn != day("2026-09-12") {
			t.Errorf("closed %+v", v)
		}
		_, err = e.svc.SaveAnswer(e.unitACtx, ra.ID, a.Recipient.Version, answerAll(v, implement.Complies, ""))
		fieldErr(t, err, "answers", "implement.survey.closed")
	})
}

func TestSurvey_CompilationCountsPerRecommendation(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newSurveyEnv(t, d)
		v := e.sent(t)
		ra := recipient(t, v, e.unitA)
		r1, r2 := v.RecommendationIDs[0], v.RecommendationIDs[1]
		must(e.svc.SaveAnswer(e.unitACtx, ra.ID, ra.Version, []implement.SurveyAnswer{
			{RecommendationID: r1, Compliance: implement.Complies, Comment: "Vi gör så sedan 2024."},
			{RecommendationID: r2, Compliance: implement.NotYet},
		}))(t)
		// A draft does not count.
		must(e.svc.CreateSurvey(e.leadCtx, e.input()))(t)
		c := must(e.svc.SurveyCompilation(e.chief, e.m.ID))(t)
		want := map[int64]implement.Compilation{
			r1: {RecommendationID: r1, Complies: 1, NotAnswered: 1},
			r2: {RecommendationID: r2, No: 1, NotAnswered: 1},
		}
		if len(c) != 2 {
			t.Fatalf("compilation %+v", c)
		}
		for rec, w := range want {
			g := c[rec]
			if g.Complies != w.Complies || g.Partly != w.Partly || g.No != w.No || g.NotAnswered != w.NotAnswered {
				t.Errorf("rec %d: %+v, want %+v", rec, g, w)
			}
		}
		if cs := c[r1].Comments; len(cs) != 1 || cs[0].Unit != "Hälsocentral Alfa" || cs[0].Comment != "Vi gör så sedan 2024." {
			t.Errorf("comments %+v", cs)
		}
		if p := c[r1].Percent(c[r1].Complies); p != 50 {
			t.Errorf("percent %d", p)
		}
		sv := must(e.svc.Survey(e.leadCtx, e.m.ID, v.ID))(t)
		if sv.Compilation[r1].Complies != 1 || len(sv.Recommendations) != 2 || sv.Survey.Answered() != 1 {
			t.Errorf("survey view %+v", sv)
		}
		if _, err := e.svc.SurveyCompilation(e.unitACtx, e.m.ID); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("enhet reads the compilation: %v", err)
		}
	})
}

func TestReminderDue(t *testing.T) {
	t.Parallel()
	deadline := day("2026-09-20")
	for _, tc := range []struct {
		last, today string
		want        bool
	}{
		{"2026-09-01", "2026-09-16", false}, // four days before
		{"2026-09-01", "2026-09-17", true},  // three days before
		{"", "2026-09-17", true},
		{"2026-09-15", "2026-09-17", false}, // reminded two days ago
		{"2026-09-14", "2026-09-17", true},  // three days ago
		{"2026-09-17", "2026-09-19", false},
		{"2026-09-17", "2026-09-20", true},
		{"2026-09-20", "2026-09-25", true}, // passed
		{"2026-09-24", "2026-09-25", false},
	} {
		var last date.Date
		if tc.last != "" {
			last = day(tc.last)
		}
		if got := implement.ReminderDue(deadline, last, day(tc.today)); got != tc.want {
			t.Errorf("last %s today %s: %v, want %v", tc.last, tc.today, got, tc.want)
		}
	}
}

func TestSurvey_DailyRemindersAtMostEveryThreeDaysToUnitsNotAnswered(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newSurveyEnv(t, d)
		v := e.sent(t) // 2026-09-01, deadline 2026-09-11
		rb := recipient(t, v, e.unitB)
		must(e.svc.SaveAnswer(e.unitBCtx, rb.ID, rb.Version, answerAll(v, implement.Complies, "")))(t)
		ctx := context.Background()
		reminders := func() int {
			n := 0
			for _, m := range outbox(t, d) {
				if m.kind == "implement.survey_reminder" {
					if m.to != "agnes.alfa@example.se" {
						t.Errorf("reminder to %s", m.to)
					}
					n++
				}
			}
			return n
		}
		for _, tc := range []struct {
			day  string
			want int // reminders so far
		}{
			{"2026-09-07", 0}, // four days before the deadline
			{"2026-09-08", 1},
			{"2026-09-09", 1},
			{"2026-09-10", 1},
			{"2026-09-11", 2},
			{"2026-09-12", 2},
			{"2026-09-14", 3},
		} {
			e.clock.set(day(tc.day).Time().Add(6 * time.Hour))
			if err := e.svc.SendDueReminders(ctx); err != nil {
				t.Fatal(err)
			}
			if got := reminders(); got != tc.want {
				t.Errorf("%s: %d reminders, want %d", tc.day, got, tc.want)
			}
		}
		sv := must(e.svc.Survey(e.leadCtx, e.m.ID, v.ID))(t)
		ra := recipient(t, sv.Survey, e.unitA)
		if ra.Reminders != 3 || ra.LastRemindedOn != day("2026-09-14") || recipient(t, sv.Survey, e.unitB).Reminders != 0 {
			t.Errorf("recipients %+v", sv.Survey.Recipients)
		}
		var actor string
		if err := d.QueryRowContext(ctx, `SELECT actor_name FROM audit_log WHERE entity = 'unit_survey' ORDER BY id DESC LIMIT 1`).Scan(&actor); err != nil {
			t.Fatal(err)
		}
		if actor != implement.ReminderActor {
			t.Errorf("audit actor %q", actor)
		}
		// A closed questionnaire is not reminded.
		must(e.svc.CloseSurvey(e.leadCtx, e.m.ID, v.ID, sv.Survey.Version))(t)
		e.clock.set(time.Date(2026, 9, 20, 6, 0, 0, 0, time.UTC))
		if err := e.svc.SendDueReminders(ctx); err != nil {
			t.Fatal(err)
		}
		if got := reminders(); got != 3 {
			t.Errorf("after closing: %d reminders", got)
		}
	})
}

func TestSurvey_RemindNowMailsOnlyUnitsNotAnswered(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newSurveyEnv(t, d)
		v := e.sent(t)
		ra := recipient(t, v, e.unitA)
		must(e.svc.SaveAnswer(e.unitACtx, ra.ID, ra.Version, answerAll(v, implement.Complies, "")))(t)
		if n := must(e.svc.RemindNow(e.leadCtx, e.m.ID, v.ID))(t); n != 1 {
			t.Errorf("reminded %d", n)
		}
		if _, err := e.svc.RemindNow(e.chief, e.m.ID, v.ID); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("ledning reminds: %v", err)
		}
		mails := outbox(t, d)
		last := mails[len(mails)-1]
		if len(mails) != 3 || last.to != "bertil.beta@example.se" || last.kind != "implement.survey_reminder" ||
			!strings.Contains(last.body, publicURL+implement.AnswerURL(recipient(t, v, e.unitB).ID)) {
			t.Errorf("mails %+v", mails)
		}
		sv := must(e.svc.Survey(e.leadCtx, e.m.ID, v.ID))(t)
		if rb := recipient(t, sv.Survey, e.unitB); rb.Reminders != 1 || rb.LastRemindedOn != day("2026-09-01") {
			t.Errorf("recipient B %+v", rb)
		}
	})
}

func TestSurvey_ReminderReachesTheSMTPServer(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newSurveyEnv(t, d)
		v := e.sent(t)
		srv := mailtest.Start(t, nil)
		sender, err := mail.NewSender(srv.Config())
		if err != nil {
			t.Fatal(err)
		}
		o := mail.NewOutbox(d, sender, e.clock.now, slog.New(slog.DiscardHandler))
		ctx := context.Background()
		if _, err := o.Flush(ctx); err != nil { // the questionnaires themselves
			t.Fatal(err)
		}
		srv.Wait(t, 2, 10*time.Second)
		e.clock.set(time.Date(2026, 9, 9, 6, 0, 0, 0, time.UTC))
		if err := e.svc.SendDueReminders(ctx); err != nil {
			t.Fatal(err)
		}
		if n, err := o.Flush(ctx); err != nil || n != 2 {
			t.Fatalf("flushed %d: %v", n, err)
		}
		msgs := srv.Wait(t, 4, 10*time.Second)
		got := map[string]mailtest.Message{}
		for _, m := range msgs[2:] {
			got[m.EnvelopeTo[0]] = m
		}
		m, ok := got["agnes.alfa@example.se"]
		if !ok {
			t.Fatalf("received %+v", msgs)
		}
		if !strings.HasPrefix(m.Subject, "Påminnelse") || !strings.Contains(m.Body, publicURL+implement.AnswerURL(recipient(t, v, e.unitA).ID)) ||
			!strings.Contains(m.Body, "Hälsocentral Alfa") || strings.Contains(m.Body, "Hälsocentral Beta") {
			t.Errorf("reminder %q:\n%s", m.Subject, m.Body)
		}
	})
}

func TestSurvey_MyUnitShowsTheUnitsOwnParts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newSurveyEnv(t, d)
		v := e.sent(t)
		must(e.svc.SaveGap(e.leadCtx, implement.Gap{ImplementationID: e.m.ID, RecommendationID: e.recs[0], Size: implement.GapSmall,
			Answers: map[string]string{"current_practice": "Uppföljning sker ibland.", "desired_practice": "Alltid."}, UnitIDs: []int64{e.unitA}}))(t)
		mine := must(e.svc.MyUnit(e.unitACtx))(t)
		if mine.Unit != "Hälsocentral Alfa" || len(mine.Surveys) != 1 || !mine.Surveys[0].CanAnswer ||
			mine.Surveys[0].Recipient.ID != recipient(t, v, e.unitA).ID || len(mine.Surveys[0].Survey.Recipients) != 1 {
			t.Errorf("my unit A %+v", mine)
		}
		if len(mine.Implementations) != 1 || len(mine.Implementations[0].Gaps) != 1 || mine.Implementations[0].Gaps[0].Size != implement.GapSmall {
			t.Errorf("implementations %+v", mine.Implementations)
		}
		other := must(e.svc.MyUnit(e.unitBCtx))(t)
		if len(other.Implementations) != 0 || len(other.Surveys) != 1 || other.Surveys[0].Recipient.UnitID != e.unitB {
			t.Errorf("my unit B %+v", other)
		}
		none := must(e.svc.MyUnit(e.outsiderCtx))(t)
		if none.UnitID != 0 || len(none.Surveys) != 0 {
			t.Errorf("outsider %+v", none)
		}
	})
}
