package priority

import (
	"context"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
)

// RatingTask is what waits for one of the user's assessor groups in an open
// round: candidates the group has not rated completely.
type RatingTask struct {
	RoundID    int64     `json:"round_id"`
	RoundTitle string    `json:"round_title"`
	Deadline   date.Date `json:"deadline"`
	GroupID    int64     `json:"group_id"`
	GroupName  string    `json:"group_name"`
	Remaining  int       `json:"remaining" doc:"Candidates without a complete rating from the group"`
}

// RatingTasks lists, for the person linked to userID, each open round with a
// deadline not passed in which one of their groups has candidates left to
// rate, by deadline.
func (s *Service) RatingTasks(ctx context.Context, userID int64) ([]RatingTask, error) {
	today := s.Today()
	rounds, err := listRatingRounds(ctx, s.db, today)
	if err != nil {
		return nil, err
	}
	var tasks []RatingTask
	for _, r := range rounds {
		groups, err := groupsOfUser(ctx, s.db, r.ID, userID, today)
		if err != nil {
			return nil, err
		}
		if len(groups) == 0 {
			continue
		}
		if r.Criteria, err = listCriteria(ctx, s.db, r.ID); err != nil {
			return nil, err
		}
		candidates, err := listCandidates(ctx, s.db, r.ID)
		if err != nil {
			return nil, err
		}
		// Only the user's groups' sheets are read: the start page is shown
		// on every sign-in, and a round holds candidates × groups sheets.
		for _, g := range groups {
			sheets, err := listSheets(ctx, s.db, r.ID, 0, g.GroupID, false)
			if err != nil {
				return nil, err
			}
			p := Compute(r, candidates, []AssessorGroup{g}, sheets).Groups[0]
			if !p.Answered() {
				tasks = append(tasks, RatingTask{RoundID: r.ID, RoundTitle: r.Title, Deadline: r.Deadline, GroupID: g.GroupID,
					GroupName: g.Name, Remaining: p.Partial + p.Missing})
			}
		}
	}
	return tasks, nil
}

// RoundsToClose lists the open rounds whose deadline has passed, for the
// coordinator's start page.
func (s *Service) RoundsToClose(ctx context.Context) ([]Round, error) {
	return listOverdueRounds(ctx, s.db, s.Today())
}
