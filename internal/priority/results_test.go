package priority

import (
	"math"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

func score(v int) *int { return &v }

// testRound has a 1–5 scale, two importance criteria (the second weighing
// double) and one feasibility criterion.
var testRound = Round{Scale: Scale{Min: 1, Max: 5}, Criteria: []Criterion{
	{ID: 1, Axis: Importance, Weight: 1}, {ID: 2, Axis: Importance, Weight: 2}, {ID: 3, Axis: Feasibility, Weight: 1},
}}

func sheet(cand, group int64, imp1, imp2, feas *int) Sheet {
	return Sheet{CandidateID: cand, GroupID: group, Scores: []Score{
		{CriterionID: 1, Value: imp1}, {CriterionID: 2, Value: imp2}, {CriterionID: 3, Value: feas}}}
}

func TestCompute(t *testing.T) {
	t.Parallel()
	cands := []Candidate{{ID: 10, Position: 1}, {ID: 20, Position: 2}, {ID: 30, Position: 3}, {ID: 40, Position: 4}}
	groups := []AssessorGroup{{GroupID: 1}, {GroupID: 2}, {GroupID: 3}}
	tests := []struct {
		name   string
		sheets []Sheet
		check  func(t *testing.T, r Results)
	}{
		{
			name: "weighted axis means, spread and counts",
			sheets: []Sheet{
				sheet(10, 1, score(2), score(5), score(4)), // importance (2+10)/3 = 4
				sheet(10, 2, score(5), score(2), score(2)), // importance (5+4)/3 = 3
			},
			check: func(t *testing.T, r Results) {
				c := find(r, 10)
				if c.Importance.Mean != 3.5 || c.Importance.N != 2 || c.Importance.Min != 3 || c.Importance.Max != 4 {
					t.Errorf("importance = %+v", c.Importance)
				}
				if math.Abs(c.Importance.SD-math.Sqrt(0.5)) > 1e-12 || c.Feasibility.Mean != 3 || c.Total != 3.25 {
					t.Errorf("sd/feasibility/total = %v %+v %v", c.Importance.SD, c.Feasibility, c.Total)
				}
				if c.Criteria[1].Mean != 3.5 || c.Criteria[1].N != 2 || c.Quadrant != Introduce {
					t.Errorf("criteria/quadrant = %+v %s", c.Criteria, c.Quadrant)
				}
			},
		},
		{
			name: "equal totals share a place and the next place is skipped",
			sheets: []Sheet{
				sheet(10, 1, score(4), score(4), score(2)), // total 3
				sheet(20, 1, score(2), score(2), score(4)), // total 3
				sheet(30, 1, score(5), score(5), score(5)), // total 5
				sheet(40, 1, score(1), score(1), score(1)), // total 1
			},
			check: func(t *testing.T, r Results) {
				want := []struct {
					id   int64
					rank int
					tied bool
				}{{30, 1, false}, {10, 2, true}, {20, 2, true}, {40, 4, false}}
				for i, w := range want {
					got := r.Ranked[i]
					if got.Candidate.ID != w.id || got.Rank != w.rank || got.Tied != w.tied {
						t.Errorf("ranked[%d] = %d rank %d tied %v, want %+v", i, got.Candidate.ID, got.Rank, got.Tied, w)
					}
				}
				if find(r, 10).Quadrant != Prepare || find(r, 20).Quadrant != Consider || find(r, 40).Quadrant != Wait {
					t.Errorf("quadrants = %s %s %s", find(r, 10).Quadrant, find(r, 20).Quadrant, find(r, 40).Quadrant)
				}
			},
		},
		{
			name: "on the middle line belongs to the higher part",
			sheets: []Sheet{
				sheet(10, 1, score(3), score(3), score(3)),
			},
			check: func(t *testing.T, r Results) {
				if q := find(r, 10).Quadrant; q != Introduce {
					t.Errorf("quadrant = %s", q)
				}
			},
		},
		{
			name: "partial sheets count as ratings and progress, not as axis scores; unrated come last unranked",
			sheets: []Sheet{
				sheet(20, 1, score(5), nil, score(5)),
				sheet(30, 2, score(1), score(1), score(1)),
			},
			check: func(t *testing.T, r Results) {
				c := find(r, 20)
				if c.Rated() || c.Rank != 0 || c.Ratings != 1 || c.Feasibility.N != 1 || c.Quadrant != Unrated {
					t.Errorf("partial candidate = %+v", c)
				}
				if r.Ranked[0].Candidate.ID != 30 || r.Ranked[0].Rank != 1 {
					t.Errorf("first = %+v", r.Ranked[0])
				}
				if ids := [3]int64{r.Ranked[1].Candidate.ID, r.Ranked[2].Candidate.ID, r.Ranked[3].Candidate.ID}; ids != [3]int64{10, 20, 40} {
					t.Errorf("unrated order = %v", ids)
				}
				g1, g2, g3 := r.Groups[0], r.Groups[1], r.Groups[2]
				if g1.Partial != 1 || g1.Missing != 3 || g2.Complete != 1 || g2.Missing != 3 || g3.Missing != 4 || len(r.NotAnswered) != 3 {
					t.Errorf("progress = %+v", r.Groups)
				}
			},
		},
		{
			name: "sheets of other groups, candidates, criteria and off-scale values are ignored",
			sheets: []Sheet{
				sheet(10, 9, score(5), score(5), score(5)),
				sheet(99, 1, score(5), score(5), score(5)),
				{CandidateID: 10, GroupID: 1, Scores: []Score{{CriterionID: 1, Value: score(2)}, {CriterionID: 2, Value: score(2)},
					{CriterionID: 3, Value: score(7)}, {CriterionID: 77, Value: score(5)}}},
			},
			check: func(t *testing.T, r Results) {
				c := find(r, 10)
				if c.Importance.N != 1 || c.Feasibility.N != 0 || c.Ratings != 1 || c.Rated() {
					t.Errorf("candidate = %+v", c)
				}
			},
		},
		{
			name: "every group complete leaves nobody not answering",
			sheets: func() []Sheet {
				var out []Sheet
				for _, g := range groups {
					for _, c := range cands {
						out = append(out, sheet(c.ID, g.GroupID, score(3), score(4), score(2)))
					}
				}
				return out
			}(),
			check: func(t *testing.T, r Results) {
				if len(r.NotAnswered) != 0 || r.Groups[0].Complete != 4 || !r.Groups[2].Answered() {
					t.Errorf("progress = %+v, not answered %+v", r.Groups, r.NotAnswered)
				}
				for _, c := range r.Ranked {
					if c.Rank != 1 || !c.Tied {
						t.Errorf("all equal: %d rank %d tied %v", c.Candidate.ID, c.Rank, c.Tied)
					}
				}
				if got := r.ByNumber(); got[0].Candidate.ID != 10 || got[3].Candidate.ID != 40 {
					t.Errorf("by number = %v", got)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.check(t, Compute(testRound, cands, groups, tt.sheets))
		})
	}
}

func find(r Results, id int64) CandidateResult {
	for _, c := range r.Ranked {
		if c.Candidate.ID == id {
			return c
		}
	}
	return CandidateResult{}
}

func TestRoundValidate(t *testing.T) {
	t.Parallel()
	base := func() Round {
		return Round{Year: 2027, Title: "Omgång", Deadline: testDeadline, Scale: Scale{Min: 1, Max: 5},
			Criteria: []Criterion{{Axis: Importance, Label: "A", Weight: 1}, {Axis: Feasibility, Label: "B", Weight: 1}}}
	}
	tests := []struct {
		name  string
		edit  func(r *Round)
		field string
	}{
		{"valid", func(*Round) {}, ""},
		{"no title", func(r *Round) { r.Title = "" }, "title"},
		{"year", func(r *Round) { r.Year = 1999 }, "year"},
		{"one step", func(r *Round) { r.Scale = Scale{Min: 3, Max: 3} }, "scale"},
		{"eleven steps", func(r *Round) { r.Scale = Scale{Min: 0, Max: 10} }, "scale"},
		{"labels not one per step", func(r *Round) { r.Scale.Labels = []string{"a", "b"} }, "scale_labels"},
		{"labels for some steps only", func(r *Round) { r.Scale.Labels = []string{"", "Låg", "", "", ""} }, "scale_labels"},
		{"a label for every step", func(r *Round) { r.Scale.Labels = []string{"1", "2", "3", "4", "5"} }, ""},
		{"no feasibility", func(r *Round) { r.Criteria = r.Criteria[:1] }, "criteria"},
		{"weight", func(r *Round) { r.Criteria[1].Weight = 11 }, "criteria.1.weight"},
		{"empty label", func(r *Round) { r.Criteria[0].Label = "" }, "criteria.0.label"},
		{"axis", func(r *Round) { r.Criteria[0].Axis = "other" }, "criteria.0.axis"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := base()
			tt.edit(&r)
			err := r.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("valid round: %v", err)
				}
				return
			}
			if err == nil || !hasField(err, tt.field) {
				t.Fatalf("err = %v, want a problem at %s", err, tt.field)
			}
		})
	}
}

