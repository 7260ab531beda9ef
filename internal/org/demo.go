package org

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// The demo organisation: Region Jämtland Härjedalen as the home region, with
// its county hospital (Östersunds sjukhus), psychiatry, primary care and dental
// care; its own groups for kunskapsstyrning as the region's 2018 report
// describes them; and its and the other Norra regions' seats in the national
// and sjukvårdsregion groups. Every person is fictional, every HSA-id made up
// (in the region's format, SE2321000207-…), every e-mail on a demo domain.
//
// The data is chosen so that every report has something to show:
//   - vacancies: LPO Psykisk hälsa has 7 seats and 5 members; most NPOs have
//     only Norra's seat filled here;
//   - one person in five key roles: the coordinator Sara Samordnare
//     (coordinator of the council, the large group and the local primary-care
//     council; process leader of two LPOs);
//   - a group whose only key role has no deputy: LPO Diabetes/endokrina;
//   - a key role ending within 90 days without a successor: the chair of LPO
//     Rörelseorganen (its end date is set relative to the service's today);
//   - national groups where the home region has no representative (most NPOs,
//     e.g. Psykisk hälsa, held for Norra by Region Västernorrland);
//   - university-hospital dominance: Norra's national seats are mostly held by
//     Region Västerbotten (Norrlands universitetssjukhus), and NPO Hjärt- och
//     kärlsjukdomar is filled with six university-hospital cardiologists;
//   - history: ended memberships (earlier representatives and chairs) and a
//     renamed department.

// ErrRegistryNotEmpty means the demo organisation was asked for on a registry
// that already holds units, people or groups of its own.
var ErrRegistryNotEmpty = errors.New("the organisation registry is not empty; the demo organisation is only loaded into an empty one")

// The demo's e-mail domains, per employing region ("" is the home region).
var demoMailDomains = map[string]string{
	"":                "demo.regionjh.se",
	"vasterbotten":    "demo.regionvasterbotten.se",
	"norrbotten":      "demo.norrbotten.se",
	"vasternorrland":  "demo.rvn.se",
	"stockholm":       "demo.regionstockholm.se",
	"uppsala":         "demo.regionuppsala.se",
	"ostergotland":    "demo.regionostergotland.se",
	"skane":           "demo.skane.se",
	"vastra-gotaland": "demo.vgregion.se",
}

// demoHSAPrefix is the home region's HSA-id prefix (its organisation number).
const demoHSAPrefix = "SE2321000207-"

// demoUnit is one unit of the tree; parent names a unit above it.
type demoUnit struct {
	level  UnitLevel
	kind   UnitKind
	parent string
	name   string
}

// demoUnits is the home region's tree, parents before children.
var demoUnits = func() []demoUnit {
	const hsf, staben, rs = "Hälso- och sjukvårdsförvaltningen", "Hälso- och sjukvårdsstaben", "Regionstaben"
	us := []demoUnit{
		{Division, OtherKind, "", hsf},
		{Department, OtherKind, hsf, staben},
		{CareUnit, OtherKind, staben, "Enheten för kunskapsstyrning"},
	}
	hospital := []struct {
		dept  string
		kind  UnitKind
		units []string
	}{
		{"Område Medicin", CountyHospital, []string{"Hjärtmottagningen", "Hjärtintensivavdelningen", "Endokrin- och diabetesmottagningen",
			"Medicinmottagningen", "Reumatologmottagningen", "Njurmedicinska mottagningen", "Strokeenheten"}},
		{"Område Kirurgi", CountyHospital, []string{"Kirurgmottagningen", "Kirurgavdelningen", "Urologmottagningen"}},
		{"Område Ortopedi", CountyHospital, []string{"Ortopedmottagningen", "Ortopedavdelningen", "Fysioterapin, Östersunds sjukhus"}},
		// Renamed to "Område Kvinnosjukvård" after loading, so the unit has history.
		{"Kvinnokliniken", CountyHospital, []string{"Förlossningsavdelningen", "Kvinnomottagningen"}},
		{"Område Barn- och ungdomsmedicin", CountyHospital, []string{"Barn- och ungdomsmottagningen", "Neonatalavdelningen"}},
		{"Område Akutsjukvård", CountyHospital, []string{"Akutmottagningen, Östersunds sjukhus", "Intensivvårdsavdelningen", "Ambulanssjukvården"}},
		{"Område Diagnostik", CountyHospital, []string{"Laboratoriemedicin", "Bild- och funktionsmedicin"}},
		{"Område Psykiatri", Psychiatry, []string{"Vuxenpsykiatrisk öppenvård", "Psykiatrisk slutenvård", "Barn- och ungdomspsykiatrin (BUP)", "Beroendemottagningen"}},
		{"Primärvården", PrimaryCare, []string{"Ås hälsocentral", "Frösö hälsocentral", "Brunflo hälsocentral", "Krokoms hälsocentral",
			"Strömsunds hälsocentral", "Hammarstrands hälsocentral", "Bräcke hälsocentral", "Svegs hälsocentral", "Järpens hälsocentral",
			"Åre hälsocentral", "Lits hälsocentral", "Odensala hälsocentral", "Lugnviks hälsocentral", "Funäsdalens hälsocentral",
			"Hammerdals hälsocentral", "Svenstaviks hälsocentral"}},
		{"Folktandvården", Dental, []string{"Folktandvården Östersund", "Folktandvården Frösön", "Folktandvården Strömsund",
			"Folktandvården Sveg", "Folktandvården Järpen", "Specialisttandvården Östersund"}},
	}
	for _, h := range hospital {
		us = append(us, demoUnit{Department, h.kind, hsf, h.dept})
		for _, u := range h.units {
			us = append(us, demoUnit{CareUnit, h.kind, h.dept, u})
		}
	}
	us = append(us, demoUnit{Division, OtherKind, "", rs})
	for _, d := range []string{"Ekonomi och planering", "Kommunikationsavdelningen", "Forskning, utveckling och utbildning", "Utvecklingsavdelningen"} {
		us = append(us, demoUnit{Department, OtherKind, rs, d})
	}
	return us
}()

// demoRename is the department renamed after loading.
var demoRename = [2]string{"Kvinnokliniken", "Område Kvinnosjukvård"}

