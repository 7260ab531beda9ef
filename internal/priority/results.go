package priority

import (
	"cmp"
	"math"
	"slices"
	"strconv"
)

// Quadrant is the part of the importance × feasibility matrix a candidate
// lies in, divided at the middle of the scale. A candidate on a line belongs
// to the higher part.
type Quadrant string

// The quadrants.
const (
	Introduce Quadrant = "introduce" // important and feasible: introduce first
	Prepare   Quadrant = "prepare"   // important but hard: prepare the conditions
	Consider  Quadrant = "consider"  // feasible but less important: consider
	Wait      Quadrant = "wait"      // neither: wait
	Unrated   Quadrant = ""          // no group has rated both axes
)

// AxisResult is a candidate's aggregate on one axis: the mean over the groups
// that scored every criterion of the axis (each group's score being the
// weighted mean of its criteria), the standard deviation between groups
// (sample, 0 for one group), the lowest and highest group score, and how
// many groups that is.
type AxisResult struct {
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd" doc:"Standard deviation between the groups' scores (sample; 0 for one group)"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
	N    int     `json:"n" doc:"Number of groups that scored every criterion of the axis"`
}

// CriterionResult is the mean score of one criterion over the groups that
// scored it.
type CriterionResult struct {
	CriterionID int64   `json:"criterion_id"`
	Mean        float64 `json:"mean"`
	N           int     `json:"n"`
}

// CandidateResult is one candidate's result.
type CandidateResult struct {
	Candidate   Candidate         `json:"candidate"`
	Importance  AxisResult        `json:"importance"`
	Feasibility AxisResult        `json:"feasibility"`
	Criteria    []CriterionResult `json:"criteria" doc:"Per criterion, in the round's order"`
	Total       float64           `json:"total" doc:"Mean of the importance and feasibility means; what the ranking orders by"`
	Rank        int               `json:"rank,omitempty" doc:"Place in the ranking, from 1; candidates with equal totals share a place; 0 when not rated"`
	Tied        bool              `json:"tied" doc:"Another candidate shares the place"`
	Quadrant    Quadrant          `json:"quadrant,omitempty" enum:"introduce,prepare,consider,wait,"`
	Ratings     int               `json:"ratings" doc:"Number of groups that have saved a sheet for the candidate"`
}

// Rated reports whether both axes have at least one complete group score.
func (c CandidateResult) Rated() bool { return c.Importance.N > 0 && c.Feasibility.N > 0 }

// GroupProgress is how far one assessor group has come.
type GroupProgress struct {
	Group    AssessorGroup `json:"group"`
	Complete int           `json:"complete" doc:"Candidates with every criterion scored"`
	Partial  int           `json:"partial" doc:"Candidates with a saved sheet not yet complete"`
	Missing  int           `json:"missing" doc:"Candidates without a sheet"`
}

// Answered reports whether the group has rated every candidate completely.
func (g GroupProgress) Answered() bool { return g.Partial == 0 && g.Missing == 0 }

// Results are a round's aggregate scores, ranking and the groups' progress.
type Results struct {
	Round  Round             `json:"round"`
	Ranked []CandidateResult `json:"ranked" doc:"Rated candidates by rank, then unrated ones by their number"`
	Groups []GroupProgress   `json:"groups"`
	// NotAnswered are the groups that have not rated every candidate.
	NotAnswered []GroupProgress `json:"not_answered"`
}

// ByNumber returns the results in the candidates' order in the round, as
// the matrix numbers them.
func (r Results) ByNumber() []CandidateResult {
	out := slices.Clone(r.Ranked)
	slices.SortFunc(out, func(a, b CandidateResult) int { return cmp.Compare(a.Candidate.Position, b.Candidate.Position) })
	return out
}

// tieTolerance is how close two totals must be to share a place: closer than
// any difference of means on a scale of at most 100 over at most thousands
// of weighted scores, but wider than float rounding.
const tieTolerance = 1e-9

