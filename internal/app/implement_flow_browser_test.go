package app

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// press tabs to the element (a CSS selector: a button or a link) and presses
// Enter, then checks the page it leads to.
func (u *flowUser) press(sel, what string) {
	u.t.Helper()
	u.fatal("tab to "+sel, u.b.TabTo(sel, 200))
	u.fatal("press "+sel, u.b.Enter())
	u.check(what)
}

// send tabs to the button of the form whose action ends in action that
// sends it (not a search button that only reloads the form), presses Enter
// and fails if the form was refused.
func (u *flowUser) send(action, what string) {
	u.t.Helper()
	u.press(`main form[action$="`+action+`"] button[type=submit]:not([formmethod])`, what)
	if text, err := u.b.Text(".error-summary"); err == nil {
		u.t.Fatalf("%s: %s: the form was refused: %s", u.who, what, text)
	}
}

// refused presses the button sel, which must send a form that is refused:
// the error summary takes the focus, and each of its links leads to a field
// on the page. It returns the summary's text.
func (u *flowUser) refused(sel, what string) string {
	u.t.Helper()
	u.press(sel, what)
	text, err := u.b.Text(".error-summary")
	if err != nil {
		u.t.Fatalf("%s: %s: no error summary", u.who, what)
	}
	if ok, _ := u.b.FocusedSelectorMatches(".error-summary"); !ok {
		u.t.Errorf("%s: %s: the error summary does not have the focus", u.who, what)
	}
	var broken []string
	u.evalJSON(`() => [...document.querySelectorAll(".error-summary a[href^='#']")].map(a => a.getAttribute("href")).filter(h => !document.getElementById(decodeURIComponent(h.slice(1))))`, nil, &broken)
	if len(broken) > 0 {
		u.t.Errorf("%s: %s: the error summary links to no field: %q", u.who, what, broken)
	}
	return text
}

// linkTo is the href of the first link in main whose text contains text,
// or "" when there is none.
func (u *flowUser) linkTo(sel, text string) string {
	u.t.Helper()
	var href string
	u.evalJSON(`([sel, text]) => { const a = [...document.querySelectorAll(sel)].find(a => a.textContent.includes(text)); return a ? a.getAttribute("href") : ""; }`, []string{sel, text}, &href)
	return href
}

// upload chooses file in the file input sel.
func (u *flowUser) upload(sel, file string) {
	u.t.Helper()
	ctx, cancel := context.WithTimeout(u.b.Ctx(), 10*time.Second)
	defer cancel()
	u.fatal("choose the file", chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(sel), []string{file})))
}

// mainText is the rendered text of the page's main element.
func (u *flowUser) mainText() string {
	u.t.Helper()
	text, err := u.b.Text("main")
	u.fatal("read main", err)
	return text
}

// TestBrowser_ImplementationFlow is issue 7's "done when" in the browser, on
// both databases, on the demo data: the coordinator gives Höftledsartros
// (decided for introduction, without a workspace) its recommendations and
// units in the catalog and starts its workspace with a sponsor and a planned
// end, and the support is under introduction; the working group gets Ulf
// Utvecklare as a member and Östersund; a small gap is judged, Ulf's save of
// the same analysis meets the coordinator's on the conflict page and he saves
// deliberately; a large gap is refused without the deeper analysis, then
// saved with it; a questionnaire goes to Brunflo hälsocentral and
// Primärvården, Erik Enhet answers it from his start page, the compilation
// shows his answers and the unit that has not answered gets a reminder in
// the mail outbox; the action plan refuses a due date before the start, and
// gets an action closing both gaps, a milestone and an overdue action,
// marked, with the timeline and its table; a communication row; marking the
// support introduced is refused while the checklist is open; the items are
// done (the anchoring with a forum case) and one waived with a reason; the
// plan goes for comments to Brunflo and Östersund, Karin Kommun comments
// from her start page, the coordinator answers and saves a revised plan, and
// the history shows it all; the report's printable page, DOCX and PDF; the
// exchange file exported and imported into the KOL workspace (same template)
// for a comparison, and a file of schema version 99 refused with a clear
// error; and finally the support is marked introduced, "Infört" in the
// catalog, and its workspace is read-only. Every page is checked with
// axe-core, and the forms are filled and sent by keyboard.
func TestBrowser_ImplementationFlow(t *testing.T) {
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
		start := time.Now()
		implementFlow(t, d, srv.URL, browsertest.New(t))
		t.Logf("the implementation flow took %s", time.Since(start).Round(time.Second))
	})
}

