package implement_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

func TestPlanPages_ByRole(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		s := newSite(t, e)
		base := "/inforande/" + strconv.FormatInt(m.ID, 10)
		tests := []struct {
			who, method, path string
			status            int
		}{
			{"lead", http.MethodGet, base + "/handlingsplan", http.StatusOK},
			{"chief", http.MethodGet, base + "/handlingsplan", http.StatusOK},
			{"auditor", http.MethodGet, base + "/kommunikation", http.StatusOK},
			{"outsider", http.MethodGet, base + "/checklista", http.StatusOK},
			{"unit", http.MethodGet, base + "/handlingsplan", http.StatusForbidden},
			{"unit", http.MethodGet, base + "/checklista", http.StatusForbidden},
			{"outsider", http.MethodPost, base + "/atgarder/ny", http.StatusForbidden},
			{"outsider", http.MethodPost, base + "/kommunikation/ny", http.StatusForbidden},
			{"outsider", http.MethodPost, base + "/checklista", http.StatusForbidden},
			{"outsider", http.MethodGet, base + "/atgarder/ny", http.StatusForbidden},
			{"chief", http.MethodPost, base + "/atgarder/ny", http.StatusForbidden},
			{"chief", http.MethodPost, base + "/infort", http.StatusForbidden},
			{"chief", http.MethodGet, "/inforande/checklista", http.StatusOK},
			{"chief", http.MethodPost, "/inforande/checklista", http.StatusForbidden},
			{"unit", http.MethodGet, "/inforande/checklista", http.StatusForbidden},
			{"coordinator", http.MethodGet, "/inforande/checklista", http.StatusOK},
		}
		for _, tt := range tests {
			t.Run(tt.who+" "+tt.method+" "+tt.path, func(t *testing.T) {
				var form url.Values
				if tt.method == http.MethodPost {
					form = url.Values{"title": {"X"}, "label": {"X"}, "version": {strconv.FormatInt(m.Version, 10)}}
				}
				res, body := s.send(t, tt.who, tt.method, tt.path, form)
				want(t, tt.path, res, body, tt.status)
			})
		}
		// Ledning reads without the edit links.
		res, body := s.get(t, "chief", base+"/handlingsplan")
		want(t, "ledning's plan", res, body, http.StatusOK, "!"+base+"/atgarder/ny")
	})
}

var planVersionField = regexp.MustCompile(`name="version" value="(\d+)"`)

