package forum

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// ErrDemoLoaded means the demo's forums are already there.
var ErrDemoLoaded = errors.New("forum demo: forums already exist")

// demoForum is one forum of the demo: the org group it is (by name), its
// description, its mandate register and the days (relative to today) it
// meets.
type demoForum struct {
	key, group, description, place, link string
	mandates                             []Mandate
	days                                 []int
}

var demoForums = []demoForum{
	{key: "hsl", group: "Hälso- och sjukvårdsledningen (HSL)",
		description: "Hälso- och sjukvårdsledningen sammanträder en gång i månaden utom i juli. Ärenden bereds i kunskapsstyrningsrådet.",
		place:       "Regionens hus, sammanträdesrum Storsjön, Östersund",
		mandates: []Mandate{
			{Subject: "Vilka nationella kunskapsstöd som införs i regionen och i vilken ordning", CaseKind: Prioritisation, Power: PowerDecide, Scope: ScopeRegion},
			{Subject: "Införande av vårdförlopp, riktlinjer och vårdprogram", CaseKind: Introduction, Power: PowerDecide, Scope: ScopeRegion},
			{Subject: "Avveckling av lokala vårdprogram och rutiner", CaseKind: PhaseOut, Power: PowerDecide, Scope: ScopeRegion},
			{Subject: "Regionens remissvar i kunskapsstyrningsfrågor", CaseKind: ConsultationAnswer, Power: PowerDecide, Scope: ScopeRegion},
		},
		days: []int{-300, -270, -240, -210, -180, -150, -120, -90, -60, -30, -5, 25, 55}},
	{key: "ks", group: "Kunskapsstyrningsrådet",
		description: "Bereder prioriteringar och beslutsunderlag till HSL och leder införandet av kunskapsstyrning i regionen.",
		place:       "Regionens hus, sammanträdesrum Frösön, Östersund",
		mandates: []Mandate{
			{Subject: "Beredning av den årliga prioriteringen av kunskapsstöd", CaseKind: Prioritisation, Power: PowerAdvise, Scope: ScopeRegion},
			{Subject: "Förankring av införanden inför beslut i HSL", CaseKind: Introduction, Power: PowerAdvise, Scope: ScopeRegion},
			{Subject: "Regionens remissvar: beredning", CaseKind: ConsultationAnswer, Power: PowerAdvise, Scope: ScopeRegion},
		},
		days: []int{-310, -280, -250, -220, -190, -160, -130, -100, -70, -40, -12, 18, 48}},
	{key: "lpr", group: "Lokalt primärvårdsråd",
		description: "Förankrar kunskapsstöd som berör primärvården och samordnar primärvårdens arbete med sjukhusklinikerna.",
		link:        "https://mote.demo.regionjh.se/primarvardsradet",
		mandates: []Mandate{
			{Subject: "Förankring av kunskapsstöd som berör primärvården", CaseKind: Introduction, Power: PowerAdvise, Scope: ScopeRegion},
			{Subject: "Primärvårdens bedömning i den årliga prioriteringen", CaseKind: Prioritisation, Power: PowerAdvise, Scope: ScopeRegion},
		},
		days: []int{-320, -260, -200, -140, -80, -20, 40}},
	{key: "samverkan", group: "Samverkansforum vård och omsorg",
		description: "Regionens och de åtta kommunernas tjänstepersoner. Förankrar införanden som berör kommunal vård och omsorg innan ärendet skickas till kommunerna.",
		place:       "Regionens hus, sammanträdesrum Storsjön, Östersund",
		link:        "https://mote.demo.regionjh.se/samverkansforum",
		mandates: []Mandate{
			{Subject: "Gemensamma rutiner och vårdförlopp som berör kommunal vård och omsorg", CaseKind: MunicipalCooperation, Power: PowerAdvise, Scope: ScopeBoth},
			{Subject: "Förankring i kommunerna av regionens införanden", CaseKind: Introduction, Power: PowerAdvise, Scope: ScopeMunicipalities},
		},
		days: []int{-330, -240, -150, -60, 30}},
	{key: "politisk", group: "Politiskt samverkansråd vård och omsorg",
		description: "Politisk samverkan mellan regionen och kommunerna i Jämtlands län.",
		place:       "Regionens hus, sammanträdesrum Storsjön, Östersund",
		mandates: []Mandate{
			{Subject: "Överenskommelser om gemensamma vårdförlopp och rutiner", CaseKind: MunicipalCooperation, Power: PowerDecide, Scope: ScopeBoth},
		},
		days: []int{-250, -55, 120}},
	{key: "lpo-hk", group: "LPO Hjärta-kärl",
		description: "Gör gap-analyser och planerar införandet av kunskapsstöd för hjärt- och kärlsjukdomar.",
		link:        "https://mote.demo.regionjh.se/lpo-hjarta-karl",
		mandates: []Mandate{
			{Subject: "Gap-analys och handlingsplan för kunskapsstöd inom hjärt- och kärlsjukdomar", CaseKind: Introduction, Power: PowerAdvise, Scope: ScopeRegion},
		},
		days: []int{-250, -130, -25, 50}},
}

