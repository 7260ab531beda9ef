package forum_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// munSite is the package's pages and API behind a real HTTP server, over a
// munFixture.
type munSite struct {
	*munFixture
	*site
}

func newMunSite(t *testing.T, d *db.DB) *munSite {
	t.Helper()
	f := newMunFixture(t, d)
	return &munSite{munFixture: f, site: newSite(t, d, f.svc, f.auth, munPassword)}
}

func munStatus(t *testing.T, what string, res *http.Response, body string, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, want, body)
	}
}

func munText(t *testing.T, what, body string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Errorf("%s: page lacks %q", what, s)
		}
	}
}

func munVersion(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no version field on the page")
	}
	return m[1]
}

func TestMunicipalPages_SendBoardAndAnswer(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newMunSite(t, d)
		sara, karin, kalle := s.login(t, "sara"), s.login(t, "karin"), s.login(t, "kalle")
		id := s.newCase(t, "Hjärtsvikt i hemsjukvården", munToday.AddDays(-20))
		board := "/arenden/" + strconv.FormatInt(id, 10) + "/kommuner"

		res, body := s.get(t, sara, board)
		munStatus(t, "empty board", res, body, http.StatusOK)
		munText(t, "empty board", body, "Ärendet har inte skickats till någon kommun ännu", "Östersund", "Härjedalen",
			`name="municipalities" value="2380" checked`, `value="2026-11-23"`)

		// Bad input is refused with its message and keeps what was typed.
		tests := []struct {
			name    string
			form    url.Values
			message string
		}{
			{"deadline before sending", url.Values{"municipalities": {ostersund}, "sent_on": {"2026-11-23"}, "deadline": {"2026-11-01"}, "question": {"Fråga?"}}, "Svarsdatum kan inte vara före utskicksdatum."},
			{"no municipality", url.Values{"sent_on": {"2026-11-23"}, "deadline": {"2026-12-01"}}, "Välj minst en kommun."},
			{"a bad date", url.Values{"municipalities": {ostersund}, "sent_on": {"23/11"}, "deadline": {"2026-12-01"}}, "Ange ett datum som ÅÅÅÅ-MM-DD."},
			{"before registration", url.Values{"municipalities": {ostersund}, "sent_on": {"2026-10-01"}, "deadline": {"2026-12-01"}}, "före ärendets registreringsdag (2026-11-03)"},
		}
		for _, tt := range tests {
			res, body := s.post(t, sara, board, tt.form)
			munStatus(t, tt.name, res, body, http.StatusUnprocessableEntity)
			munText(t, tt.name, body, tt.message, `class="error-summary"`)
		}
		res, _ = s.post(t, sara, board, url.Values{"municipalities": {ostersund, are, krokom}, "sent_on": {"2026-11-01"}, "deadline": {"2026-11-20"}, "question": {"Ställer kommunen sig bakom arbetssättet?"}})
		if res.StatusCode != http.StatusUnprocessableEntity { // registered 3 November
			t.Fatalf("sending before registration: %d", res.StatusCode)
		}
		res, body = s.post(t, sara, board, url.Values{"municipalities": {ostersund, are, krokom}, "sent_on": {"2026-11-05"}, "deadline": {"2026-11-20"}, "question": {"Ställer kommunen sig bakom arbetssättet?"}})
		munStatus(t, "send", res, body, http.StatusSeeOther)
		_, body = s.get(t, sara, board)
		munText(t, "board after sending", body, "Ärendet är skickat till 3 kommuner.", "3 kommuner har inte svarat i tid", "Ställer kommunen sig bakom arbetssättet?",
			"Inte skickat", "Försenat", "Skicka till fler kommuner")
		res, body = s.post(t, sara, board, url.Values{"municipalities": {ostersund}, "sent_on": {"2026-11-23"}, "deadline": {"2026-12-01"}})
		munStatus(t, "send again", res, body, http.StatusUnprocessableEntity)
		munText(t, "send again", body, "Ärendet är redan skickat till Östersund.")

		// Karin sees Östersund's request and answers it; Åre's is not hers.
		ost, aare := s.request(t, id, ostersund), s.request(t, id, are)
		doc, err := s.svc.AddDocument(s.as("sara"), forum.Document{CaseID: id, Title: "Underlag om rutinen"}, "underlag.txt", []byte("Rutin för hjärtsvikt.\n"))
		if err != nil {
			t.Fatal(err)
		}
		docPath := "/dokument/" + strconv.FormatInt(doc.ID, 10)
		res, body = s.get(t, karin, "/kommunsvar")
		munStatus(t, "karin's list", res, body, http.StatusOK)
		munText(t, "karin's list", body, "Du svarar för: Östersund", "Hjärtsvikt i hemsjukvården", "1 svar är försenat.", `href="/kommunsvar/`+strconv.FormatInt(ost.ID, 10)+`"`)
		if strings.Contains(body, "forumnav") || strings.Contains(body, `href="/arenden"`) {
			t.Error("a kommun user is shown links to the pages she may not read")
		}
		answer := "/kommunsvar/" + strconv.FormatInt(ost.ID, 10)
		res, body = s.get(t, karin, "/kommunsvar/"+strconv.FormatInt(aare.ID, 10))
		munStatus(t, "karin opens Åre's request", res, body, http.StatusNotFound)
		res, body = s.post(t, karin, "/kommunsvar/"+strconv.FormatInt(aare.ID, 10), url.Values{"answer": {"accepts"}, "version": {"1"}})
		munStatus(t, "karin answers for Åre", res, body, http.StatusNotFound)
		res, body = s.get(t, karin, answer)
		munStatus(t, "answer page", res, body, http.StatusOK)
		munText(t, "answer page", body, "Svar på ärende", "Gemensamt arbetssätt för Hjärtsvikt", "Ställer kommunen sig bakom arbetssättet?",
			`<a href="`+docPath+`">Underlag om rutinen</a>`, `type="radio" name="answer" value="declines"`, "Svaret är försenat")
		version := munVersion(t, body)
		res, body = s.get(t, karin, docPath)
		munStatus(t, "karin downloads the case's document", res, body, http.StatusOK)
		munText(t, "document", body, "Rutin för hjärtsvikt.")
		res, body = s.get(t, s.login(t, "kim"), docPath)
		munStatus(t, "kim, a contact of no municipality, downloads it", res, body, http.StatusNotFound)
		res, body = s.post(t, karin, answer, url.Values{"answer": {"declines"}, "comment": {""}, "version": {version}})
		munStatus(t, "declines without comment", res, body, http.StatusUnprocessableEntity)
		munText(t, "declines without comment", body, "Skriv vilka synpunkter som lämnades.", `value="declines" id="f-answer-declines" checked`)
		res, body = s.post(t, karin, answer, url.Values{"answer": {"accepts_with_comments"}, "comment": {"Vi behöver utbildning."}, "version": {version}})
		munStatus(t, "answer", res, body, http.StatusSeeOther)
		_, body = s.get(t, karin, answer)
		munText(t, "answered", body, "Svaret från Östersund är sparat.", "Ändra svaret", "Svarshistorik", "Vi behöver utbildning.")
		// The form opened before the answer is stale now.
		res, body = s.post(t, karin, answer, url.Values{"answer": {"accepts"}, "version": {version}})
		munStatus(t, "stale answer", res, body, http.StatusConflict)
		munText(t, "stale answer", body, "Svaret har ändrats", "Ställer sig bakom med synpunkter")

		// Kalle answers Åre; the coordinator's board shows both and the counts.
		res, body = s.post(t, kalle, "/kommunsvar/"+strconv.FormatInt(aare.ID, 10), url.Values{"answer": {"accepts"}, "version": {strconv.FormatInt(aare.Version, 10)}})
		munStatus(t, "kalle answers", res, body, http.StatusSeeOther)
		_, body = s.get(t, sara, board)
		munText(t, "board with answers", body, "Ställer sig bakom med synpunkter", "Vi behöver utbildning.", "1 kommun har inte svarat i tid", "Karin", "Kalle")

		// The matrix and the per-municipality view.
		res, body = s.get(t, sara, "/kommuner/arenden")
		munStatus(t, "matrix", res, body, http.StatusOK)
		munText(t, "matrix", body, "1 ärende × kommunerna", "Hjärtsvikt i hemsjukvården", "2 av 3", `href="/kommuner/arenden?kommun=2380"`)
		res, body = s.get(t, sara, "/kommuner/arenden?kommun=2309")
		munStatus(t, "Krokom", res, body, http.StatusOK)
		munText(t, "Krokom", body, "Ärenden till Krokom", "1 ärende till Krokom", "Försenat")
		res, body = s.get(t, sara, "/kommuner/arenden?answer=maybe")
		munStatus(t, "bad filter", res, body, http.StatusUnprocessableEntity)
		_, body = s.get(t, sara, "/kommuner/arenden?answer=declines")
		munText(t, "no declines", body, "Inga ärenden matchar filtret.")
	})
}

