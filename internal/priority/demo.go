package priority

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// ErrDemoLoaded means the demo's rounds are already there.
var ErrDemoLoaded = errors.New("priority demo: rounds already exist")

// demoGroups are the assessor groups of both demo rounds: four LPOs and the
// primary-care council of the demo organisation, by key and name.
var demoGroups = []struct{ key, name string }{
	{"hk", "LPO Hjärta-kärl"},
	{"diab", "LPO Diabetes/endokrina"},
	{"psyk", "LPO Psykisk hälsa"},
	{"ror", "LPO Rörelseorganen"},
	{"lpr", "Lokalt primärvårdsråd"},
}

// demoCandidate is a support on a demo round: its title in the catalog, the
// groups' typical scores on each axis and the group whose area it is (which
// rates its importance a step higher).
type demoCandidate struct {
	key, title string
	imp, feas  int
	home       string
}

// The criteria of the default round, by index: importance first.
const (
	cSignificance = iota
	cImpact
	cSpread
	cResources
	cManagers
	cSupport
	cCulture
	cTiming
)

// lastYear is the round run last autumn for this year's introductions. The
// supports are reference care pathways that no other part of the demo moves.
var lastYear = []demoCandidate{
	{"kol", "Kroniskt obstruktiv lungsjukdom (KOL)", 5, 4, "lpr"},
	{"kognitiv", "Kognitiv svikt vid misstänkt demenssjukdom", 4, 4, "lpr"},
	{"hoft", "Höftledsartros – primärvård", 4, 3, "ror"},
	{"sepsis", "Sepsis", 4, 2, ""},
	{"ra", "Reumatoid artrit", 3, 3, "ror"},
	{"etabl", "Etablerad reumatoid artrit", 2, 2, ""},
}

// thisYear is the round open now for next year's introductions.
var thisYear = []demoCandidate{
	{"sepsis", "Sepsis", 4, 3, ""},
	{"osteo", "Osteoporos – sekundärprevention efter fraktur", 4, 3, "diab"},
	{"fotsar", "Diabetes med hög risk för fotsår", 5, 4, "diab"},
	{"schizo", "Schizofreni – förstagångsinsjuknande", 4, 2, "psyk"},
	{"benisch", "Kritisk benischemi", 3, 3, "hk"},
	{"palliativ", "Palliativ vård", 4, 4, "lpr"},
	{"depression", "Nationella riktlinjer för vård vid depression och ångestsyndrom (remissversion)", 4, 2, "psyk"},
	{"brost", "Nationellt vårdprogram för bröstcancer", 3, 4, ""},
}

// demoComments are the groups' comments on a candidate, by criterion.
type demoComments map[[2]string]map[int]string

var lastYearComments = demoComments{
	{"lpr", "kol"}: {cSignificance: "Många patienter med KOL i primärvården saknar spirometri och strukturerad uppföljning.",
		cResources: "Distriktssköterskor med astma/KOL-kompetens finns på de flesta hälsocentraler."},
	{"hk", "kol"}:        {cImpact: "Samsjuklighet med hjärtsvikt är vanlig; gemensamma flöden gynnar båda patientgrupperna."},
	{"lpr", "kognitiv"}:  {cSpread: "Berör alla hälsocentraler och kommunernas hemsjukvård.", cTiming: "Bör samordnas med kommunernas arbete med demensvården."},
	{"psyk", "kognitiv"}: {cSignificance: "Viktigt för att skilja depression från demenssjukdom hos äldre."},
	{"ror", "hoft"}: {cSignificance: "Artrosskola och fysioterapi i primärvården minskar behovet av operation.",
		cResources: "Fysioterapeuterna behöver tid för utbildning i artrosskola."},
	{"lpr", "hoft"}: {cCulture: "Fysioterapin i primärvården arbetar redan till stor del enligt förloppet."},
	{"hk", "sepsis"}: {cSignificance: "Sepsis är vanligt och allvarligt; tidig upptäckt räddar liv.",
		cResources: "Kräver utbildning av ambulans, akutmottagning och vårdavdelningar samtidigt; svårt att resurssätta i år."},
	{"lpr", "sepsis"}: {cSupport: "Bedömning enligt NEWS2 på hälsocentralerna saknar stöd i journalsystemet."},
	{"ror", "ra"}:     {cImpact: "Tidig behandling förbättrar prognosen, men reumatologmottagningen har redan korta ledtider."},
	{"ror", "etabl"}:  {cSignificance: "Vi arbetar redan i huvudsak enligt förloppet; gapet är litet."},
}

