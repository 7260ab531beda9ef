package forum_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// mtgSite is the forum pages and API behind a real HTTP server, over the
// meeting fixture.
type mtgSite struct {
	*mtgFixture
	*site
}

func newMtgSite(t testing.TB, d *db.DB) *mtgSite {
	t.Helper()
	f := newMtgFixture(t, d)
	now := func() time.Time { return mtgNow }
	authSvc := auth.NewService(d, audit.New(now), now, auth.DefaultThrottle)
	return &mtgSite{mtgFixture: f, site: newSite(t, d, f.svc, authSvc, mtgPassword)}
}

// mtgWant fails unless res has status want and body every one of texts; an
// HTML page must have one h1 and the forum sub-navigation.
func mtgWant(t *testing.T, what string, res *http.Response, body string, want int, texts ...string) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, want, body)
	}
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Errorf("%s: page lacks %q", what, s)
		}
	}
	if strings.Contains(body, "<html") && res.StatusCode < 400 || strings.Contains(body, `class="subnav"`) {
		if n := strings.Count(body, "<h1"); n != 1 {
			t.Errorf("%s: %d h1 elements", what, n)
		}
		if !strings.Contains(body, `class="subnav"`) {
			t.Errorf("%s: no forum sub-navigation", what)
		}
	}
}

// mtgRedirect checks a POST's redirect and returns the id after prefix.
func mtgRedirect(t *testing.T, what string, res *http.Response, body, prefix string) string {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s: status %d, want 303\n%s", what, res.StatusCode, body)
	}
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, prefix) {
		t.Fatalf("%s: redirected to %q, want %s…", what, loc, prefix)
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(loc, prefix), "#")
	id, _, _ = strings.Cut(id, "/")
	return id
}

// mtgVersion reads the hidden version field of the form posting to action.
func mtgVersion(t *testing.T, body, action string) string {
	t.Helper()
	i := strings.Index(body, `action="`+action+`"`)
	if i < 0 {
		t.Fatalf("no form to %s on the page", action)
	}
	m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(body[i:])
	if m == nil {
		t.Fatal("no version field on the page")
	}
	return m[1]
}

func mtgID(id int64) string { return strconv.FormatInt(id, 10) }

