package implement_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

func TestSurveyPages_ByRole(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newSurveyEnv(t, d)
		s := newSite(t, e.env)
		first := e.sent(t)
		m, v := itoa(e.m.ID), itoa(first.ID)
		ra := itoa(recipient(t, first, e.unitA).ID)
		list, page, newForm := "/inforande/"+m+"/enkater", "/inforande/"+m+"/enkater/"+v, "/inforande/"+m+"/enkater/ny"
		answer, mine := "/enkatsvar/"+ra, "/inforande/min-enhet"
		for _, tc := range []struct {
			user string
			path string
			want int
			see  string
		}{
			{"lead", list, http.StatusOK, "Nuläge"},
			{"lead", newForm, http.StatusOK, "Hälsocentral Beta"},
			{"lead", page, http.StatusOK, "Påminn nu"},
			{"lead", answer, http.StatusOK, "Du svarar för Hälsocentral Alfas räkning."},
			{"coordinator", page, http.StatusOK, "Stäng enkäten"},
			{"chief", list, http.StatusOK, "Nuläge"},
			{"chief", page, http.StatusOK, "Sammanställning per rekommendation"},
			{"chief", newForm, http.StatusForbidden, ""},
			{"chief", answer, http.StatusNotFound, ""},
			{"outsider", list, http.StatusOK, "Nuläge"},
			{"outsider", newForm, http.StatusForbidden, ""},
			{"unit", list, http.StatusForbidden, ""},
			{"unit", answer, http.StatusOK, "Erbjud strukturerad uppföljning"},
			{"unit", mine, http.StatusOK, "Att besvara"},
			{"unitB", answer, http.StatusNotFound, ""},
			{"unitB", mine, http.StatusOK, "Hälsocentral Beta"},
			{"outsider", mine, http.StatusOK, "inte kopplat till en enhet"},
		} {
			c := tc.user
			res, body := s.send(t, c, http.MethodGet, tc.path, nil)
			if res.StatusCode != tc.want {
				t.Errorf("%s %s: status %d, want %d", tc.user, tc.path, res.StatusCode, tc.want)
				continue
			}
			if tc.see != "" && !strings.Contains(body, tc.see) {
				t.Errorf("%s %s does not show %q", tc.user, tc.path, tc.see)
			}
			if tc.path == mine && tc.user == "unitB" && strings.Contains(body, "Hälsocentral Alfa") {
				t.Errorf("Bertil sees unit A on his unit's page")
			}
		}
	})
}

