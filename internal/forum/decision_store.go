package forum

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// decisionColumns read a decision with its forum's and case's names, the
// name of who follows it up (its responsible person, or the case's), whether it is locked (its meeting's minutes are approved,
// or it has no meeting), when it was last followed up and which decision
// first corrects it.
const decisionColumns = `d.id, d.case_id, COALESCE(c.number, ''), COALESCE(c.title, ''), d.forum_id, g.name, d.meeting_id, d.agenda_item_id,
	d.decided_on, d.text, d.follow_up_on, d.responsible_person_id, COALESCE(p.name, cp.name, ''), d.corrects_id,
	(SELECT MIN(x.id) FROM decisions x WHERE x.corrects_id = d.id),
	CASE WHEN d.meeting_id IS NULL OR m.approved_at IS NOT NULL THEN 1 ELSE 0 END,
	(SELECT MAX(fu.done_on) FROM decision_followups fu WHERE fu.decision_id = d.id),
	d.created_by, d.version`

const decisionFrom = ` FROM decisions d
	JOIN forums f ON f.id = d.forum_id
	JOIN org_groups g ON g.id = f.group_id
	LEFT JOIN cases c ON c.id = d.case_id
	LEFT JOIN meetings m ON m.id = d.meeting_id
	LEFT JOIN people p ON p.id = d.responsible_person_id
	LEFT JOIN people cp ON cp.id = c.responsible_person_id`

func scanDecision(s db.Scanner) (Decision, error) {
	var d Decision
	var caseID, meeting, item, resp, corrects, correctedBy sql.NullInt64
	var locked int64
	err := s.Scan(&d.ID, &caseID, &d.CaseNumber, &d.CaseTitle, &d.ForumID, &d.ForumName, &meeting, &item,
		&d.DecidedOn, &d.Text, &d.FollowUpOn, &resp, &d.ResponsibleName, &corrects, &correctedBy,
		&locked, &d.FollowedUpOn, &d.CreatedBy, &d.Version)
	d.CaseID, d.MeetingID, d.AgendaItemID, d.ResponsiblePersonID = caseID.Int64, meeting.Int64, item.Int64, resp.Int64
	d.CorrectsID, d.CorrectedByID, d.Locked = corrects.Int64, correctedBy.Int64, locked == 1
	return d, err
}

// findDecision reads a decision with its basis documents and municipalities.
func findDecision(ctx context.Context, q db.Querier, decisionID int64) (Decision, error) {
	d, err := db.One(ctx, q, scanDecision, `SELECT `+decisionColumns+decisionFrom+` WHERE d.id = ?`, decisionID)
	if err != nil {
		return Decision{}, fmt.Errorf("find decision %d: %w", decisionID, err)
	}
	if d.BasisDocumentIDs, err = db.All(ctx, q, db.ScanID, `SELECT document_id FROM decision_basis WHERE decision_id = ? ORDER BY document_id`, decisionID); err != nil {
		return Decision{}, fmt.Errorf("basis of decision %d: %w", decisionID, err)
	}
	if d.Municipalities, err = municipalityCodes(ctx, q, `SELECT municipality FROM decision_municipalities WHERE decision_id = ? ORDER BY municipality`, decisionID); err != nil {
		return Decision{}, fmt.Errorf("municipalities of decision %d: %w", decisionID, err)
	}
	d.BasisDocumentIDs = nonNil(d.BasisDocumentIDs)
	d.Municipalities = nonNil(d.Municipalities)
	return d, nil
}

