package app

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/priority"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
)

// StartCard is one box on a start page: what it is about, what to do next and
// where to go.
type StartCard struct {
	TitleKey string
	BodyKey  string
	Href     string
	LinkKey  string
}

// StartTask is one thing waiting for the signed-in person: a decision to
// follow up, a case whose municipal answers are overdue, a case their
// municipality should answer.
type StartTask struct {
	Key     string // catalogue key of the text, with {title}, {number}, {date} and {count}
	Title   string
	Number  string
	Date    date.Date
	Count   int
	Href    string
	Overdue bool
}

// HomePage is the data of the start page.
type HomePage struct {
	Name  string
	Roles []access.Role
	Tasks []StartTask
	Cards []StartCard
}

// startCards says, per role, what a person can do next on the platform.
var startCards = []struct {
	roles []access.Role
	card  StartCard
}{
	{[]access.Role{access.Admin}, StartCard{"home.users.title", "home.users.body", "/admin/anvandare", "home.users.link"}},
	{[]access.Role{access.Admin, access.Auditor}, StartCard{"home.audit.title", "home.audit.body", "/logg", "home.audit.link"}},
	{[]access.Role{access.Coordinator}, StartCard{"home.coordinator.title", "home.coordinator.body", "/arenden", "home.cases.link"}},
	{[]access.Role{access.ImprovementLead}, StartCard{"home.lead.title", "home.lead.body", "/konto", "home.account.link"}},
	{[]access.Role{access.Leadership}, StartCard{"home.leadership.title", "home.leadership.body", "/beslut", "home.decisions.link"}},
	{[]access.Role{access.Unit}, StartCard{"home.unit.title", "home.unit.body", "/konto", "home.account.link"}},
	{[]access.Role{access.Municipality}, StartCard{"home.municipality.title", "home.municipality.body", "/kommunsvar", "home.municipality.link"}},
	{[]access.Role{access.Auditor}, StartCard{"home.auditor.title", "home.auditor.body", "/logg", "home.audit.link"}},
}

func (a *App) home(w http.ResponseWriter, r *http.Request) error {
	p := access.From(r.Context())
	if p.Anonymous() {
		return a.Web.Render(w, r, http.StatusOK, "app/welcome", "home.welcome.title", nil)
	}
	data := HomePage{Name: p.Name, Roles: p.Roles}
	seen := map[string]bool{}
	for _, c := range startCards {
		for _, r := range c.roles {
			if p.Has(r) && !seen[c.card.TitleKey] {
				seen[c.card.TitleKey] = true
				data.Cards = append(data.Cards, c.card)
			}
		}
	}
	tasks, err := a.startTasks(r.Context(), p)
	if err != nil {
		return err
	}
	data.Tasks = tasks
	return a.Web.Render(w, r, http.StatusOK, "app/home", "home.title", data)
}

// startTasks collects what waits for p: decisions due for follow-up and cases
// with overdue municipal answers for those who read cases, and the cases sent
// to their municipality for kommun users; overdue first.
func (a *App) startTasks(ctx context.Context, p access.Principal) ([]StartTask, error) {
	svc := forum.NewService(a.DB, a.Audit, a.cfg.Now)
	today := svc.Today()
	var tasks []StartTask
	if p.Can(forum.Read) {
		due, err := svc.DueFollowUps(ctx, p.UserID)
		if err != nil {
			return nil, err
		}
		for _, d := range due {
			title := d.CaseTitle
			if title == "" {
				title = d.ForumName
			}
			tasks = append(tasks, StartTask{Key: "home.task.follow_up", Title: title, Number: d.CaseNumber, Date: d.FollowUpOn,
				Href: "/beslut/" + strconv.FormatInt(d.ID, 10), Overdue: d.FollowUpOn.Before(today)})
		}
		overdue, err := svc.OverdueRequests(ctx, p.UserID)
		if err != nil {
			return nil, err
		}
		for _, c := range overdue {
			tasks = append(tasks, StartTask{Key: "home.task.overdue_answers", Title: c.Title, Number: c.Number, Date: c.EarliestDeadline,
				Count: c.Overdue, Href: "/arenden/" + strconv.FormatInt(c.CaseID, 10) + "/kommuner", Overdue: true})
		}
	}
	if p.Has(access.Municipality) {
		pending, err := svc.PendingAnswers(ctx, p.UserID)
		if err != nil {
			return nil, err
		}
		for _, r := range pending {
			tasks = append(tasks, StartTask{Key: "home.task.answer", Date: r.Deadline, Href: "/kommunsvar/" + strconv.FormatInt(r.ID, 10),
				Overdue: r.Overdue(today), Title: r.CaseTitle + " (" + r.MunicipalityName + ")", Number: r.CaseNumber})
		}
	}
	prio, err := a.priorityTasks(ctx, p)
	if err != nil {
		return nil, err
	}
	tasks = append(tasks, prio...)
	impl, err := a.implementService().Tasks(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range impl {
		tasks = append(tasks, StartTask{Key: t.Key, Title: t.Title, Date: t.Due, Count: t.Count, Href: t.Href, Overdue: t.Late})
	}
	slices.SortStableFunc(tasks, func(x, y StartTask) int {
		if x.Overdue != y.Overdue {
			if x.Overdue {
				return -1
			}
			return 1
		}
		return x.Date.Time().Compare(y.Date.Time())
	})
	return tasks, nil
}

// priorityTasks are the prioritisation rounds waiting for p: candidates
// their assessor groups have left to rate, and for the coordinator open
// rounds past their deadline, to be closed.
func (a *App) priorityTasks(ctx context.Context, p access.Principal) ([]StartTask, error) {
	svc := a.priorityService()
	var tasks []StartTask
	rating, err := svc.RatingTasks(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	for _, t := range rating {
		tasks = append(tasks, StartTask{Key: "home.task.rate", Title: t.RoundTitle + " (" + t.GroupName + ")", Date: t.Deadline, Count: t.Remaining,
			Href: "/prioritering/" + strconv.FormatInt(t.RoundID, 10) + "/bedomning"})
	}
	if priority.CanRun(ctx) {
		rounds, err := svc.RoundsToClose(ctx)
		if err != nil {
			return nil, err
		}
		for _, r := range rounds {
			tasks = append(tasks, StartTask{Key: "home.task.close_round", Title: r.Title, Date: r.Deadline,
				Href: "/prioritering/" + strconv.FormatInt(r.ID, 10), Overdue: true})
		}
	}
	return tasks, nil
}

func (a *App) accessibility(w http.ResponseWriter, r *http.Request) error {
	return a.Web.Render(w, r, http.StatusOK, "app/accessibility", "accessibility.title", nil)
}