func TestMunicipalPages_ContactsRegister(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newMunSite(t, d)
		sara, karin := s.login(t, "sara"), s.login(t, "karin")
		res, body := s.get(t, sara, "/kommuner/kontakter")
		munStatus(t, "contacts", res, body, http.StatusOK)
		munText(t, "contacts", body, "Karin (karin)", "Kalle (kalle)", "Ingen kontaktperson", `<option value="`+strconv.FormatInt(s.users["kim"].UserID, 10)+`">Kim (kim)</option>`)
		if strings.Contains(body, "Ulf (ulf)") {
			t.Error("a user without the kommun role is offered as a contact")
		}
		res, body = s.post(t, sara, "/kommuner/kontakter", url.Values{"municipality": {krokom}, "user_id": {strconv.FormatInt(s.users["ulf"].UserID, 10)}})
		munStatus(t, "not kommun", res, body, http.StatusUnprocessableEntity)
		munText(t, "not kommun", body, "Välj en aktiv användare med rollen kommun.")
		res, body = s.post(t, sara, "/kommuner/kontakter", url.Values{"municipality": {ostersund}, "user_id": {strconv.FormatInt(s.users["karin"].UserID, 10)}})
		munStatus(t, "twice", res, body, http.StatusUnprocessableEntity)
		munText(t, "twice", body, "Karin är redan kontaktperson för Östersund.")
		res, body = s.post(t, sara, "/kommuner/kontakter", url.Values{"municipality": {krokom}, "user_id": {strconv.FormatInt(s.users["kim"].UserID, 10)}})
		munStatus(t, "add", res, body, http.StatusSeeOther)
		res, body = s.post(t, sara, "/kommuner/kontakter/ta-bort", url.Values{"municipality": {ostersund}, "user_id": {strconv.FormatInt(s.users["karin"].UserID, 10)}})
		munStatus(t, "remove", res, body, http.StatusSeeOther)
		_, body = s.get(t, sara, "/kommuner/kontakter")
		munText(t, "after", body, "Kim är nu kontaktperson för Krokom.", "Kontaktpersonen är borttagen.", "Kim (kim)")
		_, body = s.get(t, karin, "/kommunsvar")
		munText(t, "karin without municipality", body, "Du är ännu inte kontaktperson för någon kommun.")
		res, body = s.get(t, karin, "/kommuner/kontakter")
		munStatus(t, "karin opens the register", res, body, http.StatusForbidden)
	})
}

