package api

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/requestid"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// Prefix is where the API lives.
const Prefix = "/api/v1"

// API registers operations and serves them.
type API struct {
	huma huma.API
	web  *web.Server
	mux  *http.ServeMux
}

// New creates the API and mounts it on s under /api/.
func New(s *web.Server, version string) *API {
	installErrors(s)
	mux := http.NewServeMux()
	cfg := huma.DefaultConfig("Kunskapsnav API", version)
	cfg.Info.Description = "Kunskapsnav's JSON API. Authenticate with a personal API token (Authorization: Bearer kn_…) created on the account page, or with a signed-in browser session. Errors are RFC 9457 problem details; lists are paginated with an opaque cursor."
	cfg.OpenAPIPath = Prefix + "/openapi"
	cfg.SchemasPath = Prefix + "/schemas"
	cfg.DocsPath = "" // our own accessible docs page, no third-party scripts
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer":  {Type: "http", Scheme: "bearer", Description: "Personal API token from the account page."},
		"session": {Type: "apiKey", In: "cookie", Name: "kn_session", Description: "Browser session after signing in."},
	}
	cfg.Servers = []*huma.Server{{URL: "/"}}
	a := &API{huma: humago.New(mux, cfg), web: s, mux: mux}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.Error(w, r, fmt.Errorf("no API route for %s %s: %w", r.Method, r.URL.Path, errs.ErrNotFound))
	})
	for _, p := range []string{cfg.OpenAPIPath + ".json", cfg.OpenAPIPath + ".yaml", cfg.OpenAPIPath + "-3.0.json", cfg.OpenAPIPath + "-3.0.yaml", cfg.SchemasPath + "/"} {
		s.AddRoute(web.Route{Method: http.MethodGet, Path: p, Perm: access.Public})
	}
	s.Mount("/api/", mux)
	return a
}

// OpenAPI returns the generated document.
func (a *API) OpenAPI() *huma.OpenAPI { return a.huma.OpenAPI() }

// Register adds an operation open to those holding perm. op.Path is relative to
// /api/v1 ("/me"). Anonymous callers of a protected operation get 401, others
// without the permission 403, both as problem+json. An operation that takes
// bodies larger than the server-wide limit (uploads) sets op.MaxBodyBytes; a
// larger body is answered with 413 naming the limit.
func Register[I, O any](a *API, op huma.Operation, perm access.Permission, h func(context.Context, *I) (*O, error)) {
	op.Path = Prefix + op.Path
	if !perm.Public {
		op.Security = []map[string][]string{{"bearer": {}}, {"session": {}}}
		op.Errors = append(op.Errors, http.StatusUnauthorized, http.StatusForbidden)
	}
	op.Description = strings.TrimSpace(op.Description + "\n\nPermission: " + permText(perm) + ".")
	op.Middlewares = append(op.Middlewares, func(ctx huma.Context, next func(huma.Context)) {
		p := access.From(ctx.Context())
		if p.Can(perm) {
			next(ctx)
			return
		}
		err := errs.ErrForbidden
		if p.Anonymous() {
			err = errs.ErrUnauthenticated
		}
		r, w := humago.Unwrap(ctx)
		a.web.Error(w, r, err)
	})
	if op.MaxBodyBytes > 0 {
		// The server-wide body limit would cut a larger body before huma's
		// own check, so set the operation's limit once the caller may call it.
		limit := op.MaxBodyBytes
		op.Middlewares = append(op.Middlewares, func(ctx huma.Context, next func(huma.Context)) {
			r, w := humago.Unwrap(ctx)
			web.SetBodyLimit(w, r, limit)
			next(ctx)
		})
	}
	a.web.AddRoute(web.Route{Method: op.Method, Path: op.Path, Perm: perm, Summary: op.Summary, MaxBody: op.MaxBodyBytes})
	huma.Register(a.huma, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, in)
		if err != nil {
			return nil, a.problem(ctx, err)
		}
		return out, nil
	})
}

func permText(p access.Permission) string {
	switch {
	case p.Public:
		return "anyone"
	case p.Authenticated:
		return "any signed-in user"
	}
	roles := make([]string, 0, len(p.Roles)+1)
	roles = append(roles, string(access.Admin))
	for _, r := range p.Roles {
		if r != access.Admin {
			roles = append(roles, string(r))
		}
	}
	return "roles " + strings.Join(roles, ", ")
}

// Problem is the API's error body (RFC 9457), returned by every operation.
type Problem struct {
	status    int
	Type      string          `json:"type,omitempty" doc:"URI naming the kind of problem"`
	Title     string          `json:"title" doc:"Short summary of the kind of problem"`
	Status    int             `json:"status" doc:"HTTP status code"`
	Detail    string          `json:"detail,omitempty" doc:"What went wrong in this case"`
	Instance  string          `json:"instance,omitempty"`
	RequestID string          `json:"request_id,omitempty" doc:"Quote this when asking for support"`
	Errors    []*ProblemField `json:"errors,omitempty" doc:"One entry per invalid field"`
}

// ProblemField names an invalid part of the request.
type ProblemField struct {
	Location string `json:"location" doc:"Where the problem is, e.g. body.name or query.limit"`
	Message  string `json:"message"`
	Value    any    `json:"value,omitempty"`
}

