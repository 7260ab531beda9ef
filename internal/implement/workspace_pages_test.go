package implement_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

func wsID(id int64) string { return strconv.FormatInt(id, 10) }

func TestPages_ByRole(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newWsSite(t, d)
		m := s.started(t)
		ws := "/inforande/" + wsID(m.ID)
		for _, tc := range []struct {
			user, method, path string
			want               int
		}{
			{"coordinator", "GET", "/inforande", 200},
			{"lead", "GET", "/inforande", 200},
			{"outsider", "GET", "/inforande", 200},
			{"chief", "GET", "/inforande", 200},
			{"auditor", "GET", "/inforande", 200},
			{"unitA", "GET", "/inforande", 303},
			{"coordinator", "GET", "/inforande/oversikt.csv", 200},
			{"chief", "GET", "/inforande/oversikt.xlsx", 200},
			{"unitA", "GET", "/inforande/oversikt.csv", 403},
			{"coordinator", "GET", "/inforande/ny", 200},
			{"lead", "GET", "/inforande/ny", 403},
			{"chief", "POST", "/inforande/ny", 403},
			{"coordinator", "GET", ws, 200},
			{"lead", "GET", ws, 200},
			{"outsider", "GET", ws, 200},
			{"chief", "GET", ws, 200},
			{"auditor", "GET", ws, 200},
			{"unitA", "GET", ws, 403},
			{"coordinator", "GET", "/inforande/999999", 404},
			{"coordinator", "GET", ws + "/arbetsgrupp", 200},
			{"lead", "GET", ws + "/arbetsgrupp", 200},
			{"outsider", "GET", ws + "/arbetsgrupp", 200},
			{"auditor", "GET", ws + "/arbetsgrupp", 200},
			{"unitA", "GET", ws + "/arbetsgrupp", 403},
			{"outsider", "POST", ws + "/arbetsgrupp", 403},
			{"chief", "POST", ws + "/arbetsgrupp", 403},
			{"unitA", "POST", ws + "/arbetsgrupp", 403},
		} {
			t.Run(tc.user+" "+tc.method+" "+tc.path, func(t *testing.T) {
				var form url.Values
				if tc.method == http.MethodPost {
					form = url.Values{"version": {wsID(m.Version)}, "planned_end": {"2027-12-31"}}
				}
				res, body := s.do(t, tc.user, tc.method, tc.path, form)
				wsWant(t, tc.path, res, body, tc.want)
				if tc.want == 303 {
					if loc := res.Header.Get("Location"); loc != "/inforande/min-enhet" {
						t.Errorf("redirected to %q", loc)
					}
				}
			})
		}
		// Nothing refused changed the group.
		if got := must(s.svc.Workspace(s.coordinator, m.ID))(t).Implementation; got.Version != m.Version {
			t.Errorf("the implementation changed: version %d", got.Version)
		}
	})
}

func TestPages_OverviewListsAndExports(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newWsSite(t, d)
		m := s.started(t)
		wsAction(t, s.env, m, implement.ActionStarted, 0, "2026-08-01", "2026-08-15", "")

		res, body := s.do(t, "coordinator", "GET", "/inforande", nil)
		wsWant(t, "overview", res, body, 200, `<a href="/inforande/`+wsID(m.ID)+`">Vårdförlopp Testsjukdom</a>`,
			`href="/inforande/ny"`, "1 försenad", "0 av 6", "Ej bedömt: 3", "Personberoende", "Under införande", "oversikt.csv")
		res, body = s.do(t, "chief", "GET", "/inforande", nil)
		wsWant(t, "overview for ledning", res, body, 200, "Vårdförlopp Testsjukdom")
		wsLacks(t, "overview for ledning", body, `href="/inforande/ny"`)

		res, body = s.do(t, "chief", "GET", "/inforande?status=introduced", nil)
		wsWant(t, "introduced only", res, body, 200, "Inga införanden har den statusen.")
		wsLacks(t, "introduced only", body, "Vårdförlopp Testsjukdom")
		res, body = s.do(t, "chief", "GET", "/inforande?status=in_work", nil)
		wsWant(t, "in work only", res, body, 200, "Vårdförlopp Testsjukdom", `href="/inforande/oversikt.xlsx?status=in_work"`)
		res, body = s.do(t, "chief", "GET", "/inforande?status=nonsense", nil)
		wsWant(t, "bad filter", res, body, 422, `href="#f-status"`)

		res, body = s.do(t, "chief", "GET", "/inforande/oversikt.csv", nil)
		wsWant(t, "csv", res, body, 200, "Kunskapsstöd", "Vårdförlopp Testsjukdom;Under införande;2026-09-01;2027-06-30")
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("csv content type %q", ct)
		}
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "inforande-oversikt-2026-09-01.csv") {
			t.Errorf("csv file name %q", cd)
		}
		res, body = s.do(t, "chief", "GET", "/inforande/oversikt.xlsx", nil)
		wsWant(t, "xlsx", res, body, 200, "PK")
	})
}

