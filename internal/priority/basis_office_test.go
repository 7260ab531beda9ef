package priority_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
	dir := t.TempDir()
	var docx, pdf bytes.Buffer
	if err := doc.WriteDOCX(&docx, d); err != nil {
		t.Fatal(err)
	}
	if err := doc.WritePDF(&pdf, d); err != nil {
		t.Fatal(err)
	}
	docxPath := filepath.Join(dir, "beslutsunderlag.docx")
	for path, b := range map[string][]byte{docxPath: docx.Bytes(), filepath.Join(dir, "beslutsunderlag.pdf"): pdf.Bytes()} {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "libreoffice")
	office.ConvertToPDF(t, dir, out, docxPath)

	want := []string{"Kunskapsstyrning – prioritering av kunskapsstöd", "Beslutsunderlag", "Prioritering av kunskapsstöd 2027",
		"2026/0042", "Sammanfattning", "LPO Alfa (4 av 5 klara)", "Skala: 1–5", "Matris: viktighet och genomförbarhet",
		"Inför:", "Förbered:", "Överväg:", "Avvakta:", "Vårdförlopp KOL", "4,5 ± 0,7", "Rangordning", "2 (delad)",
		"Förslag till ordning och tidsplan", "2027-09-01", "Efter sommaren", "Gruppernas kommentarer",
		"LPO Alfa: Stor patientnytta", "LPO Beta: Resurser finns i primärvården", "Inga kommentarer."}
	for _, from := range []string{"own", "libreoffice"} {
		path := filepath.Join(dir, "beslutsunderlag.pdf")
		if from == "libreoffice" {
			path = filepath.Join(out, "beslutsunderlag.pdf")
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
