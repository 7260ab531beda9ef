package i18n_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

var update = flag.Bool("update", false, "rewrite catalog/*.json sorted by key with 2-space indentation")

// TestCatalog_EmbeddedCatalogHasNoProblems fails listing every problem in the real catalogue.
func TestCatalog_EmbeddedCatalogHasNoProblems(t *testing.T) {
	t.Parallel()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range c.Check() {
		t.Error(err)
	}
}

// TestCatalogFiles_SortedAndIndented keeps the catalogue files easy to merge:
// keys sorted, two-space indentation, no duplicate keys, a final newline.
// Run with -update to rewrite them that way.
func TestCatalogFiles_SortedAndIndented(t *testing.T) {
	t.Parallel()
	for _, loc := range i18n.Supported() {
		path := filepath.Join("catalog", string(loc)+".json")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want, err := tidy(data)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if bytes.Equal(data, want) {
			continue
		}
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s is not sorted by key with 2-space indentation (or has a duplicate key); %s\n"+
			"fix with: go test ./internal/platform/i18n -run TestCatalogFiles -update", path, firstDiff(data, want))
	}
}

// tidy returns data re-encoded as the catalogue files must look.
func tidy(data []byte) ([]byte, error) {
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil { // maps encode with sorted keys
		return nil, err
	}
	return buf.Bytes(), nil
}

// firstDiff describes the first line where got differs from want.
func firstDiff(got, want []byte) string {
	g := strings.Split(string(got), "\n")
	w := strings.Split(string(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d is\n\t%q\nwant\n\t%q", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("file has %d lines, want %d", len(g), len(w))
}

func TestTidy_RejectsUntidyCatalogs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		tidy bool
	}{
		{"tidy", "{\n  \"a\": \"A\",\n  \"b\": {\n    \"one\": \"1\",\n    \"other\": \"2\"\n  }\n}\n", true},
		{"non-ascii kept as is", "{\n  \"a\": \"Sök <b> & ⟦x⟧\"\n}\n", true},
		{"unsorted", "{\n  \"b\": \"B\",\n  \"a\": \"A\"\n}\n", false},
		{"tab indent", "{\n\t\"a\": \"A\"\n}\n", false},
		{"four-space indent", "{\n    \"a\": \"A\"\n}\n", false},
		{"no final newline", "{\n  \"a\": \"A\"\n}", false},
		{"one line", `{"a": "A"}` + "\n", false},
		{"duplicate key", "{\n  \"a\": \"A\",\n  \"a\": \"A\"\n}\n", false},
		{"escaped non-ascii", "{\n  \"a\": \"S\\u00f6k\"\n}\n", false},
	}
	for _, tt := range tests {
		want, err := tidy([]byte(tt.data))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := bytes.Equal(want, []byte(tt.data)); got != tt.tidy {
			t.Errorf("%s: tidy = %v, want %v; tidy form:\n%s", tt.name, got, tt.tidy, want)
		}
	}
}
