package doc_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/officetest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
)

// TestOffice_LibreOfficeAndPopplerReadTheDocuments converts our DOCX files to
// PDF with LibreOffice (one soffice run for all, as it is slow to start) and
// reads them and our own PDFs with poppler: the Swedish text, the page
// numbers and the number of pages must all come through.
func TestOffice_LibreOfficeAndPopplerReadTheDocuments(t *testing.T) {
	t.Parallel()
	office := officetest.Require(t)
	dir := t.TempDir()
	docs := map[string]doc.Document{"agenda": agenda(), "minutes": minutes()}
	var docxFiles []string
	for name, d := range docs {
		docxPath := filepath.Join(dir, name+".docx")
		if err := os.WriteFile(docxPath, writeDOCX(t, d), 0o644); err != nil {
			t.Fatal(err)
		}
		docxFiles = append(docxFiles, docxPath)
		if err := os.WriteFile(filepath.Join(dir, name+".own.pdf"), writePDF(t, d), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	out := filepath.Join(dir, "converted")
	office.ConvertToPDF(t, dir, out, docxFiles...)

	sharedText := map[string][]string{
		"agenda":  {"Dagordning", "Region Jämtland Härjedalen – Hälso- och sjukvårdsförvaltningen", "3. Införande av vård- och insatsprogram för depression", "Plats", "Teams-länk i kallelsen", "att följa upp införandet efter ett år – i december 2027", "Sida 1 av 1"},
		"minutes": {"Protokoll", "Samverkansforum region–kommun", "§ 12 Svar från kommunerna <utkast> & \"citat\"", "Rad två med <b>taggar</b> & ' apostrof.", "Tabell 1. Svar per kommun", "Östersund", "Émilie Dufour", "5 780 000 kr", "Justerare", "Sida 1 av"},
	}
	for name := range docs {
		for _, kind := range []string{"libreoffice", "own"} {
			pdf := filepath.Join(out, name+".pdf")
			if kind == "own" {
				pdf = filepath.Join(dir, name+".own.pdf")
			}
			t.Run(name+"/"+kind, func(t *testing.T) {
				pages := office.Pages(t, pdf)
				text := office.Text(t, pdf)
				for _, want := range sharedText[name] {
					if !strings.Contains(text, want) {
						t.Errorf("the text of %s lacks %q:\n%s", filepath.Base(pdf), want, text)
					}
				}
				if name == "minutes" && pages < 3 {
					t.Errorf("%s has %d pages, want the long table to break over at least 3", filepath.Base(pdf), pages)
				}
				if last := fmt.Sprintf("Sida %d av %d", pages, pages); !strings.Contains(text, last) {
					t.Errorf("%s lacks the page number %q", filepath.Base(pdf), last)
				}
			})
		}
	}
}