func TestSurveyPages_CreateSendAnswerRemindClose(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newSurveyEnv(t, d)
		s := newSite(t, e.env)
		first := e.sent(t)
		m := itoa(e.m.ID)
		// Invalid: no title, no recommendation, no unit.
		res, body := s.send(t, "lead", http.MethodPost, "/inforande/"+m+"/enkater/ny", url.Values{"title": {""}, "deadline": {"2026-09-20"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Välj minst en rekommendation.") || !strings.Contains(body, "Välj minst en enhet.") {
			t.Fatalf("invalid create: %d\n%s", res.StatusCode, body)
		}
		form := url.Values{"title": {"Andra enkäten"}, "deadline": {"2026-09-20"}, "recommendation": {itoa(e.recs[2])},
			"unit": {itoa(e.unitA)}, "contact." + itoa(e.unitA): {""}}
		res, _ = s.send(t, "lead", http.MethodPost, "/inforande/"+m+"/enkater/ny", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d", res.StatusCode)
		}
		loc := res.Header.Get("Location")
		sid, _ := strconv.ParseInt(loc[strings.LastIndex(loc, "/")+1:], 10, 64)
		sv := must(e.svc.Survey(e.leadCtx, e.m.ID, sid))(t)
		// A stale edit shows the conflict.
		form.Set("version", itoa(sv.Survey.Version))
		form.Set("title", "Andra enkäten, ny rubrik")
		res, _ = s.send(t, "lead", http.MethodPost, loc+"/redigera", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d", res.StatusCode)
		}
		res, body = s.send(t, "lead", http.MethodPost, loc+"/redigera", form)
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "Andra enkäten, ny rubrik") {
			t.Errorf("stale edit: %d", res.StatusCode)
		}
		sv = must(e.svc.Survey(e.leadCtx, e.m.ID, sid))(t)
		res, _ = s.send(t, "lead", http.MethodPost, loc+"/skicka", url.Values{"version": {itoa(sv.Survey.Version)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("send: %d", res.StatusCode)
		}
		ra := recipient(t, must(e.svc.Survey(e.leadCtx, e.m.ID, sid))(t).Survey, e.unitA)
		// Agnes answers without choosing: field problem; then answers.
		agnes := "unit"
		path := "/enkatsvar/" + itoa(ra.ID)
		field := "answer." + itoa(e.recs[2])
		res, body = s.send(t, agnes, http.MethodPost, path, url.Values{"version": {itoa(ra.Version)}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#f-`+field+`"`) {
			t.Errorf("empty answer: %d", res.StatusCode)
		}
		res, _ = s.send(t, agnes, http.MethodPost, path, url.Values{"version": {itoa(ra.Version)}, field: {"partly"}, "comment." + itoa(e.recs[2]): {"Vi remitterar inom 20 dagar."}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("answer: %d", res.StatusCode)
		}
		// The "lead", on the version read before, gets the conflict page with both.
		res, body = s.send(t, "lead", http.MethodPost, path, url.Values{"version": {itoa(ra.Version)}, field: {"no"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "Vi remitterar inom 20 dagar.") || !strings.Contains(body, `value="no" checked`) {
			t.Errorf("stale answer: %d\n%s", res.StatusCode, body)
		}
		_, body = s.send(t, "lead", http.MethodGet, loc, nil)
		if !strings.Contains(body, "1 (100 %)") || !strings.Contains(body, "Vi remitterar inom 20 dagar.") {
			t.Errorf("compilation not shown:\n%s", body)
		}
		res, _ = s.send(t, "lead", http.MethodPost, "/inforande/"+m+"/enkater/"+itoa(first.ID)+"/paminn", url.Values{})
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("remind: %d", res.StatusCode)
		}
		sv = must(e.svc.Survey(e.leadCtx, e.m.ID, sid))(t)
		res, _ = s.send(t, "lead", http.MethodPost, loc+"/stang", url.Values{"version": {itoa(sv.Survey.Version)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("close: %d", res.StatusCode)
		}
		_, body = s.send(t, agnes, http.MethodGet, path, nil)
		if !strings.Contains(body, "Enkäten är stängd.") || strings.Contains(body, `type="radio"`) {
			t.Errorf("closed answer page:\n%s", body)
		}
		// Only the working group sends, reminds and closes.
		chief := "chief"
		res, _ = s.send(t, chief, http.MethodPost, "/inforande/"+m+"/enkater/"+itoa(first.ID)+"/paminn", url.Values{})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("ledning reminds: %d", res.StatusCode)
		}
	})
}

func TestSurveyAPI(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newSurveyEnv(t, d)
		s := newSite(t, e.env)
		first := e.sent(t)
		base := "/implementations/" + itoa(e.m.ID) + "/surveys"
		var list struct {
			Items []implement.Survey `json:"items"`
		}
		if st := s.api(t, "lead", http.MethodGet, base, nil, &list); st != http.StatusOK || len(list.Items) != 1 {
			t.Fatalf("list: %d %+v", st, list)
		}
		var problem map[string]any
		if st := s.api(t, "lead", http.MethodPost, base, map[string]any{"title": "X", "deadline": "2026-09-20", "recommendation_ids": []int64{e.otherRec}}, &problem); st != http.StatusUnprocessableEntity ||
			!strings.Contains(jsonOf(t, problem), "body.recommendations") {
			t.Errorf("invalid create: %d %v", st, problem)
		}
		var created implement.Survey
		if st := s.api(t, "lead", http.MethodPost, base, map[string]any{"title": "API-enkät", "deadline": "2026-09-20", "recommendation_ids": []int64{e.recs[0]}}, &created); st != http.StatusCreated ||
			len(created.Recipients) != 2 || created.Status != implement.SurveyDraft {
			t.Fatalf("create: %d %+v", st, created)
		}
		var updated implement.Survey
		if st := s.api(t, "lead", http.MethodPut, base+"/"+itoa(created.ID), map[string]any{"title": "API-enkät 2", "deadline": "2026-09-21",
			"recommendation_ids": []int64{e.recs[0], e.recs[1]}, "units": []map[string]any{{"unit_id": e.unitB}}, "version": created.Version}, &updated); st != http.StatusOK ||
			updated.Title != "API-enkät 2" || len(updated.Recipients) != 1 {
			t.Fatalf("update: %d %+v", st, updated)
		}
		var sent implement.Survey
		if st := s.api(t, "lead", http.MethodPost, base+"/"+itoa(created.ID)+"/send", map[string]any{"version": created.Version}, &problem); st != http.StatusConflict {
			t.Errorf("stale send: %d", st)
		}
		if st := s.api(t, "lead", http.MethodPost, base+"/"+itoa(created.ID)+"/send", map[string]any{"version": updated.Version}, &sent); st != http.StatusOK || sent.Status != implement.SurveySent {
			t.Fatalf("send: %d %+v", st, sent)
		}
		rb := sent.Recipients[0]
		var form struct {
			Recipient implement.SurveyRecipient `json:"recipient"`
			Answers   []implement.SurveyAnswer  `json:"answers"`
		}
		if st := s.api(t, "unit", http.MethodGet, "/survey-answers/"+itoa(rb.ID), nil, &problem); st != http.StatusNotFound {
			t.Errorf("another unit's answer form: %d", st)
		}
		if st := s.api(t, "unitB", http.MethodPut, "/survey-answers/"+itoa(rb.ID), map[string]any{"version": rb.Version,
			"answers": []map[string]any{{"recommendation_id": e.recs[0], "compliance": "complies"}, {"recommendation_id": e.recs[1], "compliance": "no", "comment": "Saknas"}}}, &form); st != http.StatusOK ||
			len(form.Answers) != 2 || form.Recipient.AnsweredAt == nil {
			t.Fatalf("answer: %d %+v", st, form)
		}
		var view struct {
			Compilation []implement.Compilation `json:"compilation"`
		}
		if st := s.api(t, "lead", http.MethodGet, base+"/"+itoa(created.ID), nil, &view); st != http.StatusOK || len(view.Compilation) != 2 ||
			view.Compilation[0].Complies != 1 || view.Compilation[1].No != 1 || view.Compilation[1].Comments[0].Unit != "Hälsocentral Beta" {
			t.Errorf("compilation: %d %+v", st, view)
		}
		var reminded struct {
			Reminded int `json:"reminded"`
		}
		if st := s.api(t, "lead", http.MethodPost, base+"/"+itoa(first.ID)+"/remind", nil, &reminded); st != http.StatusOK || reminded.Reminded != 2 {
			t.Errorf("remind: %d %+v", st, reminded)
		}
		if st := s.api(t, "unit", http.MethodPost, base+"/"+itoa(first.ID)+"/remind", nil, &problem); st != http.StatusForbidden {
			t.Errorf("enhet reminds: %d", st)
		}
		if st := s.api(t, "lead", http.MethodPost, base+"/"+itoa(created.ID)+"/close", map[string]any{"version": sent.Version}, &sent); st != http.StatusOK || sent.Status != implement.SurveyClosed {
			t.Errorf("close: %d %+v", st, sent)
		}
	})
}
