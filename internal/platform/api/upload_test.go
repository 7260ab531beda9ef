package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/alexedwards/scs/v2"
	"github.com/danielgtaylor/huma/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

type uploadInput struct {
	RawBody multipart.Form
}

type jsonInput struct {
	Body struct {
		Text string `json:"text"`
	}
}

type sizeOutput struct {
	Body struct {
		Size int `json:"size"`
	}
}

// uploadAPI serves, behind a server-wide body limit of 1 KiB, a multipart
// upload and a JSON operation that take 4 KiB, and a JSON operation that
// keeps the server's limit.
func uploadAPI(t *testing.T) *httptest.Server {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := web.NewServer(web.Config{MaxBody: 1 << 10}, slog.New(slog.DiscardHandler), cat, scs.New())
	if err != nil {
		t.Fatal(err)
	}
	a := api.New(s, "test")
	api.Register(a, huma.Operation{OperationID: "upload", Method: http.MethodPost, Path: "/files", MaxBodyBytes: 4 << 10},
		access.Public, func(_ context.Context, in *uploadInput) (*sizeOutput, error) {
			out := &sizeOutput{}
			for _, fs := range in.RawBody.File {
				for _, f := range fs {
					out.Body.Size += int(f.Size)
				}
			}
			return out, nil
		})
	text := func(_ context.Context, in *jsonInput) (*sizeOutput, error) {
		out := &sizeOutput{}
		out.Body.Size = len(in.Body.Text)
		return out, nil
	}
	api.Register(a, huma.Operation{OperationID: "long-text", Method: http.MethodPost, Path: "/long", MaxBodyBytes: 4 << 10}, access.Public, text)
	api.Register(a, huma.Operation{OperationID: "short-text", Method: http.MethodPost, Path: "/short"}, access.Public, text)
	for _, r := range s.Routes() {
		if r.Path == api.Prefix+"/files" && r.MaxBody != 4<<10 {
			t.Errorf("route listing: %+v", r)
		}
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv
}

func TestRegister_MaxBodyBytesLiftsTheServerLimit(t *testing.T) {
	t.Parallel()
	srv := uploadAPI(t)
	multipartBody := func(size int) (string, *bytes.Buffer) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "a.txt")
		_, _ = fw.Write(bytes.Repeat([]byte("a"), size))
		_ = mw.Close()
		return mw.FormDataContentType(), &buf
	}
	jsonBody := func(size int) (string, *bytes.Buffer) {
		return "application/json", bytes.NewBufferString(`{"text": "` + strings.Repeat("a", size) + `"}`)
	}
	tests := []struct {
		name   string
		path   string
		body   func(int) (string, *bytes.Buffer)
		size   int
		status int
	}{
		{"multipart over the server limit, within its own", "/files", multipartBody, 3 << 10, http.StatusOK},
		{"multipart over its own limit", "/files", multipartBody, 5 << 10, http.StatusRequestEntityTooLarge},
		{"JSON over the server limit, within its own", "/long", jsonBody, 3 << 10, http.StatusOK},
		{"JSON over its own limit", "/long", jsonBody, 5 << 10, http.StatusRequestEntityTooLarge},
		{"JSON over the server limit on a normal operation", "/short", jsonBody, 2 << 10, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct, body := tt.body(tt.size)
			req, _ := http.NewRequest(http.MethodPost, srv.URL+api.Prefix+tt.path, body)
			req.Header.Set("Content-Type", ct)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var out map[string]any
			_ = json.NewDecoder(res.Body).Decode(&out)
			if res.StatusCode != tt.status {
				t.Fatalf("%d bytes: %d, want %d: %v", tt.size, res.StatusCode, tt.status, out)
			}
			if detail, _ := out["detail"].(string); tt.status == http.StatusRequestEntityTooLarge && !strings.Contains(detail, "MB") {
				t.Errorf("413 does not name the limit: %v", out)
			}
			if tt.status == http.StatusOK && out["size"] != float64(tt.size) {
				t.Errorf("read %v of %d bytes", out["size"], tt.size)
			}
		})
	}
}