func TestPages_StartAWorkspace(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newWsSite(t, d)
		s.started(t)
		other := wsID(s.other)

		res, body := s.do(t, "coordinator", "GET", "/inforande/ny?stod="+other, nil)
		wsWant(t, "start form", res, body, 200, `<option value="`+other+`" selected>Annat stöd</option>`, `name="planned_end"`)
		wsLacks(t, "start form", body, "Vårdförlopp Testsjukdom")

		// A person search keeps what is filled in and chooses the only match.
		q := url.Values{"sok": {"1"}, "support_id": {other}, "planned_end": {"2027-05-31"}, "person_q": {"Sara"}}
		res, body = s.do(t, "coordinator", "GET", "/inforande/ny?"+q.Encode(), nil)
		wsWant(t, "person search", res, body, 200, `<option value="`+other+`" selected>`, `value="2027-05-31"`,
			`<option value="`+wsID(s.sponsor)+`" selected>Sara Chef</option>`, "1 person matchar.")

		// Problems are shown at their fields.
		res, body = s.do(t, "coordinator", "POST", "/inforande/ny", url.Values{"support_id": {""}, "planned_end": {"2026-01-01"}})
		wsWant(t, "empty start", res, body, 422, `href="#f-support_id"`, `href="#f-planned_end"`, "Planerat slut kan inte vara före starten.")
		res, body = s.do(t, "coordinator", "POST", "/inforande/ny", url.Values{"support_id": {wsID(s.support)}})
		wsWant(t, "second start", res, body, 422, "Kunskapsstödet har redan en arbetsyta för införande.")

		res, body = s.do(t, "coordinator", "POST", "/inforande/ny", url.Values{"support_id": {other}, "sponsor_id": {wsID(s.sponsor)}, "planned_end": {"2027-05-31"}})
		wsWant(t, "start", res, body, 303)
		id := must(s.svc.OfSupport(s.coordinator, s.other))(t)
		if loc := res.Header.Get("Location"); id == 0 || loc != "/inforande/"+wsID(id) {
			t.Fatalf("started %d, redirected to %q", id, loc)
		}
		w := must(s.svc.Workspace(s.coordinator, id))(t)
		if w.Implementation.SponsorID != s.sponsor || w.Implementation.PlannedEnd != day("2027-05-31") || w.Support.Status != catalog.BeingIntroduced {
			t.Errorf("started %+v, support %s", w.Implementation, w.Support.Status)
		}
		res, body = s.do(t, "coordinator", "GET", "/inforande/ny", nil)
		wsWant(t, "nothing left to start", res, body, 200, "Inget kunskapsstöd väntar på en arbetsyta.")
	})
}

func TestPages_WorkspaceSummary(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newWsSite(t, d)
		m := s.started(t)
		ws := "/inforande/" + wsID(m.ID)
		res, body := s.do(t, "outsider", "GET", ws, nil)
		wsWant(t, "workspace", res, body, 200, "<h1>Vårdförlopp Testsjukdom</h1>", "Lena Lead", "Sara Chef",
			"Hälsocentral Alfa, Hälsocentral Beta", "6 obligatoriska punkter är öppna.",
			`href="`+ws+`/gap">Bedöm gapet för 3 rekommendationer</a>`,
			`href="/kunskapsstod/`+wsID(s.support)+`">Personberoende: stödet har 1 förbättringsledare.`,
			`href="`+ws+`/handlingsplan">Gör en handlingsplan`, "Visa arbetsgruppen")
		for _, part := range []string{"arbetsgrupp", "gap", "enkater", "handlingsplan", "historik", "kommunikation", "checklista", "rapport", "utbyte", "mall"} {
			if !strings.Contains(body, `<h3><a href="`+ws+"/"+part+`">`) {
				t.Errorf("the workspace does not link to its part %s", part)
			}
		}
		wsLacks(t, "workspace", body, "Utse en uppdragsgivande chef")

		// Settled and overdue, the next steps change.
		wsAction(t, s.env, m, implement.ActionPlanned, 0, "2026-08-01", "2026-08-15", "")
		wsExec(t, d, `UPDATE checklist_items SET state = 'done' WHERE implementation_id = ?`, m.ID)
		res, body = s.do(t, "lead", "GET", ws, nil)
		wsWant(t, "workspace, later", res, body, 200, "1 åtgärd är försenad", "markera stödet som infört", `href="`+ws+`/infort"`, "Ändra arbetsgruppen")
	})
}

