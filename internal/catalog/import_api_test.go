package catalog_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// importFile posts file to the import operation of path, raw with
// contentType or, when contentType is "multipart", as the part "file".
func (c apiClient) importFile(t *testing.T, path, contentType string, file []byte, want int) map[string]any {
	t.Helper()
	body := bytes.NewReader(file)
	if contentType == "multipart" {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		part, err := w.CreateFormFile("file", "rekommendationer.csv")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := part.Write(file); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		body, contentType = bytes.NewReader(buf.Bytes()), w.FormDataContentType()
	}
	req, err := http.NewRequest(http.MethodPost, c.srv.URL+"/api/v1"+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != want {
		t.Fatalf("POST %s: status %d, want %d\n%s", path, res.StatusCode, want, b)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("POST %s: %v\n%s", path, err, b)
	}
	if strings.Contains(string(b), "⟦") {
		t.Errorf("POST %s: a message is missing from the catalogue: %s", path, b)
	}
	return out
}

func TestAPI_ImportRecommendations(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newAPIServer(t, d)
		g := s.createGuideline(t, "Nationella riktlinjer för hjärtsjukvård")
		path := "/supports/" + id(num(t, g, "id")) + "/recommendations/import"
		file := csvFile("code;text;priority;do_not_do;research_only", "A1;Erbjud hjärtrehabilitering;2;no;", "A2;Erbjud inte X;;yes;no")

		// A dry run (the default) reports and writes nothing.
		out := s.coordinator.importFile(t, path, "text/csv", file, http.StatusOK)
		if out["dry_run"] != true || out["committed"] != false || num(t, out, "new") != 2 || num(t, out, "rows") != 2 {
			t.Fatalf("dry run = %v", out)
		}
		if changes, _ := out["changes"].([]any); len(changes) != 2 {
			t.Fatalf("changes = %v", out["changes"])
		}
		list := s.coordinator.call(t, http.MethodGet, "/recommendations?support_id="+id(num(t, g, "id")), "", http.StatusOK)
		if n := len(items(t, list)); n != 0 {
			t.Fatalf("a dry run saved %d recommendations", n)
		}

		// A commit writes every row, here sent as a multipart form.
		out = s.coordinator.importFile(t, path+"?dry_run=false", "multipart", file, http.StatusOK)
		if out["committed"] != true || num(t, out, "new") != 2 {
			t.Fatalf("commit = %v", out)
		}
		recs := items(t, s.coordinator.call(t, http.MethodGet, "/recommendations?support_id="+id(num(t, g, "id")), "", http.StatusOK))
		if len(recs) != 2 || recs[0]["code"] != "A1" || recs[1]["do_not_do"] != true {
			t.Fatalf("recommendations = %v", recs)
		}

		// Any problem: 422 naming each row and column, and nothing written.
		bad := csvFile("kod;rekommendation;prioritet", "A1;Ändrad text;1", "A3;;11")
		for _, q := range []string{"", "?dry_run=false"} {
			p := s.coordinator.importFile(t, path+q, "text/csv", bad, http.StatusUnprocessableEntity)
			problemAt(t, p, "row.3.rekommendation")
			problemAt(t, p, "row.3.prioritet")
		}
		recs = items(t, s.coordinator.call(t, http.MethodGet, "/recommendations?support_id="+id(num(t, g, "id")), "", http.StatusOK))
		if len(recs) != 2 || recs[0]["text"] != "Erbjud hjärtrehabilitering" {
			t.Fatalf("a refused import changed %v", recs)
		}
		// An unreadable file is a problem with the file.
		p := s.coordinator.importFile(t, path, "text/csv", []byte("\xff\xfek\x00"), http.StatusUnprocessableEntity)
		problemAt(t, p, "body.file")

		// Only the coordinator imports; a missing support is 404.
		s.auditor.importFile(t, path, "text/csv", file, http.StatusForbidden)
		s.anonymous.importFile(t, path, "text/csv", file, http.StatusUnauthorized)
		s.coordinator.importFile(t, "/supports/999999/recommendations/import", "text/csv", file, http.StatusNotFound)
	})
}

func TestAPI_ImportInOpenAPIDocument(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newAPIServer(t, d)
		doc := s.anonymous.call(t, http.MethodGet, "/openapi.json", "", http.StatusOK)
		paths, _ := doc["paths"].(map[string]any)
		op, _ := paths["/api/v1/supports/{id}/recommendations/import"].(map[string]any)
		if op["post"] == nil {
			t.Fatalf("the import is not in the OpenAPI document: %v", op)
		}
	})
}
