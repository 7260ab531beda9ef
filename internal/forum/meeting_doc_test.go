package forum_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/ical"
)

// mtgRecord is an approved HSL meeting with two items, one handling a case.
func mtgRecord() forum.MeetingRecord {
	m := forum.Meeting{ID: 7, ForumID: 1, ForumName: "HSL", Title: "Ordinarie möte",
		StartsAt: time.Date(2026, 3, 12, 12, 0, 0, 0, time.UTC), EndsAt: time.Date(2026, 3, 12, 14, 30, 0, 0, time.UTC),
		Place: "Regionens hus, sal 3", Link: "https://möte.example.se/hsl", Status: forum.Held, Adjusters: "Lena Ledning",
		ApprovedAt: time.Date(2026, 3, 19, 9, 0, 0, 0, time.UTC), ApprovedBy: "Sigrid", Version: 4}
	return forum.MeetingRecord{
		Meeting: m,
		Region:  "Region Jämtland Härjedalen",
		Items: []forum.AgendaItem{
			{ID: 1, MeetingID: 7, Position: 1, Title: "Mötets öppnande", Minutes: "Ordföranden öppnade mötet."},
			{ID: 2, MeetingID: 7, Position: 2, Title: "Vårdförlopp KOL", Description: "Förslag om införande.\n\nUnderlag bifogas.", Presenter: "Sara Samordnare", CaseID: 3,
				Minutes: "HSL beslutade att införa vårdförloppet.\nUppföljning i december."},
			{ID: 3, MeetingID: 7, Position: 3, Title: "Övrigt"},
		},
		Sheet: []forum.AttendanceLine{
			{PersonID: 1, Name: "Hanna Hälsodirektör", Role: "chair", Status: forum.Present},
			{PersonID: 2, Name: "Sigrid Sekreterare", Role: "secretary", Status: forum.Present},
			{PersonID: 3, Name: "Lena Ledning", Role: "member", Status: forum.Excused, Note: "sjuk"},
			{PersonID: 4, Name: "Olle Ombud", Role: "member"},
			{PersonID: 5, Name: "Gästa Gäst", Status: forum.Present},
		},
		Cases: map[int64]forum.AgendaCase{3: {ID: 3, Number: "2026/0003", Title: "Vårdförlopp KOL"}},
	}
}

func mtgTranslator(t *testing.T, loc i18n.Locale) func(string, ...any) string {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return func(key string, args ...any) string { return cat.T(loc, key, args...) }
}

func TestMeetingText_AgendaAndMinutesInSwedish(t *testing.T) {
	t.Parallel()
	tr := mtgTranslator(t, i18n.SV)
	rec := mtgRecord()
	tests := []struct {
		name string
		got  forum.MeetingText
		want string
	}{
		{"agenda", forum.AgendaText(rec, tr, i18n.SV), `Dagordning
HSL

Tid: 2026-03-12 13:00–15:30
Rubrik: Ordinarie möte
Plats: Regionens hus, sal 3
Länk till videomöte: https://möte.example.se/hsl

§ 1 Mötets öppnande

§ 2 Vårdförlopp KOL
Förslag om införande.
Underlag bifogas.
Föredragande: Sara Samordnare
Ärende: 2026/0003 Vårdförlopp KOL

§ 3 Övrigt
`},
		{"minutes", forum.MinutesText(rec, tr, i18n.SV), `Protokoll
HSL

Tid: 2026-03-12 13:00–15:30
Rubrik: Ordinarie möte
Plats: Regionens hus, sal 3
Länk till videomöte: https://möte.example.se/hsl
Närvarande: Hanna Hälsodirektör (ordförande); Sigrid Sekreterare (sekreterare); Gästa Gäst
Anmält förhinder: Lena Ledning (ledamot) – sjuk
Justerare: Lena Ledning

§ 1 Mötets öppnande
Ordföranden öppnade mötet.

§ 2 Vårdförlopp KOL
Ärende: 2026/0003 Vårdförlopp KOL
HSL beslutade att införa vårdförloppet.
Uppföljning i december.

§ 3 Övrigt
Inget protokollfört.

Protokollet justerades 2026-03-19 av Sigrid.

______________________
Hanna Hälsodirektör, Ordförande

______________________
Sigrid Sekreterare, Sekreterare

______________________
Lena Ledning, Justerare
`},
	}
	for _, tt := range tests {
		if got := tt.got.String(); got != tt.want {
			t.Errorf("%s:\n%s\nwant:\n%s", tt.name, got, tt.want)
		}
	}
}

func TestMeetingDocument_WritesDOCXAndPDFWithTheRegionsLayout(t *testing.T) {
	t.Parallel()
	tr := mtgTranslator(t, i18n.SV)
	rec := mtgRecord()
	d := forum.MeetingDocument(rec, forum.MinutesText(rec, tr, i18n.SV), tr, i18n.SV)
	if d.Organisation != "Region Jämtland Härjedalen" || d.Title != "Protokoll" || d.Subtitle != "HSL, 2026-03-12" || d.PageLabel != "Sida {page} av {pages}" {
		t.Errorf("document = %+v", d)
	}
	var headings, signers int
	for _, b := range d.Blocks {
		switch b := b.(type) {
		case doc.Heading:
			headings++
		case doc.Signatures:
			signers = len(b.Signers)
		}
	}
	if headings != 3 || signers != 3 {
		t.Errorf("%d headings and %d signers, want 3 and 3", headings, signers)
	}
	var docx, pdf bytes.Buffer
	if err := doc.WriteDOCX(&docx, d); err != nil {
		t.Fatal(err)
	}
	if err := doc.WritePDF(&pdf, d); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(docx.Bytes(), []byte("PK")) || !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF")) {
		t.Error("the writers did not write DOCX and PDF")
	}
}

func TestMeetingEvent_CalendarFileUpdatesTheSameEvent(t *testing.T) {
	t.Parallel()
	tr := mtgTranslator(t, i18n.SV)
	rec := mtgRecord()
	e := forum.MeetingEvent(rec, "https://kunskapsnav.example", "kunskapsnav.example", tr)
	var b bytes.Buffer
	if err := ical.Write(&b, ical.Calendar{Events: []ical.Event{e}}); err != nil {
		t.Fatal(err)
	}
	ics := strings.ReplaceAll(b.String(), "\r\n ", "")
	for _, want := range []string{"UID:meeting-7@kunskapsnav.example", "SEQUENCE:4", "DTSTART:20260312T120000Z", "DTEND:20260312T143000Z",
		"SUMMARY:HSL: Ordinarie möte", "LOCATION:Regionens hus\\, sal 3", "URL:https://kunskapsnav.example/moten/7"} {
		if !strings.Contains(ics, want) {
			t.Errorf("calendar file lacks %q:\n%s", want, ics)
		}
	}
	rec.Meeting.Status = forum.Cancelled
	if e := forum.MeetingEvent(rec, "", "", tr); e.Status != ical.Cancelled {
		t.Errorf("a cancelled meeting's event has status %q", e.Status)
	}
}
