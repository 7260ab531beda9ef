package files_test

import (
	"bytes"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/files"
)

type upload struct {
	field, name string
	content     []byte
}

// multipartRequest builds a POST of a form with a title field and the uploads.
func multipartRequest(t *testing.T, uploads ...upload) *http.Request {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if err := mw.WriteField("title", "Underlag till HSL"); err != nil {
		t.Fatal(err)
	}
	for _, u := range uploads {
		w, err := mw.CreateFormFile(u.field, u.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(u.content)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodPost, "/moten/1/dokument", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	return r
}

func TestFromRequest_ReadsOneCheckedFile(t *testing.T) {
	t.Parallel()
	s := samples(t)
	pdf := s["pdf"]
	tests := []struct {
		name    string
		request func(t *testing.T) *http.Request
		limit   int64
		want    string // the file name read, or the catalogue key of the problem
	}{
		{"one file", func(t *testing.T) *http.Request {
			return multipartRequest(t, upload{"document", `C:\Tmp\Underlag för beslut.pdf`, pdf})
		}, 0, "Underlag för beslut.pdf"},
		{"no file", func(t *testing.T) *http.Request { return multipartRequest(t) }, 0, "files.required"},
		{"another field", func(t *testing.T) *http.Request {
			return multipartRequest(t, upload{"other", "Underlag.pdf", pdf})
		}, 0, "files.required"},
		{"two files", func(t *testing.T) *http.Request {
			return multipartRequest(t, upload{"document", "a.pdf", pdf}, upload{"document", "b.pdf", pdf})
		}, 0, "files.one"},
		{"over the limit", func(t *testing.T) *http.Request {
			return multipartRequest(t, upload{"document", "Underlag.pdf", pdf})
		}, 10, "files.too_large"},
		{"body over the server's limit", func(t *testing.T) *http.Request {
			r := multipartRequest(t, upload{"document", "Underlag.pdf", bytes.Repeat(pdf, 1000)})
			r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, 1000)
			return r
		}, 0, "files.too_large"},
		{"empty file", func(t *testing.T) *http.Request {
			return multipartRequest(t, upload{"document", "Tom.pdf", nil})
		}, 0, "files.empty"},
		{"wrong type", func(t *testing.T) *http.Request {
			return multipartRequest(t, upload{"document", "Sida.txt", s["html"]})
		}, 0, "files.type"},
		{"not a multipart form", func(t *testing.T) *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("title=x"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, 0, "files.required"},
		{"broken multipart form", func(t *testing.T) *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("--x\r\nbroken"))
			r.Header.Set("Content-Type", "multipart/form-data; boundary=x")
			return r
		}, 0, "validation.form"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := tt.request(t)
			name, content, err := files.FromRequest(r, "document", tt.limit)
			got := name
			if err != nil {
				got = problemKey(t, err, "document")
			} else {
				if !bytes.Equal(content, pdf) {
					t.Errorf("content = %q", content)
				}
				if title := r.PostForm.Get("title"); title != "Underlag till HSL" {
					t.Errorf("the form's other fields are lost: title = %q", title)
				}
			}
			if got != tt.want {
				t.Errorf("FromRequest = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestServe_SendsASafeDownload(t *testing.T) {
	t.Parallel()
	f := files.File{ID: 7, Name: "Protokoll HSL – 23 nov \"utkast\".pdf", ContentType: "application/pdf", Size: 5,
		SHA256: "0123abcd"}
	content := []byte("%PDF-")
	tests := []struct {
		name        string
		method      string
		ifNoneMatch string
		wantStatus  int
		wantBody    string
	}{
		{"get", http.MethodGet, "", http.StatusOK, "%PDF-"},
		{"head", http.MethodHead, "", http.StatusOK, ""},
		{"unchanged", http.MethodGet, `"other", "0123abcd"`, http.StatusNotModified, ""},
		{"changed", http.MethodGet, `"other"`, http.StatusOK, "%PDF-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(tt.method, "/dokument/7", nil)
			if tt.ifNoneMatch != "" {
				r.Header.Set("If-None-Match", tt.ifNoneMatch)
			}
			w := httptest.NewRecorder()
			files.Serve(w, r, f, content)
			if w.Code != tt.wantStatus || w.Body.String() != tt.wantBody {
				t.Fatalf("status %d body %q, want %d %q", w.Code, w.Body, tt.wantStatus, tt.wantBody)
			}
			h := w.Result().Header
			want := map[string]string{"Content-Type": "application/pdf", "X-Content-Type-Options": "nosniff", "Etag": `"0123abcd"`}
			for k, v := range want {
				if h.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, h.Get(k), v)
				}
			}
			disp, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
			if err != nil || disp != "attachment" || params["filename"] != f.Name {
				t.Errorf("Content-Disposition %q: %s %v %v", h.Get("Content-Disposition"), disp, params, err)
			}
		})
	}
}

func TestServe_FilenameFallbackIsASCII(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, want string }{
		{"Protokoll.pdf", `attachment; filename=Protokoll.pdf`},
		{"Möte i Åre.pdf", `attachment; filename="Mote i Are.pdf"; filename*=UTF-8''M%C3%B6te%20i%20%C3%85re.pdf`},
		{"Svar \"ja\" – 中.txt", `attachment; filename="Svar _ja_ _ _.txt"; filename*=UTF-8''Svar%20%22ja%22%20%E2%80%93%20%E4%B8%AD.txt`},
		{"", `attachment; filename=fil`},
	}
	for _, tt := range tests {
		w := httptest.NewRecorder()
		files.Serve(w, httptest.NewRequest(http.MethodGet, "/", nil), files.File{Name: tt.name, ContentType: "text/plain"}, nil)
		if diff := cmp.Diff(tt.want, w.Header().Get("Content-Disposition")); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.name, diff)
		}
	}
}
