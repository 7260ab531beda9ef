package files_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/files"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// zipOf builds a zip archive of the entries, in order, as name, content pairs.
func zipOf(t testing.TB, entries ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(entries); i += 2 {
		method := zip.Deflate
		if entries[i] == "mimetype" {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: entries[i], Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(entries[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func ooxml(t testing.TB, mainType, mainPart string) []byte {
	return zipOf(t,
		"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
			`<Override PartName="/`+mainPart+`" ContentType="`+mainType+`"/></Types>`,
		"_rels/.rels", `<Relationships/>`,
		mainPart, `<x/>`)
}

func odf(t testing.TB, mimetype string) []byte {
	return zipOf(t, "mimetype", mimetype, "content.xml", `<office:document-content/>`, "META-INF/manifest.xml", `<manifest/>`)
}

// samples are small files of every allowed type.
func samples(t testing.TB) map[string][]byte {
	return map[string][]byte{
		"pdf":  []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"),
		"docx": ooxml(t, "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", "word/document.xml"),
		"docm": ooxml(t, "application/vnd.ms-word.document.macroEnabled.main+xml", "word/document.xml"),
		"xlsx": ooxml(t, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "xl/workbook.xml"),
		"pptx": ooxml(t, "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", "ppt/presentation.xml"),
		"odt":  odf(t, "application/vnd.oasis.opendocument.text"),
		"ods":  odf(t, "application/vnd.oasis.opendocument.spreadsheet"),
		"odp":  odf(t, "application/vnd.oasis.opendocument.presentation"),
		"odg":  odf(t, "application/vnd.oasis.opendocument.graphics"),
		"zip":  zipOf(t, "readme.txt", "hej"),
		"txt":  []byte("Dagordning för mötet\r\n1. Öppnande – välkommen\n"),
		"1252": []byte("M\xf6te i \xc5re\n"),
		"csv":  []byte("kommun;svar\nÅre;ja\nÖstersund;nej\n"),
		"png":  []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"),
		"jpeg": []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"),
		"html": []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"),
		"exe":  []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"),
		"bin":  append(bytes.Repeat([]byte("text "), 200), 0, 1, 2),
	}
}

func TestCheck_AllowsOnlyListedTypesThatMatchTheirName(t *testing.T) {
	t.Parallel()
	s := samples(t)
	tests := []struct {
		name    string
		file    string
		content []byte
		want    string // content type, or the catalogue key of the problem
	}{
		{"pdf", "Underlag.pdf", s["pdf"], "application/pdf"},
		{"upper-case extension", "UNDERLAG.PDF", s["pdf"], "application/pdf"},
		{"docx", "Protokoll 2026-11-23.docx", s["docx"], "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"xlsx", "Svar.xlsx", s["xlsx"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"pptx", "Bilder.pptx", s["pptx"], "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
		{"odt", "Text.odt", s["odt"], "application/vnd.oasis.opendocument.text"},
		{"ods", "Kalkyl.ods", s["ods"], "application/vnd.oasis.opendocument.spreadsheet"},
		{"odp", "Bilder.odp", s["odp"], "application/vnd.oasis.opendocument.presentation"},
		{"utf-8 text", "Anteckningar.txt", s["txt"], "text/plain; charset=utf-8"},
		{"windows-1252 text has no charset", "Anteckningar.txt", s["1252"], "text/plain"},
		{"csv", "Svar.csv", s["csv"], "text/csv; charset=utf-8"},
		{"png", "Bild.png", s["png"], "image/png"},
		{"jpg", "Foto.jpg", s["jpeg"], "image/jpeg"},
		{"jpeg", "Foto.jpeg", s["jpeg"], "image/jpeg"},
		{"path is dropped", `C:\Users\anna\Underlag.pdf`, s["pdf"], "application/pdf"},

		{"empty", "Tom.pdf", nil, "files.empty"},
		{"pdf named docx", "Underlag.docx", s["pdf"], "files.mismatch"},
		{"docx named xlsx", "Svar.xlsx", s["docx"], "files.mismatch"},
		{"xlsx named csv", "Svar.csv", s["xlsx"], "files.mismatch"},
		{"png named jpg", "Bild.jpg", s["png"], "files.mismatch"},
		{"text named pdf", "Underlag.pdf", s["txt"], "files.mismatch"},
		{"macro-enabled document named docx", "Makro.docx", s["docm"], "files.type"},
		{"odf drawing named odt", "Ritning.odt", s["odg"], "files.type"},
		{"plain zip named docx", "Arkiv.docx", s["zip"], "files.type"},
		{"zip", "Arkiv.zip", s["zip"], "files.type"},
		{"html named txt", "Sida.txt", s["html"], "files.type"},
		{"program named pdf", "Underlag.pdf", s["exe"], "files.type"},
		{"binary after the first 512 bytes", "Text.txt", s["bin"], "files.type"},
		{"no extension", "Underlag", s["pdf"], "files.type"},
		{"other extension", "Underlag.exe", s["pdf"], "files.type"},
		{"no name", "", s["pdf"], "files.type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := files.Check(tt.file, tt.content, 0)
			if err != nil {
				got = problemKey(t, err, files.Field)
			}
			if got != tt.want {
				t.Errorf("Check(%q) = %q, %v; want %q", tt.file, got, err, tt.want)
			}
		})
	}
}

// problemKey returns the catalogue key of the only problem of err, which must
// be at field.
func problemKey(t *testing.T, err error, field string) string {
	t.Helper()
	v, ok := errs.AsValidation(err)
	if !ok || len(v.Fields) != 1 || v.Fields[0].Name != field {
		t.Fatalf("error %v is not one problem at %q", err, field)
	}
	return v.Fields[0].Key
}

func TestCheck_TooLargeSaysTheLimitInMegabytes(t *testing.T) {
	t.Parallel()
	pdf := samples(t)["pdf"]
	tests := []struct {
		limit   int64
		content []byte
		want    any
	}{
		{0, append(bytes.Clone(pdf), make([]byte, files.DefaultLimit)...), int64(20)},
		{2 << 20, append(bytes.Clone(pdf), make([]byte, 2<<20)...), int64(2)},
		{40, pdf, 0.0},
		{3 << 19, append(bytes.Clone(pdf), make([]byte, 3<<19)...), 1.5},
	}
	for _, tt := range tests {
		_, err := files.Check("Stor.pdf", tt.content, tt.limit)
		v, ok := errs.AsValidation(err)
		if !ok || v.Fields[0].Key != "files.too_large" {
			t.Fatalf("limit %d: got %v, want files.too_large", tt.limit, err)
		}
		if diff := cmp.Diff([]any{"max", tt.want}, v.Fields[0].Args); diff != "" {
			t.Errorf("limit %d: args (-want +got):\n%s", tt.limit, diff)
		}
	}
	if _, err := files.Check("Lagom.pdf", pdf, int64(len(pdf))); err != nil {
		t.Errorf("a file of exactly the limit: %v", err)
	}
}

func TestCleanName_KeepsABaseNameSafeToShow(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("å", 300)
	tests := []struct{ in, want string }{
		{"Protokoll.pdf", "Protokoll.pdf"},
		{`C:\Users\anna\Protokoll.pdf`, "Protokoll.pdf"},
		{"../../etc/passwd", "passwd"},
		{"  Möte\t1\n.pdf  ", "Möte1.pdf"},
		{"faktura\u202Efdp.exe", "fakturafdp.exe"}, // a right-to-left override would show "exe.pdf"
		{"A\u030Angström.pdf", "Ångström.pdf"},     // NFD from macOS becomes NFC
		{"bad\xffname.txt", "badname.txt"},
		{"..", ""},
		{"dir/", ""},
		{long + ".pdf", strings.Repeat("å", 196) + ".pdf"},
		{long, strings.Repeat("å", 200)},
	}
	for _, tt := range tests {
		if got := files.CleanName(tt.in); got != tt.want {
			t.Errorf("CleanName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStore_SaveGetOpen(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 10, 15, 30, 0, time.FixedZone("CET", 3600))
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var user int64
		err := d.QueryRowContext(ctx, `INSERT INTO users (username, display_name, password_hash, created_at, updated_at, password_changed_at)
			VALUES ('sekr', 'Sekreterare', 'x', ?, ?, ?) RETURNING id`, now, now, now).Scan(&user)
		if err != nil {
			t.Fatal(err)
		}
		content := []byte("Dagordning\nPunkt 1: Öppnande\n")
		h := sha256.Sum256(content)
		sum := hex.EncodeToString(h[:])
		tests := []struct {
			name   string
			save   func() (files.File, error)
			wantBy int64
		}{
			{"by a user", func() (files.File, error) {
				return files.Save(ctx, d, "  Dagordning.txt", content, user, now)
			}, user},
			{"by nobody", func() (files.File, error) {
				return files.Store{Limit: 1 << 10}.Save(ctx, d, "Dagordning.txt", content, 0, now)
			}, 0},
		}
		for _, tt := range tests {
			saved, err := tt.save()
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			want := files.File{
				ID: saved.ID, Name: "Dagordning.txt", ContentType: "text/plain; charset=utf-8", Size: int64(len(content)),
				SHA256: sum, UploadedBy: tt.wantBy, UploadedAt: now.UTC(),
			}
			if diff := cmp.Diff(want, saved); diff != "" {
				t.Errorf("%s: saved (-want +got):\n%s", tt.name, diff)
			}
			got, err := files.Get(ctx, d, saved.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: Get (-want +got):\n%s", tt.name, diff)
			}
			got, b, err := files.Open(ctx, d, saved.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" || !bytes.Equal(b, content) {
				t.Errorf("%s: Open = %q (-want +got):\n%s", tt.name, b, diff)
			}
		}
		if _, err := files.Get(ctx, d, 999); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("Get(999) = %v, want not found", err)
		}
		if _, _, err := files.Open(ctx, d, 999); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("Open(999) = %v, want not found", err)
		}
		if _, err := (files.Store{Limit: 10}).Save(ctx, d, "Dagordning.txt", content, 0, now); problemKey(t, err, "file") != "files.too_large" {
			t.Errorf("over the store's limit: %v", err)
		}
	})
}

func TestSave_HashIsSHA256OfTheBytes(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t, db.SQLite)
	f, err := files.Save(context.Background(), d, "a.txt", []byte("abc"), 0, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	const want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" // FIPS 180-2 example
	if f.SHA256 != want || f.Size != 3 {
		t.Errorf("hash %s size %d, want %s 3", f.SHA256, f.Size, want)
	}
}
