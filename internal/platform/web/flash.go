package web

import (
	"encoding/json"
	"net/http"
)

// Flash is a one-time message shown on the next page a person sees.
type Flash struct {
	Kind string `json:"kind"` // "success" or "error"
	Key  string `json:"key"`
	Args []any  `json:"args,omitempty"`
}

const flashKey = "flash"

// AddFlash queues a message for the next page of this session.
func (s *Server) AddFlash(r *http.Request, kind, key string, args ...any) {
	var all []Flash
	if raw := s.sessions.GetString(r.Context(), flashKey); raw != "" {
		_ = json.Unmarshal([]byte(raw), &all)
	}
	all = append(all, Flash{Kind: kind, Key: key, Args: args})
	b, _ := json.Marshal(all)
	s.sessions.Put(r.Context(), flashKey, string(b))
}

func (s *Server) popFlashes(r *http.Request) []Flash {
	defer func() { _ = recover() }() // no session loaded (static files, tests): no flashes
	raw := s.sessions.PopString(r.Context(), flashKey)
	if raw == "" {
		return nil
	}
	var all []Flash
	_ = json.Unmarshal([]byte(raw), &all)
	return all
}

// Redirect sends a 303 See Other to a local path, the answer to a successful POST.
func Redirect(w http.ResponseWriter, r *http.Request, path string) error {
	http.Redirect(w, r, LocalPath(path, "/"), http.StatusSeeOther)
	return nil
}

// LocalPath returns p if it is a path on this site, else fallback, so a "next"
// parameter can never send a person to another site.
func LocalPath(p, fallback string) string {
	if len(p) == 0 || p[0] != '/' || (len(p) > 1 && (p[1] == '/' || p[1] == '\\')) {
		return fallback
	}
	for _, c := range p {
		if c < 0x20 || c == 0x7f {
			return fallback
		}
	}
	return p
}
