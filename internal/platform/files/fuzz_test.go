package files_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/files"
)

// FuzzCheck feeds Check and CleanName arbitrary names and contents: they must
// not panic, must either accept a file as one of the allowed types or refuse it
// with a validation problem, and must clean every name to one that is safe.
// The seed corpus in testdata/fuzz/FuzzCheck holds one file of every kind.
func FuzzCheck(f *testing.F) {
	for name, content := range samples(f) {
		f.Add("Fil."+name, content)
	}
	allowed := map[string]bool{
		"application/pdf": true, "image/png": true, "image/jpeg": true,
		"text/plain": true, "text/plain; charset=utf-8": true, "text/csv": true, "text/csv; charset=utf-8": true,
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   true,
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         true,
		"application/vnd.openxmlformats-officedocument.presentationml.presentation": true,
		"application/vnd.oasis.opendocument.text":                                   true,
		"application/vnd.oasis.opendocument.spreadsheet":                            true,
		"application/vnd.oasis.opendocument.presentation":                           true,
	}
	f.Fuzz(func(t *testing.T, name string, content []byte) {
		ct, err := files.Check(name, content, 1<<20)
		if err != nil {
			if _, ok := errs.AsValidation(err); !ok {
				t.Fatalf("Check(%q) error %v is not a validation problem", name, err)
			}
		} else if !allowed[ct] {
			t.Fatalf("Check(%q) accepted type %q", name, ct)
		}
		clean := files.CleanName(name)
		if files.CleanName(clean) != clean {
			t.Errorf("CleanName is not idempotent: %q → %q → %q", name, clean, files.CleanName(clean))
		}
		if !utf8.ValidString(clean) || utf8.RuneCountInString(clean) > files.MaxNameLen || strings.ContainsAny(clean, `/\`) {
			t.Errorf("CleanName(%q) = %q", name, clean)
		}
		if strings.IndexFunc(clean, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) }) >= 0 {
			t.Errorf("CleanName(%q) = %q keeps a control character", name, clean)
		}
	})
}
