package implement_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// wsProblemAt reports whether a problem body names location among its errors.
func wsProblemAt(body map[string]any, location string) bool {
	list, _ := body["errors"].([]any)
	for _, e := range list {
		if m, ok := e.(map[string]any); ok && m["location"] == location {
			return true
		}
	}
	return false
}

func TestAPI_Workspace(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newWsSite(t, d)
		muni := s.wsMunicipality(t)

		// Start.
		res, body := s.json(t, "lead", "POST", "/implementations", map[string]any{"support_id": s.support})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("start as lead: %d %v", res.StatusCode, body)
		}
		res, body = s.json(t, "coordinator", "POST", "/implementations", map[string]any{"support_id": s.support, "sponsor_id": s.sponsor, "planned_end": "2027-06-30"})
		if res.StatusCode != http.StatusCreated || body["support_id"] != float64(s.support) || body["planned_end"] != "2027-06-30" {
			t.Fatalf("start: %d %v", res.StatusCode, body)
		}
		id := int64(body["id"].(float64))
		res, body = s.json(t, "coordinator", "POST", "/implementations", map[string]any{"support_id": s.support})
		if res.StatusCode != http.StatusUnprocessableEntity || !wsProblemAt(body, "body.support_id") {
			t.Errorf("second start: %d %v", res.StatusCode, body)
		}

		// The overview.
		res, body = s.json(t, "chief", "GET", "/implementations", nil)
		items, _ := body["items"].([]any)
		if res.StatusCode != http.StatusOK || len(items) != 1 {
			t.Fatalf("overview: %d %v", res.StatusCode, body)
		}
		row := items[0].(map[string]any)
		if row["id"] != float64(id) || row["support_title"] != "Vårdförlopp Testsjukdom" || row["checklist_required"] != float64(6) ||
			row["person_dependent"] != true || row["gap_profile"].(map[string]any)["not_judged"] != float64(3) {
			t.Errorf("overview row %v", row)
		}
		if res, body = s.json(t, "chief", "GET", "/implementations?status=introduced", nil); res.StatusCode != http.StatusOK || len(body["items"].([]any)) != 0 {
			t.Errorf("introduced: %d %v", res.StatusCode, body)
		}
		if res, body = s.json(t, "chief", "GET", "/implementations?status=bogus", nil); res.StatusCode != http.StatusBadRequest || !wsProblemAt(body, "query.status") {
			t.Errorf("bad status: %d %v", res.StatusCode, body)
		}
		if res, _ = s.json(t, "unitA", "GET", "/implementations", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("overview as enhet: %d", res.StatusCode)
		}

		// The workspace.
		path := fmt.Sprintf("/implementations/%d", id)
		res, body = s.json(t, "auditor", "GET", path, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("workspace: %d %v", res.StatusCode, body)
		}
		if m := body["implementation"].(map[string]any); m["id"] != float64(id) || len(body["checklist"].([]any)) != 7 || body["actions"] == nil || body["communications"] == nil || len(body["recommendations"].([]any)) != 3 ||
			body["rights"].(map[string]any)["edit"] != false {
			t.Errorf("workspace %v", body)
		}
		if res, _ = s.json(t, "unitA", "GET", path, nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("workspace as enhet: %d", res.StatusCode)
		}
		if res, _ = s.json(t, "coordinator", "GET", "/implementations/999999", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown workspace: %d", res.StatusCode)
		}

		// The working group.
		group := map[string]any{"sponsor_id": s.sponsor, "member_ids": []int64{s.outsider}, "municipalities": []string{muni}, "planned_end": "2027-08-31", "version": 1}
		if res, _ = s.json(t, "outsider", "PUT", path+"/working-group", group); res.StatusCode != http.StatusForbidden {
			t.Errorf("group as outsider: %d", res.StatusCode)
		}
		res, body = s.json(t, "lead", "PUT", path+"/working-group", group)
		if res.StatusCode != http.StatusOK || body["version"] != float64(2) || len(body["member_ids"].([]any)) != 1 {
			t.Fatalf("group: %d %v", res.StatusCode, body)
		}
		if res, body = s.json(t, "lead", "PUT", path+"/working-group", group); res.StatusCode != http.StatusConflict {
			t.Errorf("stale group: %d %v", res.StatusCode, body)
		}
		group["version"], group["municipalities"] = 2, []string{"0000"}
		if res, body = s.json(t, "lead", "PUT", path+"/working-group", group); res.StatusCode != http.StatusUnprocessableEntity || !wsProblemAt(body, "body.municipalities") {
			t.Errorf("unknown municipality: %d %v", res.StatusCode, body)
		}

		// The tasks.
		res, body = s.json(t, "unitA", "GET", "/implementation-tasks", nil)
		if _, ok := body["items"].([]any); res.StatusCode != http.StatusOK || !ok {
			t.Errorf("tasks: %d %v", res.StatusCode, body)
		}
	})
}
