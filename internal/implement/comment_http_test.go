package implement_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// cmSent is the comment fixture with its round sent to unit A and
// municipality A, and the round's two recipients.
type cmSent struct {
	*cmEnv
	rd             implement.CommentRound
	unitRc, muniRc implement.CommentRecipient
}

func newCmSent(t *testing.T, d *db.DB) *cmSent {
	t.Helper()
	e := &cmSent{cmEnv: newCmEnv(t, d)}
	e.rd = e.cmSend(t)
	e.unitRc, e.muniRc = cmRecipient(t, e.rd, e.unitA, ""), cmRecipient(t, e.rd, 0, e.muniA)
	return e
}

func TestCommentHTTP_PagesPerRole(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newCmSent(t, d)
		s := newSite(t, e.env)
		must(e.svc.AddComment(e.unitACtx, e.unitRc.ID, "Enheten behöver mer tid"))(t)
		id, rid := e.m.ID, e.rd.ID
		unitPage, muniPage := "/remissvar/"+itoa(e.unitRc.ID), "/remissvar/"+itoa(e.muniRc.ID)
		round := implPath(id, "/remiss/"+itoa(rid))
		for _, tc := range []struct {
			user, path string
			status     int
			texts      []string
		}{
			{"lead", implPath(id, "/historik"), 200, []string{"Spara revision", "Revision 1", "Enheten behöver mer tid", "Hälsocentral Alfa"}},
			{"chief", implPath(id, "/historik"), 200, []string{"Revision 1", "!Spara revision"}},
			{"unit", implPath(id, "/historik"), 403, nil},
			{"kommunA", implPath(id, "/historik"), 403, nil},
			{"lead", implPath(id, "/remiss/ny"), 200, []string{"Hälsocentral Alfa", "Hälsocentral Beta", "Ragunda", "Bräcke", `name="deadline"`}},
			{"chief", implPath(id, "/remiss/ny"), 403, nil},
			{"unit", implPath(id, "/remiss/ny"), 403, nil},
			{"lead", round, 200, []string{"Enheten behöver mer tid", "Spara svar", "Stäng remissen", "1 av 2 har lämnat synpunkter"}},
			{"chief", round, 200, []string{"Enheten behöver mer tid", "!Spara svar", "!Stäng remissen"}},
			{"unit", round, 403, nil},
			{"unit", unitPage, 200, []string{"Utbilda personalen", "Lena Lead", "R1", "Lämna synpunkter", `name="body"`, "Enheten behöver mer tid"}},
			{"unitB", unitPage, 404, nil},
			{"kommunA", unitPage, 404, nil},
			{"coordinator", unitPage, 200, []string{`name="body"`, "Du lämnar synpunkter för Hälsocentral Alfa"}},
			{"lead", unitPage, 200, []string{"Utbilda personalen", `!name="body"`}},
			{"kommunA", muniPage, 200, []string{"Ragunda", `name="body"`}},
			{"kommunB", muniPage, 404, nil},
		} {
			res, body := s.send(t, tc.user, http.MethodGet, tc.path, nil)
			want(t, tc.user+" "+tc.path, res, body, tc.status, tc.texts...)
		}
		// The kommun contact's start page lists the round.
		res, body := s.send(t, "kommunA", http.MethodGet, "/", nil)
		want(t, "start page", res, body, 200, "Lämna synpunkter på handlingsplanen för Vårdförlopp Testsjukdom senast 2026-09-21", muniPage)
	})
}

