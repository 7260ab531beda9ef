package priority

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// Basis is what a round's decision basis (beslutsunderlag) shows: the
// results, every group's sheets for their comments, and the number of the
// forum case through which it is anchored and decided.
type Basis struct {
	Results    Results
	Sheets     []Sheet
	CaseNumber string
}

// Basis gathers the decision basis of a closed or decided round. A round
// still being prepared or rated has no final results, so it has no basis:
// errs.ErrNotFound.
func (s *Service) Basis(ctx context.Context, roundID int64) (Basis, error) {
	res, sheets, err := s.ResultsAndSheets(ctx, roundID)
	if err != nil {
		return Basis{}, err
	}
	if st := res.Round.Status; st != Closed && st != Decided {
		return Basis{}, fmt.Errorf("decision basis of round %d (%s): %w", roundID, st, errs.ErrNotFound)
	}
	b := Basis{Results: res, Sheets: sheets}
	if res.Round.CaseID != 0 {
		c, err := s.forums.Case(ctx, res.Round.CaseID)
		if err != nil {
			return Basis{}, err
		}
		b.CaseNumber = c.Number
	}
	return b, nil
}

// AttachBasis writes a closed round's decision basis as DOCX and PDF, in
// Swedish as the region's records are, and attaches both to the round's
// forum case, so the primary-care council and HSL have them at their
// meetings. The round must have its case.
func (s *Service) AttachBasis(ctx context.Context, roundID int64) ([]forum.Document, error) {
	if err := requireRunner(ctx); err != nil {
		return nil, err
	}
	b, err := s.Basis(ctx, roundID)
	if err != nil {
		return nil, err
	}
	r := b.Results.Round
	if r.CaseID == 0 {
		return nil, errs.Invalidf("round", "priority.basis.no_case")
	}
	d := BasisDocument(b, s.say, i18n.SV)
	var docx, pdf bytes.Buffer
	if err := doc.WriteDOCX(&docx, d); err != nil {
		return nil, err
	}
	if err := doc.WritePDF(&pdf, d); err != nil {
		return nil, err
	}
	title := s.say("priority.basis.document_title", "title", r.Title)
	held, err := s.forums.CaseDocuments(ctx, r.CaseID)
	if err != nil {
		return nil, err
	}
	var out []forum.Document
	// Both files are attached or neither; a file the case already holds (the
	// same bytes, attached before with nothing changed since) is not
	// attached again.
	err = s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		out = nil
		var changes []audit.Change
		for _, f := range []struct {
			ext  string
			data []byte
		}{{".docx", docx.Bytes()}, {".pdf", pdf.Bytes()}} {
			sum := sha256.Sum256(f.data)
			if slices.ContainsFunc(held, func(d forum.Document) bool { return d.SHA256 == hex.EncodeToString(sum[:]) }) {
				continue
			}
			saved, c, err := forum.AddCaseDocumentTx(ctx, tx, forum.Document{CaseID: r.CaseID, Title: title + " (" + strings.ToUpper(f.ext[1:]) + ")"},
				BasisFileName(r, f.ext), f.data, now)
			if err != nil {
				return nil, err
			}
			out, changes = append(out, saved), append(changes, c)
		}
		return changes, nil
	})
	return out, err
}

// BasisFileName is the file name of a round's decision basis, e.g.
// "beslutsunderlag-prioritering-2027.pdf".
func BasisFileName(r Round, ext string) string {
	return "beslutsunderlag-prioritering-" + itoa(r.Year) + ext
}

// basisTr is a catalogue lookup in one language.
type basisTr func(key string, args ...any) string

// BasisDocument lays out the decision basis: a summary of the round, the
// importance × feasibility matrix as a table of quadrants and the scores
// with their spread, the ranking with shared places marked, the proposed
// order and time plan, HSL's decision once recorded, and the groups'
// comments on each candidate. It depends only on b, so the same data always
// gives the same document.
func BasisDocument(b Basis, tr basisTr, loc i18n.Locale) doc.Document {
	r := b.Results.Round
	d := doc.Document{
		Organisation: tr("priority.basis.header"),
		Title:        tr("priority.basis.title"),
		Subtitle:     r.Title,
		Lang:         "sv-SE",
		PageLabel:    tr("priority.basis.page_label", "page", "{page}", "pages", "{pages}"),
		Meta:         basisMeta(b, tr),
	}
	if loc == i18n.EN {
		d.Lang = "en-GB"
	}
	d.Blocks = append(d.Blocks, basisSummary(b, tr)...)
	d.Blocks = append(d.Blocks, basisMatrix(b, tr, loc)...)
	d.Blocks = append(d.Blocks, basisRanking(b, tr, loc)...)
	d.Blocks = append(d.Blocks, basisProposal(b, tr)...)
	if r.Status == Decided {
		d.Blocks = append(d.Blocks, basisDecision(b, tr)...)
	}
	d.Blocks = append(d.Blocks, basisComments(b, tr)...)
	return d
}