// demoPerson is one person. unit names a home-region unit; region and kind are
// for people of other regions (kind is their workplace); user names the demo
// account the person is linked to; mail overrides the region's mail domain.
type demoPerson struct {
	key, name, title, unit string
	region                 string
	kind                   UnitKind
	user                   string
	mail                   string
}

// demoPeople: the home region's people first, then Norra's other regions', then
// the other sjukvårdsregioners' members of NPO Hjärt- och kärlsjukdomar.
var demoPeople = []demoPerson{
	// Governance and staff.
	{key: "sara", name: "Sara Samordnare", title: "Samordnare för kunskapsstyrning", unit: "Enheten för kunskapsstyrning", user: "samordnare"},
	{key: "lena", name: "Lena Ledning", title: "Hälso- och sjukvårdsdirektör", unit: "Hälso- och sjukvårdsförvaltningen", user: "ledning"},
	{key: "per", name: "Per Holmgren", title: "Regionöverläkare", unit: "Hälso- och sjukvårdsstaben"},
	{key: "birgitta", name: "Birgitta Sandberg", title: "Vårdstrateg", unit: "Hälso- och sjukvårdsstaben"},
	{key: "olof", name: "Olof Jonsson", title: "Biträdande regionöverläkare", unit: "Hälso- och sjukvårdsstaben"},
	{key: "karl", name: "Karl Edlund", title: "Apotekare", unit: "Hälso- och sjukvårdsstaben"},
	{key: "elin", name: "Elin Hedlund", title: "Utvecklingsledare", unit: "Enheten för kunskapsstyrning"},
	{key: "johan", name: "Johan Nordin", title: "Planeringschef", unit: "Ekonomi och planering"},
	{key: "gunilla", name: "Gunilla Edström", title: "Strateg", unit: "Ekonomi och planering"},
	{key: "helena", name: "Helena Strand", title: "FoUU-direktör", unit: "Forskning, utveckling och utbildning"},
	{key: "mikael", name: "Mikael Berglund", title: "Utvecklingschef", unit: "Utvecklingsavdelningen"},
	{key: "anna", name: "Anna Forsberg", title: "Kommunikationschef", unit: "Kommunikationsavdelningen"},
	// Heads of department.
	{key: "magnus", name: "Magnus Öberg", title: "Verksamhetschef", unit: "Område Medicin"},
	{key: "cecilia", name: "Cecilia Lundgren", title: "Verksamhetschef", unit: "Område Kirurgi"},
	{key: "henrik", name: "Henrik Sjöberg", title: "Verksamhetschef", unit: "Område Ortopedi"},
	{key: "malin", name: "Malin Hägglund", title: "Verksamhetschef", unit: "Kvinnokliniken"},
	{key: "sofia", name: "Sofia Näslund", title: "Verksamhetschef", unit: "Område Barn- och ungdomsmedicin"},
	{key: "fredrik", name: "Fredrik Åström", title: "Verksamhetschef", unit: "Område Akutsjukvård"},
	{key: "bjorn", name: "Björn Westin", title: "Verksamhetschef", unit: "Område Diagnostik"},
	{key: "ingrid", name: "Ingrid Persson", title: "Verksamhetschef", unit: "Område Psykiatri"},
	{key: "eva", name: "Eva Nyberg", title: "Primärvårdschef", unit: "Primärvården"},
	{key: "tomas", name: "Tomas Hansson", title: "Biträdande primärvårdschef", unit: "Primärvården"},
	{key: "kristina", name: "Kristina Dahl", title: "Verksamhetschef", unit: "Folktandvården"},
	{key: "josefin", name: "Josefin Holmberg", title: "Överläkare, medicinskt ledningsansvarig (MLA)", unit: "Kvinnokliniken"},
	{key: "niklas", name: "Niklas Ek", title: "Överläkare, medicinskt ledningsansvarig (MLA)", unit: "Område Kirurgi"},
	{key: "joakim", name: "Joakim Rydberg", title: "Överläkare, anestesi och intensivvård, MLA", unit: "Intensivvårdsavdelningen"},
	// Hospital, psychiatry, primary care and dental staff.
	{key: "jonas", name: "Jonas Lindberg", title: "Överläkare, kardiologi", unit: "Hjärtmottagningen"},
	{key: "emma", name: "Emma Karlsson", title: "Specialistläkare, kardiologi", unit: "Hjärtmottagningen"},
	{key: "linda", name: "Linda Berg", title: "Specialistsjuksköterska, hjärtsvikt", unit: "Hjärtmottagningen"},
	{key: "bengt", name: "Bengt Olsson", title: "Överläkare, internmedicin", unit: "Medicinmottagningen"},
	{key: "therese", name: "Therese Lindqvist", title: "Verksamhetsutvecklare", unit: "Område Medicin"},
	{key: "ulrika", name: "Ulrika Wikström", title: "Överläkare, endokrinologi", unit: "Endokrin- och diabetesmottagningen"},
	{key: "maja", name: "Maja Lindström", title: "Diabetessjuksköterska", unit: "Endokrin- och diabetesmottagningen"},
	{key: "peter", name: "Peter Sundqvist", title: "Överläkare, ordförande i läkemedelskommittén", unit: "Medicinmottagningen"},
	{key: "camilla", name: "Camilla Öhman", title: "Överläkare, reumatologi", unit: "Reumatologmottagningen"},
	{key: "mats", name: "Mats Håkansson", title: "Överläkare, ortopedi", unit: "Ortopedmottagningen"},
	{key: "hanna", name: "Hanna Holm", title: "Fysioterapeut", unit: "Fysioterapin, Östersunds sjukhus"},
	{key: "daniel", name: "Daniel Nilsson", title: "Överläkare, akutsjukvård", unit: "Akutmottagningen, Östersunds sjukhus"},
	{key: "katarina", name: "Katarina Blom", title: "Överläkare, barn- och ungdomsmedicin", unit: "Barn- och ungdomsmottagningen"},
	{key: "stefan", name: "Stefan Åberg", title: "Överläkare, barn- och ungdomsmedicin", unit: "Neonatalavdelningen"},
	{key: "johanna", name: "Johanna Viklund", title: "Överläkare, psykiatri", unit: "Vuxenpsykiatrisk öppenvård"},
	{key: "andreas", name: "Andreas Hellström", title: "Specialistläkare, psykiatri", unit: "Psykiatrisk slutenvård"},
	{key: "martin", name: "Martin Strömberg", title: "Överläkare, barn- och ungdomspsykiatri", unit: "Barn- och ungdomspsykiatrin (BUP)"},
	{key: "pernilla", name: "Pernilla Wiklund", title: "Verksamhetsutvecklare", unit: "Område Psykiatri"},
	{key: "ulf", name: "Ulf Utvecklare", title: "Verksamhetsutvecklare", unit: "Primärvården", user: "utvecklare"},
	{key: "erik", name: "Erik Enhet", title: "Enhetschef", unit: "Brunflo hälsocentral", user: "enhet"},
	{key: "lisa", name: "Lisa Norberg", title: "Samordnande primärvårdsläkare", unit: "Ås hälsocentral"},
	{key: "sofie", name: "Sofie Granlund", title: "Specialist i allmänmedicin", unit: "Odensala hälsocentral"},
	{key: "andersf", name: "Anders Fjällström", title: "Distriktsläkare", unit: "Bräcke hälsocentral"},
	{key: "oskar", name: "Oskar Lundin", title: "Distriktsläkare", unit: "Krokoms hälsocentral"},
	{key: "anneli", name: "Anneli Grönlund", title: "Distriktssköterska", unit: "Krokoms hälsocentral"},
	{key: "nils", name: "Nils Bergström", title: "Distriktsläkare", unit: "Strömsunds hälsocentral"},
	{key: "ida", name: "Ida Söderberg", title: "Dietist", unit: "Frösö hälsocentral"},
	{key: "gustav", name: "Gustav Engström", title: "Distriktsläkare", unit: "Svegs hälsocentral"},
	{key: "jenny", name: "Jenny Lund", title: "Distriktsläkare", unit: "Järpens hälsocentral"},
	{key: "viktor", name: "Viktor Sandström", title: "Fysioterapeut", unit: "Åre hälsocentral"},
	{key: "louise", name: "Louise Axelsson", title: "Psykolog", unit: "Lits hälsocentral"},
	{key: "karolina", name: "Karolina Bäck", title: "Distriktssköterska", unit: "Hammarstrands hälsocentral"},
	{key: "marie", name: "Marie Eklund", title: "Distriktssköterska", unit: "Lugnviks hälsocentral"},
	{key: "asa", name: "Åsa Mattsson", title: "Övertandläkare", unit: "Specialisttandvården Östersund"},
	// A municipal nurse, co-opted to the local primary-care council.
	{key: "karin", name: "Karin Kommun", title: "Medicinskt ansvarig sjuksköterska, Östersunds kommun", kind: OtherKind, user: "kommun", mail: "demo.ostersund.se"},

	// Region Västerbotten: most of Norra's national seats, from the university hospital.
	{key: "goran", name: "Göran Lidström", title: "Överläkare, onkologi, Norrlands universitetssjukhus", region: "vasterbotten", kind: UniversityHospital},
	{key: "annsofie", name: "Ann-Sofie Burman", title: "Överläkare, kardiologi, Norrlands universitetssjukhus", region: "vasterbotten", kind: UniversityHospital},
	{key: "mattias", name: "Mattias Grahn", title: "Överläkare, infektionssjukdomar, Norrlands universitetssjukhus", region: "vasterbotten", kind: UniversityHospital},
	{key: "linnea", name: "Linnea Forsgren", title: "Överläkare, obstetrik och gynekologi, Norrlands universitetssjukhus", region: "vasterbotten", kind: UniversityHospital},
	{key: "tobias", name: "Tobias Renström", title: "Överläkare, neurologi, Norrlands universitetssjukhus", region: "vasterbotten", kind: UniversityHospital},
	{key: "ylva", name: "Ylva Marklund", title: "Överläkare, ortopedi, Norrlands universitetssjukhus", region: "vasterbotten", kind: UniversityHospital},
	{key: "rickard", name: "Rickard Nyström", title: "Överläkare, anestesi och intensivvård, Norrlands universitetssjukhus", region: "vasterbotten", kind: UniversityHospital},
	{key: "helen", name: "Helén Abrahamsson", title: "Överläkare, ögonsjukdomar, Norrlands universitetssjukhus", region: "vasterbotten", kind: UniversityHospital},
	{key: "kjell", name: "Kjell Bäckström", title: "Överläkare och forskningsstrateg, Norrlands universitetssjukhus", region: "vasterbotten", kind: UniversityHospital},
	{key: "marial", name: "Maria Lundmark", title: "Distriktsläkare", region: "vasterbotten", kind: PrimaryCare},
	{key: "petra", name: "Petra Sjölander", title: "Processledare, NPO Endokrina sjukdomar", region: "vasterbotten", kind: OtherKind},
	// Region Norrbotten: the national primary-care council, a county hospital.
	{key: "annika", name: "Annika Isaksson", title: "Distriktsläkare", region: "norrbotten", kind: PrimaryCare},
	{key: "ove", name: "Ove Pohjanen", title: "Distriktssköterska", region: "norrbotten", kind: PrimaryCare},
	{key: "sanna", name: "Sanna Lantto", title: "Distriktssköterska", region: "norrbotten", kind: PrimaryCare},
	{key: "tommy", name: "Tommy Wikberg", title: "Överläkare, klinisk kemi, Sunderby sjukhus", region: "norrbotten", kind: CountyHospital},
	{key: "lotta", name: "Lotta Stenlund", title: "Processledare, NPO Levnadsvanor", region: "norrbotten", kind: OtherKind},
	// Region Västernorrland.
	{key: "jesper", name: "Jesper Sundin", title: "Överläkare, psykiatri, Sundsvalls sjukhus", region: "vasternorrland", kind: Psychiatry},
	{key: "charlotte", name: "Charlotte Modig", title: "Analyschef", region: "vasternorrland", kind: OtherKind},
	{key: "ola", name: "Ola Westerlund", title: "Överläkare, njurmedicin, Sundsvalls sjukhus", region: "vasternorrland", kind: CountyHospital},
	// The other sjukvårdsregioner's members of NPO Hjärt- och kärlsjukdomar.
	{key: "carl", name: "Carl Lagerqvist", title: "Överläkare, kardiologi, Karolinska universitetssjukhuset", region: "stockholm", kind: UniversityHospital},
	{key: "ingela", name: "Ingela Hallberg", title: "Överläkare, kardiologi, Akademiska sjukhuset", region: "uppsala", kind: UniversityHospital},
	{key: "lennart", name: "Lennart Ljung", title: "Överläkare, kardiologi, Universitetssjukhuset i Linköping", region: "ostergotland", kind: UniversityHospital},
	{key: "agneta", name: "Agneta Malm", title: "Överläkare, kardiologi, Skånes universitetssjukhus", region: "skane", kind: UniversityHospital},
	{key: "jakob", name: "Jakob Ström", title: "Överläkare, kardiologi, Sahlgrenska universitetssjukhuset", region: "vastra-gotaland", kind: UniversityHospital},

	// The municipalities of Jämtlands län in the joint forum (Östersund is
	// Karin Kommun, above), and the politicians of the joint political body.
	{key: "k-ragunda", name: "Anneli Sjödin", title: "Medicinskt ansvarig sjuksköterska, Ragunda kommun", kind: OtherKind, mail: "demo.ragunda.se"},
	{key: "k-bracke", name: "Lars Hallin", title: "Socialchef, Bräcke kommun", kind: OtherKind, mail: "demo.bracke.se"},
	{key: "k-krokom", name: "Mona Eriksson", title: "Medicinskt ansvarig sjuksköterska, Krokoms kommun", kind: OtherKind, mail: "demo.krokom.se"},
	{key: "k-stromsund", name: "Roger Hägglund", title: "Socialchef, Strömsunds kommun", kind: OtherKind, mail: "demo.stromsund.se"},
	{key: "k-are", name: "Maria Wallin", title: "Verksamhetschef vård och omsorg, Åre kommun", kind: OtherKind, mail: "demo.are.se"},
	{key: "k-berg", name: "Kent Nordqvist", title: "Socialchef, Bergs kommun", kind: OtherKind, mail: "demo.berg.se"},
	{key: "k-harjedalen", name: "Susanne Lindh", title: "Medicinskt ansvarig sjuksköterska, Härjedalens kommun", kind: OtherKind, mail: "demo.herjedalen.se"},
	{key: "pol-region", name: "Göran Ekström", title: "Regionråd, ordförande i hälso- och sjukvårdsnämnden", kind: OtherKind},
	{key: "pol-ostersund", name: "Britt Söderlund", title: "Kommunalråd, Östersunds kommun", kind: OtherKind, mail: "demo.ostersund.se"},
	{key: "pol-krokom", name: "Hans Berglund", title: "Kommunalråd, Krokoms kommun", kind: OtherKind, mail: "demo.krokom.se"},
}

