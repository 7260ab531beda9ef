package catalog_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/tabular"
)

// upload posts file to the import page of path as the upload form does.
func (s *pageSite) upload(t *testing.T, c *http.Client, path, name string, file []byte) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if file != nil {
		part, err := w.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := part.Write(file); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, s.srv.URL+path, &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "⟦") {
		t.Errorf("POST %s: a message is missing from the catalogue", path)
	}
	checkImportPage(t, "POST "+path, res, string(b))
	return res, string(b)
}

var uploadField = regexp.MustCompile(`name="upload" value="(\d+)"`)

func TestImportPages_UploadPreviewConfirm(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newPageSite(t, d)
		sara := s.login(t, "sara")
		sp := must(s.svc.CreateSupport(ctx(), catalog.Support{Kind: catalog.NationalGuideline, Phase: catalog.Final, Title: "Riktlinje för astma"}))(t)
		must(s.svc.CreateRecommendation(ctx(), catalog.Recommendation{SupportID: sp.ID, Code: "A1", Text: "Erbjud spirometri", Priority: 3}))(t)
		page := "/kunskapsstod/" + strconv.FormatInt(sp.ID, 10)
		imp := page + "/rekommendationer/import"

		res, body := s.do(t, sara, page, nil)
		pageWant(t, "support page", res, body, http.StatusOK, `href="`+imp+`">Importera rekommendationer</a>`,
			`href="`+page+`/rekommendationer.csv"`, `href="`+page+`/rekommendationer.xlsx"`)
		res, body = s.do(t, sara, imp, nil)
		pageWant(t, "import page", res, body, http.StatusOK, "<h1>Importera rekommendationer: Riktlinje för astma</h1>", `enctype="multipart/form-data"`,
			`<label for="f-file">`, "<code>endast forskning</code>", "<code>FoU</code>", `href="`+page+`/rekommendationer.xlsx?empty=1"`)

		// No file, then a file with problems: field and row errors, nothing kept.
		res, body = s.upload(t, sara, imp, "", nil)
		pageWant(t, "no file", res, body, http.StatusUnprocessableEntity, `href="#f-file"`, "Välj en fil att ladda upp.", `aria-invalid="true"`)
		res, body = s.upload(t, sara, imp, "trasig.csv", []byte{0xFF, 0xFE, 'k', 0})
		pageWant(t, "unreadable file", res, body, http.StatusUnprocessableEntity, `href="#f-file"`)
		bad := csvFile("kod;rekommendation;prioritet", "A1;Erbjud spirometri;elva", "A2;;2")
		res, body = s.upload(t, sara, imp, "fel.csv", bad)
		pageWant(t, "bad file", res, body, http.StatusUnprocessableEntity, "Filen har 2 fel", "”elva” är ingen prioritet",
			`<tr><th scope="row">2</th><td>prioritet</td>`, `<tr><th scope="row">3</th><td>rekommendation</td>`, "Ladda upp en rättad fil")
		if strings.Contains(body, `name="upload"`) {
			t.Error("a file with problems can be confirmed")
		}

		// A good file: preview, then confirm.
		good := csvFile("kod;rekommendation;prioritet;icke-göra", "A1;Erbjud spirometri;2;nej", "A2;Erbjud inte röntgen;9;ja")
		res, body = s.upload(t, sara, imp, "astma.csv", good)
		pageWant(t, "preview", res, body, http.StatusOK, "<h1>Förhandsgranskning av import: Riktlinje för astma</h1>", "astma.csv",
			"<dt>Nya</dt><dd>1</dd>", "<dt>Ändrade</dt><dd>1</dd>", "<td>Ändras</td>", "<td>prioritet</td>", "Erbjud inte röntgen", "Bekräfta importen")
		if recs := must(s.svc.Recommendations(ctx(), sp.ID))(t); len(recs) != 1 || recs[0].Priority != 3 {
			t.Fatalf("a preview saved: %+v", recs)
		}
		m := uploadField.FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no upload to confirm")
		}
		// Only its maker confirms it; the auditor may not even try.
		rut := s.login(t, "rut")
		if res, _ := s.do(t, rut, imp+"/bekrafta", url.Values{"upload": {m[1]}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("auditor confirms: status %d", res.StatusCode)
		}
		res, body = s.do(t, sara, imp+"/bekrafta", url.Values{"upload": {m[1]}})
		pageWant(t, "confirm", res, body, http.StatusSeeOther)
		res, body = s.do(t, sara, page, nil)
		pageWant(t, "after import", res, body, http.StatusOK, "Importen är klar: 1 nya, 1 ändrade och 0 oförändrade rekommendationer.", "Erbjud inte röntgen")
		recs := must(s.svc.Recommendations(ctx(), sp.ID))(t)
		if len(recs) != 2 || recs[0].Priority != 2 || !recs[1].DoNotDo || recs[1].Priority != 9 {
			t.Fatalf("recommendations after import: %+v", recs)
		}
		if res, _ := s.do(t, sara, imp+"/bekrafta", url.Values{"upload": {m[1]}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("second confirmation: status %d, want 404", res.StatusCode)
		}
		// The same file again changes nothing and offers nothing to confirm.
		res, body = s.upload(t, sara, imp, "astma.csv", good)
		pageWant(t, "unchanged", res, body, http.StatusOK, "<dt>Oförändrade</dt><dd>2</dd>", "Det finns inget att importera.")

		// A preview that goes stale before the confirmation shows the problems.
		res, body = s.upload(t, sara, imp, "ny.csv", csvFile("kod;rekommendation", "B1;Ny"))
		pageWant(t, "second preview", res, body, http.StatusOK)
		stale := uploadField.FindStringSubmatch(body)[1]
		must(s.svc.CreateRecommendation(ctx(), catalog.Recommendation{SupportID: sp.ID, Code: "B1", Text: "Dubblett"}))(t)
		must(s.svc.CreateRecommendation(ctx(), catalog.Recommendation{SupportID: sp.ID, Code: "b1", Text: "Dubblett igen"}))(t)
		res, body = s.do(t, sara, imp+"/bekrafta", url.Values{"upload": {stale}})
		pageWant(t, "stale", res, body, http.StatusUnprocessableEntity, "har ändrats sedan förhandsgranskningen", "”B1”")

		// The export reads back as the import's columns.
		res, body = s.do(t, rut, page+"/rekommendationer.csv", nil)
		pageWant(t, "export", res, body, http.StatusOK, "kod;rekommendation;prioritet;icke-göra;endast forskning", "A2;Erbjud inte röntgen;9;ja;nej")
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "kunskapsnav-rekommendationer-"+strconv.FormatInt(sp.ID, 10)+".csv") {
			t.Errorf("export file name: %q", cd)
		}
		res, body = s.do(t, rut, page+"/rekommendationer.xlsx?empty=1", nil)
		if res.StatusCode != http.StatusOK || tabular.DetectFormat([]byte(body)) != tabular.XLSX {
			t.Fatalf("template: status %d", res.StatusCode)
		}
		if tab := must(catalog.ParseImport([]byte(body)))(t); len(tab.Rows) != 0 || tab.Header[0] != "kod" {
			t.Errorf("template holds %+v", tab)
		}

		// The auditor reads the support but is offered no import and may not use it.
		res, body = s.do(t, rut, page, nil)
		pageWant(t, "auditor page", res, body, http.StatusOK, `href="`+page+`/rekommendationer.csv"`)
		if strings.Contains(body, imp) {
			t.Error("the auditor is offered the import")
		}
		if res, _ := s.do(t, rut, imp, nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("auditor GET import: status %d", res.StatusCode)
		}
		if res, _ := s.upload(t, rut, imp, "astma.csv", good); res.StatusCode != http.StatusForbidden {
			t.Errorf("auditor POST import: status %d", res.StatusCode)
		}
		if res, _ := s.do(t, sara, "/kunskapsstod/999999/rekommendationer/import", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("import of a missing support: status %d", res.StatusCode)
		}
	})
}