func TestForumPages_ForumMandatesAndMembers(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newMtgSite(t, d)
		sara, rut := s.login(t, "sara"), s.login(t, "rut")
		hsl := "/forum/" + mtgID(s.hsl.ID)

		res, body := s.get(t, rut, "/forum")
		mtgWant(t, "forum list", res, body, http.StatusOK, "HSL", "Kunskapsstyrningsrådet", "<caption>2 forum</caption>")
		if strings.Contains(body, `href="/forum/ny"`) {
			t.Error("the auditor is offered a new forum")
		}
		res, body = s.get(t, rut, hsl)
		mtgWant(t, "forum page", res, body, http.StatusOK, "<h1>HSL</h1>", "Sigrid Sekreterare", "Sekreterare", "Hanna Hälsodirektör", "Ordförande",
			"Mandatregistret är tomt", "Inga möten är planerade")
		if strings.Contains(body, "/mandat\"") {
			t.Error("the auditor is offered the mandate form")
		}

		res, body = s.post(t, sara, hsl+"/mandat", url.Values{"subject": {""}, "power": {"vote"}, "scope": {"both"}})
		mtgWant(t, "bad mandate", res, body, http.StatusUnprocessableEntity, "Fyll i fältet.", "Välj ett av alternativen.", `href="#f-subject"`)
		res, body = s.post(t, sara, hsl+"/mandat", url.Values{"subject": {"Införande av vårdförlopp"}, "case_kind": {"introduction"}, "power": {"decide"}, "scope": {"both"}})
		mtgRedirect(t, "add mandate", res, body, hsl)
		res, body = s.get(t, sara, hsl)
		mtgWant(t, "forum with mandate", res, body, http.StatusOK, "Införande av vårdförlopp", "Beslutar", "Region och kommuner")
		edit := regexp.MustCompile(`href="(/forum/\d+/mandat/\d+)"`).FindStringSubmatch(body)
		if edit == nil {
			t.Fatal("no link to edit the mandate")
		}
		res, body = s.get(t, sara, edit[1])
		mtgWant(t, "edit mandate", res, body, http.StatusOK, "Ändra mandat för HSL")
		version := mtgVersion(t, body, edit[1])
		res, body = s.post(t, sara, edit[1], url.Values{"subject": {"Införande"}, "power": {"advise"}, "scope": {"region"}, "version": {version}})
		mtgRedirect(t, "save mandate", res, body, hsl)
		res, body = s.post(t, sara, edit[1], url.Values{"subject": {"Gammalt"}, "power": {"advise"}, "scope": {"region"}, "version": {version}})
		mtgWant(t, "stale mandate", res, body, http.StatusConflict, "Sparad version", "Bereder och ger råd")
		res, body = s.post(t, rut, edit[1], url.Values{"subject": {"X"}, "power": {"advise"}, "scope": {"region"}, "version": {version}})
		mtgWant(t, "mandate by the auditor", res, body, http.StatusForbidden)

		res, body = s.get(t, sara, "/forum/ny")
		mtgWant(t, "new forum", res, body, http.StatusOK, "Nytt forum")
		if strings.Contains(body, `value="`+mtgID(s.hsl.GroupID)+`"`) {
			t.Error("a group that is already a forum is offered")
		}
		res, body = s.post(t, sara, "/forum/ny", url.Values{"group_id": {mtgID(s.hsl.GroupID)}})
		mtgWant(t, "forum of a taken group", res, body, http.StatusUnprocessableEntity, "Gruppen är redan ett forum.")

		_, body = s.get(t, sara, hsl+"/redigera")
		version = mtgVersion(t, body, hsl)
		res, body = s.post(t, sara, hsl, url.Values{"description": {"Beslutar om införanden"}, "version": {version}})
		mtgRedirect(t, "inactivate forum", res, body, hsl)
		res, body = s.get(t, sara, "/forum")
		mtgWant(t, "inactive left out", res, body, http.StatusOK, "<caption>1 forum</caption>")
		res, body = s.get(t, sara, "/forum?inactive=1")
		mtgWant(t, "inactive asked for", res, body, http.StatusOK, "<caption>2 forum</caption>")
	})
}

