package app

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// importUnitsCSV is a small organisation of its own, beside the demo data.
const importUnitsCSV = "\uFEFFnivå;namn;överordnad;hsa-id;typ\r\n" +
	"förvaltning;Importförvaltningen;;SE2321000207-I0001;annan\r\n" +
	"verksamhet;Importkliniken;SE2321000207-I0001;SE2321000207-I0002;länssjukhus\r\n" +
	"vårdenhet;Importavdelningen;SE2321000207-I0002;SE2321000207-I0003;länssjukhus\r\n"

// upload posts the import form with kind and a file, as a browser does.
func (ta *testApp) upload(t *testing.T, c *http.Client, kind, filename, content string) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if kind != "" {
		_ = mw.WriteField("kind", kind)
	}
	fw, _ := mw.CreateFormFile("file", filename)
	_, _ = io.WriteString(fw, content)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, ta.srv.URL+"/organisation/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

var confirmAction = regexp.MustCompile(`action="(/organisation/import/\d+/bekrafta)"`)

func TestImportPages_UploadPreviewConfirm(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		c := ta.login(t, "samordnare")

		res, page := ta.get(t, c, "/organisation/import")
		if res.StatusCode != http.StatusOK || !strings.Contains(page, `<h1>Import och export</h1>`) ||
			!strings.Contains(page, `enctype="multipart/form-data"`) || !strings.Contains(page, `<label for="f-file">`) ||
			!strings.Contains(page, `<code>andel procent</code>`) || !strings.Contains(page, `class="subnav"`) {
			t.Fatalf("import page: %d\n%s", res.StatusCode, page)
		}

		// A file with a problem: the preview names row, column and reason, and
		// offers nothing to confirm.
		bad := strings.Replace(importUnitsCSV, "SE2321000207-I0002;länssjukhus\r\nvårdenhet", "SE2321000207-I0002;sjukhus\r\nvårdenhet", 1)
		res, page = ta.upload(t, c, "units", "enheter.csv", bad)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "<caption>Fel i filen, per rad</caption>") ||
			!strings.Contains(page, "<th scope=\"row\">3</th><td>typ</td><td>Okänt värde ”sjukhus”.</td>") || confirmAction.MatchString(page) {
			t.Fatalf("bad file: %d\n%s", res.StatusCode, page)
		}

		// A good file: a preview with the rows to add, then the confirmation.
		res, page = ta.upload(t, c, "units", "enheter.csv", importUnitsCSV)
		m := confirmAction.FindStringSubmatch(page)
		if res.StatusCode != http.StatusOK || m == nil || !strings.Contains(page, "<caption>Rader som läggs till eller ändras</caption>") {
			t.Fatalf("good file: %d\n%s", res.StatusCode, page)
		}
		res = ta.post(t, c, m[1], nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/organisation/import" {
			t.Fatalf("confirm: %d %s", res.StatusCode, body(t, res))
		}
		if _, page = ta.get(t, c, "/organisation/import"); !strings.Contains(page, "Importen är klar: 3 nya, 0 ändrade och 0 oförändrade rader.") {
			t.Errorf("no flash after the import:\n%s", page)
		}
		if res = ta.post(t, c, m[1], nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("confirmed twice: %d", res.StatusCode)
		}

		// The same file again changes nothing, so there is nothing to confirm.
		res, page = ta.upload(t, c, "units", "enheter.csv", importUnitsCSV)
		if res.StatusCode != http.StatusOK || confirmAction.MatchString(page) || !strings.Contains(page, "Filen stämmer redan med registret.") {
			t.Errorf("second upload: %d\n%s", res.StatusCode, page)
		}

		// Form problems: no kind, no file, not a table.
		res, page = ta.upload(t, c, "", "x.csv", "")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `href="#f-kind"`) || !strings.Contains(page, `href="#f-file"`) {
			t.Errorf("empty form: %d\n%s", res.StatusCode, page)
		}
		res, page = ta.upload(t, c, "people", "personer.csv", strings.Repeat("namn;ort\n", 2<<20))
		if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, `id="f-file-error"`) {
			t.Errorf("16 MiB file: %d\n%s", res.StatusCode, page)
		}
		res, page = ta.upload(t, c, "people", "personer.csv", "namn;ort\nAnna;G\xe4vle\n")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "Filen är inte i UTF-8 (rad 2).") {
			t.Errorf("Windows-1252 file: %d\n%s", res.StatusCode, page)
		}
	})
}

