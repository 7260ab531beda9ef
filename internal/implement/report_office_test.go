package implement_test

import (
	"bytes"
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
	var docx, pdf bytes.Buffer
	if err := doc.WriteDOCX(&docx, d); err != nil {
		t.Fatal(err)
	}
	if err := doc.WritePDF(&pdf, d); err != nil {
		t.Fatal(err)
	}
	want := []string{"Kunskapsstyrning – införande av kunskapsstöd", "Införanderapport", "Vårdförlopp Testsjukdom",
		"Sammanfattning", "Införandet går enligt plan; åtgärderna för överföring är påbörjade.", "Skriven av Lena Lead (2026-11-16).",
		"Gapanalys", "Erbjud strukturerad uppföljning", "Fördjupade analyser", "Svar på displaced",
		"Handlingsplan och tidslinje", "Ta fram lokal rutin", "Påbörjad – försenad", "Åtgärder per månad", "2026-12",
		"Kommunikationsplan", "Arbetsplatsträff", "Checklista inför beslut om infört", "Undantagen: Förankrat",
		"Kopplade ärenden och beslut", "2026/0007", "Hälso- och sjukvårdsledningen"}
	office.CheckDocuments(t, t.TempDir(), officetest.Document{Name: "rapport", DOCX: docx.Bytes(), PDF: pdf.Bytes(), Want: want})
}
