package implement_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

func TestPages_ByRole(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSite(t, e)
		m := e.started(t)
		ws := "/inforande/" + itoa(m.ID)
		for _, tc := range []struct {
			user, method, path string
			want               int
		}{
			{"coordinator", "GET", "/inforande", 200},
			{"lead", "GET", "/inforande", 200},
			{"outsider", "GET", "/inforande", 200},
			{"chief", "GET", "/inforande", 200},
			{"auditor", "GET", "/inforande", 200},
			{"unit", "GET", "/inforande", 303},
			{"coordinator", "GET", "/inforande/oversikt.csv", 200},
			{"chief", "GET", "/inforande/oversikt.xlsx", 200},
			{"unit", "GET", "/inforande/oversikt.csv", 403},
			{"coordinator", "GET", "/inforande/ny", 200},
			{"lead", "GET", "/inforande/ny", 403},
			{"chief", "POST", "/inforande/ny", 403},
			{"coordinator", "GET", ws, 200},
			{"lead", "GET", ws, 200},
			{"outsider", "GET", ws, 200},
			{"chief", "GET", ws, 200},
			{"auditor", "GET", ws, 200},
			{"unit", "GET", ws, 403},
			{"coordinator", "GET", "/inforande/999999", 404},
			{"coordinator", "GET", ws + "/arbetsgrupp", 200},
			{"lead", "GET", ws + "/arbetsgrupp", 200},
			{"outsider", "GET", ws + "/arbetsgrupp", 200},
			{"auditor", "GET", ws + "/arbetsgrupp", 200},
			{"unit", "GET", ws + "/arbetsgrupp", 403},
			{"outsider", "POST", ws + "/arbetsgrupp", 403},
			{"chief", "POST", ws + "/arbetsgrupp", 403},
			{"unit", "POST", ws + "/arbetsgrupp", 403},
		} {
			t.Run(tc.user+" "+tc.method+" "+tc.path, func(t *testing.T) {
				var form url.Values
				if tc.method == http.MethodPost {
					form = url.Values{"version": {itoa(m.Version)}, "planned_end": {"2027-12-31"}}
				}
				res, body := s.send(t, tc.user, tc.method, tc.path, form)
				want(t, tc.path, res, body, tc.want)
				if tc.want == 303 {
					if loc := res.Header.Get("Location"); loc != "/inforande/min-enhet" {
						t.Errorf("redirected to %q", loc)
					}
				}
			})
		}
		// Nothing refused changed the group.
		if got := must(e.svc.Workspace(e.coordinator, m.ID))(t).Implementation; got.Version != m.Version {
			t.Errorf("the implementation changed: version %d", got.Version)
		}
	})
}

func TestPages_OverviewListsAndExports(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSite(t, e)
		m := e.started(t)
		wsAction(t, e, m, implement.ActionStarted, 0, "2026-08-01", "2026-08-15", "")

		res, body := s.send(t, "coordinator", "GET", "/inforande", nil)
		want(t, "overview", res, body, 200, `<a href="/inforande/`+itoa(m.ID)+`">Vårdförlopp Testsjukdom</a>`,
			`href="/inforande/ny"`, "1 försenad", "0 av 6", "Ej bedömt: 3", "Personberoende", "Under införande", "oversikt.csv")
		res, body = s.send(t, "chief", "GET", "/inforande", nil)
		want(t, "overview for ledning", res, body, 200, "Vårdförlopp Testsjukdom")
		lacks(t, "overview for ledning", body, `href="/inforande/ny"`)

		res, body = s.send(t, "chief", "GET", "/inforande?status=introduced", nil)
		want(t, "introduced only", res, body, 200, "Inga införanden har den statusen.")
		lacks(t, "introduced only", body, "Vårdförlopp Testsjukdom")
		res, body = s.send(t, "chief", "GET", "/inforande?status=in_work", nil)
		want(t, "in work only", res, body, 200, "Vårdförlopp Testsjukdom", `href="/inforande/oversikt.xlsx?status=in_work"`)
		res, body = s.send(t, "chief", "GET", "/inforande?status=nonsense", nil)
		want(t, "bad filter", res, body, 422, `href="#f-status"`)

		res, body = s.send(t, "chief", "GET", "/inforande/oversikt.csv", nil)
		want(t, "csv", res, body, 200, "Kunskapsstöd", "Vårdförlopp Testsjukdom;Under införande;2026-09-01;2027-06-30")
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("csv content type %q", ct)
		}
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "inforande-oversikt-2026-09-01.csv") {
			t.Errorf("csv file name %q", cd)
		}
		res, body = s.send(t, "chief", "GET", "/inforande/oversikt.xlsx", nil)
		want(t, "xlsx", res, body, 200, "PK")
	})
}

