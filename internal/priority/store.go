package priority

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// Rounds.

const roundColumns = `id, year, title, instructions, status, deadline, scale_min, scale_max, scale_labels,
	opened_on, closed_on, case_id, decision_id, decided_on, created_at, updated_at, version`

func scanRound(s db.Scanner) (Round, error) {
	var r Round
	var labels string
	var caseID, decisionID sql.NullInt64
	err := s.Scan(&r.ID, &r.Year, &r.Title, &r.Instructions, &r.Status, &r.Deadline, &r.Scale.Min, &r.Scale.Max, &labels,
		&r.OpenedOn, &r.ClosedOn, &caseID, &decisionID, &r.DecidedOn, &r.CreatedAt, &r.UpdatedAt, &r.Version)
	if err != nil {
		return Round{}, err
	}
	r.CaseID, r.DecisionID = caseID.Int64, decisionID.Int64
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(labels), &r.Scale.Labels); err != nil {
		return Round{}, fmt.Errorf("round %d: scale labels: %w", r.ID, err)
	}
	r.Criteria = []Criterion{}
	return r, nil
}

func labelsJSON(labels []string) string {
	if labels == nil {
		labels = []string{}
	}
	b, _ := json.Marshal(labels)
	return string(b)
}

func findRound(ctx context.Context, q db.Querier, id int64) (Round, error) {
	r, err := db.One(ctx, q, scanRound, `SELECT `+roundColumns+` FROM priority_rounds WHERE id = ?`, id)
	if err != nil {
		return Round{}, fmt.Errorf("find round %d: %w", id, err)
	}
	r.Criteria, err = listCriteria(ctx, q, id)
	return r, err
}

func listRounds(ctx context.Context, q db.Querier) ([]Round, error) {
	rs, err := db.All(ctx, q, scanRound, `SELECT `+roundColumns+` FROM priority_rounds ORDER BY year DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list rounds: %w", err)
	}
	return rs, nil
}

func insertRound(ctx context.Context, q db.Querier, r Round, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `
		INSERT INTO priority_rounds (year, title, instructions, status, deadline, scale_min, scale_max, scale_labels,
			created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.Year, r.Title, r.Instructions, Draft, r.Deadline, r.Scale.Min, r.Scale.Max, labelsJSON(r.Scale.Labels), now, now)
}

func updateRound(ctx context.Context, q db.Querier, r Round, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "priority_rounds", r.ID, `
		UPDATE priority_rounds SET year = ?, title = ?, instructions = ?, deadline = ?, scale_min = ?, scale_max = ?,
			scale_labels = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		r.Year, r.Title, r.Instructions, r.Deadline, r.Scale.Min, r.Scale.Max, labelsJSON(r.Scale.Labels), now, r.ID, r.Version)
}

// updateRoundState saves what the round's steps change: status, dates, case
// and decision.
func updateRoundState(ctx context.Context, q db.Querier, r Round, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "priority_rounds", r.ID, `
		UPDATE priority_rounds SET status = ?, deadline = ?, opened_on = ?, closed_on = ?, case_id = ?, decision_id = ?,
			decided_on = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		r.Status, r.Deadline, r.OpenedOn, r.ClosedOn, db.NullID(r.CaseID), db.NullID(r.DecisionID), r.DecidedOn, now, r.ID, r.Version)
}

func touchRound(ctx context.Context, q db.Querier, id, version int64, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "priority_rounds", id,
		`UPDATE priority_rounds SET updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`, now, id, version)
}

// listRatingRounds lists the open rounds whose deadline has not passed on
// today, by deadline.
func listRatingRounds(ctx context.Context, q db.Querier, today date.Date) ([]Round, error) {
	rs, err := db.All(ctx, q, scanRound, `SELECT `+roundColumns+` FROM priority_rounds
		WHERE status = 'open' AND deadline >= ? ORDER BY deadline, id`, today)
	if err != nil {
		return nil, fmt.Errorf("open rounds: %w", err)
	}
	return rs, nil
}

