package implement

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// reportTr is a catalogue lookup in the reader's language.
type reportTr func(key string, args ...any) string

// maxReportMonths bounds the table of actions by month.
const maxReportMonths = 60

// ReportDocument lays out the compiled report in a fixed order: summary,
// gap analysis, deeper analyses, action plan with the actions by month,
// communication plan, checklist and linked decisions. It depends only on r
// (and the words of loc), so the same data always gives the same document.
func ReportDocument(r Report, tr reportTr, loc i18n.Locale) doc.Document {
	w := r.Workspace
	d := doc.Document{
		Organisation: tr("implement.report.header"),
		Title:        tr("implement.report.title"),
		Subtitle:     w.Support.Title,
		Lang:         "sv-SE",
		PageLabel:    tr("implement.report.page_label", "page", "{page}", "pages", "{pages}"),
		Meta:         reportMeta(r, tr),
	}
	if reportLocale(loc) == i18n.EN {
		d.Lang = "en-GB"
	}
	for _, part := range [][]doc.Block{
		reportSummary(r, tr, loc), reportGaps(w, tr), reportDeeper(w, tr), reportPlan(w, tr, loc),
		reportCommunications(w, tr), reportChecklist(w, tr), reportLinked(r, tr),
	} {
		d.Blocks = append(d.Blocks, part...)
	}
	return d
}

func reportInt(n int) string { return strconv.Itoa(n) }

// reportPerson is a person's name, or "–" for none.
func reportPerson(w Workspace, id int64) string {
	if id == 0 {
		return "–"
	}
	if n, ok := w.People[id]; ok {
		return n
	}
	return "–"
}

