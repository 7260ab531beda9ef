package forum

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/files"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// addDocument adds the file and title of an upload form as the document d
// of a case or a meeting, and says so in a flash; then it returns a nil form.
// When the upload or the document is refused for a reason the form shows, it
// returns the form with its problems; any other error is returned as such.
func (h *handler) addDocument(r *http.Request, d Document) (*web.Form, error) {
	name, content, err := files.FromRequest(r, "file", DocumentLimit)
	form := &web.Form{Values: r.PostForm}
	if form.Values == nil {
		form.Values = url.Values{}
	}
	if err == nil {
		d.Title = form.Get("title")
		var saved Document
		if saved, err = h.svc.AddDocument(r.Context(), d, name, content); err == nil {
			h.web.AddFlash(r, "success", "forum.document.added", "title", saved.Title)
			return nil, nil
		}
	}
	if !form.Fail(err) {
		return nil, err
	}
	return form, nil
}

// Choices for forms: each list starts with an empty choice labelled by
// emptyKey.

// personOptions offers people as "name, title".
func personOptions(people []PersonRef, emptyKey string) []web.Option {
	out := []web.Option{web.Choose(emptyKey)}
	for _, p := range people {
		label := p.Name
		if p.Title != "" {
			label += ", " + p.Title
		}
		out = append(out, web.Option{Value: web.IDText(p.ID), Label: label})
	}
	return out
}

// forumOptions offers forums by name.
func forumOptions(forums []Forum, emptyKey string) []web.Option {
	out := []web.Option{web.Choose(emptyKey)}
	for _, f := range forums {
		out = append(out, web.Option{Value: web.IDText(f.ID), Label: f.Name})
	}
	return out
}

// municipalityOptions offers municipalities by name, valued by code.
func municipalityOptions(municipalities []MunicipalityRef, emptyKey string) []web.Option {
	out := []web.Option{web.Choose(emptyKey)}
	for _, m := range municipalities {
		out = append(out, web.Option{Value: m.Code, Label: m.Name})
	}
	return out
}

// yearOptions offers years, after a choice of all of them.
func yearOptions(years []int) []web.Option {
	out := []web.Option{web.Choose("common.all")}
	for _, y := range years {
		out = append(out, web.Option{Value: strconv.Itoa(y), Label: strconv.Itoa(y)})
	}
	return out
}