func scanCode(s db.Scanner) (string, error) {
	var code string
	return code, s.Scan(&code)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// followUpCondition is the SQL condition for a follow-up status on day today.
func followUpCondition(st FollowUpStatus, today date.Date) (string, []any) {
	done := `EXISTS (SELECT 1 FROM decision_followups fu WHERE fu.decision_id = d.id)`
	switch st {
	case FollowUpDone:
		return done, nil
	case NoFollowUp:
		return "NOT " + done + " AND d.follow_up_on IS NULL", nil
	case FollowUpPending:
		return "NOT " + done + " AND d.follow_up_on > ?", []any{today}
	case FollowUpDue:
		return "NOT " + done + " AND d.follow_up_on <= ?", []any{today}
	}
	return "", nil
}

func decisionWhere(f DecisionFilter) (string, []any) {
	var where []string
	var args []any
	if f.ForumID != 0 {
		where, args = append(where, "d.forum_id = ?"), append(args, f.ForumID)
	}
	if f.CaseID != 0 {
		where, args = append(where, "d.case_id = ?"), append(args, f.CaseID)
	}
	if f.AfterID != 0 {
		where, args = append(where, "d.id > ?"), append(args, f.AfterID)
	}
	if !f.From.IsZero() {
		where, args = append(where, "d.decided_on >= ?"), append(args, f.From)
	}
	if !f.To.IsZero() {
		where, args = append(where, "d.decided_on <= ?"), append(args, f.To)
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		where = append(where, `(LOWER(d.text) LIKE ? ESCAPE '\' OR LOWER(c.number) LIKE ? ESCAPE '\' OR LOWER(c.title) LIKE ? ESCAPE '\')`)
		args = append(args, db.Like(s), db.Like(s), db.Like(s))
	}
	if f.FollowUp != "" {
		cond, a := followUpCondition(f.FollowUp, f.Today)
		where, args = append(where, cond), append(args, a...)
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// listDecisions lists decisions matching f, newest first (or by id),
// without their basis and municipalities, and, withTotal, counts all that
// match. A page
// (f.Limit) is found by id first, counting in the same scan, so the names
// and statuses are read for its rows only.
func listDecisions(ctx context.Context, q db.Querier, f DecisionFilter, withTotal bool) ([]Decision, int, error) {
	where, args := decisionWhere(f)
	order := ` ORDER BY d.decided_on DESC, d.id DESC`
	if f.ByID {
		order = ` ORDER BY d.id`
	}
	total := -1
	if f.Limit > 0 {
		from := ` FROM decisions d`
		// A text search reads every decision anyway, so it counts them in the
		// same scan; otherwise the page follows the index on (decided_on, id)
		// and stops at its end, and the count is a query of its own.
		count := `, COUNT(*) OVER ()`
		if strings.TrimSpace(f.Query) != "" {
			from += ` LEFT JOIN cases c ON c.id = d.case_id`
		} else {
			count = `, 0`
		}
		type idCount struct{ id, n int64 }
		rows, err := db.All(ctx, q, func(s db.Scanner) (idCount, error) {
			var r idCount
			return r, s.Scan(&r.id, &r.n)
		}, `SELECT d.id`+count+from+where+order+
			` LIMIT `+strconv.Itoa(f.Limit)+` OFFSET `+strconv.Itoa(max(f.Offset, 0)), args...)
		if err != nil {
			return nil, 0, fmt.Errorf("list decisions: %w", err)
		}
		if len(rows) == 0 {
			return nil, -1, nil
		}
		total = int(rows[0].n)
		if count == `, 0` && withTotal {
			if total, err = countDecisions(ctx, q, f); err != nil {
				return nil, 0, err
			}
		}
		where, args = ` WHERE d.id IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(rows)), ", ")+`)`, make([]any, len(rows))
		for i, r := range rows {
			args[i] = r.id
		}
	}
	ds, err := db.All(ctx, q, scanDecision, `SELECT `+decisionColumns+decisionFrom+where+order, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list decisions: %w", err)
	}
	if total < 0 {
		total = len(ds)
	}
	return ds, total, nil
}

// summarizeDecisions counts the decisions matching f per forum and
// follow-up status on f.Today, by forum name. It counts by follow-up date
// over all matching decisions, then the followed-up ones, and takes those
// out of their date's count, so no per-decision subquery is needed.
func summarizeDecisions(ctx context.Context, q db.Querier, f DecisionFilter) ([]ForumSummary, error) {
	where, args := decisionWhere(f)
	from := ` FROM decisions d`
	if strings.TrimSpace(f.Query) != "" {
		from += ` LEFT JOIN cases c ON c.id = d.case_id`
	}
	buckets := `SELECT d.forum_id, COUNT(*),
			SUM(CASE WHEN d.follow_up_on <= ? THEN 1 ELSE 0 END),
			SUM(CASE WHEN d.follow_up_on > ? THEN 1 ELSE 0 END),
			SUM(CASE WHEN d.follow_up_on IS NULL THEN 1 ELSE 0 END)`
	scan := func(s db.Scanner) (ForumSummary, error) {
		var x ForumSummary
		return x, s.Scan(&x.ForumID, &x.Total, &x.Due, &x.Pending, &x.None)
	}
	all, err := db.All(ctx, q, scan, buckets+from+where+` GROUP BY d.forum_id`, append([]any{f.Today, f.Today}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("summarize decisions: %w", err)
	}
	done, err := db.All(ctx, q, scan, buckets+from+` JOIN (SELECT DISTINCT decision_id FROM decision_followups) fd ON fd.decision_id = d.id`+where+
		` GROUP BY d.forum_id`, append([]any{f.Today, f.Today}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("summarize followed-up decisions: %w", err)
	}
	forums, err := forumRefs(ctx, q)
	if err != nil {
		return nil, err
	}
	var out []ForumSummary
	for _, fr := range forums {
		i := slices.IndexFunc(all, func(x ForumSummary) bool { return x.ForumID == fr.ID })
		if i < 0 {
			continue
		}
		x := all[i]
		x.ForumName = fr.Name
		if j := slices.IndexFunc(done, func(y ForumSummary) bool { return y.ForumID == fr.ID }); j >= 0 {
			y := done[j]
			x.Done, x.Due, x.Pending, x.None = y.Total, x.Due-y.Due, x.Pending-y.Pending, x.None-y.None
		}
		out = append(out, x)
	}
	return out, nil
}

func countDecisions(ctx context.Context, q db.Querier, f DecisionFilter) (int, error) {
	where, args := decisionWhere(f)
	var n int
	from := ` FROM decisions d`
	if strings.TrimSpace(f.Query) != "" {
		from += ` LEFT JOIN cases c ON c.id = d.case_id`
	}
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*)`+from+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count decisions: %w", err)
	}
	return n, nil
}

// listDueFollowUps lists the decisions, not corrected by a later one, whose
// follow-up is due on day today and not recorded, and whose responsible
// person (or, when none, the case's) is linked to user.
func listDueFollowUps(ctx context.Context, q db.Querier, userID int64, today date.Date) ([]Decision, error) {
	cond, args := followUpCondition(FollowUpDue, today)
	args = append(args, userID, userID)
	return db.All(ctx, q, scanDecision, `SELECT `+decisionColumns+decisionFrom+`
		WHERE `+cond+`
		  AND NOT EXISTS (SELECT 1 FROM decisions y WHERE y.corrects_id = d.id)
		  AND (p.user_id = ? OR (d.responsible_person_id IS NULL
		       AND cp.user_id = ?))
		ORDER BY d.follow_up_on, d.id`, args...)
}

func insertDecision(ctx context.Context, q db.Querier, d Decision, by string, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `
		INSERT INTO decisions (case_id, forum_id, meeting_id, agenda_item_id, decided_on, text, follow_up_on,
			responsible_person_id, corrects_id, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		db.NullID(d.CaseID), d.ForumID, db.NullID(d.MeetingID), db.NullID(d.AgendaItemID), d.DecidedOn, d.Text, d.FollowUpOn,
		db.NullID(d.ResponsiblePersonID), db.NullID(d.CorrectsID), by, now, now)
}

func updateDecision(ctx context.Context, q db.Querier, d Decision, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "decisions", d.ID, `
		UPDATE decisions SET forum_id = ?, meeting_id = ?, agenda_item_id = ?, decided_on = ?, text = ?, follow_up_on = ?,
			responsible_person_id = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		d.ForumID, db.NullID(d.MeetingID), db.NullID(d.AgendaItemID), d.DecidedOn, d.Text, d.FollowUpOn,
		db.NullID(d.ResponsiblePersonID), now, d.ID, d.Version)
}

// replaceDecisionSets stores a decision's basis documents and municipalities.
func replaceDecisionSets(ctx context.Context, q db.Querier, d Decision) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM decision_basis WHERE decision_id = ?`, d.ID); err != nil {
		return fmt.Errorf("clear basis: %w", err)
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM decision_municipalities WHERE decision_id = ?`, d.ID); err != nil {
		return fmt.Errorf("clear municipalities: %w", err)
	}
	for _, doc := range d.BasisDocumentIDs {
		if _, err := q.ExecContext(ctx, `INSERT INTO decision_basis (decision_id, document_id) VALUES (?, ?)`, d.ID, doc); err != nil {
			return fmt.Errorf("basis document %d: %w", doc, db.MapError(err))
		}
	}
	for _, m := range d.Municipalities {
		if _, err := q.ExecContext(ctx, `INSERT INTO decision_municipalities (decision_id, municipality) VALUES (?, ?)`, d.ID, m); err != nil {
			return fmt.Errorf("municipality %s: %w", m, db.MapError(err))
		}
	}
	return nil
}