var thisYearComments = demoComments{
	{"hk", "benisch"}: {cSignificance: "Patienter med kritisk benischemi upptäcks ofta sent i primärvården.",
		cManagers: "Kärlkirurgin finns i Umeå; förloppet kräver tydliga remissvägar i Norra sjukvårdsregionen."},
	{"hk", "sepsis"}: {cResources: "Bättre förutsättningar i år: akutmottagningen har utsett en sepsisansvarig sjuksköterska."},
	{"psyk", "schizo"}: {cSignificance: "Tidigt omhändertagande vid den första psykosepisoden har stor betydelse för prognosen.",
		cResources: "Teamet för tidig psykos är inte fullt bemannat; två tjänster är vakanta."},
	{"psyk", "depression"}: {cSignificance: "Depression och ångest är de vanligaste skälen till sjukskrivning i länet.",
		cTiming: "Riktlinjerna är en remissversion; vi vill vänta in den slutliga versionen innan införandet planeras."},
	{"psyk", "palliativ"}: {cManagers: "Berör oss främst för patienter med svår psykisk sjukdom; vi återkommer om genomförbarheten."},
	{"lpr", "palliativ"}: {cSpread: "Berör alla hälsocentraler och kommunernas hemsjukvård.",
		cCulture: "Stort engagemang i primärvården efter utbildningen i brytpunktssamtal."},
	{"lpr", "depression"}: {cSignificance: "Primärvården möter flest patienter med depression och ångest; hög prioritet för oss."},
	{"lpr", "benisch"}:    {cResources: "Genomförbarheten tas upp på rådets nästa möte."},
	{"ror", "osteo"}: {cSignificance: "Frakturkedjan brister: få patienter utreds för osteoporos efter en fragilitetsfraktur.",
		cSupport: "En frakturkoordinator på ortopeden skulle lösa mycket."},
	{"ror", "fotsar"}:  {cManagers: "Vi väntar på LPO Diabetes/endokrinas bedömning av fotvården innan vi sätter ett värde."},
	{"diab", "osteo"}:  {cImpact: "Stor effekt: nya frakturer kan ofta förebyggas med behandling."},
	{"diab", "fotsar"}: {cSignificance: "Fotsår är en av de dyraste komplikationerna vid diabetes.", cResources: "Fotterapeuter saknas i Härjedalen; vi utreder lösningar innan vi bedömer resurserna."},
}

// thisYearAnswers is how far each group has come in the open round: the
// candidates it has rated completely, the ones rated in part (importance
// only, with a comment on what is missing) and the day (relative to today)
// the group's answers were registered.
var thisYearAnswers = map[string]struct {
	complete, partial []string
	day               int
}{
	"hk":   {[]string{"sepsis", "osteo", "fotsar", "schizo", "benisch", "palliativ", "depression", "brost"}, nil, -20},
	"psyk": {[]string{"sepsis", "schizo", "depression", "benisch", "brost"}, []string{"palliativ"}, -14},
	"lpr":  {[]string{"sepsis", "palliativ", "depression", "osteo"}, []string{"benisch"}, -9},
	"ror":  {[]string{"osteo", "sepsis"}, []string{"fotsar"}, -6},
	"diab": {[]string{"osteo"}, []string{"fotsar"}, -2},
}

