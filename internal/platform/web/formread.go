package web

import (
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// PathID reads the {id} of a route; anything but a positive number is not
// found.
func PathID(r *http.Request) (int64, error) {
	return PathInt(r, "id")
}

// PathInt reads the positive number {name} of a route; anything else is not
// found.
func PathInt(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.ErrNotFound
	}
	return id, nil
}

// Version reads the hidden version field of an edit or delete form.
func (f *Form) Version() (int64, error) {
	v, err := strconv.ParseInt(f.Get("version"), 10, 64)
	if err != nil || v <= 0 {
		return 0, errs.Invalidf("version", "validation.form")
	}
	return v, nil
}

// SetVersion puts a record's version in the hidden version field of its edit
// or delete form.
func (f *Form) SetVersion(v int64) { f.Set("version", strconv.FormatInt(v, 10)) }

// Conflict marks the form as stale: the record was saved by someone else
// since the form was opened and is now at version v. The form takes the new
// version, so that sending it again overwrites knowingly, and shows the
// problem key.
func (f *Form) Conflict(v int64, key string) {
	f.SetVersion(v)
	f.AddError("conflict", key)
}

// ID reads an optional reference to another record; empty is 0, anything
// but a positive number is a problem at the field.
func (f *Form) ID(name string) int64 {
	s := f.Get(name)
	if s == "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		f.AddError(name, "validation.choice")
		return 0
	}
	return id
}

// IDs reads every value of a multi-valued reference (checkboxes, a multiple
// select); a value that is not a positive number is a problem at the field.
func (f *Form) IDs(name string) []int64 {
	var out []int64
	for _, s := range f.Values[name] {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			f.AddError(name, "validation.choice")
			return nil
		}
		out = append(out, id)
	}
	return out
}

// Date reads an optional date written YYYY-MM-DD.
func (f *Form) Date(name string) date.Date {
	d, err := date.Parse(f.Get(name))
	if err != nil {
		f.AddError(name, "validation.date")
	}
	return d
}

// Int reads a required whole number; spaces between digit groups are allowed.
func (f *Form) Int(name string) int64 {
	s := strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(f.Get(name))
	if s == "" {
		f.AddError(name, "validation.required")
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f.AddError(name, "validation.integer")
		return 0
	}
	return n
}

// Merge records the problems of a domain Validate (or any error holding an
// errs.ValidationError) on the form, except at fields whose input could not
// even be read.
func (f *Form) Merge(err error) {
	v, ok := errs.AsValidation(err)
	if !ok {
		return
	}
	for _, p := range v.Fields {
		if f.ErrorFor(p.Name) == nil {
			f.Errors = append(f.Errors, p)
		}
	}
}

// SortErrors orders the form's problems as its fields appear, so the error
// summary reads top to bottom like the form.
func (f *Form) SortErrors(order ...string) {
	rank := func(name string) int {
		if i := slices.Index(order, name); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(f.Errors, func(a, b errs.Field) int { return rank(a.Name) - rank(b.Name) })
}

// Select builds a select for the "field" partial with the option whose value
// the form holds selected. Options are "required" and "hint=key".
func (f *Form) Select(name, label string, options []Option, opts ...string) FieldView {
	v := FieldView{ID: "f-" + name, Name: name, Label: label, Value: f.Get(name), Error: f.ErrorFor(name)}
	for _, o := range opts {
		k, val, _ := strings.Cut(o, "=")
		switch k {
		case "required":
			v.Required = true
		case "hint":
			v.Hint = val
		}
	}
	v.Options = make([]Option, len(options))
	for i, o := range options {
		o.Selected = o.Value == v.Value
		v.Options[i] = o
	}
	return v
}

// Choose is the empty first option of a select, labelled by key.
func Choose(key string) Option { return Option{Value: "", LabelKey: key} }

// EnumOptions lists the values of an enumeration labelled prefix+value.
func EnumOptions[T ~string](values []T, prefix string) []Option {
	out := make([]Option, len(values))
	for i, v := range values {
		out[i] = Option{Value: string(v), LabelKey: prefix + string(v)}
	}
	return out
}

// IDText writes an id for a form field; 0 is empty.
func IDText(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// WithPartials is a folder of page templates that reads each page with the
// partial files (paths in partials) appended, so every page can call the
// partials' {{define}}s, and leaves files named like a partial out of every
// listing. Use it with AddTemplates.
func WithPartials(pages, partials fs.FS, partialPaths ...string) (fs.FS, error) {
	var b []byte
	names := make([]string, len(partialPaths))
	for i, name := range partialPaths {
		p, err := fs.ReadFile(partials, name)
		if err != nil {
			return nil, err
		}
		b = append(append(b, '\n'), p...)
		names[i] = path.Base(name)
	}
	return pageFS{FS: pages, partials: b, names: names}, nil
}

type pageFS struct {
	fs.FS
	partials []byte
	names    []string
}

// Glob lists the pages matching pattern.
func (p pageFS) Glob(pattern string) ([]string, error) {
	names, err := fs.Glob(p.FS, pattern)
	return slices.DeleteFunc(names, func(n string) bool { return slices.Contains(p.names, path.Base(n)) }), err
}

// ReadFile returns the page called name followed by the partials.
func (p pageFS) ReadFile(name string) ([]byte, error) {
	b, err := fs.ReadFile(p.FS, name)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(b)+len(p.partials))
	return append(append(out, b...), p.partials...), nil
}
