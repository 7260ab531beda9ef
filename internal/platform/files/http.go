package files

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// formMemory is how much of a multipart form is kept in memory; larger files
// go to temporary files, which net/http removes after the request.
const formMemory = 8 << 20

// FromRequest reads the one file uploaded in field of a multipart form and
// checks it with Check (limit as there). Problems are validation errors at
// field: no file chosen, more than one, too large, or a type not allowed. The
// form's other fields are in r.PostForm afterwards, so web.ParseForm still
// reads them. The server's body limit must leave room for limit bytes.
func FromRequest(r *http.Request, field string, limit int64) (name string, content []byte, err error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	if err := r.ParseMultipartForm(formMemory); err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return "", nil, tooLarge(field, min(limit, mbe.Limit))
		case errors.Is(err, http.ErrNotMultipart):
			return "", nil, errs.Invalidf(field, "files.required")
		}
		return "", nil, errs.Invalidf(field, "validation.form")
	}
	headers := r.MultipartForm.File[field]
	switch {
	case len(headers) == 0:
		return "", nil, errs.Invalidf(field, "files.required")
	case len(headers) > 1:
		return "", nil, errs.Invalidf(field, "files.one")
	case headers[0].Size > limit:
		return "", nil, tooLarge(field, limit)
	}
	content, err = readPart(headers[0], limit)
	if err != nil {
		return "", nil, err
	}
	name = CleanName(headers[0].Filename)
	if _, err := Check(name, content, limit); err != nil {
		return "", nil, renameField(err, field)
	}
	return name, content, nil
}

func readPart(h *multipart.FileHeader, limit int64) ([]byte, error) {
	f, err := h.Open()
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	return content, nil
}

// renameField moves the problems of a validation error from Field to field.
func renameField(err error, field string) error {
	v, ok := errs.AsValidation(err)
	if !ok {
		return err
	}
	out := &errs.ValidationError{}
	for _, f := range v.Fields {
		if f.Name == Field {
			f.Name = field
		}
		out.Fields = append(out.Fields, f)
	}
	return out
}

// Serve sends a stored file as a download: its stored type, never sniffed by
// the browser, as an attachment under its name (RFC 6266, with an RFC 5987
// filename* for names that are not ASCII), with the hash as ETag so a
// conditional GET is answered 304. HEAD gets the headers only.
func Serve(w http.ResponseWriter, r *http.Request, f File, content []byte) {
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Disposition", disposition(f.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-cache")
	etag := `"` + f.SHA256 + `"`
	h.Set("ETag", etag)
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(content)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(content) // the client went away; nothing left to tell it
	}
}

// disposition is the Content-Disposition of an attachment named name: an
// ASCII fallback in filename and, when needed, the exact name in filename*.
func disposition(name string) string {
	if name == "" {
		name = "fil"
	}
	if d := mime.FormatMediaType("attachment", map[string]string{"filename": name}); d != "" && isASCII(name) {
		return d
	}
	fallback := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, asciiFold(name))
	return `attachment; filename="` + fallback + `"; filename*=UTF-8''` + pathEscape(name)
}

// asciiFold replaces the Swedish letters by their plain ASCII look-alikes for
// the fallback name of old clients.
func asciiFold(s string) string {
	return strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "Å", "A", "Ä", "A", "Ö", "O", "é", "e", "É", "E", "ü", "u", "Ü", "U").Replace(s)
}

// pathEscape percent-encodes s as an RFC 5987 value: everything but the
// attr-char set.
func pathEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// etagMatch reports whether an If-None-Match header lists etag (or is *).
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}