func TestPlanPages_ActionPlanFlow(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		gap := e.planGap(t, m, e.recs[1], implement.GapModerate)
		s := newSite(t, e)
		base := "/inforande/" + strconv.FormatInt(m.ID, 10)

		res, body := s.get(t, "lead", base+"/atgarder/ny")
		want(t, "new action", res, body, http.StatusOK, "R2", "Använd gemensam checklista", `name="gap_ids"`)
		form := url.Values{"title": {"Utbilda sjuksköterskor"}, "start": {"2026-09-10"}, "due": {"2026-09-01"}, "status": {"planned"},
			"effort_hours": {"20"}, "responsible_id": {strconv.FormatInt(e.lead, 10)}, "gap_ids": {strconv.FormatInt(gap, 10)}}
		res, body = s.post(t, "lead", base+"/atgarder/ny", form)
		want(t, "due before start", res, body, http.StatusUnprocessableEntity, "Klart senast kan inte vara före start", `href="#f-due"`, "Utbilda sjuksköterskor")
		form.Set("due", "2026-09-20")
		res, body = s.post(t, "lead", base+"/atgarder/ny", form)
		want(t, "create", res, body, http.StatusSeeOther)
		ms := form
		ms = url.Values{"title": {"Rutin beslutad"}, "start": {"2026-11-01"}, "due": {"2026-11-01"}, "status": {"planned"}, "milestone": {"1"}}
		res, body = s.post(t, "lead", base+"/atgarder/ny", ms)
		want(t, "milestone", res, body, http.StatusSeeOther)

		// A month later the first action is overdue: marked in words.
		e.clock.set(time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC))
		res, body = s.get(t, "lead", base+"/handlingsplan")
		want(t, "plan", res, body, http.StatusOK, "Utbilda sjuksköterskor", "R2 (måttligt gap)", "Försenad", "Milstolpe", "Lena Lead",
			"Tidslinje 2026", "0 % klart", "1 åtgärd är försenad")
		res, body = s.get(t, "lead", base+"/handlingsplan?forsenade=1")
		want(t, "overdue only", res, body, http.StatusOK, "Utbilda sjuksköterskor", "!Rutin beslutad</a>")
		res, body = s.get(t, "lead", base+"/handlingsplan.csv?status=planned")
		want(t, "csv", res, body, http.StatusOK, "Utbilda sjuksköterskor", "Rutin beslutad")
		res, _ = s.get(t, "chief", base+"/handlingsplan.xlsx")
		want(t, "xlsx", res, "", http.StatusOK)

		// Two people edit the same action: the second gets the conflict page.
		acts := must(e.svc.Actions(e.leadCtx, m.ID))(t)
		a := acts[0]
		path := base + "/atgarder/" + strconv.FormatInt(a.ID, 10)
		res, body = s.get(t, "lead", path)
		want(t, "edit", res, body, http.StatusOK, "Utbilda sjuksköterskor")
		version := planVersionField.FindStringSubmatch(body)[1]
		form.Set("version", version)
		form.Set("status", "done")
		form.Set("done_on", "2026-10-01")
		res, body = s.post(t, "coordinator", path, form)
		want(t, "coordinator saves", res, body, http.StatusSeeOther)
		form.Set("title", "Utbilda alla")
		form.Del("done_on")
		form.Set("status", "started")
		res, body = s.post(t, "lead", path, form)
		want(t, "stale", res, body, http.StatusConflict, "Åtgärden har ändrats av någon annan", "Klar", "Utbilda alla")
		res, body = s.get(t, "lead", base+"/handlingsplan")
		want(t, "progress", res, body, http.StatusOK, "100 % klart", "!1 åtgärd är försenad")

		// Delete by version.
		res, body = s.get(t, "lead", path+"/ta-bort")
		want(t, "confirm delete", res, body, http.StatusOK)
		res, body = s.post(t, "lead", path+"/ta-bort", url.Values{"version": {version}})
		want(t, "stale delete", res, body, http.StatusConflict)
		version = planVersionField.FindStringSubmatch(body)[1]
		res, body = s.post(t, "lead", path+"/ta-bort", url.Values{"version": {version}})
		want(t, "delete", res, body, http.StatusSeeOther)
	})
}

func TestPlanPages_CommunicationAndChecklist(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		s := newSite(t, e)
		base := "/inforande/" + strconv.FormatInt(m.ID, 10)

		res, body := s.post(t, "lead", base+"/kommunikation/ny", url.Values{"target_group": {"Läkare"}, "message": {""}, "channel": {"email"}, "planned_on": {"2026-10-01"}})
		want(t, "comm error", res, body, http.StatusUnprocessableEntity, `href="#f-message"`)
		res, body = s.post(t, "lead", base+"/kommunikation/ny", url.Values{"target_group": {"Läkare"}, "message": {"Nytt vårdförlopp"},
			"channel": {"workplace_meeting"}, "planned_on": {"2026-10-01"}})
		want(t, "comm", res, body, http.StatusSeeOther)
		res, body = s.get(t, "auditor", base+"/kommunikation")
		want(t, "comm list", res, body, http.StatusOK, "Läkare", "Arbetsplatsträff", "Inte genomförd", "!/kommunikation/ny")

		items := must(e.svc.Checklist(e.leadCtx, m.ID))(t)
		caseID := insert(t, d, `INSERT INTO cases (number, title, kind, status, registered_on, created_at, updated_at)
			VALUES ('2026-017', 'Förankring i ledningsgrupp', 'other', 'open', '2026-08-01', ?, ?) RETURNING id`, start, start)
		it := items[1]
		ipath := base + "/checklista/" + strconv.FormatInt(it.ID, 10)
		v := strconv.FormatInt(it.Version, 10)
		res, body = s.get(t, "lead", base+"/checklista")
		want(t, "checklist", res, body, http.StatusOK, it.Label, "2026-017 Förankring i ledningsgrupp", "0 av 6 obligatoriska", "!Undanta punkten")
		res, body = s.post(t, "lead", ipath, url.Values{"version": {v}, "state": {"done"}, "note": {"Beslut 3 sep"}, "case_id": {strconv.FormatInt(caseID, 10)}})
		want(t, "done", res, body, http.StatusSeeOther)
		res, body = s.get(t, "lead", base+"/checklista")
		want(t, "checklist done", res, body, http.StatusOK, fmt.Sprintf(`href="/arenden/%d"`, caseID), "Beslut 3 sep", "1 av 6 obligatoriska")
		res, body = s.post(t, "lead", ipath, url.Values{"version": {v}, "state": {"open"}})
		want(t, "stale item", res, body, http.StatusConflict, "Någon annan har ändrat punkten")

		w := items[2]
		wpath := base + "/checklista/" + strconv.FormatInt(w.ID, 10)
		wv := strconv.FormatInt(w.Version, 10)
		res, body = s.post(t, "lead", wpath, url.Values{"version": {wv}, "op": {"waive"}, "waive_reason": {"Inte aktuellt"}})
		want(t, "lead waives", res, body, http.StatusForbidden)
		res, body = s.post(t, "coordinator", wpath, url.Values{"version": {wv}, "op": {"waive"}, "waive_reason": {""}})
		want(t, "waive without reason", res, body, http.StatusUnprocessableEntity, fmt.Sprintf(`href="#f-waive_reason-%d"`, w.ID))
		res, body = s.post(t, "coordinator", wpath, url.Values{"version": {wv}, "op": {"waive"}, "waive_reason": {"Rutinen finns redan"}})
		want(t, "waive", res, body, http.StatusSeeOther)

		// Mark introduced: refused while items are open, listing them.
		res, body = s.get(t, "lead", base+"/infort")
		want(t, "introduce page", res, body, http.StatusOK, "4 obligatoriska punkter återstår", items[3].Label)
		mv := strconv.FormatInt(m.Version, 10)
		res, body = s.post(t, "lead", base+"/infort", url.Values{"version": {mv}, "on": {"2026-09-01"}})
		want(t, "not ready", res, body, http.StatusUnprocessableEntity, "obligatoriska punkter i checklistan är inte klara", items[3].Label)
		e.planSettle(t, m)
		res, body = s.post(t, "lead", base+"/infort", url.Values{"version": {mv}, "on": {"2026-09-01"}})
		want(t, "introduced", res, body, http.StatusSeeOther)
		sp := must(e.catalog.Support(e.coordinator, e.support))(t)
		if sp.Status != catalog.Introduced {
			t.Fatalf("support %s", sp.Status)
		}
		res, body = s.get(t, "lead", base+"/checklista")
		want(t, "locked", res, body, http.StatusOK, "Arbetsytan är låst", "!Markera som klar")
		res, body = s.post(t, "lead", base+"/kommunikation/ny", url.Values{"target_group": {"X"}})
		want(t, "locked post", res, body, http.StatusConflict)
	})
}

