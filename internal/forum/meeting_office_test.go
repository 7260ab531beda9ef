package forum_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/officetest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// officeMeeting holds an approved HSL meeting with three agenda items,
// minutes, attendance and Swedish text throughout, and returns its id.
func officeMeeting(t *testing.T, s *mtgSite) int64 {
	t.Helper()
	sigrid := s.as("sigrid")
	m := mtgMeeting(s.hsl.ID)
	m.Title, m.Place, m.Adjusters = "Ordinarie möte om vårdförlopp", "Regionens hus, sal Åre", "Lena Ledning"
	m = mtgMust(s.svc.CreateMeeting(sigrid, m))(t)
	for _, it := range []forum.AgendaItem{
		{Title: "Vårdförlopp KOL i primärvården", Presenter: "Sigrid Sekreterare", Description: "Förslag om införande från kunskapsstyrningsrådet.",
			Minutes: "HSL ställde sig bakom förslaget.\nUppföljning sker i maj för att se hur införandet går."},
		{Title: "Prioritering av läkemedel för hjärtsvikt", Minutes: "Ärendet återremitterades för ytterligare beredning."},
		{Title: "Övriga frågor", Minutes: "Inga övriga frågor väcktes; mötet avslutades kl. 14.55."},
	} {
		it.MeetingID = m.ID
		mtgMust(s.svc.AddAgendaItem(sigrid, it))(t)
	}
	m = mtgMust(s.svc.SetAttendance(sigrid, m.ID, m.Version, []forum.Attendance{
		{PersonID: s.people["Hanna Hälsodirektör"], Status: forum.Present},
		{PersonID: s.people["Sigrid Sekreterare"], Status: forum.Present},
		{PersonID: s.people["Lena Ledning"], Status: forum.Excused, Note: "sjuk"},
		{PersonID: s.people["Gästa Gäst"], Status: forum.Present, Note: "föredragande"},
	}))(t)
	m.Status = forum.Held
	m = mtgMust(s.svc.UpdateMeeting(sigrid, m))(t)
	mtgMust(s.svc.ApproveMinutes(sigrid, m.ID, m.Version))(t)
	return m.ID
}

// TestMeetingDocuments_OpenInLibreOffice downloads an approved meeting's
// agenda and minutes as DOCX and PDF from the meeting pages, converts the
// DOCX files to PDF with LibreOffice (one soffice run for both, as it is slow
// to start) and reads all four PDFs with poppler: each must open, be A4 and
// carry the Swedish headings, item titles and minutes. SQLite only: the
// documents do not depend on the engine, and the test is slow.
func TestMeetingDocuments_OpenInLibreOffice(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("office test")
	}
	office := officetest.Require(t)
	s := newMtgSite(t, dbtest.Open(t, db.SQLite))
	id := officeMeeting(t, s)
	rut := s.login(t, "rut")
	files := map[string][]byte{}
	for _, name := range []string{"dagordning.docx", "dagordning.pdf", "protokoll.docx", "protokoll.pdf"} {
		res, body := s.get(t, rut, fmt.Sprintf("/moten/%d/%s", id, name))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", name, res.StatusCode)
		}
		files[name] = []byte(body)
	}
	items := []string{"§ 1 Vårdförlopp KOL i primärvården", "§ 2 Prioritering av läkemedel för hjärtsvikt", "§ 3 Övriga frågor"}
	office.CheckDocuments(t, t.TempDir(),
		officetest.Document{Name: "dagordning", DOCX: files["dagordning.docx"], PDF: files["dagordning.pdf"],
			Want: append([]string{"Dagordning", "HSL, 2026-12-10", "Regionens hus, sal Åre", "Ordinarie möte om vårdförlopp",
				"Förslag om införande från kunskapsstyrningsrådet.", "Föredragande: Sigrid Sekreterare", "Sida 1 av 1"}, items...)},
		officetest.Document{Name: "protokoll", DOCX: files["protokoll.docx"], PDF: files["protokoll.pdf"],
			Want: append([]string{"Protokoll", "HSL, 2026-12-10", "Närvarande", "Hanna Hälsodirektör (ordförande)", "Anmält förhinder",
				"Lena Ledning (ledamot) – sjuk", "HSL ställde sig bakom förslaget.", "Uppföljning sker i maj för att se hur införandet går.",
				"Ärendet återremitterades för ytterligare beredning.", "Inga övriga frågor väcktes; mötet avslutades kl. 14.55.",
				"Protokollet justerades 2026-11-23 av Sigrid.", "Underskrifter", "Justerare"}, items...)})
}