func implementFlow(t *testing.T, d *db.DB, base string, browser *browsertest.Browser) {
	today := date.Of(time.Now(), i18n.Stockholm())
	const title = "Höftledsartros – primärvård"

	// 1. The coordinator finds the decided support among those that may
	// start, gives it its recommendations and units in the catalog, and
	// starts its workspace with a sponsor and a planned end.
	sara := newFlowUser(t, browser, base, "samordnare")
	sara.follow(`header a[href="/inforande"]`, "overview")
	sara.follow(`main a[href="/inforande/ny"]`, "start form")
	var supportID string
	sara.evalJSON(`(ti) => { const o = [...document.querySelectorAll("#f-support_id option")].find(o => o.text === ti); return o ? o.value : ""; }`, title, &supportID)
	if supportID == "" {
		t.Fatalf("%s is not offered on the start form", title)
	}
	support := "/kunskapsstod/" + supportID
	sara.open(support, "the support in the catalog")
	for _, r := range []struct{ code, text string }{
		{"H1", "Erbjud artrosskola till patienter med höftledsartros"},
		{"H2", "Följ upp smärta och funktion efter tre månader"},
	} {
		// Each recommendation added leads back to the form.
		sara.fill("#f-code", r.code)
		sara.fill("#f-text", r.text)
		sara.send(support+"/rekommendationer", "the support with recommendation "+r.code)
	}
	// A multiple select: the options are chosen in the page, the form sent by keyboard.
	var chosen int
	sara.evalJSON(`(names) => { let n = 0; for (const o of document.querySelectorAll("#f-unit_ids option")) { o.selected = names.includes(o.text); n += o.selected; } return n; }`,
		[]string{"Brunflo hälsocentral", "Primärvården"}, &chosen)
	if chosen != 2 {
		t.Fatalf("the units to choose in the catalog: %d found", chosen)
	}
	sara.send(support+"/enheter", "the support with its units")
	if flash := sara.flash(); !strings.Contains(flash, "enheterna är sparade") {
		t.Errorf("after choosing the units: flash %q", flash)
	}
	sara.follow(`main a[href="/inforande/ny?stod=`+supportID+`"]`, "start form for the support")
	if got := sara.value("#f-support_id"); got != supportID {
		t.Errorf("the start form from the support has %q chosen, want %s", got, supportID)
	}
	sara.fill("#f-person_q", "Lena")
	sara.press(`main button[name=sok]`, "start form with people found")
	sara.choose("#f-sponsor_id", "Lena Ledning")
	plannedEnd := today.AddDays(300)
	sara.fillDate("#f-planned_end", plannedEnd)
	sara.send("/inforande/ny", "the new workspace")
	ws := sara.path()
	if !regexp.MustCompile(`^/inforande/\d+$`).MatchString(ws) {
		t.Fatalf("after starting: at %s", ws)
	}
	if flash := sara.flash(); !strings.Contains(flash, "Införandet är startat") {
		t.Errorf("after starting: flash %q", flash)
	}
	summary := sara.mainText()
	if !containsAll(summary, []string{"Under införande", plannedEnd.String(), "Lena Ledning", "Hanna Holm", "Viktor Sandström"}) {
		t.Errorf("the new workspace's summary:\n%s", summary)
	}
	if status, _ := sara.b.Text(`main dl.summary a[href="` + support + `"]`); status != "Under införande" {
		t.Errorf("the support's catalog status after the start: %q", status)
	}

	// 2. The working group: Ulf Utvecklare as a member, and Östersund.
	sara.follow(`main a[href="`+ws+`/arbetsgrupp"]`, "working group")
	sara.fill("#f-person_q", "Ulf")
	sara.press(`main button[name=sok]`, "working group with people found")
	sara.setBox("Ulf Utvecklare", true)
	sara.setBox("Östersund", true)
	sara.send(ws+"/arbetsgrupp", "workspace after the working group")
	if flash := sara.flash(); !strings.Contains(flash, "Arbetsgruppen är sparad") {
		t.Errorf("after the working group: flash %q", flash)
	}
	if text, _ := sara.b.Text(`main section[aria-labelledby="group-title"]`); !containsAll(text, []string{"Ulf Utvecklare", "Östersund", "Brunflo hälsocentral", "Primärvården"}) {
		t.Errorf("the workspace's working group:\n%s", text)
	}

	// 3. Gap analysis. Ulf, now a member, opens the first recommendation's
	// form; the coordinator judges it a small gap first.
	sara.follow(`main a[href="`+ws+`/gap"]`, "gap list")
	recs := sara.hrefs(`main table tbody a[href^="` + ws + `/gap/"]`)
	if len(recs) != 2 {
		t.Fatalf("the gap list's recommendations: %q", recs)
	}
	recID := func(i int) string { return recs[i][strings.LastIndex(recs[i], "/")+1:] }
	ulf := newFlowUser(t, browser, base, "utvecklare")
	ulf.open(recs[0], "gap form as a member")
	sara.follow(`main a[href="`+recs[0]+`"]`, "gap form H1")
	const sarasPractice = "Artrosskola erbjuds på två av hälsocentralerna."
	sara.pickRadio("gap", "small", false)
	sara.setBox("Brunflo hälsocentral", true)
	sara.fill(`[id="f-answers.current_practice"]`, sarasPractice)
	sara.fill(`[id="f-answers.desired_practice"]`, "Alla erbjuds artrosskola.")
	sara.send(recs[0], "gap form H1 saved")
	if flash := sara.flash(); flash == "" {
		t.Error("no confirmation after saving the small gap")
	}

	// Ulf saves his view of the same analysis: the conflict page shows the
	// coordinator's saved analysis beside his own input, which he saves.
	const ulfsPractice = "Fysioterapeuterna har artrosskola varje vår."
	ulf.pickRadio("gap", "small", false)
	ulf.fill(`[id="f-answers.current_practice"]`, ulfsPractice)
	ulf.fill(`[id="f-answers.desired_practice"]`, "Artrosskola varje kvartal.")
	ulf.refused(`main form[action$="`+recs[0]+`"] button[value=stay]`, "gap conflict page")
	if text, _ := ulf.b.Text("main section.conflict"); !strings.Contains(text, sarasPractice) {
		t.Errorf("the conflict page does not show the coordinator's analysis: %q", text)
	}
	if got := ulf.value(`[id="f-answers.current_practice"]`); got != ulfsPractice {
		t.Errorf("Ulf's input on the conflict page: %q", got)
	}
	ulf.send(recs[0], "gap form after saving deliberately")
	if got := ulf.value(`[id="f-answers.current_practice"]`); got != ulfsPractice {
		t.Errorf("after saving deliberately, the analysis says %q", got)
	}

	// The second recommendation has a large gap: refused without the deeper
	// analysis, saved with it.
	sara.open(recs[1], "gap form H2")
	sara.pickRadio("gap", "large", false)
	sara.fill(`[id="f-answers.current_practice"]`, "Ingen uppföljning efter tre månader.")
	sara.fill(`[id="f-answers.desired_practice"]`, "Alla följs upp med PROM.")
	errs := sara.refused(`main form[action$="`+recs[1]+`"] button[value=stay]`, "large gap without the deeper analysis")
	if !containsAll(errs, []string{"Vad trängs undan?", "Riskbedömning", "Vilka resurser behövs?", "Vem beslutar?"}) {
		t.Errorf("the large gap's error summary: %q", errs)
	}
	if n := len(sara.texts(`main textarea[aria-invalid="true"]`)); n != 4 {
		t.Errorf("%d fields marked invalid, want the deeper analysis' 4", n)
	}
	for field, text := range map[string]string{
		"displaced":        "Uppföljning av knäartros.",
		"risk_assessment":  "Låg risk med stöd av PROM.",
		"resources_needed": "En fysioterapeut halvtid.",
		"decided_by":       "Primärvårdens ledning.",
	} {
		sara.fill(`[id="f-answers.`+field+`"]`, text)
	}
	sara.send(recs[1], "large gap saved")
	sara.follow(`main a[href="`+ws+`/gap"]`, "gap list after the analyses")
	if rows := sara.tableRows("main table"); len(rows) != 2 || !strings.HasSuffix(rows[0][1], "Litet gap") || !strings.HasSuffix(rows[1][1], "Stort gap") || rows[1][4] != "Klar" {
		t.Errorf("the gap list after the analyses: %q", rows)
	}

	// 4. A questionnaire to Brunflo hälsocentral and Primärvården.
	sara.open(ws+"/enkater", "questionnaires")
	sara.follow(`main a[href="`+ws+`/enkater/ny"]`, "new questionnaire")
	sara.fill("#f-title", "Nuläge artrosvård")
	deadline := today.AddDays(10)
	sara.fillDate("#f-deadline", deadline)
	sara.send(ws+"/enkater/ny", "questionnaire draft")
	survey := sara.path()
	if text, _ := sara.b.Text("main table"); !containsAll(text, []string{"Brunflo hälsocentral", "Erik Enhet", "Primärvården", "Ulf Utvecklare"}) {
		t.Errorf("the questionnaire's units and contacts: %q", text)
	}
	sara.send(survey+"/skicka", "questionnaire sent")
	if flash := sara.flash(); !strings.Contains(flash, "Enkäten är skickad") {
		t.Errorf("after sending the questionnaire: flash %q", flash)
	}

	// Erik Enhet finds the task on his start page and answers.
	erik := newFlowUser(t, browser, base, "enhet")
	answer := erik.linkTo("main section.tasks a", "Besvara enkäten om "+title)
	if answer == "" {
		t.Fatalf("Erik's start page has no task to answer the questionnaire: %q", erik.texts("main section.tasks li"))
	}
	if text := erik.texts(`main section.tasks a[href="` + answer + `"]`); !strings.Contains(strings.Join(text, ""), deadline.String()) {
		t.Errorf("the task does not give the deadline: %q", text)
	}
	erik.follow(`main a[href="`+answer+`"]`, "answer form")
	const eriksComment = "Artrosskola finns men har kö."
	erik.fatal("tab to the first answer", erik.b.TabTo(`[id="f-answer.`+recID(0)+`-complies"]`, 80))
	erik.fatal("choose yes", erik.b.Type(" "))
	erik.fill(`[id="f-comment.`+recID(0)+`"]`, eriksComment)
	erik.pickRadio("answer."+recID(1), "partly", false)
	erik.send(answer, "answers saved")
	if flash := erik.flash(); !strings.Contains(flash, "Svaren är sparade") {
		t.Errorf("after answering: flash %q", flash)
	}

	// The working group sees the compilation, and reminds the unit that has
	// not answered.
	sara.open(survey, "questionnaire with an answer")
	// The last table compiles the answers per recommendation: yes, partly, no, not answered.
	var got [][]string
	sara.evalJSON(`() => [...[...document.querySelectorAll("main table")].at(-1).querySelectorAll("tbody tr")].map(r => [...r.cells].map(c => c.innerText.trim()))`, nil, &got)
	if len(got) != 2 || got[0][1] != "1 (50 %)" || got[0][4] != "1 (50 %)" || got[1][2] != "1 (50 %)" || got[1][4] != "1 (50 %)" {
		t.Errorf("the compilation: %q", got)
	}
	if text := sara.mainText(); !containsAll(text, []string{"Svarat", "1 av 2"}) {
		t.Errorf("the questionnaire's answered count:\n%s", text)
	}
	sara.send(survey+"/paminn", "questionnaire after the reminder")
	if flash := sara.flash(); !strings.Contains(flash, "Påminnelser skickade: 1") {
		t.Errorf("after reminding: flash %q", flash)
	}
	reminded := func() []string {
		rows, err := d.QueryContext(context.Background(), `SELECT to_addr FROM mail_outbox WHERE kind = 'implement.survey_reminder' AND subject LIKE ?`, "%"+title+"%")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}()
	if len(reminded) != 1 || !strings.HasPrefix(reminded[0], "ulf.utvecklare@") {
		t.Errorf("the reminders in the mail outbox go to %q, want Primärvården's contact only", reminded)
	}
	sara.open(recs[0], "gap form with the compilation")
	if text, _ := sara.b.Text(`main section[aria-labelledby="survey-title"]`); !containsAll(text, []string{eriksComment, "Brunflo hälsocentral"}) {
		t.Errorf("the gap form's compilation: %q", text)
	}

	// 5. The action plan: a due date before the start is refused; an action
	// closing both gaps, a milestone and an overdue action.
	sara.open(ws+"/handlingsplan", "action plan")
	sara.follow(`main a[href="`+ws+`/atgarder/ny"]`, "new action")
	const course = "Starta artrosskola på alla hälsocentraler"
	sara.fill("#f-title", course)
	sara.choose("#f-responsible_id", "Ulf Utvecklare")
	sara.fillDate("#f-start", today.AddDays(10))
	sara.fillDate("#f-due", today)
	if errs := sara.refused(`main form[action$="/atgarder/ny"] button[type=submit]`, "action due before its start"); !strings.Contains(errs, "inte vara före start") {
		t.Errorf("the error summary for a due date before the start: %q", errs)
	}
	if text, _ := sara.b.Text("main .field-error"); text == "" {
		t.Error("the due date is not marked as the field in error")
	}
	sara.fillDate("#f-start", today)
	sara.fillDate("#f-due", today.AddDays(30))
	sara.fill("#f-effort_hours", "20")
	sara.setBox("H1", true)
	sara.setBox("H2", true)
	sara.send("/atgarder/ny", "plan with the first action")
	for _, a := range []struct {
		title       string
		start, due  date.Date
		milestone   bool
		effortHours string
	}{
		{"Artrosskolan i gång", today.AddDays(45), today.AddDays(45), true, "0"},
		{"Utbilda fysioterapeuterna i PROM", today.AddDays(-30), today.AddDays(-5), false, "8"},
	} {
		sara.follow(`main a[href="`+ws+`/atgarder/ny"]`, "new action")
		sara.fill("#f-title", a.title)
		sara.fillDate("#f-start", a.start)
		sara.fillDate("#f-due", a.due)
		if a.milestone {
			sara.setBox("Milstolpe", true)
		}
		sara.fill("#f-effort_hours", a.effortHours)
		sara.send("/atgarder/ny", "plan with "+a.title)
	}
	plan := sara.tableRows("main table")
	if len(plan) != 3 {
		t.Fatalf("the action plan: %q", plan)
	}
	for _, r := range plan {
		switch {
		case strings.HasPrefix(r[0], course):
			if !strings.Contains(r[6], "H1") || !strings.Contains(r[6], "H2") || r[1] != "Ulf Utvecklare" {
				t.Errorf("the action closing the gaps: %q", r)
			}
		case strings.HasPrefix(r[0], "Artrosskolan i gång"):
			if !strings.Contains(r[0], "Milstolpe") {
				t.Errorf("the milestone is not marked: %q", r)
			}
		case strings.HasPrefix(r[0], "Utbilda fysioterapeuterna"):
			if !strings.Contains(r[4], "Försenad") {
				t.Errorf("the overdue action is not marked: %q", r)
			}
		}
	}
	edit := sara.linkTo(`main table a`, course)
	if edit == "" {
		t.Fatalf("the plan does not link to %s", course)
	}
	if n := len(sara.texts(`main tr.row-warning`)); n != 1 {
		t.Errorf("%d rows highlighted as overdue, want 1", n)
	}
	if n := len(sara.texts(`main section[aria-labelledby="timeline-title"] svg[role="img"]`)); n != 1 {
		t.Errorf("the timeline is not one image (%d)", n)
	}
	if text, _ := sara.b.Text(`main section[aria-labelledby="timeline-title"] table`); !strings.Contains(text, course) {
		t.Errorf("the timeline's table lacks the action: %q", text)
	}

	// 6. A communication row.
	sara.follow(`main a[href="`+ws+`/kommunikation"]`, "communication plan")
	sara.follow(`main a[href="`+ws+`/kommunikation/ny"]`, "new communication")
	sara.fill("#f-target_group", "Fysioterapeuter i primärvården")
	sara.fill("#f-message", "Artrosskola på alla hälsocentraler.")
	sara.choose("#f-channel", "Arbetsplatsträff")
	sara.fillDate("#f-planned_on", today.AddDays(14))
	sara.send("/kommunikation/ny", "communication plan with a row")
	if text, _ := sara.b.Text("main table"); !containsAll(text, []string{"Fysioterapeuter i primärvården", "Arbetsplatsträff"}) {
		t.Errorf("the communication plan: %q", text)
	}

	// Marking the support introduced is refused while required items are
	// open, with the list of them.
	sara.follow(`main a[href="`+ws+`/checklista"]`, "checklist")
	sara.follow(`main a[href="`+ws+`/infort"]`, "mark introduced")
	if errs := sara.refused(`main form[action$="/infort"] button[type=submit]`, "introduction refused"); !strings.Contains(errs, "obligatoriska punkter i checklistan är inte klara") {
		t.Errorf("the refusal to mark introduced: %q", errs)
	}
	open := sara.texts(`main #open-items li`)
	if len(open) < 2 {
		t.Errorf("the open items are not listed: %q", open)
	}

	// The items: done, the anchoring with a forum case, training waived.
	sara.open(ws+"/checklista", "checklist")
	type item struct{ ID, Title string }
	var items []item
	sara.evalJSON(`() => [...document.querySelectorAll("main ol.checklist > li")].filter(li => [...li.querySelectorAll("p")].some(p => p.textContent.trim() === "Obligatorisk")).map(li => ({ID: li.id.replace("item-", ""), Title: li.querySelector("h2").textContent.trim()}))`, nil, &items)
	if len(items) != len(open) {
		t.Errorf("%d required items on the checklist, %d listed as open", len(items), len(open))
	}
	var caseLabel string
	for _, it := range items {
		form := ws + "/checklista/" + it.ID
		switch {
		case strings.HasPrefix(it.Title, "Utbildning"):
			sara.fill("#f-waive_reason-"+it.ID, "Utbildningen ges inom artrosskolan.")
			sara.press(`main form[action$="`+form+`"] button[value=waive]`, "checklist after waiving")
		case strings.Contains(it.Title, "förankrat"):
			sara.evalJSON(`(id) => { const o = [...document.querySelectorAll("#f-case_id-" + id + " option")].find(o => o.value); return o ? o.text : ""; }`, it.ID, &caseLabel)
			if caseLabel == "" {
				t.Fatal("no forum case to link the anchoring to")
			}
			sara.choose("#f-case_id-"+it.ID, caseLabel[:9])
			sara.press(`main form[action$="`+form+`"] button[value=done]`, "checklist after the anchoring")
		default:
			// The other items are sent with their own forms' fields as the
			// page holds them, without a page each, to keep the test short.
			res := sara.post(form, url.Values{"version": {sara.value(`main form[action$="` + form + `"] input[name=version]`)}, "state": {"done"}, "note": {""}, "case_id": {""}})
			if res.Status != 0 && res.Status >= 400 {
				t.Fatalf("the checklist item %q: status %d", it.Title, res.Status)
			}
			continue
		}
		if text, err := sara.b.Text(".error-summary"); err == nil {
			t.Fatalf("the checklist item %q was refused: %s", it.Title, text)
		}
	}
	sara.open(ws+"/checklista", "checklist settled")
	if text := sara.mainText(); !containsAll(text, []string{strconv.Itoa(len(items)) + " av " + strconv.Itoa(len(items)), caseLabel[:9], "Utbildningen ges inom artrosskolan."}) {
		t.Errorf("the checklist after settling it:\n%s", text)
	}

	// 7. The plan goes for comments to Brunflo and Östersund.
	sara.open(ws+"/historik", "plan history")
	sara.follow(`main a[href="`+ws+`/remiss/ny"]`, "send for comments")
	sara.setBox("Brunflo hälsocentral", true)
	sara.setBox("Östersund", true)
	sara.fill("#f-message", "Håller tidsplanen för artrosskolan?")
	sara.send("/remiss/ny", "comment round sent")
	round := sara.path()
	if !regexp.MustCompile(`^` + ws + `/remiss/\d+$`).MatchString(round) {
		t.Fatalf("after sending for comments: at %s", round)
	}

	// Karin Kommun comments for Östersund from her start page.
	karin := newFlowUser(t, browser, base, "kommun")
	commentPage := karin.linkTo("main section.tasks a", title)
	if commentPage == "" {
		t.Fatalf("Karin's start page has no task to comment: %q", karin.texts("main li"))
	}
	karin.follow(`main a[href="`+commentPage+`"]`, "comment form")
	if text, _ := karin.b.Text("main table"); !strings.Contains(text, course) {
		t.Errorf("the plan sent for comments is not shown: %q", text)
	}
	const karinsComment = "Kommunens rehab vill vara med i artrosskolan."
	karin.fill("#f-body", karinsComment)
	karin.send(commentPage, "comment sent")
	if flash := karin.flash(); !strings.Contains(flash, "synpunkter är lämnade") {
		t.Errorf("after commenting: flash %q", flash)
	}

	// The working group answers, revises the plan and saves a revision.
	sara.open(round, "comment round with a comment")
	if text := sara.mainText(); !strings.Contains(text, karinsComment) {
		t.Errorf("the round does not show Karin's comment:\n%s", text)
	}
	var answerAction string
	sara.evalJSON(`() => { const f = document.querySelector("main form[action*='/svar/']"); return f ? f.getAttribute("action") : ""; }`, nil, &answerAction)
	if answerAction == "" {
		t.Fatal("the round has no form to answer the comment")
	}
	const sarasAnswer = "Kommunens rehab bjuds in till planeringen."
	sara.fill(`main form[action="`+answerAction+`"] textarea`, sarasAnswer)
	sara.send(answerAction, "comment answered")
	sara.open(edit, "action to revise")
	sara.fillDate("#f-due", today.AddDays(60))
	sara.send(edit, "plan revised")
	sara.open(ws+"/historik", "plan history to save a revision")
	const note = "Kommunens rehab med; artrosskolan förlängd."
	sara.fill("#f-note", note)
	sara.send(ws+"/historik", "revision saved")
	if flash := sara.flash(); !strings.Contains(flash, "Revision") {
		t.Errorf("after saving the revision: flash %q", flash)
	}
	if text := sara.mainText(); !containsAll(text, []string{"Revision 2", note, karinsComment, sarasAnswer, "Östersund"}) {
		t.Errorf("the history lacks the revision, the comment or the answer:\n%s", text)
	}

	// 8. The report: the printable page and its downloads.
	sara.open(ws+"/rapport", "report")
	if hs := strings.Join(sara.texts("main h2"), "\n"); !containsAll(hs, []string{"Sammanfattning", "Gapanalys", "Fördjupade analyser", "Handlingsplan", "Kommunikationsplan", "Checklista", "Kopplade ärenden"}) {
		t.Errorf("the report's sections: %s", hs)
	}
	for ext, typ := range map[string]string{
		"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"pdf":  "application/pdf",
	} {
		f, body := sara.download(ws + "/rapport." + ext)
		if f.Status != http.StatusOK || !strings.HasPrefix(f.Type, typ) || len(body) < 1000 {
			t.Errorf("the report as %s: status %d, %q, %d bytes", ext, f.Status, f.Type, len(body))
		}
	}

	// 9. Exchange: the export imported into the KOL workspace, which uses
	// the same template; a file of an unknown version is refused.
	sara.open(ws+"/utbyte", "exchange")
	f, body := sara.download(ws + "/utbyte.json")
	if f.Status != http.StatusOK || !strings.HasPrefix(f.Type, "application/json") || !strings.Contains(string(body), `"schema_version": "1"`) {
		t.Fatalf("the exchange file: status %d, %q: %.200s", f.Status, f.Type, body)
	}
	dir := t.TempDir()
	good, future := filepath.Join(dir, "hoftledsartros.json"), filepath.Join(dir, "framtid.json")
	sara.fatal("write the file", os.WriteFile(good, body, 0o600))
	sara.fatal("write the file", os.WriteFile(future, []byte(strings.Replace(string(body), `"schema_version": "1"`, `"schema_version": "99"`, 1)), 0o600))
	sara.open("/inforande", "overview")
	kol := sara.linkTo(`main a[href^="/inforande/"]`, "Kroniskt obstruktiv lungsjukdom (KOL)")
	if kol == "" {
		t.Fatal("the overview does not list the KOL workspace")
	}
	sara.open(kol+"/utbyte", "KOL exchange")
	sara.upload("#f-file", future)
	if errs := sara.refused(`main form[action$="/utbyte"] button[type=submit]`, "exchange of version 99"); !strings.Contains(errs, "Filen kan inte läsas in") {
		t.Errorf("the refusal of version 99: %q", errs)
	}
	if text, _ := sara.b.Text("main table td"); !containsAll(text, []string{"okänd version", `"99"`}) {
		t.Errorf("the problem does not name the version: %q", text)
	}
	sara.upload("#f-file", good)
	sara.send(kol+"/utbyte", "comparison")
	if p := sara.path(); !strings.Contains(p, kol+"/jamforelse/") {
		t.Fatalf("the import led to %s", p)
	}
	if text := sara.mainText(); !containsAll(text, []string{title, "H1", "H2"}) {
		t.Errorf("the comparison does not show the imported analysis:\n%s", text)
	}

	// 10. Marked introduced: "Infört" in the catalog, the workspace read-only.
	sara.open(ws+"/infort", "mark introduced")
	sara.send(ws+"/infort", "introduced")
	if flash := sara.flash(); flash == "" {
		t.Error("no confirmation after marking introduced")
	}
	sara.open(support, "the support introduced")
	if status, _ := sara.b.Text("main dl.summary strong"); status != "Infört" {
		t.Errorf("the support's status after the introduction: %q", status)
	}
	sara.open(recs[1], "gap form of an introduced support")
	if n := len(sara.texts(`main form[method=post]`)); n != 0 {
		t.Errorf("the gap form of an introduced support has %d forms", n)
	}
	if text, _ := sara.b.Text("main .locked-note"); text == "" {
		t.Errorf("the gap form of an introduced support does not say that it is locked:\n%s", sara.mainText())
	}
}
