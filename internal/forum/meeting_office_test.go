package forum_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
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
	dir := t.TempDir()
	var docxFiles []string
	for _, name := range []string{"dagordning.docx", "dagordning.pdf", "protokoll.docx", "protokoll.pdf"} {
		res, body := s.get(t, rut, fmt.Sprintf("/moten/%d/%s", id, name))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", name, res.StatusCode)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".docx") {
			docxFiles = append(docxFiles, path)
		}
	}

	out := filepath.Join(dir, "libreoffice")
	office.ConvertToPDF(t, dir, out, docxFiles...)

	items := []string{"§ 1 Vårdförlopp KOL i primärvården", "§ 2 Prioritering av läkemedel för hjärtsvikt", "§ 3 Övriga frågor"}
	want := map[string][]string{
		"dagordning": append([]string{"Dagordning", "HSL, 2026-12-10", "Regionens hus, sal Åre", "Ordinarie möte om vårdförlopp",
			"Förslag om införande från kunskapsstyrningsrådet.", "Föredragande: Sigrid Sekreterare", "Sida 1 av 1"}, items...),
		"protokoll": append([]string{"Protokoll", "HSL, 2026-12-10", "Närvarande", "Hanna Hälsodirektör (ordförande)", "Anmält förhinder",
			"Lena Ledning (ledamot) – sjuk", "HSL ställde sig bakom förslaget.", "Uppföljning sker i maj för att se hur införandet går.",
			"Ärendet återremitterades för ytterligare beredning.", "Inga övriga frågor väcktes; mötet avslutades kl. 14.55.",
			"Protokollet justerades 2026-11-23 av Sigrid.", "Underskrifter", "Justerare"}, items...),
	}
	for _, kind := range []string{"dagordning", "protokoll"} {
		for _, from := range []string{"own", "libreoffice"} {
			pdf := filepath.Join(dir, kind+".pdf")
			if from == "libreoffice" {
				pdf = filepath.Join(out, kind+".pdf")
			}
			t.Run(kind+"/"+from, func(t *testing.T) {
				pages := office.Pages(t, pdf)
				text := office.Text(t, pdf)
				flat := strings.Join(strings.Fields(text), " ")
				for _, w := range want[kind] {
					if !strings.Contains(flat, w) {
						t.Errorf("the text of %s (%s) lacks %q:\n%s", filepath.Base(pdf), from, w, text)
					}
				}
				if last := fmt.Sprintf("Sida %d av %d", pages, pages); !strings.Contains(flat, last) {
					t.Errorf("%s (%s) lacks the page number %q", filepath.Base(pdf), from, last)
				}
			})
		}
	}
}