// demoDelta varies the groups' scores around a candidate's typical score.
var demoDelta = []int{0, 1, 0, -1, 0, 1, -1, 0, 0}

// demoLoader holds what the demo needs while it builds the rounds.
type demoLoader struct {
	svc      *Service
	coord    context.Context
	leader   context.Context
	today    date.Date
	groups   map[string]int64
	supports map[string]catalog.Support
	sara     int64
}

// LoadDemo builds the demo's prioritisation: last year's round, run in the
// autumn for this year's introductions, rated by every group, anchored in
// the primary-care council and decided by HSL, with some of its supports
// now being introduced; and this year's round for next year, open with its
// deadline three weeks ahead and about half of the sheets answered, a few
// in part, LPO Diabetes/endokrina still with candidates to rate. Every step
// is dated when it happened, relative to the service's today. users maps
// the demo usernames to user ids; the coordinator runs the rounds and
// registers the groups' ratings, ledning records HSL's decision.
func LoadDemo(ctx context.Context, svc *Service, users map[string]int64) error {
	existing, err := listRounds(ctx, svc.db)
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		return ErrDemoLoaded
	}
	d := &demoLoader{
		svc: svc, today: svc.Today(),
		coord: access.With(ctx, access.Principal{UserID: users["samordnare"], Username: "samordnare", Name: "Sara Samordnare",
			Roles: []access.Role{access.Coordinator}}),
		leader: access.With(ctx, access.Principal{UserID: users["ledning"], Username: "ledning", Name: "Lena Ledning",
			Roles: []access.Role{access.Leadership}}),
	}
	if err := d.lookups(); err != nil {
		return err
	}
	if err := d.lastYear(); err != nil {
		return fmt.Errorf("priority demo, last year's round: %w", err)
	}
	if err := d.thisYear(); err != nil {
		return fmt.Errorf("priority demo, this year's round: %w", err)
	}
	return nil
}

// clock returns a time on day, mid-morning Swedish time.
func clock(day date.Date) func() time.Time {
	t := day.Time()
	at := time.Date(t.Year(), t.Month(), t.Day(), 10, 0, 0, 0, i18n.Stockholm())
	return func() time.Time { return at }
}

// on returns the prioritisation service as it was on day, with a forum
// service of the same day, so that every step is dated when it happened.
func (d *demoLoader) on(day date.Date) *Service {
	c := clock(day)
	return NewService(d.svc.db, d.svc.audit, forum.NewService(d.svc.db, d.svc.audit, c), d.svc.texts, c)
}

func (d *demoLoader) lookups() error {
	gs, err := d.svc.EligibleGroups(d.coord)
	if err != nil {
		return err
	}
	byName := map[string]int64{}
	for _, g := range gs {
		byName[g.Name] = g.GroupID
	}
	d.groups = map[string]int64{}
	for _, g := range demoGroups {
		id, ok := byName[g.name]
		if !ok {
			return fmt.Errorf("priority demo: no group %q", g.name)
		}
		d.groups[g.key] = id
	}
	all, err := catalog.NewService(d.svc.db, d.svc.audit, d.svc.now).Supports(d.coord, catalog.Filter{})
	if err != nil {
		return err
	}
	byTitle := map[string]catalog.Support{}
	for _, s := range all {
		byTitle[s.Title] = s
	}
	d.supports = map[string]catalog.Support{}
	for _, c := range append(append([]demoCandidate{}, lastYear...), thisYear...) {
		s, ok := byTitle[c.title]
		if !ok {
			return fmt.Errorf("priority demo: no support %q in the catalog", c.title)
		}
		d.supports[c.key] = s
	}
	people, err := d.svc.forums.PersonChoices(d.coord)
	if err != nil {
		return err
	}
	for _, p := range people {
		if p.Name == "Sara Samordnare" {
			d.sara = p.ID
		}
	}
	return nil
}