// basisName is a candidate as the basis names it: its number and title.
func basisName(c Candidate) string { return itoa(c.Position) + ". " + c.SupportTitle }

func basisMeta(b Basis, tr basisTr) []doc.KeyValue {
	r := b.Results.Round
	groups := len(b.Results.Groups)
	meta := []doc.KeyValue{}
	if b.CaseNumber != "" {
		meta = append(meta, doc.KeyValue{Key: tr("priority.basis.case"), Value: b.CaseNumber})
	}
	period := r.OpenedOn.String() + " – " + r.ClosedOn.String()
	if r.OpenedOn.IsZero() {
		period = "– " + r.ClosedOn.String()
	}
	meta = append(meta,
		doc.KeyValue{Key: tr("priority.basis.year"), Value: itoa(r.Year)},
		doc.KeyValue{Key: tr("priority.basis.status"), Value: tr("priority.status." + string(r.Status))},
		doc.KeyValue{Key: tr("priority.basis.period"), Value: period},
		doc.KeyValue{Key: tr("priority.basis.deadline"), Value: r.Deadline.String()},
		doc.KeyValue{Key: tr("priority.basis.candidates"), Value: itoa(len(b.Results.Ranked))},
		doc.KeyValue{Key: tr("priority.basis.groups"), Value: tr("priority.basis.answered_of", "answered", itoa(groups-len(b.Results.NotAnswered)), "groups", itoa(groups))},
	)
	if !r.DecidedOn.IsZero() {
		meta = append(meta, doc.KeyValue{Key: tr("priority.basis.decided_on"), Value: r.DecidedOn.String()})
	}
	return meta
}

func basisSummary(b Basis, tr basisTr) []doc.Block {
	r := b.Results.Round
	groups := len(b.Results.Groups)
	blocks := []doc.Block{
		doc.Heading{Level: 1, Text: tr("priority.basis.summary")},
		doc.Paragraph{Text: tr("priority.basis.summary_text", "groups", itoa(groups), "candidates", itoa(len(b.Results.Ranked)),
			"year", itoa(r.Year), "answered", itoa(groups-len(b.Results.NotAnswered)))},
	}
	if len(b.Results.NotAnswered) == 0 {
		blocks = append(blocks, doc.Paragraph{Text: tr("priority.basis.all_answered")})
	} else {
		var items []string
		for _, g := range b.Results.NotAnswered {
			items = append(items, tr("priority.basis.not_answered_group", "name", g.Group.Name, "complete", itoa(g.Complete),
				"candidates", itoa(len(b.Results.Ranked))))
		}
		blocks = append(blocks, doc.Paragraph{Text: tr("priority.basis.not_answered")}, doc.BulletList{Items: items})
	}
	if r.Instructions != "" {
		blocks = append(blocks, doc.Heading{Level: 2, Text: tr("priority.basis.instructions")}, doc.Paragraph{Text: r.Instructions})
	}
	scale := itoa(r.Scale.Min) + "–" + itoa(r.Scale.Max)
	if len(r.Scale.Labels) > 0 {
		scale += " (" + strings.Join(r.Scale.Labels, "; ") + ")"
	}
	crit := doc.Table{Title: tr("priority.basis.criteria"), Columns: []doc.Column{
		{Header: tr("priority.basis.axis")}, {Header: tr("priority.basis.criterion")}, {Header: tr("priority.basis.weight")},
	}}
	for _, c := range r.Criteria {
		crit.Rows = append(crit.Rows, []doc.Cell{doc.Text(tr("priority.basis.axis." + string(c.Axis))), doc.Text(c.Label), doc.Int(int64(c.Weight))})
	}
	return append(blocks,
		doc.Heading{Level: 2, Text: tr("priority.basis.scale_and_criteria")},
		doc.Paragraph{Text: tr("priority.basis.scale", "scale", scale)},
		crit)
}

// basisMeanSD is an axis result as "3,7 ± 0,6", or "–" when no group scored it.
func basisMeanSD(a AxisResult, loc i18n.Locale) string {
	if a.N == 0 {
		return "–"
	}
	return i18n.FormatDecimal(loc, a.Mean, 1) + " ± " + i18n.FormatDecimal(loc, a.SD, 1)
}

// basisN is how many groups a result rests on: one number, or importance
// and feasibility apart when they differ.
func basisN(c CandidateResult) string {
	if c.Importance.N == c.Feasibility.N {
		return itoa(c.Importance.N)
	}
	return itoa(c.Importance.N) + "/" + itoa(c.Feasibility.N)
}

