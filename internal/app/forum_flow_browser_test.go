package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// flowClock is the app's clock in the flow test: the real time moved by an
// offset, so the first part of the flow happens a week ago and the rest today.
type flowClock struct{ offset atomic.Int64 }

func (c *flowClock) now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

func (c *flowClock) set(d time.Duration) { c.offset.Store(int64(d)) }

// flowUser is one person in the flow: a tab of their own (own cookies),
// signed in by keyboard, with the actions a user takes on a page.
type flowUser struct {
	t    *testing.T
	b    *browsertest.Browser
	base string
	who  string
}

func newFlowUser(t *testing.T, browser *browsertest.Browser, base, username string) *flowUser {
	t.Helper()
	u := &flowUser{t: t, b: browser.NewTab(t), base: base, who: username}
	loginByKeyboard(t, u.b, base, username)
	u.check("start page")
	return u
}

func (u *flowUser) fatal(what string, err error) {
	u.t.Helper()
	if err != nil {
		u.t.Fatalf("%s: %s: %v", u.who, what, err)
	}
}

// check asserts that the page has an h1 and no axe violations or console
// errors.
func (u *flowUser) check(what string) {
	u.t.Helper()
	if h1, _ := u.b.Text("main h1"); h1 == "" {
		loc, _ := u.b.Location()
		u.t.Errorf("%s: %s (%s): no h1", u.who, what, loc)
	}
	checkPage(u.t, u.b, u.who+": "+what)
}

// open loads a path as a user would by typing it into the address bar.
func (u *flowUser) open(path, what string) {
	u.t.Helper()
	u.fatal("open "+path, u.b.Navigate(u.base+path))
	u.check(what)
}

// follow tabs to the link (a CSS selector) and presses Enter.
func (u *flowUser) follow(sel, what string) {
	u.t.Helper()
	u.fatal("tab to "+sel, u.b.TabTo(sel, 150))
	u.fatal("follow "+sel, u.b.Enter())
	u.check(what)
}

// fill tabs to a text field and types text; tabbing into a filled input
// selects its text, so the text replaces it.
func (u *flowUser) fill(sel, text string) {
	u.t.Helper()
	u.fatal("tab to "+sel, u.b.TabTo(sel, 80))
	u.fatal("type into "+sel, u.b.Type(text))
	if got := u.value(sel); got != text {
		u.t.Fatalf("%s: %s holds %q after typing %q", u.who, sel, got, text)
	}
}

// choose tabs to a select and types the start of an option's label, as a
// keyboard user picks an option; it fails unless that option is selected.
func (u *flowUser) choose(sel, label string) {
	u.t.Helper()
	u.fatal("tab to "+sel, u.b.TabTo(sel, 80))
	u.fatal("type into "+sel, u.b.Type(label))
	got, err := u.eval(`(sel) => { const s = document.querySelector(sel); return s.selectedIndex < 0 ? "" : s.options[s.selectedIndex].text; }`, sel)
	u.fatal("read "+sel, err)
	if !strings.HasPrefix(got, label) {
		u.t.Fatalf("%s: typing %q in %s chose %q", u.who, label, sel, got)
	}
}

// setBox tabs to the checkbox whose label starts with label and presses
// space if it is not as wanted.
func (u *flowUser) setBox(label string, want bool) {
	u.t.Helper()
	id, err := u.eval(`(label) => { const i = [...document.querySelectorAll("main input[type=checkbox]")].find(i => i.labels[0] && i.labels[0].textContent.trim().startsWith(label)); return i ? i.id : ""; }`, label)
	u.fatal("find the box "+label, err)
	if id == "" {
		u.t.Fatalf("%s: no checkbox labelled %q", u.who, label)
	}
	u.fatal("tab to "+label, u.b.TabTo("#"+id, 80))
	if u.checked(id) != want {
		u.fatal("press space on "+label, u.b.Type(" "))
	}
	if u.checked(id) != want {
		u.t.Fatalf("%s: the box %q is not %v", u.who, label, want)
	}
}

