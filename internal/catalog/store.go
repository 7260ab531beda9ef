package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// Supports.

const supportColumns = `id, kind, phase, code, title, national_owner_id, local_owner_id, publisher, edition,
	published_on, link, concerns_municipalities, status, reference, created_at, updated_at, version`

func scanSupport(s db.Scanner) (Support, error) {
	var sp Support
	var code sql.NullString
	var npo, lpo sql.NullInt64
	err := s.Scan(&sp.ID, &sp.Kind, &sp.Phase, &code, &sp.Title, &npo, &lpo, &sp.Publisher, &sp.Edition,
		&sp.PublishedOn, &sp.Link, &sp.ConcernsMunicipalities, &sp.Status, &sp.Reference, &sp.CreatedAt, &sp.UpdatedAt, &sp.Version)
	sp.Code, sp.NationalOwnerID, sp.LocalOwnerID = code.String, npo.Int64, lpo.Int64
	sp.CreatedAt, sp.UpdatedAt = sp.CreatedAt.UTC(), sp.UpdatedAt.UTC()
	sp.UnitIDs, sp.LeadIDs = []int64{}, []int64{}
	return sp, err
}

func findSupport(ctx context.Context, q db.Querier, id int64) (Support, error) {
	sp, err := db.One(ctx, q, scanSupport, `SELECT `+supportColumns+` FROM supports WHERE id = ?`, id)
	if err != nil {
		return Support{}, fmt.Errorf("find support %d: %w", id, err)
	}
	links, err := listLinks(ctx, q, id)
	if err != nil {
		return Support{}, err
	}
	sp.UnitIDs, sp.LeadIDs = links.units[id], links.leads[id]
	if sp.UnitIDs == nil {
		sp.UnitIDs = []int64{}
	}
	if sp.LeadIDs == nil {
		sp.LeadIDs = []int64{}
	}
	return sp, nil
}

func listSupports(ctx context.Context, q db.Querier, f Filter) ([]Support, error) {
	var where []string
	var args []any
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, f.Kind)
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	if f.NPO != 0 {
		where, args = append(where, "national_owner_id = ?"), append(args, f.NPO)
	}
	if f.LPO != 0 {
		where, args = append(where, "local_owner_id = ?"), append(args, f.LPO)
	}
	if strings.TrimSpace(f.Query) != "" {
		where = append(where, `(LOWER(title) LIKE ? ESCAPE '\' OR LOWER(COALESCE(code, '')) LIKE ? ESCAPE '\')`)
		args = append(args, db.Like(f.Query), db.Like(f.Query))
	}
	query := `SELECT ` + supportColumns + ` FROM supports`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	supports, err := db.All(ctx, q, scanSupport, query+` ORDER BY title, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list supports: %w", err)
	}
	links, err := listLinks(ctx, q, 0)
	if err != nil {
		return nil, err
	}
	for i, sp := range supports {
		if u := links.units[sp.ID]; u != nil {
			supports[i].UnitIDs = u
		}
		if l := links.leads[sp.ID]; l != nil {
			supports[i].LeadIDs = l
		}
	}
	return supports, nil
}

// links are the units and leads of supports, by support id.
type links struct {
	units, leads map[int64][]int64
}

type pair struct{ support, other int64 }

func scanPair(s db.Scanner) (pair, error) {
	var p pair
	return p, s.Scan(&p.support, &p.other)
}

// listLinks reads the units and leads of one support, or of every support
// when id is 0.
func listLinks(ctx context.Context, q db.Querier, id int64) (links, error) {
	l := links{units: map[int64][]int64{}, leads: map[int64][]int64{}}
	for _, t := range []struct {
		query string
		into  map[int64][]int64
	}{
		{`SELECT support_id, unit_id FROM support_units WHERE ? = 0 OR support_id = ? ORDER BY support_id, unit_id`, l.units},
		{`SELECT support_id, person_id FROM support_leads WHERE ? = 0 OR support_id = ? ORDER BY support_id, person_id`, l.leads},
	} {
		pairs, err := db.All(ctx, q, scanPair, t.query, id, id)
		if err != nil {
			return links{}, fmt.Errorf("list support links %d: %w", id, err)
		}
		for _, p := range pairs {
			t.into[p.support] = append(t.into[p.support], p.other)
		}
	}
	return l, nil
}

func insertSupport(ctx context.Context, q db.Querier, s Support, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `
		INSERT INTO supports (kind, phase, code, title, national_owner_id, local_owner_id, publisher, edition,
			published_on, link, concerns_municipalities, status, reference, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		s.Kind, s.Phase, db.NullString(s.Code), s.Title, db.NullID(s.NationalOwnerID), db.NullID(s.LocalOwnerID), s.Publisher, s.Edition,
		s.PublishedOn, s.Link, s.ConcernsMunicipalities, s.Status, s.Reference, now, now)
}