func TestPages_StartAWorkspace(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSite(t, e)
		e.started(t)
		other := itoa(e.other)

		res, body := s.send(t, "coordinator", "GET", "/inforande/ny?stod="+other, nil)
		want(t, "start form", res, body, 200, `<option value="`+other+`" selected>Annat stöd</option>`, `name="planned_end"`)
		lacks(t, "start form", body, "Vårdförlopp Testsjukdom")

		// A person search keeps what is filled in and chooses the only match.
		q := url.Values{"sok": {"1"}, "support_id": {other}, "planned_end": {"2027-05-31"}, "person_q": {"Sara"}}
		res, body = s.send(t, "coordinator", "GET", "/inforande/ny?"+q.Encode(), nil)
		want(t, "person search", res, body, 200, `<option value="`+other+`" selected>`, `value="2027-05-31"`,
			`<option value="`+itoa(e.sponsor)+`" selected>Sara Chef</option>`, "1 person matchar.")

		// Problems are shown at their fields.
		res, body = s.send(t, "coordinator", "POST", "/inforande/ny", url.Values{"support_id": {""}, "planned_end": {"2026-01-01"}})
		want(t, "empty start", res, body, 422, `href="#f-support_id"`, `href="#f-planned_end"`, "Planerat slut kan inte vara före starten.")
		res, body = s.send(t, "coordinator", "POST", "/inforande/ny", url.Values{"support_id": {itoa(e.support)}})
		want(t, "second start", res, body, 422, "Kunskapsstödet har redan en arbetsyta för införande.")

		res, body = s.send(t, "coordinator", "POST", "/inforande/ny", url.Values{"support_id": {other}, "sponsor_id": {itoa(e.sponsor)}, "planned_end": {"2027-05-31"}})
		want(t, "start", res, body, 303)
		id := must(e.svc.OfSupport(e.coordinator, e.other))(t)
		if loc := res.Header.Get("Location"); id == 0 || loc != "/inforande/"+itoa(id) {
			t.Fatalf("started %d, redirected to %q", id, loc)
		}
		w := must(e.svc.Workspace(e.coordinator, id))(t)
		if w.Implementation.SponsorID != e.sponsor || w.Implementation.PlannedEnd != day("2027-05-31") || w.Support.Status != catalog.BeingIntroduced {
			t.Errorf("started %+v, support %s", w.Implementation, w.Support.Status)
		}
		res, body = s.send(t, "coordinator", "GET", "/inforande/ny", nil)
		want(t, "nothing left to start", res, body, 200, "Inget kunskapsstöd väntar på en arbetsyta.")
	})
}

func TestPages_WorkspaceSummary(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSite(t, e)
		m := e.started(t)
		ws := "/inforande/" + itoa(m.ID)
		res, body := s.send(t, "outsider", "GET", ws, nil)
		want(t, "workspace", res, body, 200, "<h1>Vårdförlopp Testsjukdom</h1>", "Lena Lead", "Sara Chef",
			"Hälsocentral Alfa, Hälsocentral Beta", "6 obligatoriska punkter är öppna.",
			`href="`+ws+`/gap">Bedöm gapet för 3 rekommendationer</a>`,
			`href="/kunskapsstod/`+itoa(e.support)+`">Personberoende: stödet har 1 förbättringsledare.`,
			`href="`+ws+`/handlingsplan">Gör en handlingsplan`, "Visa arbetsgruppen")
		for _, part := range []string{"arbetsgrupp", "gap", "enkater", "handlingsplan", "historik", "kommunikation", "checklista", "rapport", "utbyte"} {
			if !strings.Contains(body, `<h3><a href="`+ws+"/"+part+`">`) {
				t.Errorf("the workspace does not link to its part %s", part)
			}
		}
		// Only the coordinator changes the template in use.
		lacks(t, "workspace", body, `<h3><a href="`+ws+`/mall">`)
		res, coordinator := s.get(t, "coordinator", ws)
		want(t, "workspace for the coordinator", res, coordinator, 200, `<h3><a href="`+ws+`/mall">`)
		lacks(t, "workspace", body, "Utse en uppdragsgivande chef")

		// Settled and overdue, the next steps change.
		wsAction(t, e, m, implement.ActionPlanned, 0, "2026-08-01", "2026-08-15", "")
		exec(t, d, `UPDATE checklist_items SET state = 'done' WHERE implementation_id = ?`, m.ID)
		res, body = s.send(t, "lead", "GET", ws, nil)
		want(t, "workspace, later", res, body, 200, "1 åtgärd är försenad", "markera stödet som infört", `href="`+ws+`/infort"`, "Ändra arbetsgruppen")
	})
}

