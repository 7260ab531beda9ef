package implement_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/officetest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// TestReportDocuments_OpenInLibreOffice writes the fixture's report as DOCX
// and PDF, converts the DOCX to PDF with LibreOffice and reads both PDFs
// with poppler: each must open and carry every section with its Swedish
// characters, the actions by month and the page numbers. The document does
// not depend on the engine, so it is built on SQLite.
func TestReportDocuments_OpenInLibreOffice(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("office test")
	}
	office := officetest.Require(t)
	e := newEnv(t, dbtest.Open(t, db.SQLite))
	m := e.reportFixture(t)
	must(e.svc.SaveSummary(e.leadCtx, m.ID, implement.SummaryInput{Action: implement.SummarySave,
		Text: "Införandet går enligt plan; åtgärderna för överföring är påbörjade.", Version: m.Version}))(t)
	d := implement.ReportDocument(must(e.svc.Report(e.coordinator, m.ID))(t), e.reportTrOf(i18n.SV), i18n.SV)
	dir := t.TempDir()
	var docx, pdf bytes.Buffer
	if err := doc.WriteDOCX(&docx, d); err != nil {
		t.Fatal(err)
	}
	if err := doc.WritePDF(&pdf, d); err != nil {
		t.Fatal(err)
	}
	docxPath := filepath.Join(dir, "rapport.docx")
	for path, b := range map[string][]byte{docxPath: docx.Bytes(), filepath.Join(dir, "rapport.pdf"): pdf.Bytes()} {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "libreoffice")
	office.ConvertToPDF(t, dir, out, docxPath)
	want := []string{"Kunskapsstyrning – införande av kunskapsstöd", "Införanderapport", "Vårdförlopp Testsjukdom",
		"Sammanfattning", "Införandet går enligt plan; åtgärderna för överföring är påbörjade.", "Skriven av Lena Lead (2026-11-16).",
		"Gapanalys", "Erbjud strukturerad uppföljning", "Fördjupade analyser", "Svar på displaced",
		"Handlingsplan och tidslinje", "Ta fram lokal rutin", "Påbörjad – försenad", "Åtgärder per månad", "2026-12",
		"Kommunikationsplan", "Arbetsplatsträff", "Checklista inför beslut om infört", "Undantagen: Förankrat",
		"Kopplade ärenden och beslut", "2026/0007", "Hälso- och sjukvårdsledningen"}
	for _, from := range []string{"own", "libreoffice"} {
		path := filepath.Join(dir, "rapport.pdf")
		if from == "libreoffice" {
			path = filepath.Join(out, "rapport.pdf")
		}
		t.Run(from, func(t *testing.T) {
			pages := office.Pages(t, path)
			text := office.Text(t, path)
			flat := strings.Join(strings.Fields(text), " ")
			for _, w := range want {
				if !strings.Contains(flat, w) {
					t.Errorf("the text of %s lacks %q:\n%s", from, w, text)
				}
			}
			if last := fmt.Sprintf("Sida %d av %d", pages, pages); !strings.Contains(flat, last) {
				t.Errorf("%s lacks the page number %q", from, last)
			}
		})
	}
}
