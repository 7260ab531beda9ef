package app

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

var wildcard = regexp.MustCompile(`\{[^}]+\}`)

// concretePath turns a route pattern into a path that reaches its handler.
func concretePath(pattern string) string {
	p := strings.ReplaceAll(pattern, "{$}", "")
	p = wildcard.ReplaceAllString(p, "1")
	if strings.HasSuffix(p, "/") && p != "/" {
		p += "app.css"
	}
	return p
}

// serviceChecked are routes whose service refuses, with 403, some of those
// the route's permission admits: a forum's meetings are edited by the
// coordinator and the forum's secretary only (forum.requireMeetingEditor).
var serviceChecked = map[string]bool{
	"GET /moten/{id}/redigera":                          true,
	"POST /moten/{id}":                                  true,
	"POST /moten/{id}/punkter":                          true,
	"GET /moten/{id}/punkter/{item}":                    true,
	"POST /moten/{id}/punkter/{item}":                   true,
	"POST /moten/{id}/punkter/{item}/ta-bort":           true,
	"POST /moten/{id}/narvaro":                          true,
	"POST /moten/{id}/justera":                          true,
	"POST /moten/{id}/dokument":                         true,
	"GET /moten/{id}/ta-bort":                           true,
	"POST /moten/{id}/ta-bort":                          true,
	"GET /moten/{id}/dokument/{document}/ta-bort":       true,
	"POST /moten/{id}/dokument/{document}/ta-bort":      true,
	"POST /moten/ny":                                    true,
	"PUT /api/v1/meetings/{id}":                         true,
	"POST /api/v1/meetings":                             true,
	"POST /api/v1/meetings/{id}/approve":                true,
	"PUT /api/v1/meetings/{id}/attendance":              true,
	"POST /api/v1/meetings/{id}/agenda-items":           true,
	"PUT /api/v1/meetings/{id}/agenda-items/{item}":     true,
	"DELETE /api/v1/meetings/{id}/agenda-items/{item}":  true,
	"DELETE /api/v1/meetings/{id}":                      true,
	"POST /api/v1/meetings/{id}/documents":              true,
	"DELETE /api/v1/meetings/{id}/documents/{document}": true,
	// An implementation's gap analyses: read by its working group and those
	// who oversee every workspace, edited by the working group and the
	// coordinator (implement.Service.Implementation, implement.editable).
	"GET /inforande/{id}/gap":                     true,
	"GET /inforande/{id}/gap/{rec}":               true,
	"POST /inforande/{id}/gap/{rec}":              true,
	"GET /api/v1/implementations/{id}/gaps":       true,
	"GET /api/v1/implementations/{id}/gaps/{rec}": true,
	"PUT /api/v1/implementations/{id}/gaps/{rec}": true,
	// An implementation's workspace and working group: read by its working
	// group and those who oversee every workspace, the group edited by the
	// working group and the coordinator.
	"GET /inforande/{id}":                            true,
	"GET /inforande/{id}/arbetsgrupp":                true,
	"POST /inforande/{id}/arbetsgrupp":               true,
	"GET /api/v1/implementations/{id}":               true,
	"PUT /api/v1/implementations/{id}/working-group": true,
	// An implementation's action plan, communication plan and checklist: read
	// by those who read the workspace, changed by its working group or the
	// coordinator, waived by the coordinator (implement.Service.Workspace,
	// editable, requireCoordinator).
	"GET /inforande/{id}/handlingsplan":                        true,
	"GET /inforande/{id}/handlingsplan.csv":                    true,
	"GET /inforande/{id}/handlingsplan.xlsx":                   true,
	"GET /inforande/{id}/atgarder/ny":                          true,
	"POST /inforande/{id}/atgarder/ny":                         true,
	"GET /inforande/{id}/atgarder/{aid}":                       true,
	"POST /inforande/{id}/atgarder/{aid}":                      true,
	"GET /inforande/{id}/atgarder/{aid}/ta-bort":               true,
	"POST /inforande/{id}/atgarder/{aid}/ta-bort":              true,
	"GET /inforande/{id}/kommunikation":                        true,
	"GET /inforande/{id}/kommunikation/ny":                     true,
	"POST /inforande/{id}/kommunikation/ny":                    true,
	"GET /inforande/{id}/kommunikation/{cid}":                  true,
	"POST /inforande/{id}/kommunikation/{cid}":                 true,
	"GET /inforande/{id}/kommunikation/{cid}/ta-bort":          true,
	"POST /inforande/{id}/kommunikation/{cid}/ta-bort":         true,
	"GET /inforande/{id}/checklista":                           true,
	"POST /inforande/{id}/checklista":                          true,
	"POST /inforande/{id}/checklista/{iid}":                    true,
	"GET /inforande/{id}/infort":                               true,
	"POST /inforande/{id}/infort":                              true,
	"GET /api/v1/implementations/{id}/actions":                 true,
	"POST /api/v1/implementations/{id}/actions":                true,
	"GET /api/v1/implementations/{id}/actions/{aid}":           true,
	"PUT /api/v1/implementations/{id}/actions/{aid}":           true,
	"DELETE /api/v1/implementations/{id}/actions/{aid}":        true,
	"GET /api/v1/implementations/{id}/communications":          true,
	"POST /api/v1/implementations/{id}/communications":         true,
	"GET /api/v1/implementations/{id}/communications/{cid}":    true,
	"PUT /api/v1/implementations/{id}/communications/{cid}":    true,
	"DELETE /api/v1/implementations/{id}/communications/{cid}": true,
	"GET /api/v1/implementations/{id}/checklist":               true,
	"POST /api/v1/implementations/{id}/checklist":              true,
	"PUT /api/v1/implementations/{id}/checklist/{iid}":         true,
	"POST /api/v1/implementations/{id}/checklist/{iid}/waive":  true,
	"POST /api/v1/implementations/{id}/introduce":              true,
	// An implementation's questionnaires to the units: read by those who read
	// its workspace, changed, sent, reminded and closed by its working group
	// or the coordinator (implement.Service.Surveys, editableSurvey).
	"GET /inforande/{id}/enkater":                            true,
	"GET /inforande/{id}/enkater/ny":                         true,
	"POST /inforande/{id}/enkater/ny":                        true,
	"GET /inforande/{id}/enkater/{sid}":                      true,
	"GET /inforande/{id}/enkater/{sid}/redigera":             true,
	"POST /inforande/{id}/enkater/{sid}/redigera":            true,
	"POST /inforande/{id}/enkater/{sid}/skicka":              true,
	"POST /inforande/{id}/enkater/{sid}/paminn":              true,
	"POST /inforande/{id}/enkater/{sid}/stang":               true,
	"GET /api/v1/implementations/{id}/surveys":               true,
	"POST /api/v1/implementations/{id}/surveys":              true,
	"GET /api/v1/implementations/{id}/surveys/{sid}":         true,
	"PUT /api/v1/implementations/{id}/surveys/{sid}":         true,
	"POST /api/v1/implementations/{id}/surveys/{sid}/send":   true,
	"POST /api/v1/implementations/{id}/surveys/{sid}/remind": true,
	"POST /api/v1/implementations/{id}/surveys/{sid}/close":  true,
	// An implementation's plan history and comment rounds: read by those who
	// read the workspace; revisions, rounds, answers and closing by its
	// working group or the coordinator (implement.Service.History,
	// RoundChoices, CommentRoundOf, editable).
	"GET /inforande/{id}/historik":                                 true,
	"POST /inforande/{id}/historik":                                true,
	"GET /inforande/{id}/remiss/ny":                                true,
	"POST /inforande/{id}/remiss/ny":                               true,
	"GET /inforande/{id}/remiss/{rid}":                             true,
	"POST /inforande/{id}/remiss/{rid}/stang":                      true,
	"POST /inforande/{id}/remiss/{rid}/svar/{cid}":                 true,
	"GET /api/v1/implementations/{id}/revisions":                   true,
	"POST /api/v1/implementations/{id}/revisions":                  true,
	"GET /api/v1/implementations/{id}/comment-rounds":              true,
	"POST /api/v1/implementations/{id}/comment-rounds":             true,
	"GET /api/v1/implementations/{id}/comment-rounds/{rid}":        true,
	"POST /api/v1/implementations/{id}/comment-rounds/{rid}/close": true,
	"PUT /api/v1/implementations/{id}/comments/{cid}/answer":       true,
	// An implementation's report and summary: read by those who read the
	// workspace; the summary written, drafted and accepted by its working
	// group or the coordinator (implement.Service.Report, SaveSummary,
	// DraftSummary).
	"GET /inforande/{id}/rapport":                     true,
	"GET /inforande/{id}/rapport.docx":                true,
	"GET /inforande/{id}/rapport.pdf":                 true,
	"GET /inforande/{id}/sammanfattning":              true,
	"POST /inforande/{id}/sammanfattning":             true,
	"GET /api/v1/implementations/{id}/report.docx":    true,
	"GET /api/v1/implementations/{id}/report.pdf":     true,
	"POST /api/v1/implementations/{id}/summary/draft": true,
	"PUT /api/v1/implementations/{id}/summary":        true,
	// An implementation's exchange with other regions: exported and compared
	// by those who read the workspace; other regions' files imported and
	// deleted by its working group or the coordinator
	// (implement.Service.Export, Comparison, ImportComparison).
	"GET /inforande/{id}/utbyte.json":                       true,
	"GET /inforande/{id}/utbyte":                            true,
	"POST /inforande/{id}/utbyte":                           true,
	"GET /inforande/{id}/jamforelse/{cid}":                  true,
	"GET /inforande/{id}/jamforelse/{cid}/ta-bort":          true,
	"POST /inforande/{id}/jamforelse/{cid}/ta-bort":         true,
	"GET /api/v1/implementations/{id}/exchange":             true,
	"GET /api/v1/implementations/{id}/comparisons":          true,
	"POST /api/v1/implementations/{id}/comparisons":         true,
	"GET /api/v1/implementations/{id}/comparisons/{cid}":    true,
	"DELETE /api/v1/implementations/{id}/comparisons/{cid}": true,
}

