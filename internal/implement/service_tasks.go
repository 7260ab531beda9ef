package implement

import (
	"context"
	"slices"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
)

// Task is something in the implementation workspaces waiting for the
// signed-in user, for the start page's "Att göra".
type Task struct {
	// Key is the catalogue key of the task's sentence, e.g.
	// implement.task.survey.
	Key   string    `json:"key"`
	Title string    `json:"title" doc:"What it concerns, usually the support's title"`
	Href  string    `json:"href"`
	Due   date.Date `json:"due,omitzero"`
	Count int       `json:"count,omitempty"`
	Late  bool      `json:"late"`
}

// Tasks lists what waits for the signed-in user: questionnaires to answer
// for their unit, comment rounds to answer for their unit or municipality,
// their own overdue actions, and for the coordinator workspaces with overdue
// actions; by due date.
func (s *Service) Tasks(ctx context.Context) ([]Task, error) {
	var tasks []Task
	for _, f := range []func(context.Context) ([]Task, error){s.surveyTasks, s.commentTasks, s.actionTasks} {
		ts, err := f(ctx)
		if err != nil {
			return nil, err
		}
		tasks = append(tasks, ts...)
	}
	slices.SortStableFunc(tasks, func(a, b Task) int { return a.Due.Time().Compare(b.Due.Time()) })
	return tasks, nil
}
