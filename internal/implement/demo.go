package implement

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// ErrDemoLoaded means the implementation demo was asked for on a database
// that already holds implementations.
var ErrDemoLoaded = errors.New("implementations already exist; the demo is only loaded into an empty workspace")

// The demo's three workspaces, as the region tells its story:
//   - KOL (care pathway, being introduced since the spring): small gaps,
//     the questionnaire to the primary-care centres answered, the plan sent
//     for comments and revised, almost ready — one required checklist item
//     (training) still open;
//   - Kognitiv svikt vid misstänkt demenssjukdom (care pathway with the
//     municipalities): a large gap at the memory clinic with a crowding-out
//     analysis, overdue actions, a questionnaire with units that have not
//     answered (Brunflo, Erik Enhet's, among them) and the plan out for
//     comments to units and municipalities, one municipality having
//     answered;
//   - Nationella riktlinjer för hjärtsjukvård: introduced two months ago,
//     every required item done, its summary accepted.
//
// Every step is dated when it happened, relative to the service's today.

type demoRec struct {
	code, text       string
	size             GapSize
	crowding         bool
	current, desired string
	more             map[string]string
}

type demoAction struct {
	title      string
	from, to   int // days after the start
	status     ActionStatus
	doneAt     int
	effort     int
	milestone  bool
	gaps       []string // recommendation codes
	responsibl string   // person's name
}

type demoComm struct {
	target, message string
	channel         Channel
	at              int // days after the start
	done            bool
	responsible     string
}

type demoWorkspace struct {
	title          string
	leads, members []string
	sponsor        string
	units          []string
	municipalities []string
	recs           []demoRec
	actions        []demoAction
	comms          []demoComm
	plannedDays    int // planned end, days after the start
}