// demoGroup is one of the demo's own groups; parent is a key of another demo
// group or the code of a reference group.
type demoGroup struct {
	key     string
	kind    GroupKind
	level   Level
	name    string
	parent  string
	area    string
	seats   int
	mandate string
}

var demoGroups = []demoGroup{
	{"nag-diabetes", NAG, National, "NAG Diabetes", "endokrina-sjukdomar", "Diabetes", 6,
		"Nationell arbetsgrupp under NPO Endokrina sjukdomar: kunskapsstöd och vårdförlopp för diabetes."},
	{"rpo-hk", RPO, HealthcareLevel, "RPO Hjärt- och kärlsjukdomar, Norra", "hjart-och-karlsjukdomar", "Hjärt- och kärlsjukdomar", 0,
		"Sjukvårdsregionalt programområde: behovsinventering, sjukvårdsregionala tillämpningar av nationella kunskapsstöd och stöd till införandet i regionerna."},
	{"rpo-endo", RPO, HealthcareLevel, "RPO Endokrina sjukdomar, Norra", "endokrina-sjukdomar", "Endokrina sjukdomar", 0,
		"Sjukvårdsregionalt programområde: behovsinventering, sjukvårdsregionala tillämpningar av nationella kunskapsstöd och stöd till införandet i regionerna."},
	{"rpo-psyk", RPO, HealthcareLevel, "RPO Psykisk hälsa, Norra", "psykisk-halsa", "Psykisk hälsa", 0,
		"Sjukvårdsregionalt programområde: behovsinventering, sjukvårdsregionala tillämpningar av nationella kunskapsstöd och stöd till införandet i regionerna."},
	{"rpo-rorelse", RPO, HealthcareLevel, "RPO Rörelseorganens sjukdomar, Norra", "rorelseorganens-sjukdomar", "Rörelseorganens sjukdomar", 0,
		"Sjukvårdsregionalt programområde: behovsinventering, sjukvårdsregionala tillämpningar av nationella kunskapsstöd och stöd till införandet i regionerna."},
	{"ks-rad", GovernanceCouncil, RegionalLevel, "Kunskapsstyrningsrådet", "", "Kunskapsstyrning", 8,
		"Leder införandet av kunskapsstyrning i regionen och bereder prioriteringar och beslutsunderlag till hälso- och sjukvårdsledningen. " +
			"Kärnan: regionöverläkare, vårdstrateg och planeringschef. I det utökade rådet även hälso- och sjukvårdsdirektör, FoUU-direktör, utvecklingschef och kommunikationschef."},
	{"stora", LargeGroup, RegionalLevel, "Stora gruppen", "", "Kunskapsstyrning", 0,
		"Regionens representanter i RPO och chefsamråd i Norra sjukvårdsregionen, medicinskt ledningsansvariga (MLA), verksamhetschefer och regionens representanter i NPO. " +
			"Planerar arbetet i RPO och chefsamråd."},
	{"lpr", PrimaryCareCouncil, RegionalLevel, "Lokalt primärvårdsråd", "", "Primärvård", 9,
		"Samordnar kunskapsstyrningen i primärvården och samarbetet med sjukhusklinikerna; förankrar prioriteringar inför beslut i hälso- och sjukvårdsledningen."},
	{"lpo-hk", LPO, RegionalLevel, "LPO Hjärta-kärl", "rpo-hk", "Hjärt- och kärlsjukdomar", 5,
		"Lokalt programområde: gap-analyser, införande och uppföljning av kunskapsstöd för hjärt- och kärlsjukdomar."},
	{"lpo-diabetes", LPO, RegionalLevel, "LPO Diabetes/endokrina", "rpo-endo", "Endokrina sjukdomar", 6,
		"Lokalt programområde: gap-analyser, införande och uppföljning av kunskapsstöd för diabetes och endokrina sjukdomar."},
	{"lpo-psyk", LPO, RegionalLevel, "LPO Psykisk hälsa", "rpo-psyk", "Psykisk hälsa", 7,
		"Lokalt programområde: gap-analyser, införande och uppföljning av kunskapsstöd för psykisk hälsa, för vuxna, barn och unga."},
	{"lpo-rorelse", LPO, RegionalLevel, "LPO Rörelseorganen", "rpo-rorelse", "Rörelseorganens sjukdomar", 6,
		"Lokalt programområde: gap-analyser, införande och uppföljning av kunskapsstöd för rörelseorganens sjukdomar."},
	{"lk", OtherGroup, RegionalLevel, "Läkemedelskommittén", "", "Läkemedel", 0,
		"Regionens rekommendationslista och läkemedelsfrågor i kunskapsstyrningen."},
	{"hsl", Leadership, RegionalLevel, "Hälso- och sjukvårdsledningen (HSL)", "", "Hälso- och sjukvård", 0,
		"Leder hälso- och sjukvården i regionen. Beslutar vilka kunskapsstöd som införs och i vilken ordning, " +
			"efter beredning i kunskapsstyrningsrådet och förankring i berörda forum."},
	{"samverkan", JointForum, RegionalLevel, "Samverkansforum vård och omsorg", "", "Region–kommun", 10,
		"Tjänstepersonsforum för regionen och länets åtta kommuner. Bereder gemensamma frågor, förankrar införanden " +
			"som berör kommunal vård och omsorg och följer upp överenskommelserna."},
	{"politisk", PoliticalForum, RegionalLevel, "Politiskt samverkansråd vård och omsorg", "", "Region–kommun", 0,
		"Politisk samverkan mellan regionen och kommunerna i Jämtlands län: gemensamma inriktningsbeslut och " +
			"överenskommelser som gäller både region och kommuner."},
}

