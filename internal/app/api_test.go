package app

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// apiCall makes an API request with an optional bearer token and JSON body.
func (ta *testApp) apiCall(t *testing.T, method, path, token, body string) (*http.Response, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, ta.srv.URL+path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(res.Body)
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("%s %s: not JSON: %s", method, path, b)
		}
	}
	return res, out
}

func (ta *testApp) token(t *testing.T, username string) string {
	t.Helper()
	u, err := ta.Auth.UserByUsername(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	secret, _, err := ta.Auth.CreateToken(context.Background(), u.ID, authToken("test"))
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

func TestAPI_OpenAPIDocumentDescribesEveryOperation(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	res, doc := ta.apiCall(t, http.MethodGet, "/api/v1/openapi.json", "", "")
	if res.StatusCode != http.StatusOK || doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi.json: %d %v", res.StatusCode, doc["openapi"])
	}
	paths, _ := doc["paths"].(map[string]any)
	for _, p := range []string{"/api/v1/me", "/api/v1/me/tokens", "/api/v1/users", "/api/v1/audit"} {
		if _, ok := paths[p]; !ok {
			t.Errorf("openapi.json lacks %s", p)
		}
	}
	_, html := ta.get(t, ta.client(t), "/api/v1/docs")
	if !strings.Contains(html, "/api/v1/audit") || !strings.Contains(html, "<h1>") {
		t.Errorf("docs page does not list the operations")
	}
}

func TestAPI_MeWithTokenAndSession(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		tok := ta.token(t, "samordnare")
		res, me := ta.apiCall(t, http.MethodGet, "/api/v1/me", tok, "")
		if res.StatusCode != http.StatusOK || me["username"] != "samordnare" {
			t.Fatalf("me: %d %v", res.StatusCode, me)
		}
		if roles, _ := me["roles"].([]any); len(roles) != 1 || roles[0] != "samordnare" {
			t.Fatalf("roles: %v", me["roles"])
		}
		if _, ok := me["password_hash"]; ok {
			t.Fatal("password hash exposed")
		}
		// A signed-in browser session works too.
		c := ta.login(t, "enhet")
		r2, b := ta.get(t, c, "/api/v1/me")
		if r2.StatusCode != http.StatusOK || !strings.Contains(b, `"username":"enhet"`) {
			t.Fatalf("me by session: %d %s", r2.StatusCode, b)
		}
	})
}

func TestAPI_ErrorsAreProblemDetails(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	admin, unit := ta.token(t, "demo"), ta.token(t, "enhet")
	tests := []struct {
		name, method, path, token, body string
		status                          int
		location                        string // an errors[].location that must be present
	}{
		{"no token", http.MethodGet, "/api/v1/me", "", "", http.StatusUnauthorized, ""},
		{"bad token", http.MethodGet, "/api/v1/me", "kn_nope", "", http.StatusUnauthorized, ""},
		{"wrong role", http.MethodGet, "/api/v1/users", unit, "", http.StatusForbidden, ""},
		{"auditor only", http.MethodGet, "/api/v1/audit", unit, "", http.StatusForbidden, ""},
		{"unknown route", http.MethodGet, "/api/v1/finns-inte", admin, "", http.StatusNotFound, ""},
		{"malformed JSON", http.MethodPost, "/api/v1/users", admin, `{"username": "x",`, http.StatusBadRequest, ""},
		{"wrong type", http.MethodPost, "/api/v1/users", admin, `{"username": 5, "display_name": "X", "password": "ett långt lösenord"}`, http.StatusBadRequest, "body.username"},
		{"missing field", http.MethodPost, "/api/v1/users", admin, `{"username": "xy", "password": "ett långt lösenord"}`, http.StatusBadRequest, "body.display_name"},
		{"domain rule", http.MethodPost, "/api/v1/users", admin, `{"username": "xy", "display_name": "X Y", "password": "kort"}`, http.StatusUnprocessableEntity, "body.password"},
		{"bad cursor", http.MethodGet, "/api/v1/audit?cursor=zzzz", admin, "", http.StatusUnprocessableEntity, "query.cursor"},
		{"limit out of range", http.MethodGet, "/api/v1/audit?limit=100000", admin, "", http.StatusBadRequest, "query.limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequest(tt.method, ta.srv.URL+tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			if tt.token != "" {
				req.Header.Set("Authorization", "Bearer "+tt.token)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var p struct {
				Status    int    `json:"status"`
				Title     string `json:"title"`
				RequestID string `json:"request_id"`
				Errors    []struct {
					Location string `json:"location"`
				} `json:"errors"`
			}
			if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
				t.Fatalf("body is not JSON: %v", err)
			}
			if res.StatusCode != tt.status || p.Status != tt.status {
				t.Fatalf("status %d (body %d), want %d", res.StatusCode, p.Status, tt.status)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q", ct)
			}
			if p.Title == "" || p.RequestID == "" {
				t.Errorf("problem lacks title or request id: %+v", p)
			}
			if tt.location != "" {
				found := false
				for _, e := range p.Errors {
					found = found || e.Location == tt.location
				}
				if !found {
					t.Errorf("errors %+v do not name %s", p.Errors, tt.location)
				}
			}
		})
	}
}

func TestAPI_OversizedBodyIs413(t *testing.T) {
	t.Parallel()
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	big := `{"name": "` + strings.Repeat("a", 2<<20) + `"}`
	res, p := ta.apiCall(t, http.MethodPost, "/api/v1/me/tokens", ta.token(t, "demo"), big)
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("2 MiB body: %d %v", res.StatusCode, p)
	}
}

func TestAPI_TokensAndAuditPagination(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ta := newTestApp(t, d)
		tok := ta.token(t, "demo")
		res, created := ta.apiCall(t, http.MethodPost, "/api/v1/me/tokens", tok, `{"name": "robot"}`)
		secret, _ := created["secret"].(string)
		if res.StatusCode != http.StatusCreated || !strings.HasPrefix(secret, "kn_") {
			t.Fatalf("create token: %d %v", res.StatusCode, created)
		}
		if res, me := ta.apiCall(t, http.MethodGet, "/api/v1/me", secret, ""); res.StatusCode != http.StatusOK || me["username"] != "demo" {
			t.Fatalf("new token does not work: %d", res.StatusCode)
		}
		id := int64(created["id"].(float64))
		if res, _ := ta.apiCall(t, http.MethodDelete, "/api/v1/me/tokens/"+itoa(id), tok, ""); res.StatusCode != http.StatusNoContent {
			t.Fatalf("delete token: %d", res.StatusCode)
		}
		if res, _ := ta.apiCall(t, http.MethodGet, "/api/v1/me", secret, ""); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("deleted token still works: %d", res.StatusCode)
		}
		// Walk the audit log two at a time and check nothing repeats or is lost.
		seen := map[float64]bool{}
		cursor, pages := "", 0
		for {
			res, page := ta.apiCall(t, http.MethodGet, "/api/v1/audit?limit=2&cursor="+cursor, tok, "")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("audit page: %d %v", res.StatusCode, page)
			}
			for _, it := range page["items"].([]any) {
				id := it.(map[string]any)["id"].(float64)
				if seen[id] {
					t.Fatalf("entry %v repeated", id)
				}
				seen[id] = true
			}
			pages++
			next, _ := page["next_cursor"].(string)
			if next == "" {
				break
			}
			cursor = next
		}
		var total int
		_ = d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log`).Scan(&total)
		if len(seen) != total || pages < 2 {
			t.Fatalf("walked %d entries in %d pages, log has %d", len(seen), pages, total)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