// updateSupport saves every field but the status and the reference flag,
// which change only through a transition and the reference data.
func updateSupport(ctx context.Context, q db.Querier, s Support, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "supports", s.ID, `
		UPDATE supports SET kind = ?, phase = ?, code = ?, title = ?, national_owner_id = ?, local_owner_id = ?,
			publisher = ?, edition = ?, published_on = ?, link = ?, concerns_municipalities = ?,
			updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		s.Kind, s.Phase, db.NullString(s.Code), s.Title, db.NullID(s.NationalOwnerID), db.NullID(s.LocalOwnerID),
		s.Publisher, s.Edition, s.PublishedOn, s.Link, s.ConcernsMunicipalities, now, s.ID, s.Version)
}

// touchSupport bumps a support's version for a change of its units or leads.
func touchSupport(ctx context.Context, q db.Querier, id, version int64, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "supports", id,
		`UPDATE supports SET updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`, now, id, version)
}

func updateStatus(ctx context.Context, q db.Querier, id int64, to Status, version int64, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "supports", id,
		`UPDATE supports SET status = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`, to, now, id, version)
}

func replaceUnits(ctx context.Context, q db.Querier, id int64, units []int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM support_units WHERE support_id = ?`, id); err != nil {
		return fmt.Errorf("clear units of support %d: %w", id, err)
	}
	for _, u := range units {
		if _, err := q.ExecContext(ctx, `INSERT INTO support_units (support_id, unit_id) VALUES (?, ?)`, id, u); err != nil {
			return fmt.Errorf("add unit %d to support %d: %w", u, id, err)
		}
	}
	return nil
}

func replaceLeads(ctx context.Context, q db.Querier, id int64, people []int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM support_leads WHERE support_id = ?`, id); err != nil {
		return fmt.Errorf("clear leads of support %d: %w", id, err)
	}
	for _, p := range people {
		if _, err := q.ExecContext(ctx, `INSERT INTO support_leads (support_id, person_id) VALUES (?, ?)`, id, p); err != nil {
			return fmt.Errorf("add lead %d to support %d: %w", p, id, err)
		}
	}
	return nil
}

// countExisting counts how many of ids are rows of table (units or people).
func countExisting(ctx context.Context, q db.Querier, table string, ids []int64) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE id IN (`+marks+`)`, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", table, err)
	}
	return n, nil
}

// groupKind returns the kind of org group id.
func groupKind(ctx context.Context, q db.Querier, id int64) (string, error) {
	var kind string
	err := q.QueryRowContext(ctx, `SELECT kind FROM org_groups WHERE id = ?`, id).Scan(&kind)
	if err != nil {
		return "", fmt.Errorf("group %d: %w", id, db.MapError(err))
	}
	return kind, nil
}

// Recommendations.

const recommendationColumns = `id, support_id, code, text, priority, do_not_do, research_only, position, created_at, updated_at, version`

func scanRecommendation(s db.Scanner) (Recommendation, error) {
	var r Recommendation
	var prio sql.NullInt64
	err := s.Scan(&r.ID, &r.SupportID, &r.Code, &r.Text, &prio, &r.DoNotDo, &r.ResearchOnly, &r.Position, &r.CreatedAt, &r.UpdatedAt, &r.Version)
	r.Priority = int(prio.Int64)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return r, err
}