func basisQuadrant(q Quadrant, tr basisTr) string {
	if q == Unrated {
		return tr("priority.quadrant.unrated")
	}
	return tr("priority.quadrant." + string(q))
}

func basisMatrix(b Basis, tr basisTr, loc i18n.Locale) []doc.Block {
	r := b.Results.Round
	byNumber := b.Results.ByNumber()
	in := map[Quadrant][]string{}
	for _, c := range byNumber {
		in[c.Quadrant] = append(in[c.Quadrant], basisName(c.Candidate))
	}
	cell := func(q Quadrant) doc.Cell {
		lines := append([]string{basisQuadrant(q, tr) + ":"}, in[q]...)
		if len(in[q]) == 0 {
			lines = append(lines, tr("priority.basis.quadrant.none"))
		}
		return doc.Text(strings.Join(lines, "\n"))
	}
	matrix := doc.Table{Title: tr("priority.basis.matrix_table"), Columns: []doc.Column{
		{Header: ""}, {Header: tr("priority.basis.feasibility_low")}, {Header: tr("priority.basis.feasibility_high")},
	}, Rows: [][]doc.Cell{
		{doc.Text(tr("priority.basis.importance_high")), cell(Prepare), cell(Introduce)},
		{doc.Text(tr("priority.basis.importance_low")), cell(Wait), cell(Consider)},
	}}
	blocks := []doc.Block{
		doc.Heading{Level: 1, Text: tr("priority.basis.matrix")},
		doc.Paragraph{Text: tr("priority.basis.matrix_text", "mid", i18n.FormatDecimal(loc, r.Scale.Mid(), 1))},
		matrix,
	}
	if len(in[Unrated]) > 0 {
		blocks = append(blocks, doc.Paragraph{Text: tr("priority.basis.unrated", "candidates", strings.Join(in[Unrated], "; "))})
	}
	scores := doc.Table{Title: tr("priority.basis.scores"), Columns: []doc.Column{
		{Header: tr("priority.basis.number")}, {Header: tr("priority.basis.support")},
		{Header: tr("priority.basis.importance")}, {Header: tr("priority.basis.feasibility")},
		{Header: tr("priority.basis.n")}, {Header: tr("priority.basis.quadrant")},
	}}
	for _, c := range byNumber {
		scores.Rows = append(scores.Rows, []doc.Cell{doc.Int(int64(c.Candidate.Position)), doc.Text(c.Candidate.SupportTitle),
			doc.Text(basisMeanSD(c.Importance, loc)), doc.Text(basisMeanSD(c.Feasibility, loc)), doc.Text(basisN(c)), doc.Text(basisQuadrant(c.Quadrant, tr))})
	}
	return append(blocks, doc.Heading{Level: 2, Text: tr("priority.basis.scores")}, doc.Paragraph{Text: tr("priority.basis.scores_text")}, scores)
}

func basisRanking(b Basis, tr basisTr, loc i18n.Locale) []doc.Block {
	t := doc.Table{Title: tr("priority.basis.ranking"), Columns: []doc.Column{
		{Header: tr("priority.basis.place")}, {Header: tr("priority.basis.number")}, {Header: tr("priority.basis.support")},
		{Header: tr("priority.basis.total")}, {Header: tr("priority.basis.quadrant")},
	}}
	tied := false
	for _, c := range b.Results.Ranked {
		place, total := "–", "–"
		if c.Rank > 0 {
			place, total = itoa(c.Rank), i18n.FormatDecimal(loc, c.Total, 2)
		}
		if c.Tied {
			place, tied = tr("priority.basis.place_tied", "place", itoa(c.Rank)), true
		}
		t.Rows = append(t.Rows, []doc.Cell{doc.Text(place), doc.Int(int64(c.Candidate.Position)), doc.Text(c.Candidate.SupportTitle),
			doc.Text(total), doc.Text(basisQuadrant(c.Quadrant, tr))})
	}
	blocks := []doc.Block{doc.Heading{Level: 1, Text: tr("priority.basis.ranking")}, doc.Paragraph{Text: tr("priority.basis.ranking_text")}}
	if tied {
		blocks = append(blocks, doc.Paragraph{Text: tr("priority.basis.ties")})
	}
	return append(blocks, t)
}

// basisProposed lists the candidates proposed for introduction in their proposed
// order.
func basisProposed(cs []Candidate) []Candidate {
	var out []Candidate
	for _, c := range cs {
		if c.Proposed {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(a.ProposedOrder, b.ProposedOrder), cmp.Compare(a.Position, b.Position))
	})
	return out
}

func basisCandidates(res Results) []Candidate {
	out := make([]Candidate, 0, len(res.Ranked))
	for _, c := range res.ByNumber() {
		out = append(out, c.Candidate)
	}
	return out
}

