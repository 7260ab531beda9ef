package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/officetest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// evalJSON calls the JavaScript function fn with arg in the user's page,
// awaiting a promise, and decodes its result into out.
func (u *flowUser) evalJSON(fn string, arg any, out any) {
	u.t.Helper()
	a, err := json.Marshal(arg)
	u.fatal("encode the argument", err)
	ctx, cancel := context.WithTimeout(u.b.Ctx(), 20*time.Second)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](fmt.Sprintf("(%s)(%s)", fn, a), chromedp.EvalAwaitPromise))
	u.fatal("evaluate", err)
	u.fatal("decode the result", json.Unmarshal(raw, out))
}

// fetched is a response the page fetched in the user's session.
type fetched struct {
	Status      int    `json:"status"`
	Type        string `json:"type"`
	Disposition string `json:"disposition"`
	Text        string `json:"text"`
	Data        string `json:"data"` // base64
}

// download fetches path in the user's session, as the browser would when the
// user follows a download link, and returns the response with its bytes.
func (u *flowUser) download(path string) (fetched, []byte) {
	u.t.Helper()
	var f fetched
	u.evalJSON(`async (p) => {
		const r = await fetch(p);
		const b = new Uint8Array(await r.arrayBuffer());
		let s = "";
		for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode.apply(null, b.subarray(i, i + 0x8000));
		return {status: r.status, type: r.headers.get("Content-Type") || "", disposition: r.headers.get("Content-Disposition") || "", text: "", data: btoa(s)};
	}`, path, &f)
	body, err := base64.StdEncoding.DecodeString(f.Data)
	u.fatal("decode "+path, err)
	return f, body
}

// post sends a form to path in the user's session, as a form on the page
// would, and returns the answer.
func (u *flowUser) post(path string, form url.Values) fetched {
	u.t.Helper()
	var f fetched
	u.evalJSON(`async ([p, body]) => {
		const r = await fetch(p, {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded"}, body, redirect: "manual"});
		return {status: r.status, type: r.headers.get("Content-Type") || "", disposition: "", text: await r.text(), data: ""};
	}`, []string{path, form.Encode()}, &f)
	return f
}

// texts is the trimmed text (textContent, so closed details count) of each
// element that matches sel.
func (u *flowUser) texts(sel string) []string {
	u.t.Helper()
	var out []string
	u.evalJSON(`(sel) => [...document.querySelectorAll(sel)].map(e => e.textContent.replace(/\s+/g, " ").trim())`, sel, &out)
	return out
}

// hrefs are the href attributes of the elements that match sel.
func (u *flowUser) hrefs(sel string) []string {
	u.t.Helper()
	var out []string
	u.evalJSON(`(sel) => [...document.querySelectorAll(sel)].map(e => e.getAttribute("href"))`, sel, &out)
	return out
}

// pickRadio tabs into the radio group name and moves through it with the
// arrow keys until the button with value is chosen, as a keyboard user
// rates: from the group's end upwards for high values, from its start
// downwards for low ones.
func (u *flowUser) pickRadio(name, value string, up bool) {
	u.t.Helper()
	group := `main input[type=radio][name="` + name + `"]`
	u.fatal("tab to "+name, u.b.TabTo(group, 80))
	key := kb.ArrowDown
	if up {
		key = kb.ArrowUp
	}
	for range 12 {
		if ok, _ := u.b.FocusedSelectorMatches(group + `[value="` + value + `"]:checked`); ok {
			return
		}
		u.fatal("arrow in "+name, u.b.Type(key))
	}
	u.t.Fatalf("%s: the arrow keys did not reach %s in %s", u.who, value, name)
}

// rateSheet rates every criterion of the sheet on the page, imp on the
// importance criteria and feas on the feasibility ones, and writes comment on
// the first criterion.
func (u *flowUser) rateSheet(imp, feas int, comment string) {
	u.t.Helper()
	axes := u.texts("main form fieldset.choices > legend")
	if len(axes) != 8 {
		u.t.Fatalf("%s: the sheet has %d criteria, want the 8 default ones: %q", u.who, len(axes), axes)
	}
	for i, legend := range axes {
		v := feas
		if strings.HasPrefix(legend, "Viktighet") {
			v = imp
		}
		u.pickRadio("scores."+strconv.Itoa(i)+".value", strconv.Itoa(v), v >= 3)
		if i == 0 && comment != "" {
			u.fill(`[id="f-scores.0.comment"]`, comment)
		}
	}
}