// demoHosts are the NPO hosts the demo sets besides Norra's two (endokrina
// sjukdomar and levnadsvanor, set by the reference data). They are
// illustrative: check the national system's current list before relying on them.
var demoHosts = map[string]string{
	"hjart-och-karlsjukdomar": "sodra",
	"psykisk-halsa":           "stockholm-gotland",
	"akut-vard":               "mellansverige",
}

// demoEndsSoon marks the end of the one key role that ends within the
// dependence report's window: it is set to 60 days after the service's today.
const demoEndsSoon = "soon"

// demoMember is one membership: group (a demo group key or a reference code),
// person key, role, what the member represents (a region or sjukvårdsregion
// code, or ""), share of full time, composition, start and end ("" for none).
type demoMember struct {
	group, person string
	role          Role
	represents    string
	share         float64
	comp          Composition
	start, end    string
}

const jh = "jamtland-harjedalen"

var demoMembers = []demoMember{
	// National program areas: Norra's seat, held for the sjukvårdsregion by
	// another Norra region or by the home region itself.
	{"akut-vard", "daniel", Member, jh, 10, "", "2019-01-01", ""},
	{"barn-och-ungdomars-halsa", "stefan", Member, jh, 10, "", "2019-01-01", "2022-12-31"},
	{"barn-och-ungdomars-halsa", "katarina", Member, jh, 10, "", "2023-01-01", ""},
	{"cancersjukdomar", "goran", Member, "norra", 10, "", "2019-01-01", ""},
	{"endokrina-sjukdomar", "ulrika", Member, jh, 10, "", "2019-01-01", "2023-12-31"},
	{"endokrina-sjukdomar", "ulrika", Chair, jh, 20, "", "2024-01-01", ""},
	{"endokrina-sjukdomar", "petra", ProcessLeader, "", 50, "", "2019-01-01", ""},
	{"hjart-och-karlsjukdomar", "annsofie", Member, "norra", 10, "", "2019-02-01", ""},
	{"hjart-och-karlsjukdomar", "carl", Member, "stockholm-gotland", 10, "", "2019-02-01", ""},
	{"hjart-och-karlsjukdomar", "ingela", Member, "mellansverige", 10, "", "2019-02-01", ""},
	{"hjart-och-karlsjukdomar", "lennart", Member, "sydostra", 10, "", "2019-02-01", ""},
	{"hjart-och-karlsjukdomar", "agneta", Member, "sodra", 10, "", "2019-02-01", "2022-12-31"},
	{"hjart-och-karlsjukdomar", "agneta", Chair, "sodra", 20, "", "2023-01-01", ""},
	{"hjart-och-karlsjukdomar", "jakob", Member, "vastra", 10, "", "2019-02-01", ""},
	{"infektionssjukdomar", "mattias", Member, "norra", 10, "", "2019-01-01", ""},
	{"kvinnosjukdomar-och-forlossning", "linnea", Member, "norra", 10, "", "2020-01-01", ""},
	{"levnadsvanor", "marial", Member, "norra", 10, "", "2019-01-01", "2022-12-31"},
	{"levnadsvanor", "marial", Chair, "norra", 20, "", "2023-01-01", ""},
	{"levnadsvanor", "lotta", ProcessLeader, "", 50, "", "2019-01-01", ""},
	{"medicinsk-diagnostik", "tommy", Member, "norra", 10, "", "2019-06-01", ""},
	{"nervsystemets-sjukdomar", "tobias", Member, "norra", 10, "", "2019-06-01", ""},
	{"njur-och-urinvagssjukdomar", "ola", Member, "norra", 10, "", "2019-09-01", ""},
	{"perioperativ-vard-intensivvard-och-transplantation", "rickard", Member, "norra", 10, "", "2020-09-01", ""},
	{"psykisk-halsa", "jesper", Member, "norra", 10, "", "2019-01-01", ""},
	{"rorelseorganens-sjukdomar", "mats", Member, jh, 10, "", "2019-04-01", "2023-12-31"},
	{"rorelseorganens-sjukdomar", "ylva", Member, "norra", 10, "", "2024-01-01", ""},
	{"tandvard", "asa", Member, jh, 10, "", "2020-03-01", ""},
	{"aldres-halsa-och-palliativ-vard", "gustav", Member, jh, 10, "", "2022-01-01", ""},
	{"ogonsjukdomar", "helen", Member, "norra", 10, "", "2019-01-01", ""},
	{"nag-diabetes", "maja", Member, jh, 10, "", "2021-03-01", ""},
	// National cooperation groups and the national primary-care council.
	{"forskning-och-life-science", "kjell", Member, "norra", 10, "", "2019-03-01", ""},
	{"lakemedel-och-medicinteknik", "peter", Member, jh, 10, "", "2020-01-01", ""},
	{"metoder-for-kunskapsstod", "elin", Member, jh, 10, "", "2022-02-01", ""},
	{"uppfoljning-och-analys", "charlotte", Member, "norra", 10, "", "2019-01-01", ""},
	{"nationellt-primarvardsrad", "annika", Member, "norra", 10, "", "2019-01-01", ""},
	{"nationellt-primarvardsrad", "ove", Member, "norra", 10, "", "2019-01-01", "2022-06-30"},
	{"nationellt-primarvardsrad", "sanna", Member, "norra", 10, "", "2022-07-01", ""},
	// Regional program areas in Norra: each member represents their region.
	{"rpo-hk", "annsofie", Chair, "vasterbotten", 10, "", "2019-09-01", ""},
	{"rpo-hk", "jonas", Member, jh, 10, "", "2019-09-01", ""},
	{"rpo-hk", "oskar", Member, jh, 5, "", "2021-01-01", ""},
	{"rpo-endo", "ulrika", Chair, jh, 10, "", "2020-01-01", ""},
	{"rpo-endo", "nils", Member, jh, 5, "", "2020-01-01", ""},
	{"rpo-psyk", "jesper", Chair, "vasternorrland", 10, "", "2019-09-01", ""},
	{"rpo-psyk", "johanna", Member, jh, 10, "", "2019-09-01", ""},
	{"rpo-rorelse", "ylva", Chair, "vasterbotten", 10, "", "2024-01-01", ""},
	{"rpo-rorelse", "mats", Member, jh, 10, "", "2019-09-01", ""},
	// Kunskapsstyrningsrådet: core and extended composition.
	{"ks-rad", "per", Chair, "", 20, Core, "2019-01-01", ""},
	{"ks-rad", "birgitta", Member, "", 10, Core, "2019-01-01", ""},
	{"ks-rad", "gunilla", Member, "", 10, Core, "2019-01-01", "2021-08-31"},
	{"ks-rad", "johan", Member, "", 10, Core, "2021-09-01", ""},
	{"ks-rad", "sara", Coordinator, "", 40, Core, "2019-01-01", ""},
	{"ks-rad", "olof", Deputy, "", 5, Core, "2019-01-01", ""},
	{"ks-rad", "lena", Member, "", 5, Extended, "2021-01-01", ""},
	{"ks-rad", "helena", Member, "", 5, Extended, "2019-01-01", ""},
	{"ks-rad", "mikael", Member, "", 5, Extended, "2019-01-01", ""},
	{"ks-rad", "anna", Member, "", 5, Extended, "2020-05-01", ""},
	// Stora gruppen.
	{"stora", "per", Chair, "", 5, "", "2019-03-01", ""},
	{"stora", "sara", Coordinator, "", 10, "", "2019-03-01", ""},
	{"stora", "olof", Deputy, "", 2, "", "2019-03-01", ""},
	{"stora", "elin", Secretary, "", 5, "", "2019-03-01", ""},
	{"stora", "magnus", Member, "", 2, "", "2019-03-01", ""},
	{"stora", "cecilia", Member, "", 2, "", "2019-03-01", ""},
	{"stora", "henrik", Member, "", 2, "", "2019-03-01", ""},
	{"stora", "malin", Member, "", 2, "", "2019-03-01", ""},
	{"stora", "sofia", Member, "", 2, "", "2019-03-01", ""},
	{"stora", "fredrik", Member, "", 2, "", "2019-03-01", ""},
	{"stora", "bjorn", Member, "", 2, "", "2019-03-01", ""},
	{"stora", "ingrid", Member, "", 2, "", "2019-03-01", ""},
	{"stora", "eva", Member, "", 2, "", "2019-03-01", ""},
	{"stora", "kristina", Member, "", 2, "", "2019-03-01", ""},
	{"stora", "josefin", Member, "", 2, "", "2019-03-01", ""},
	{"stora", "niklas", Member, "", 2, "", "2019-03-01", ""},
	{"stora", "joakim", Member, "", 2, "", "2019-03-01", ""},
	{"stora", "daniel", Member, "", 2, "", "2019-03-01", ""},
	{"stora", "stefan", Member, "", 2, "", "2019-03-01", "2022-12-31"},
	{"stora", "katarina", Member, "", 2, "", "2023-01-01", ""},
	{"stora", "ulrika", Member, "", 2, "", "2019-03-01", ""},
	{"stora", "asa", Member, "", 2, "", "2020-03-01", ""},
	{"stora", "gustav", Member, "", 2, "", "2022-01-01", ""},
	{"stora", "peter", Member, "", 2, "", "2020-01-01", ""},
	{"stora", "jonas", Member, "", 2, "", "2019-09-01", ""},
	{"stora", "mats", Member, "", 2, "", "2019-09-01", ""},
	{"stora", "johanna", Member, "", 2, "", "2019-09-01", ""},
	// Lokalt primärvårdsråd, with the two primary-care doctors at 25 %.
	{"lpr", "eva", Chair, "", 10, "", "2019-01-01", ""},
	{"lpr", "sara", Coordinator, "", 20, "", "2019-01-01", ""},
	{"lpr", "tomas", Deputy, "", 5, "", "2019-01-01", ""},
	{"lpr", "per", Member, "", 5, "", "2019-01-01", ""},
	{"lpr", "sofie", Member, "", 25, "", "2019-01-01", ""},
	{"lpr", "andersf", Member, "", 25, "", "2019-01-01", ""},
	{"lpr", "lisa", Member, "", 10, "", "2019-01-01", ""},
	{"lpr", "ulf", Secretary, "", 10, "", "2020-01-01", ""},
	{"lpr", "peter", Member, "", 5, "", "2019-01-01", ""},
	{"lpr", "marie", Member, "", 5, "", "2021-01-01", ""},
	{"lpr", "karin", CoOpted, "", 5, "", "2023-03-01", ""},
	// Local program areas.
	{"lpo-hk", "bengt", Chair, "", 10, "", "2019-09-01", "2022-12-31"},
	{"lpo-hk", "jonas", Chair, "", 10, "", "2023-01-01", ""},
	{"lpo-hk", "emma", Deputy, "", 5, "", "2019-09-01", ""},
	{"lpo-hk", "linda", Member, "", 5, "", "2019-09-01", ""},
	{"lpo-hk", "oskar", Member, "", 5, "", "2020-02-01", ""},
	{"lpo-hk", "therese", Member, "", 5, "", "2021-05-01", ""},
	{"lpo-hk", "anneli", Member, "", 5, "", "2022-09-01", ""},
	{"lpo-diabetes", "ulrika", Chair, "", 10, "", "2020-02-01", ""},
	{"lpo-diabetes", "maja", Member, "", 5, "", "2020-02-01", ""},
	{"lpo-diabetes", "nils", Member, "", 5, "", "2020-02-01", ""},
	{"lpo-diabetes", "ida", Member, "", 5, "", "2021-09-01", ""},
	{"lpo-diabetes", "ulf", Member, "", 10, "", "2020-02-01", ""},
	{"lpo-diabetes", "erik", Member, "", 5, "", "2022-09-01", ""},
	{"lpo-psyk", "johanna", Chair, "", 10, "", "2020-02-01", ""},
	{"lpo-psyk", "sara", ProcessLeader, "", 15, "", "2022-01-01", ""},
	{"lpo-psyk", "andreas", Deputy, "", 5, "", "2020-02-01", ""},
	{"lpo-psyk", "martin", Member, "", 5, "", "2020-02-01", ""},
	{"lpo-psyk", "louise", Member, "", 5, "", "2021-01-01", ""},
	{"lpo-psyk", "karolina", Member, "", 5, "", "2023-09-01", ""},
	{"lpo-psyk", "pernilla", Secretary, "", 5, "", "2022-01-01", ""},
	{"lpo-rorelse", "mats", Chair, "", 10, "", "2021-01-01", demoEndsSoon},
	{"lpo-rorelse", "sara", ProcessLeader, "", 15, "", "2022-01-01", ""},
	{"lpo-rorelse", "camilla", Member, "", 5, "", "2021-01-01", ""},
	{"lpo-rorelse", "jenny", Member, "", 5, "", "2021-01-01", ""},
	{"lpo-rorelse", "hanna", Member, "", 5, "", "2021-01-01", ""},
	{"lpo-rorelse", "viktor", Member, "", 5, "", "2023-02-01", ""},
	{"lk", "peter", Chair, "", 10, "", "2019-01-01", ""},
	{"lk", "karl", Secretary, "", 20, "", "2019-01-01", ""},
	{"lk", "sofie", Member, "", 5, "", "2019-01-01", ""},
	{"lk", "camilla", Member, "", 5, "", "2019-01-01", ""},
	// Hälso- och sjukvårdsledningen, with its secretary.
	{"hsl", "lena", Chair, "", 10, "", "2019-01-01", ""},
	{"hsl", "per", Member, "", 10, "", "2019-01-01", ""},
	{"hsl", "helena", Member, "", 5, "", "2019-01-01", ""},
	{"hsl", "johan", Member, "", 5, "", "2019-01-01", ""},
	{"hsl", "eva", Member, "", 5, "", "2019-01-01", ""},
	{"hsl", "ingrid", Member, "", 5, "", "2019-01-01", ""},
	{"hsl", "magnus", Member, "", 5, "", "2019-01-01", ""},
	{"hsl", "gunilla", Secretary, "", 10, "", "2019-01-01", ""},
	{"hsl", "sara", CoOpted, "", 0, "", "2019-01-01", ""},
	// The joint region–municipality forum: the region and all eight municipalities.
	{"samverkan", "eva", Chair, "", 5, "", "2020-01-01", ""},
	{"samverkan", "sara", CoOpted, "", 0, "", "2020-01-01", ""},
	{"samverkan", "birgitta", Secretary, "", 5, "", "2020-01-01", ""},
	{"samverkan", "karin", Member, "", 5, "", "2020-01-01", ""},
	{"samverkan", "k-ragunda", Member, "", 5, "", "2020-01-01", ""},
	{"samverkan", "k-bracke", Member, "", 5, "", "2020-01-01", ""},
	{"samverkan", "k-krokom", Member, "", 5, "", "2020-01-01", ""},
	{"samverkan", "k-stromsund", Member, "", 5, "", "2020-01-01", ""},
	{"samverkan", "k-are", Member, "", 5, "", "2020-01-01", ""},
	{"samverkan", "k-berg", Member, "", 5, "", "2020-01-01", ""},
	{"samverkan", "k-harjedalen", Member, "", 5, "", "2021-06-01", ""},
	// Its political counterpart.
	{"politisk", "pol-region", Chair, "", 2, "", "2023-01-01", ""},
	{"politisk", "pol-ostersund", Member, "", 2, "", "2023-01-01", ""},
	{"politisk", "pol-krokom", Member, "", 2, "", "2023-01-01", ""},
	{"politisk", "lena", CoOpted, "", 2, "", "2023-01-01", ""},
}