func (u *flowUser) checked(id string) bool {
	u.t.Helper()
	v, err := u.eval(`(id) => String(document.getElementById(id).checked)`, id)
	u.fatal("read the box "+id, err)
	return v == "true"
}

// setBoxes ticks the checkboxes of the form whose action ends in action
// that are labelled with one of want, and clears the others, in page order.
func (u *flowUser) setBoxes(action string, want ...string) {
	u.t.Helper()
	ctx, cancel := context.WithTimeout(u.b.Ctx(), 10*time.Second)
	defer cancel()
	labels, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(`[...document.querySelectorAll('main form[action$=%q] input[type=checkbox]')].map(i => i.labels[0].textContent.trim())`, action)))
	u.fatal("list the boxes", err)
	for _, l := range labels {
		u.setBox(l, slices.Contains(want, l))
	}
}

// fillDate tabs to an input of type date and types the day's parts in the
// order the browser's locale shows them.
func (u *flowUser) fillDate(sel string, d date.Date) {
	u.t.Helper()
	u.fatal("tab to "+sel, u.b.TabTo(sel, 80))
	order, err := u.eval(`() => new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(2001, 1, 3)).filter(p => p.type !== "literal").map(p => p.type).join(" ")`, "")
	u.fatal("date order", err)
	parts := map[string]string{"year": fmt.Sprintf("%04d", d.Year()), "month": d.String()[5:7], "day": d.String()[8:10]}
	for _, p := range strings.Fields(order) {
		u.fatal("type the "+p, u.b.Type(parts[p]))
	}
	if got := u.value(sel); got != d.String() {
		u.t.Fatalf("%s: %s holds %q after typing %s (order %s)", u.who, sel, got, d, order)
	}
}

// submit tabs to the submit button of the form whose action ends in action
// and presses Enter.
func (u *flowUser) submit(action, what string) {
	u.t.Helper()
	u.fatal("tab to the button of "+action, u.b.TabTo(`main form[action$="`+action+`"] button[type=submit]`, 150))
	u.fatal("send "+action, u.b.Enter())
	if text, err := u.b.Text(".error-summary"); err == nil {
		u.t.Fatalf("%s: %s: the form was refused: %s", u.who, what, text)
	}
	u.check(what)
}

// flash is the text of the page's success message.
func (u *flowUser) flash() string {
	text, _ := u.b.Text(".flash")
	return text
}

func (u *flowUser) path() string {
	u.t.Helper()
	loc, err := u.b.Location()
	u.fatal("location", err)
	return strings.TrimPrefix(loc, u.base)
}

func (u *flowUser) value(sel string) string {
	u.t.Helper()
	v, err := u.eval(`(sel) => document.querySelector(sel).value`, sel)
	u.fatal("value of "+sel, err)
	return v
}

func (u *flowUser) eval(fn, arg string) (string, error) {
	ctx, cancel := context.WithTimeout(u.b.Ctx(), 10*time.Second)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf("(%s)(%q)", fn, arg)))
}

// trailRow is one row of a case's trail table.
type trailRow struct{ date, event, details string }

func (u *flowUser) trail() []trailRow {
	u.t.Helper()
	ctx, cancel := context.WithTimeout(u.b.Ctx(), 10*time.Second)
	defer cancel()
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[][]string](`[...document.querySelectorAll("table.trail tbody tr")].map(r => [...r.cells].map(c => c.innerText.trim()))`))
	u.fatal("read the trail", err)
	out := make([]trailRow, 0, len(rows))
	for _, r := range rows {
		if len(r) == 3 {
			out = append(out, trailRow{r[0], r[1], r[2]})
		}
	}
	return out
}

