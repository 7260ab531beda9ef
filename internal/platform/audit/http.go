package audit

import (
	"context"
	"embed"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/requestid"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

// Templates are the package's page templates, for the catalogue-key test.
func Templates() embed.FS { return templates }

// Reader is what the audit pages need: the log and the database it is in.
type Reader struct {
	Log *Log
	DB  *db.DB
}

// Register adds the audit log page, its CSV export and navigation to s.
func Register(s *web.Server, rd Reader) error {
	if err := s.AddTemplates("audit", templates, "templates"); err != nil {
		return err
	}
	h := &handler{rd: rd, web: s}
	s.Handle("GET /logg", access.AuditRead, h.list)
	s.Handle("GET /logg.csv", access.AuditRead, h.csv)
	s.AddNav(web.NavItem{Href: "/logg", Key: "nav.audit", Perm: access.AuditRead, Order: 90})
	return nil
}

type handler struct {
	rd  Reader
	web *web.Server
}

// ListPage is the data of the audit log page.
type ListPage struct {
	Form     *web.Form
	Entries  []Entry
	Entities []string
	Actions  []Action
	Pager    web.Pager
	CSVLink  string
	Filtered bool
}

// parseFilter reads the filter from query parameters shared by page, CSV and API.
func parseFilter(q url.Values) (Filter, *errs.ValidationError) {
	var v errs.ValidationError
	f := Filter{
		Actor:    strings.ToLower(strings.TrimSpace(q.Get("actor"))),
		Entity:   strings.TrimSpace(q.Get("entity")),
		EntityID: strings.TrimSpace(q.Get("entity_id")),
		Action:   Action(strings.TrimSpace(q.Get("action"))),
	}
	if f.Action != "" && !validAction(f.Action) {
		v.Add("action", "validation.choice")
	}
	f.From = parseDay(q.Get("from"), "from", &v)
	if to := parseDay(q.Get("to"), "to", &v); !to.IsZero() {
		f.To = to.AddDate(0, 0, 1) // through the whole chosen day
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		v.Add("to", "validation.date_order")
	}
	return f, &v
}

func validAction(a Action) bool {
	for _, x := range Actions {
		if x == a {
			return true
		}
	}
	return false
}

// parseDay reads a YYYY-MM-DD date as the start of that day in Stockholm.
func parseDay(s, field string, v *errs.ValidationError) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation("2006-01-02", s, i18n.Stockholm())
	if err != nil {
		v.Add(field, "validation.date")
		return time.Time{}
	}
	return t
}

func (h *handler) list(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	form := &web.Form{Values: q}
	f, v := parseFilter(q)
	data := ListPage{Form: form, Actions: Actions}
	var err error
	if data.Entities, err = h.rd.Log.Entities(r.Context(), h.rd.DB); err != nil {
		return err
	}
	status := http.StatusOK
	if v.Err() != nil {
		form.Fail(v)
		status = http.StatusUnprocessableEntity
	} else {
		after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
		var next int64
		data.Entries, next, err = h.rd.Log.List(r.Context(), h.rd.DB, f, Page{After: after, Limit: 50})
		if err != nil {
			return err
		}
		data.Pager = web.NewPager("/logg", q, after, next)
		data.Filtered = f != Filter{}
	}
	csvQ := url.Values{}
	for _, k := range []string{"actor", "entity", "entity_id", "action", "from", "to"} {
		if val := q.Get(k); val != "" {
			csvQ.Set(k, val)
		}
	}
	data.CSVLink = "/logg.csv"
	if len(csvQ) > 0 {
		data.CSVLink += "?" + csvQ.Encode()
	}
	return h.web.Render(w, r, status, "audit/list", "audit.title", data)
}

// csv streams every matching entry as CSV (UTF-8 with BOM and semicolons, as
// Swedish Excel expects), in constant memory.
func (h *handler) csv(w http.ResponseWriter, r *http.Request) error {
	f, v := parseFilter(r.URL.Query())
	if err := v.Err(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="kunskapsnav-logg.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("\uFEFF"))
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	_ = cw.Write([]string{"id", "tid", "utförd_av", "objekt", "objekt_id", "händelse", "före", "efter", "begäran"})
	err := h.rd.Log.Each(r.Context(), h.rd.DB, f, func(e Entry) error {
		return cw.Write([]string{strconv.FormatInt(e.ID, 10), e.At.In(i18n.Stockholm()).Format("2006-01-02 15:04:05"),
			e.ActorName, e.Entity, e.EntityID, string(e.Action), csvSafe(string(e.Before)), csvSafe(string(e.After)), e.RequestID})
	})
	cw.Flush()
	if err != nil {
		// Headers are sent; the truncated file ends with a line saying so.
		_ = cw.Write([]string{"EXPORT AVBRUTEN / EXPORT FAILED", requestid.From(r.Context())})
		cw.Flush()
		h.web.Logger().ErrorContext(r.Context(), "audit csv export", "error", err.Error())
	}
	return nil
}

// csvSafe stops a spreadsheet from running a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// ListInput is the audit API's filter and page.
type ListInput struct {
	Actor    string `query:"actor" doc:"Username of who made the change" maxLength:"100"`
	Entity   string `query:"entity" doc:"Kind of record, e.g. user" maxLength:"100"`
	EntityID string `query:"entity_id" doc:"Id of the record" maxLength:"100"`
	Action   string `query:"action" enum:"create,update,delete,login,logout," doc:"What happened"`
	From     string `query:"from" doc:"First day, YYYY-MM-DD (Europe/Stockholm)" maxLength:"10"`
	To       string `query:"to" doc:"Last day, YYYY-MM-DD (Europe/Stockholm)" maxLength:"10"`
	api.PageParams
}

// ListOutput is one page of the audit log, newest first.
type ListOutput struct {
	Body struct {
		Items      []Entry `json:"items"`
		NextCursor string  `json:"next_cursor,omitempty" doc:"Pass as cursor to get the next page; absent on the last page"`
	}
}

// RegisterAPI adds GET /api/v1/audit.
func RegisterAPI(a *api.API, rd Reader) {
	api.Register(a, huma.Operation{OperationID: "list-audit", Method: http.MethodGet, Path: "/audit", Summary: "List the audit log, newest first", Tags: []string{"Audit"}},
		access.AuditRead, func(ctx context.Context, in *ListInput) (*ListOutput, error) {
			q := url.Values{"actor": {in.Actor}, "entity": {in.Entity}, "entity_id": {in.EntityID}, "action": {in.Action}, "from": {in.From}, "to": {in.To}}
			f, v := parseFilter(q)
			if err := v.Err(); err != nil {
				return nil, err
			}
			after, err := api.DecodeCursor(in.Cursor)
			if err != nil {
				return nil, err
			}
			entries, next, err := rd.Log.List(ctx, rd.DB, f, Page{After: after, Limit: in.Limit})
			if err != nil {
				return nil, err
			}
			out := &ListOutput{}
			out.Body.Items = append([]Entry{}, entries...)
			out.Body.NextCursor = api.EncodeCursor(next)
			return out, nil
		})
}