// listOverdueRounds lists the open rounds whose deadline passed before
// today, by deadline.
func listOverdueRounds(ctx context.Context, q db.Querier, today date.Date) ([]Round, error) {
	rs, err := db.All(ctx, q, scanRound, `SELECT `+roundColumns+` FROM priority_rounds
		WHERE status = 'open' AND deadline < ? ORDER BY deadline, id`, today)
	if err != nil {
		return nil, fmt.Errorf("rounds to close: %w", err)
	}
	return rs, nil
}

// Criteria.

func scanCriterion(s db.Scanner) (Criterion, error) {
	var c Criterion
	err := s.Scan(&c.ID, &c.Axis, &c.Label, &c.Description, &c.Weight, &c.Position)
	return c, err
}

func listCriteria(ctx context.Context, q db.Querier, roundID int64) ([]Criterion, error) {
	cs, err := db.All(ctx, q, scanCriterion, `SELECT id, axis, label, description, weight, position
		FROM priority_criteria WHERE round_id = ? ORDER BY position, id`, roundID)
	if err != nil {
		return nil, fmt.Errorf("list criteria of round %d: %w", roundID, err)
	}
	if cs == nil {
		cs = []Criterion{}
	}
	return cs, nil
}

// replaceCriteria stores the round's criteria: those with an id of the round
// are updated in place (keeping the scores given to them), the others are
// inserted, and criteria no longer listed are deleted with their scores.
func replaceCriteria(ctx context.Context, q db.Querier, roundID int64, cs []Criterion) error {
	old, err := listCriteria(ctx, q, roundID)
	if err != nil {
		return err
	}
	keep := map[int64]bool{}
	for _, c := range cs {
		keep[c.ID] = true
	}
	for _, c := range old {
		if !keep[c.ID] {
			if _, err := q.ExecContext(ctx, `DELETE FROM priority_criteria WHERE id = ?`, c.ID); err != nil {
				return fmt.Errorf("delete criterion %d: %w", c.ID, err)
			}
		}
	}
	ours := map[int64]bool{}
	for _, c := range old {
		ours[c.ID] = true
	}
	for _, c := range cs {
		if c.ID != 0 && ours[c.ID] {
			if _, err := q.ExecContext(ctx, `UPDATE priority_criteria SET axis = ?, label = ?, description = ?, weight = ?, position = ?
				WHERE id = ? AND round_id = ?`, c.Axis, c.Label, c.Description, c.Weight, c.Position, c.ID, roundID); err != nil {
				return fmt.Errorf("update criterion %d: %w", c.ID, err)
			}
			continue
		}
		if _, err := db.Insert(ctx, q, `INSERT INTO priority_criteria (round_id, axis, label, description, weight, position)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, roundID, c.Axis, c.Label, c.Description, c.Weight, c.Position); err != nil {
			return fmt.Errorf("insert criterion: %w", err)
		}
	}
	return nil
}

// Candidates.

const candidateColumns = `c.id, c.round_id, c.support_id, s.title, s.kind, s.status, c.position, c.proposed_order,
	c.planned_start, c.planned_end, c.proposal_note, c.outcome, c.decided_order, c.version`

func scanCandidate(s db.Scanner) (Candidate, error) {
	var c Candidate
	var order, decided sql.NullInt64
	err := s.Scan(&c.ID, &c.RoundID, &c.SupportID, &c.SupportTitle, &c.SupportKind, &c.SupportStatus, &c.Position,
		&order, &c.PlannedStart, &c.PlannedEnd, &c.Note, &c.Outcome, &decided, &c.Version)
	c.ProposedOrder, c.DecidedOrder = int(order.Int64), int(decided.Int64)
	// A candidate is proposed exactly when it has a proposed order
	// (Proposal.Validate), so the order alone is stored.
	c.Proposed = c.ProposedOrder > 0
	return c, err
}

func listCandidates(ctx context.Context, q db.Querier, roundID int64) ([]Candidate, error) {
	cs, err := db.All(ctx, q, scanCandidate, `SELECT `+candidateColumns+`
		FROM priority_candidates c JOIN supports s ON s.id = c.support_id
		WHERE c.round_id = ? ORDER BY c.position, c.id`, roundID)
	if err != nil {
		return nil, fmt.Errorf("list candidates of round %d: %w", roundID, err)
	}
	if cs == nil {
		cs = []Candidate{}
	}
	return cs, nil
}

// replaceCandidates makes supportIDs the round's candidates in that order,
// keeping the rows (and sheets) of supports that stay.
func replaceCandidates(ctx context.Context, q db.Querier, roundID int64, supportIDs []int64) error {
	old, err := listCandidates(ctx, q, roundID)
	if err != nil {
		return err
	}
	pos := map[int64]int{}
	for i, id := range supportIDs {
		pos[id] = i + 1
	}
	have := map[int64]bool{}
	for _, c := range old {
		have[c.SupportID] = true
		if pos[c.SupportID] == 0 {
			if _, err := q.ExecContext(ctx, `DELETE FROM priority_candidates WHERE id = ?`, c.ID); err != nil {
				return fmt.Errorf("delete candidate %d: %w", c.ID, err)
			}
		}
	}
	for _, id := range supportIDs {
		if have[id] {
			if _, err := q.ExecContext(ctx, `UPDATE priority_candidates SET position = ? WHERE round_id = ? AND support_id = ?`,
				pos[id], roundID, id); err != nil {
				return fmt.Errorf("number candidate: %w", err)
			}
			continue
		}
		if _, err := db.Insert(ctx, q, `INSERT INTO priority_candidates (round_id, support_id, position) VALUES (?, ?, ?) RETURNING id`,
			roundID, id, pos[id]); err != nil {
			return fmt.Errorf("insert candidate: %w", err)
		}
	}
	return nil
}

func updateProposal(ctx context.Context, q db.Querier, c Candidate) error {
	return db.UpdateVersioned(ctx, q, "priority_candidates", c.ID, `
		UPDATE priority_candidates SET proposed_order = ?, planned_start = ?, planned_end = ?, proposal_note = ?,
			version = version + 1
		WHERE id = ? AND version = ?`,
		db.NullInt(c.ProposedOrder), c.PlannedStart, c.PlannedEnd, c.Note, c.ID, c.Version)
}

func updateOutcome(ctx context.Context, q db.Querier, c Candidate, o CandidateChoice) error {
	start, end, order := o.PlannedStart, o.PlannedEnd, o.Order
	if o.Outcome != catalog.Decided {
		start, end, order = date.Date{}, date.Date{}, 0
	}
	return db.UpdateVersioned(ctx, q, "priority_candidates", c.ID, `
		UPDATE priority_candidates SET outcome = ?, decided_order = ?, planned_start = ?, planned_end = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		o.Outcome, db.NullInt(order), start, end, c.ID, c.Version)
}

// openRoundsOf lists the rounds not yet decided, other than except, that
// have support as a candidate.
func openRoundsOf(ctx context.Context, q db.Querier, supportID, except int64) ([]int64, error) {
	ids, err := db.All(ctx, q, db.ScanID, `SELECT r.id FROM priority_candidates c JOIN priority_rounds r ON r.id = c.round_id
		WHERE c.support_id = ? AND r.id <> ? AND r.status <> 'decided' ORDER BY r.id`, supportID, except)
	if err != nil {
		return nil, fmt.Errorf("rounds of support %d: %w", supportID, err)
	}
	return ids, nil
}

// Assessor groups.

func scanGroup(s db.Scanner) (AssessorGroup, error) {
	var g AssessorGroup
	err := s.Scan(&g.GroupID, &g.Name, &g.Kind)
	return g, err
}

func listGroups(ctx context.Context, q db.Querier, roundID int64) ([]AssessorGroup, error) {
	gs, err := db.All(ctx, q, scanGroup, `SELECT g.id, g.name, g.kind FROM priority_groups pg JOIN org_groups g ON g.id = pg.group_id
		WHERE pg.round_id = ? ORDER BY g.name, g.id`, roundID)
	if err != nil {
		return nil, fmt.Errorf("list groups of round %d: %w", roundID, err)
	}
	if gs == nil {
		gs = []AssessorGroup{}
	}
	return gs, nil
}

// eligibleGroups lists the home region's groups that may rate: the local and
// regional program areas, then the primary-care council and other groups.
func eligibleGroups(ctx context.Context, q db.Querier) ([]AssessorGroup, error) {
	gs, err := db.All(ctx, q, scanGroup, `SELECT id, name, kind FROM org_groups
		WHERE kind IN ('lpo', 'rpo', 'primary_care_council') OR (kind = 'other' AND level = 'region')
		ORDER BY CASE kind WHEN 'lpo' THEN 0 WHEN 'rpo' THEN 1 ELSE 2 END, name, id`)
	if err != nil {
		return nil, fmt.Errorf("eligible groups: %w", err)
	}
	return gs, nil
}

func replaceGroups(ctx context.Context, q db.Querier, roundID int64, groupIDs []int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM priority_groups WHERE round_id = ?`, roundID); err != nil {
		return fmt.Errorf("clear groups of round %d: %w", roundID, err)
	}
	for _, id := range groupIDs {
		if _, err := q.ExecContext(ctx, `INSERT INTO priority_groups (round_id, group_id) VALUES (?, ?)`, roundID, id); err != nil {
			return fmt.Errorf("add group %d: %w", id, err)
		}
	}
	return nil
}

// groupsOfUser lists the groups of the round in which the person linked to
// userID holds a current membership on day.
func groupsOfUser(ctx context.Context, q db.Querier, roundID, userID int64, day date.Date) ([]AssessorGroup, error) {
	gs, err := db.All(ctx, q, scanGroup, `SELECT DISTINCT g.id, g.name, g.kind
		FROM priority_groups pg
		JOIN org_groups g ON g.id = pg.group_id
		JOIN memberships m ON m.group_id = g.id
		JOIN people p ON p.id = m.person_id
		WHERE pg.round_id = ? AND p.user_id = ? AND m.start_date <= ? AND (m.end_date IS NULL OR m.end_date >= ?)
		ORDER BY g.name, g.id`, roundID, userID, day, day)
	if err != nil {
		return nil, fmt.Errorf("groups of user %d: %w", userID, err)
	}
	if gs == nil {
		gs = []AssessorGroup{}
	}
	return gs, nil
}

// Sheets.

// sheetRow is a sheet with its scores packed as "criterion:score,…" (see
// the priority_sheets table).
type sheetRow struct {
	Sheet
	packed string
}

func scanSheet(s db.Scanner) (sheetRow, error) {
	var r sheetRow
	err := s.Scan(&r.ID, &r.RoundID, &r.CandidateID, &r.GroupID, &r.packed, &r.UpdatedBy, &r.UpdatedAt, &r.Version)
	r.UpdatedAt = r.UpdatedAt.UTC()
	r.Scores = []Score{}
	return r, err
}

// unpack reads the packed scores into the sheet.
func (r *sheetRow) unpack() error {
	if r.packed == "" {
		return nil
	}
	for part := range strings.SplitSeq(r.packed, ",") {
		c, v, ok := strings.Cut(part, ":")
		id, err1 := strconv.ParseInt(c, 10, 64)
		n, err2 := strconv.Atoi(v)
		if !ok || err1 != nil || err2 != nil {
			return fmt.Errorf("sheet %d: packed score %q", r.ID, part)
		}
		r.Scores = append(r.Scores, Score{CriterionID: id, Value: &n})
	}
	return nil
}

// packScores packs the given scores for the priority_sheets.scores column.
func packScores(scores []Score) string {
	var b strings.Builder
	for _, sc := range scores {
		if sc.Value == nil {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(sc.CriterionID, 10))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(*sc.Value))
	}
	return b.String()
}

type commentRow struct {
	sheetID, criterionID int64
	comment              string
}

func scanComment(s db.Scanner) (commentRow, error) {
	var r commentRow
	err := s.Scan(&r.sheetID, &r.criterionID, &r.comment)
	return r, err
}

// listSheets lists the round's sheets with their scores, and their comments
// if withComments, filtered by candidate and group when they are not 0, each
// sheet's scores in the order of the round's criteria.
func listSheets(ctx context.Context, q db.Querier, roundID, candidateID, groupID int64, withComments bool) ([]Sheet, error) {
	where, args := []string{"s.round_id = ?"}, []any{roundID}
	if candidateID != 0 {
		where, args = append(where, "s.candidate_id = ?"), append(args, candidateID)
	}
	if groupID != 0 {
		where, args = append(where, "s.group_id = ?"), append(args, groupID)
	}
	cond := strings.Join(where, " AND ")
	rows, err := db.All(ctx, q, scanSheet, `SELECT s.id, s.round_id, s.candidate_id, s.group_id, s.scores, s.updated_by, s.updated_at, s.version
		FROM priority_sheets s WHERE `+cond+` ORDER BY s.candidate_id, s.group_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list sheets of round %d: %w", roundID, err)
	}
	var comments []commentRow
	if withComments {
		comments, err = db.All(ctx, q, scanComment, `SELECT c.sheet_id, c.criterion_id, c.comment
			FROM priority_comments c JOIN priority_sheets s ON s.id = c.sheet_id WHERE `+cond, args...)
		if err != nil {
			return nil, fmt.Errorf("list comments of round %d: %w", roundID, err)
		}
	}
	criteria, err := listCriteria(ctx, q, roundID)
	if err != nil {
		return nil, err
	}
	place := make(map[int64]int, len(criteria))
	for i, c := range criteria {
		place[c.ID] = i
	}
	byID := make(map[int64]int, len(rows))
	sheets := make([]Sheet, len(rows))
	for i := range rows {
		if err := rows[i].unpack(); err != nil {
			return nil, err
		}
		sheets[i] = rows[i].Sheet
		byID[rows[i].ID] = i
	}
	for _, c := range comments {
		i, ok := byID[c.sheetID]
		if !ok {
			continue
		}
		sh := &sheets[i]
		if k := slices.IndexFunc(sh.Scores, func(sc Score) bool { return sc.CriterionID == c.criterionID }); k >= 0 {
			sh.Scores[k].Comment = c.comment
		} else {
			sh.Scores = append(sh.Scores, Score{CriterionID: c.criterionID, Comment: c.comment})
		}
	}
	for i := range sheets {
		slices.SortFunc(sheets[i].Scores, func(a, b Score) int { return cmp.Compare(place[a.CriterionID], place[b.CriterionID]) })
	}
	return sheets, nil
}

