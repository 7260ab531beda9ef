package priority_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web/htmltest"
	"github.com/kunskapsnav/kunskapsnav/internal/priority"
)

// A group rates through the whole deadline day as it is in Sweden, and not
// a moment after: the deadline (2026-10-15) ends at midnight in Stockholm,
// which is 22:00 UTC in October.
func TestSheet_DeadlineDayInStockholm(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		r := e.openRound(t)
		cands := must(e.svc.Candidates(e.coordinator, r.ID))(t)
		tests := []struct {
			name string
			at   time.Time
			ok   bool
		}{
			{"the deadline day begins in Sweden while it is the day before in UTC", time.Date(2026, 10, 14, 22, 30, 0, 0, time.UTC), true},
			{"the last second of the deadline day in Sweden", time.Date(2026, 10, 15, 21, 59, 59, 0, time.UTC), true},
			{"midnight after the deadline day in Sweden, still the deadline day in UTC", time.Date(2026, 10, 15, 22, 0, 0, 0, time.UTC), false},
		}
		for i, tt := range tests {
			e.clock.set(tt.at)
			sh := priority.Sheet{RoundID: r.ID, CandidateID: cands[i].ID, GroupID: e.lpoA, Scores: scores(r, 3, 3)}
			_, err := e.svc.SaveSheet(as(e.userA, access.Unit), sh)
			if tt.ok && err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			if !tt.ok {
				fieldErr(t, err, "round", "priority.sheet.deadline_passed")
			}
		}
	})
}

// checkPage fails where an HTML page the tests fetch lacks the structure
// every page owes its readers (see htmltest.CheckAccessible): above all, an
// error summary whose links lead nowhere. Two things CheckAccessible does
// not know are allowed: headers over a group of columns (scope colgroup)
// and a fieldset inside another, each with its own legend.
func checkPage(t *testing.T, what string, res *http.Response, body string) {
	t.Helper()
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, "<html") {
		return
	}
	body = strings.ReplaceAll(body, `scope="colgroup"`, `scope="col"`)
	doc := htmltest.Parse(t, body)
	htmltest.CheckAccessible(&prefixed{T: t, what: what}, doc)
	for _, a := range doc.All(".error-summary a") {
		id, ok := strings.CutPrefix(htmltest.Attr(a, "href"), "#")
		if !ok {
			continue
		}
		for _, n := range doc.All(`[id="` + id + `"]`) {
			switch {
			case n.Data == "input" || n.Data == "select" || n.Data == "textarea" || n.Data == "button":
			case htmltest.HasAttr(n, "tabindex"):
			default:
				t.Errorf("%s: the error summary links to %s, a %s that cannot take the focus", what, id, n.Data)
			}
		}
	}
	for _, fs := range doc.All("main fieldset") {
		first := fs.FirstChild
		for first != nil && first.Type != html.ElementNode {
			first = first.NextSibling
		}
		if first == nil || first.Data != "legend" {
			t.Errorf("%s: a fieldset does not begin with its legend", what)
		}
	}
}

// prefixed names the page in each problem CheckAccessible reports, and
// leaves the fieldsets to checkPage.
type prefixed struct {
	*testing.T
	what string
}

func (p *prefixed) Errorf(format string, args ...any) {
	p.T.Helper()
	if format == "a fieldset lacks its legend" {
		return
	}
	p.T.Errorf("%s: "+format, append([]any{p.what}, args...)...)
}

