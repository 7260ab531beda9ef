package forum_test

import (
	"bytes"
	"flag"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// caseSite is the package's pages and API behind a real HTTP server, over a
// caseFixture.
type caseSite struct {
	*caseFixture
	*site
}

func newCaseSite(t testing.TB, d *db.DB) *caseSite {
	t.Helper()
	f := newCaseFixture(t, d)
	return &caseSite{caseFixture: f, site: newSite(t, d, f.svc, f.auth, casePassword)}
}

// caseWant fails unless res has status want and body every one of texts.
func caseWant(t *testing.T, what string, res *http.Response, body string, want int, texts ...string) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, want, body)
	}
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Errorf("%s: page lacks %q", what, s)
		}
	}
	if strings.Contains(body, "<html") {
		if n := strings.Count(body, "<h1"); n != 1 {
			t.Errorf("%s: %d h1 elements", what, n)
		}
	}
}

// caseRedirect follows a POST's redirect to the id after prefix.
func caseRedirect(t *testing.T, what string, res *http.Response, body, prefix string) string {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s: status %d, want 303\n%s", what, res.StatusCode, body)
	}
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, prefix) {
		t.Fatalf("%s: redirected to %q, want %s…", what, loc, prefix)
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(loc, prefix), "#")
	return id
}

// caseVersionIn reads the first hidden version field after marker.
func caseVersionIn(t *testing.T, body, marker string) string {
	t.Helper()
	i := strings.Index(body, marker)
	if i < 0 {
		t.Fatalf("no %q on the page", marker)
	}
	m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(body[i:])
	if m == nil {
		t.Fatal("no version field on the page")
	}
	return m[1]
}

func caseID(id int64) string { return strconv.FormatInt(id, 10) }