// TestBrowser_ForumFlowFromProposalToFollowUp is the "done when" in
// the browser: the coordinator registers a proposal, has it prepared and
// anchored in two forums, uploads its decision basis and sends it to three
// municipalities; the kommun user answers for Östersund and the coordinator
// records Åre's answer; a week later ledning records the HSL decision with
// a follow-up due today, the case's trail shows it all in date order, and
// the coordinator follows the decision up from the start page and closes the
// case. Every page on the way is checked with axe-core, and the forms are
// filled and sent by keyboard.
func TestBrowser_ForumFlowFromProposalToFollowUp(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	clock := &flowClock{}
	d := dbtest.Open(t, db.SQLite)
	dbtest.Seed(t, d, demoKey, seedDemo)
	a, err := New(Config{Now: clock.now}, slog.New(slog.DiscardHandler), d)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	base := srv.URL
	browser := browsertest.New(t)

	// The demo's meetings lie around today: Lokalt primärvårdsråd met 20 days
	// ago, Kunskapsstyrningsrådet 12 days ago and HSL 5 days ago. The case is
	// registered 21 days ago and sent to the municipalities a week ago, which
	// is when the first part happens.
	today := date.Of(time.Now(), i18n.Stockholm())
	var (
		registered = today.AddDays(-21)
		prepared   = today.AddDays(-20)
		lpr        = today.AddDays(-20)
		ks         = today.AddDays(-12)
		weekAgo    = today.AddDays(-7)
		deadline   = weekAgo.AddDays(14)
		decided    = today.AddDays(-5)
	)
	clock.set(-7 * 24 * time.Hour)
	const title = "Införande av vårdförlopp stroke i primärvården"

	// 1. The coordinator registers the proposal.
	sara := newFlowUser(t, browser, base, "samordnare")
	sara.follow(`header a[href="/arenden"]`, "case list")
	sara.follow(`main a[href="/arenden/ny"]`, "new case")
	sara.fill("#f-title", title)
	sara.choose("#f-kind", "Införande")
	sara.fill("#f-description", "Förslag från NPO Nervsystemets sjukdomar om att införa vårdförloppet i primärvården.")
	sara.choose("#f-responsible_person_id", "Sara Samordnare")
	sara.fill("#f-registered_on", registered.String())
	sara.submit("/arenden/ny", "the new case's page")
	casePath := sara.path()
	if !regexp.MustCompile(`^/arenden/\d+$`).MatchString(casePath) {
		t.Fatalf("after registering: at %s", casePath)
	}
	number, _ := sara.b.Text("main h1 .case-number")
	if !regexp.MustCompile(fmt.Sprintf(`^%d/\d{4}$`, registered.Year())).MatchString(number) {
		t.Errorf("case number %q, want %d/NNNN", number, registered.Year())
	}
	if h1, _ := sara.b.Text("main h1"); !strings.Contains(h1, title) {
		t.Errorf("case page h1 %q", h1)
	}
	if flash := sara.flash(); !strings.Contains(flash, number) {
		t.Errorf("after registering: flash %q", flash)
	}

	// 2. Prepared, then anchored in Lokalt primärvårdsråd and in
	// Kunskapsstyrningsrådet, at their meetings.
	step := func(kind string, on date.Date, forum, meeting, outcome, comment string) {
		t.Helper()
		sara.choose("#f-kind", kind)
		sara.fill("#f-date", on.String())
		if forum != "" {
			sara.choose("#f-forum_id", forum)
			sara.choose("#f-meeting_id", forum+" "+meeting)
			sara.choose("#f-outcome", outcome)
		}
		if comment != "" {
			sara.fill("#f-comment", comment)
		}
		sara.submit(casePath+"/steg", "case page after the step "+kind)
		if flash := sara.flash(); !strings.Contains(flash, kind) {
			t.Errorf("after the step %s: flash %q", kind, flash)
		}
	}
	step("Berett", prepared, "", "", "", "")
	step("Förankring", lpr, "Lokalt primärvårdsråd", lpr.String(), "Ställer sig bakom med synpunkter", "Primärvården behöver stöd med uppföljningen.")
	step("Förankring", ks, "Kunskapsstyrningsrådet", ks.String(), "Ställer sig bakom", "")

	// 3. The decision basis, uploaded on the case page.
	basis := filepath.Join(t.TempDir(), "beslutsunderlag.txt")
	if err := os.WriteFile(basis, []byte("Beslutsunderlag: vårdförlopp stroke i primärvården.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	func() {
		ctx, cancel := context.WithTimeout(sara.b.Ctx(), 10*time.Second)
		defer cancel()
		sara.fatal("choose the file", chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{basis})))
	}()
	sara.fill("#f-title", "Beslutsunderlag stroke")
	sara.submit(casePath+"/dokument", "case page after the upload")
	if flash := sara.flash(); !strings.Contains(flash, "Beslutsunderlag stroke") {
		t.Errorf("after the upload: flash %q", flash)
	}
	if text, _ := sara.b.Text("#dokument + ul"); !strings.Contains(text, "Beslutsunderlag stroke (beslutsunderlag.txt") {
		t.Errorf("documents after the upload: %q", text)
	}

	// 4. Sent to Östersund, Åre and Krokom with a deadline in two weeks.
	sara.open(casePath, "case page with the document")
	sara.follow(`main a[href="`+casePath+`/kommuner"]`, "municipal board before sending")
	sara.setBoxes(casePath+"/kommuner", "Östersund", "Åre", "Krokom")
	if got := sara.value("#f-sent_on"); got != weekAgo.String() {
		t.Errorf("the sending date is %q, want today (%s)", got, weekAgo)
	}
	sara.fillDate("#f-deadline", deadline)
	sara.fill("#f-question", "Ställer kommunen sig bakom införandet i den kommunala hälso- och sjukvården?")
	sara.submit(casePath+"/kommuner", "municipal board after sending")
	if flash := sara.flash(); !strings.Contains(flash, "3 kommuner") {
		t.Errorf("after sending: flash %q", flash)
	}
	requests := map[string]string{} // municipality → answer page
	for _, m := range []string{"Östersund", "Åre", "Krokom"} {
		href, err := sara.eval(`(m) => { const r = [...document.querySelectorAll("table.municipal-board tbody tr")].find(r => r.querySelector("th").innerText.trim() === m); const a = r && r.querySelector("a[href^='/kommunsvar/']"); return a ? a.getAttribute("href") : ""; }`, m)
		sara.fatal("request of "+m, err)
		if href == "" {
			t.Fatalf("the board has no answer link for %s", m)
		}
		requests[m] = href
	}

	// 5. Karin Kommun answers for Östersund; Krokom's request is not hers.
	karin := newFlowUser(t, browser, base, "kommun")
	if text, _ := karin.b.Text(".tasks"); !strings.Contains(text, number) {
		t.Errorf("kommun's start page does not list %s: %q", number, text)
	}
	karin.follow(`.tasks a[href="`+requests["Östersund"]+`"]`, "answer page")
	karin.fatal("tab to the first answer", karin.b.TabTo("#f-answer", 150))
	karin.fatal("move to the second answer", karin.b.Type(kb.ArrowDown))
	if ok, _ := karin.b.FocusedSelectorMatches("#f-answer-accepts_with_comments:checked"); !ok {
		t.Fatal("the arrow key did not choose accepts with comments")
	}
	karin.fill("#f-comment", "Östersund behöver utbildning för hemsjukvårdens sjuksköterskor.")
	karin.submit(requests["Östersund"], "answer page after answering")
	if flash := karin.flash(); !strings.Contains(flash, "Östersund") {
		t.Errorf("after answering: flash %q", flash)
	}
	karin.open("/kommunsvar", "kommun's answer list")
	if text, _ := karin.b.Text("main table"); !strings.Contains(text, number) || !strings.Contains(text, "Ställer sig bakom med synpunkter") {
		t.Errorf("kommun's answer list: %q", text)
	}
	func() {
		ctx, cancel := context.WithTimeout(karin.b.Ctx(), 10*time.Second)
		defer cancel()
		res, err := chromedp.RunResponse(ctx, chromedp.Navigate(base+requests["Krokom"]))
		karin.fatal("open Krokom's request", err)
		if res.Status != http.StatusNotFound {
			t.Errorf("kommun reads Krokom's request %s: status %d, want 404", requests["Krokom"], res.Status)
		}
	}()
	karin.check("another municipality's request")

	// 6. The coordinator sees Östersund's answer on the board and records
	// Åre's, which came by e-mail.
	sara.open(casePath+"/kommuner", "municipal board with an answer")
	if text, _ := sara.b.Text("table.municipal-board"); !strings.Contains(text, "Ställer sig bakom med synpunkter") || !strings.Contains(text, "utbildning") {
		t.Errorf("the board does not show Östersund's answer: %q", text)
	}
	sara.follow(`table.municipal-board a[href="`+requests["Åre"]+`"]`, "answer page for Åre")
	sara.fatal("tab to the first answer", sara.b.TabTo("#f-answer", 150))
	sara.fatal("choose it", sara.b.Type(" "))
	sara.submit(requests["Åre"], "answer page after Åre's answer")
	if flash := sara.flash(); !strings.Contains(flash, "Åre") {
		t.Errorf("after Åre's answer: flash %q", flash)
	}

	// 7. A week later: ledning records the HSL decision at the meeting five
	// days ago, with a follow-up due today.
	clock.set(0)
	lena := newFlowUser(t, browser, base, "ledning")
	lena.follow(`header a[href="/arenden"]`, "case list as ledning")
	lena.follow(`main a[href="`+casePath+`"]`, "case page as ledning")
	lena.follow(`main a[href="`+casePath+`/beslut/ny"]`, "new decision")
	const hsl = "Hälso- och sjukvårdsledningen (HSL)"
	lena.choose("#f-forum_id", hsl)
	lena.choose("#f-meeting_id", hsl+" "+decided.String())
	lena.fill("#f-decided_on", decided.String())
	lena.fill("#f-text", "HSL beslutar att vårdförloppet stroke införs i primärvården och i de kommuner som ställer sig bakom.")
	lena.setBox("Beslutsunderlag stroke", true)
	lena.setBox("Östersund", true)
	lena.setBox("Åre", true)
	lena.fill("#f-follow_up_on", today.String())
	lena.choose("#f-responsible_person_id", "Sara Samordnare")
	lena.submit(casePath+"/beslut/ny", "the decision's page")
	decisionPath := lena.path()
	if !regexp.MustCompile(`^/beslut/\d+$`).MatchString(decisionPath) {
		t.Fatalf("after the decision: at %s", decisionPath)
	}
	if text, _ := lena.b.Text("main dl.summary"); !strings.Contains(text, "Beslutsunderlag stroke") || !strings.Contains(text, "Åre") || !strings.Contains(text, "Östersund") ||
		!strings.Contains(text, "Uppföljning att göra") || !strings.Contains(text, "Sara Samordnare") {
		t.Errorf("the decision's page: %q", text)
	}

	// 8. The trail, in date order.
	lena.open(casePath, "case page with the decision")
	trail := lena.trail()
	want := []struct {
		date  date.Date
		event string
		has   []string
	}{
		{registered, "Registrerat", nil},
		{prepared, "Berett", nil},
		{lpr, "Förankring", []string{"Lokalt primärvårdsråd", "Ställer sig bakom med synpunkter", "Primärvården behöver stöd"}},
		{ks, "Förankring", []string{"Kunskapsstyrningsrådet", "Ställer sig bakom"}},
		{weekAgo, "Dokument", []string{"Beslutsunderlag stroke"}},
		{weekAgo, "Skickat till kommuner", []string{"Östersund", "Åre", "Krokom", deadline.String()}},
		{weekAgo, "Svar från Östersund", []string{"Ställer sig bakom med synpunkter", "utbildning", "Karin Kommun"}},
		{decided, "Beslut", nil},
		{decided, "Beslut ", []string{hsl, "vårdförloppet stroke införs", today.String() + " (Uppföljning att göra)"}},
	}
	i := 0
	for _, w := range want {
		for i < len(trail) && !(trail[i].date == w.date.String() && strings.HasPrefix(trail[i].event, w.event) && containsAll(trail[i].details, w.has)) {
			i++
		}
		if i == len(trail) {
			t.Errorf("the trail lacks, after the entries before it, %s %q with %q:\n%s", w.date, w.event, w.has, formatTrail(trail))
			break
		}
		i++
	}
	if !slices.ContainsFunc(trail, func(r trailRow) bool {
		return r.date == weekAgo.String() && r.event == "Svar från Åre" && strings.Contains(r.details, "Sara Samordnare")
	}) {
		t.Errorf("the trail lacks Åre's answer:\n%s", formatTrail(trail))
	}
	for j := 1; j < len(trail); j++ {
		if trail[j].date < trail[j-1].date {
			t.Errorf("the trail is not in date order at row %d:\n%s", j+1, formatTrail(trail))
		}
	}

	// 9. The coordinator finds the follow-up on her start page, records it,
	// and takes the case through follow-up to closed.
	sara = newFlowUser(t, browser, base, "samordnare")
	if text, _ := sara.b.Text(".tasks"); !strings.Contains(text, "Följ upp beslutet i "+number) {
		t.Errorf("the start page does not show the follow-up: %q", text)
	}
	sara.follow(`.tasks a[href="`+decisionPath+`"]`, "decision page from the start page")
	if got := sara.value("#f-done_on"); got != today.String() {
		t.Errorf("follow-up date %q, want %s", got, today)
	}
	sara.fill("#f-note", "Vårdförloppet används på alla hälsocentraler; Östersund har utbildat hemsjukvården.")
	sara.submit(decisionPath+"/uppfoljning", "decision page after the follow-up")
	if text, _ := sara.b.Text("#uppfoljning + *"); !strings.Contains(text, "alla hälsocentraler") {
		t.Errorf("follow-ups after recording: %q", text)
	}
	if text, _ := sara.b.Text("main dl.summary"); !strings.Contains(text, "Uppföljd") {
		t.Errorf("the decision's follow-up status: %q", text)
	}
	sara.open("/", "start page after the follow-up")
	if text, _ := sara.b.Text("main"); strings.Contains(text, "Följ upp beslutet i "+number) {
		t.Errorf("the start page still shows the follow-up")
	}
	sara.open(casePath, "case page before closing")
	step("Uppföljning", today, "", "", "", "Uppföljt enligt beslutet.")
	step("Avslutat", today, "", "", "", "")
	if text, _ := sara.b.Text("main dl.summary"); !strings.Contains(text, "Avslutat") {
		t.Errorf("the case's status after closing: %q", text)
	}
	trail = sara.trail()
	for _, w := range []struct{ event, has string }{{"Uppföljning", "Uppföljt enligt beslutet."}, {"Avslutat", ""}, {"Uppföljning", "alla hälsocentraler"}} {
		if !slices.ContainsFunc(trail, func(r trailRow) bool {
			return r.date == today.String() && r.event == w.event && strings.Contains(r.details, w.has)
		}) {
			t.Errorf("the trail lacks %s %q with %q:\n%s", today, w.event, w.has, formatTrail(trail))
		}
	}
	if text, _ := sara.b.Text("main"); !strings.Contains(text, "Ärendet är avslutat") {
		t.Error("the closed case still offers the step form")
	}
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

func formatTrail(rows []trailRow) string {
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "  %s | %s | %s\n", r.date, r.event, strings.ReplaceAll(r.details, "\n", " / "))
	}
	return b.String()
}