// sheetScores are the values chosen on the sheet on the page, by criterion.
func (u *flowUser) sheetScores() []string {
	u.t.Helper()
	var out []string
	u.evalJSON(`() => [...document.querySelectorAll("main form fieldset.choices")].map(f => { const r = f.querySelector("input[type=radio]:checked"); return r ? r.value : "(none)"; })`, nil, &out)
	return out
}

// groupSheets are the sheet links of group on the rating list, in the
// candidates' order.
func (u *flowUser) groupSheets(group string) []string {
	u.t.Helper()
	var out []string
	u.evalJSON(`(g) => { const h = [...document.querySelectorAll("main h2")].find(h => h.textContent.trim() === g); return h ? [...h.nextElementSibling.querySelectorAll("tbody a")].map(a => a.getAttribute("href")) : []; }`, group, &out)
	if len(out) != 3 {
		u.t.Fatalf("%s: the rating list has %d sheets for %s, want 3: %q", u.who, len(out), group, out)
	}
	return out
}

// tableRows are the cells' texts of the rows of the first table that
// matches sel.
func (u *flowUser) tableRows(sel string) [][]string {
	u.t.Helper()
	var out [][]string
	u.evalJSON(`(sel) => { const t = document.querySelector(sel); return t ? [...t.querySelectorAll("tbody tr")].map(r => [...r.cells].map(c => c.innerText.replace(/\s+/g, " ").trim())) : []; }`, sel, &out)
	return out
}

// TestBrowser_PrioritisationRoundFlow is issue 6's "done when" in the
// browser, on both databases: the coordinator creates a round from the
// defaults, chooses three watched supports and two assessor groups and opens
// it; ledning cannot decide while it is open; two members of LPO
// Diabetes/endokrina rate in their own tabs, the second meets the first's
// saved sheet on a conflict page with their own input kept and saves
// deliberately; the coordinator registers the other group's ratings, closes
// the round, reviews the matrix and ranking, proposes two supports, starts
// the forum case, records the primary-care council's anchoring, downloads
// the decision basis (opened in LibreOffice and read with pdftotext) and
// attaches it to the case; ledning records HSL's decision; and the catalog
// shows each support's new status and history, and the time plan the two
// decided supports. Every page is checked with axe-core, and everything is
// done by keyboard.
func TestBrowser_PrioritisationRoundFlow(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	dbtest.EachSeeded(t, demoKey, seedDemo, func(t *testing.T, d *db.DB) {
		a, err := New(Config{}, slog.New(slog.DiscardHandler), d)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.Handler)
		t.Cleanup(srv.Close)
		priorityFlow(t, srv.URL, browsertest.New(t))
	})
}