func TestPages_WorkingGroup(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSite(t, e)
		m := e.started(t)
		muni := e.wsMunicipality(t)
		path := "/inforande/" + itoa(m.ID) + "/arbetsgrupp"

		res, body := s.send(t, "outsider", "GET", path, nil)
		want(t, "read only", res, body, 200, "Bara arbetsgruppen och samordnaren kan ändra arbetsgruppen.", "Sara Chef")
		lacks(t, "read only", body, `name="member_ids"`)

		res, body = s.send(t, "lead", "GET", path, nil)
		want(t, "form", res, body, 200, `action="`+path+`"`, `name="municipalities" value="`+muni+`"`,
			`<option value="`+itoa(e.sponsor)+`" selected>Sara Chef</option>`, `href="/kunskapsstod/`+itoa(e.support)+`"`)
		version := pageVersion(t, body)

		// A search keeps the choices and offers the people found.
		q := url.Values{"sok": {"1"}, "version": {version}, "person_q": {"Olle"}, "municipalities": {muni}, "sponsor_id": {itoa(e.sponsor)}}
		res, body = s.send(t, "lead", "GET", path+"?"+q.Encode(), nil)
		want(t, "search", res, body, 200, `id="member-`+itoa(e.outsider)+`" name="member_ids" value="`+itoa(e.outsider)+`">`,
			`name="municipalities" value="`+muni+`" checked>`, "1 person matchar.")

		// Problems are shown at their fields.
		res, body = s.send(t, "lead", "POST", path, url.Values{"version": {version}, "planned_end": {"2026-01-01"}, "municipalities": {"0000"}})
		want(t, "bad group", res, body, 422, `href="#f-planned_end"`, `href="#f-municipalities"`, "Kommunen 0000 finns inte.")
		res, body = s.send(t, "lead", "POST", path, url.Values{"version": {version}, "sponsor_id": {"999999"}})
		want(t, "unknown sponsor", res, body, 422, `href="#f-sponsor_id"`, "Personen finns inte i personregistret.")

		saved := url.Values{"version": {version}, "sponsor_id": {itoa(e.sponsor)}, "member_ids": {itoa(e.outsider)}, "municipalities": {muni}, "planned_end": {"2027-10-31"}}
		res, body = s.send(t, "lead", "POST", path, saved)
		want(t, "save", res, body, 303)
		got := must(e.svc.Workspace(e.coordinator, m.ID))(t).Implementation
		if !sameIDs(got.MemberIDs, []int64{e.outsider}) || len(got.Municipalities) != 1 || got.Municipalities[0] != muni || got.PlannedEnd != day("2027-10-31") {
			t.Errorf("saved %+v", got)
		}

		// The same form sent again is a conflict: both versions are shown.
		stale := url.Values{"version": {version}, "member_ids": {itoa(e.contact)}}
		res, body = s.send(t, "coordinator", "POST", path, stale)
		want(t, "conflict", res, body, 409, "Arbetsgruppen som den nu är sparad", "Olle Utanför", `href="#f-conflict"`,
			`id="member-`+itoa(e.contact)+`" name="member_ids" value="`+itoa(e.contact)+`" checked>`)
		if v := pageVersion(t, body); v != itoa(got.Version) {
			t.Errorf("conflict form at version %s, want %d", v, got.Version)
		}
		if now := must(e.svc.Workspace(e.coordinator, m.ID))(t).Implementation; now.Version != got.Version {
			t.Errorf("the conflict saved: version %d", now.Version)
		}

		// The new member now edits.
		res, body = s.send(t, "outsider", "GET", path, nil)
		want(t, "member", res, body, 200, `name="member_ids"`)
	})
}

func TestPages_CatalogLinksToTheIntroduction(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSite(t, e)
		m := e.started(t)
		workspace := `<a href="/inforande/` + itoa(m.ID) + `">Införande</a>`
		start := `<a href="/inforande/ny?stod=` + itoa(e.other) + `">Införande</a>`
		for _, tc := range []struct {
			user    string
			support int64
			want    string // "" for no link
		}{
			{"coordinator", e.support, workspace},
			{"chief", e.support, workspace},
			{"unit", e.support, ""},
			{"coordinator", e.other, start},
			{"chief", e.other, ""},
		} {
			res, body := s.send(t, tc.user, "GET", "/kunskapsstod/"+itoa(tc.support), nil)
			what := tc.user + " support " + itoa(tc.support)
			if tc.want != "" {
				want(t, what, res, body, 200, tc.want)
			} else {
				want(t, what, res, body, 200)
				lacks(t, what, body, `href="/inforande/`)
			}
		}
	})
}