var demoKOL = demoWorkspace{
	title:   "Kroniskt obstruktiv lungsjukdom (KOL)",
	members: []string{"Nils Bergström", "Viktor Sandström"},
	sponsor: "Lena Ledning",
	units: []string{"Ås hälsocentral", "Frösö hälsocentral", "Brunflo hälsocentral", "Krokoms hälsocentral", "Strömsunds hälsocentral",
		"Lugnviks hälsocentral"},
	plannedDays: 330,
	recs: []demoRec{
		{code: "K1", text: "Vid misstänkt KOL görs spirometri med reversibilitetstest i primärvården för att bekräfta diagnosen.", size: GapSmall,
			current: "Spirometri görs på alla hälsocentraler, men reversibilitetstest görs inte alltid och tolkningen varierar.",
			desired: "Alla hälsocentraler gör spirometri med reversibilitetstest och tolkar enligt en gemensam mall."},
		{code: "K2", text: "Alla rökare med KOL erbjuds strukturerat stöd för rökavvänjning.", size: GapSmall,
			current: "Rökavvänjning erbjuds på de flesta hälsocentraler men dokumenteras olika.",
			desired: "Stödet erbjuds alla och dokumenteras med samma sökord i journalen."},
		{code: "K3", text: "Personer med KOL får en skriftlig individuell egenvårdsplan med handlingsplan vid försämring.", size: GapSmall,
			current: "Egenvårdsplaner på papper finns på några hälsocentraler.",
			desired: "Alla med KOL har en egenvårdsplan i journalen och en utskrift att ta med hem."},
		{code: "K4", text: "Den som vårdats på sjukhus för försämring av KOL följs upp i primärvården inom två veckor.", size: GapNone,
			current: "Uppföljning inom två veckor sker redan enligt regional rutin sedan 2024.", desired: "Oförändrat."},
		{code: "K5", text: "Personer med KOL och nedsatt funktion erbjuds fysisk träning eller lungrehabilitering.", size: GapSmall,
			current: "Fysioterapeuter finns på alla hälsocentraler; gruppträning saknas i Härjedalen.",
			desired: "Träning erbjuds i hela länet, digitalt där avstånden är långa."},
	},
	actions: []demoAction{
		{title: "Gemensam mall för tolkning av spirometri", from: 10, to: 60, status: ActionDone, doneAt: 55, effort: 24, gaps: []string{"K1"}, responsibl: "Ulf Utvecklare"},
		{title: "Sökord för rökavvänjning i journalmallen", from: 20, to: 80, status: ActionDone, doneAt: 75, effort: 16, gaps: []string{"K2"}, responsibl: "Nils Bergström"},
		{title: "Egenvårdsplan i journalen", from: 30, to: 150, status: ActionDone, doneAt: 140, effort: 40, gaps: []string{"K3"}, responsibl: "Ulf Utvecklare"},
		{title: "Handlingsplanen skickad på remiss", from: 90, to: 90, status: ActionDone, doneAt: 90, milestone: true, responsibl: "Ulf Utvecklare"},
		{title: "Digital gruppträning från Svegs hälsocentral", from: 120, to: 240, status: ActionDone, doneAt: 230, effort: 60, gaps: []string{"K5"}, responsibl: "Viktor Sandström"},
		{title: "Utbildning av KOL-sjuksköterskor", from: 200, to: 300, status: ActionStarted, effort: 32, gaps: []string{"K1", "K3"}, responsibl: "Marie Eklund"},
		{title: "Förloppet infört i hela primärvården", from: 330, to: 330, status: ActionPlanned, milestone: true, responsibl: "Ulf Utvecklare"},
	},
	comms: []demoComm{
		{target: "Verksamhetschefer i primärvården", message: "Beslutet om införande, tidsplanen och vad som förväntas av hälsocentralerna.", channel: ChannelMeeting, at: 14, done: true, responsible: "Ulf Utvecklare"},
		{target: "Alla medarbetare på hälsocentralerna", message: "Nyhet om förloppet och länk till de nya mallarna.", channel: ChannelIntranet, at: 70, done: true, responsible: "Ulf Utvecklare"},
		{target: "KOL-sjuksköterskor", message: "Inbjudan till utbildningen och material inför.", channel: ChannelEmail, at: 190, done: true, responsible: "Marie Eklund"},
		{target: "Patienter och närstående", message: "Information om egenvårdsplanen på 1177.", channel: ChannelOther, at: 260, responsible: "Nils Bergström"},
	},
}