// LoadDemo builds the demo organisation through the service, so every record
// is validated and audited. users maps demo usernames to user ids, linking
// demo people to their accounts (Sara Samordnare to "samordnare", …); missing
// usernames leave the person unlinked. It refuses a registry that already holds
// units, people or groups of its own, so it never loads twice.
func LoadDemo(ctx context.Context, svc *Service, users map[string]int64) error {
	if empty, err := svc.registryEmpty(ctx); err != nil {
		return err
	} else if !empty {
		return ErrRegistryNotEmpty
	}
	units, err := svc.loadDemoUnits(ctx)
	if err != nil {
		return err
	}
	people := map[string]int64{}
	for i, dp := range demoPeople {
		p := Person{Name: dp.name, Title: dp.title, Region: dp.region, WorkplaceKind: dp.kind, UserID: users[dp.user]}
		domain := dp.mail
		if domain == "" {
			domain = demoMailDomains[dp.region]
		}
		p.Email = demoEmail(dp.name, domain)
		if dp.unit != "" {
			id, ok := units[dp.unit]
			if !ok {
				return fmt.Errorf("demo person %s: no unit %q", dp.name, dp.unit)
			}
			p.UnitID = id
			p.HSAID = fmt.Sprintf("%s%04d", demoHSAPrefix, 5001+i)
		}
		created, err := svc.CreatePerson(ctx, p)
		if err != nil {
			return fmt.Errorf("demo person %s: %w", dp.name, err)
		}
		people[dp.key] = created.ID
	}
	groups, err := svc.loadDemoGroups(ctx)
	if err != nil {
		return err
	}
	return svc.loadDemoMembers(ctx, groups, people)
}

