package implement_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// FuzzExchangeImport checks that the import's parser and validator never
// panic and refuse every bad file with validation problems only; a file they
// accept is written back, and read again, unchanged in meaning. The kept
// seeds are in testdata/fuzz/FuzzExchangeImport.
func FuzzExchangeImport(f *testing.F) {
	tmpl := implement.DefaultTemplate("SV", func(k string) string { return k })
	for _, s := range []string{``, `{}`, `[]`, `null`, `{"schema_version": 1}`, `{"schema_version": "1"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := implement.ParseExchange(data, tmpl)
		if err != nil {
			var p *implement.ExchangeErrors
			if !errors.As(err, &p) || errs.KindOf(err) != errs.Invalid || len(p.List) == 0 {
				t.Fatalf("error %v (%T) is not a list of validation problems", err, err)
			}
			for _, pr := range p.List {
				if !strings.HasPrefix(pr.Key, "implement.exchange.") || (pr.Pointer != "" && !strings.HasPrefix(pr.Pointer, "/")) {
					t.Fatalf("problem %+v", pr)
				}
			}
			return
		}
		if x.SchemaVersion != implement.ExchangeVersion || x.SchemaURL != implement.ExchangeSchemaID {
			t.Fatalf("accepted %q/%q", x.SchemaVersion, x.SchemaURL)
		}
		again, err := implement.ParseExchange(x.Marshal(), tmpl)
		if err != nil {
			t.Fatalf("the accepted file written back is refused: %v", err)
		}
		if string(again.Marshal()) != string(x.Marshal()) {
			t.Fatalf("written back and read again it changed:\n%s\n%s", x.Marshal(), again.Marshal())
		}
	})
}
