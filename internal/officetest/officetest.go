// Package officetest opens generated documents in LibreOffice and poppler
// for tests: it finds the tools, converts DOCX files to PDF and reads a PDF's
// text and number of pages.
//
// A machine without soffice, pdftotext or pdfinfo fails the test, unless
// KUNSKAPSNAV_SKIP_OFFICE=1 is set, which skips it. ./scripts/test installs
// the Debian packages libreoffice-writer-nogui and poppler-utils.
package officetest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// EnvSkip set to 1 makes the office tests skip when a tool is missing.
const EnvSkip = "KUNSKAPSNAV_SKIP_OFFICE"

// Tools holds the paths of LibreOffice and poppler's tools.
type Tools struct {
	Soffice, PDFToText, PDFInfo string
}

// Require returns the paths of soffice, pdftotext and pdfinfo. When one is
// missing it skips the test if KUNSKAPSNAV_SKIP_OFFICE=1, and fails it
// otherwise, saying what to install.
func Require(t testing.TB) Tools {
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
	tools := Tools{Soffice: find("soffice", "libreoffice"), PDFToText: find("pdftotext"), PDFInfo: find("pdfinfo")}
	if len(missing) == 0 {
		return tools
	}
	if os.Getenv(EnvSkip) == "1" {
		t.Skipf("office test skipped (%s=1): missing %s", EnvSkip, strings.Join(missing, ", "))
	}
	t.Fatalf("office test needs %s.\n"+
		"Run ./scripts/test, which installs the Debian packages libreoffice-writer-nogui and poppler-utils, "+
		"or install them with: apt-get install libreoffice-writer-nogui poppler-utils\n"+
		"(set %s=1 to skip the office tests instead)", strings.Join(missing, ", "), EnvSkip)
	return Tools{}
}

// ConvertToPDF converts the DOCX files to PDF with LibreOffice into the
// folder out, in one soffice run (it is slow to start), with a profile and a
// home of its own in dir so parallel test runs do not share (and lock) one.
// The PDF of a.docx is out/a.pdf.
func (o Tools) ConvertToPDF(t testing.TB, dir, out string, docxFiles ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	args := append([]string{"--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
		"-env:UserInstallation=file://" + filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", out}, docxFiles...)
	cmd := exec.CommandContext(ctx, o.Soffice, args...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice --convert-to pdf: %v\n%s", err, b)
	}
}

// Text returns the text of the PDF at path as pdftotext reads it, with
// non-breaking spaces as plain spaces.
func (o Tools) Text(t testing.TB, path string) string {
	t.Helper()
	return strings.ReplaceAll(run(t, o.PDFToText, "-enc", "UTF-8", path, "-"), "\u00a0", " ")
}

var pagesLine = regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`)

// Pages checks with pdfinfo that path is a PDF that opens and is A4, and
// returns its number of pages.
func (o Tools) Pages(t testing.TB, path string) int {
	t.Helper()
	info := run(t, o.PDFInfo, path)
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

func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	b, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v", filepath.Base(name), strings.Join(args, " "), err)
	}
	return string(b)
}

// Document is one generated document: its name without extension (the
// files are name.docx and name.pdf) and the texts its PDF must contain.
type Document struct {
	Name      string
	DOCX, PDF []byte
	Want      []string
}

// CheckDocuments writes each document's DOCX and PDF to dir, converts the
// DOCX files to PDF with LibreOffice (one run), and checks in a subtest per
// document and source ("own" PDF, "libreoffice" from the DOCX) that the text
// holds every wanted text and the last page's number ("Sida N av N").
func (o Tools) CheckDocuments(t *testing.T, dir string, docs ...Document) {
	t.Helper()
	var docxFiles []string
	for _, d := range docs {
		docx := filepath.Join(dir, d.Name+".docx")
		for path, b := range map[string][]byte{docx: d.DOCX, filepath.Join(dir, d.Name+".pdf"): d.PDF} {
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		docxFiles = append(docxFiles, docx)
	}
	out := filepath.Join(dir, "libreoffice")
	o.ConvertToPDF(t, dir, out, docxFiles...)
	for _, d := range docs {
		for _, from := range []string{"own", "libreoffice"} {
			pdf := filepath.Join(dir, d.Name+".pdf")
			if from == "libreoffice" {
				pdf = filepath.Join(out, d.Name+".pdf")
			}
			t.Run(d.Name+"/"+from, func(t *testing.T) {
				pages := o.Pages(t, pdf)
				text := o.Text(t, pdf)
				flat := strings.Join(strings.Fields(text), " ")
				for _, w := range d.Want {
					if !strings.Contains(flat, w) {
						t.Errorf("the text of %s (%s) lacks %q:\n%s", filepath.Base(pdf), from, w, text)
					}
				}
				if last := "Sida " + strconv.Itoa(pages) + " av " + strconv.Itoa(pages); !strings.Contains(flat, last) {
					t.Errorf("%s (%s) lacks the page number %q", filepath.Base(pdf), from, last)
				}
			})
		}
	}
}