// TestRoutes_EveryRouteEnforcesItsPermission enumerates every registered route
// and calls it as anonymous and as each role: those the route's permission
// admits must get past the check; others must be sent to login (anonymous) or
// refused with 403 (signed in).
func TestRoutes_EveryRouteEnforcesItsPermission(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		routes := ta.Web.Routes()
		if len(routes) < 10 {
			t.Fatalf("only %d routes registered", len(routes))
		}
		type who struct {
			name string
			p    access.Principal
			c    *http.Client
		}
		people := []who{{name: "anonymous", c: ta.client(t)}}
		for _, l := range DemoLogins {
			people = append(people, who{name: l.Username, p: access.Principal{UserID: 1, Roles: l.Roles}, c: ta.login(t, l.Username)})
		}
		for _, r := range routes {
			if r.Path == "/logga-ut" {
				continue // signs the person out; tested on its own
			}
			path := concretePath(r.Path)
			for _, w := range people {
				req, _ := http.NewRequest(r.Method, ta.srv.URL+path, strings.NewReader(""))
				req.Header.Set("Sec-Fetch-Site", "same-origin")
				if r.Method != http.MethodGet {
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				res, err := w.c.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				allowed := w.p.Can(r.Perm)
				toLogin := res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/logga-in?")
				denied := res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden || toLogin
				switch {
				case allowed && denied && !(res.StatusCode == http.StatusForbidden && serviceChecked[r.Method+" "+r.Path]):
					t.Errorf("%s %s as %s: denied with %d, but %s admits them", r.Method, r.Path, w.name, res.StatusCode, r.Perm.Name)
				case !allowed && w.p.Anonymous() && !(toLogin || res.StatusCode == http.StatusUnauthorized):
					t.Errorf("%s %s as anonymous: got %d, want login redirect or 401", r.Method, r.Path, res.StatusCode)
				case !allowed && !w.p.Anonymous() && res.StatusCode != http.StatusForbidden:
					t.Errorf("%s %s as %s: got %d, want 403 (%s)", r.Method, r.Path, w.name, res.StatusCode, r.Perm.Name)
				}
			}
		}
	})
}

