package implement_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web/htmltest"
)

// tpEditForm is the edit form of t as the page fills it, with empty rows.
func tpEditForm(t implement.Template) url.Values {
	f := url.Values{"title": {t.Title}, "version": {itoa(t.Version)}}
	for i, q := range t.Questions {
		p := "questions." + itoa(int64(i)) + "."
		f.Set(p+"key", q.Key)
		f.Set(p+"level", string(q.Level))
		f.Set(p+"label", q.Label)
		f.Set(p+"help", q.Help)
		f.Set(p+"position", itoa(int64(i+1)))
		if q.Required {
			f.Set(p+"required", "1")
		}
	}
	for i := len(t.Questions); i < len(t.Questions)+3; i++ {
		p := "questions." + itoa(int64(i)) + "."
		for _, k := range []string{"key", "level", "label", "help"} {
			f.Set(p+k, "")
		}
		f.Set(p+"position", itoa(int64(i+1)))
	}
	return f
}

func tpKeys(t implement.Template) []string {
	var out []string
	for _, q := range t.Questions {
		out = append(out, q.Key)
	}
	return out
}

func TestTemplatePages_NewVersionEditPublish(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSite(t, e)
		res, body := s.get(t, "coordinator", "/inforande/mallar")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("list: %d", res.StatusCode)
		}
		doc := parsePage(t, body)
		if got := textsOf(doc, "main h2"); !slices.Equal(got, []string{"Sjukvårdsregion Norra"}) {
			t.Errorf("regions %v", got)
		}
		v1 := must(e.svc.Templates(e.coordinator))(t)[0]
		v1URL := "/inforande/mallar/version/" + itoa(v1.ID)
		if len(doc.All(`form[action="`+v1URL+`/ny-version"]`)) != 1 {
			t.Error("no new-version button")
		}

		res, _ = s.post(t, "coordinator", v1URL+"/ny-version", url.Values{})
		if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "/redigera") {
			t.Fatalf("new version: %d to %s", res.StatusCode, res.Header.Get("Location"))
		}
		editURL := res.Header.Get("Location")
		draft := must(e.svc.Templates(e.coordinator))(t)[0]
		if draft.Number != 2 || draft.Published() {
			t.Fatalf("draft %+v", draft)
		}
		// A second draft is refused on the version's page.
		res, body = s.post(t, "coordinator", v1URL+"/ny-version", url.Values{})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "finns redan ett utkast") {
			t.Errorf("second draft: %d", res.StatusCode)
		}

		res, body = s.get(t, "coordinator", editURL)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("edit page: %d", res.StatusCode)
		}
		doc = parsePage(t, body)
		if n := len(doc.All("main fieldset")); n != len(draft.Questions)+3 {
			t.Errorf("%d rows, want %d", n, len(draft.Questions)+3)
		}

		// Add a question in an empty row, moved first; remove the last; a
		// duplicate key is refused at its own row.
		form := tpEditForm(draft)
		n := len(draft.Questions)
		last := "questions." + itoa(int64(n-1)) + "."
		row := "questions." + itoa(int64(n)) + "."
		form.Set(row+"key", "current_practice")
		form.Set(row+"level", "basic")
		form.Set(row+"label", "Vilka patienter berörs?")
		form.Set(row+"position", "99")
		res, body = s.post(t, "coordinator", editURL, form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("duplicate key: %d", res.StatusCode)
		}
		doc = parsePage(t, body)
		if links := doc.All(".error-summary a"); len(links) != 1 || htmltest.Attr(links[0], "href") != "#f-"+row+"key" {
			t.Errorf("duplicate key problem at %v", textsOf(doc, ".error-summary a"))
		}
		if got := htmltest.Attr(doc.One(t, `input[name="`+row+`label"]`), "value"); got != "Vilka patienter berörs?" {
			t.Errorf("the new row is kept as %q", got)
		}
		form.Set(row+"key", "patients")
		form.Set(row+"position", "0")
		form.Set(last+"remove", "1")
		res, _ = s.post(t, "coordinator", editURL, form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d", res.StatusCode)
		}
		saved := must(e.svc.Template(e.coordinator, draft.ID))(t)
		want := append([]string{"patients"}, tpKeys(draft)[:n-1]...)
		if got := tpKeys(saved); !slices.Equal(got, want) {
			t.Errorf("questions %v, want %v", got, want)
		}

		// The form opened before that save is stale: both versions shown.
		stale := tpEditForm(draft)
		stale.Set("title", "Min rubrik")
		res, body = s.post(t, "coordinator", editURL, stale)
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("stale save: %d", res.StatusCode)
		}
		doc = parsePage(t, body)
		if c := htmltest.Text(doc.One(t, "section.conflict")); !strings.Contains(c, "Vilka patienter berörs?") {
			t.Errorf("conflict section %q", c)
		}
		if got := htmltest.Attr(doc.One(t, `input[name="title"]`), "value"); got != "Min rubrik" {
			t.Errorf("title kept as %q", got)
		}
		if got := htmltest.Attr(doc.One(t, `input[name="version"]`), "value"); got != itoa(saved.Version) {
			t.Errorf("form version %s, want %d", got, saved.Version)
		}

		// Publish after confirming.
		draftURL := "/inforande/mallar/version/" + itoa(draft.ID)
		res, _ = s.get(t, "coordinator", draftURL+"/publicera")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("publish page: %d", res.StatusCode)
		}
		res, _ = s.post(t, "coordinator", draftURL+"/publicera", url.Values{"version": {itoa(saved.Version)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.StatusCode)
		}
		res, body = s.get(t, "auditor", draftURL)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("version page: %d", res.StatusCode)
		}
		doc = parsePage(t, body)
		if got := textsOf(doc, "main table th[scope=row]"); len(got) == 0 || got[0] != "Vilka patienter berörs?" {
			t.Errorf("questions on the version page %v", got)
		}
		if n := len(doc.All(`main form`)); n != 0 {
			t.Errorf("the auditor sees %d forms", n)
		}
		if res, _ := s.get(t, "coordinator", draftURL+"/redigera"); res.StatusCode != http.StatusConflict {
			t.Errorf("editing a published version: %d", res.StatusCode)
		}

		// A third version is deleted as a draft.
		res, _ = s.post(t, "coordinator", draftURL+"/ny-version", url.Values{})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("third version: %d", res.StatusCode)
		}
		v3 := must(e.svc.Templates(e.coordinator))(t)[0]
		v3URL := "/inforande/mallar/version/" + itoa(v3.ID)
		res, _ = s.get(t, "coordinator", v3URL+"/ta-bort")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("delete page: %d", res.StatusCode)
		}
		if res, _ := s.post(t, "coordinator", v3URL+"/ta-bort", url.Values{"version": {itoa(v3.Version + 1)}}); res.StatusCode != http.StatusConflict {
			t.Errorf("stale delete: %d", res.StatusCode)
		}
		if res, _ := s.post(t, "coordinator", v3URL+"/ta-bort", url.Values{"version": {itoa(v3.Version)}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("delete: %d", res.StatusCode)
		}
		if res, _ := s.get(t, "coordinator", v3URL); res.StatusCode != http.StatusNotFound {
			t.Errorf("deleted version: %d", res.StatusCode)
		}
	})
}