// setUp creates a round for year on day with its candidates and the demo's
// groups, and opens it on opened.
func (d *demoLoader) setUp(year int, cands []demoCandidate, created, opened, deadline date.Date) (Round, error) {
	svc := d.on(created)
	r, err := svc.CreateRound(d.coord, DefaultRound(year, deadline, func(k string) string { return svc.say(k) }))
	if err != nil {
		return Round{}, err
	}
	ids := make([]int64, len(cands))
	for i, c := range cands {
		ids[i] = d.supports[c.key].ID
	}
	if r, err = svc.SetCandidates(d.coord, r.ID, ids, r.Version); err != nil {
		return Round{}, err
	}
	gids := make([]int64, len(demoGroups))
	for i, g := range demoGroups {
		gids[i] = d.groups[g.key]
	}
	if r, err = svc.SetGroups(d.coord, r.ID, gids, r.Version); err != nil {
		return Round{}, err
	}
	return d.on(opened).Open(d.coord, r.ID, r.Version)
}

// rate saves group g's sheet for candidate number ci of the round on day:
// every criterion scored, or with partial only the importance ones; comments
// as given.
func (d *demoLoader) rate(day date.Date, r Round, cs []Candidate, cands []demoCandidate, gi, ci int, partial bool, comments demoComments) error {
	g, c := demoGroups[gi], cands[ci]
	sh := Sheet{RoundID: r.ID, CandidateID: cs[ci].ID, GroupID: d.groups[g.key]}
	for i, cr := range r.Criteria {
		sc := Score{CriterionID: cr.ID, Comment: comments[[2]string{g.key, c.key}][i]}
		if !partial || cr.Axis == Importance {
			base := c.feas
			if cr.Axis == Importance {
				base = c.imp
				if c.home == g.key {
					base++
				}
			}
			v := min(max(base+demoDelta[(gi*3+ci*2+i)%len(demoDelta)], r.Scale.Min), r.Scale.Max)
			sc.Value = &v
		}
		sh.Scores = append(sh.Scores, sc)
	}
	_, err := d.on(day).SaveSheet(d.coord, sh)
	if err != nil {
		return fmt.Errorf("%s rating %s: %w", g.name, c.title, err)
	}
	return nil
}

