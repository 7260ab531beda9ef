package mail

import (
	"embed"
	"net/http"
	"strconv"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

// Templates are the package's page templates, for the catalogue-key test.
func Templates() embed.FS { return templates }

// pageSize is how many messages the outbox page shows at a time.
const pageSize = 50

// Register adds the outbox page (/admin/epost) for administrators to s.
func Register(s *web.Server, o *Outbox) error {
	if err := s.AddTemplates("mail", templates, "templates"); err != nil {
		return err
	}
	h := &handler{outbox: o, web: s}
	s.Handle("GET /admin/epost", access.AdminOnly, h.list)
	s.AddNav(web.NavItem{Href: "/admin/epost", Key: "mail.nav", Perm: access.AdminOnly, Order: 96})
	return nil
}

type handler struct {
	outbox *Outbox
	web    *web.Server
}

// OutboxPage is the data of the outbox page.
type OutboxPage struct {
	Entries    []Entry
	Pager      web.Pager
	Configured bool // an SMTP server is set, so pending messages will be sent
	First      bool // the newest messages are shown
}

func (h *handler) list(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
	after = max(after, 0)
	entries, next, err := h.outbox.List(r.Context(), after, pageSize)
	if err != nil {
		return err
	}
	return h.web.Render(w, r, http.StatusOK, "mail/outbox", "mail.outbox.title", OutboxPage{
		Entries:    entries,
		Pager:      web.NewPager("/admin/epost", q, after, next),
		Configured: h.outbox.Configured(),
		First:      after == 0,
	})
}