func priorityFlow(t *testing.T, base string, browser *browsertest.Browser) {
	today := date.Of(time.Now(), i18n.Stockholm())
	year := today.Year() + 2
	y := strconv.Itoa(year)
	title := "Prioritering av kunskapsstöd " + y
	const (
		diabetes = "LPO Diabetes/endokrina"
		heart    = "LPO Hjärta-kärl"
	)

	// 1. The coordinator creates the round from the prefilled form.
	sara := newFlowUser(t, browser, base, "samordnare")
	sara.follow(`header a[href="/prioritering"]`, "rounds")
	sara.follow(`main a[href="/prioritering/ny"]`, "new round")
	if got := sara.value("#f-year"); got != strconv.Itoa(today.Year()+1) {
		t.Errorf("the new round's year is %q, want next year", got)
	}
	if got := sara.value("#f-deadline"); got != today.AddDays(42).String() {
		t.Errorf("the new round's deadline is %q, want six weeks ahead", got)
	}
	if got := sara.value(`[id="f-criteria.0.label"]`); got == "" {
		t.Error("the new round has no default criteria")
	}
	sara.fill("#f-year", y)
	sara.fill("#f-title", title)
	sara.submit("/prioritering/ny", "the new round")
	round := sara.path()
	if !regexp.MustCompile(`^/prioritering/\d+$`).MatchString(round) {
		t.Fatalf("after creating: at %s", round)
	}
	if flash := sara.flash(); !strings.Contains(flash, title) {
		t.Errorf("after creating: flash %q", flash)
	}

	// 2. Three watched supports that no other undecided round holds.
	sara.follow(`main a[href="`+round+`/kandidater"]`, "candidates")
	var eligible []struct{ Label, Title string }
	sara.evalJSON(`() => [...document.querySelectorAll("main form[method=post] fieldset:nth-of-type(2) input[type=checkbox]")].map(i => ({Label: i.labels[0].textContent.trim(), Title: i.labels[0].firstChild.textContent.trim()}))`, nil, &eligible)
	var labels, titles []string
	for _, e := range eligible {
		if strings.HasSuffix(e.Label, ", Bevakas)") && len(titles) < 3 {
			labels, titles = append(labels, e.Label), append(titles, e.Title)
		}
	}
	if len(titles) < 3 {
		t.Fatalf("fewer than three watched supports to choose: %q", eligible)
	}
	if others := sara.texts("main p.muted"); len(others) == 0 || !strings.Contains(strings.Join(others, "\n"), "kandidat i en annan omgång") {
		t.Errorf("the candidates page does not show the supports held by the open round: %q", others)
	}
	sara.setBoxes(round+"/kandidater", labels...)
	sara.submit(round+"/kandidater", "round with candidates")
	if rows := sara.tableRows("main table"); len(rows) != 3 || rows[0][1] != titles[0] || rows[0][2] != "Bevakas" {
		t.Errorf("the round's candidates: %q", rows)
	}
	supports := sara.hrefs(`main table a[href^="/kunskapsstod/"]`)
	if len(supports) != 3 {
		t.Fatalf("links to the candidates' supports: %q", supports)
	}

	// 3. Two assessor groups.
	sara.follow(`main a[href="`+round+`/grupper"]`, "groups")
	sara.setBoxes(round+"/grupper", diabetes, heart)
	sara.submit(round+"/grupper", "round with groups")
	if text, _ := sara.b.Text(`main h2#f-group_ids + div table`); !strings.Contains(text, diabetes) || !strings.Contains(text, heart) {
		t.Errorf("the round's groups: %q", text)
	}

	// 4. Open: the watched candidates become inventoried.
	sara.submit(round+"/oppna", "open round")
	if flash := sara.flash(); !strings.Contains(flash, "öppen för bedömning") {
		t.Errorf("after opening: flash %q", flash)
	}
	for _, r := range sara.tableRows("main table") {
		if r[2] != "Inventerad" {
			t.Errorf("after opening, %s is %q in the catalog, want Inventerad", r[1], r[2])
		}
	}

	// 5. Ledning cannot decide on an open round: the page says so, and a
	// decision sent anyway is refused with the same message.
	lena := newFlowUser(t, browser, base, "ledning")
	lena.open(round+"/beslut", "decision page of an open round")
	const notClosed = "Omgången är inte stängd"
	if text, _ := lena.b.Text("main #f-round"); !strings.Contains(text, notClosed) {
		t.Errorf("ledning's decision page of an open round: %q", text)
	}
	if n := len(lena.texts(`main form[action$="/beslut"]`)); n != 0 {
		t.Error("the decision page offers its form on an open round")
	}
	version := sara.value(`main form[action$="/stang"] input[name=version]`)
	res := lena.post(round+"/beslut", url.Values{"version": {version}, "decided_on": {today.String()}, "text": {"HSL beslutar."}})
	lena.b.ResetConsole() // the refusal's status, logged by the fetch
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Text, notClosed) {
		t.Errorf("a decision on an open round: status %d, message shown: %v", res.Status, strings.Contains(res.Text, notClosed))
	}

	// 6. Erik opens the first candidate's sheet for LPO Diabetes/endokrina;
	// Ulf rates all three, the first before Erik saves.
	erik := newFlowUser(t, browser, base, "enhet")
	erik.follow(`header a[href="/prioritering"]`, "rounds as enhet")
	erik.follow(`main a[href="`+round+`"]`, "round as enhet")
	erik.follow(`main a[href="`+round+`/bedomning"]`, "rating list as enhet")
	sheets := erik.groupSheets(diabetes)
	erik.follow(`main a[href="`+sheets[0]+`"]`, "sheet as enhet")

	ulf := newFlowUser(t, browser, base, "utvecklare")
	ulf.follow(`header a[href="/prioritering"]`, "rounds as utvecklare")
	ulf.follow(`main a[href="`+round+`"]`, "round as utvecklare")
	ulf.follow(`main a[href="`+round+`/bedomning"]`, "rating list as utvecklare")
	if got := ulf.groupSheets(diabetes); !slices.Equal(got, sheets) {
		t.Errorf("Ulf's sheets %q, Erik's %q", got, sheets)
	}
	if hs := ulf.texts("main h2"); slices.Contains(hs, heart) {
		t.Errorf("Ulf may rate for %s: %q", heart, hs)
	}
	const ulfsComment = "Fotvården behöver stärkas."
	ulf.follow(`main a[href="`+sheets[0]+`"]`, "first sheet")
	ulf.rateSheet(4, 4, ulfsComment)
	next := func(u *flowUser, to string) {
		t.Helper()
		u.fatal("tab to save and next", u.b.TabTo(`main form button[name=next]`, 150))
		u.fatal("save and next", u.b.Enter())
		if p := u.path(); p != to {
			t.Fatalf("%s: after save and next: at %s, want %s", u.who, p, to)
		}
		if flash := u.flash(); !strings.Contains(flash, "sparad") {
			t.Errorf("%s: after save and next: flash %q", u.who, flash)
		}
		u.check("next sheet")
	}
	next(ulf, sheets[1])
	ulf.rateSheet(4, 3, "")
	next(ulf, sheets[2])
	ulf.rateSheet(2, 2, "Låg angelägenhet.")
	ulf.submit(sheets[2], "rating list after the last sheet")
	if p := ulf.path(); p != round+"/bedomning" {
		t.Errorf("after the last sheet: at %s", p)
	}
	if rows := ulf.tableRows("main table"); len(rows) != 3 || rows[0][1] != "Klar" || rows[2][1] != "Klar" || !strings.Contains(rows[0][2], "Ulf Utvecklare") {
		t.Errorf("Ulf's rating list: %q", rows)
	}

	// 7. Erik saves over Ulf's sheet: the conflict page shows Ulf's rating and
	// keeps Erik's; he saves deliberately.
	const eriksComment = "Fotsår kostar mest."
	erik.rateSheet(5, 4, eriksComment)
	eriksScores := erik.sheetScores()
	erik.fatal("tab to save", erik.b.TabTo(`main form[action$="`+sheets[0]+`"] button[type=submit]`, 150))
	erik.fatal("save", erik.b.Enter())
	erik.check("conflict page")
	if p := erik.path(); p != sheets[0] {
		t.Fatalf("Erik's save over Ulf's: at %s", p)
	}
	if text, _ := erik.b.Text("main #f-conflict"); !strings.Contains(text, "Ulf Utvecklare") || !strings.Contains(text, ulfsComment) || !strings.Contains(text, "4 – Hög") {
		t.Errorf("the conflict page does not show Ulf's sheet: %q", text)
	}
	if text, _ := erik.b.Text(".error-summary"); !strings.Contains(text, "En annan medlem") {
		t.Errorf("the conflict's error summary: %q", text)
	}
	if got := erik.sheetScores(); !slices.Equal(got, eriksScores) {
		t.Errorf("Erik's scores on the conflict page %q, he chose %q", got, eriksScores)
	}
	if got := erik.value(`[id="f-scores.0.comment"]`); got != eriksComment {
		t.Errorf("Erik's comment on the conflict page: %q", got)
	}
	erik.submit(sheets[0], "rating list after saving deliberately")
	if flash := erik.flash(); !strings.Contains(flash, "sparad") {
		t.Errorf("after saving deliberately: flash %q", flash)
	}
	erik.follow(`main a[href="`+sheets[0]+`"]`, "the saved sheet")
	if got := erik.sheetScores(); !slices.Equal(got, eriksScores) {
		t.Errorf("the saved sheet %q, Erik chose %q", got, eriksScores)
	}

	// 8. The coordinator registers LPO Hjärta-kärl's answers.
	sara.follow(`main a[href="`+round+`/bedomning"]`, "rating list as coordinator")
	heartSheets := sara.groupSheets(heart)
	for i, s := range []struct {
		imp, feas int
		comment   string
	}{{4, 5, "Chefsstöd finns."}, {4, 4, ""}, {1, 2, ""}} {
		sara.follow(`main a[href="`+heartSheets[i]+`"]`, "sheet for "+heart)
		sara.rateSheet(s.imp, s.feas, s.comment)
		sara.submit(heartSheets[i], "rating list after registering")
	}

	// 9. Closed: the candidates become prioritised.
	sara.follow(`main a[href="`+round+`"]`, "round before closing")
	if rows := sara.tableRows(`main h2#f-group_ids + div table`); len(rows) != 2 || !slices.Equal(rows[0][1:], []string{"3", "0", "0"}) || !slices.Equal(rows[1][1:], []string{"3", "0", "0"}) {
		t.Errorf("the groups' progress before closing: %q", rows)
	}
	sara.submit(round+"/stang", "closed round")
	if flash := sara.flash(); !strings.Contains(flash, "stängd") {
		t.Errorf("after closing: flash %q", flash)
	}
	for _, r := range sara.tableRows("main table") {
		if r[2] != "Prioriterad" {
			t.Errorf("after closing, %s is %q in the catalog, want Prioriterad", r[1], r[2])
		}
	}

	// 10. The results: matrix, its table, the ranking and the comments.
	sara.follow(`main a[href="`+round+`/resultat"]`, "results")
	if n := len(sara.texts(`main section[aria-labelledby="matrix-title"] svg[role="img"] > title`)); n != 1 {
		t.Errorf("the matrix is not an image with a title (%d)", n)
	}
	if text, _ := sara.b.Text(`main section[aria-labelledby="matrix-title"] table`); !containsAll(text, titles) {
		t.Errorf("the matrix's table lacks the candidates: %q", text)
	}
	ranking := sara.tableRows("main table.ranking")
	if len(ranking) != 3 {
		t.Fatalf("the ranking: %q", ranking)
	}
	for i, want := range []struct{ place, title, quadrant, total string }{
		{"1", titles[0], "Inför", "4,50"}, {"2", titles[1], "Inför", "3,75"}, {"3", titles[2], "Avvakta", "1,75"},
	} {
		r := ranking[i]
		if r[0] != want.place || r[2] != want.title || !strings.HasPrefix(r[3], want.quadrant) || r[len(r)-1] != want.total {
			t.Errorf("ranking row %d: %q, want place %s, %s, %s…, total %s", i+1, r, want.place, want.title, want.quadrant, want.total)
		}
	}
	comments := strings.Join(sara.texts("main details.comments"), "\n")
	if !containsAll(comments, []string{eriksComment, "Chefsstöd finns.", "Låg angelägenhet."}) || strings.Contains(comments, ulfsComment) {
		t.Errorf("the comments: %q", comments)
	}

	// 11. The proposal: the first two, in order, with their planned time.
	sara.follow(`main a[href="`+round+`/forslag"]`, "proposal")
	plan := []struct{ start, end date.Date }{
		{date.New(year, 1, 15), date.New(year, 6, 30)},
		{date.New(year, 3, 1), date.New(year, 12, 31)},
	}
	for i, ti := range titles {
		var id string
		sara.evalJSON(`(l) => { const i = [...document.querySelectorAll("main input[type=checkbox]")].find(i => i.labels[0].textContent.trim() === l); return i ? i.id : ""; }`,
			"Föreslå "+ti+" för införande", &id)
		row, ok := strings.CutSuffix(id, ".proposed")
		if !ok {
			t.Fatalf("no proposal row for %s", ti)
		}
		sara.fatal("tab to "+id, sara.b.TabTo(`[id="`+id+`"]`, 150))
		if sara.checked(id) != (i < 2) {
			sara.fatal("press space on "+id, sara.b.Type(" "))
		}
		if sara.checked(id) != (i < 2) {
			t.Fatalf("proposing %s: the box is not %v", ti, i < 2)
		}
		if i < 2 {
			sara.fill(`[id="`+row+`.proposed_order"]`, strconv.Itoa(i+1))
			sara.fill(`[id="`+row+`.planned_start"]`, plan[i].start.String())
			sara.fill(`[id="`+row+`.planned_end"]`, plan[i].end.String())
		}
	}
	sara.submit(round+"/forslag", "proposal saved")
	if flash := sara.flash(); !strings.Contains(flash, "Förslaget är sparat") {
		t.Errorf("after the proposal: flash %q", flash)
	}

	// 12. The forum case, started from the round, links back to it.
	sara.follow(`main a[href="`+round+`/resultat"]`, "results with a proposal")
	sara.follow(`main a[href="`+round+`"]`, "round with a proposal")
	sara.follow(`main a[href="`+round+`/arende"]`, "anchoring page")
	sara.choose("#f-responsible_person_id", "Sara Samordnare")
	sara.submit(round+"/arende", "the round's case")
	casePath := sara.path()
	if !regexp.MustCompile(`^/arenden/\d+$`).MatchString(casePath) {
		t.Fatalf("after starting the case: at %s", casePath)
	}
	number, _ := sara.b.Text("main h1 .case-number")
	if flash := sara.flash(); number == "" || !strings.Contains(flash, number) {
		t.Errorf("after starting the case %q: flash %q", number, flash)
	}
	if n := len(sara.hrefs(`main a[href="` + round + `"]`)); n == 0 {
		t.Error("the case page does not link back to the round")
	}

	// 13. The primary-care council anchors the proposal (a step on the case).
	sara.choose("#f-kind", "Förankring")
	sara.fill("#f-date", today.String())
	sara.choose("#f-forum_id", "Lokalt primärvårdsråd")
	sara.choose("#f-outcome", "Ställer sig bakom")
	sara.fill("#f-comment", "Rådet är enigt.")
	sara.submit(casePath+"/steg", "case page after anchoring")
	if flash := sara.flash(); !strings.Contains(flash, "Förankring") {
		t.Errorf("after anchoring: flash %q", flash)
	}

	// 14. The decision basis: Word and PDF, opened in LibreOffice and read
	// with pdftotext, then attached to the case.
	sara.follow(`main a[href="`+round+`"]`, "round from its case")
	sara.follow(`main a[href="`+round+`/arende"]`, "anchoring page with the case")
	if text, _ := sara.b.Text("main #council-status"); !strings.Contains(text, today.String()) || !strings.Contains(text, "Ställer sig bakom") {
		t.Errorf("the council's anchoring on the round: %q", text)
	}
	files := map[string][]byte{}
	for _, ext := range []string{"docx", "pdf"} {
		link := sara.hrefs(`main ul.downloads a[href$=".` + ext + `"]`)
		if len(link) != 1 {
			t.Fatalf("the anchoring page's %s link: %q", ext, link)
		}
		f, body := sara.download(link[0])
		if f.Status != http.StatusOK || !strings.Contains(f.Disposition, "."+ext) || len(body) < 1000 {
			t.Fatalf("the decision basis (%s): status %d, %q, %q, %d bytes", ext, f.Status, f.Type, f.Disposition, len(body))
		}
		files[ext] = body
	}
	if !strings.HasPrefix(string(files["docx"]), "PK") || !strings.HasPrefix(string(files["pdf"]), "%PDF") {
		t.Error("the decision basis files are not a DOCX and a PDF")
	}
	t.Run("office", func(t *testing.T) {
		tools := officetest.Require(t)
		dir := t.TempDir()
		for ext, body := range files {
			if err := os.WriteFile(filepath.Join(dir, "beslutsunderlag."+ext), body, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		out := filepath.Join(dir, "lo")
		tools.ConvertToPDF(t, dir, out, filepath.Join(dir, "beslutsunderlag.docx"))
		for _, p := range []string{filepath.Join(out, "beslutsunderlag.pdf"), filepath.Join(dir, "beslutsunderlag.pdf")} {
			if n := tools.Pages(t, p); n < 2 {
				t.Errorf("%s: %d pages", p, n)
			}
			text := strings.Join(strings.Fields(tools.Text(t, p)), " ")
			if !containsAll(text, append([]string{title, "Rangordning", number}, titles...)) {
				t.Errorf("%s lacks the round's title, ranking, case or candidates:\n%s", p, text)
			}
		}
	})
	sara.submit(round+"/beslutsunderlag/bifoga", "anchoring page with the basis attached")
	if flash := sara.flash(); !strings.Contains(flash, "bifogat") {
		t.Errorf("after attaching: flash %q", flash)
	}
	if docs := sara.texts(`main h3 + ul li`); len(docs) != 2 || !strings.Contains(docs[0]+docs[1], ".docx") || !strings.Contains(docs[0]+docs[1], ".pdf") {
		t.Errorf("the case's documents: %q", docs)
	}

	// 15. Ledning records HSL's decision: the first two introduced in order,
	// the third watched again.
	lena.follow(`header a[href="/prioritering"]`, "rounds as ledning")
	lena.follow(`main a[href="`+round+`"]`, "closed round as ledning")
	lena.follow(`main a[href="`+round+`/beslut"]`, "decision form")
	legends := lena.texts("main fieldset.decision-row > legend")
	if len(legends) != 3 {
		t.Fatalf("the decision form's candidates: %q", legends)
	}
	outcome := func(ti string) string {
		t.Helper()
		var n string
		lena.evalJSON(`(ti) => { const f = [...document.querySelectorAll("main fieldset.decision-row")].find(f => f.querySelector("legend").textContent.trim().endsWith(". " + ti)); return f ? f.querySelector("input[type=radio]").name : ""; }`, ti, &n)
		if n == "" {
			t.Fatalf("no decision row for %s", ti)
		}
		return strings.TrimSuffix(n, ".outcome")
	}
	if text := lena.value("#f-text"); !containsAll(text, []string{title, "1. " + titles[0], "2. " + titles[1]}) {
		t.Errorf("the suggested decision text: %q", text)
	}
	for i, ti := range titles {
		row := outcome(ti)
		if i < 2 {
			lena.pickRadio(row+".outcome", "decided", false)
			if got := lena.value(`[id="f-` + row + `.order"]`); got != strconv.Itoa(i+1) {
				t.Errorf("%s: order %q prefilled, want %d", ti, got, i+1)
			}
			if got := lena.value(`[id="f-` + row + `.planned_start"]`); got != plan[i].start.String() {
				t.Errorf("%s: start %q prefilled, want %s", ti, got, plan[i].start)
			}
			continue
		}
		lena.pickRadio(row+".outcome", "watched", false)
	}
	// HSL gives the second support more time.
	plan[1].end = date.New(year+1, 3, 31)
	lena.fillDate(`[id="f-`+outcome(titles[1])+`.planned_end"]`, plan[1].end)
	lena.submit(round+"/beslut", "round after the decision")
	if flash := lena.flash(); !strings.Contains(flash, "HSL:s beslut är registrerat") {
		t.Errorf("after the decision: flash %q", flash)
	}
	if text, _ := lena.b.Text("main #f-status"); text != "Beslutad" {
		t.Errorf("the round's status after the decision: %q", text)
	}

	// 16. The catalog: each support's status and its history through the round.
	reason := map[string]string{
		"Inventerad":  "Kandidat i prioriteringsomgången ”" + title + "”.",
		"Prioriterad": "Bedömt av programområdena i prioriteringsomgången ”" + title + "”.",
		"decision":    "HSL:s beslut i ärende " + number + " om prioriteringsomgången ”" + title + "”.",
	}
	for i, href := range supports {
		lena.follow(`main a[href="`+href+`"]`, "support "+titles[i])
		want := "Beslutad för införande"
		if i == 2 {
			want = "Bevakas"
		}
		if status, _ := lena.b.Text("main dl.summary strong"); status != want {
			t.Errorf("%s: status %q, want %q", titles[i], status, want)
		}
		history := lena.tableRows(`main section[aria-labelledby="history-title"] table`)
		steps := []struct{ from, to, reason string }{
			{"Bevakas", "Inventerad", reason["Inventerad"]},
			{"Inventerad", "Prioriterad", reason["Prioriterad"]},
			{"Prioriterad", want, reason["decision"]},
		}
		k := 0
		for _, r := range history {
			if k < len(steps) && len(r) == 5 && r[1] == steps[k].from && r[2] == steps[k].to && r[3] == steps[k].reason {
				k++
			}
		}
		if k < len(steps) {
			t.Errorf("%s: the history lacks %s → %s (%s):\n%q", titles[i], steps[k].from, steps[k].to, steps[k].reason, history)
		}
		lena.open(round, "round again")
	}

	// 17. The time plan of the year lists the two decided supports.
	lena.open("/tidsplan?ar="+y, "time plan")
	var planned []string
	for _, r := range lena.tableRows("main table") {
		if len(r) == 6 && r[1] == title {
			planned = append(planned, r[2]+". "+r[0])
		}
	}
	if want := []string{"1. " + titles[0], "2. " + titles[1]}; !slices.Equal(planned, want) {
		t.Errorf("the time plan for %d lists %q from the round, want %q", year, planned, want)
	}
}