// TestRoutes_SensitivePagesByRole pins who may reach the pages that matter most,
// so a permission changed by mistake fails loudly.
func TestRoutes_SensitivePagesByRole(t *testing.T) {
	t.Parallel()
	want := map[string]map[string]bool{
		"/logg":            {"demo": true, "revisor": true},
		"/admin/anvandare": {"demo": true},
		// The region–municipality process: kommun users answer on their own
		// pages and see no other forum page; the coordinator keeps the contacts.
		"/kommunsvar":            {"demo": true, "samordnare": true, "kommun": true},
		"/kommunsvar/{id}":       {"demo": true, "samordnare": true, "kommun": true},
		"/kommuner/arenden":      {"demo": true, "samordnare": true, "utvecklare": true, "ledning": true, "enhet": true, "revisor": true},
		"/arenden/{id}/kommuner": {"demo": true, "samordnare": true, "utvecklare": true, "ledning": true, "enhet": true, "revisor": true},
		"/kommuner/kontakter":    {"demo": true, "samordnare": true},
		// Cases and decisions: everyone but kommun reads them; the coordinator
		// edits cases; the coordinator and ledning (in HSL) record decisions.
		"/arenden":                {"demo": true, "samordnare": true, "utvecklare": true, "ledning": true, "enhet": true, "revisor": true},
		"/arenden/{id}":           {"demo": true, "samordnare": true, "utvecklare": true, "ledning": true, "enhet": true, "revisor": true},
		"/arenden/ny":             {"demo": true, "samordnare": true},
		"/arenden/{id}/redigera":  {"demo": true, "samordnare": true},
		"/arenden/{id}/beslut/ny": {"demo": true, "samordnare": true, "ledning": true},
		"/beslut/{id}/rattelse":   {"demo": true, "samordnare": true, "ledning": true},
		"/beslut":                 {"demo": true, "samordnare": true, "utvecklare": true, "ledning": true, "enhet": true, "revisor": true},
		"/beslut.csv":             {"demo": true, "samordnare": true, "utvecklare": true, "ledning": true, "enhet": true, "revisor": true},
		"/api/v1/decisions/{id}":  {"demo": true, "samordnare": true, "utvecklare": true, "ledning": true, "enhet": true, "revisor": true},
		// Forums and meetings: everyone but kommun reads them; the coordinator
		// edits forums; meeting edits are checked by the service (the
		// coordinator and the forum's secretary); kommun users may download the
		// documents of cases sent to their municipality.
		"/forum":                {"demo": true, "samordnare": true, "utvecklare": true, "ledning": true, "enhet": true, "revisor": true},
		"/forum/ny":             {"demo": true, "samordnare": true},
		"/forum/{id}/redigera":  {"demo": true, "samordnare": true},
		"/moten":                {"demo": true, "samordnare": true, "utvecklare": true, "ledning": true, "enhet": true, "revisor": true},
		"/moten/{id}":           {"demo": true, "samordnare": true, "utvecklare": true, "ledning": true, "enhet": true, "revisor": true},
		"/moten/{id}/redigera":  {"demo": true, "samordnare": true, "utvecklare": true, "ledning": true, "enhet": true, "revisor": true},
		"/dokument/{id}":        {"demo": true, "samordnare": true, "utvecklare": true, "ledning": true, "enhet": true, "kommun": true, "revisor": true},
		"/api/v1/meetings/{id}": {"demo": true, "samordnare": true, "utvecklare": true, "ledning": true, "enhet": true, "revisor": true},
	}
	byPath := map[string]access.Permission{}
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	for _, r := range ta.Web.Routes() {
		if r.Method == http.MethodGet {
			byPath[r.Path] = r.Perm
		}
	}
	for path, admitted := range want {
		perm, ok := byPath[path]
		if !ok {
			t.Errorf("route GET %s is not registered", path)
			continue
		}
		for _, l := range DemoLogins {
			p := access.Principal{UserID: 1, Roles: l.Roles}
			if got := p.Can(perm); got != admitted[l.Username] {
				t.Errorf("GET %s as %s: allowed = %v, want %v", path, l.Username, got, admitted[l.Username])
			}
		}
	}
}
