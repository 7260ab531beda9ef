package forum_test

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// The coordinator gives a pending request a new deadline or withdraws one
// sent by mistake; answered requests, stale versions and other roles are
// refused, and the audit log keeps what changed.
func TestMunicipal_ChangeDeadlineAndWithdraw(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMunFixture(t, d)
		sara := f.as("sara")
		sent := munToday.AddDays(-20)
		id := f.newCase(t, "Läkemedelsgenomgångar", sent.AddDays(-5))
		f.send(t, id, sent, munToday.AddDays(-2), ostersund, are, krokom)
		ost, kro := f.request(t, id, ostersund), f.request(t, id, krokom)
		if !ost.Overdue(munToday) {
			t.Fatalf("Östersund's request should be overdue: %+v", ost)
		}

		// A new deadline: no longer overdue.
		later := munToday.AddDays(14)
		got, err := f.svc.ChangeDeadline(sara, ost.ID, ost.Version, later)
		if err != nil {
			t.Fatal(err)
		}
		if got.Deadline != later || got.Overdue(munToday) || got.Version != ost.Version+1 {
			t.Errorf("after the new deadline: %+v", got)
		}

		tests := []struct {
			name     string
			run      func() error
			field    string
			key      string
			kind     errs.Kind
			sentinel error
		}{
			{"deadline before sending", func() error {
				_, err := f.svc.ChangeDeadline(sara, kro.ID, kro.Version, sent.AddDays(-1))
				return err
			}, "deadline", "forum.validation.deadline_before_sent", errs.Invalid, nil},
			{"no deadline", func() error {
				_, err := f.svc.ChangeDeadline(sara, kro.ID, kro.Version, date.Date{})
				return err
			}, "deadline", "validation.required", errs.Invalid, nil},
			{"stale version", func() error {
				_, err := f.svc.ChangeDeadline(sara, ost.ID, ost.Version, later)
				return err
			}, "", "", errs.Conflict, nil},
			{"kommun user may not", func() error {
				_, err := f.svc.ChangeDeadline(f.as("karin"), got.ID, got.Version, later.AddDays(1))
				return err
			}, "", "", errs.Forbidden, nil},
			{"auditor may not withdraw", func() error {
				_, err := f.svc.WithdrawRequest(f.as("rut"), kro.ID, kro.Version)
				return err
			}, "", "", errs.Forbidden, nil},
			{"unknown request", func() error {
				_, err := f.svc.WithdrawRequest(sara, 999_999, 1)
				return err
			}, "", "", errs.NotFound, errs.ErrNotFound},
		}
		for _, tt := range tests {
			err := tt.run()
			if tt.field != "" {
				wantProblem(t, err, tt.field, tt.key)
				continue
			}
			if errs.KindOf(err) != tt.kind || (tt.sentinel != nil && !errors.Is(err, tt.sentinel)) {
				t.Errorf("%s: %v, want kind %v", tt.name, err, tt.kind)
			}
		}

		// An answered request can be neither moved nor withdrawn.
		are1 := f.request(t, id, are)
		answered, err := f.svc.AnswerRequest(f.as("kalle"), id, are, forum.Reply{Answer: forum.Accepts, Version: are1.Version})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.WithdrawRequest(sara, answered.ID, answered.Version)
		wantProblem(t, err, "request", "forum.municipal.already_answered")
		_, err = f.svc.ChangeDeadline(sara, answered.ID, answered.Version, later)
		wantProblem(t, err, "request", "forum.municipal.already_answered")

		// Withdrawing Krokom's: gone from the case, in the audit log, and the
		// case can be sent to Krokom again.
		if _, err := f.svc.WithdrawRequest(sara, kro.ID, kro.Version); err != nil {
			t.Fatal(err)
		}
		rs, err := f.svc.CaseRequests(sara, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 2 {
			t.Errorf("requests after the withdrawal: %d, want 2", len(rs))
		}
		var n int
		if err := d.QueryRowContext(sara, `SELECT COUNT(*) FROM audit_log WHERE entity = 'municipal_request' AND action = 'delete' AND entity_id = ?`,
			strconv.FormatInt(kro.ID, 10)).Scan(&n); err != nil || n != 1 {
			t.Errorf("audit records of the withdrawal: %d, %v", n, err)
		}
		f.send(t, id, munToday, munToday.AddDays(10), krokom)
	})
}