// lastYear runs the round for this year's introductions through the autumn
// before: opened on 1 September, rated by every group by the deadline of 15
// October, closed on 20 October, proposed, anchored in the primary-care
// council and decided by HSL on 20 November. Two of the three supports HSL
// chose have since started to be introduced.
func (d *demoLoader) lastYear() error {
	y := d.today.Year()
	autumn := func(m time.Month, day int) date.Date { return date.New(y-1, m, day) }
	r, err := d.setUp(y, lastYear, autumn(time.August, 20), autumn(time.September, 1), autumn(time.October, 15))
	if err != nil {
		return err
	}
	cs, err := d.svc.Candidates(d.coord, r.ID)
	if err != nil {
		return err
	}
	for gi := range demoGroups {
		day := autumn(time.September, 12).AddDays(6 * gi)
		for ci := range lastYear {
			if err := d.rate(day, r, cs, lastYear, gi, ci, false, lastYearComments); err != nil {
				return err
			}
		}
	}
	closed := autumn(time.October, 20)
	if r, err = d.on(closed).Close(d.coord, r.ID, r.Version); err != nil {
		return err
	}
	if cs, err = d.svc.Candidates(d.coord, r.ID); err != nil {
		return err
	}
	plans := []struct {
		order      int
		start, end date.Date
		outcome    catalog.Status
		note       string
	}{
		{1, date.New(y, time.January, 15), date.New(y, time.December, 31), catalog.Decided, "Högst sammanvägt värde. Start i primärvården under första kvartalet."},
		{2, date.New(y, time.March, 1), date.New(y, time.December, 31), catalog.Decided, "Införs tillsammans med kommunerna; samordnas i Samverkansforum vård och omsorg."},
		{3, date.New(y, time.September, 1), date.New(y+1, time.June, 30), catalog.Decided, "Start efter sommaren, när fysioterapeuterna har utbildats i artrosskola."},
		{0, date.Date{}, date.Date{}, catalog.Watched, "Viktigt men svårt att genomföra i år; tas upp igen i nästa års omgång."},
		{0, date.Date{}, date.Date{}, catalog.Watched, "Litet gap: reumatologmottagningen har redan korta ledtider. Bevakas."},
		{0, date.Date{}, date.Date{}, catalog.NotRelevant, "Regionen arbetar redan i huvudsak enligt förloppet."},
	}
	changes := make([]ProposalChange, len(cs))
	outcomes := make([]CandidateChoice, len(cs))
	for i, c := range cs {
		p := plans[i]
		changes[i] = ProposalChange{CandidateID: c.ID, Version: c.Version, Proposal: Proposal{Proposed: p.order > 0,
			ProposedOrder: p.order, PlannedStart: p.start, PlannedEnd: p.end, Note: p.note}}
		outcomes[i] = CandidateChoice{CandidateID: c.ID, Outcome: p.outcome, Order: p.order, PlannedStart: p.start, PlannedEnd: p.end}
	}
	if _, err := d.on(autumn(time.October, 22)).SaveProposal(d.coord, r.ID, changes); err != nil {
		return err
	}
	r, cas, err := d.on(autumn(time.October, 23)).StartCase(d.coord, r.ID, d.sara, r.Version)
	if err != nil {
		return err
	}
	anchored, err := d.anchor(cas, closed, autumn(time.November, 15))
	if err != nil {
		return err
	}
	hsl, err := d.svc.HSLForum(d.coord)
	if err != nil {
		return err
	}
	decided := autumn(time.November, 20)
	meeting, err := d.meeting(hsl, anchored.AddDays(1), autumn(time.November, 30), true)
	if err != nil {
		return err
	}
	if meeting.ID != 0 {
		decided = date.Of(meeting.StartsAt, i18n.Stockholm())
	}
	if r, err = d.on(decided).RecordDecision(d.leader, r.ID, Decision{DecidedOn: decided, MeetingID: meeting.ID,
		Text: fmt.Sprintf("HSL beslutar att under %d införa vårdförloppen KOL, Kognitiv svikt vid misstänkt demenssjukdom och "+
			"Höftledsartros – primärvård, i den ordningen och enligt tidsplanen i förslaget. Sepsis och Reumatoid artrit bevakas och "+
			"tas upp i nästa års prioritering. Etablerad reumatoid artrit är inte aktuellt, eftersom regionen redan arbetar enligt förloppet.", y),
		Outcomes: outcomes}, r.Version); err != nil {
		return err
	}
	// Two of the chosen supports have started to be introduced this year.
	for _, st := range []struct {
		key  string
		day  date.Date
		why  string
		lead []string
	}{
		{"kol", date.New(y, time.February, 1), "Införandet startade: arbetsgrupp med verksamhetsutvecklare och handlingsplan klara.", []string{"Ulf Utvecklare", "Marie Eklund"}},
		{"kognitiv", date.New(y, time.April, 15), "Införandet startade tillsammans med kommunerna efter beslut i Samverkansforum vård och omsorg.", []string{"Birgitta Sandberg", "Lisa Norberg"}},
		{"hoft", date.Date{}, "", []string{"Hanna Holm", "Viktor Sandström"}},
	} {
		if err := d.introduce(st.key, st.day, st.why, st.lead); err != nil {
			return err
		}
	}
	return nil
}

