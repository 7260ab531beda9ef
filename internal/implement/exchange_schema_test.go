package implement_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
)

// TestExchangeSchema_DocsCopyIsTheEmbeddedSchema keeps the published copy in
// docs/schemas equal to the schema the import validates with.
func TestExchangeSchema_DocsCopyIsTheEmbeddedSchema(t *testing.T) {
	t.Parallel()
	docs, err := os.ReadFile(filepath.Join("..", "..", "docs", "schemas", "implement-exchange-v1.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(docs, implement.ExchangeSchema()) {
		t.Error("docs/schemas/implement-exchange-v1.schema.json differs from internal/implement/schema/implement-exchange-v1.schema.json: copy it")
	}
}

// TestExchangeSchema_DescribesEveryField checks the schema names its $id and
// dialect and that every property has a description.
func TestExchangeSchema_DescribesEveryField(t *testing.T) {
	t.Parallel()
	var doc map[string]any
	if err := json.Unmarshal(implement.ExchangeSchema(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["$id"] != implement.ExchangeSchemaID || doc["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$id %v, $schema %v", doc["$id"], doc["$schema"])
	}
	var walk func(path string, s map[string]any)
	walk = func(path string, s map[string]any) {
		if _, ok := s["description"].(string); !ok {
			t.Errorf("%s has no description", path)
		}
		if props, ok := s["properties"].(map[string]any); ok {
			for name, p := range props {
				walk(path+"/"+name, p.(map[string]any))
			}
		}
		for _, k := range []string{"items", "additionalProperties"} {
			if sub, ok := s[k].(map[string]any); ok {
				walk(path+"/"+k, sub)
			}
		}
	}
	walk("#", doc)
	// Every field of the Go type is in the schema.
	x, _ := json.Marshal(implement.Exchange{Recommendations: []implement.ExchangeRecommendation{{}}, Template: implement.ExchangeTemplate{Questions: []implement.ExchangeQuestion{{}}}})
	for _, name := range []string{"schema", "schema_version", "exported_at", "source", "support", "template", "recommendations", "crowding_out", "affected_unit_count", "required"} {
		if !strings.Contains(string(x), `"`+name+`"`) || !strings.Contains(string(implement.ExchangeSchema()), `"`+name+`"`) {
			t.Errorf("field %s missing from the type or the schema", name)
		}
	}
}