// Error implements error.
func (p *Problem) Error() string { return p.Detail }

// GetStatus implements huma.StatusError.
func (p *Problem) GetStatus() int { return p.status }

// ContentType makes the body application/problem+json.
func (p *Problem) ContentType(string) string { return "application/problem+json" }

var installOnce sync.Once

// installErrors makes huma report its own errors (bad JSON, schema violations)
// in our problem shape. A body that does not match the schema is a malformed
// request: 400, naming each field. 422 is kept for requests that are well
// formed but break a domain rule. A body over its limit is 413 however huma
// saw the failed read. huma's hook is global, so the first server's
// catalogue (the same embedded one in every server) words the 413.
func installErrors(s *web.Server) {
	installOnce.Do(func() {
		huma.NewErrorWithContext = func(ctx huma.Context, status int, msg string, list ...error) huma.StatusError {
			if ctx != nil {
				r, _ := humago.Unwrap(ctx)
				mbe := web.BodyTooLarge(r)
				if mbe == nil && status == http.StatusRequestEntityTooLarge { // huma's own check of op.MaxBodyBytes
					mbe = &http.MaxBytesError{Limit: ctx.Operation().MaxBodyBytes}
				}
				if mbe != nil {
					wp := s.ProblemFor(r, mbe)
					return &Problem{status: wp.Status, Type: wp.Type, Title: wp.Title, Status: wp.Status, Detail: wp.Detail,
						Instance: r.URL.Path, RequestID: wp.RequestID}
				}
			}
			if status == http.StatusUnprocessableEntity {
				status = http.StatusBadRequest
			}
			p := &Problem{status: status, Status: status, Title: http.StatusText(status), Detail: msg,
				Type: "https://kunskapsnav.se/problems/" + strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_")}
			if ctx != nil {
				p.RequestID = requestid.From(ctx.Context())
				p.Instance = ctx.URL().Path
			}
			for _, e := range list {
				if e == nil {
					continue
				}
				f := &ProblemField{Message: e.Error()}
				var d huma.ErrorDetailer
				if errors.As(e, &d) {
					det := d.ErrorDetail()
					f.Location, f.Message, f.Value = det.Location, det.Message, det.Value
				}
				f.Location = fieldLocation(f.Location, f.Message)
				p.Errors = append(p.Errors, f)
			}
			return p
		}
		huma.NewError = func(status int, msg string, list ...error) huma.StatusError {
			return huma.NewErrorWithContext(nil, status, msg, list...)
		}
	})
}

// fieldLocation names the missing field itself when the schema validator
// reports a required property on its parent ("body" → "body.display_name").
func fieldLocation(location, message string) string {
	const prefix = "expected required property "
	if name, ok := strings.CutPrefix(message, prefix); ok {
		name, _, _ = strings.Cut(name, " ")
		if location == "" {
			return name
		}
		return location + "." + name
	}
	return location
}

// problem converts a service error to the API's problem body in the caller's locale.
func (a *API) problem(ctx context.Context, err error) error {
	wp := a.web.ProblemFor(requestFor(ctx), err)
	if wp.Status >= 500 {
		a.web.Logger().ErrorContext(ctx, "api request failed", "request_id", wp.RequestID, "error", err.Error())
	}
	p := &Problem{status: wp.Status, Type: wp.Type, Title: wp.Title, Status: wp.Status, Detail: wp.Detail, RequestID: wp.RequestID}
	for _, f := range wp.Errors {
		p.Errors = append(p.Errors, &ProblemField{Location: f.Location, Message: f.Message})
	}
	return p
}

// requestFor builds the minimal request ProblemFor reads: its context.
func requestFor(ctx context.Context) *http.Request {
	r, _ := http.NewRequestWithContext(ctx, http.MethodGet, "/", nil)
	return r
}

// Cursor is an opaque pagination cursor wrapping a row id.
type Cursor string

// EncodeCursor makes the cursor for the page after id; 0 gives "".
func EncodeCursor(id int64) string {
	if id == 0 {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte("id:" + strconv.FormatInt(id, 10)))
}

// DecodeCursor reads a cursor made by EncodeCursor; "" is the first page.
func DecodeCursor(c string) (int64, error) {
	if c == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), "id:") {
		return 0, errs.Invalidf("cursor", "validation.cursor")
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(string(b), "id:"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.Invalidf("cursor", "validation.cursor")
	}
	return id, nil
}

// PageParams are the query parameters of every paginated list.
type PageParams struct {
	Cursor string `query:"cursor" doc:"Opaque cursor from next_cursor of the previous page; empty for the first page" maxLength:"100"`
	Limit  int    `query:"limit" default:"50" minimum:"1" maximum:"500" doc:"Items per page"`
}

// InQuery marks the fields of a validation error as query parameters, so the
// problem names them query.<name> rather than body.<name>.
func InQuery(err error) error {
	v, ok := errs.AsValidation(err)
	if !ok {
		return err
	}
	out := &errs.ValidationError{}
	for _, f := range v.Fields {
		out.Add("query."+f.Name, f.Key, f.Args...)
	}
	return out
}