var demoDementia = demoWorkspace{
	title:          "Kognitiv svikt vid misstänkt demenssjukdom",
	members:        []string{"Sofie Granlund", "Karin Kommun", "Louise Axelsson"},
	sponsor:        "Lena Ledning",
	units:          []string{"Ås hälsocentral", "Brunflo hälsocentral", "Krokoms hälsocentral", "Odensala hälsocentral", "Lits hälsocentral", "Bräcke hälsocentral", "Medicinmottagningen"},
	municipalities: []string{"2380", "2309", "2305"},
	plannedDays:    420,
	recs: []demoRec{
		{code: "D1", text: "Basal demensutredning görs i primärvården inom tre månader från första kontakt.", size: GapModerate,
			current: "Utredningen tar i dag fyra till sju månader; testbatteriet varierar mellan hälsocentralerna.",
			desired: "Basal utredning inom tre månader med samma tester och en checklista i journalen.",
			more: map[string]string{"consequence_staff": "Mer tid för distriktssköterskor och arbetsterapeuter, ungefär 2 timmar per utredning.",
				"consequence_competence": "Utbildning i MMSE-SR, klocktest och bedömning av ADL för sjuksköterskor och arbetsterapeuter.",
				"consequence_it":         "Ny journalmall för basal demensutredning."}},
		{code: "D2", text: "Närstående erbjuds information och stöd, och kontakt med kommunens anhörigstöd förmedlas.", size: GapSmall,
			current: "Information ges muntligt; kontakt med kommunens anhörigkonsulent förmedlas sällan.",
			desired: "Skriftlig information och förmedlad kontakt med anhörigkonsulenten i alla tre kommunerna."},
		{code: "D3", text: "Samordnad individuell plan (SIP) upprättas tillsammans med kommunen när den enskilde behöver insatser från båda.", size: GapModerate,
			current: "SIP används mest för patienter i hemsjukvården; sällan vid demenssjukdom i tidigt skede.",
			desired: "SIP erbjuds alla som får insatser från både region och kommun, med kommunens biståndshandläggare.",
			more:    map[string]string{"consequence_municipalities": "Kommunerna behöver delta i fler SIP-möten; förankras i samverkansforum."}},
		{code: "D4", text: "Personer under 65 år och personer med oklar bild utreds vid minnesmottagning.", size: GapLarge, crowding: true,
			current: "Regionen saknar minnesmottagning; utredningarna görs på medicinmottagningen när tid finns, och väntetiden är över ett år.",
			desired: "En minnesmottagning vid Östersunds sjukhus med läkare, sjuksköterska, arbetsterapeut och neuropsykolog.",
			more: map[string]string{
				"consequence_staff":          "Cirka 2,5 årsarbetare behövs: läkare 0,5, sjuksköterska 1, arbetsterapeut 0,5, neuropsykolog 0,5.",
				"consequence_economy":        "Omkring 2,6 miljoner kronor per år i personalkostnad, plus lokaler.",
				"consequence_patient_safety": "Lång väntan ger sen diagnos och risk för felbehandling; en mottagning kortar väntan.",
				"displaced":                  "Läkartid på medicinmottagningen som i dag går till uppföljning av hjärtsvikt och diabetes; ungefär 300 besök per år.",
				"risk_assessment":            "Risk att uppföljningen av kroniska sjukdomar försenas. Risken bedöms som måttlig och minskas genom att sjuksköterskeledda besök tar över en del av uppföljningen.",
				"resources_needed":           "2,5 årsarbetare, ett mottagningsrum två dagar i veckan och utbildning av neuropsykolog.",
				"decided_by":                 "Hälso- och sjukvårdsledningen (HSL) i budgeten för nästa år.",
			}},
		{code: "D5", text: "Personer med demenssjukdom följs upp minst en gång per år.", size: GapSmall,
			current: "Uppföljning sker ofta men inte strukturerat.", desired: "Årlig uppföljning med kallelse från hälsocentralen."},
	},
	actions: []demoAction{
		{title: "Journalmall för basal demensutredning", from: 15, to: 90, status: ActionDone, doneAt: 85, effort: 30, gaps: []string{"D1"}, responsibl: "Sofie Granlund"},
		{title: "Utbildning i kognitiva tester för hälsocentralerna", from: 60, to: 150, status: ActionStarted, effort: 48, gaps: []string{"D1"}, responsibl: "Lisa Norberg"},
		{title: "Informationsmaterial till närstående", from: 40, to: 120, status: ActionDone, doneAt: 118, effort: 12, gaps: []string{"D2"}, responsibl: "Karin Kommun"},
		{title: "Rutin för SIP vid demenssjukdom med kommunerna", from: 60, to: 170, status: ActionStarted, effort: 40, gaps: []string{"D3"}, responsibl: "Karin Kommun"},
		{title: "Underlag om minnesmottagning till HSL", from: 30, to: 140, status: ActionPlanned, effort: 60, gaps: []string{"D4"}, responsibl: "Birgitta Sandberg"},
		{title: "Beslut om minnesmottagning i HSL", from: 180, to: 180, status: ActionPlanned, milestone: true, gaps: []string{"D4"}, responsibl: "Birgitta Sandberg"},
		{title: "Kallelse till årlig uppföljning", from: 200, to: 300, status: ActionPlanned, effort: 20, gaps: []string{"D5"}, responsibl: "Louise Axelsson"},
		{title: "Förloppet infört", from: 420, to: 420, status: ActionPlanned, milestone: true, responsibl: "Birgitta Sandberg"},
	},
	comms: []demoComm{
		{target: "Samverkansforum vård och omsorg", message: "Förloppet och vad det betyder för kommunernas anhörigstöd och SIP.", channel: ChannelMeeting, at: 20, done: true, responsible: "Birgitta Sandberg"},
		{target: "Hälsocentralernas chefer", message: "Tidsplan, journalmall och utbildningstillfällen.", channel: ChannelWorkplace, at: 100, done: true, responsible: "Lisa Norberg"},
		{target: "Medicinmottagningens medarbetare", message: "Planerna för minnesmottagning och hur uppföljningen av kroniska sjukdomar påverkas.", channel: ChannelWorkplace, at: 200, responsible: "Birgitta Sandberg"},
	},
}