func insertSheet(ctx context.Context, q db.Querier, sh Sheet, by string, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `INSERT INTO priority_sheets (round_id, candidate_id, group_id, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, sh.RoundID, sh.CandidateID, sh.GroupID, by, now)
}

func touchSheet(ctx context.Context, q db.Querier, sh Sheet, by string, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "priority_sheets", sh.ID,
		`UPDATE priority_sheets SET updated_by = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		by, now, sh.ID, sh.Version)
}

// replaceScores saves a sheet's scores and comments.
func replaceScores(ctx context.Context, q db.Querier, sheetID int64, scores []Score) error {
	if _, err := q.ExecContext(ctx, `UPDATE priority_sheets SET scores = ? WHERE id = ?`, packScores(scores), sheetID); err != nil {
		return fmt.Errorf("save scores of sheet %d: %w", sheetID, err)
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM priority_comments WHERE sheet_id = ?`, sheetID); err != nil {
		return fmt.Errorf("clear comments of sheet %d: %w", sheetID, err)
	}
	for _, sc := range scores {
		if sc.Comment == "" {
			continue
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO priority_comments (sheet_id, criterion_id, comment) VALUES (?, ?, ?)`,
			sheetID, sc.CriterionID, sc.Comment); err != nil {
			return fmt.Errorf("save comment: %w", err)
		}
	}
	return nil
}