func TestCasePages_ProposalFromRegistrationToFollowUp(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newCaseSite(t, d)
		sara := s.login(t, "sara")

		res, body := s.get(t, sara, "/arenden")
		caseWant(t, "empty list", res, body, http.StatusOK, "<h1>Ärenden</h1>", "Det finns inga ärenden ännu.", `href="/arenden/ny"`, `<a href="/arenden" aria-current="page">`)

		res, body = s.post(t, sara, "/arenden/ny", url.Values{"kind": {"introduction"}, "description": {"Nytt vårdprogram"}})
		caseWant(t, "case without title", res, body, http.StatusUnprocessableEntity, "Det finns problem i formuläret", `href="#f-title"`, "Nytt vårdprogram")
		res, body = s.post(t, sara, "/arenden/ny", url.Values{"title": {"Hjärtsvikt"}, "kind": {"introduction"}, "registered_on": {"2026-03-01"},
			"responsible_person_id": {caseID(s.ulf)}, "description": {"Nationellt vårdprogram för hjärtsvikt."}})
		id := caseRedirect(t, "create case", res, body, "/arenden/")
		path := "/arenden/" + id

		res, body = s.get(t, sara, path)
		caseWant(t, "case page", res, body, http.StatusOK, `<span class="case-number">2026/0001</span> Hjärtsvikt`, "Allt som hänt i ärende 2026/0001, i datumordning",
			"Ulf Utvecklare", `aria-current="step">Registrerat`, `href="/arenden" aria-current="true"`)

		addStep := func(form url.Values) (*http.Response, string) {
			_, page := s.get(t, sara, path)
			form.Set("version", caseVersionIn(t, page, `action="/arenden/`+id+`/steg"`))
			return s.post(t, sara, path+"/steg", form)
		}
		res, body = addStep(url.Values{"kind": {"prepared"}, "date": {"2026-03-10"}})
		caseRedirect(t, "prepared", res, body, path)
		res, body = addStep(url.Values{"kind": {"anchoring"}, "date": {"2026-09-15"}, "forum_id": {caseID(s.ksr)}, "meeting_id": {caseID(s.ksrOpen)}, "outcome": {"supports"}})
		caseRedirect(t, "anchoring in KSR", res, body, path)
		res, body = addStep(url.Values{"kind": {"anchoring"}, "date": {"2026-09-20"}, "forum_id": {caseID(s.joint)}, "outcome": {"supports_with_comments"}, "comment": {"Gemensam rutin behövs."}})
		caseRedirect(t, "anchoring in the joint forum", res, body, path)

		bad := []struct {
			name    string
			form    url.Values
			message string
		}{
			{"step backwards", url.Values{"kind": {"prepared"}, "date": {"2026-10-01"}}, "Ärendet går bara framåt"},
			{"before the previous step", url.Values{"kind": {"anchoring"}, "date": {"2026-09-01"}, "forum_id": {caseID(s.hsl)}, "outcome": {"supports"}}, "Datumet kan inte vara före föregående steg (2026-09-20)."},
			{"anchoring without forum", url.Values{"kind": {"anchoring"}, "date": {"2026-10-01"}, "outcome": {"supports"}}, "Ange i vilket forum ärendet förankrades."},
			{"meeting of another forum", url.Values{"kind": {"anchoring"}, "date": {"2026-10-01"}, "forum_id": {caseID(s.hsl)}, "meeting_id": {caseID(s.ksrOpen)}, "outcome": {"supports"}}, "Välj ett möte i det valda forumet."},
			{"bad date", url.Values{"kind": {"follow_up"}, "date": {"1 oktober"}}, "Ange ett datum som ÅÅÅÅ-MM-DD."},
		}
		for _, tt := range bad {
			res, body := addStep(tt.form)
			caseWant(t, tt.name, res, body, http.StatusUnprocessableEntity, "Det finns problem i formuläret", tt.message)
		}
		// A step sent from a page read before someone else moved the case is a conflict.
		res, body = s.post(t, sara, path+"/steg", url.Values{"version": {"1"}, "kind": {"closed"}, "date": {"2026-10-01"}})
		caseWant(t, "stale step", res, body, http.StatusConflict, "Någon annan har ändrat ärendet")

		// Documents and links.
		res, body = s.upload(t, sara, path+"/dokument", "underlag.txt", []byte("Beslutsunderlag hjärtsvikt\n"), url.Values{"title": {"Beslutsunderlag"}})
		caseRedirect(t, "upload", res, body, path)
		res, body = s.get(t, sara, path)
		caseWant(t, "uploaded", res, body, http.StatusOK, "Dokumentet ”Beslutsunderlag” är uppladdat.")
		res, body = s.upload(t, sara, path+"/dokument", "underlag.pdf", []byte("inte en pdf"), nil)
		caseWant(t, "upload of the wrong type", res, body, http.StatusUnprocessableEntity, `href="#f-file"`)
		res, body = s.upload(t, sara, path+"/dokument", "", nil, url.Values{"title": {"Inget"}})
		caseWant(t, "upload without a file", res, body, http.StatusUnprocessableEntity, `href="#f-file"`)
		res, body = s.post(t, sara, path+"/lankar", url.Values{"entity": {"support"}, "entity_id": {"42"}, "label": {"Vårdprogram hjärtsvikt"}})
		caseRedirect(t, "link", res, body, path)
		res, body = s.post(t, sara, path+"/lankar", url.Values{"entity": {"support"}, "entity_id": {"42"}})
		caseWant(t, "link twice", res, body, http.StatusUnprocessableEntity, "Posten är redan kopplad till ärendet.")
		docs := caseMust(s.svc.CaseDocuments(s.as("sara"), mustAtoi(t, id)))(t)
		if len(docs) != 1 || docs[0].Title != "Beslutsunderlag" {
			t.Fatalf("documents %+v", docs)
		}

		// The decision: bad input first.
		res, body = s.get(t, sara, path+"/beslut/ny")
		caseWant(t, "decision form", res, body, http.StatusOK, "Registrera beslut i ärende 2026/0001", "Hälso- och sjukvårdsledningen", "Beslutsunderlag (underlag.txt)")
		version := caseVersionIn(t, body, `action="/arenden/`+id+`/beslut/ny"`)
		res, body = s.post(t, sara, path+"/beslut/ny", url.Values{"version": {version}, "text": {"Vårdprogrammet införs."}, "decided_on": {""}})
		caseWant(t, "decision without forum or date", res, body, http.StatusUnprocessableEntity,
			"Ett beslut måste ha ett forum som fattade det.", "Ett beslut måste ha ett beslutsdatum.", "Vårdprogrammet införs.")
		decision := url.Values{"version": {version}, "forum_id": {caseID(s.hsl)}, "meeting_id": {caseID(s.hslOpen)}, "decided_on": {"2026-11-10"},
			"text": {"Vårdprogrammet införs i hela regionen."}, "basis_document_ids": {caseID(docs[0].ID)}, "follow_up_on": {"2026-11-20"}}
		res, body = s.post(t, sara, path+"/beslut/ny", decision)
		decID := caseRedirect(t, "record decision", res, body, "/beslut/")
		res, body = s.get(t, sara, "/beslut/"+decID)
		caseWant(t, "decision page", res, body, http.StatusOK, "Beslut "+decID+" i Hälso- och sjukvårdsledningen", "Vårdprogrammet införs i hela regionen.",
			`href="/dokument/`+caseID(docs[0].ID)+`"`, "Uppföljning att göra", "Nej, protokollet är inte justerat ännu", `action="/beslut/`+decID+`/uppfoljning"`)

		// The follow-up.
		res, body = s.post(t, sara, "/beslut/"+decID+"/uppfoljning", url.Values{"done_on": {"2026-12-24"}, "note": {""}})
		caseWant(t, "follow-up in the future without note", res, body, http.StatusUnprocessableEntity, `href="#f-note"`)
		res, body = s.post(t, sara, "/beslut/"+decID+"/uppfoljning", url.Values{"done_on": {"2026-11-21"}, "note": {"Infört på alla vårdcentraler."}})
		caseRedirect(t, "follow-up", res, body, "/beslut/")

		// Once the minutes are approved the decision is locked; a correction is a new decision.
		if _, err := d.ExecContext(s.as("sara"), `UPDATE meetings SET approved_at = ? WHERE id = ?`, caseNow, s.hslOpen); err != nil {
			t.Fatal(err)
		}
		res, body = s.get(t, sara, "/beslut/"+decID+"/redigera")
		caseWant(t, "edit locked", res, body, http.StatusConflict, "Beslutet är låst")
		res, body = s.post(t, sara, "/beslut/"+decID, url.Values{"version": {"1"}, "forum_id": {caseID(s.hsl)}, "decided_on": {"2026-11-10"}, "text": {"Ändrat"}})
		caseWant(t, "save locked", res, body, http.StatusConflict, "Beslutet är låst")
		res, body = s.get(t, sara, "/beslut/"+decID+"/rattelse")
		caseWant(t, "correction form", res, body, http.StatusOK, "Rätta beslut "+decID, "Ett justerat beslut ändras aldrig.")
		res, body = s.post(t, sara, "/beslut/"+decID+"/rattelse", url.Values{"forum_id": {caseID(s.hsl)}, "decided_on": {"2026-11-22"}, "text": {"Vårdprogrammet införs från 1 mars 2027."}})
		corrID := caseRedirect(t, "correction", res, body, "/beslut/")
		res, body = s.get(t, sara, "/beslut/"+corrID)
		caseWant(t, "correction page", res, body, http.StatusOK, "Rättelse: beslut "+corrID, `href="/beslut/`+decID+`"`)

		// The trail shows everything in date order, the municipalities' answers too.
		s.sendTo(t, mustAtoi(t, id), caseDay(9, 21), caseDay(10, 21), "2380", "2321")
		if _, err := d.ExecContext(s.as("sara"), `UPDATE municipal_requests SET answer = 'declines', comment = 'Saknar resurser.', answered_on = ?, answered_by = 'Kalle' WHERE municipality = '2321'`, caseDay(10, 2)); err != nil {
			t.Fatal(err)
		}
		res, body = s.get(t, sara, path)
		caseWant(t, "trail", res, body, http.StatusOK, "Forum: Kunskapsstyrningsrådet", "Möte: Kunskapsstyrningsrådet 2026-09-15 – KSR september", "Ställer sig bakom med synpunkter",
			"Gemensam rutin behövs.", "Beslut "+decID, "Rättelse, beslut "+corrID, "Infört på alla vårdcentraler.", "Vårdprogram hjärtsvikt", "Beslutsunderlag")
		caseWant(t, "trail of answers", res, body, http.StatusOK, "Skickat till kommuner", "Sista svarsdag 2026-10-21", "Svar från Åre", "Avböjer", "Saknar resurser.")
		order := []string{"2026-03-10", "Kunskapsstyrningsrådet 2026-09-15", "Gemensam rutin", "Skickat till kommuner", "Svar från Åre", "Vårdprogrammet införs i hela regionen.",
			"Infört på alla", "Vårdprogrammet införs från 1 mars 2027."}
		last := 0
		for _, s := range order {
			i := strings.Index(body, s)
			if i < last {
				t.Errorf("trail: %q is out of order", s)
			}
			last = max(i, last)
		}

		// The decision list and its exports.
		res, body = s.get(t, sara, "/beslut?forum="+caseID(s.hsl)+"&from=2026-11-01&to=2026-11-30")
		caseWant(t, "decision list", res, body, http.StatusOK, "2 beslut", "Beslut per forum och uppföljning", "<th scope=\"row\">Totalt</th><td>2</td><td>0</td><td>0</td><td>1</td><td>1</td>", `href="/beslut.csv?forum=`+caseID(s.hsl)+`&amp;from=2026-11-01&amp;to=2026-11-30"`, "Uppföljd", "rättat")
		res, body = s.get(t, sara, "/beslut?from=2026-12-01&to=2026-11-01&follow_up=kanske")
		caseWant(t, "bad filter", res, body, http.StatusUnprocessableEntity, "Slutdatum måste vara samma som eller efter startdatum.", `href="#f-follow_up"`)
		res, body = s.get(t, sara, "/beslut.csv?forum="+caseID(s.hsl))
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" || res.Header.Get("Content-Disposition") != "attachment; filename=beslut-2026-11-23.csv" {
			t.Fatalf("CSV: %d %v", res.StatusCode, res.Header)
		}
		golden := filepath.Join("testdata", "decisions.csv.golden")
		if *update && d.Dialect() == db.SQLite {
			if err := os.WriteFile(golden, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if string(want) != body {
			t.Errorf("decision CSV\n got:\n%s\nwant:\n%s", body, want)
		}
		res, body = s.get(t, sara, "/beslut.xlsx")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("XLSX: %d", res.StatusCode)
		}
		x, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		rows, err := x.GetRows("Beslut")
		if err != nil || len(rows) != 3 || rows[0][0] != "Beslut nr" {
			t.Errorf("XLSX rows %v (%v)", rows, err)
		}
		if rows, err := x.GetRows("Per forum"); err != nil || len(rows) != 3 || rows[1][0] != "Hälso- och sjukvårdsledningen" || rows[2][1] != "2" {
			t.Errorf("XLSX summary %v (%v)", rows, err)
		}
	})
}

func mustAtoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCasePages_TwoCoordinatorsEditingACaseConflict(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newCaseSite(t, d)
		c := s.newCase(t, "Hjärtsvikt", caseDay(3, 1))
		sara, sven := s.login(t, "sara"), s.login(t, "sven")
		path := "/arenden/" + caseID(c.ID)
		_, saraForm := s.get(t, sara, path+"/redigera")
		_, svenForm := s.get(t, sven, path+"/redigera")
		form := func(version, title string) url.Values {
			return url.Values{"version": {version}, "title": {title}, "kind": {"introduction"}, "responsible_person_id": {caseID(s.ulf)}}
		}
		res, body := s.post(t, sara, path, form(caseVersionIn(t, saraForm, "<form"), "Saras rubrik"))
		caseRedirect(t, "first save", res, body, path)
		res, body = s.post(t, sven, path, form(caseVersionIn(t, svenForm, "<form"), "Svens rubrik"))
		caseWant(t, "second save", res, body, http.StatusConflict, `id="f-conflict"`, "<dd>Saras rubrik</dd>", `value="Svens rubrik"`)
		if got := caseMust(s.svc.Case(s.as("rut"), c.ID))(t); got.Title != "Saras rubrik" {
			t.Fatalf("the second save overwrote the first: %+v", got)
		}
		res, body = s.post(t, sven, path, form(caseVersionIn(t, body, "<form"), "Svens rubrik"))
		caseRedirect(t, "save again", res, body, path)
	})
}

