package app

import (
	"strings"
	"testing"
)

// TestCLI_ServeLLMFlags: serve lists the drafting flags, and refuses an
// endpoint without a model or with a URL that is not http(s) before it
// opens anything.
func TestCLI_ServeLLMFlags(t *testing.T) {
	t.Parallel()
	if code, out, errOut := runCLI(t, "", "serve", "--help"); code != 0 || !strings.Contains(out+errOut, "-llm-url") ||
		!strings.Contains(out+errOut, "-llm-model") || !strings.Contains(out+errOut, "KUNSKAPSNAV_LLM_API_KEY") {
		t.Errorf("serve --help: %d\n%s%s", code, out, errOut)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no model", []string{"serve", "--db", "sqlite:" + t.TempDir() + "/x.db", "--llm-url", "https://api.example/v1"}, "a model is required"},
		{"not http", []string{"serve", "--db", "sqlite:" + t.TempDir() + "/x.db", "--llm-url", "ftp://api.example", "--llm-model", "m"}, "must begin with http"},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(t, "", tt.args...)
		if code == 0 || !strings.Contains(out+errOut, tt.want) || !strings.Contains(out+errOut, "--llm-url") {
			t.Errorf("%s: exit %d\n%s%s", tt.name, code, out, errOut)
		}
	}
}
