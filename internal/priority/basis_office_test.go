package priority_test

import (
	"bytes"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/officetest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/priority"
)

// TestBasisDocuments_OpenInLibreOffice writes the decision basis as DOCX and
// PDF, converts the DOCX to PDF with LibreOffice and reads both PDFs with
// poppler: each must open, be A4 and carry the summary, the quadrants, the
// ranking with its shared place, the proposal and the groups' comments. The
// document does not depend on the database engine, so it is built from the
// basis fixture.
func TestBasisDocuments_OpenInLibreOffice(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("office test")
	}
	office := officetest.Require(t)
	texts := must(i18n.Load())(t)
	tr := func(key string, args ...any) string { return texts.T(i18n.SV, key, args...) }
	d := priority.BasisDocument(basisFixture(), tr, i18n.SV)
	var docx, pdf bytes.Buffer
	if err := doc.WriteDOCX(&docx, d); err != nil {
		t.Fatal(err)
	}
	if err := doc.WritePDF(&pdf, d); err != nil {
		t.Fatal(err)
	}
	want := []string{"Kunskapsstyrning – prioritering av kunskapsstöd", "Beslutsunderlag", "Prioritering av kunskapsstöd 2027",
		"2026/0042", "Sammanfattning", "LPO Alfa (4 av 5 klara)", "Skala: 1–5", "Matris: viktighet och genomförbarhet",
		"Inför:", "Förbered:", "Överväg:", "Avvakta:", "Vårdförlopp KOL", "4,5 ± 0,7", "Rangordning", "2 (delad)",
		"Förslag till ordning och tidsplan", "2027-09-01", "Efter sommaren", "Gruppernas kommentarer",
		"LPO Alfa: Stor patientnytta", "LPO Beta: Resurser finns i primärvården", "Inga kommentarer."}
	office.CheckDocuments(t, t.TempDir(), officetest.Document{Name: "beslutsunderlag", DOCX: docx.Bytes(), PDF: pdf.Bytes(), Want: want})
}