// demoApproveAfter is how many days after a meeting its minutes are approved.
const demoApproveAfter = 10

// demo holds what the demo has built, for the events that follow.
type demo struct {
	svc      *Service
	today    date.Date
	coord    context.Context
	leader   context.Context
	kommun   context.Context
	forums   map[string]Forum
	meetings map[string]map[int]*Meeting
	people   map[string]int64
	cases    map[string]*Case
	decided  map[string]Decision
	basis    map[string][]int64
}

// event is one thing that happens in the demo year, on a day relative to
// today; events run in day order.
type event struct {
	day int
	run func() error
}

// LoadDemo builds a year of forum work on top of the demo organisation: the
// forums with their mandates, a year of meetings with agendas, attendance and
// approved minutes, and cases in every state, among them a municipal case
// with mixed answers and one with overdue answers. users maps the demo
// usernames to user ids; the changes are made as the people who would make
// them (the coordinator, ledning in HSL, the kommun user for Östersund).
func LoadDemo(ctx context.Context, svc *Service, users map[string]int64) error {
	existing, err := svc.Forums(ctx, ForumFilter{})
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		return ErrDemoLoaded
	}
	as := func(user, name string, role access.Role) context.Context {
		return access.With(ctx, access.Principal{UserID: users[user], Username: user, Name: name, Roles: []access.Role{role}})
	}
	d := &demo{
		svc:      svc,
		today:    svc.Today(),
		coord:    as("samordnare", "Sara Samordnare", access.Coordinator),
		leader:   as("ledning", "Lena Ledning", access.Leadership),
		kommun:   as("kommun", "Karin Kommun", access.Municipality),
		forums:   map[string]Forum{},
		meetings: map[string]map[int]*Meeting{},
		cases:    map[string]*Case{},
		decided:  map[string]Decision{},
		basis:    map[string][]int64{},
	}
	if err := d.loadPeople(); err != nil {
		return err
	}
	if err := d.loadForums(); err != nil {
		return err
	}
	if users["kommun"] != 0 {
		if _, err := svc.AddContact(d.coord, "2380", users["kommun"]); err != nil {
			return fmt.Errorf("forum demo: contact: %w", err)
		}
	}
	events := d.meetingEvents()
	events = append(events, d.caseEvents()...)
	slices.SortStableFunc(events, func(a, b event) int { return cmp.Compare(a.day, b.day) })
	for _, e := range events {
		if err := e.run(); err != nil {
			return fmt.Errorf("forum demo, day %d: %w", e.day, err)
		}
	}
	return nil
}

func (d *demo) day(offset int) date.Date { return d.today.AddDays(offset) }

// at is a time on day offset, Swedish time.
func (d *demo) at(offset, hour, minute int) time.Time {
	t := d.day(offset).Time()
	return time.Date(t.Year(), t.Month(), t.Day(), hour, minute, 0, 0, i18n.Stockholm())
}

func (d *demo) loadPeople() error {
	people, err := d.svc.PersonChoices(d.coord)
	if err != nil {
		return err
	}
	d.people = make(map[string]int64, len(people))
	for _, p := range people {
		d.people[p.Name] = p.ID
	}
	return nil
}

func (d *demo) person(name string) int64 { return d.people[name] }