var demoHeart = demoWorkspace{
	title:   "Nationella riktlinjer för hjärtsjukvård",
	members: []string{"Jonas Lindberg", "Linda Berg"},
	sponsor: "Lena Ledning",
	units:   []string{"Hjärtmottagningen", "Medicinmottagningen"},
	recs: []demoRec{
		{code: "A1", size: GapSmall, current: "Strukturerad uppföljning finns vid hjärtmottagningen men inte alltid efter utskrivning från medicinavdelningen.",
			desired: "Alla med kronisk hjärtsvikt följs upp strukturerat av sjuksköterskeledd mottagning."},
		{code: "A7", size: GapNone, current: "Ekokardiografi görs inom fyra veckor vid misstänkt hjärtsvikt.", desired: "Oförändrat."},
		{code: "B3", size: GapNone, current: "Arbets-EKG utan symtom görs inte.", desired: "Oförändrat."},
		{code: "C2", size: GapNone, current: "Telemonitorering används inte utanför forskning.", desired: "Oförändrat."},
	},
	actions: []demoAction{
		{title: "Remissrutin till sjuksköterskeledd hjärtsviktsmottagning", from: 10, to: 90, status: ActionDone, doneAt: 80, effort: 20, gaps: []string{"A1"}, responsibl: "Linda Berg"},
		{title: "Information till medicinavdelningen", from: 60, to: 120, status: ActionDone, doneAt: 110, effort: 8, gaps: []string{"A1"}, responsibl: "Jonas Lindberg"},
		{title: "Riktlinjerna införda", from: 270, to: 270, status: ActionDone, doneAt: 270, milestone: true, responsibl: "Therese Lindqvist"},
	},
	comms: []demoComm{
		{target: "Hjärtmottagningen och medicinavdelningen", message: "Ny remissrutin och uppföljning efter utskrivning.", channel: ChannelWorkplace, at: 95, done: true, responsible: "Linda Berg"},
	},
}

// demoLoader loads the demo as the coordinator and the improvement leads.
type demoLoader struct {
	svc      *Service
	today    date.Date
	coord    context.Context
	people   map[string]int64
	units    map[string]int64
	supports map[string]catalog.Support
}

// LoadDemo builds the demo's three workspaces. users maps the demo
// usernames to user ids.
func LoadDemo(ctx context.Context, svc *Service, users map[string]int64) error {
	existing, err := listImplementations(ctx, svc.db)
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		return ErrDemoLoaded
	}
	d := &demoLoader{svc: svc, today: svc.Today(),
		coord: access.With(ctx, access.Principal{UserID: users["samordnare"], Username: "samordnare", Name: "Sara Samordnare",
			Roles: []access.Role{access.Coordinator}})}
	if d.people, err = demoPeople(ctx, svc.db); err != nil {
		return err
	}
	if d.units, err = demoUnitIDs(ctx, svc.db); err != nil {
		return err
	}
	all, err := svc.catalog.Supports(d.coord, catalog.Filter{})
	if err != nil {
		return err
	}
	d.supports = map[string]catalog.Support{}
	for _, s := range all {
		d.supports[s.Title] = s
	}
	if err := d.heart(); err != nil {
		return fmt.Errorf("implement demo, heart guidelines: %w", err)
	}
	if err := d.kol(); err != nil {
		return fmt.Errorf("implement demo, KOL: %w", err)
	}
	if err := d.dementia(); err != nil {
		return fmt.Errorf("implement demo, cognitive impairment: %w", err)
	}
	return nil
}