func TestCommentHTTP_Forms(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newCmSent(t, d)
		s := newSite(t, e.env)
		id := e.m.ID

		// Send: problems are shown at their fields, input kept.
		res, body := s.send(t, "lead", http.MethodPost, implPath(id, "/remiss/ny"), url.Values{"deadline": {"2026-08-01"}, "message": {"Behåll mig"}})
		want(t, "send refused", res, body, 422, "Välj minst en enhet eller kommun.", "Sista svarsdag kan inte ligga före i dag.", "Behåll mig", `href="#f-recipients"`)
		res, _ = s.send(t, "lead", http.MethodPost, implPath(id, "/remiss/ny"), url.Values{"deadline": {"2026-09-30"}, "unit_ids": {itoa(e.unitB)}, "municipalities": {e.muniB}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), implPath(id, "/remiss/")) {
			t.Fatalf("send: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		otherRound := res.Header.Get("Location")

		// Comment: an empty comment is refused; a comment is recorded.
		page := "/remissvar/" + itoa(e.unitRc.ID)
		res, body = s.send(t, "unit", http.MethodPost, page, url.Values{"body": {" "}})
		want(t, "empty comment", res, body, 422, `href="#f-body"`)
		res, _ = s.send(t, "unit", http.MethodPost, page, url.Values{"body": {"Vi behöver utbildning tidigare"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("comment: %d", res.StatusCode)
		}
		res, body = s.send(t, "unit", http.MethodGet, page, nil)
		want(t, "after comment", res, body, 200, "Tack! Era synpunkter är lämnade.", "Vi behöver utbildning tidigare", "Inget svar från arbetsgruppen ännu.")
		res, _ = s.send(t, "kommunA", http.MethodPost, page, url.Values{"body": {"Fel mottagare"}})
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("kommun on a unit's page: %d, want 404", res.StatusCode)
		}

		// Answer: by version; a stale form shows the saved answer.
		rd := must(e.svc.CommentRoundOf(e.leadCtx, id, e.rd.ID))(t).Round
		c := cmRecipient(t, rd, e.unitA, "").Comments[0]
		answer := implPath(id, "/remiss/"+itoa(rd.ID)+"/svar/"+itoa(c.ID))
		res, _ = s.send(t, "lead", http.MethodPost, answer, url.Values{"answer": {"Vi flyttar utbildningen"}, "version": {itoa(c.Version)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("answer: %d", res.StatusCode)
		}
		res, _ = s.send(t, "lead", http.MethodPost, otherRound+"/svar/"+itoa(c.ID), url.Values{"answer": {"Fel remiss"}, "version": {itoa(c.Version + 1)}})
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("answer under another round: %d, want 404", res.StatusCode)
		}
		res, body = s.send(t, "lead", http.MethodPost, answer, url.Values{"answer": {"Mitt svar"}, "version": {itoa(c.Version)}})
		want(t, "stale answer", res, body, 409, "Vi flyttar utbildningen", "Mitt svar", `href="#f-answer-`+itoa(c.ID)+`"`)
		res, body = s.send(t, "lead", http.MethodPost, answer, url.Values{"answer": {""}, "version": {itoa(c.Version + 1)}})
		want(t, "empty answer", res, body, 422, `href="#f-answer-`+itoa(c.ID)+`"`)
		res, body = s.send(t, "unit", http.MethodGet, page, nil)
		want(t, "answer shown to the unit", res, body, 200, "Vi flyttar utbildningen")

		// Close: by version.
		closeURL := implPath(id, "/remiss/"+itoa(rd.ID)+"/stang")
		res, body = s.send(t, "lead", http.MethodPost, closeURL, url.Values{"version": {itoa(rd.Version + 1)}})
		want(t, "stale close", res, body, 409, `href="#f-close"`)
		res, _ = s.send(t, "lead", http.MethodPost, closeURL, url.Values{"version": {itoa(rd.Version)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("close: %d", res.StatusCode)
		}
		res, body = s.send(t, "unit", http.MethodGet, page, nil)
		want(t, "closed round", res, body, 200, "Remissen är stängd och tar inte emot fler synpunkter.", `!name="body"`)

		// Revision: a note is required; a stale version shows a conflict.
		hist := implPath(id, "/historik")
		m := e.cmFresh(t)
		res, body = s.send(t, "lead", http.MethodPost, hist, url.Values{"note": {""}, "version": {itoa(m.Version)}})
		want(t, "empty note", res, body, 422, `href="#f-note"`)
		res, body = s.send(t, "lead", http.MethodPost, hist, url.Values{"note": {"Reviderad"}, "version": {itoa(m.Version - 1)}})
		want(t, "stale revision", res, body, 409, `href="#f-conflict"`, "Reviderad")
		res, _ = s.send(t, "lead", http.MethodPost, hist, url.Values{"note": {"Reviderad efter remissen"}, "version": {itoa(m.Version)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("revision: %d", res.StatusCode)
		}
		res, body = s.send(t, "lead", http.MethodGet, hist, nil)
		want(t, "history", res, body, 200, "Revision 2 av handlingsplanen är sparad.", "Reviderad efter remissen", "Inga åtgärder ändrade sedan föregående revision.")
	})
}

func TestCommentAPI(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newCmSent(t, d)
		s := newSite(t, e.env)
		base := "/implementations/" + itoa(e.m.ID)

		var revs struct{ Items []implement.Revision }
		if st := s.api(t, "lead", http.MethodGet, base+"/revisions", nil, &revs); st != 200 || len(revs.Items) != 1 || len(revs.Items[0].Diff.Added) != 2 {
			t.Fatalf("list revisions: %d %+v", st, revs)
		}
		if st := s.api(t, "unit", http.MethodGet, base+"/revisions", nil, nil); st != 403 {
			t.Errorf("unit lists revisions: %d, want 403", st)
		}
		m := e.cmFresh(t)
		var rev implement.Revision
		if st := s.api(t, "lead", http.MethodPost, base+"/revisions", map[string]any{"note": "API", "version": m.Version}, &rev); st != 201 || rev.Number != 2 {
			t.Fatalf("create revision: %d %+v", st, rev)
		}
		if st := s.api(t, "lead", http.MethodPost, base+"/revisions", map[string]any{"note": "API", "version": m.Version}, nil); st != 409 {
			t.Errorf("stale revision: %d, want 409", st)
		}

		var problem map[string]any
		if st := s.api(t, "lead", http.MethodPost, base+"/comment-rounds", map[string]any{"deadline": "2026-09-30"}, &problem); st != 422 ||
			!strings.Contains(jsonOf(t, problem), "body.recipients") {
			t.Errorf("round without recipients: %d %v", st, problem)
		}
		var rd implement.CommentRound
		if st := s.api(t, "lead", http.MethodPost, base+"/comment-rounds", map[string]any{"deadline": "2026-09-30", "unit_ids": []int64{e.unitA},
			"municipalities": []string{e.muniB}}, &rd); st != 201 || rd.Revision != 2 || len(rd.Recipients) != 2 {
			t.Fatalf("create round: %d %+v", st, rd)
		}
		var rounds struct{ Items []implement.CommentRound }
		if st := s.api(t, "lead", http.MethodGet, base+"/comment-rounds", nil, &rounds); st != 200 || len(rounds.Items) != 2 {
			t.Errorf("list rounds: %d %+v", st, rounds)
		}
		if st := s.api(t, "lead", http.MethodGet, "/implementations/999999/comment-rounds/"+itoa(rd.ID), nil, nil); st != 404 {
			t.Errorf("round of another implementation: %d, want 404", st)
		}

		muniB := cmRecipient(t, rd, 0, e.muniB)
		var c implement.PlanComment
		if st := s.api(t, "kommunB", http.MethodPost, "/plan-comments", map[string]any{"recipient_id": muniB.ID, "body": "Bra plan"}, &c); st != 201 || c.Author != "Kai Kommun" {
			t.Fatalf("kommun comments: %d %+v", st, c)
		}
		if st := s.api(t, "unit", http.MethodPost, "/plan-comments", map[string]any{"recipient_id": muniB.ID, "body": "Fel"}, nil); st != 404 {
			t.Errorf("unit comments for a municipality: %d, want 404", st)
		}
		answer := base + "/comments/" + itoa(c.ID) + "/answer"
		var a implement.PlanComment
		if st := s.api(t, "lead", http.MethodPut, answer, map[string]any{"answer": "Tack", "version": c.Version}, &a); st != 200 || a.Answer != "Tack" {
			t.Fatalf("answer: %d %+v", st, a)
		}
		if st := s.api(t, "lead", http.MethodPut, answer, map[string]any{"answer": "Igen", "version": c.Version}, nil); st != 409 {
			t.Errorf("stale answer: %d, want 409", st)
		}
		if st := s.api(t, "lead", http.MethodPut, "/implementations/999999/comments/"+itoa(c.ID)+"/answer", map[string]any{"answer": "X", "version": a.Version}, nil); st != 404 {
			t.Errorf("answer under another implementation: %d, want 404", st)
		}
		var got implement.CommentRound
		if st := s.api(t, "lead", http.MethodGet, base+"/comment-rounds/"+itoa(rd.ID), nil, &got); st != 200 || cmRecipient(t, got, 0, e.muniB).Comments[0].Answer != "Tack" {
			t.Errorf("get round: %d %+v", st, got)
		}
		var closed implement.CommentRound
		if st := s.api(t, "lead", http.MethodPost, base+"/comment-rounds/"+itoa(rd.ID)+"/close", map[string]any{"version": got.Version}, &closed); st != 200 || !closed.Closed() {
			t.Errorf("close: %d %+v", st, closed)
		}
		if st := s.api(t, "kommunB", http.MethodPost, "/plan-comments", map[string]any{"recipient_id": muniB.ID, "body": "Sent"}, nil); st != 422 {
			t.Errorf("comment on a closed round: %d, want 422", st)
		}
	})
}