func (d *demo) loadForums() error {
	groups, err := d.svc.ForumCandidates(d.coord)
	if err != nil {
		return err
	}
	byName := make(map[string]int64, len(groups))
	for _, g := range groups {
		byName[g.Name] = g.ID
	}
	for _, df := range demoForums {
		gid, ok := byName[df.group]
		if !ok {
			return fmt.Errorf("forum demo: no group %q in the organisation", df.group)
		}
		f, err := d.svc.CreateForum(d.coord, Forum{GroupID: gid, Description: df.description, Active: true})
		if err != nil {
			return fmt.Errorf("forum demo: forum %s: %w", df.group, err)
		}
		for _, m := range df.mandates {
			m.ForumID = f.ID
			if _, err := d.svc.AddMandate(d.coord, m); err != nil {
				return fmt.Errorf("forum demo: mandate of %s: %w", df.group, err)
			}
		}
		d.forums[df.key] = f
	}
	return nil
}

// meetingEvents creates every meeting with its standard agenda, and, for the
// meetings held, the attendance and (ten days later) the approval.
func (d *demo) meetingEvents() []event {
	var events []event
	for _, df := range demoForums {
		d.meetings[df.key] = map[int]*Meeting{}
		for _, day := range df.days {
			events = append(events, event{day, func() error { return d.createMeeting(df, day) }})
			if day < 0 {
				events = append(events, event{day, func() error { return d.attend(df.key, day) }})
			}
			if day+demoApproveAfter < 0 {
				events = append(events, event{day + demoApproveAfter, func() error { return d.approve(df.key, day) }})
			}
		}
	}
	return events
}

func (d *demo) createMeeting(df demoForum, day int) error {
	status := Planned
	if day < 0 {
		status = Held
	}
	m, err := d.svc.CreateMeeting(d.coord, Meeting{
		ForumID: d.forums[df.key].ID, Title: "Ordinarie sammanträde",
		StartsAt: d.at(day, 9, 0), EndsAt: d.at(day, 12, 0),
		Place: df.place, Link: df.link, Status: status,
		Adjusters: demoAdjusters[df.key],
	})
	if err != nil {
		return fmt.Errorf("meeting of %s: %w", df.group, err)
	}
	d.meetings[df.key][day] = &m
	opening := AgendaItem{MeetingID: m.ID, Title: "Mötets öppnande och val av justerare", Presenter: "Ordföranden"}
	previous := AgendaItem{MeetingID: m.ID, Title: "Föregående protokoll"}
	if day < 0 {
		opening.Minutes = "Ordföranden öppnade mötet. " + demoAdjusters[df.key] + " valdes att justera protokollet."
		previous.Minutes = "Föregående protokoll lades till handlingarna."
	}
	for _, a := range []AgendaItem{opening, previous} {
		if _, err := d.svc.AddAgendaItem(d.coord, a); err != nil {
			return fmt.Errorf("agenda of %s: %w", df.group, err)
		}
	}
	return nil
}

var demoAdjusters = map[string]string{
	"hsl": "Per Holmgren", "ks": "Birgitta Sandberg", "lpr": "Tomas Hansson",
	"samverkan": "Karin Kommun", "politisk": "Britt Söderlund", "lpo-hk": "Emma Karlsson",
}

// item adds an agenda item about case c to the meeting of forum on day, with
// minutes when the meeting is past.
func (d *demo) item(forum string, day int, c *Case, title, minutes string) (AgendaItem, error) {
	m := d.meetings[forum][day]
	if m == nil {
		return AgendaItem{}, fmt.Errorf("no %s meeting on day %d", forum, day)
	}
	a := AgendaItem{MeetingID: m.ID, Title: title, Presenter: "Sara Samordnare"}
	if c != nil {
		a.CaseID = c.ID
		a.Description = c.Number + " " + c.Title
	}
	if day < 0 {
		a.Minutes = minutes
	}
	return d.svc.AddAgendaItem(d.coord, a)
}