func TestMunicipalAPI_SendListAndAnswer(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newMunSite(t, d)
		sara, karin, rut := s.login(t, "sara"), s.login(t, "karin"), s.login(t, "rut")
		id := s.newCase(t, "Stroke", munToday.AddDays(-20))
		path := "/cases/" + strconv.FormatInt(id, 10) + "/municipal-requests"

		p := s.api(t, sara, http.MethodPost, path, `{"municipalities":["2380"],"sent_on":"2026-11-10","deadline":"2026-11-09"}`, http.StatusUnprocessableEntity)
		munProblemAt(t, p, "body.deadline")
		p = s.api(t, sara, http.MethodPost, path, `{"municipalities":["0180"],"sent_on":"2026-11-10","deadline":"2026-11-30"}`, http.StatusUnprocessableEntity)
		munProblemAt(t, p, "body.municipalities")
		s.api(t, karin, http.MethodPost, path, `{"all":true,"sent_on":"2026-11-10","deadline":"2026-11-30"}`, http.StatusForbidden)
		out := s.api(t, sara, http.MethodPost, path, `{"municipalities":["2380","2321"],"sent_on":"2026-11-10","deadline":"2026-11-20","question":"Bakom?"}`, http.StatusCreated)
		if items := out["items"].([]any); len(items) != 2 {
			t.Fatalf("sent = %v", out)
		}
		out = s.api(t, sara, http.MethodPost, path, `{"all":true,"sent_on":"2026-11-23","deadline":"2026-12-10"}`, http.StatusCreated)
		if items := out["items"].([]any); len(items) != 6 {
			t.Fatalf("sent to the rest = %d", len(items))
		}

		out = s.api(t, rut, http.MethodGet, path, "", http.StatusOK)
		sum := out["summary"].(map[string]any)
		if sum["sent"] != 8.0 || sum["overdue"] != 2.0 || sum["pending"] != 8.0 {
			t.Fatalf("summary = %v", sum)
		}
		first := out["items"].([]any)[0].(map[string]any)
		if first["overdue"] != true || first["case_number"] == "" {
			t.Fatalf("first item = %v (pending overdue first)", first)
		}
		s.api(t, karin, http.MethodGet, path, "", http.StatusForbidden)

		// Answers: not sent, another municipality's, a stale version, then right.
		p = s.api(t, sara, http.MethodPut, path+"/9999", `{"answer":"accepts","version":1}`, http.StatusUnprocessableEntity)
		munProblemAt(t, p, "path.municipality")
		s.api(t, karin, http.MethodPut, path+"/2321", `{"answer":"accepts","version":1}`, http.StatusNotFound)
		p = s.api(t, karin, http.MethodPut, path+"/2380", `{"answer":"declines","version":1}`, http.StatusUnprocessableEntity)
		munProblemAt(t, p, "body.comment")
		s.api(t, karin, http.MethodPut, path+"/2380", `{"answer":"accepts","version":7}`, http.StatusConflict)
		got := s.api(t, karin, http.MethodPut, path+"/2380", `{"answer":"declines","comment":"Inte nu.","version":1}`, http.StatusOK)
		if got["answer"] != "declines" || got["answered_on"] != "2026-11-23" || got["version"] != 2.0 || got["overdue"] != false {
			t.Fatalf("answer = %v", got)
		}

		// A kommun user lists only her own municipality's requests.
		list := s.api(t, karin, http.MethodGet, "/municipal-requests", "", http.StatusOK)
		if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["municipality"] != ostersund {
			t.Fatalf("karin's list = %v", list)
		}
		list = s.api(t, karin, http.MethodGet, "/municipal-requests?municipality=2321", "", http.StatusOK)
		if items := list["items"].([]any); len(items) != 0 {
			t.Fatalf("karin sees Åre: %v", list)
		}
		list = s.api(t, rut, http.MethodGet, "/municipal-requests?overdue=true", "", http.StatusOK)
		if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["municipality"] != are {
			t.Fatalf("overdue list = %v", list)
		}
		list = s.api(t, rut, http.MethodGet, "/municipal-requests?answer=declines", "", http.StatusOK)
		if items := list["items"].([]any); len(items) != 1 {
			t.Fatalf("declines list = %v", list)
		}
		s.api(t, rut, http.MethodGet, "/municipal-requests?answer=maybe", "", http.StatusBadRequest)

		// Kalle's personal token sees only Åre's request, and answers it.
		secret, _, err := s.auth.CreateToken(s.as("kalle"), s.users["kalle"].UserID, auth.NewToken{Name: "Åres verksamhetssystem"})
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodGet, s.srv.URL+"/api/v1/municipal-requests", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var byToken munRequestList
		err = json.NewDecoder(res.Body).Decode(&byToken)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK || len(byToken.Items) != 1 || byToken.Items[0].Municipality != are {
			t.Fatalf("kalle's token lists %d: %+v, %v", res.StatusCode, byToken, err)
		}
		req, _ = http.NewRequest(http.MethodPut, s.srv.URL+"/api/v1"+path+"/2321", strings.NewReader(`{"answer":"accepts","version":1}`))
		req.Header.Set("Authorization", "Bearer "+secret)
		req.Header.Set("Content-Type", "application/json")
		if res, err = http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("kalle answers by token: %v, %v", res, err)
		}
		res.Body.Close()
	})
}