// on returns the service as it was on day, so every step is dated when it
// happened.
func (d *demoLoader) on(day date.Date) *Service {
	t := day.Time()
	at := time.Date(t.Year(), t.Month(), t.Day(), 10, 0, 0, 0, i18n.Stockholm())
	c := *d.svc
	c.now = func() time.Time { return at.UTC() }
	return &c
}

// day is n days after start, but never after today.
func (d *demoLoader) day(start date.Date, n int) date.Date {
	day := start.AddDays(n)
	if d.today.Before(day) {
		return d.today
	}
	return day
}

func (d *demoLoader) person(name string) (int64, error) {
	id, ok := d.people[name]
	if !ok {
		return 0, fmt.Errorf("no person %q in the demo registry", name)
	}
	return id, nil
}

// build starts ws's workspace on start with its group, units, gap analyses,
// actions and communication plan; it returns the workspace read back and
// the gap ids by recommendation code.
func (d *demoLoader) build(ws demoWorkspace, start date.Date) (Implementation, map[string]int64, error) {
	sp, ok := d.supports[ws.title]
	if !ok {
		return Implementation{}, nil, fmt.Errorf("no support %q in the catalog", ws.title)
	}
	svc := d.on(start)
	var err error
	unitIDs := make([]int64, 0, len(ws.units))
	for _, u := range ws.units {
		id, ok := d.units[u]
		if !ok {
			return Implementation{}, nil, fmt.Errorf("no unit %q", u)
		}
		unitIDs = append(unitIDs, id)
	}
	if sp, err = svc.catalog.SetUnits(d.coord, sp.ID, unitIDs, sp.Version); err != nil {
		return Implementation{}, nil, err
	}
	if len(ws.leads) > 0 {
		ids := make([]int64, 0, len(ws.leads))
		for _, n := range ws.leads {
			id, err := d.person(n)
			if err != nil {
				return Implementation{}, nil, err
			}
			ids = append(ids, id)
		}
		if _, err = svc.catalog.SetLeads(d.coord, sp.ID, ids, sp.Version); err != nil {
			return Implementation{}, nil, err
		}
	}
	sponsor, err := d.person(ws.sponsor)
	if err != nil {
		return Implementation{}, nil, err
	}
	plannedEnd := date.Date{}
	if ws.plannedDays > 0 {
		plannedEnd = start.AddDays(ws.plannedDays)
	}
	m, err := svc.StartImplementation(d.coord, Start{SupportID: sp.ID, SponsorID: sponsor, StartedOn: start, PlannedEnd: plannedEnd})
	if err != nil {
		return Implementation{}, nil, err
	}
	for _, n := range ws.members {
		id, err := d.person(n)
		if err != nil {
			return Implementation{}, nil, err
		}
		m.MemberIDs = append(m.MemberIDs, id)
	}
	m.Municipalities = ws.municipalities
	if m, err = d.on(d.day(start, 3)).UpdateGroup(d.coord, m); err != nil {
		return Implementation{}, nil, err
	}
	recs, err := svc.catalog.Recommendations(d.coord, sp.ID)
	if err != nil {
		return Implementation{}, nil, err
	}
	byCode := map[string]catalog.Recommendation{}
	for _, r := range recs {
		byCode[r.Code] = r
	}
	gaps := map[string]int64{}
	for i, dr := range ws.recs {
		rec, ok := byCode[dr.code]
		if !ok {
			if rec, err = svc.catalog.CreateRecommendation(d.coord, catalog.Recommendation{SupportID: sp.ID, Code: dr.code, Text: dr.text}); err != nil {
				return Implementation{}, nil, err
			}
		}
		answers := map[string]string{"current_practice": dr.current, "desired_practice": dr.desired}
		for k, v := range dr.more {
			answers[k] = v
		}
		g := Gap{ImplementationID: m.ID, RecommendationID: rec.ID, Size: dr.size, CrowdingOut: dr.crowding, Answers: answers, UnitIDs: unitIDs}
		g, err := d.on(d.day(start, 7+2*i)).SaveGap(d.coord, g)
		if err != nil {
			return Implementation{}, nil, fmt.Errorf("gap %s: %w", dr.code, err)
		}
		gaps[dr.code] = g.ID
	}
	for i, da := range ws.actions {
		resp, err := d.person(da.responsibl)
		if err != nil {
			return Implementation{}, nil, err
		}
		a := Action{ImplementationID: m.ID, Title: da.title, ResponsibleID: resp, Start: start.AddDays(da.from), Due: start.AddDays(da.to),
			Status: ActionPlanned, EffortHours: da.effort, Milestone: da.milestone}
		for _, code := range da.gaps {
			a.GapIDs = append(a.GapIDs, gaps[code])
		}
		if a, err = d.on(d.day(start, 10+i)).CreateAction(d.coord, a); err != nil {
			return Implementation{}, nil, fmt.Errorf("action %q: %w", da.title, err)
		}
		if da.status == ActionPlanned {
			continue
		}
		a.Status = da.status
		changed := d.day(start, da.from)
		if da.status == ActionDone {
			a.DoneOn = d.day(start, da.doneAt)
			changed = a.DoneOn
		}
		if _, err := d.on(changed).UpdateAction(d.coord, a); err != nil {
			return Implementation{}, nil, fmt.Errorf("action %q: %w", da.title, err)
		}
	}
	for _, dc := range ws.comms {
		resp, err := d.person(dc.responsible)
		if err != nil {
			return Implementation{}, nil, err
		}
		c := Communication{ImplementationID: m.ID, TargetGroup: dc.target, Message: dc.message, Channel: dc.channel,
			PlannedOn: start.AddDays(dc.at), ResponsibleID: resp}
		if dc.done {
			c.DoneOn = d.day(start, dc.at)
		}
		if _, err := d.on(d.day(start, 12)).CreateCommunication(d.coord, c); err != nil {
			return Implementation{}, nil, fmt.Errorf("communication %q: %w", dc.target, err)
		}
	}
	m, err = findImplementation(context.Background(), d.svc.db, m.ID)
	return m, gaps, err
}