// loadDemoUnits creates the tree and renames one department; it returns the
// units' ids by the names they were created with.
func (s *Service) loadDemoUnits(ctx context.Context) (map[string]int64, error) {
	units := map[string]int64{}
	for i, du := range demoUnits {
		u, err := s.CreateUnit(ctx, Unit{
			Level: du.level, Kind: du.kind, ParentID: units[du.parent], Name: du.name,
			HSAID: fmt.Sprintf("%s%04d", demoHSAPrefix, 1001+i),
		})
		if err != nil {
			return nil, fmt.Errorf("demo unit %s: %w", du.name, err)
		}
		units[du.name] = u.ID
	}
	renamed, err := s.Unit(ctx, units[demoRename[0]])
	if err != nil {
		return nil, err
	}
	renamed.Name = demoRename[1]
	if _, err := s.UpdateUnit(ctx, renamed); err != nil {
		return nil, fmt.Errorf("demo rename %s: %w", demoRename[0], err)
	}
	return units, nil
}

// loadDemoGroups sets the demo hosts and creates the demo groups; it returns
// the ids of the reference groups by code and of the demo groups by key.
func (s *Service) loadDemoGroups(ctx context.Context) (map[string]int64, error) {
	groups := map[string]int64{}
	reference, err := s.Groups(ctx, GroupFilter{Level: National})
	if err != nil {
		return nil, err
	}
	for _, g := range reference {
		if g.Reference && g.Code != "" {
			groups[g.Code] = g.ID
		}
	}
	for _, code := range slices.Sorted(maps.Keys(demoHosts)) {
		g, err := s.Group(ctx, groups[code])
		if err != nil {
			return nil, fmt.Errorf("demo host of %s: %w", code, err)
		}
		g.HostRegion = demoHosts[code]
		if _, err := s.UpdateGroup(ctx, g); err != nil {
			return nil, fmt.Errorf("demo host of %s: %w", code, err)
		}
	}
	for _, dg := range demoGroups {
		g := Group{Kind: dg.kind, Level: dg.level, Name: dg.name, Area: dg.area, Seats: dg.seats, Mandate: dg.mandate}
		if dg.parent != "" {
			id, ok := groups[dg.parent]
			if !ok {
				return nil, fmt.Errorf("demo group %s: no parent %q", dg.name, dg.parent)
			}
			g.ParentID = id
		}
		if dg.level == HealthcareLevel {
			g.HealthcareRegion = "norra"
		}
		created, err := s.CreateGroup(ctx, g)
		if err != nil {
			return nil, fmt.Errorf("demo group %s: %w", dg.name, err)
		}
		groups[dg.key] = created.ID
	}
	return groups, nil
}