// The board's forms and the API change a deadline and withdraw a request.
func TestMunicipalPages_ChangeDeadlineAndWithdraw(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newMunSite(t, d)
		sara, karin := s.login(t, "sara"), s.login(t, "karin")
		id := s.newCase(t, "Demensutredning", munToday.AddDays(-30))
		s.send(t, id, munToday.AddDays(-20), munToday.AddDays(-1), ostersund, are, krokom)
		ost, kro, are1 := s.request(t, id, ostersund), s.request(t, id, krokom), s.request(t, id, are)
		board := "/arenden/" + strconv.FormatInt(id, 10) + "/kommuner"

		_, body := s.get(t, sara, board)
		munText(t, "board", body, `action="/kommuner/utskick/`+strconv.FormatInt(ost.ID, 10)+`/svarsdatum"`, "Ändra svarsdatum", "Återkalla utskicket")

		// A new deadline through the page.
		res, _ := s.post(t, sara, "/kommuner/utskick/"+strconv.FormatInt(ost.ID, 10)+"/svarsdatum",
			url.Values{"version": {strconv.FormatInt(ost.Version, 10)}, "deadline": {munToday.AddDays(10).String()}})
		munStatus(t, "new deadline", res, "", http.StatusSeeOther)
		_, body = s.get(t, sara, board)
		munText(t, "board after the new deadline", body, "Nytt svarsdatum för Östersund: "+munToday.AddDays(10).String())
		// The same form again, with the old version: a clear message, nothing changed.
		s.post(t, sara, "/kommuner/utskick/"+strconv.FormatInt(ost.ID, 10)+"/svarsdatum",
			url.Values{"version": {strconv.FormatInt(ost.Version, 10)}, "deadline": {munToday.AddDays(30).String()}})
		_, body = s.get(t, sara, board)
		munText(t, "board after a stale change", body, "Utskicket till Östersund har ändrats av någon annan")
		if got := s.request(t, id, ostersund); got.Deadline != munToday.AddDays(10) {
			t.Errorf("deadline after the stale change: %v", got.Deadline)
		}
		// A kommun user may not.
		res, _ = s.post(t, karin, "/kommuner/utskick/"+strconv.FormatInt(ost.ID, 10)+"/aterkalla", url.Values{"version": {"2"}})
		if res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
			t.Errorf("kommun user withdrawing: %d", res.StatusCode)
		}

		// Withdraw through the page.
		res, _ = s.post(t, sara, "/kommuner/utskick/"+strconv.FormatInt(kro.ID, 10)+"/aterkalla", url.Values{"version": {strconv.FormatInt(kro.Version, 10)}})
		munStatus(t, "withdraw", res, "", http.StatusSeeOther)
		_, body = s.get(t, sara, board)
		munText(t, "board after the withdrawal", body, "Utskicket till Krokom är återkallat.")

		// The API: a new deadline for Åre, then withdrawing it.
		item := s.api(t, sara, http.MethodPut, "/municipal-requests/"+strconv.FormatInt(are1.ID, 10),
			`{"deadline": "`+munToday.AddDays(7).String()+`", "version": `+strconv.FormatInt(are1.Version, 10)+`}`, http.StatusOK)
		if item["deadline"] != munToday.AddDays(7).String() || item["overdue"] != false {
			t.Errorf("API new deadline: %v", item)
		}
		s.api(t, sara, http.MethodPut, "/municipal-requests/"+strconv.FormatInt(are1.ID, 10),
			`{"deadline": "`+munToday.AddDays(-30).String()+`", "version": 2}`, http.StatusUnprocessableEntity)
		s.api(t, sara, http.MethodDelete, "/municipal-requests/"+strconv.FormatInt(are1.ID, 10)+"?version=1", "", http.StatusConflict)
		s.api(t, sara, http.MethodDelete, "/municipal-requests/"+strconv.FormatInt(are1.ID, 10)+"?version=2", "", http.StatusNoContent)
		if rs, err := s.svc.CaseRequests(s.as("sara"), id); err != nil || len(rs) != 1 {
			t.Errorf("requests left: %d, %v", len(rs), err)
		}
	})
}