func TestPages_WorkingGroup(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newWsSite(t, d)
		m := s.started(t)
		muni := s.wsMunicipality(t)
		path := "/inforande/" + wsID(m.ID) + "/arbetsgrupp"

		res, body := s.do(t, "outsider", "GET", path, nil)
		wsWant(t, "read only", res, body, 200, "Bara arbetsgruppen och samordnaren kan ändra arbetsgruppen.", "Sara Chef")
		wsLacks(t, "read only", body, `name="member_ids"`)

		res, body = s.do(t, "lead", "GET", path, nil)
		wsWant(t, "form", res, body, 200, `action="`+path+`"`, `name="municipalities" value="`+muni+`"`,
			`<option value="`+wsID(s.sponsor)+`" selected>Sara Chef</option>`, `href="/kunskapsstod/`+wsID(s.support)+`"`)
		version := wsVersion(t, body)

		// A search keeps the choices and offers the people found.
		q := url.Values{"sok": {"1"}, "version": {version}, "person_q": {"Olle"}, "municipalities": {muni}, "sponsor_id": {wsID(s.sponsor)}}
		res, body = s.do(t, "lead", "GET", path+"?"+q.Encode(), nil)
		wsWant(t, "search", res, body, 200, `id="member-`+wsID(s.outsider)+`" name="member_ids" value="`+wsID(s.outsider)+`">`,
			`name="municipalities" value="`+muni+`" checked>`, "1 person matchar.")

		// Problems are shown at their fields.
		res, body = s.do(t, "lead", "POST", path, url.Values{"version": {version}, "planned_end": {"2026-01-01"}, "municipalities": {"0000"}})
		wsWant(t, "bad group", res, body, 422, `href="#f-planned_end"`, `href="#f-municipalities"`, "Kommunen 0000 finns inte.")
		res, body = s.do(t, "lead", "POST", path, url.Values{"version": {version}, "sponsor_id": {"999999"}})
		wsWant(t, "unknown sponsor", res, body, 422, `href="#f-sponsor_id"`, "Personen finns inte i personregistret.")

		saved := url.Values{"version": {version}, "sponsor_id": {wsID(s.sponsor)}, "member_ids": {wsID(s.outsider)}, "municipalities": {muni}, "planned_end": {"2027-10-31"}}
		res, body = s.do(t, "lead", "POST", path, saved)
		wsWant(t, "save", res, body, 303)
		got := must(s.svc.Workspace(s.coordinator, m.ID))(t).Implementation
		if !sameIDs(got.MemberIDs, []int64{s.outsider}) || len(got.Municipalities) != 1 || got.Municipalities[0] != muni || got.PlannedEnd != day("2027-10-31") {
			t.Errorf("saved %+v", got)
		}

		// The same form sent again is a conflict: both versions are shown.
		stale := url.Values{"version": {version}, "member_ids": {wsID(s.contact)}}
		res, body = s.do(t, "coordinator", "POST", path, stale)
		wsWant(t, "conflict", res, body, 409, "Arbetsgruppen som den nu är sparad", "Olle Utanför", `href="#f-conflict"`,
			`id="member-`+wsID(s.contact)+`" name="member_ids" value="`+wsID(s.contact)+`" checked>`)
		if v := wsVersion(t, body); v != wsID(got.Version) {
			t.Errorf("conflict form at version %s, want %d", v, got.Version)
		}
		if now := must(s.svc.Workspace(s.coordinator, m.ID))(t).Implementation; now.Version != got.Version {
			t.Errorf("the conflict saved: version %d", now.Version)
		}

		// The new member now edits.
		res, body = s.do(t, "outsider", "GET", path, nil)
		wsWant(t, "member", res, body, 200, `name="member_ids"`)
	})
}

func TestPages_CatalogLinksToTheIntroduction(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newWsSite(t, d)
		m := s.started(t)
		workspace := `<a href="/inforande/` + wsID(m.ID) + `">Införande</a>`
		start := `<a href="/inforande/ny?stod=` + wsID(s.other) + `">Införande</a>`
		for _, tc := range []struct {
			user    string
			support int64
			want    string // "" for no link
		}{
			{"coordinator", s.support, workspace},
			{"chief", s.support, workspace},
			{"unitA", s.support, ""},
			{"coordinator", s.other, start},
			{"chief", s.other, ""},
		} {
			res, body := s.do(t, tc.user, "GET", "/kunskapsstod/"+wsID(tc.support), nil)
			what := tc.user + " support " + wsID(tc.support)
			if tc.want != "" {
				wsWant(t, what, res, body, 200, tc.want)
			} else {
				wsWant(t, what, res, body, 200)
				wsLacks(t, what, body, `href="/inforande/`)
			}
		}
	})
}