func basisProposal(b Basis, tr basisTr) []doc.Block {
	blocks := []doc.Block{doc.Heading{Level: 1, Text: tr("priority.basis.proposal")}}
	all := basisCandidates(b.Results)
	props := basisProposed(all)
	if len(props) == 0 {
		return append(blocks, doc.Paragraph{Text: tr("priority.basis.no_proposal")})
	}
	t := doc.Table{Title: tr("priority.basis.proposal"), Columns: []doc.Column{
		{Header: tr("priority.basis.order")}, {Header: tr("priority.basis.number")}, {Header: tr("priority.basis.support")},
		{Header: tr("priority.basis.planned_start")}, {Header: tr("priority.basis.planned_end")}, {Header: tr("priority.basis.note")},
	}}
	for _, c := range props {
		t.Rows = append(t.Rows, []doc.Cell{doc.Int(int64(c.ProposedOrder)), doc.Int(int64(c.Position)), doc.Text(c.SupportTitle),
			doc.Date(c.PlannedStart), doc.Date(c.PlannedEnd), doc.Text(c.Note)})
	}
	blocks = append(blocks, doc.Paragraph{Text: tr("priority.basis.proposal_text")}, t)
	var rest []string
	for _, c := range all {
		if !c.Proposed {
			name := basisName(c)
			if c.Note != "" {
				name += " – " + c.Note
			}
			rest = append(rest, name)
		}
	}
	if len(rest) > 0 {
		blocks = append(blocks, doc.Paragraph{Text: tr("priority.basis.not_proposed")}, doc.BulletList{Items: rest})
	}
	return blocks
}

func basisDecision(b Basis, tr basisTr) []doc.Block {
	t := doc.Table{Title: tr("priority.basis.decision"), Columns: []doc.Column{
		{Header: tr("priority.basis.number")}, {Header: tr("priority.basis.support")}, {Header: tr("priority.basis.outcome")},
		{Header: tr("priority.basis.order")}, {Header: tr("priority.basis.planned_start")}, {Header: tr("priority.basis.planned_end")},
	}}
	for _, c := range basisCandidates(b.Results) {
		order := doc.Cell{}
		if c.DecidedOrder > 0 {
			order = doc.Int(int64(c.DecidedOrder))
		}
		outcome := "–"
		if c.Outcome != "" {
			outcome = tr("priority.decide.outcome." + string(c.Outcome))
		}
		row := []doc.Cell{doc.Int(int64(c.Position)), doc.Text(c.SupportTitle), doc.Text(outcome), order, {}, {}}
		if c.Outcome == catalog.Decided {
			row[4], row[5] = doc.Date(c.PlannedStart), doc.Date(c.PlannedEnd)
		}
		t.Rows = append(t.Rows, row)
	}
	return []doc.Block{
		doc.Heading{Level: 1, Text: tr("priority.basis.decision")},
		doc.Paragraph{Text: tr("priority.basis.decision_text", "date", b.Results.Round.DecidedOn.Time())},
		t,
	}
}

func basisComments(b Basis, tr basisTr) []doc.Block {
	r := b.Results.Round
	groupNames := map[int64]string{}
	groupOrder := map[int64]int{}
	for i, g := range b.Results.Groups {
		groupNames[g.Group.GroupID], groupOrder[g.Group.GroupID] = g.Group.Name, i
	}
	sheets := slices.Clone(b.Sheets)
	slices.SortStableFunc(sheets, func(x, y Sheet) int {
		return cmp.Or(cmp.Compare(groupOrder[x.GroupID], groupOrder[y.GroupID]), cmp.Compare(x.GroupID, y.GroupID))
	})
	byCandidate := map[int64][]Sheet{}
	for _, sh := range sheets {
		if _, ok := groupNames[sh.GroupID]; ok {
			byCandidate[sh.CandidateID] = append(byCandidate[sh.CandidateID], sh)
		}
	}
	blocks := []doc.Block{doc.Heading{Level: 1, Text: tr("priority.basis.comments")}}
	for _, c := range basisCandidates(b.Results) {
		blocks = append(blocks, doc.Heading{Level: 2, Text: basisName(c)})
		commented := false
		for _, crit := range r.Criteria {
			var items []string
			for _, sh := range byCandidate[c.ID] {
				if text := strings.TrimSpace(sh.Score(crit.ID).Comment); text != "" {
					items = append(items, groupNames[sh.GroupID]+": "+text)
				}
			}
			if len(items) > 0 {
				commented = true
				blocks = append(blocks, doc.Paragraph{Text: tr("priority.basis.axis."+string(crit.Axis)) + " – " + crit.Label}, doc.BulletList{Items: items})
			}
		}
		if !commented {
			blocks = append(blocks, doc.Paragraph{Text: tr("priority.basis.no_comments")})
		}
	}
	return blocks
}