// loadDemoMembers creates the memberships; the one marked demoEndsSoon ends
// 60 days after today.
func (s *Service) loadDemoMembers(ctx context.Context, groups, people map[string]int64) error {
	hr, err := s.HealthcareRegions(ctx)
	if err != nil {
		return err
	}
	healthcare := map[string]bool{}
	for _, h := range hr {
		healthcare[h.Code] = true
	}
	soon := s.Today().AddDays(60)
	for _, dm := range demoMembers {
		m := Membership{GroupID: groups[dm.group], PersonID: people[dm.person], Role: dm.role, SharePercent: dm.share, Composition: dm.comp}
		if m.GroupID == 0 || m.PersonID == 0 {
			return fmt.Errorf("demo membership %s in %s: unknown group or person", dm.person, dm.group)
		}
		if healthcare[dm.represents] {
			m.RepresentsHealthcareRegion = dm.represents
		} else {
			m.RepresentsRegion = dm.represents
		}
		if m.Start, err = date.Parse(dm.start); err != nil {
			return err
		}
		switch dm.end {
		case "":
		case demoEndsSoon:
			m.End = soon
		default:
			if m.End, err = date.Parse(dm.end); err != nil {
				return err
			}
		}
		if _, err := s.CreateMembership(ctx, m); err != nil {
			return fmt.Errorf("demo membership %s in %s: %w", dm.person, dm.group, err)
		}
	}
	return nil
}

// registryEmpty reports whether the registry holds no units, people or groups
// besides the national reference groups.
func (s *Service) registryEmpty(ctx context.Context) (bool, error) {
	for _, q := range []string{`SELECT 1 FROM units`, `SELECT 1 FROM people`, `SELECT 1 FROM org_groups WHERE reference = ?`} {
		var args []any
		if strings.Contains(q, "?") {
			args = append(args, false)
		}
		if has, err := db.Exists(ctx, s.db, q+` LIMIT 1`, args...); err != nil || has {
			return false, err
		}
	}
	return true, nil
}

var demoMailLetters = strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "é", "e", "ü", "u")

// demoEmail is the work address firstname.lastname@domain, without diacritics.
func demoEmail(name, domain string) string {
	f := strings.Fields(demoMailLetters.Replace(strings.ToLower(name)))
	return f[0] + "." + f[len(f)-1] + "@" + domain
}