// settle marks the checklist items done (with the anchoring item linked to
// a case of the support when there is one), all but those with the keys in
// open.
func (d *demoLoader) settle(m Implementation, day date.Date, open ...string) error {
	svc := d.on(day)
	items, err := svc.Checklist(d.coord, m.ID)
	if err != nil {
		return err
	}
	cases, err := svc.CaseChoices(d.coord, m.ID)
	if err != nil {
		return err
	}
	for _, it := range items {
		skip := false
		for _, k := range open {
			skip = skip || it.Key == k
		}
		if skip {
			continue
		}
		e := ItemEdit{ImplementationID: m.ID, ID: it.ID, State: ItemDone, Version: it.Version, Note: demoNotes[it.Key]}
		if it.Key == ItemAnchoring && len(cases) > 0 {
			e.CaseID = cases[0].ID
		}
		if _, err := svc.SetItem(d.coord, e); err != nil {
			return fmt.Errorf("checklist %q: %w", it.Label, err)
		}
	}
	return nil
}

var demoNotes = map[string]string{
	ItemDecisionBasis: "Beslutsunderlaget godkänt av HSL.",
	ItemAnchoring:     "Förankrat i primärvårdsrådet och i LPO.",
	ItemRoutines:      "Rutinerna publicerade i dokumenthanteringssystemet.",
	ItemCommunication: "Kommunikationsplanen klar och delvis genomförd.",
	ItemIndicators:    "Indikatorer för uppföljning valda ur kvalitetsregistret.",
	ItemRecordsIT:     "Journalmallar beställda och testade.",
	ItemMunicipal:     "Överenskommelse i Samverkansforum vård och omsorg.",
	ItemTraining:      "Utbildningen genomförd för berörda medarbetare.",
}

