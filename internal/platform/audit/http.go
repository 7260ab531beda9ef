package audit

import (
	"context"
	"embed"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
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
	Form        *web.Form
	Entries     []Entry
	EntityField web.FieldView // the entity filter, a choice of the entities in the log
	ActionField web.FieldView // the action filter
	Pager       web.Pager
	CSVLink     string // the CSV export of the same filter; empty while the filter is invalid
	Filtered    bool   // some filter is given, so "clear filter" is offered
	entities    map[string]string
}

// EntityLabel names an entity in the reader's language: the catalogue's
// audit.entity.<name> when it has one, else the name as stored.
func (p ListPage) EntityLabel(name string) string {
	if label, ok := p.entities[name]; ok {
		return label
	}
	return name
}

// filterParams are the query parameters of the filter, in form order.
var filterParams = []string{"actor", "entity", "entity_id", "action", "from", "to"}

// parseFilter reads the filter from query parameters shared by page, CSV and API.
func parseFilter(q url.Values) (Filter, *errs.ValidationError) {
	var v errs.ValidationError
	f := Filter{
		Actor:    strings.ToLower(strings.TrimSpace(q.Get("actor"))),
		Entity:   strings.TrimSpace(q.Get("entity")),
		EntityID: strings.TrimSpace(q.Get("entity_id")),
		Action:   Action(strings.TrimSpace(q.Get("action"))),
	}
	if f.Action != "" && !slices.Contains(Actions, f.Action) {
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
	names, err := h.rd.Log.Entities(r.Context(), h.rd.DB)
	if err != nil {
		return err
	}
	status := http.StatusOK
	data := ListPage{Form: form, entities: h.entityLabels(r, names)}
	if v.Err() != nil {
		form.Fail(v)
		status = http.StatusUnprocessableEntity
	} else {
		after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
		after = max(after, 0)
		var next int64
		data.Entries, next, err = h.rd.Log.List(r.Context(), h.rd.DB, f, Page{After: after, Limit: pageSize})
		if err != nil {
			return err
		}
		data.Pager = web.NewPager("/logg", filterQuery(q), after, next)
	}
	data.EntityField = data.entityField(form, names)
	data.ActionField = actionField(form)
	filter := filterQuery(q)
	data.Filtered = len(filter) > 0
	if !form.HasErrors() {
		data.CSVLink = "/logg.csv"
		if data.Filtered {
			data.CSVLink += "?" + filter.Encode()
		}
	}
	return h.web.Render(w, r, status, "audit/list", "audit.title", data)
}

// pageSize is how many entries the page shows at a time.
const pageSize = 50

// filterQuery keeps the non-empty filter parameters of q, for links that
// repeat the filter (pages, CSV export).
func filterQuery(q url.Values) url.Values {
	out := url.Values{}
	for _, k := range filterParams {
		if val := strings.TrimSpace(q.Get(k)); val != "" {
			out.Set(k, val)
		}
	}
	return out
}

// entityLabels names each entity in the request's language.
func (h *handler) entityLabels(r *http.Request, names []string) map[string]string {
	cat, loc := h.web.Catalog(), web.LocaleFrom(r.Context())
	labels := make(map[string]string, len(names))
	for _, n := range names {
		if key := "audit.entity." + n; cat.Has(loc, key) {
			labels[n] = cat.T(loc, key)
		}
	}
	return labels
}

// entityField is the entity filter. An entity asked for in the address but not
// (or no longer) in the log is still offered, so the form shows the filter in force.
func (p ListPage) entityField(form *web.Form, names []string) web.FieldView {
	cur := form.Get("entity")
	if cur != "" && !slices.Contains(names, cur) {
		names = append(slices.Clone(names), cur)
	}
	fv := web.FieldView{ID: "f-entity", Name: "entity", Label: "audit.entity", Value: cur, Error: form.ErrorFor("entity"),
		Options: []web.Option{{Value: "", LabelKey: "common.all", Selected: cur == ""}}}
	for _, n := range names {
		fv.Options = append(fv.Options, web.Option{Value: n, Label: p.EntityLabel(n), Selected: n == cur})
	}
	return fv
}

// actionField is the action filter.
func actionField(form *web.Form) web.FieldView {
	cur := form.Get("action")
	fv := web.FieldView{ID: "f-action", Name: "action", Label: "audit.action", Value: cur, Error: form.ErrorFor("action"),
		Options: []web.Option{{Value: "", LabelKey: "common.all", Selected: cur == ""}}}
	for _, a := range Actions {
		fv.Options = append(fv.Options, web.Option{Value: string(a), LabelKey: "audit.action." + string(a), Selected: string(a) == cur})
	}
	return fv
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
			csvSafe(e.ActorName), csvSafe(e.Entity), csvSafe(e.EntityID), csvSafe(string(e.Action)),
			csvSafe(string(e.Before)), csvSafe(string(e.After)), csvSafe(e.RequestID)})
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

// csvSafe stops a spreadsheet from running a cell as a formula (OWASP's advice
// on CSV injection): a cell starting with a character that opens a formula gets
// a leading apostrophe, so it is shown as text.
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
				return nil, api.InQuery(err)
			}
			after, err := api.DecodeCursor(in.Cursor)
			if err != nil {
				return nil, api.InQuery(err)
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