func TestPlanPages_ChecklistModel(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSite(t, e)
		res, body := s.get(t, "coordinator", "/inforande/checklista")
		want(t, "model", res, body, http.StatusOK, "Ny punkt 9", `name="items.0.label"`)
		ms := must(e.svc.ChecklistModel(e.coordinator))(t)
		form := url.Values{}
		for i, m := range ms {
			p := "items." + strconv.Itoa(i) + "."
			form.Set(p+"id", strconv.FormatInt(m.ID, 10))
			form.Set(p+"version", strconv.FormatInt(m.Version, 10))
			form.Set(p+"label", m.Label)
			form.Set(p+"position", strconv.Itoa(m.Position))
		}
		form.Set("items.0.label", "")
		form.Set("items.8.label", "Egen regional punkt")
		form.Set("items.8.position", "20")
		form.Set("items.8.required", "1")
		res, body = s.post(t, "coordinator", "/inforande/checklista", form)
		want(t, "model error", res, body, http.StatusUnprocessableEntity, `href="#f-items.0.label"`)
		form.Set("items.0.label", "Underlag klart")
		res, body = s.post(t, "coordinator", "/inforande/checklista", form)
		want(t, "model saved", res, body, http.StatusSeeOther)
		res, body = s.get(t, "chief", "/inforande/checklista")
		want(t, "model read", res, body, http.StatusOK, "Underlag klart", "Egen regional punkt", `!name="items.0.label"`)
		res, body = s.post(t, "coordinator", "/inforande/checklista", form)
		want(t, "model stale", res, body, http.StatusConflict, "Någon annan har ändrat checklistan")
	})
}

