package llm_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/llm"
)

func TestConfig_Validate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cfg     llm.Config
		enabled bool
		ok      bool
	}{
		{"off", llm.Config{}, false, true},
		{"https with a model", llm.Config{URL: "https://api.example/v1", Model: "m"}, true, true},
		{"local http", llm.Config{URL: "http://127.0.0.1:8000/v1", Model: "m"}, true, true},
		{"no model", llm.Config{URL: "https://api.example/v1"}, true, false},
		{"no scheme", llm.Config{URL: "api.example/v1", Model: "m"}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.cfg.Enabled(); got != tt.enabled {
				t.Errorf("Enabled() = %v", got)
			}
			if err := tt.cfg.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate() = %v", err)
			}
		})
	}
}

// TestClient_Draft runs the client against an in-process endpoint: the
// answer's text trimmed, and every failure wrapped in ErrFailed.
func TestClient_Draft(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		status     int
		delay      time.Duration
		want       string
	}{
		{"answer", `{"id":"1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"  Ett stycke.  "}}]}`, 200, 0, "Ett stycke."},
		{"no choice", `{"id":"1","object":"chat.completion","created":1,"model":"m","choices":[]}`, 200, 0, ""},
		{"empty text", `{"id":"1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":" "}}]}`, 200, 0, ""},
		{"server error", `{"error":{"message":"down"}}`, 500, 0, ""},
		{"unauthorised", `{"error":{"message":"bad key"}}`, 401, 0, ""},
		{"timeout", `{}`, 200, 2 * time.Second, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var path, auth string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				path, auth = r.URL.Path, r.Header.Get("Authorization")
				_, _ = io.Copy(io.Discard, r.Body)
				if tt.delay > 0 {
					select {
					case <-time.After(tt.delay):
					case <-r.Context().Done():
						return
					}
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			t.Cleanup(srv.Close)
			c, err := llm.New(llm.Config{URL: srv.URL + "/v1", Model: "m", APIKey: "k", Timeout: 300 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Draft(context.Background(), "system", "user")
			if tt.want != "" {
				if err != nil || got != tt.want {
					t.Fatalf("Draft = %q, %v; want %q", got, err, tt.want)
				}
				if path != "/v1/chat/completions" || auth != "Bearer k" {
					t.Errorf("request to %s with %q", path, auth)
				}
				return
			}
			if !errors.Is(err, llm.ErrFailed) || got != "" {
				t.Fatalf("Draft = %q, %v; want ErrFailed", got, err)
			}
		})
	}
}

func TestNew_RefusesOff(t *testing.T) {
	t.Parallel()
	if _, err := llm.New(llm.Config{}); err == nil {
		t.Error("New without a URL gave a client")
	}
}
