package implement_test

import (
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// TestExchangePages_EveryKeyExists checks the keys of the exchange and
// comparison templates, those the pages build from values and the keys of
// every problem an import reports, in every language.
func TestExchangePages_EveryKeyExists(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, pattern := range []string{"templates/exchange_*.html", "templates/compare_*.html"} {
		found, err := i18n.TemplateKeys(implement.Templates(), pattern)
		if err != nil {
			t.Fatal(err)
		}
		if len(found) < 10 {
			t.Errorf("%s: only %d keys found", pattern, len(found))
		}
		for k := range found {
			keys = append(keys, k)
		}
	}
	var page implement.ComparisonPage
	keys = append(keys, page.SizeKey(""), "audit.entity.gap_comparison")
	for _, g := range implement.GapSizes {
		keys = append(keys, page.SizeKey(g))
	}
	for _, k := range []string{"too_large", "not_json", "unknown_version", "other_questions", "duplicate", "duplicate_key", "duplicate_code",
		"unknown_answer", "file_required", "file_type", "too_large_file", "invalid_file", "imported", "unmatched"} {
		keys = append(keys, "implement.exchange."+k)
	}
	for _, k := range []string{"required", "unknown_property", "type", "enum", "const", "min_length", "max_length", "pattern", "min_items", "max_items", "minimum", "format", "other"} {
		keys = append(keys, "implement.exchange.reason."+k)
	}
	for _, key := range keys {
		for _, loc := range i18n.Supported() {
			if !cat.Has(loc, key) {
				t.Errorf("%q is missing in %s", key, loc)
			}
			if strings.HasPrefix(key, "implement.exchange.reason.") && !strings.Contains(cat.T(loc, key, "path", "/x"), "/x") {
				t.Errorf("%q in %s does not name the place", key, loc)
			}
		}
	}
}