// Every problem on the draft's forms leads, from the error summary, to a
// place on the page (checkPage checks each link), and the choices made are
// still there.
func TestPages_DraftFormProblemsLeadToTheirPlace(t *testing.T) {
	t.Parallel()
	pgEach(t, func(t *testing.T, s *pgSite) {
		sara := s.login(t, "samordnare")
		path := s.createRound(t, sara, "Felrunda")
		_, cands := s.do(t, sara, path+"/kandidater", nil)
		_, groups := s.do(t, sara, path+"/grupper", nil)
		stale := pgVersion(t, cands, path+"/kandidater")
		ids := s.chooseCandidates(t, sara, path, 1)
		diabetes := pgGroupID(t, groups, "LPO Diabetes/endokrina")

		tests := []struct {
			name   string
			path   string
			form   url.Values
			status int
			texts  []string
		}{
			{"stale candidates", path + "/kandidater", url.Values{"version": {stale}, "support_ids": ids}, http.StatusConflict,
				[]string{`href="#f-conflict"`, `value="` + ids[0] + `" checked`}},
			{"unreadable candidate", path + "/kandidater", url.Values{"version": {stale}, "support_ids": {"abc"}}, http.StatusUnprocessableEntity,
				[]string{`href="#f-support_ids"`}},
			{"stale groups", path + "/grupper", url.Values{"version": {stale}, "group_ids": {diabetes}}, http.StatusConflict,
				[]string{`href="#f-conflict"`, `value="` + diabetes + `" checked`}},
			{"labels for part of the scale", path + "/redigera", func() url.Values {
				f := s.roundForm("Felrunda")
				f.Set("version", pgVersion(t, s.get(t, sara, path+"/redigera"), path+"/redigera"))
				f.Set("scale_label.3", "")
				f.Set("scale_label.4", "")
				f.Set("scale_label.5", "")
				f.Set("scale_label.1", "")
				return f
			}(), http.StatusUnprocessableEntity, []string{`href="#f-scale_labels"`, "Ganska låg"}},
			{"one axis only", path + "/redigera", func() url.Values {
				f := s.roundForm("Felrunda")
				f.Set("version", pgVersion(t, s.get(t, sara, path+"/redigera"), path+"/redigera"))
				f.Set("criteria.2.axis", "importance")
				return f
			}(), http.StatusUnprocessableEntity, []string{`href="#f-criteria"`, "Ange minst ett kriterium för viktighet och ett för genomförbarhet."}},
		}
		for _, tt := range tests {
			res, body := s.do(t, sara, tt.path, tt.form)
			pgWant(t, tt.name, res, body, tt.status, tt.texts...)
		}
	})
}

// get fetches the page at path as c.
func (s *pgSite) get(t *testing.T, c *http.Client, path string) string {
	t.Helper()
	res, body := s.do(t, c, path, nil)
	pgWant(t, "GET "+path, res, body, http.StatusOK)
	return body
}

// Searching the eligible supports keeps the boxes ticked so far: the search
// sends them along with the version they were ticked on, so saving after a
// search neither loses them nor overwrites someone else's change unseen.
func TestPages_CandidateSearchKeepsTheTickedBoxes(t *testing.T) {
	t.Parallel()
	pgEach(t, func(t *testing.T, s *pgSite) {
		sara := s.login(t, "samordnare")
		path := s.createRound(t, sara, "Sökrunda")
		body := s.get(t, sara, path+"/kandidater")
		version := pgVersion(t, body, path+"/kandidater")
		boxes := pgSupportBox.FindAllStringSubmatch(body, -1)
		if len(boxes) < 2 {
			t.Fatalf("%d eligible supports, want 2", len(boxes))
		}
		first, second := boxes[0][1], boxes[1][1]
		if !strings.Contains(body, `formmethod="get"`) {
			t.Fatal("the search button does not send the ticked boxes along")
		}

		search := url.Values{"version": {version}, "q": {"ingenting-alls-finns"}, "sok": {"1"}, "support_ids": {first}}
		res, body := s.do(t, sara, path+"/kandidater?"+search.Encode(), nil)
		pgWant(t, "search with a box ticked", res, body, http.StatusOK, `value="`+first+`" checked`, "!"+`value="`+second+`" checked`,
			"Inga fler kunskapsstöd att välja.", `value="ingenting-alls-finns"`)
		if got := pgVersion(t, body, path+"/kandidater"); got != version {
			t.Fatalf("the search gave the form version %s, want the version ticked on, %s", got, version)
		}
		// A plain search link shows what is saved.
		res, body = s.do(t, sara, path+"/kandidater?q=ingenting-alls-finns", nil)
		pgWant(t, "plain search", res, body, http.StatusOK, "!"+`value="`+first+`" checked`)

		// Saving after the search keeps the box.
		res, body = s.do(t, sara, path+"/kandidater", url.Values{"version": {version}, "q": {"ingenting-alls-finns"}, "support_ids": {first, second}})
		pgRedirect(t, "save after search", res, body, path)
		res, body = s.do(t, sara, path+"/kandidater", nil)
		pgWant(t, "saved", res, body, http.StatusOK, `value="`+first+`" checked`, `value="`+second+`" checked`)

		// A search from a stale form keeps its version, so the save is a conflict.
		res, body = s.do(t, sara, path+"/kandidater?"+search.Encode(), nil)
		pgWant(t, "stale search", res, body, http.StatusOK)
		res, body = s.do(t, sara, path+"/kandidater", url.Values{"version": {pgVersion(t, body, path+"/kandidater")}, "support_ids": {first}})
		pgWant(t, "save from a stale search", res, body, http.StatusConflict, `href="#f-conflict"`)
	})
}
