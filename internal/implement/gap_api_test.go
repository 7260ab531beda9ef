package implement_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

func TestGapAPI_SaveReadAndList(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSite(t, e)
		m := e.started(t)
		base := "/implementations/" + itoa(m.ID) + "/gaps"
		rec := base + "/" + itoa(e.recs[0])
		body := func(size string, crowding bool, answers map[string]string, units []int64, version int64) string {
			return jsonOf(t, map[string]any{"gap": size, "crowding_out": crowding, "answers": answers, "unit_ids": units, "version": version})
		}

		for _, tc := range []struct {
			name   string
			user   string
			path   string
			body   string
			status int
			fields []string
		}{
			{"large without the deeper analysis", "lead", rec, body("large", false, gpBasic(), nil, 0), http.StatusUnprocessableEntity,
				[]string{"body.answers.decided_by", "body.answers.displaced", "body.answers.resources_needed", "body.answers.risk_assessment"}},
			{"unknown question", "lead", rec, body("small", false, map[string]string{"colour": "blå"}, nil, 0), http.StatusUnprocessableEntity,
				[]string{"body.answers", "body.answers.current_practice", "body.answers.desired_practice"}},
			{"missing unit", "lead", rec, body("small", false, gpBasic(), []int64{999999}, 0), http.StatusUnprocessableEntity, []string{"body.unit_ids"}},
			{"other support's recommendation", "lead", base + "/" + itoa(e.otherRec), body("small", false, gpBasic(), nil, 0), http.StatusUnprocessableEntity, []string{"path.rec"}},
			{"unknown size", "lead", rec, `{"gap": "huge", "version": 0}`, http.StatusBadRequest, nil},
			{"ledning reads only", "chief", rec, body("small", false, gpBasic(), nil, 0), http.StatusForbidden, nil},
			{"a unit's contact", "unit", rec, body("small", false, gpBasic(), nil, 0), http.StatusForbidden, nil},
			{"anonymous", "", rec, body("small", false, gpBasic(), nil, 0), http.StatusUnauthorized, nil},
			{"first save", "lead", rec, body("large", false, gpDeeper(), []int64{e.unitA}, 0), http.StatusOK, nil},
			{"a second first save", "coordinator", rec, body("small", false, gpBasic(), nil, 0), http.StatusConflict, nil},
			{"stale version", "coordinator", rec, body("small", false, gpBasic(), nil, 7), http.StatusConflict, nil},
			{"second save", "coordinator", rec, body("small", true, gpDeeper(), nil, 1), http.StatusOK, nil},
		} {
			status, p := s.call(t, tc.user, http.MethodPut, tc.path, tc.body)
			if status != tc.status {
				t.Errorf("%s: %d, want %d: %v", tc.name, status, tc.status, p)
				continue
			}
			if tc.fields != nil {
				if got := problemLocations(p); !slices.Equal(got, tc.fields) {
					t.Errorf("%s: fields %v, want %v", tc.name, got, tc.fields)
				}
			}
		}

		status, g := s.call(t, "auditor", http.MethodGet, rec, "")
		if status != http.StatusOK {
			t.Fatalf("get: %d", status)
		}
		gap := g["gap"].(map[string]any)
		if gap["gap"] != "small" || gap["crowding_out"] != true || gap["version"] != 2.0 || gap["updated_by"] != "samordnare" {
			t.Errorf("gap %v", gap)
		}
		if g["template"].(map[string]any)["id"] != float64(m.TemplateID) || g["rights"].(map[string]any)["edit"] != false {
			t.Errorf("template or rights %v %v", g["template"], g["rights"])
		}
		if status, _ := s.call(t, "unit", http.MethodGet, rec, ""); status != http.StatusForbidden {
			t.Errorf("get as a unit's contact: %d", status)
		}

		status, list := s.call(t, "lead", http.MethodGet, base, "")
		if status != http.StatusOK {
			t.Fatalf("list: %d", status)
		}
		items := list["items"].([]any)
		var codes []string
		saved := 0
		for _, it := range items {
			m := it.(map[string]any)
			codes = append(codes, m["code"].(string))
			if m["gap"] != nil {
				saved++
			}
		}
		if !slices.Equal(codes, []string{"R1", "R2", "R3"}) || saved != 1 {
			t.Errorf("list codes %v, %d saved", codes, saved)
		}
		if p := list["profile"].(map[string]any); p["small"] != 1.0 || p["not_judged"] != 2.0 || p["crowding_out"] != 1.0 {
			t.Errorf("profile %v", p)
		}
	})
}