// Time plan.

func scanPlanEntry(s db.Scanner) (PlanEntry, error) {
	var e PlanEntry
	var order sql.NullInt64
	err := s.Scan(&e.SupportID, &e.SupportTitle, &e.SupportKind, &e.Status, &e.RoundID, &e.RoundYear, &e.RoundTitle, &order,
		&e.PlannedStart, &e.PlannedEnd, &e.DecidedOn)
	e.Order = int(order.Int64)
	return e, err
}

// listPlan lists the supports HSL decided to introduce whose planned time
// overlaps [from, to]. A support planned without an end belongs to the
// period it starts in, and to later periods while it is not yet introduced.
func listPlan(ctx context.Context, q db.Querier, from, to date.Date) ([]PlanEntry, error) {
	es, err := db.All(ctx, q, scanPlanEntry, `SELECT s.id, s.title, s.kind, s.status, r.id, r.year, r.title, c.decided_order,
			c.planned_start, c.planned_end, r.decided_on
		FROM priority_candidates c
		JOIN priority_rounds r ON r.id = c.round_id
		JOIN supports s ON s.id = c.support_id
		WHERE c.outcome = 'decided' AND c.planned_start <= ?
		  AND (c.planned_end >= ? OR (c.planned_end IS NULL AND (c.planned_start >= ? OR s.status IN ('decided', 'being_introduced'))))
		ORDER BY c.planned_start, r.year, c.decided_order, s.title`, to, from, from)
	if err != nil {
		return nil, fmt.Errorf("time plan: %w", err)
	}
	if es == nil {
		es = []PlanEntry{}
	}
	return es, nil
}