func reportPeople(w Workspace, ids []int64) string {
	var names []string
	for _, id := range ids {
		if n, ok := w.People[id]; ok {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return "–"
	}
	return strings.Join(names, ", ")
}

func reportUnits(w Workspace, ids []int64) string {
	var names []string
	for _, id := range ids {
		if n, ok := w.Units[id]; ok {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return "–"
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

func reportDate(d date.Date) string {
	if d.IsZero() {
		return "–"
	}
	return d.String()
}

func reportMeta(r Report, tr reportTr) []doc.KeyValue {
	w := r.Workspace
	m := w.Implementation
	meta := []doc.KeyValue{
		{Key: tr("implement.report.kind"), Value: tr("catalog.kind." + string(w.Support.Kind))},
		{Key: tr("implement.report.status"), Value: tr("catalog.status." + string(w.Support.Status))},
		{Key: tr("implement.report.started_on"), Value: reportDate(m.StartedOn)},
		{Key: tr("implement.report.planned_end"), Value: reportDate(m.PlannedEnd)},
	}
	if !m.IntroducedOn.IsZero() {
		meta = append(meta, doc.KeyValue{Key: tr("implement.report.introduced_on"), Value: m.IntroducedOn.String()})
	}
	if t, ok := w.Templates[m.TemplateID]; ok {
		meta = append(meta, doc.KeyValue{Key: tr("implement.report.template"), Value: tr("implement.report.template_value",
			"title", t.Title, "number", reportInt(t.Number))})
	}
	return append(meta,
		doc.KeyValue{Key: tr("implement.report.leads"), Value: reportPeople(w, w.Support.LeadIDs)},
		doc.KeyValue{Key: tr("implement.report.sponsor"), Value: reportPerson(w, m.SponsorID)},
		doc.KeyValue{Key: tr("implement.report.members"), Value: reportPeople(w, m.MemberIDs)},
		doc.KeyValue{Key: tr("implement.report.units"), Value: reportUnits(w, w.Support.UnitIDs)},
		doc.KeyValue{Key: tr("implement.report.as_of"), Value: w.Today.String()},
	)
}

func reportSummary(r Report, tr reportTr, loc i18n.Locale) []doc.Block {
	w := r.Workspace
	m := w.Implementation
	blocks := []doc.Block{doc.Heading{Level: 1, Text: tr("implement.report.summary")}}
	switch {
	case m.Summary == "":
		blocks = append(blocks, doc.Paragraph{Text: tr("implement.report.no_summary")})
	case m.SummaryMachine:
		blocks = append(blocks, doc.Paragraph{Text: m.Summary},
			doc.Paragraph{Text: tr("implement.report.summary_machine", "name", m.SummaryBy, "date", reportDate(r.SummaryOn))})
	default:
		blocks = append(blocks, doc.Paragraph{Text: m.Summary},
			doc.Paragraph{Text: tr("implement.report.summary_by", "name", m.SummaryBy, "date", reportDate(r.SummaryOn))})
	}
	f := FactsOf(w)
	p := w.Profile
	return append(blocks,
		doc.Heading{Level: 2, Text: tr("implement.report.key_figures")},
		doc.BulletList{Items: []string{
			tr("implement.report.fig_recommendations", "count", i18n.FormatInt(loc, int64(f.Recommendations)),
				"judged", i18n.FormatInt(loc, int64(p.None+p.Small+p.Moderate+p.Large))),
			tr("implement.report.fig_profile", "none", reportInt(p.None), "small", reportInt(p.Small), "moderate", reportInt(p.Moderate),
				"large", reportInt(p.Large), "not_judged", reportInt(p.NotJudged)),
			tr("implement.report.fig_deeper", "count", reportInt(f.DeeperAnalyses), "crowding_out", reportInt(p.CrowdingOut)),
			tr("implement.report.fig_actions", "count", i18n.FormatInt(loc, int64(f.Actions)), "done", i18n.FormatInt(loc, int64(f.ActionsDone)),
				"overdue", i18n.FormatInt(loc, int64(f.ActionsOverdue)), "percent", reportInt(w.Progress.Percent)),
			tr("implement.report.fig_checklist", "settled", reportInt(f.ChecklistSettled), "required", reportInt(f.ChecklistRequired)),
		}})
}

// reportSize is a gap size in words.
func reportSize(s GapSize, tr reportTr) string {
	if s == "" {
		return tr("implement.report.size.not_judged")
	}
	return tr("implement.report.size." + string(s))
}

func reportYesNo(b bool, tr reportTr) string {
	if b {
		return tr("implement.report.yes")
	}
	return tr("implement.report.no")
}

// reportRec names a recommendation: its code and text.
func reportRec(code, text string) string {
	if code == "" {
		return text
	}
	return code + " " + text
}

func reportGaps(w Workspace, tr reportTr) []doc.Block {
	t := doc.Table{Title: tr("implement.report.gaps"), Columns: []doc.Column{
		{Header: tr("implement.report.rec_code")}, {Header: tr("implement.report.recommendation")},
		{Header: tr("implement.report.gap")}, {Header: tr("implement.report.crowding_out")}, {Header: tr("implement.report.affected_units")},
	}}
	for _, rec := range w.Recommendations {
		g, ok := w.Gaps[rec.ID]
		size, crowding, units := reportSize("", tr), "–", "–"
		if ok {
			size, crowding, units = reportSize(g.Size, tr), reportYesNo(g.CrowdingOut, tr), reportUnits(w, g.UnitIDs)
		}
		t.Rows = append(t.Rows, []doc.Cell{doc.Text(rec.Code), doc.Text(rec.Text), doc.Text(size), doc.Text(crowding), doc.Text(units)})
	}
	blocks := []doc.Block{doc.Heading{Level: 1, Text: tr("implement.report.gaps")}}
	if len(t.Rows) == 0 {
		return append(blocks, doc.Paragraph{Text: tr("implement.report.no_recommendations")})
	}
	return append(blocks, doc.Paragraph{Text: tr("implement.report.gaps_text")}, t)
}

func reportDeeper(w Workspace, tr reportTr) []doc.Block {
	blocks := []doc.Block{doc.Heading{Level: 1, Text: tr("implement.report.deeper")}}
	deeper := w.Deeper()
	if len(deeper) == 0 {
		return append(blocks, doc.Paragraph{Text: tr("implement.report.no_deeper")})
	}
	blocks = append(blocks, doc.Paragraph{Text: tr("implement.report.deeper_text")})
	for _, g := range deeper {
		rec, _ := w.Recommendation(g.RecommendationID)
		blocks = append(blocks, doc.Heading{Level: 2, Text: reportRec(rec.Code, rec.Text)},
			doc.Paragraph{Text: tr("implement.report.deeper_gap", "gap", reportSize(g.Size, tr), "crowding_out", reportYesNo(g.CrowdingOut, tr))})
		var items []string
		for _, q := range w.Templates[g.TemplateID].Questions {
			if q.Level != Deeper {
				continue
			}
			answer := g.Answers[q.Key]
			if answer == "" {
				answer = tr("implement.report.not_answered")
			}
			items = append(items, reportQA(q.Label, answer))
		}
		if len(items) > 0 {
			blocks = append(blocks, doc.BulletList{Items: items})
		}
	}
	return blocks
}

// reportQA joins a question and its answer: "Vem beslutar? Linjechefen",
// "Riskbedömning: Låg".
func reportQA(label, answer string) string {
	if strings.HasSuffix(label, "?") || strings.HasSuffix(label, ".") || strings.HasSuffix(label, ":") {
		return label + " " + answer
	}
	return label + ": " + answer
}

// reportStatus is an action's status in words, late marked.
func reportStatus(a Action, today date.Date, tr reportTr) string {
	s := tr("implement.report.action_status." + string(a.Status))
	if a.Status == ActionDone && !a.DoneOn.IsZero() {
		s += " " + a.DoneOn.String()
	}
	if a.Overdue(today) {
		s += " – " + tr("implement.report.overdue")
	}
	return s
}

func reportPlan(w Workspace, tr reportTr, loc i18n.Locale) []doc.Block {
	blocks := []doc.Block{doc.Heading{Level: 1, Text: tr("implement.report.plan")}}
	if len(w.Actions) == 0 {
		return append(blocks, doc.Paragraph{Text: tr("implement.report.no_actions")})
	}
	p := w.Progress
	blocks = append(blocks, doc.Paragraph{Text: tr("implement.report.plan_text", "count", i18n.FormatInt(loc, int64(p.Actions)),
		"done", i18n.FormatInt(loc, int64(p.Done)), "overdue", i18n.FormatInt(loc, int64(p.Overdue)), "percent", reportInt(p.Percent),
		"effort", i18n.FormatInt(loc, int64(p.Effort)), "effort_done", i18n.FormatInt(loc, int64(p.EffortDone)))})
	t := doc.Table{Title: tr("implement.report.actions"), Columns: []doc.Column{
		{Header: tr("implement.report.action")}, {Header: tr("implement.report.responsible")},
		{Header: tr("implement.report.start")}, {Header: tr("implement.report.due")},
		{Header: tr("implement.report.action_status")}, {Header: tr("implement.report.effort")},
	}}
	for _, a := range w.Actions {
		title := a.Title
		if a.Milestone {
			title += " (" + tr("implement.report.milestone") + ")"
		}
		t.Rows = append(t.Rows, []doc.Cell{doc.Text(title), doc.Text(reportPerson(w, a.ResponsibleID)), doc.Date(a.Start), doc.Date(a.Due),
			doc.Text(reportStatus(a, w.Today, tr)), doc.Int(int64(a.EffortHours))})
	}
	blocks = append(blocks, t)
	if months := reportMonths(w, tr); len(months.Rows) > 0 {
		blocks = append(blocks, doc.Heading{Level: 2, Text: tr("implement.report.by_month")},
			doc.Paragraph{Text: tr("implement.report.by_month_text")}, months)
	}
	return blocks
}

// reportMonths is the timeline as a table: for each month from the first
// start to the last due date (at most maxReportMonths), the actions running
// in it and those due in it. Cancelled actions are left out.
func reportMonths(w Workspace, tr reportTr) doc.Table {
	t := doc.Table{Title: tr("implement.report.by_month"), Columns: []doc.Column{
		{Header: tr("implement.report.month")}, {Header: tr("implement.report.running")}, {Header: tr("implement.report.due_in_month")},
	}}
	var first, last time.Time
	var acts []Action
	for _, a := range w.Actions {
		if a.Status == ActionCancelled || a.Start.IsZero() || a.Due.IsZero() {
			continue
		}
		acts = append(acts, a)
		s, d := monthOf(a.Start), monthOf(a.Due)
		if first.IsZero() || s.Before(first) {
			first = s
		}
		if d.After(last) {
			last = d
		}
	}
	if len(acts) == 0 {
		return t
	}
	for m, n := first, 0; !m.After(last) && n < maxReportMonths; m, n = m.AddDate(0, 1, 0), n+1 {
		running := 0
		var due []string
		for _, a := range acts {
			if !monthOf(a.Start).After(m) && !monthOf(a.Due).Before(m) {
				running++
			}
			if monthOf(a.Due).Equal(m) {
				due = append(due, a.Title+" ("+a.Due.String()+")")
			}
		}
		dueText := "–"
		if len(due) > 0 {
			dueText = strings.Join(due, "\n")
		}
		t.Rows = append(t.Rows, []doc.Cell{doc.Text(m.Format("2006-01")), doc.Int(int64(running)), doc.Text(dueText)})
	}
	return t
}

func monthOf(d date.Date) time.Time {
	t := d.Time()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func reportCommunications(w Workspace, tr reportTr) []doc.Block {
	blocks := []doc.Block{doc.Heading{Level: 1, Text: tr("implement.report.communication")}}
	if len(w.Communications) == 0 {
		return append(blocks, doc.Paragraph{Text: tr("implement.report.no_communication")})
	}
	t := doc.Table{Title: tr("implement.report.communication"), Columns: []doc.Column{
		{Header: tr("implement.report.target_group")}, {Header: tr("implement.report.message")},
		{Header: tr("implement.report.channel")}, {Header: tr("implement.report.planned_on")},
		{Header: tr("implement.report.responsible")}, {Header: tr("implement.report.done_on")},
	}}
	for _, c := range w.Communications {
		t.Rows = append(t.Rows, []doc.Cell{doc.Text(c.TargetGroup), doc.Text(c.Message), doc.Text(tr("implement.report.channel." + string(c.Channel))),
			doc.Date(c.PlannedOn), doc.Text(reportPerson(w, c.ResponsibleID)), doc.Date(c.DoneOn)})
	}
	return append(blocks, t)
}

func reportChecklist(w Workspace, tr reportTr) []doc.Block {
	f := FactsOf(w)
	ready := tr("implement.report.not_ready")
	if w.Ready {
		ready = tr("implement.report.ready")
	}
	blocks := []doc.Block{
		doc.Heading{Level: 1, Text: tr("implement.report.checklist")},
		doc.Paragraph{Text: tr("implement.report.checklist_text", "settled", reportInt(f.ChecklistSettled), "required", reportInt(f.ChecklistRequired)) + " " + ready},
	}
	if len(w.Checklist) == 0 {
		return blocks
	}
	t := doc.Table{Title: tr("implement.report.checklist"), Columns: []doc.Column{
		{Header: tr("implement.report.item")}, {Header: tr("implement.report.required")},
		{Header: tr("implement.report.item_state")}, {Header: tr("implement.report.note")},
		{Header: tr("implement.report.decided_by")}, {Header: tr("implement.report.decided_on")},
	}}
	for _, it := range w.Checklist {
		note := it.Note
		if it.State == ItemWaived && it.WaiveReason != "" {
			note = tr("implement.report.waived_because", "reason", it.WaiveReason)
		}
		t.Rows = append(t.Rows, []doc.Cell{doc.Text(it.Label), doc.Text(reportYesNo(it.Required, tr)),
			doc.Text(tr("implement.report.item_state." + string(it.State))), doc.Text(note), doc.Text(it.DecidedBy), doc.Date(it.DecidedOn)})
	}
	return append(blocks, t)
}

func reportLinked(r Report, tr reportTr) []doc.Block {
	blocks := []doc.Block{doc.Heading{Level: 1, Text: tr("implement.report.linked")}}
	if len(r.Linked) == 0 {
		return append(blocks, doc.Paragraph{Text: tr("implement.report.no_linked")})
	}
	for _, c := range r.Linked {
		blocks = append(blocks, doc.Heading{Level: 2, Text: c.Number + " " + c.Title},
			doc.Paragraph{Text: tr("implement.report.case_status", "status", tr("forum.status."+c.Status), "date", c.RegisteredOn.String())})
		if len(c.Decisions) == 0 {
			blocks = append(blocks, doc.Paragraph{Text: tr("implement.report.no_decisions")})
			continue
		}
		items := make([]string, 0, len(c.Decisions))
		for _, d := range c.Decisions {
			items = append(items, d.DecidedOn.String()+", "+d.Forum+": "+d.Text)
		}
		blocks = append(blocks, doc.BulletList{Items: items})
	}
	return blocks
}
