package doc_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
)

// envSkipOffice set to 1 makes the office tests skip when LibreOffice or
// poppler's tools are missing. Without it a missing tool fails the test.
const envSkipOffice = "KUNSKAPSNAV_SKIP_OFFICE"

// requireOffice returns the paths of soffice, pdftotext and pdfinfo. When one
// is missing it skips the test if KUNSKAPSNAV_SKIP_OFFICE=1, and fails it
// otherwise.
func requireOffice(t *testing.T) (soffice, pdftotext, pdfinfo string) {
	t.Helper()
	var missing []string
	find := func(names ...string) string {
		for _, n := range names {
			if p, err := exec.LookPath(n); err == nil {
				return p
			}
		}
		missing = append(missing, names[0])
		return ""
	}
	soffice, pdftotext, pdfinfo = find("soffice", "libreoffice"), find("pdftotext"), find("pdfinfo")
	if len(missing) == 0 {
		return soffice, pdftotext, pdfinfo
	}
	if os.Getenv(envSkipOffice) == "1" {
		t.Skipf("office test skipped (%s=1): missing %s", envSkipOffice, strings.Join(missing, ", "))
	}
	t.Fatalf("office test needs %s.\n"+
		"Run ./scripts/test, which installs the Debian packages libreoffice-writer-nogui and poppler-utils, "+
		"or install them with: apt-get install libreoffice-writer-nogui poppler-utils\n"+
		"(set %s=1 to skip the office tests instead)", strings.Join(missing, ", "), envSkipOffice)
	return "", "", ""
}

// TestOffice_LibreOfficeAndPopplerReadTheDocuments converts our DOCX files to
// PDF with LibreOffice (one soffice run for all, as it is slow to start) and
// reads them and our own PDFs with poppler: the Swedish text, the page
// numbers and the number of pages must all come through.
func TestOffice_LibreOfficeAndPopplerReadTheDocuments(t *testing.T) {
	t.Parallel()
	soffice, pdftotext, pdfinfo := requireOffice(t)
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
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// A profile of its own, so parallel test runs do not share (and lock) one.
	args := append([]string{"--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
		"-env:UserInstallation=file://" + filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", out}, docxFiles...)
	cmd := exec.CommandContext(ctx, soffice, args...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice --convert-to pdf: %v\n%s", err, b)
	}

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
				pages := pdfPages(t, pdfinfo, pdf)
				text := run(t, pdftotext, "-enc", "UTF-8", pdf, "-")
				text = strings.ReplaceAll(text, "\u00a0", " ")
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

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	b, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v", filepath.Base(name), strings.Join(args, " "), err)
	}
	return string(b)
}

var pagesLine = regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`)

// pdfPages checks with pdfinfo that path is a valid A4 PDF and returns its
// number of pages.
func pdfPages(t *testing.T, pdfinfo, path string) int {
	t.Helper()
	info := run(t, pdfinfo, path)
	m := pagesLine.FindStringSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo %s shows no pages:\n%s", path, info)
	}
	if !strings.Contains(info, "(A4)") {
		t.Errorf("%s is not A4:\n%s", path, info)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}