// attend records the attendance of a held meeting: every current member of
// the forum's group present, but one who sent apologies.
func (d *demo) attend(forum string, day int) error {
	m := d.meetings[forum][day]
	members, err := d.svc.ForumMembers(d.coord, m.ForumID, d.day(day))
	if err != nil {
		return err
	}
	rows := make([]Attendance, 0, len(members))
	for i, p := range members {
		a := Attendance{PersonID: p.PersonID, Status: Present}
		if i == (day*-1)%max(len(members), 1) && len(members) > 3 {
			a.Status, a.Note = Excused, "Anmält förhinder"
		}
		rows = append(rows, a)
	}
	if len(rows) == 0 {
		return nil
	}
	updated, err := d.svc.SetAttendance(d.coord, m.ID, m.Version, rows)
	if err != nil {
		return fmt.Errorf("attendance: %w", err)
	}
	*m = updated
	return nil
}

// approve adds "other questions" and closes the minutes of a past meeting.
func (d *demo) approve(forum string, day int) error {
	m := d.meetings[forum][day]
	if _, err := d.svc.AddAgendaItem(d.coord, AgendaItem{MeetingID: m.ID, Title: "Övriga frågor", Minutes: "Inga övriga frågor."}); err != nil {
		return err
	}
	fresh, err := d.svc.Meeting(d.coord, m.ID)
	if err != nil {
		return err
	}
	approved, err := d.svc.ApproveMinutes(d.coord, m.ID, fresh.Version)
	if err != nil {
		return fmt.Errorf("approve %s meeting: %w", forum, err)
	}
	*m = approved
	return nil
}

// register creates a case on day.
func (d *demo) register(key string, day int, c Case) event {
	return event{day, func() error {
		c.RegisteredOn = d.day(day)
		created, err := d.svc.CreateCase(d.coord, c)
		if err != nil {
			return fmt.Errorf("case %q: %w", c.Title, err)
		}
		d.cases[key] = &created
		return nil
	}}
}

// step adds a workflow step without a forum to a case.
func (d *demo) step(key string, day int, kind Status, comment string) event {
	return event{day, func() error {
		_, err := d.svc.AddStep(d.coord, Step{CaseID: d.cases[key].ID, Kind: kind, Date: d.day(day), Comment: comment}, 0)
		return err
	}}
}

// anchor records the anchoring of a case at a forum's meeting on day, with
// the agenda item and its minutes.
func (d *demo) anchor(key, forum string, day int, outcome Outcome, comment string) event {
	return event{day, func() error {
		c := d.cases[key]
		minutes := "Ärendet föredrogs. Forumet ställer sig bakom förslaget."
		if outcome == SupportsWithComments {
			minutes = "Ärendet föredrogs. Forumet ställer sig bakom förslaget med följande synpunkter: " + comment
		}
		if _, err := d.item(forum, day, c, "Förankring: "+c.Title, minutes); err != nil {
			return err
		}
		_, err := d.svc.AddStep(d.coord, Step{
			CaseID: c.ID, Kind: Anchoring, Date: d.day(day), ForumID: d.forums[forum].ID,
			MeetingID: d.meetings[forum][day].ID, Outcome: outcome, Comment: comment,
		}, 0)
		return err
	}}
}

// decide records a decision on a case at a forum's meeting on day; ledning
// records HSL's decisions, the coordinator the others.
func (d *demo) decide(key, forum string, day int, text string, followUp int, municipalities []string) event {
	return event{day, func() error {
		c := d.cases[key]
		item, err := d.item(forum, day, c, "Beslut: "+c.Title, "Beslut enligt förslag. "+text)
		if err != nil {
			return err
		}
		dec := Decision{
			CaseID: c.ID, ForumID: d.forums[forum].ID, MeetingID: d.meetings[forum][day].ID,
			AgendaItemID: item.ID, DecidedOn: d.day(day), Text: text,
			ResponsiblePersonID: c.ResponsiblePersonID, Municipalities: municipalities,
			BasisDocumentIDs: d.basis[key],
		}
		if followUp != 0 {
			dec.FollowUpOn = d.day(followUp)
		}
		ctx := d.coord
		if forum == "hsl" {
			ctx = d.leader
		}
		saved, err := d.svc.RecordDecision(ctx, dec, 0)
		if err != nil {
			return fmt.Errorf("decision on %q: %w", c.Title, err)
		}
		d.decided[key] = saved
		return nil
	}}
}

