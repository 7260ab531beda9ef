package implement_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// reportDay is the fixed day the report fixture is read on.
var reportDay = time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC)

// secretAnswer is a free-text answer holding personal data: it must never
// reach the summary's drafter.
const secretAnswer = "Agnes Alfa (agnes.alfa@example.se) på Hälsocentral Alfa följer upp i dag"

// reportFixture fills the support's implementation for the report: a large
// gap with crowding-out and its deeper analysis, a small gap, a recommendation
// not judged; five actions (done, started and overdue, a milestone, one in
// the next year, one cancelled); a communication; two checklist items
// settled; a forum case linked to the support with a decision and one
// linked to the implementation without. The clock stands at reportDay.
func (e *env) reportFixture(t *testing.T) implement.Implementation {
	t.Helper()
	m := e.started(t)
	tm := must(e.svc.Template(e.coordinator, m.TemplateID))(t)
	answers := map[string]string{}
	for _, q := range tm.Questions {
		answers[q.Key] = "Svar på " + q.Key
	}
	answers["current_practice"] = secretAnswer
	must(e.svc.SaveGap(e.coordinator, implement.Gap{ImplementationID: m.ID, RecommendationID: e.recs[0], Size: implement.GapLarge,
		CrowdingOut: true, Answers: answers, UnitIDs: []int64{e.unitA}}))(t)
	must(e.svc.SaveGap(e.coordinator, implement.Gap{ImplementationID: m.ID, RecommendationID: e.recs[1], Size: implement.GapSmall,
		Answers: map[string]string{"current_practice": "Delvis", "desired_practice": "Helt"}, UnitIDs: []int64{e.unitA, e.unitB}}))(t)
	gapID := must(e.svc.Workspace(e.coordinator, m.ID))(t).Gaps[e.recs[0]].ID
	action := func(pos int, title string, start, due string, status implement.ActionStatus, done string, effort int, milestone bool, who int64) {
		var doneOn any
		if done != "" {
			doneOn = day(done)
		}
		a := insert(t, e.d, `INSERT INTO actions (implementation_id, title, description, responsible_id, start_on, due_on, status, effort_hours,
			milestone, done_on, position, created_at, updated_at) VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			m.ID, title, who, day(start), day(due), string(status), effort, milestone, doneOn, pos, start, start)
		if pos == 1 {
			if _, err := e.d.ExecContext(context.Background(), `INSERT INTO action_gaps (action_id, gap_id) VALUES (?, ?)`, a, gapID); err != nil {
				t.Fatal(err)
			}
		}
	}
	action(1, "Utbilda personalen", "2026-09-01", "2026-10-15", implement.ActionDone, "2026-10-10", 40, false, e.lead)
	action(2, "Ta fram lokal rutin", "2026-09-15", "2026-10-31", implement.ActionStarted, "", 20, false, e.sponsor)
	action(3, "Beslut i ledningsgruppen", "2026-12-01", "2026-12-01", implement.ActionPlanned, "", 0, true, e.lead)
	action(4, "Uppföljning av indikatorer", "2027-01-10", "2027-03-31", implement.ActionPlanned, "", 10, false, e.lead)
	action(5, "Struken aktivitet", "2026-09-01", "2026-09-30", implement.ActionCancelled, "", 5, false, e.lead)
	insert(t, e.d, `INSERT INTO communications (implementation_id, target_group, message, channel, planned_on, responsible_id, done_on,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, m.ID, "Personal på hälsocentralerna",
		"Nytt arbetssätt från december", string(implement.ChannelWorkplace), day("2026-11-20"), e.lead, nil, start, start)
	ctx := context.Background()
	if _, err := e.d.ExecContext(ctx, `UPDATE checklist_items SET state = 'done', note = ?, decided_by = ?, decided_on = ? WHERE implementation_id = ? AND item_key = ?`,
		"Beslutsunderlag finns", "samordnare", day("2026-10-01"), m.ID, implement.ItemDecisionBasis); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.ExecContext(ctx, `UPDATE checklist_items SET state = 'waived', waive_reason = ?, decided_by = ?, decided_on = ? WHERE implementation_id = ? AND item_key = ?`,
		"Förankrat i tidigare beslut", "samordnare", day("2026-10-02"), m.ID, implement.ItemAnchoring); err != nil {
		t.Fatal(err)
	}
	group := insert(t, e.d, `INSERT INTO org_groups (kind, name, level, created_at, updated_at) VALUES ('leadership', 'Hälso- och sjukvårdsledningen', 'region', ?, ?) RETURNING id`, start, start)
	forumID := insert(t, e.d, `INSERT INTO forums (group_id, created_at, updated_at) VALUES (?, ?, ?) RETURNING id`, group, start, start)
	kase := func(number, title, status, registered, entity string, entityID int64) int64 {
		c := insert(t, e.d, `INSERT INTO cases (number, title, kind, status, registered_on, created_at, updated_at) VALUES (?, ?, 'knowledge_support', ?, ?, ?, ?) RETURNING id`,
			number, title, status, day(registered), start, start)
		insert(t, e.d, `INSERT INTO case_links (case_id, entity, entity_id, label, created_at) VALUES (?, ?, ?, '', ?) RETURNING id`, c, entity, fmt.Sprint(entityID), start)
		return c
	}
	c := kase("2026/0007", "Införande av Vårdförlopp Testsjukdom", "decision", "2026-08-20", "support", e.support)
	insert(t, e.d, `INSERT INTO decisions (case_id, forum_id, decided_on, text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		c, forumID, day("2026-08-28"), "Stödet införs i primärvården under hösten 2026.", start, start)
	kase("2026/0012", "Förankring av lokal rutin", "anchoring", "2026-10-05", implement.EntityImplementation, m.ID)
	e.clock.set(reportDay)
	return must(e.svc.Workspace(e.coordinator, m.ID))(t).Implementation
}

// reportText writes a document as plain text: the golden form of the report.
func reportText(d doc.Document) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n# %s\n%s\n", d.Organisation, d.Title, d.Subtitle)
	for _, kv := range d.Meta {
		fmt.Fprintf(&b, "%s: %s\n", kv.Key, kv.Value)
	}
	for _, bl := range d.Blocks {
		switch bl := bl.(type) {
		case doc.Heading:
			fmt.Fprintf(&b, "\n%s %s\n", strings.Repeat("#", bl.Level+1), bl.Text)
		case doc.Paragraph:
			fmt.Fprintf(&b, "%s\n", bl.Text)
		case doc.BulletList:
			for _, it := range bl.Items {
				fmt.Fprintf(&b, "- %s\n", it)
			}
		case doc.Table:
			fmt.Fprintf(&b, "[%s]\n", bl.Title)
			var hs []string
			for _, c := range bl.Columns {
				hs = append(hs, c.Header)
			}
			fmt.Fprintf(&b, "| %s |\n", strings.Join(hs, " | "))
			for _, row := range bl.Rows {
				var cs []string
				for _, c := range row {
					cs = append(cs, strings.ReplaceAll(cellText(c), "\n", " / "))
				}
				fmt.Fprintf(&b, "| %s |\n", strings.Join(cs, " | "))
			}
		}
	}
	return b.String()
}

func cellText(c doc.Cell) string {
	switch c.Kind {
	case doc.KindInt:
		return fmt.Sprint(c.Int)
	case doc.KindDate:
		if c.Date.IsZero() {
			return ""
		}
		return c.Date.String()
	}
	return c.Text
}

// reportTrOf is a catalogue lookup in loc.
func (e *env) reportTrOf(loc i18n.Locale) func(string, ...any) string {
	return func(key string, args ...any) string { return e.texts.T(loc, key, args...) }
}
