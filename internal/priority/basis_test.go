package priority_test

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/priority"
)

var updateBasis = flag.Bool("update-basis", false, "rewrite the decision basis golden files")

// basisText writes a document's content as plain text, one block after
// another, for golden files and assertions.
func basisText(d doc.Document) string {
	var b strings.Builder
	b.WriteString(d.Organisation + "\n" + d.Title + "\n" + d.Subtitle + "\n")
	for _, m := range d.Meta {
		b.WriteString(m.Key + ": " + m.Value + "\n")
	}
	cell := func(c doc.Cell) string {
		switch c.Kind {
		case doc.KindInt:
			return strconv.FormatInt(c.Int, 10)
		case doc.KindDate:
			return c.Date.String()
		}
		return strings.ReplaceAll(c.Text, "\n", " / ")
	}
	for _, bl := range d.Blocks {
		switch x := bl.(type) {
		case doc.Heading:
			b.WriteString("\n" + strings.Repeat("#", x.Level) + " " + x.Text + "\n")
		case doc.Paragraph:
			b.WriteString(x.Text + "\n")
		case doc.BulletList:
			for _, it := range x.Items {
				b.WriteString("- " + it + "\n")
			}
		case doc.Table:
			b.WriteString("[" + x.Title + "]\n")
			var head []string
			for _, c := range x.Columns {
				head = append(head, c.Header)
			}
			b.WriteString("| " + strings.Join(head, " | ") + " |\n")
			for _, row := range x.Rows {
				var cells []string
				for _, c := range row {
					cells = append(cells, cell(c))
				}
				b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
			}
		}
	}
	return b.String()
}

// basisFixture is a closed round of five candidates and three groups: one
// candidate in each quadrant, two sharing second place, one not rated, a
// proposal for two and comments from two groups.
func basisFixture() priority.Basis {
	r := priority.Round{ID: 7, Year: 2027, Title: "Prioritering av kunskapsstöd 2027", Status: priority.Closed,
		Instructions: "Bedöm varje kandidat.", Deadline: day("2026-10-15"), OpenedOn: day("2026-09-01"), ClosedOn: day("2026-10-20"),
		Scale: priority.Scale{Min: 1, Max: 5, Labels: []string{"Mycket låg", "Låg", "Medel", "Hög", "Mycket hög"}},
		Criteria: []priority.Criterion{
			{ID: 1, Axis: priority.Importance, Label: "Betydelse", Weight: 1},
			{ID: 2, Axis: priority.Importance, Label: "Effekt på vården", Weight: 1},
			{ID: 3, Axis: priority.Feasibility, Label: "Resurser", Weight: 1},
		}}
	titles := []string{"Vårdförlopp KOL", "Riktlinje hjärtsvikt", "Rutin för fallprevention", "Vårdprogram demens", "Läkemedelslista astma"}
	var cs []priority.Candidate
	for i, t := range titles {
		cs = append(cs, priority.Candidate{ID: int64(100 + i), RoundID: r.ID, SupportID: int64(200 + i), SupportTitle: t,
			SupportKind: catalog.LocalRoutine, SupportStatus: catalog.Prioritised, Position: i + 1})
	}
	cs[0].Proposal = priority.Proposal{Proposed: true, ProposedOrder: 1, PlannedStart: day("2027-01-01"), PlannedEnd: day("2027-06-30")}
	cs[2].Proposal = priority.Proposal{Proposed: true, ProposedOrder: 2, PlannedStart: day("2027-09-01"), Note: "Efter sommaren"}
	cs[1].Note = "Avvakta resurser"
	groups := []priority.AssessorGroup{{GroupID: 1, Name: "LPO Alfa", Kind: "lpo"}, {GroupID: 2, Name: "LPO Beta", Kind: "lpo"},
		{GroupID: 3, Name: "Primärvårdsrådet", Kind: "primary_care_council"}}
	v := func(n int) *int { return &n }
	sheet := func(cand int, group int64, values [3]int, comments ...string) priority.Sheet {
		sh := priority.Sheet{RoundID: r.ID, CandidateID: cs[cand].ID, GroupID: group}
		for k, val := range values {
			sc := priority.Score{CriterionID: int64(k + 1)}
			if val > 0 {
				sc.Value = v(val)
			}
			if k < len(comments) {
				sc.Comment = comments[k]
			}
			sh.Scores = append(sh.Scores, sc)
		}
		return sh
	}
	sheets := []priority.Sheet{
		sheet(0, 2, [3]int{4, 4, 5}, "", "", "Resurser finns i primärvården"),
		sheet(0, 1, [3]int{5, 5, 4}, "Stor patientnytta"),
		sheet(1, 1, [3]int{4, 4, 2}, "", "Angeläget men tungt"),
		sheet(2, 1, [3]int{2, 2, 4}),
		sheet(3, 1, [3]int{1, 1, 1}),
		sheet(4, 2, [3]int{1, 0, 0}, "Oklart underlag"),
	}
	return priority.Basis{Results: priority.Compute(r, cs, groups, sheets), Sheets: sheets, CaseNumber: "2026/0042"}
}