func TestPlanAPI(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		gap := e.planGap(t, m, e.recs[0], implement.GapSmall)
		other := must(e.svc.StartImplementation(e.coordinator, implement.Start{SupportID: e.other}))(t)
		foreign := e.planGap(t, other, e.otherRec, implement.GapLarge)
		s := newSite(t, e)
		base := "/api/v1/implementations/" + strconv.FormatInt(m.ID, 10)
		call := func(who, method, path, body string, status int, texts ...string) string {
			t.Helper()
			res, b := s.request(t, who, method, path, "application/json", strings.NewReader(body))
			want(t, method+" "+path, res, b, status, texts...)
			return b
		}
		call("lead", http.MethodPost, base+"/actions", `{"title":"A","start":"2026-09-10","due":"2026-09-01","status":"planned"}`, http.StatusUnprocessableEntity, "body.due")
		call("lead", http.MethodPost, base+"/actions", fmt.Sprintf(`{"title":"A","start":"2026-09-01","due":"2026-09-10","status":"planned","gap_ids":[%d]}`, foreign),
			http.StatusUnprocessableEntity, "body.gap_ids")
		call("outsider", http.MethodPost, base+"/actions", `{"title":"A","start":"2026-09-01","due":"2026-09-10","status":"planned"}`, http.StatusForbidden)
		b := call("lead", http.MethodPost, base+"/actions", fmt.Sprintf(`{"title":"A","start":"2026-09-01","due":"2026-09-10","status":"planned","effort_hours":5,"gap_ids":[%d]}`, gap), http.StatusOK)
		var a implement.Action
		if err := json.Unmarshal([]byte(b), &a); err != nil || a.ID == 0 {
			t.Fatalf("action %s: %v", b, err)
		}
		ap := base + "/actions/" + strconv.FormatInt(a.ID, 10)
		call("lead", http.MethodPut, ap, `{"title":"B","start":"2026-09-01","due":"2026-09-10","status":"started","version":99}`, http.StatusConflict)
		call("lead", http.MethodPut, ap, fmt.Sprintf(`{"title":"B","start":"2026-09-01","due":"2026-09-10","status":"started","version":%d}`, a.Version), http.StatusOK, `"title":"B"`)
		call("chief", http.MethodGet, base+"/actions", "", http.StatusOK, `"percent":0`, `"title":"B"`)
		call("unit", http.MethodGet, base+"/actions", "", http.StatusForbidden)
		call("lead", http.MethodDelete, ap+"?version=1", "", http.StatusConflict)

		call("lead", http.MethodPost, base+"/communications", `{"target_group":"Läkare","message":"M","channel":"fax","planned_on":"2026-10-01"}`, http.StatusBadRequest, "body.channel")
		call("lead", http.MethodPost, base+"/communications", `{"target_group":"Läkare","message":"M","channel":"email","planned_on":"2026-10-01"}`, http.StatusOK)
		call("auditor", http.MethodGet, base+"/communications", "", http.StatusOK, "Läkare")

		b = call("lead", http.MethodGet, base+"/checklist", "", http.StatusOK, `"ready":false`)
		var cl struct {
			Items []implement.ChecklistItem `json:"items"`
		}
		if err := json.Unmarshal([]byte(b), &cl); err != nil || len(cl.Items) == 0 {
			t.Fatalf("checklist %s: %v", b, err)
		}
		it := cl.Items[0]
		ip := base + "/checklist/" + strconv.FormatInt(it.ID, 10)
		call("lead", http.MethodPut, ip, fmt.Sprintf(`{"state":"done","note":"N","version":%d}`, it.Version), http.StatusOK, `"state":"done"`)
		call("lead", http.MethodPost, ip+"/waive", `{"reason":"R","version":2}`, http.StatusForbidden)
		call("coordinator", http.MethodPost, ip+"/waive", `{"reason":"","version":2}`, http.StatusUnprocessableEntity, "body.reason")
		call("lead", http.MethodPost, base+"/checklist", `{"label":"Egen","required":false}`, http.StatusOK, `"label":"Egen"`)
		call("lead", http.MethodPost, base+"/introduce", fmt.Sprintf(`{"version":%d}`, m.Version), http.StatusUnprocessableEntity, "body.checklist")
		e.planSettle(t, m)
		call("lead", http.MethodPost, base+"/introduce", fmt.Sprintf(`{"version":%d,"on":"2026-09-02"}`, m.Version), http.StatusOK, `"introduced_on":"2026-09-02"`)

		call("chief", http.MethodGet, "/api/v1/checklist-model", "", http.StatusOK, "decision_basis")
		call("chief", http.MethodPut, "/api/v1/checklist-model", `{"items":[]}`, http.StatusForbidden)
		b = call("coordinator", http.MethodPut, "/api/v1/checklist-model", `{"items":[{"label":"Ny punkt","required":true,"position":30}]}`, http.StatusOK, "Ny punkt")
		if !strings.Contains(b, `"key":"ny_punkt"`) {
			t.Errorf("model %s", b)
		}
	})
}