func TestMeetingPages_FromPlanningToApprovedMinutes(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newMtgSite(t, d)
		sigrid, ulla, rut := s.login(t, "sigrid"), s.login(t, "ulla"), s.login(t, "rut")
		forumID := mtgID(s.hsl.ID)

		res, body := s.get(t, sigrid, "/moten/ny?forum="+forumID)
		mtgWant(t, "new meeting", res, body, http.StatusOK, "Nytt möte", `<option value="`+forumID+`" selected>HSL</option>`)
		if strings.Contains(body, "Kunskapsstyrningsrådet") {
			t.Error("the HSL secretary is offered another forum")
		}
		res, body = s.get(t, ulla, "/moten/ny")
		mtgWant(t, "new meeting, no forum", res, body, http.StatusOK, "Du är inte sekreterare i något forum")

		meeting := url.Values{"forum_id": {forumID}, "date": {"2026-12-10"}, "starts_at": {"13:00"}, "ends_at": {"15:00"}, "status": {"planned"},
			"place": {"Regionens hus"}, "adjusters": {"Lena Ledning"}}
		tests := []struct {
			name    string
			field   string
			value   string
			message string
		}{
			{"end before start", "ends_at", "12:00", "Mötet kan inte sluta innan det börjar."},
			{"http link", "link", "http://möte.example.se", "Ange en fullständig https-länk"},
			{"bad time", "starts_at", "25:99", "Ange en tid som TT:MM"},
			{"bad date", "date", "10/12", "Ange ett datum som ÅÅÅÅ-MM-DD."},
		}
		for _, tt := range tests {
			form := url.Values{}
			for k, v := range meeting {
				form[k] = v
			}
			form.Set(tt.field, tt.value)
			res, body := s.post(t, sigrid, "/moten/ny", form)
			mtgWant(t, tt.name, res, body, http.StatusUnprocessableEntity, tt.message, `href="#f-`+tt.field+`"`)
		}
		res, body = s.post(t, ulla, "/moten/ny", meeting)
		mtgWant(t, "meeting by a non-secretary", res, body, http.StatusForbidden)
		res, body = s.post(t, sigrid, "/moten/ny", meeting)
		id := mtgRedirect(t, "create meeting", res, body, "/moten/")
		page := "/moten/" + id

		res, body = s.post(t, sigrid, page+"/punkter", url.Values{"title": {"Vårdförlopp KOL"}, "presenter": {"Sara"}, "description": {"Förslag"}})
		mtgRedirect(t, "add item", res, body, page)
		res, body = s.post(t, sigrid, page+"/punkter", url.Values{"title": {""}, "position": {"0"}})
		mtgWant(t, "bad item", res, body, http.StatusUnprocessableEntity, "Ange ett värde från 1 till 999.", "Fyll i fältet.")
		res, body = s.get(t, sigrid, page)
		mtgWant(t, "meeting page", res, body, http.StatusOK, "HSL 2026-12-10", "13:00–15:00", "Vårdförlopp KOL", "Sigrid Sekreterare",
			"Protokollet kan justeras först när mötet har status genomfört.", page+"/dagordning.docx", page+"/kalender.ics")
		item := regexp.MustCompile(`href="(` + page + `/punkter/\d+)"`).FindStringSubmatch(body)
		if item == nil {
			t.Fatal("no link to edit the item")
		}
		res, body = s.get(t, sigrid, item[1])
		mtgWant(t, "edit item", res, body, http.StatusOK, "Ändra § 1 Vårdförlopp KOL")
		itemVersion := mtgVersion(t, body, item[1])
		res, body = s.post(t, sigrid, item[1], url.Values{"position": {"1"}, "title": {"Vårdförlopp KOL"}, "minutes": {"HSL ställde sig bakom förslaget."}, "version": {itemVersion}})
		mtgRedirect(t, "write minutes", res, body, page)

		_, body = s.get(t, sigrid, page)
		version := mtgVersion(t, body, page+"/narvaro")
		hanna, lena, guest := mtgID(s.people["Hanna Hälsodirektör"]), mtgID(s.people["Lena Ledning"]), mtgID(s.people["Gästa Gäst"])
		res, body = s.post(t, sigrid, page+"/narvaro", url.Values{"version": {version}, "person": {hanna, lena},
			"status_" + hanna: {"present"}, "status_" + lena: {""}, "note_" + lena: {"sjuk"}})
		mtgWant(t, "note without status", res, body, http.StatusUnprocessableEntity, "Välj närvaro för personen", `href="#f-status_`+lena+`"`)
		res, body = s.post(t, sigrid, page+"/narvaro", url.Values{"version": {version}, "person": {hanna, lena},
			"status_" + hanna: {"present"}, "status_" + lena: {"excused"}, "note_" + lena: {"sjuk"}, "other_person_id": {guest}, "other_status": {"present"}})
		mtgRedirect(t, "attendance", res, body, page)
		res, body = s.post(t, sigrid, page+"/narvaro", url.Values{"version": {version}, "person": {hanna}, "status_" + hanna: {"absent"}})
		mtgWant(t, "stale attendance", res, body, http.StatusConflict, "Någon annan har ändrat mötet")

		res, body = s.upload(t, sigrid, page+"/dokument", "underlag.txt", []byte("Underlag om KOL\n"), url.Values{"title": {"Underlag KOL"}})
		mtgRedirect(t, "upload", res, body, page)
		big := bytes.Repeat([]byte("Bilaga med mycket text.\n"), 100_000) // 2.4 MB: over the server-wide 1 MiB
		res, body = s.upload(t, sigrid, page+"/dokument", "bilaga.txt", big, nil)
		mtgRedirect(t, "upload of 2 MB", res, body, page)
		res, body = s.upload(t, sigrid, page+"/dokument", "program.exe", []byte("MZ\x90\x00"), nil)
		mtgWant(t, "upload of a program", res, body, http.StatusUnprocessableEntity, `href="#f-file"`)

		res, body = s.get(t, rut, page)
		mtgWant(t, "meeting for the auditor", res, body, http.StatusOK, "Anmält förhinder", "sjuk", "Gästa Gäst", "Övrig deltagare", "Underlag KOL",
			"HSL ställde sig bakom förslaget.")
		if strings.Contains(body, "/redigera") || strings.Contains(body, "/justera") || strings.Contains(body, `name="status_`) {
			t.Error("the auditor is offered edit controls")
		}
		docLink := regexp.MustCompile(`href="(/dokument/\d+)"`).FindStringSubmatch(body)
		if docLink == nil {
			t.Fatal("no document link")
		}
		res, body = s.get(t, rut, docLink[1])
		mtgWant(t, "download", res, body, http.StatusOK, "Underlag om KOL")
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "underlag.txt") {
			t.Errorf("Content-Disposition = %q", cd)
		}
		for path, ctype := range map[string]string{"/dagordning.docx": "wordprocessingml", "/protokoll.pdf": "application/pdf", "/kalender.ics": "text/calendar"} {
			res, body = s.get(t, rut, page+path)
			mtgWant(t, path, res, body, http.StatusOK)
			if !strings.Contains(res.Header.Get("Content-Type"), ctype) {
				t.Errorf("%s: Content-Type %q", path, res.Header.Get("Content-Type"))
			}
		}

		res, body = s.get(t, ulla, page+"/redigera")
		mtgWant(t, "edit by a non-secretary", res, body, http.StatusForbidden)
		_, body = s.get(t, sigrid, page)
		version = mtgVersion(t, body, page+"/narvaro") // a planned meeting offers no approval, but try
		res, body = s.post(t, sigrid, page+"/justera", url.Values{"version": {version}})
		mtgWant(t, "approve a planned meeting", res, body, http.StatusUnprocessableEntity, "Protokollet kan justeras först när mötet har status genomfört.")
		res, body = s.post(t, ulla, page+"/justera", url.Values{"version": {version}})
		mtgWant(t, "approve by a non-secretary", res, body, http.StatusForbidden)

		held := url.Values{"version": {version}}
		for k, v := range meeting {
			held[k] = v
		}
		held.Set("status", "held")
		res, body = s.post(t, sigrid, page, held)
		mtgRedirect(t, "mark held", res, body, page)
		res, body = s.post(t, sigrid, page, held)
		mtgWant(t, "stale meeting edit", res, body, http.StatusConflict, "Sparad version")
		res, body = s.post(t, sigrid, page+"/justera", url.Values{"version": {version}})
		mtgWant(t, "approve a stale version", res, body, http.StatusConflict, "Någon annan har ändrat mötet")
		_, body = s.get(t, sigrid, page)
		res, body = s.post(t, sigrid, page+"/justera", url.Values{"version": {mtgVersion(t, body, page+"/justera")}})
		mtgRedirect(t, "approve", res, body, page)

		res, body = s.get(t, sigrid, page)
		mtgWant(t, "approved meeting", res, body, http.StatusOK, "Protokollet justerades 2026-11-23 av Sigrid. Mötet är låst.")
		if strings.Contains(body, "/justera") || strings.Contains(body, page+"/punkter\"") {
			t.Error("an approved meeting still offers changes")
		}
		res, body = s.post(t, sigrid, item[1], url.Values{"position": {"1"}, "title": {"Vårdförlopp KOL"}, "minutes": {"Ändrat i efterhand"}, "version": {"2"}})
		mtgWant(t, "edit approved minutes", res, body, http.StatusConflict, "Protokollet är justerat, så mötet")
		res, body = s.get(t, sigrid, page+"/redigera")
		mtgWant(t, "edit an approved meeting", res, body, http.StatusConflict, "Protokollet är justerat, så mötet")
		res, body = s.upload(t, sigrid, page+"/dokument", "sent.txt", []byte("för sent"), nil)
		mtgWant(t, "upload after approval", res, body, http.StatusConflict, "Protokollet är justerat, så mötet")

		res, body = s.get(t, rut, "/moten?year=2026&status=held&forum_id="+forumID)
		mtgWant(t, "meeting list", res, body, http.StatusOK, "<caption>1 möte</caption>", `href="`+page+`"`, "Justerat 2026-11-23")
		res, body = s.get(t, rut, "/moten?q=kol")
		mtgWant(t, "meeting search", res, body, http.StatusOK, "<caption>1 möte</caption>")
		res, body = s.get(t, rut, "/moten?year=tjugo")
		mtgWant(t, "bad year", res, body, http.StatusUnprocessableEntity, `href="#f-year"`)
	})
}

