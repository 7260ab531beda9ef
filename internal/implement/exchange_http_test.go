package implement_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// upload posts file under name to the exchange page of implementation id.
func (s *site) upload(t testing.TB, who string, id int64, name string, file []byte) (*http.Response, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	part, _ := w.CreateFormFile("file", name)
	part.Write(file)
	w.Close()
	return s.request(t, who, http.MethodPost, implPath(id, "/utbyte"), w.FormDataContentType(), &b)
}

func TestExchangeHTTP_Pages(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSite(t, e)
		a := exAnalysed(t, e)
		b, _ := exSecond(t, e, "R1", "R2", "R3")

		res, body := s.request(t, "lead", http.MethodGet, implPath(a.ID, "/utbyte.json"), "", nil)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") ||
			!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") {
			t.Fatalf("download: %d %v", res.StatusCode, res.Header)
		}
		file := []byte(body)
		tmpl := must(e.svc.Template(e.coordinator, b.TemplateID))(t)
		if _, err := implement.ParseExchange(file, tmpl); err != nil {
			t.Fatalf("downloaded file: %v", err)
		}

		res, body = s.request(t, "lead", http.MethodGet, implPath(b.ID, "/utbyte"), "", nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `enctype="multipart/form-data"`) || !strings.Contains(body, implPath(b.ID, "/utbyte.json")) {
			t.Fatalf("exchange page: %d\n%s", res.StatusCode, body)
		}
		if _, body = s.request(t, "outsider", http.MethodGet, implPath(b.ID, "/utbyte"), "", nil); strings.Contains(body, `enctype="multipart/form-data"`) {
			t.Error("a reader is offered the upload form")
		}

		bad := exEdit(t, file, func(doc map[string]any) { doc["schema_version"] = "7" })
		cases := []struct {
			name   string
			who    string
			file   string
			body   []byte
			status int
			want   []string
		}{
			{"unknown version", "lead", "fil.json", bad, http.StatusUnprocessableEntity, []string{"/schema_version", "&#34;7&#34;", "aria-invalid"}},
			{"schema violation", "lead", "fil.json", exEdit(t, file, func(doc map[string]any) { delete(doc, "support") }), http.StatusUnprocessableEntity, []string{"<code>/support</code>"}},
			{"not json by name", "lead", "fil.txt", file, http.StatusUnprocessableEntity, []string{"f-file-error"}},
			{"empty", "lead", "fil.json", nil, http.StatusUnprocessableEntity, []string{"f-file-error"}},
			{"outsider", "outsider", "fil.json", file, http.StatusForbidden, nil},
			{"unit user", "unit", "fil.json", file, http.StatusForbidden, nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				res, body := s.upload(t, c.who, b.ID, c.file, c.body)
				if res.StatusCode != c.status {
					t.Fatalf("status %d, want %d\n%s", res.StatusCode, c.status, body)
				}
				for _, w := range c.want {
					if !strings.Contains(body, w) {
						t.Errorf("page lacks %q", w)
					}
				}
			})
		}
		if n := exCount(t, e, b.ID); n != 0 {
			t.Fatalf("%d comparisons after refused uploads", n)
		}

		res, _ = s.upload(t, "lead", b.ID, "Region Grann.json", file)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), implPath(b.ID, "/jamforelse/")) {
			t.Fatalf("upload: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		cmp := res.Header.Get("Location")
		if res, body = s.request(t, "lead", http.MethodGet, cmp, "", nil); res.StatusCode != http.StatusOK || !strings.Contains(body, "Olika gapstorlek") {
			t.Errorf("comparison page: %d\n%s", res.StatusCode, body)
		}
		if res, _ = s.request(t, "outsider", http.MethodGet, cmp, "", nil); res.StatusCode != http.StatusOK {
			t.Errorf("comparison page as a reader: %d", res.StatusCode)
		}
		if res, _ = s.request(t, "unit", http.MethodGet, cmp, "", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("comparison page as a unit user: %d", res.StatusCode)
		}
		if res, _ = s.upload(t, "lead", b.ID, "igen.json", file); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("same file again: %d", res.StatusCode)
		}
		if res, _ = s.request(t, "outsider", http.MethodPost, cmp+"/ta-bort", "application/x-www-form-urlencoded", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("delete as a reader: %d", res.StatusCode)
		}
		if res, _ = s.request(t, "lead", http.MethodGet, cmp+"/ta-bort", "", nil); res.StatusCode != http.StatusOK {
			t.Errorf("delete page: %d", res.StatusCode)
		}
		if res, _ = s.request(t, "lead", http.MethodPost, cmp+"/ta-bort", "application/x-www-form-urlencoded", nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("delete: %d", res.StatusCode)
		}
		if res, _ = s.request(t, "lead", http.MethodGet, cmp, "", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("deleted comparison: %d", res.StatusCode)
		}
	})
}

