package catalog_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// TestMessages_EveryKeyInBothLanguages fails when the package's code uses a
// catalog.* message key that is missing from the Swedish or English catalogue.
func TestMessages_EveryKeyInBothLanguages(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	// Keys built from a value: the owner kinds of checkOwners.
	keys := map[string]bool{"catalog.support.owner_npo": true, "catalog.support.owner_lpo": true}
	pattern := regexp.MustCompile(`"(catalog\.[a-z_.]+[a-z])"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range pattern.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = true
		}
	}
	if len(keys) < 10 {
		t.Fatalf("found only %d keys: %v", len(keys), keys)
	}
	for key := range keys {
		if key == "catalog.write" {
			continue // a permission name, not a message
		}
		for _, loc := range i18n.Supported() {
			if !cat.Has(loc, key) {
				t.Errorf("key %q missing in %s", key, loc)
			}
		}
	}
}