func TestMeetingAPI_MeetingsAgendaAttendanceAndApproval(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newMtgSite(t, d)
		sara, sigrid, ulla := s.login(t, "sara"), s.login(t, "sigrid"), s.login(t, "ulla")

		forums := s.api(t, ulla, http.MethodGet, "/forums", "", http.StatusOK)
		if items := forums["items"].([]any); len(items) != 2 {
			t.Fatalf("forums = %v", forums)
		}
		s.api(t, ulla, http.MethodPost, "/forums", `{"group_id": 1}`, http.StatusForbidden)
		members := s.api(t, ulla, http.MethodGet, fmt.Sprintf("/forums/%d/members", s.hsl.ID), "", http.StatusOK)
		if items := members["items"].([]any); len(items) != 3 {
			t.Fatalf("members = %v", members)
		}
		mandate := s.api(t, sara, http.MethodPost, fmt.Sprintf("/forums/%d/mandates", s.hsl.ID), `{"subject": "Införanden", "power": "decide", "scope": "region"}`, http.StatusCreated)
		s.api(t, sara, http.MethodPut, fmt.Sprintf("/forums/%d/mandates/%v", s.council.ID, mandate["id"]), `{"subject": "X", "power": "decide", "scope": "region", "version": 1}`, http.StatusNotFound)
		s.api(t, sara, http.MethodDelete, fmt.Sprintf("/forums/%d/mandates/%v?version=1", s.hsl.ID, mandate["id"]), "", http.StatusNoContent)

		body := fmt.Sprintf(`{"forum_id": %d, "starts_at": "2026-12-10T12:00:00Z", "ends_at": "2026-12-10T11:00:00Z"}`, s.hsl.ID)
		problem := s.api(t, sigrid, http.MethodPost, "/meetings", body, http.StatusUnprocessableEntity)
		if !strings.Contains(fmt.Sprint(problem["errors"]), "body.ends_at") {
			t.Errorf("problem = %v", problem)
		}
		body = fmt.Sprintf(`{"forum_id": %d, "starts_at": "2026-12-10T12:00:00Z", "ends_at": "2026-12-10T14:00:00Z", "link": "https://möte.example.se/hsl"}`, s.hsl.ID)
		s.api(t, ulla, http.MethodPost, "/meetings", body, http.StatusForbidden)
		m := s.api(t, sigrid, http.MethodPost, "/meetings", body, http.StatusCreated)
		id := int64(m["id"].(float64))
		if m["status"] != "planned" || m["forum_name"] != "HSL" {
			t.Errorf("meeting = %v", m)
		}
		path := fmt.Sprintf("/meetings/%d", id)
		item := s.api(t, sigrid, http.MethodPost, path+"/agenda-items", `{"title": "Vårdförlopp KOL"}`, http.StatusCreated)
		s.api(t, sigrid, http.MethodPut, fmt.Sprintf("%s/agenda-items/%v", path, item["id"]), `{"title": "Vårdförlopp KOL", "minutes": "Tillstyrkt.", "version": 1}`, http.StatusOK)
		s.api(t, sigrid, http.MethodPut, fmt.Sprintf("%s/agenda-items/%v", path, item["id"]), `{"title": "Gammalt", "version": 1}`, http.StatusConflict)
		agenda := s.api(t, ulla, http.MethodGet, path+"/agenda-items", "", http.StatusOK)
		if items := agenda["items"].([]any); len(items) != 1 || items[0].(map[string]any)["minutes"] != "Tillstyrkt." {
			t.Errorf("agenda = %v", agenda)
		}
		att := s.api(t, ulla, http.MethodGet, path+"/attendance", "", http.StatusOK)
		version := att["meeting_version"]
		s.api(t, sigrid, http.MethodPut, path+"/attendance", fmt.Sprintf(`{"version": %v, "items": [{"person_id": %d, "status": "present"}]}`, version, s.people["Hanna Hälsodirektör"]), http.StatusOK)
		s.api(t, sigrid, http.MethodPut, path+"/attendance", fmt.Sprintf(`{"version": %v, "items": []}`, version), http.StatusConflict)

		m = s.api(t, ulla, http.MethodGet, path, "", http.StatusOK)
		s.api(t, sigrid, http.MethodPost, path+"/approve", fmt.Sprintf(`{"version": %v}`, m["version"]), http.StatusUnprocessableEntity)
		m = s.api(t, sigrid, http.MethodPut, path, fmt.Sprintf(`{"starts_at": "2026-12-10T12:00:00Z", "ends_at": "2026-12-10T14:00:00Z", "status": "held", "version": %v}`, m["version"]), http.StatusOK)
		s.api(t, ulla, http.MethodPost, path+"/approve", fmt.Sprintf(`{"version": %v}`, m["version"]), http.StatusForbidden)
		m = s.api(t, sigrid, http.MethodPost, path+"/approve", fmt.Sprintf(`{"version": %v}`, m["version"]), http.StatusOK)
		if m["approved_by"] != "Sigrid" || m["approved_at"] == nil {
			t.Errorf("approved meeting = %v", m)
		}
		locked := s.api(t, sara, http.MethodPut, fmt.Sprintf("%s/agenda-items/%v", path, item["id"]), `{"title": "Efteråt", "version": 2}`, http.StatusConflict)
		if !strings.Contains(fmt.Sprint(locked["type"]), "locked") {
			t.Errorf("edit after approval: %v", locked)
		}
		list := s.api(t, ulla, http.MethodGet, fmt.Sprintf("/meetings?forum_id=%d&year=2026&status=held", s.hsl.ID), "", http.StatusOK)
		if items := list["items"].([]any); len(items) != 1 {
			t.Errorf("list = %v", list)
		}

		res, spec := s.get(t, ulla, "/api/v1/openapi.json")
		mtgWant(t, "openapi", res, spec, http.StatusOK, `"/api/v1/meetings/{id}/approve"`, `"/api/v1/forums/{id}/mandates/{mandate}"`, `"/api/v1/meetings/{id}/attendance"`)
	})
}