// startOf is the day the support's latest status change took effect, or
// days before today when it has none later than that.
func (d *demoLoader) startOf(title string, days int) (date.Date, error) {
	hist, err := d.svc.catalog.History(d.coord, d.supports[title].ID)
	if err != nil {
		return date.Date{}, err
	}
	if len(hist) == 0 {
		return d.today.AddDays(-days), nil
	}
	return hist[len(hist)-1].On, nil
}

func (d *demoLoader) heart() error {
	start, err := d.startOf(demoHeart.title, 330)
	if err != nil {
		return err
	}
	m, _, err := d.build(demoHeart, start)
	if err != nil {
		return err
	}
	introduced := d.today.AddDays(-60)
	if err := d.settle(m, introduced.AddDays(-5)); err != nil {
		return err
	}
	svc := d.on(introduced.AddDays(-3))
	if m, err = svc.SaveSummary(d.coord, m.ID, SummaryInput{Action: SummarySave, Version: m.Version,
		Text: "Riktlinjerna för hjärtsjukvård infördes med små förändringar: den sjuksköterskeledda uppföljningen av kronisk hjärtsvikt " +
			"omfattar nu alla som skrivs ut från medicinavdelningen. Övriga rekommendationer följdes redan."}); err != nil {
		return err
	}
	_, err = d.on(introduced).MarkIntroduced(d.coord, m.ID, introduced, m.Version)
	return err
}

func (d *demoLoader) kol() error {
	start, err := d.startOf(demoKOL.title, 200)
	if err != nil {
		return err
	}
	m, gaps, err := d.build(demoKOL, start)
	if err != nil {
		return err
	}
	if err := d.survey(m, start, gaps, []string{"K1", "K3", "K5"}, demoKOL.units, len(demoKOL.units), true); err != nil {
		return err
	}
	if err := d.commentRound(m, start.AddDays(90), demoKOL.units[:3], nil, true); err != nil {
		return err
	}
	return d.settle(m, d.today.AddDays(-7), ItemTraining)
}

func (d *demoLoader) dementia() error {
	start, err := d.startOf(demoDementia.title, 180)
	if err != nil {
		return err
	}
	m, gaps, err := d.build(demoDementia, start)
	if err != nil {
		return err
	}
	units := demoDementia.units[:6]
	if err := d.survey(m, d.today.AddDays(-20), gaps, []string{"D1", "D2", "D5"}, units, 3, false); err != nil {
		return err
	}
	if err := d.commentRound(m, d.today.AddDays(-10), units[:3], demoDementia.municipalities, false); err != nil {
		return err
	}
	return d.settle(m, d.today.AddDays(-14), ItemRoutines, ItemTraining, ItemIndicators, ItemRecordsIT, ItemMunicipal, ItemCommunication)
}

// demoCompliance answers recommendation i for unit u.
func demoCompliance(u, i int) Compliance {
	return []Compliance{Complies, Partly, NotYet, Partly, Complies}[(u+2*i)%5]
}

