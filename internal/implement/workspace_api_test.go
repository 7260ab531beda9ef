package implement_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

func TestAPI_Workspace(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSite(t, e)
		muni := e.wsMunicipality(t)

		// Start.
		status, body := s.call(t, "lead", "POST", "/implementations", map[string]any{"support_id": e.support})
		if status != http.StatusForbidden {
			t.Errorf("start as lead: %d %v", status, body)
		}
		status, body = s.call(t, "coordinator", "POST", "/implementations", map[string]any{"support_id": e.support, "sponsor_id": e.sponsor, "planned_end": "2027-06-30"})
		if status != http.StatusCreated || body["support_id"] != float64(e.support) || body["planned_end"] != "2027-06-30" {
			t.Fatalf("start: %d %v", status, body)
		}
		id := int64(body["id"].(float64))
		status, body = s.call(t, "coordinator", "POST", "/implementations", map[string]any{"support_id": e.support})
		if status != http.StatusUnprocessableEntity || !slices.Contains(problemLocations(body), "body.support_id") {
			t.Errorf("second start: %d %v", status, body)
		}

		// The overview.
		status, body = s.call(t, "chief", "GET", "/implementations", nil)
		items, _ := body["items"].([]any)
		if status != http.StatusOK || len(items) != 1 {
			t.Fatalf("overview: %d %v", status, body)
		}
		row := items[0].(map[string]any)
		if row["id"] != float64(id) || row["support_title"] != "Vårdförlopp Testsjukdom" || row["checklist_required"] != float64(6) ||
			row["person_dependent"] != true || row["gap_profile"].(map[string]any)["not_judged"] != float64(3) {
			t.Errorf("overview row %v", row)
		}
		if status, body = s.call(t, "chief", "GET", "/implementations?status=introduced", nil); status != http.StatusOK || len(body["items"].([]any)) != 0 {
			t.Errorf("introduced: %d %v", status, body)
		}
		if status, body = s.call(t, "chief", "GET", "/implementations?status=bogus", nil); status != http.StatusBadRequest || !slices.Contains(problemLocations(body), "query.status") {
			t.Errorf("bad status: %d %v", status, body)
		}
		if status, _ = s.call(t, "unit", "GET", "/implementations", nil); status != http.StatusForbidden {
			t.Errorf("overview as enhet: %d", status)
		}

		// The workspace.
		path := fmt.Sprintf("/implementations/%d", id)
		status, body = s.call(t, "auditor", "GET", path, nil)
		if status != http.StatusOK {
			t.Fatalf("workspace: %d %v", status, body)
		}
		if m := body["implementation"].(map[string]any); m["id"] != float64(id) || len(body["checklist"].([]any)) != 7 || body["actions"] == nil || body["communications"] == nil || len(body["recommendations"].([]any)) != 3 ||
			body["rights"].(map[string]any)["edit"] != false {
			t.Errorf("workspace %v", body)
		}
		if status, _ = s.call(t, "unit", "GET", path, nil); status != http.StatusForbidden {
			t.Errorf("workspace as enhet: %d", status)
		}
		if status, _ = s.call(t, "coordinator", "GET", "/implementations/999999", nil); status != http.StatusNotFound {
			t.Errorf("unknown workspace: %d", status)
		}

		// The working group.
		group := map[string]any{"sponsor_id": e.sponsor, "member_ids": []int64{e.outsider}, "municipalities": []string{muni}, "planned_end": "2027-08-31", "version": 1}
		if status, _ = s.call(t, "outsider", "PUT", path+"/working-group", group); status != http.StatusForbidden {
			t.Errorf("group as outsider: %d", status)
		}
		status, body = s.call(t, "lead", "PUT", path+"/working-group", group)
		if status != http.StatusOK || body["version"] != float64(2) || len(body["member_ids"].([]any)) != 1 {
			t.Fatalf("group: %d %v", status, body)
		}
		if status, body = s.call(t, "lead", "PUT", path+"/working-group", group); status != http.StatusConflict {
			t.Errorf("stale group: %d %v", status, body)
		}
		group["version"], group["municipalities"] = 2, []string{"0000"}
		if status, body = s.call(t, "lead", "PUT", path+"/working-group", group); status != http.StatusUnprocessableEntity || !slices.Contains(problemLocations(body), "body.municipalities") {
			t.Errorf("unknown municipality: %d %v", status, body)
		}

		// The tasks.
		status, body = s.call(t, "unit", "GET", "/implementation-tasks", nil)
		if _, ok := body["items"].([]any); status != http.StatusOK || !ok {
			t.Errorf("tasks: %d %v", status, body)
		}
	})
}