func TestCasePages_WhoSeesWhat(t *testing.T) {
	t.Parallel()
	s := newCaseSite(t, dbtest.Open(t, db.SQLite))
	c := s.newCase(t, "Hjärtsvikt", caseDay(3, 1))
	dec := caseMust(s.svc.RecordDecision(s.as("sara"), forum.Decision{ForumID: s.ksr, DecidedOn: caseDay(11, 1), Text: "Rådet tillstyrker."}, 0))(t)
	path := "/arenden/" + caseID(c.ID)

	// Ledning records decisions in HSL only.
	lena := s.login(t, "lena")
	res, body := s.get(t, lena, path+"/beslut/ny")
	caseWant(t, "ledning's decision form", res, body, http.StatusOK, ">Hälso- och sjukvårdsledningen</option>")
	if strings.Contains(body, ">Kunskapsstyrningsrådet</option>") {
		t.Error("ledning is offered the council")
	}
	res, body = s.post(t, lena, path+"/beslut/ny", url.Values{"version": {"1"}, "forum_id": {caseID(s.ksr)}, "decided_on": {"2026-11-10"}, "text": {"X"}})
	caseWant(t, "ledning in the council", res, body, http.StatusUnprocessableEntity, "Du får inte registrera beslut i det här forumet.")
	res, body = s.get(t, lena, "/beslut/"+caseID(dec.ID))
	caseWant(t, "ledning reads a council decision", res, body, http.StatusOK)
	if strings.Contains(body, "/uppfoljning") || strings.Contains(body, "/rattelse") {
		t.Error("ledning is offered to follow up or correct a council decision")
	}

	// Readers read and change nothing.
	for _, who := range []string{"rut", "ulf"} {
		c := s.login(t, who)
		for _, p := range []string{"/arenden", path, path + "/kommuner", "/beslut", "/beslut/" + caseID(dec.ID)} {
			res, body := s.get(t, c, p)
			caseWant(t, who+" reads "+p, res, body, http.StatusOK)
			if p == path && !strings.Contains(body, `href="`+path+`/kommuner"`) {
				t.Errorf("%s is not shown the link to the case's municipal board", who)
			}
			if strings.Contains(body, `method="post" action="/arenden`) || strings.Contains(body, `method="post" action="/beslut`) || strings.Contains(body, "/redigera") {
				t.Errorf("%s sees a way to change things on %s", who, p)
			}
		}
		for p, form := range map[string]url.Values{
			"/arenden/ny":       {"title": {"X"}, "kind": {"other"}},
			path + "/steg":      {"version": {"1"}, "kind": {"prepared"}, "date": {"2026-03-02"}},
			path + "/lankar":    {"entity": {"support"}, "entity_id": {"1"}},
			path + "/beslut/ny": {"forum_id": {caseID(s.ksr)}},
			"/beslut/" + caseID(dec.ID) + "/uppfoljning": {"done_on": {"2026-11-02"}, "note": {"X"}},
		} {
			if res, _ := s.post(t, c, p, form); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s POST %s: status %d, want 403", who, p, res.StatusCode)
			}
		}
	}
	if got := caseMust(s.svc.Case(s.as("rut"), c.ID))(t); got.Status != forum.Registered {
		t.Fatal("a reader changed the case")
	}

	// The decision list shows a hundred at a time; the export holds all.
	for i := range 100 {
		caseMust(s.svc.RecordDecision(s.as("sara"), forum.Decision{ForumID: s.hsl, DecidedOn: caseDay(1, 1).AddDays(i), Text: "Beslut " + caseID(int64(i))}, 0))(t)
	}
	rut := s.login(t, "rut")
	res, body = s.get(t, rut, "/beslut")
	caseWant(t, "first page", res, body, http.StatusOK, "101 beslut – sida 1 av 2", `href="/beslut?sida=2" rel="next"`)
	res, body = s.get(t, rut, "/beslut?sida=2")
	caseWant(t, "second page", res, body, http.StatusOK, "sida 2 av 2", `href="/beslut" rel="prev"`, "Beslut 0")
	res, body = s.get(t, rut, "/beslut?sida=0")
	caseWant(t, "page 0", res, body, http.StatusUnprocessableEntity, `href="#f-sida"`)
	if res, body := s.get(t, rut, "/beslut.csv"); res.StatusCode != http.StatusOK || strings.Count(body, "\n") != 102 {
		t.Errorf("export of every decision: %d, %d lines", res.StatusCode, strings.Count(body, "\n"))
	}

	// Every page in English.
	sara := s.login(t, "sara")
	if res, body := s.post(t, sara, "/sprak", url.Values{"lang": {"en"}, "next": {"/"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("switch language: %d\n%s", res.StatusCode, body)
	}
	for _, p := range []string{"/arenden", "/arenden/ny", path, path + "/redigera", path + "/beslut/ny", "/beslut", "/beslut/" + caseID(dec.ID), "/beslut/" + caseID(dec.ID) + "/rattelse"} {
		res, body := s.get(t, sara, p)
		caseWant(t, "English "+p, res, body, http.StatusOK, `<html lang="en">`)
	}
}

func TestCaseAPI_CasesStepsDecisionsAndFollowUps(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newCaseSite(t, d)
		sara, rut := s.login(t, "sara"), s.login(t, "rut")
		c := s.api(t, sara, http.MethodPost, "/cases", `{"title":"Hjärtsvikt","kind":"introduction","registered_on":"2026-03-01","responsible_person_id":`+caseID(s.ulf)+`}`, http.StatusCreated)
		if c["number"] != "2026/0001" || c["status"] != "registered" {
			t.Fatalf("case %v", c)
		}
		id := caseID(int64(c["id"].(float64)))
		s.api(t, rut, http.MethodPost, "/cases", `{"title":"X","kind":"other"}`, http.StatusForbidden)
		s.api(t, sara, http.MethodPost, "/cases", `{"title":"X","kind":"okänd"}`, http.StatusBadRequest)

		st := s.api(t, sara, http.MethodPost, "/cases/"+id+"/steps", `{"kind":"anchoring","date":"2026-09-15","forum_id":`+caseID(s.ksr)+`,"meeting_id":`+caseID(s.ksrOpen)+`,"outcome":"supports","case_version":1}`, http.StatusCreated)
		if st["forum_name"] != "Kunskapsstyrningsrådet" {
			t.Errorf("step %v", st)
		}
		p := s.api(t, sara, http.MethodPost, "/cases/"+id+"/steps", `{"kind":"prepared","date":"2026-09-16"}`, http.StatusUnprocessableEntity)
		if errs := p["errors"].([]any); errs[0].(map[string]any)["location"] != "body.kind" {
			t.Errorf("backwards step problem %v", p)
		}
		s.api(t, sara, http.MethodPost, "/cases/"+id+"/steps", `{"kind":"closed","date":"2026-09-16","case_version":1}`, http.StatusConflict)
		s.api(t, sara, http.MethodPut, "/cases/"+id, `{"title":"Hjärtsvikt 2027","kind":"introduction","version":1}`, http.StatusConflict)
		s.api(t, sara, http.MethodPut, "/cases/"+id, `{"title":"Hjärtsvikt 2027","kind":"introduction","version":2}`, http.StatusOK)
		link := s.api(t, sara, http.MethodPost, "/cases/"+id+"/links", `{"entity":"support","entity_id":"42","label":"Vårdprogram"}`, http.StatusCreated)

		p = s.api(t, sara, http.MethodPost, "/decisions", `{"case_id":`+id+`,"text":"Införs."}`, http.StatusUnprocessableEntity)
		var where []string
		for _, e := range p["errors"].([]any) {
			where = append(where, e.(map[string]any)["location"].(string))
		}
		if strings.Join(where, ",") != "body.forum_id,body.decided_on" {
			t.Errorf("decision without forum or date: %v", p)
		}
		dec := s.api(t, sara, http.MethodPost, "/decisions", `{"case_id":`+id+`,"forum_id":`+caseID(s.hsl)+`,"decided_on":"2026-11-10","text":"Införs.","follow_up_on":"2026-11-20"}`, http.StatusCreated)
		decID := caseID(int64(dec["id"].(float64)))
		if dec["locked"] != true {
			t.Errorf("a decision without meeting is not locked: %v", dec)
		}
		s.api(t, sara, http.MethodPut, "/decisions/"+decID, `{"forum_id":`+caseID(s.hsl)+`,"decided_on":"2026-11-10","text":"Ändrat.","version":1}`, http.StatusConflict)
		corr := s.api(t, sara, http.MethodPost, "/decisions/"+decID+"/corrections", `{"forum_id":`+caseID(s.hsl)+`,"decided_on":"2026-11-12","text":"Införs 2027."}`, http.StatusCreated)
		if corr["corrects_id"] != dec["id"] {
			t.Errorf("correction %v", corr)
		}
		s.api(t, sara, http.MethodPost, "/decisions/"+decID+"/follow-up", `{"done_on":"2026-11-21","note":"Klart."}`, http.StatusCreated)
		fu := s.api(t, rut, http.MethodGet, "/decisions/"+decID+"/follow-up", "", http.StatusOK)
		if len(fu["items"].([]any)) != 1 {
			t.Errorf("follow-ups %v", fu)
		}

		tr := s.api(t, rut, http.MethodGet, "/cases/"+id+"/trail", "", http.StatusOK)
		var kinds []string
		for _, e := range tr["events"].([]any) {
			kinds = append(kinds, e.(map[string]any)["kind"].(string))
		}
		if strings.Join(kinds, ",") != "step,step,step,decision,decision,follow_up,link" {
			t.Errorf("trail kinds %v", kinds)
		}
		s.api(t, sara, http.MethodDelete, "/cases/"+id+"/links/"+caseID(int64(link["id"].(float64))), "", http.StatusNoContent)

		page := s.api(t, rut, http.MethodGet, "/decisions?limit=1", "", http.StatusOK)
		if len(page["items"].([]any)) != 1 || page["next_cursor"] == nil {
			t.Fatalf("first page %v", page)
		}
		page = s.api(t, rut, http.MethodGet, "/decisions?limit=1&cursor="+page["next_cursor"].(string), "", http.StatusOK)
		if len(page["items"].([]any)) != 1 || page["next_cursor"] != nil {
			t.Fatalf("second page %v", page)
		}
		s.api(t, rut, http.MethodGet, "/decisions?from=igår", "", http.StatusBadRequest)
		list := s.api(t, rut, http.MethodGet, "/cases?q=2027", "", http.StatusOK)
		if len(list["items"].([]any)) != 1 {
			t.Errorf("cases %v", list)
		}

		// A document through the API.
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		part, _ := w.CreateFormFile("file", "protokollsutdrag.txt")
		part.Write([]byte("Utdrag ur protokollet\n"))
		w.WriteField("title", "Protokollsutdrag")
		w.Close()
		res, text := s.do(t, sara, http.MethodPost, "/api/v1/cases/"+id+"/documents", w.FormDataContentType(), buf.String())
		if res.StatusCode != http.StatusCreated || !strings.Contains(text, `"sha256":"`) || !strings.Contains(text, `"title":"Protokollsutdrag"`) {
			t.Fatalf("upload: %d %s", res.StatusCode, text)
		}
		docs := s.api(t, rut, http.MethodGet, "/cases/"+id+"/documents", "", http.StatusOK)
		if len(docs["items"].([]any)) != 1 {
			t.Errorf("documents %v", docs)
		}
	})
}