func TestBasisDocument_Content(t *testing.T) {
	t.Parallel()
	texts := must(i18n.Load())(t)
	for _, loc := range []i18n.Locale{i18n.SV, i18n.EN} {
		t.Run(string(loc), func(t *testing.T) {
			t.Parallel()
			tr := func(key string, args ...any) string { return texts.T(loc, key, args...) }
			d := priority.BasisDocument(basisFixture(), tr, loc)
			got := basisText(d)
			if strings.Contains(got, "priority.") {
				t.Errorf("a catalogue key is not translated:\n%s", got)
			}
			golden := filepath.Join("testdata", "basis_"+string(loc)+".golden")
			if *updateBasis {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update-basis to write it)", err)
			}
			if got != string(want) {
				t.Errorf("the decision basis differs from %s:\n%s", golden, got)
			}
			// The same data always gives the same document.
			if again := basisText(priority.BasisDocument(basisFixture(), tr, loc)); again != got {
				t.Error("the document is not deterministic")
			}
		})
	}
}

func TestBasisDocument_Parts(t *testing.T) {
	t.Parallel()
	texts := must(i18n.Load())(t)
	tr := func(key string, args ...any) string { return texts.T(i18n.SV, key, args...) }
	got := basisText(priority.BasisDocument(basisFixture(), tr, i18n.SV))
	for _, tc := range []struct{ what, want string }{
		{"case number", "Ärende: 2026/0042"},
		{"groups that answered", "Grupper som svarat: 0 av 3"},
		{"groups that did not answer", "- LPO Alfa (4 av 5 klara)"},
		{"scale", "Skala: 1–5 (Mycket låg; Låg; Medel; Hög; Mycket hög)"},
		{"criterion", "| Genomförbarhet | Resurser | 1 |"},
		{"important quadrants", "| Högre viktighet | Förbered: / 2. Riktlinje hjärtsvikt | Inför: / 1. Vårdförlopp KOL |"},
		{"less important quadrants", "| Lägre viktighet | Avvakta: / 4. Vårdprogram demens | Överväg: / 3. Rutin för fallprevention |"},
		{"unrated", "Inte bedömda av någon grupp: 5. Läkemedelslista astma"},
		{"scores with spread", "| 1 | Vårdförlopp KOL | 4,5 ± 0,7 | 4,5 ± 0,7 | 2 | Inför |"},
		{"unrated scores", "| 5 | Läkemedelslista astma | – | – | 0 | Inte bedömd |"},
		{"first place", "| 1 | 1 | Vårdförlopp KOL | 4,50 | Inför |"},
		{"shared place", "| 2 (delad) | 2 | Riktlinje hjärtsvikt | 3,00 | Förbered |"},
		{"shared place too", "| 2 (delad) | 3 | Rutin för fallprevention | 3,00 | Överväg |"},
		{"after the tie", "| 4 | 4 | Vårdprogram demens | 1,00 | Avvakta |"},
		{"ties explained", "delar plats"},
		{"proposal first", "| 1 | 1 | Vårdförlopp KOL | 2027-01-01 | 2027-06-30 |  |"},
		{"proposal second", "| 2 | 3 | Rutin för fallprevention | 2027-09-01 |  | Efter sommaren |"},
		{"not proposed", "- 2. Riktlinje hjärtsvikt – Avvakta resurser"},
		{"comment importance", "Viktighet – Betydelse\n- LPO Alfa: Stor patientnytta"},
		{"comment feasibility", "Genomförbarhet – Resurser\n- LPO Beta: Resurser finns i primärvården"},
		{"partial sheet's comment", "## 5. Läkemedelslista astma\nViktighet – Betydelse\n- LPO Beta: Oklart underlag"},
		{"no comments", "## 4. Vårdprogram demens\nInga kommentarer."},
	} {
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s: the basis lacks %q:\n%s", tc.what, tc.want, got)
		}
	}
	if strings.Contains(got, "HSL:s beslut") {
		t.Error("an undecided round's basis shows a decision")
	}
}

func TestBasisDocument_DecidedRoundShowsDecision(t *testing.T) {
	t.Parallel()
	texts := must(i18n.Load())(t)
	tr := func(key string, args ...any) string { return texts.T(i18n.SV, key, args...) }
	b := basisFixture()
	b.Results.Round.Status, b.Results.Round.DecidedOn = priority.Decided, day("2026-11-20")
	for i := range b.Results.Ranked {
		c := &b.Results.Ranked[i].Candidate
		switch c.Position {
		case 1:
			c.Outcome, c.DecidedOrder = catalog.Decided, 1
		case 3:
			c.Outcome = catalog.NotRelevant
		default:
			c.Outcome = catalog.Watched
		}
	}
	got := basisText(priority.BasisDocument(b, tr, i18n.SV))
	for _, want := range []string{"Beslutad: 2026-11-20", "# HSL:s beslut", "HSL beslutade 2026-11-20.",
		"| 1 | Vårdförlopp KOL | Införs | 1 | 2027-01-01 | 2027-06-30 |", "| 3 | Rutin för fallprevention | Ej aktuellt |  |  |  |",
		"| 2 | Riktlinje hjärtsvikt | Bevakas igen |  |  |  |"} {
		if !strings.Contains(got, want) {
			t.Errorf("the decided basis lacks %q:\n%s", want, got)
		}
	}
}