// documentOwner reads which case and meeting a document belongs to.
func documentOwner(ctx context.Context, q db.Querier, docID int64) (caseID, meetingID int64, err error) {
	var c, m sql.NullInt64
	err = q.QueryRowContext(ctx, `SELECT case_id, meeting_id FROM forum_documents WHERE id = ?`, docID).Scan(&c, &m)
	return c.Int64, m.Int64, db.MapError(err)
}

// listDocumentsByID reads documents by id, oldest first.
func listDocumentsByID(ctx context.Context, q db.Querier, ids []int64) ([]Document, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return db.All(ctx, q, scanDocument, `SELECT `+documentColumns+documentFrom+
		` WHERE d.id IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")+`) ORDER BY d.created_at, d.id`, args...)
}

func municipalityExists(ctx context.Context, q db.Querier, code string) (bool, error) {
	return db.Exists(ctx, q, `SELECT 1 FROM municipalities WHERE code = ?`, code)
}

// agendaItemMeeting is the meeting an agenda item belongs to.
func agendaItemMeeting(ctx context.Context, q db.Querier, itemID int64) (int64, error) {
	var m int64
	err := q.QueryRowContext(ctx, `SELECT meeting_id FROM agenda_items WHERE id = ?`, itemID).Scan(&m)
	return m, db.MapError(err)
}

// Follow-ups.

func scanFollowUp(s db.Scanner) (FollowUpRecord, error) {
	var f FollowUpRecord
	return f, s.Scan(&f.ID, &f.DecisionID, &f.DoneOn, &f.Note, &f.CreatedBy)
}

func findFollowUp(ctx context.Context, q db.Querier, id int64) (FollowUpRecord, error) {
	return db.One(ctx, q, scanFollowUp, `SELECT id, decision_id, done_on, note, created_by FROM decision_followups WHERE id = ?`, id)
}

func listFollowUps(ctx context.Context, q db.Querier, decisionID int64) ([]FollowUpRecord, error) {
	return db.All(ctx, q, scanFollowUp, `SELECT id, decision_id, done_on, note, created_by FROM decision_followups WHERE decision_id = ? ORDER BY done_on, id`, decisionID)
}

// listCaseFollowUps lists the follow-ups of every decision on a case.
func listCaseFollowUps(ctx context.Context, q db.Querier, caseID int64) ([]FollowUpRecord, error) {
	return db.All(ctx, q, scanFollowUp, `SELECT fu.id, fu.decision_id, fu.done_on, fu.note, fu.created_by
		FROM decision_followups fu JOIN decisions d ON d.id = fu.decision_id WHERE d.case_id = ? ORDER BY fu.done_on, fu.id`, caseID)
}

func insertFollowUp(ctx context.Context, q db.Querier, f FollowUpRecord, by string, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `INSERT INTO decision_followups (decision_id, done_on, note, created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		f.DecisionID, f.DoneOn, f.Note, by, now)
}