func TestGapAPI_Templates(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSite(t, e)
		m := e.started(t)
		status, list := s.call(t, "auditor", http.MethodGet, "/gap-templates", "")
		if status != http.StatusOK || len(list["items"].([]any)) != 1 {
			t.Fatalf("list: %d %v", status, list)
		}
		if status, _ := s.call(t, "unit", http.MethodGet, "/gap-templates", ""); status != http.StatusForbidden {
			t.Errorf("list as a unit's contact: %d", status)
		}
		questions := []map[string]any{{"key": "today", "level": "basic", "label": "Hur är det i dag?", "required": true}}
		create := jsonOf(t, map[string]any{"title": "Kort modell", "questions": questions})
		if status, _ := s.call(t, "lead", http.MethodPost, "/gap-templates", create); status != http.StatusForbidden {
			t.Errorf("create as the lead: %d", status)
		}
		bad := jsonOf(t, map[string]any{"title": "Kort", "questions": []map[string]any{{"key": "Today", "level": "deeper", "label": "X"}}})
		status, p := s.call(t, "coordinator", http.MethodPost, "/gap-templates", bad)
		if status != http.StatusUnprocessableEntity || !slices.Equal(problemLocations(p), []string{"body.questions", "body.questions.0.key"}) {
			t.Errorf("bad template: %d %v", status, problemLocations(p))
		}
		status, draft := s.call(t, "coordinator", http.MethodPost, "/gap-templates", create)
		if status != http.StatusCreated || draft["number"] != 2.0 || draft["published_on"] != nil {
			t.Fatalf("create: %d %v", status, draft)
		}
		tid := "/gap-templates/" + itoa(int64(draft["id"].(float64)))
		status, p = s.call(t, "coordinator", http.MethodPost, "/gap-templates/"+itoa(m.TemplateID)+"/new-version", "")
		if status != http.StatusUnprocessableEntity || !slices.Equal(problemLocations(p), []string{"body.template"}) {
			t.Errorf("second draft: %d %v", status, problemLocations(p))
		}
		update := jsonOf(t, map[string]any{"title": "Kortare modell", "questions": questions, "version": 1})
		if status, _ := s.call(t, "coordinator", http.MethodPut, tid, update); status != http.StatusOK {
			t.Errorf("update: %d", status)
		}
		if status, _ := s.call(t, "coordinator", http.MethodPut, tid, update); status != http.StatusConflict {
			t.Errorf("stale update: %d", status)
		}
		if status, _ := s.call(t, "coordinator", http.MethodPost, tid+"/publish", `{"version": 2}`); status != http.StatusOK {
			t.Errorf("publish: %d", status)
		}
		if status, _ := s.call(t, "coordinator", http.MethodPut, tid, jsonOf(t, map[string]any{"title": "X", "questions": questions, "version": 3})); status != http.StatusConflict {
			t.Errorf("update published: %d", status)
		}
		if status, _ := s.call(t, "coordinator", http.MethodDelete, tid+"?version=3", ""); status != http.StatusConflict {
			t.Errorf("delete published: %d", status)
		}
		status, v3 := s.call(t, "coordinator", http.MethodPost, tid+"/new-version", "")
		if status != http.StatusCreated || v3["number"] != 3.0 || v3["title"] != "Kortare modell" {
			t.Fatalf("new version: %d %v", status, v3)
		}
		if status, _ := s.call(t, "coordinator", http.MethodDelete, "/gap-templates/"+itoa(int64(v3["id"].(float64)))+"?version=1", ""); status != http.StatusNoContent {
			t.Errorf("delete draft: %d", status)
		}
		if status, got := s.call(t, "chief", http.MethodGet, tid, ""); status != http.StatusOK || got["published_by"] != "samordnare" {
			t.Errorf("get: %d %v", status, got)
		}

		use := jsonOf(t, map[string]any{"template_id": draft["id"], "version": m.Version})
		if status, _ := s.call(t, "lead", http.MethodPut, "/implementations/"+itoa(m.ID)+"/template", use); status != http.StatusForbidden {
			t.Errorf("use as the lead: %d", status)
		}
		status, moved := s.call(t, "coordinator", http.MethodPut, "/implementations/"+itoa(m.ID)+"/template", use)
		if status != http.StatusOK || moved["template_id"] != draft["id"] {
			t.Errorf("use: %d %v", status, moved)
		}
		if status, _ := s.call(t, "coordinator", http.MethodPut, "/implementations/"+itoa(m.ID)+"/template", use); status != http.StatusConflict {
			t.Errorf("stale use: %d", status)
		}
	})
}