func TestMeetingPages_InEnglish(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newMtgSite(t, d)
		now := func() time.Time { return mtgNow }
		sys := audit.WithSystemActor(context.Background(), "test")
		if _, err := auth.NewService(d, audit.New(now), now, auth.DefaultThrottle).CreateUser(sys, auth.NewUser{Username: "eve", DisplayName: "Eve",
			Password: mtgPassword, Roles: []access.Role{access.Auditor}, Locale: "en"}); err != nil {
			t.Fatal(err)
		}
		sara := s.as("sara")
		m := mtgMust(s.svc.CreateMeeting(sara, mtgMeeting(s.hsl.ID)))(t)
		mtgMust(s.svc.AddAgendaItem(sara, forum.AgendaItem{MeetingID: m.ID, Title: "Stroke pathway", Minutes: "Supported."}))(t)
		mtgMust(s.svc.SetAttendance(sara, m.ID, m.Version, []forum.Attendance{{PersonID: s.people["Lena Ledning"], Status: forum.Excused}}))(t)
		mtgMust(s.svc.AddMandate(sara, forum.Mandate{ForumID: s.hsl.ID, Subject: "Introductions", Power: forum.PowerDecide, Scope: forum.ScopeBoth}))(t)
		eve := s.login(t, "eve")
		pages := map[string][]string{
			"/forum":                    {"Forums and mandates", "Next meeting"},
			"/forum/" + mtgID(s.hsl.ID): {"Members and roles", "Mandate register", "Decides", "Region and municipalities", "Upcoming meetings"},
			"/moten":                    {"Meetings", "1 meeting"},
			"/moten/" + mtgID(m.ID):     {"HSL, 10 Dec 2026", "Agenda and minutes", "Stroke pathway", "Sent apologies", "Not approved"},
		}
		for path, texts := range pages {
			res, body := s.get(t, eve, path)
			mtgWant(t, path, res, body, http.StatusOK, texts...)
			if !strings.Contains(body, `lang="en"`) {
				t.Errorf("%s is not in English", path)
			}
		}
	})
}