func TestMunicipalAPI_Contacts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newMunSite(t, d)
		sara, karin, rut := s.login(t, "sara"), s.login(t, "karin"), s.login(t, "rut")
		list := s.api(t, rut, http.MethodGet, "/municipality-contacts", "", http.StatusOK)
		if items := list["items"].([]any); len(items) != 2 {
			t.Fatalf("contacts = %v", list)
		}
		kim := strconv.FormatInt(s.users["kim"].UserID, 10)
		ulf := strconv.FormatInt(s.users["ulf"].UserID, 10)
		p := s.api(t, sara, http.MethodPost, "/municipality-contacts", `{"municipality":"2309","user_id":`+ulf+`}`, http.StatusUnprocessableEntity)
		munProblemAt(t, p, "body.user_id")
		s.api(t, karin, http.MethodPost, "/municipality-contacts", `{"municipality":"2309","user_id":`+kim+`}`, http.StatusForbidden)
		c := s.api(t, sara, http.MethodPost, "/municipality-contacts", `{"municipality":"2309","user_id":`+kim+`}`, http.StatusCreated)
		if c["municipality_name"] != "Krokom" || c["user_name"] != "Kim" {
			t.Fatalf("added = %v", c)
		}
		s.api(t, sara, http.MethodDelete, "/municipality-contacts/2309/"+kim, "", http.StatusNoContent)
		s.api(t, sara, http.MethodDelete, "/municipality-contacts/2309/"+kim, "", http.StatusNotFound)
	})
}

// munRequestList is the JSON of a list of municipal requests, as a client reads it.
type munRequestList struct {
	Items []struct {
		Municipality string `json:"municipality"`
		Answer       string `json:"answer"`
	} `json:"items"`
}

// munProblemAt fails unless the problem names location with a message.
func munProblemAt(t *testing.T, p map[string]any, location string) {
	t.Helper()
	list, _ := p["errors"].([]any)
	for _, e := range list {
		f := e.(map[string]any)
		if f["location"] == location {
			if msg, _ := f["message"].(string); msg == "" {
				t.Fatalf("problem at %s has no message: %v", location, p)
			}
			return
		}
	}
	t.Fatalf("problem %v does not name %s", p, location)
}