var testDeadline = func() (d date.Date) { d, _ = date.Parse("2026-10-15"); return d }()

func hasField(err error, name string) bool {
	v, ok := errs.AsValidation(err)
	return ok && v.Has(name)
}

func TestDecisionValidate(t *testing.T) {
	t.Parallel()
	cands := []Candidate{{ID: 1}, {ID: 2}}
	start := testDeadline.AddDays(90)
	tests := []struct {
		name     string
		outcomes []CandidateChoice
		field    string
	}{
		{"valid", []CandidateChoice{{CandidateID: 1, Outcome: "decided", Order: 1, PlannedStart: start}, {CandidateID: 2, Outcome: "watched"}}, ""},
		{"missing choice", []CandidateChoice{{CandidateID: 1, Outcome: "watched"}}, "outcomes.1.outcome"},
		{"bad outcome", []CandidateChoice{{CandidateID: 1, Outcome: "introduced"}, {CandidateID: 2, Outcome: "watched"}}, "outcomes.0.outcome"},
		{"order taken", []CandidateChoice{{CandidateID: 1, Outcome: "decided", Order: 1, PlannedStart: start}, {CandidateID: 2, Outcome: "decided", Order: 1, PlannedStart: start}}, "outcomes.1.order"},
		{"no start", []CandidateChoice{{CandidateID: 1, Outcome: "decided", Order: 1}, {CandidateID: 2, Outcome: "watched"}}, "outcomes.0.planned_start"},
		{"end before start", []CandidateChoice{{CandidateID: 1, Outcome: "decided", Order: 1, PlannedStart: start, PlannedEnd: start.AddDays(-1)}, {CandidateID: 2, Outcome: "watched"}}, "outcomes.0.planned_end"},
		{"unknown candidate", []CandidateChoice{{CandidateID: 1, Outcome: "watched"}, {CandidateID: 2, Outcome: "watched"}, {CandidateID: 3, Outcome: "watched"}}, "outcomes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := Decision{DecidedOn: testDeadline, Text: "Beslut", Outcomes: tt.outcomes}.Validate(cands)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("valid decision: %v", err)
				}
				return
			}
			if !hasField(err, tt.field) {
				t.Fatalf("err = %v, want a problem at %s", err, tt.field)
			}
		})
	}
}