// survey sends a questionnaire on the recommendations codes to units on
// sent, answered by the first answered of them; closed when close is set.
func (d *demoLoader) survey(m Implementation, sent date.Date, gaps map[string]int64, codes, units []string, answered int, close bool) error {
	svc := d.on(sent)
	ws, err := svc.Workspace(d.coord, m.ID)
	if err != nil {
		return err
	}
	in := SurveyInput{ImplementationID: m.ID, Title: "Nuläge på hälsocentralerna", Deadline: sent.AddDays(21),
		Message: "Svara för din enhet: hur arbetar ni i dag med rekommendationerna nedan?"}
	for _, code := range codes {
		for _, g := range ws.Gaps {
			if g.ID == gaps[code] {
				in.RecommendationIDs = append(in.RecommendationIDs, g.RecommendationID)
			}
		}
	}
	contacts, err := demoContacts(context.Background(), d.svc.db)
	if err != nil {
		return err
	}
	for _, u := range units {
		in.Units = append(in.Units, SurveyUnit{UnitID: d.units[u], ContactID: contacts[u]})
	}
	s, err := svc.CreateSurvey(d.coord, in)
	if err != nil {
		return fmt.Errorf("survey: %w", err)
	}
	if s, err = svc.SendSurvey(d.coord, m.ID, s.ID, s.Version); err != nil {
		return fmt.Errorf("send survey: %w", err)
	}
	view, err := svc.Survey(d.coord, m.ID, s.ID)
	if err != nil {
		return err
	}
	// The last ones by name answer, so Brunflo (Erik Enhet's) is left to do.
	recipients := view.Survey.Recipients
	for ui := range answered {
		if ui >= len(recipients) {
			break
		}
		r := recipients[len(recipients)-1-ui]
		var as []SurveyAnswer
		for i, rid := range in.RecommendationIDs {
			as = append(as, SurveyAnswer{RecommendationID: rid, Compliance: demoCompliance(ui, i)})
		}
		if _, err := d.on(sent.AddDays(3+2*ui)).SaveAnswer(d.coord, r.ID, r.Version, as); err != nil {
			return fmt.Errorf("survey answer: %w", err)
		}
	}
	if close {
		view, err := svc.Survey(d.coord, m.ID, s.ID)
		if err != nil {
			return err
		}
		if _, err := d.on(sent.AddDays(25)).CloseSurvey(d.coord, m.ID, s.ID, view.Survey.Version); err != nil {
			return err
		}
	}
	return nil
}

// commentRound sends the plan for comments on sent to units and
// municipalities; one comment comes from the first recipient, answered, and
// when done the round is closed and the plan revised.
func (d *demoLoader) commentRound(m Implementation, sent date.Date, units, municipalities []string, done bool) error {
	svc := d.on(sent)
	m, err := findImplementation(context.Background(), d.svc.db, m.ID)
	if err != nil {
		return err
	}
	in := CommentRound{ImplementationID: m.ID, Deadline: sent.AddDays(21), Municipalities: municipalities, Version: m.Version,
		Message: "Handlingsplanen skickas på remiss. Lämna synpunkter senast sista svarsdag."}
	for _, u := range units {
		in.UnitIDs = append(in.UnitIDs, d.units[u])
	}
	r, err := svc.SendForComments(d.coord, m.ID, in)
	if err != nil {
		return fmt.Errorf("comment round: %w", err)
	}
	det, err := svc.CommentRoundOf(d.coord, m.ID, r.ID)
	if err != nil {
		return err
	}
	if len(det.Round.Recipients) == 0 {
		return nil
	}
	body := "Utbildningen behöver ligga före semesterperioden, annars hinner inte alla delta."
	if len(municipalities) > 0 {
		body = "Kommunen ställer sig bakom planen. SIP-rutinen behöver tas fram tillsammans med våra biståndshandläggare."
	}
	rec := det.Round.Recipients[len(det.Round.Recipients)-1]
	c, err := d.on(sent.AddDays(5)).AddComment(d.coord, rec.ID, body)
	if err != nil {
		return fmt.Errorf("comment: %w", err)
	}
	if _, err := d.on(sent.AddDays(8)).AnswerComment(d.coord, c.ID, "Tack! Vi tar med det i den reviderade planen.", c.Version); err != nil {
		return err
	}
	if !done {
		return nil
	}
	det, err = svc.CommentRoundOf(d.coord, m.ID, r.ID)
	if err != nil {
		return err
	}
	if _, err := d.on(sent.AddDays(22)).CloseRound(d.coord, m.ID, r.ID, det.Round.Version); err != nil {
		return err
	}
	m, err = findImplementation(context.Background(), d.svc.db, m.ID)
	if err != nil {
		return err
	}
	_, err = d.on(sent.AddDays(25)).SaveRevision(d.coord, m.ID, "Reviderad efter remissen: utbildningen flyttad före sommaren.", m.Version)
	return err
}