func TestTemplatePages_UseAnotherVersion(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSite(t, e)
		m := e.started(t)
		must(e.svc.SaveGap(e.leadCtx, implement.Gap{ImplementationID: m.ID, RecommendationID: e.recs[0], Size: implement.GapSmall, Answers: gpBasic()}))(t)
		draft := must(e.svc.NewTemplateVersion(e.coordinator, m.TemplateID))(t)
		v2 := must(e.svc.PublishTemplate(e.coordinator, draft.ID, draft.Version))(t)
		path := "/inforande/" + itoa(m.ID) + "/mall"

		res, body := s.get(t, "coordinator", path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("page: %d", res.StatusCode)
		}
		doc := parsePage(t, body)
		if n := len(doc.All(`input[name="template_id"]`)); n != 2 {
			t.Errorf("%d versions to choose, want 2", n)
		}
		if !strings.Contains(body, "behåller den version de gjordes med") {
			t.Error("the page does not say that saved analyses keep their version")
		}
		res, _ = s.post(t, "coordinator", path, url.Values{"version": {itoa(m.Version)}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("no choice: %d", res.StatusCode)
		}
		if res, _ := s.post(t, "coordinator", path, url.Values{"template_id": {itoa(v2.ID)}, "version": {itoa(m.Version + 1)}}); res.StatusCode != http.StatusConflict {
			t.Errorf("stale: %d", res.StatusCode)
		}
		if res, _ := s.post(t, "coordinator", path, url.Values{"template_id": {itoa(v2.ID)}, "version": {itoa(m.Version)}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("use: %d", res.StatusCode)
		}
		_, body = s.get(t, "lead", "/inforande/"+itoa(m.ID)+"/gap")
		doc = parsePage(t, body)
		var versions []string
		for _, tr := range doc.All("tbody tr") {
			tds := htmltest.In(tr).All("td")
			versions = append(versions, htmltest.Text(tds[len(tds)-1]))
		}
		if !slices.Equal(versions, []string{"Version 1", "Version 2", "Version 2"}) {
			t.Errorf("versions by row %v", versions)
		}
		_, body = s.get(t, "lead", "/inforande/"+itoa(m.ID)+"/gap/"+itoa(e.recs[0]))
		if !strings.Contains(body, "Arbetet använder nu version 2") {
			t.Error("the old analysis does not say it keeps its version")
		}
	})
}
