package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// Form carries what a person typed and what was wrong with it, so a form is
// shown again with every value kept and every problem next to its field and in
// the summary at the top.
type Form struct {
	Values url.Values
	Errors []errs.Field
}

// NewForm returns an empty form.
func NewForm() *Form { return &Form{Values: url.Values{}} }

// ParseForm reads a submitted form from r. An oversized body is reported as
// errs.ErrTooLarge.
func ParseForm(r *http.Request) (*Form, error) {
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, fmt.Errorf("read form: %w: %w", errs.ErrTooLarge, mbe)
		}
		return nil, errs.Invalidf("form", "validation.form")
	}
	return &Form{Values: r.PostForm}, nil
}

// QueryForm is the query string of r as a form, for the filters and searches
// of a GET form.
func QueryForm(r *http.Request) *Form { return &Form{Values: r.URL.Query()} }

// Get returns the trimmed value of field name.
func (f *Form) Get(name string) string {
	if f == nil {
		return ""
	}
	return strings.TrimSpace(f.Values.Get(name))
}

// Raw returns the value of field name as typed (passwords must not be trimmed).
func (f *Form) Raw(name string) string {
	if f == nil {
		return ""
	}
	return f.Values.Get(name)
}

// Set sets the value of field name.
func (f *Form) Set(name, value string) { f.Values.Set(name, value) }

// Fail records err on the form if it is a validation error and reports whether
// it was; other errors are for the caller to return.
func (f *Form) Fail(err error) bool {
	v, ok := errs.AsValidation(err)
	if !ok {
		return false
	}
	f.Errors = append(f.Errors, v.Fields...)
	return true
}

// AddError records a problem with field name.
func (f *Form) AddError(name, key string, args ...any) {
	f.Errors = append(f.Errors, errs.Field{Name: name, Key: key, Args: args})
}

// HasErrors reports whether any problem is recorded.
func (f *Form) HasErrors() bool { return f != nil && len(f.Errors) > 0 }

// ErrorFor returns the first problem with field name.
func (f *Form) ErrorFor(name string) *errs.Field {
	if f == nil {
		return nil
	}
	for i := range f.Errors {
		if f.Errors[i].Name == name {
			return &f.Errors[i]
		}
	}
	return nil
}

// Clear drops the value of field name, for passwords that must not be echoed.
func (f *Form) Clear(names ...string) {
	for _, n := range names {
		f.Values.Del(n)
	}
}

// FieldView is one field as the "field" partial renders it.
type FieldView struct {
	ID           string
	Name         string
	Label        string
	Hint         string
	Type         string
	Value        string
	Required     bool
	Autocomplete string
	Error        *errs.Field
	Options      []Option
}

// Option is one choice of a select field.
type Option struct {
	Value    string
	LabelKey string
	Label    string
	Selected bool
}

// newFieldView builds a FieldView for templates:
// {{template "field" (field .Data.Form "username" "auth.username" "required" "autocomplete=username")}}.
// Options: "required", "type=password", "autocomplete=…", "hint=catalogue.key".
func newFieldView(f *Form, name, label string, opts ...string) FieldView {
	v := FieldView{ID: "f-" + name, Name: name, Label: label, Type: "text"}
	if f != nil {
		v.Value = f.Values.Get(name)
		v.Error = f.ErrorFor(name)
	}
	for _, o := range opts {
		k, val, _ := strings.Cut(o, "=")
		switch k {
		case "required":
			v.Required = true
		case "type":
			v.Type = val
		case "autocomplete":
			v.Autocomplete = val
		case "hint":
			v.Hint = val
		}
	}
	if v.Type == "password" {
		v.Value = ""
	}
	return v
}
