package catalog

import (
	"context"
	"fmt"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
)

// demoSupport is one knowledge support of the demo besides the reference
// care pathways: its owners by NPO code and LPO name, its leads by name, the
// statuses it has passed through (days before today) and its recommendations.
type demoSupport struct {
	support  Support
	npo, lpo string
	leads    []string
	path     []demoStep
	recs     []Recommendation
}

type demoStep struct {
	to     Status
	day    int
	reason string
}

var demoSupports = []demoSupport{
	{support: Support{Kind: NationalGuideline, Phase: Final, Title: "Nationella riktlinjer för hjärtsjukvård", Publisher: "Socialstyrelsen",
		Edition: "2024", PublishedOn: date.New(2024, 6, 1), Link: "https://www.socialstyrelsen.se/kunskapsstod-och-regler/regler-och-riktlinjer/nationella-riktlinjer/"},
		npo: "hjart-och-karlsjukdomar", lpo: "LPO Hjärta-kärl", leads: []string{"Therese Lindqvist"},
		path: []demoStep{{Inventoried, -420, "Med i årets inventering."}, {Prioritised, -390, "Hög betydelse enligt LPO Hjärta-kärl."},
			{Decided, -360, "HSL beslutade om införande."}, {BeingIntroduced, -330, "Handlingsplan klar."}},
		recs: []Recommendation{
			{Code: "A1", Text: "Hälso- och sjukvården bör erbjuda strukturerad uppföljning av personer med kronisk hjärtsvikt.", Priority: 1},
			{Code: "A7", Text: "Hälso- och sjukvården bör erbjuda ekokardiografi vid misstänkt hjärtsvikt.", Priority: 2},
			{Code: "B3", Text: "Hälso- och sjukvården bör inte erbjuda rutinmässig arbets-EKG till personer utan symtom.", Priority: 10, DoNotDo: true},
			{Code: "C2", Text: "Hälso- och sjukvården kan erbjuda telemonitorering i hemmet vid hjärtsvikt inom ramen för forskning.", ResearchOnly: true},
		}},
	{support: Support{Kind: NationalGuideline, Phase: Final, Title: "Nationella riktlinjer för diabetesvård", Publisher: "Socialstyrelsen",
		Edition: "2018", PublishedOn: date.New(2018, 5, 1)},
		npo: "endokrina-sjukdomar", lpo: "LPO Diabetes/endokrina", leads: []string{"Ulf Utvecklare", "Maja Lindström"},
		path: []demoStep{{Inventoried, -400, "Med i årets inventering."}, {Prioritised, -380, "Hög betydelse och god genomförbarhet."},
			{Decided, -240, "HSL beslutade om införande tillsammans med vårdförloppet för diabetes typ 2."}, {BeingIntroduced, -200, "Införandet pågår."}},
		recs: []Recommendation{
			{Code: "D1", Text: "Hälso- och sjukvården bör erbjuda personer med diabetes typ 2 en årlig kontroll med fotundersökning.", Priority: 2},
			{Code: "D4", Text: "Hälso- och sjukvården bör erbjuda patientutbildning i grupp.", Priority: 3},
		}},
	{support: Support{Kind: NationalGuideline, Phase: Draft, Title: "Nationella riktlinjer för vård vid depression och ångestsyndrom (remissversion)",
		Publisher: "Socialstyrelsen", Edition: "Remiss 2026", PublishedOn: date.New(2026, 9, 15)},
		npo: "psykisk-halsa", lpo: "LPO Psykisk hälsa"},
	{support: Support{Kind: ClinicalDocument, Title: "Kliniskt kunskapsstöd: Hypertoni", Publisher: "Nationellt system för kunskapsstyrning"},
		npo: "hjart-och-karlsjukdomar", lpo: "LPO Hjärta-kärl",
		path: []demoStep{{Inventoried, -120, "Kandidat i årets prioritering."}, {Prioritised, -60, "Prioriterad av LPO Hjärta-kärl och primärvården."},
			{Decided, -30, "HSL beslutade om införande i primärvården."}}},
	{support: Support{Kind: CareProgramme, Title: "Nationellt vårdprogram för bröstcancer", Publisher: "Regionala cancercentrum i samverkan", Edition: "4.0"},
		npo: "cancersjukdomar"},
	{support: Support{Kind: LocalRoutine, Title: "Lokal rutin: remiss till sjuksköterskeledd hjärtsviktsmottagning", Publisher: "Region Jämtland Härjedalen", ConcernsMunicipalities: true,
		Status: Introduced},
		lpo: "LPO Hjärta-kärl", leads: []string{"Jonas Lindberg", "Linda Berg"}},
}

// demoPathway moves the demo's heart-failure care pathway along the way the
// forum demo's cases tell it.
var demoPathway = []demoStep{{Inventoried, -300, "Med i inventeringen av nya vårdförlopp."}, {Prioritised, -220, "Förankrad i kunskapsstyrningsrådet."},
	{Decided, -180, "HSL beslutade om införande (ärende Hjärtsvikt – nydebuterad)."}, {BeingIntroduced, -150, "Införandet startade."}}

// LoadDemo adds the demo's knowledge supports beside the reference care
// pathways: national guidelines with recommendations, a clinical knowledge
// document, a care programme and a local routine, in several statuses and
// with histories, two of them resting on one improvement lead or none. It
// acts as the coordinator with user id coordinator.
func LoadDemo(ctx context.Context, svc *Service, coordinator int64) error {
	ctx = access.With(ctx, access.Principal{UserID: coordinator, Username: "samordnare", Name: "Sara Samordnare", Roles: []access.Role{access.Coordinator}})
	groups, people, err := demoIDs(ctx, svc.db)
	if err != nil {
		return err
	}
	today := svc.Today()
	walk := func(sp Support, steps []demoStep) (Support, error) {
		for _, st := range steps {
			sp, err = svc.Transition(ctx, sp.ID, st.to, today.AddDays(st.day), st.reason, sp.Version)
			if err != nil {
				return sp, fmt.Errorf("%s → %s: %w", sp.Title, st.to, err)
			}
		}
		return sp, nil
	}
	for _, ds := range demoSupports {
		sp := ds.support
		sp.NationalOwnerID, sp.LocalOwnerID = groups[ds.npo], groups[ds.lpo]
		created, err := svc.CreateSupport(ctx, sp)
		if err != nil {
			return fmt.Errorf("catalog demo %q: %w", sp.Title, err)
		}
		if len(ds.leads) > 0 {
			ids := make([]int64, len(ds.leads))
			for i, name := range ds.leads {
				ids[i] = people[name]
			}
			if created, err = svc.SetLeads(ctx, created.ID, ids, created.Version); err != nil {
				return fmt.Errorf("catalog demo %q leads: %w", sp.Title, err)
			}
		}
		if _, err := walk(created, ds.path); err != nil {
			return fmt.Errorf("catalog demo: %w", err)
		}
		for _, r := range ds.recs {
			r.SupportID = created.ID
			if _, err := svc.CreateRecommendation(ctx, r); err != nil {
				return fmt.Errorf("catalog demo %q recommendation %s: %w", sp.Title, r.Code, err)
			}
		}
	}
	pathways, err := svc.Supports(ctx, Filter{Query: "Hjärtsvikt – nydebuterad"})
	if err != nil {
		return err
	}
	for _, p := range pathways {
		if p.Kind == CarePathway {
			if _, err := walk(p, demoPathway); err != nil {
				return fmt.Errorf("catalog demo: %w", err)
			}
		}
	}
	return nil
}