func TestImportPages_ExportForReadersImportOnlyForCoordinators(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	revisor := ta.login(t, "revisor")
	res, page := ta.get(t, revisor, "/organisation/import")
	if res.StatusCode != http.StatusOK || strings.Contains(page, `type="file"`) || !strings.Contains(page, `href="/organisation/export.xlsx?kind=people"`) {
		t.Fatalf("import page for revisor: %d\n%s", res.StatusCode, page)
	}
	res, csv := ta.get(t, revisor, "/organisation/export.csv?kind=people")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
		!strings.HasPrefix(csv, "\uFEFFnamn;titel;e-post;enhet;region;typ av arbetsplats;hsa-id") ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "kunskapsnav-personer.csv") {
		t.Fatalf("people CSV: %d %v\n%.300s", res.StatusCode, res.Header, csv)
	}
	res, xlsx := ta.get(t, revisor, "/organisation/export.xlsx?kind=memberships&empty=1")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(xlsx, "PK\x03\x04") {
		t.Fatalf("membership template: %d %v", res.StatusCode, res.Header)
	}
	if res, _ := ta.get(t, revisor, "/organisation/export.csv?kind=budget"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("unknown kind: %d", res.StatusCode)
	}
	if res, _ := ta.upload(t, revisor, "units", "enheter.csv", importUnitsCSV); res.StatusCode != http.StatusForbidden {
		t.Errorf("revisor uploaded: %d", res.StatusCode)
	}

	// In English: English headers in the export, and every text found.
	if res := ta.post(t, revisor, "/sprak", url.Values{"lang": {"en"}, "next": {"/"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("switch language: %d", res.StatusCode)
	}
	if res, page = ta.get(t, revisor, "/organisation/import"); res.StatusCode != http.StatusOK || !strings.Contains(page, "<h1>Import and export</h1>") || strings.Contains(page, "⟦") {
		t.Errorf("English import page: %d\n%s", res.StatusCode, page)
	}
	if _, csv = ta.get(t, revisor, "/organisation/export.csv?kind=units&empty=1"); csv != "\uFEFFlevel;name;parent;hsa_id;kind;valid_from;valid_to\n" {
		t.Errorf("English template: %q", csv)
	}
}

// importAPI posts a file to the import API.
func (ta *testApp) importAPI(t *testing.T, token, path, contentType string, file []byte) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, ta.srv.URL+path, bytes.NewReader(file))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatalf("%s: not JSON: %v", path, err)
	}
	return res, out
}

func TestImportAPI_DryRunCommitProblemsAndRoundTrip(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		token := ta.token(t, "samordnare")

		res, out := ta.importAPI(t, token, "/api/v1/import/units", "text/csv", []byte(importUnitsCSV))
		if res.StatusCode != http.StatusOK || out["dry_run"] != true || out["committed"] != false || out["new"] != 3.0 {
			t.Fatalf("dry run: %d %v", res.StatusCode, out)
		}
		res, out = ta.importAPI(t, token, "/api/v1/import/units?dry_run=false", "text/csv", []byte(importUnitsCSV))
		if res.StatusCode != http.StatusOK || out["committed"] != true || out["new"] != 3.0 {
			t.Fatalf("commit: %d %v", res.StatusCode, out)
		}

		// A dry run lists every problem; a commit of the same file is 422
		// naming each row and column, and writes nothing.
		people := "name;email;unit\r\nAnna Import;anna.import@example.se;SE2321000207-I0003\r\nBo Import;bo(at)example.se;Finns inte\r\n"
		res, out = ta.importAPI(t, token, "/api/v1/import/people", "text/csv", []byte(people))
		errsList, _ := out["errors"].([]any)
		if res.StatusCode != http.StatusOK || len(errsList) != 2 {
			t.Fatalf("dry run with problems: %d %v", res.StatusCode, out)
		}
		for i, want := range []map[string]any{
			{"row": 3.0, "column": "unit", "key": "org.import.unknown_unit", "message": "Ingen enhet har HSA-id eller namn ”Finns inte”."},
			{"row": 3.0, "column": "email", "key": "validation.email", "message": "Ange en giltig e-postadress, till exempel namn@regionjh.se."},
		} {
			if got, _ := errsList[i].(map[string]any); !maps.Equal(got, want) {
				t.Errorf("problem %d: %v, want %v", i, got, want)
			}
		}
		res, out = ta.importAPI(t, token, "/api/v1/import/people?dry_run=false", "text/csv", []byte(people))
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("commit with problems: %d %v", res.StatusCode, out)
		}
		orgProblemAt(t, out, "row.3.email")
		orgProblemAt(t, out, "row.3.unit")

		// What the export writes imports again with no change, as XLSX too.
		c := ta.login(t, "revisor")
		for _, kind := range []string{"units", "people", "memberships"} {
			for _, ext := range []string{"csv", "xlsx"} {
				r, file := ta.get(t, c, "/organisation/export."+ext+"?kind="+kind)
				if r.StatusCode != http.StatusOK {
					t.Fatalf("export %s.%s: %d", kind, ext, r.StatusCode)
				}
				ct := "text/csv"
				if ext == "xlsx" {
					ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
				}
				res, out = ta.importAPI(t, token, "/api/v1/import/"+kind, ct, []byte(file))
				if res.StatusCode != http.StatusOK || out["new"] != 0.0 || out["changed"] != 0.0 || out["rows"] != out["unchanged"] {
					t.Errorf("%s.%s again: %d %v", kind, ext, res.StatusCode, out)
				}
			}
		}

		// Only coordinators import; a file over the limit is 413.
		if res, _ := ta.importAPI(t, ta.token(t, "revisor"), "/api/v1/import/units", "text/csv", []byte(importUnitsCSV)); res.StatusCode != http.StatusForbidden {
			t.Errorf("revisor: %d", res.StatusCode)
		}
		// Over the server's body limit it is 413, over the reader's 422 naming the limit.
		if res, out := ta.importAPI(t, token, "/api/v1/import/units", "text/csv", bytes.Repeat([]byte("a;b\n"), 3<<20)); res.StatusCode != http.StatusRequestEntityTooLarge && res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("12 MiB file: %d %v", res.StatusCode, out)
		}
	})
}
