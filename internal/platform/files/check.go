package files

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// DefaultLimit is the largest file accepted when no other limit is given: 20 MiB.
const DefaultLimit int64 = 20 << 20

// MaxNameLen is the longest file name kept, in characters; longer names are
// shortened before their extension.
const MaxNameLen = 200

// Field is the name of the input field that Check and Save report problems at.
const Field = "file"

// kind is one allowed type of file.
type kind struct {
	label       string // what a person calls it, for messages
	contentType string // the media type stored and served
}

// The allowed kinds, by the extension a file of the kind must have.
var (
	kindPDF  = kind{"PDF", "application/pdf"}
	kindDOCX = kind{"Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
	kindXLSX = kind{"Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
	kindPPTX = kind{"PowerPoint (PPTX)", "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
	kindODT  = kind{"OpenDocument Text (ODT)", "application/vnd.oasis.opendocument.text"}
	kindODS  = kind{"OpenDocument Spreadsheet (ODS)", "application/vnd.oasis.opendocument.spreadsheet"}
	kindODP  = kind{"OpenDocument Presentation (ODP)", "application/vnd.oasis.opendocument.presentation"}
	kindText = kind{"text", "text/plain"}
	kindCSV  = kind{"CSV", "text/csv"}
	kindPNG  = kind{"PNG", "image/png"}
	kindJPEG = kind{"JPEG", "image/jpeg"}

	byExtension = map[string]kind{
		".pdf": kindPDF, ".docx": kindDOCX, ".xlsx": kindXLSX, ".pptx": kindPPTX,
		".odt": kindODT, ".ods": kindODS, ".odp": kindODP, ".txt": kindText, ".csv": kindCSV,
		".png": kindPNG, ".jpg": kindJPEG, ".jpeg": kindJPEG,
	}
)

// Check tells whether a file may be uploaded and returns the media type to
// store it with. It refuses an empty file, one larger than limit bytes (zero
// or less means DefaultLimit), a type outside the allowlist (PDF, DOCX, XLSX,
// PPTX, ODT, ODS, ODP, plain text, CSV, PNG, JPEG) and a file whose content is
// not what its extension says. The problems are validation errors at Field.
func Check(name string, content []byte, limit int64) (contentType string, err error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	if len(content) == 0 {
		return "", errs.Invalidf(Field, "files.empty")
	}
	if int64(len(content)) > limit {
		return "", tooLarge(Field, limit)
	}
	want, ok := byExtension[strings.ToLower(path.Ext(CleanName(name)))]
	if !ok {
		return "", errs.Invalidf(Field, "files.type")
	}
	got, ok := sniff(content)
	if !ok {
		return "", errs.Invalidf(Field, "files.type")
	}
	if got == kindText && want == kindCSV {
		got = kindCSV // a CSV file is text; only its name tells them apart
	}
	if got != want {
		return "", errs.Invalidf(Field, "files.mismatch", "want", want.label, "got", got.label)
	}
	if got == kindText || got == kindCSV {
		if utf8.Valid(content) {
			return got.contentType + "; charset=utf-8", nil
		}
		return got.contentType, nil // most likely Windows-1252; let the reader's program guess
	}
	return got.contentType, nil
}

// tooLarge is the problem of a file over limit bytes, saying the limit in MB.
func tooLarge(field string, limit int64) error {
	return errs.Invalidf(field, "files.too_large", "max", megabytes(limit))
}

// megabytes is n bytes in MiB, whole when it is, else with one decimal.
func megabytes(n int64) any {
	if n%(1<<20) == 0 {
		return n >> 20
	}
	return float64(int64(float64(n)/(1<<20)*10+0.5)) / 10
}

// sniff decides the kind of a file from its content alone.
func sniff(content []byte) (kind, bool) {
	switch ct := http.DetectContentType(content); ct {
	case "application/pdf":
		return kindPDF, true
	case "image/png":
		return kindPNG, true
	case "image/jpeg":
		return kindJPEG, true
	case "application/zip":
		return sniffZip(content)
	case "text/plain; charset=utf-8":
		// DetectContentType looks at the first 512 bytes only.
		if isText(content) {
			return kindText, true
		}
	}
	return kind{}, false
}

// isText reports whether content has none of the control bytes that mark
// binary data (the set of the WHATWG MIME sniffing standard).
func isText(content []byte) bool {
	for _, b := range content {
		if b <= 0x08 || b == 0x0B || (0x0E <= b && b <= 0x1A) || (0x1C <= b && b <= 0x1F) {
			return false
		}
	}
	return true
}

// The main parts of the Office Open XML packages we accept, as named in
// [Content_Types].xml. Macro-enabled and template variants have other names.
var ooxmlMain = []struct {
	contentType string
	folder      string
	kind        kind
}{
	{"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", "word/", kindDOCX},
	{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "xl/", kindXLSX},
	{"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", "ppt/", kindPPTX},
}

// sniffZip tells an Office Open XML or OpenDocument file from another zip
// archive: OOXML by the main part in [Content_Types].xml and its folder,
// ODF by its "mimetype" entry.
func sniffZip(content []byte) (kind, bool) {
	zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		return kind{}, false
	}
	if len(zr.File) > 0 && zr.File[0].Name == "mimetype" {
		m, err := readEntry(zr.File[0], 128)
		if err != nil {
			return kind{}, false
		}
		switch strings.TrimSpace(string(m)) {
		case kindODT.contentType:
			return kindODT, true
		case kindODS.contentType:
			return kindODS, true
		case kindODP.contentType:
			return kindODP, true
		}
		return kind{}, false
	}
	var types []byte
	folders := map[string]bool{}
	for _, f := range zr.File {
		if f.Name == "[Content_Types].xml" {
			if types, err = readEntry(f, 1<<20); err != nil {
				return kind{}, false
			}
		}
		if top, _, ok := strings.Cut(f.Name, "/"); ok {
			folders[top+"/"] = true
		}
	}
	for _, m := range ooxmlMain {
		if folders[m.folder] && bytes.Contains(types, []byte(`"`+m.contentType+`"`)) {
			return m.kind, true
		}
	}
	return kind{}, false
}

// readEntry reads a zip entry of at most max bytes; a longer entry is an error,
// so a crafted archive cannot make us inflate much.
func readEntry(f *zip.File, max int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, errs.ErrTooLarge
	}
	return b, nil
}

// CleanName makes an uploaded file name safe to store and show: the base name
// only (browsers may send a whole Windows path), valid UTF-8 in NFC, no
// control or bidirectional formatting characters, spaces trimmed, at most
// MaxNameLen characters (shortened before the extension).
func CleanName(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\uFEFF' {
			return -1
		}
		return r
	}, norm.NFC.String(name))
	name = strings.TrimSpace(name)
	if name == "." || name == ".." {
		return ""
	}
	if utf8.RuneCountInString(name) <= MaxNameLen {
		return name
	}
	ext := path.Ext(name)
	if utf8.RuneCountInString(ext) > 16 {
		ext = ""
	}
	stem := []rune(strings.TrimSuffix(name, ext))
	return strings.TrimSpace(string(stem[:MaxNameLen-utf8.RuneCountInString(ext)])) + ext
}