// Lookups.

// forumByKind returns the id of the first forum whose org group is of kind.
func forumByKind(ctx context.Context, q db.Querier, kind string) (int64, error) {
	id, err := db.One(ctx, q, db.ScanID, `SELECT f.id FROM forums f JOIN org_groups g ON g.id = f.group_id
		WHERE g.kind = ? ORDER BY f.id LIMIT 1`, kind)
	if err != nil {
		return 0, fmt.Errorf("forum of kind %s: %w", kind, err)
	}
	return id, nil
}

// Lookups in earlier features' tables, inside this feature's transactions.

func catalogSupport(ctx context.Context, q db.Querier, id int64) (catalog.Support, error) {
	var sp catalog.Support
	err := q.QueryRowContext(ctx, `SELECT id, title, status FROM supports WHERE id = ?`, id).Scan(&sp.ID, &sp.Title, &sp.Status)
	if err != nil {
		return catalog.Support{}, fmt.Errorf("support %d: %w", id, db.MapError(err))
	}
	return sp, nil
}

func forumCase(ctx context.Context, q db.Querier, id int64) (forum.Case, error) {
	var c forum.Case
	err := q.QueryRowContext(ctx, `SELECT id, number, version FROM cases WHERE id = ?`, id).Scan(&c.ID, &c.Number, &c.Version)
	if err != nil {
		return forum.Case{}, fmt.Errorf("case %d: %w", id, db.MapError(err))
	}
	return c, nil
}