// anchor records the case's preparation and its anchoring in the
// primary-care council: at the council's first meeting after the round
// closed and by the day by, if it has one then, else on 5 November. It
// returns the day of the anchoring.
func (d *demoLoader) anchor(cas forum.Case, closed, by date.Date) (date.Date, error) {
	prepared := closed.AddDays(7)
	if _, err := d.on(prepared).forums.AddStep(d.coord, forum.Step{CaseID: cas.ID, Kind: forum.Prepared, Date: prepared,
		Comment: "Resultatet av programområdenas bedömning är sammanställt och förslaget till ordning och tidsplan klart."}, 0); err != nil {
		return date.Date{}, err
	}
	council, err := d.svc.CouncilForum(d.coord)
	if err != nil || council == 0 {
		return prepared, err
	}
	m, err := d.meeting(council, prepared.AddDays(1), by, false)
	if err != nil {
		return date.Date{}, err
	}
	day := date.New(closed.Year(), time.November, 5)
	if m.ID != 0 {
		day = date.Of(m.StartsAt, i18n.Stockholm())
	}
	_, err = d.on(day).forums.AddStep(d.coord, forum.Step{CaseID: cas.ID, Kind: forum.Anchoring, Date: day, ForumID: council, MeetingID: m.ID,
		Outcome: forum.SupportsWithComments,
		Comment: "Primärvårdsrådet ställer sig bakom ordningen. Införandet av Kognitiv svikt behöver samordnas med kommunernas demensarbete."}, 0)
	return day, err
}

// meeting returns the first meeting of forum from day from to day to, or
// none; open asks for one whose minutes are not yet approved.
func (d *demoLoader) meeting(forumID int64, from, to date.Date, open bool) (forum.Meeting, error) {
	ms, err := d.svc.forums.Meetings(d.coord, forum.MeetingFilter{ForumID: forumID, Ascending: true,
		After: from.Time().Add(-2 * time.Hour), Before: to.AddDays(1).Time().Add(-2 * time.Hour)})
	if err != nil {
		return forum.Meeting{}, err
	}
	for _, m := range ms {
		day := date.Of(m.StartsAt, i18n.Stockholm())
		if !day.Before(from) && !day.After(to) && (!open || !m.Locked()) {
			return m, nil
		}
	}
	return forum.Meeting{}, nil
}

// introduce gives a support HSL chose its improvement leads and, with a
// day, moves it to being introduced then (or today, if that is earlier).
func (d *demoLoader) introduce(key string, day date.Date, why string, leads []string) error {
	people, err := d.svc.forums.PersonChoices(d.coord)
	if err != nil {
		return err
	}
	var ids []int64
	for _, p := range people {
		for _, name := range leads {
			if p.Name == name {
				ids = append(ids, p.ID)
			}
		}
	}
	cat := catalog.NewService(d.svc.db, d.svc.audit, d.svc.now)
	sp, err := cat.Support(d.coord, d.supports[key].ID)
	if err != nil {
		return err
	}
	if sp, err = cat.SetLeads(d.coord, sp.ID, ids, sp.Version); err != nil {
		return fmt.Errorf("leads of %s: %w", sp.Title, err)
	}
	if day.IsZero() {
		return nil
	}
	if d.today.Before(day) {
		day = d.today
	}
	if _, err := catalog.NewService(d.svc.db, d.svc.audit, clock(day)).Transition(d.coord, sp.ID, catalog.BeingIntroduced, day, why, sp.Version); err != nil {
		return fmt.Errorf("%s → being introduced: %w", sp.Title, err)
	}
	return nil
}

// thisYear opens the round for next year four weeks ago with its deadline
// three weeks ahead; the groups have come as far as thisYearAnswers says.
func (d *demoLoader) thisYear() error {
	r, err := d.setUp(d.today.Year()+1, thisYear, d.today.AddDays(-35), d.today.AddDays(-28), d.today.AddDays(21))
	if err != nil {
		return err
	}
	cs, err := d.svc.Candidates(d.coord, r.ID)
	if err != nil {
		return err
	}
	for gi, g := range demoGroups {
		a := thisYearAnswers[g.key]
		for n, keys := range [][]string{a.complete, a.partial} {
			for _, key := range keys {
				ci := slices.IndexFunc(thisYear, func(c demoCandidate) bool { return c.key == key })
				if err := d.rate(d.today.AddDays(a.day+n), r, cs, thisYear, gi, ci, n == 1, thisYearComments); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