// Compute aggregates the sheets of a round. Sheets of groups that are not an
// assessor group, of unknown candidates or with scores of unknown criteria
// are ignored; an axis counts for a group only when the group scored every
// criterion of it.
func Compute(r Round, candidates []Candidate, groups []AssessorGroup, sheets []Sheet) Results {
	critIndex := make(map[int64]int, len(r.Criteria))
	for i, c := range r.Criteria {
		critIndex[c.ID] = i
	}
	candIndex := make(map[int64]int, len(candidates))
	for i, c := range candidates {
		candIndex[c.ID] = i
	}
	groupIndex := make(map[int64]int, len(groups))
	progress := make([]GroupProgress, len(groups))
	for i, g := range groups {
		groupIndex[g.GroupID] = i
		progress[i] = GroupProgress{Group: g, Missing: len(candidates)}
	}

	type acc struct {
		imp, feas []float64
		crit      []struct {
			sum float64
			n   int
		}
		sheets int
	}
	accs := make([]acc, len(candidates))
	for i := range accs {
		accs[i].crit = make([]struct {
			sum float64
			n   int
		}, len(r.Criteria))
	}
	values := make([]*int, len(r.Criteria))
	for _, sh := range sheets {
		ci, ok := candIndex[sh.CandidateID]
		gi, gok := groupIndex[sh.GroupID]
		if !ok || !gok {
			continue
		}
		clear(values)
		for _, sc := range sh.Scores {
			if k, ok := critIndex[sc.CriterionID]; ok && sc.Value != nil && r.Scale.Contains(*sc.Value) {
				values[k] = sc.Value
			}
		}
		a := &accs[ci]
		a.sheets++
		complete := len(r.Criteria) > 0
		for k, v := range values {
			if v == nil {
				complete = false
				continue
			}
			a.crit[k].sum += float64(*v)
			a.crit[k].n++
		}
		progress[gi].Missing--
		if complete {
			progress[gi].Complete++
		} else {
			progress[gi].Partial++
		}
		for _, axis := range Axes {
			if m, ok := axisScore(r, values, axis); ok {
				if axis == Importance {
					a.imp = append(a.imp, m)
				} else {
					a.feas = append(a.feas, m)
				}
			}
		}
	}

	res := Results{Round: r, Groups: progress, NotAnswered: []GroupProgress{}}
	for _, g := range progress {
		if !g.Answered() {
			res.NotAnswered = append(res.NotAnswered, g)
		}
	}
	mid := r.Scale.Mid()
	res.Ranked = make([]CandidateResult, len(candidates))
	for i, c := range candidates {
		a := accs[i]
		cr := CandidateResult{Candidate: c, Importance: aggregate(a.imp), Feasibility: aggregate(a.feas), Ratings: a.sheets,
			Criteria: make([]CriterionResult, len(r.Criteria))}
		for k, crit := range r.Criteria {
			cr.Criteria[k] = CriterionResult{CriterionID: crit.ID, N: a.crit[k].n}
			if a.crit[k].n > 0 {
				cr.Criteria[k].Mean = a.crit[k].sum / float64(a.crit[k].n)
			}
		}
		if cr.Rated() {
			cr.Total = (cr.Importance.Mean + cr.Feasibility.Mean) / 2
			cr.Quadrant = quadrant(cr.Importance.Mean, cr.Feasibility.Mean, mid)
		}
		res.Ranked[i] = cr
	}
	rank(res.Ranked)
	return res
}

// axisScore is a group's weighted mean over the criteria of axis, if it
// scored all of them.
func axisScore(r Round, values []*int, axis Axis) (float64, bool) {
	var sum, weights float64
	for k, c := range r.Criteria {
		if c.Axis != axis {
			continue
		}
		if values[k] == nil {
			return 0, false
		}
		w := float64(max(c.Weight, 1))
		sum += w * float64(*values[k])
		weights += w
	}
	if weights == 0 {
		return 0, false
	}
	return sum / weights, true
}

func aggregate(xs []float64) AxisResult {
	if len(xs) == 0 {
		return AxisResult{}
	}
	a := AxisResult{N: len(xs), Min: xs[0], Max: xs[0]}
	var sum float64
	for _, x := range xs {
		sum += x
		a.Min, a.Max = min(a.Min, x), max(a.Max, x)
	}
	a.Mean = sum / float64(len(xs))
	if len(xs) > 1 {
		var ss float64
		for _, x := range xs {
			ss += (x - a.Mean) * (x - a.Mean)
		}
		a.SD = math.Sqrt(ss / float64(len(xs)-1))
	}
	return a
}

func quadrant(importance, feasibility, mid float64) Quadrant {
	switch {
	case importance >= mid && feasibility >= mid:
		return Introduce
	case importance >= mid:
		return Prepare
	case feasibility >= mid:
		return Consider
	}
	return Wait
}

// rank orders rated candidates by total, descending, and gives equal totals
// one place (1, 2, 2, 4); unrated candidates follow by
// their number, without a place. Ties are decided by the total alone, so a
// tie is visible rather than broken by a rule nobody agreed on.
func rank(rs []CandidateResult) {
	slices.SortStableFunc(rs, func(a, b CandidateResult) int {
		switch {
		case a.Rated() != b.Rated():
			if a.Rated() {
				return -1
			}
			return 1
		case !a.Rated():
			return cmp.Compare(a.Candidate.Position, b.Candidate.Position)
		case !same(a.Total, b.Total):
			return cmp.Compare(b.Total, a.Total)
		}
		return cmp.Compare(a.Candidate.Position, b.Candidate.Position)
	})
	for i := range rs {
		if !rs[i].Rated() {
			break
		}
		switch {
		case i > 0 && same(rs[i].Total, rs[i-1].Total):
			rs[i].Rank = rs[i-1].Rank
			rs[i].Tied, rs[i-1].Tied = true, true
		default:
			rs[i].Rank = i + 1
		}
	}
}

func same(a, b float64) bool { return math.Abs(a-b) < tieTolerance }

func itoa(n int) string     { return strconv.Itoa(n) }
func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