// send sends a case to every municipality of the home region.
func (d *demo) send(key string, day, deadline int, question string) event {
	return event{day, func() error {
		_, err := d.svc.SendToMunicipalities(d.coord, d.cases[key].ID, Send{
			All: true, SentOn: d.day(day), Deadline: d.day(deadline), Question: question,
		})
		return err
	}}
}

// answer records a municipality's answer; Östersund answers through its own
// kommun user, the others' answers are entered by the coordinator.
func (d *demo) answer(key, municipality string, day int, a Answer, comment string) event {
	return event{day, func() error {
		reqs, err := d.svc.CaseRequests(d.coord, d.cases[key].ID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(reqs, func(r MunicipalRequest) bool { return r.Municipality == municipality })
		if i < 0 {
			return fmt.Errorf("case %q was not sent to %s", d.cases[key].Title, municipality)
		}
		ctx := d.coord
		if municipality == "2380" {
			ctx = d.kommun
		}
		_, err = d.svc.AnswerRequest(ctx, d.cases[key].ID, municipality, Reply{Answer: a, Comment: comment, AnsweredOn: d.day(day), Version: reqs[i].Version})
		return err
	}}
}

// document attaches a decision basis, written as a DOCX, to a case; the
// case's next decision is based on it.
func (d *demo) document(key string, day int, title string, body ...string) event {
	return event{day, func() error {
		c := d.cases[key]
		blocks := make([]doc.Block, 0, len(body))
		for i, b := range body {
			if i%2 == 0 {
				blocks = append(blocks, doc.Heading{Level: 1, Text: b})
			} else {
				blocks = append(blocks, doc.Paragraph{Text: b})
			}
		}
		var buf bytes.Buffer
		if err := doc.WriteDOCX(&buf, doc.Document{
			Organisation: "Region Jämtland Härjedalen", Title: title, Subtitle: c.Number + " " + c.Title,
			Meta:   []doc.KeyValue{{Key: "Datum", Value: d.day(day).String()}, {Key: "Ansvarig", Value: "Sara Samordnare"}},
			Blocks: blocks,
		}); err != nil {
			return err
		}
		saved, err := d.svc.AddDocument(d.coord, Document{CaseID: c.ID, Title: title}, "beslutsunderlag-"+key+".docx", buf.Bytes())
		if err != nil {
			return fmt.Errorf("document %q: %w", title, err)
		}
		d.basis[key] = append(d.basis[key], saved.ID)
		return nil
	}}
}

// caseEvents is the demo year's cases, one in every state.
func (d *demo) caseEvents() []event {
	sara, ulf, per := d.person("Sara Samordnare"), d.person("Ulf Utvecklare"), d.person("Per Holmgren")
	return []event{
		// Closed: the region's answer to a national consultation.
		d.register("remiss", -285, Case{Kind: ConsultationAnswer, ResponsiblePersonID: per,
			Title:       "Remissvar: nationellt kunskapsstöd vid ohälsosamma levnadsvanor",
			Description: "NPO Levnadsvanor har skickat ett förslag till reviderat kunskapsstöd på remiss. Regionens svar samordnas av regionöverläkaren."}),
		d.step("remiss", -275, Prepared, "Synpunkter inhämtade från primärvården, LPO Diabetes/endokrina och Folktandvården."),
		d.anchor("remiss", "ks", -250, Supports, ""),
		d.decide("remiss", "hsl", -240, "HSL ställer sig bakom regionens remissvar och uppdrar åt regionöverläkaren att skicka det till NPO Levnadsvanor.", 0, nil),
		d.step("remiss", -230, Closed, "Remissvaret skickat till NPO Levnadsvanor."),

		// Follow-up: an introduction decided and followed up.
		d.register("diabetes", -295, Case{Kind: Introduction, ResponsiblePersonID: ulf,
			Title:       "Införande: vårdförlopp Diabetes typ 2 i primärvården",
			Description: "Personcentrerat och sammanhållet vårdförlopp för diabetes typ 2. Gap-analys gjord i LPO Diabetes/endokrina tillsammans med primärvården."}),
		d.step("diabetes", -280, Prepared, "Gap-analys och handlingsplan klara."),
		d.anchor("diabetes", "lpr", -260, Supports, ""),
		d.decide("diabetes", "hsl", -240, "HSL beslutar att vårdförloppet Diabetes typ 2 införs i primärvården under året enligt handlingsplanen.", -90, nil),
		d.step("diabetes", -200, FollowUp, "Införandet pågår på alla hälsocentraler; uppföljning med indikatorer var tredje månad."),
		{-85, func() error {
			_, err := d.svc.RecordFollowUp(d.coord, FollowUpRecord{DecisionID: d.decided["diabetes"].ID, DoneOn: d.day(-85),
				Note: "Alla hälsocentraler arbetar enligt vårdförloppet. Andelen med årskontroll har ökat från 71 till 84 procent."})
			return err
		}},

		// Decision with its follow-up due now, and a correction.
		d.register("hjartsvikt", -290, Case{Kind: Introduction, ResponsiblePersonID: sara,
			Title:       "Införande: vårdförlopp Hjärtsvikt – nydebuterad",
			Description: "Nationellt vårdförlopp för nydebuterad hjärtsvikt. Berör Hjärtmottagningen, medicinkliniken och primärvården."}),
		d.step("hjartsvikt", -255, Prepared, "Gap-analysen visar stora gap i tillgången till ekokardiografi och sjuksköterskeledd hjärtsviktsmottagning."),
		d.anchor("hjartsvikt", "lpo-hk", -250, Supports, ""),
		d.anchor("hjartsvikt", "ks", -220, Supports, ""),
		d.anchor("hjartsvikt", "lpr", -200, SupportsWithComments, "Primärvården behöver stöd med NT-proBNP-provtagning och tydliga remissvägar innan starten."),
		d.document("hjartsvikt", -190, "Beslutsunderlag: införande av vårdförlopp Hjärtsvikt – nydebuterad",
			"Bakgrund", "Det nationella vårdförloppet för nydebuterad hjärtsvikt publicerades av NPO Hjärt- och kärlsjukdomar. LPO Hjärta-kärl har gjort en gap-analys.",
			"Gap-analys", "Största gapen gäller tillgången till ekokardiografi inom 14 dagar och sjuksköterskeledd hjärtsviktsmottagning i primärvården.",
			"Förankring", "Kunskapsstyrningsrådet ställer sig bakom. Lokalt primärvårdsråd ställer sig bakom med synpunkter om NT-proBNP och remissvägar.",
			"Förslag till beslut", "Att vårdförloppet införs från och med nästa kvartal och följs upp efter sex månader."),
		d.decide("hjartsvikt", "hsl", -180, "HSL beslutar att vårdförloppet Hjärtsvikt – nydebuterad införs från och med nästa kvartal. Uppföljning efter sex månader.", -10, nil),
		{-150, func() error {
			orig := d.decided["hjartsvikt"]
			c := d.cases["hjartsvikt"]
			item, err := d.item("hsl", -150, c, "Rättelse av beslut: "+c.Title, "Beslutet rättas så att det även omfattar Strömsunds och Svegs hälsocentraler.")
			if err != nil {
				return err
			}
			_, err = d.svc.CorrectDecision(d.leader, orig.ID, Decision{
				ForumID: orig.ForumID, MeetingID: d.meetings["hsl"][-150].ID, AgendaItemID: item.ID,
				DecidedOn: d.day(-150), FollowUpOn: d.day(-10), ResponsiblePersonID: sara,
				Text: "Rättelse: införandet av vårdförloppet Hjärtsvikt – nydebuterad omfattar även Strömsunds och Svegs hälsocentraler.",
			})
			return err
		}},

		// Decision with municipalities: mixed answers, all in.
		d.register("demens", -200, Case{Kind: MunicipalCooperation, ResponsiblePersonID: sara,
			Title:       "Vårdförlopp Demenssjukdom: gemensamt införande med kommunerna",
			Description: "Vårdförloppet kräver att regionen och kommunerna delar utredning och uppföljning. Förslaget är en gemensam rutin för basal demensutredning."}),
		d.step("demens", -190, Prepared, "Förslag till gemensam rutin framtaget med kommunernas MAS."),
		d.anchor("demens", "samverkan", -150, Supports, ""),
		d.send("demens", -140, -80, "Ställer sig kommunen bakom den gemensamma rutinen för basal demensutredning och att införa den under året?"),
		d.answer("demens", "2380", -130, Accepts, ""),
		d.answer("demens", "2309", -120, Accepts, ""),
		d.answer("demens", "2321", -110, AcceptsWithComments, "Åre behöver utbildningsinsatser för hemtjänstens personal innan start."),
		d.answer("demens", "2326", -105, AcceptsWithComments, "Start först efter sommaren på grund av bemanningen."),
		d.answer("demens", "2305", -100, Declines, "Bräcke saknar demenssjuksköterska under året och kan inte delta nu."),
		d.answer("demens", "2313", -95, Accepts, ""),
		d.answer("demens", "2303", -90, Accepts, ""),
		d.answer("demens", "2361", -85, AcceptsWithComments, "Härjedalen deltar men behöver digitala utredningsmöten för Funäsdalen och Lofsdalen."),
		d.decide("demens", "politisk", -55, "Samverkansrådet antar den gemensamma rutinen för basal demensutredning. Sju kommuner deltar från start; Bräcke kommun ansluter när bemanningen tillåter.",
			120, []string{"2303", "2309", "2313", "2321", "2326", "2361", "2380"}),

		// Anchoring, with overdue municipal answers.
		d.register("lakemedel", -70, Case{Kind: MunicipalCooperation, ResponsiblePersonID: sara,
			Title:       "Gemensam rutin för läkemedelsgenomgångar i hemsjukvården",
			Description: "Förslag till gemensam rutin för fördjupade läkemedelsgenomgångar för patienter i kommunal hemsjukvård."}),
		d.step("lakemedel", -65, Prepared, "Rutinen är framtagen av läkemedelskommittén och kommunernas MAS."),
		d.anchor("lakemedel", "samverkan", -60, SupportsWithComments, "Ansvaret för uppföljningen mellan läkare och sjuksköterska ska förtydligas."),
		d.send("lakemedel", -45, -10, "Kan kommunen ställa sig bakom rutinen för läkemedelsgenomgångar i hemsjukvården?"),
		d.answer("lakemedel", "2321", -30, Accepts, ""),
		d.answer("lakemedel", "2309", -20, AcceptsWithComments, "Krokom vill att rutinen följs upp efter ett år."),

		// Anchoring: the region's answer to a national guideline out for
		// consultation, on HSL's next agenda. (The yearly prioritisation has
		// its own cases, registered by its rounds.)
		d.register("prio", -120, Case{Kind: ConsultationAnswer, ResponsiblePersonID: sara,
			Title:       "Remissvar: nationella riktlinjer för vård vid depression och ångestsyndrom",
			Description: "Socialstyrelsens remissversion av riktlinjerna. Regionen gör en konsekvensanalys med berörda verksamheter och lämnar ett samlat svar."}),
		d.step("prio", -100, Prepared, "Konsekvensanalysen är sammanställd utifrån synpunkter från psykiatrin, primärvården och LPO Psykisk hälsa."),
		d.anchor("prio", "ks", -40, Supports, ""),
		d.anchor("prio", "lpr", -20, SupportsWithComments, "Primärvården vill att svaret lyfter behovet av fler psykologer och KBT-terapeuter i primärvården."),
		{25, func() error {
			_, err := d.item("hsl", 25, d.cases["prio"], "Beslut: regionens remissvar om riktlinjer för depression och ångestsyndrom", "")
			return err
		}},

		// Prepared: a phase-out.
		d.register("kol", -30, Case{Kind: PhaseOut, ResponsiblePersonID: ulf,
			Title:       "Avveckling av lokalt vårdprogram för KOL",
			Description: "Det lokala vårdprogrammet ersätts av det nationella vårdförloppet KOL och ska avvecklas."}),
		d.step("kol", -15, Prepared, "Genomgång visar att det nationella vårdförloppet täcker allt i det lokala programmet."),

		// Registered: newly arrived.
		d.register("stroke", -5, Case{Kind: Introduction, ResponsiblePersonID: per,
			Title:       "Införande: vårdförlopp Stroke och TIA",
			Description: "Nytt nationellt vårdförlopp för stroke och TIA, från akutskede till rehabilitering."}),
	}
}