func findRecommendation(ctx context.Context, q db.Querier, id int64) (Recommendation, error) {
	r, err := db.One(ctx, q, scanRecommendation, `SELECT `+recommendationColumns+` FROM recommendations WHERE id = ?`, id)
	if err != nil {
		return Recommendation{}, fmt.Errorf("find recommendation %d: %w", id, err)
	}
	return r, nil
}

func listRecommendations(ctx context.Context, q db.Querier, supportID int64) ([]Recommendation, error) {
	rs, err := db.All(ctx, q, scanRecommendation,
		`SELECT `+recommendationColumns+` FROM recommendations WHERE support_id = ? ORDER BY position, id`, supportID)
	if err != nil {
		return nil, fmt.Errorf("list recommendations of support %d: %w", supportID, err)
	}
	return rs, nil
}

func nextPosition(ctx context.Context, q db.Querier, supportID int64) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) + 1 FROM recommendations WHERE support_id = ?`, supportID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("next position in support %d: %w", supportID, err)
	}
	return n, nil
}

func insertRecommendation(ctx context.Context, q db.Querier, r Recommendation, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `
		INSERT INTO recommendations (support_id, code, text, priority, do_not_do, research_only, position, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.SupportID, r.Code, r.Text, db.NullInt(r.Priority), r.DoNotDo, r.ResearchOnly, r.Position, now, now)
}

func updateRecommendation(ctx context.Context, q db.Querier, r Recommendation, now time.Time) error {
	return db.UpdateVersioned(ctx, q, "recommendations", r.ID, `
		UPDATE recommendations SET code = ?, text = ?, priority = ?, do_not_do = ?, research_only = ?, position = ?,
			updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		r.Code, r.Text, db.NullInt(r.Priority), r.DoNotDo, r.ResearchOnly, r.Position, now, r.ID, r.Version)
}

// Transitions.

func scanTransition(s db.Scanner) (Transition, error) {
	var t Transition
	err := s.Scan(&t.ID, &t.SupportID, &t.From, &t.To, &t.On, &t.Reason, &t.By, &t.CreatedAt)
	t.CreatedAt = t.CreatedAt.UTC()
	return t, err
}

func listTransitions(ctx context.Context, q db.Querier, supportID int64) ([]Transition, error) {
	ts, err := db.All(ctx, q, scanTransition, `
		SELECT id, support_id, from_status, to_status, on_date, reason, by_name, created_at
		FROM support_transitions WHERE support_id = ? ORDER BY on_date, id`, supportID)
	if err != nil {
		return nil, fmt.Errorf("list transitions of support %d: %w", supportID, err)
	}
	return ts, nil
}

// lastTransitionDate is the day of a support's latest transition; zero when it has none.
func lastTransitionDate(ctx context.Context, q db.Querier, supportID int64) (date.Date, error) {
	var d date.Date
	err := q.QueryRowContext(ctx, `SELECT MAX(on_date) FROM support_transitions WHERE support_id = ?`, supportID).Scan(&d)
	if err != nil {
		return date.Date{}, fmt.Errorf("last transition of support %d: %w", supportID, err)
	}
	return d, nil
}

func insertTransition(ctx context.Context, q db.Querier, t Transition, now time.Time) (int64, error) {
	return db.Insert(ctx, q, `
		INSERT INTO support_transitions (support_id, from_status, to_status, on_date, reason, by_name, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.SupportID, t.From, t.To, t.On, t.Reason, t.By, now)
}

// demoIDs reads the ids the demo refers to by name: groups by code or name,
// people by name.
func demoIDs(ctx context.Context, q db.Querier) (groups, people map[string]int64, err error) {
	groups, people = map[string]int64{}, map[string]int64{}
	type pair struct {
		key string
		id  int64
	}
	scan := func(s db.Scanner) (pair, error) {
		var p pair
		return p, s.Scan(&p.key, &p.id)
	}
	gs, err := db.All(ctx, q, scan, `SELECT COALESCE(code, name), id FROM org_groups`)
	if err != nil {
		return nil, nil, err
	}
	for _, g := range gs {
		groups[g.key] = g.id
	}
	ps, err := db.All(ctx, q, scan, `SELECT name, id FROM people`)
	if err != nil {
		return nil, nil, err
	}
	for _, p := range ps {
		people[p.key] = p.id
	}
	return groups, people, nil
}