func TestExchangeAPI(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSite(t, e)
		a := exAnalysed(t, e)
		b, _ := exSecond(t, e, "R1", "R2", "R4")
		api := func(id int64, rest string) string {
			return "/api/v1/implementations/" + strconv.FormatInt(id, 10) + rest
		}

		res, body := s.request(t, "lead", http.MethodGet, api(a.ID, "/exchange"), "", nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("export: %d %s", res.StatusCode, body)
		}
		var x implement.Exchange
		if err := json.Unmarshal([]byte(body), &x); err != nil || x.SchemaVersion != "1" || len(x.Recommendations) != 3 {
			t.Fatalf("export: %v %+v", err, x)
		}
		file := x.Marshal()
		if res, _ = s.request(t, "unit", http.MethodGet, api(a.ID, "/exchange"), "", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("export as a unit user: %d", res.StatusCode)
		}

		bad := exEdit(t, file, func(doc map[string]any) {
			doc["recommendations"].([]any)[0].(map[string]any)["gap"].(map[string]any)["size"] = "huge"
		})
		res, body = s.request(t, "lead", http.MethodPost, api(b.ID, "/comparisons"), "application/json", bytes.NewReader(bad))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"location":"body.recommendations.0.gap.size"`) ||
			!strings.Contains(body, "/recommendations/0/gap/size") {
			t.Errorf("bad file: %d %s", res.StatusCode, body)
		}
		if res, _ = s.request(t, "outsider", http.MethodPost, api(b.ID, "/comparisons"), "application/json", bytes.NewReader(file)); res.StatusCode != http.StatusForbidden {
			t.Errorf("import as outsider: %d", res.StatusCode)
		}
		res, body = s.request(t, "lead", http.MethodPost, api(b.ID, "/comparisons"), "application/json", bytes.NewReader(file))
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("import: %d %s", res.StatusCode, body)
		}
		var imp implement.Imported
		if err := json.Unmarshal([]byte(body), &imp); err != nil || imp.Comparison.ID == 0 || len(imp.Unmatched) != 1 || imp.Unmatched[0] != "R3" {
			t.Fatalf("import answer: %v %s", err, body)
		}
		if res, body = s.request(t, "lead", http.MethodPost, api(b.ID, "/comparisons"), "application/json", bytes.NewReader(file)); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("same file again: %d %s", res.StatusCode, body)
		}
		cid := strconv.FormatInt(imp.Comparison.ID, 10)
		res, body = s.request(t, "outsider", http.MethodGet, api(b.ID, "/comparisons/"+cid), "", nil)
		var v struct {
			Rows       []implement.ComparedRow            `json:"rows"`
			OnlyOurs   []implement.ExchangeRecommendation `json:"only_ours"`
			OnlyTheirs []implement.ExchangeRecommendation `json:"only_theirs"`
		}
		if err := json.Unmarshal([]byte(body), &v); res.StatusCode != http.StatusOK || err != nil || len(v.Rows) != 2 || len(v.OnlyOurs) != 1 || len(v.OnlyTheirs) != 1 {
			t.Errorf("comparison: %d %v %s", res.StatusCode, err, body)
		}
		if res, body = s.request(t, "lead", http.MethodGet, api(b.ID, "/comparisons"), "", nil); res.StatusCode != http.StatusOK || !strings.Contains(body, `"id":`+cid) {
			t.Errorf("list: %d %s", res.StatusCode, body)
		}
		if res, _ = s.request(t, "outsider", http.MethodDelete, api(b.ID, "/comparisons/"+cid), "", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("delete as outsider: %d", res.StatusCode)
		}
		if res, _ = s.request(t, "lead", http.MethodDelete, api(b.ID, "/comparisons/"+cid), "", nil); res.StatusCode != http.StatusNoContent {
			t.Errorf("delete: %d", res.StatusCode)
		}
	})
}
