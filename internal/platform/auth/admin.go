package auth

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// registerAdmin adds the user administration pages.
func (h *Handler) registerAdmin(s *web.Server) {
	s.Handle("GET /admin/anvandare", access.AdminOnly, h.users)
	s.Handle("GET /admin/anvandare/ny", access.AdminOnly, h.newUserForm)
	s.Handle("POST /admin/anvandare/ny", access.AdminOnly, h.createUser)
	s.Handle("GET /admin/anvandare/{id}", access.AdminOnly, h.editUser)
	s.Handle("POST /admin/anvandare/{id}", access.AdminOnly, h.saveUser)
	s.Handle("POST /admin/anvandare/{id}/losenord", access.AdminOnly, h.setUserPassword)
	s.AddNav(web.NavItem{Href: "/admin/anvandare", Key: "nav.users", Perm: access.AdminOnly, Order: 95})
}

// UsersPage is the data of the user list.
type UsersPage struct {
	Users []User
}

func (h *Handler) users(w http.ResponseWriter, r *http.Request) error {
	users, err := h.svc.Users(r.Context())
	if err != nil {
		return err
	}
	return h.web.Render(w, r, http.StatusOK, "auth/users", "admin.users.title", UsersPage{Users: users})
}

// UserFormPage is the data of the new-user and edit-user pages.
type UserFormPage struct {
	Form         *web.Form
	User         User
	Roles        []RoleChoice
	PasswordForm *web.Form
	Conflict     *User // the newer version someone else saved, shown beside the edit
	New          bool
}

// RoleChoice is one role checkbox.
type RoleChoice struct {
	Role    access.Role
	Checked bool
}

func roleChoices(form *web.Form) []RoleChoice {
	chosen := map[string]bool{}
	for _, r := range form.Values["roles"] {
		chosen[r] = true
	}
	out := make([]RoleChoice, len(access.Roles))
	for i, r := range access.Roles {
		out[i] = RoleChoice{Role: r, Checked: chosen[string(r)]}
	}
	return out
}

func formRoles(form *web.Form) []access.Role {
	var roles []access.Role
	for _, v := range form.Values["roles"] {
		roles = append(roles, access.Role(v))
	}
	return roles
}

func (h *Handler) newUserForm(w http.ResponseWriter, r *http.Request) error {
	form := web.NewForm()
	return h.web.Render(w, r, http.StatusOK, "auth/user_form", "admin.users.new", UserFormPage{Form: form, Roles: roleChoices(form), New: true})
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	n := NewUser{Username: form.Get("username"), DisplayName: form.Get("display_name"), Email: form.Get("email"),
		Password: form.Raw("password"), Roles: formRoles(form), Locale: "sv"}
	// Show every problem at once, not one round trip each.
	check := n
	check.Normalize()
	form.Fail(check.Validate())
	if form.Raw("password") != form.Raw("password_confirm") {
		form.AddError("password_confirm", "validation.password_mismatch")
	}
	if !form.HasErrors() {
		u, err := h.svc.CreateUser(r.Context(), n)
		if err == nil {
			h.web.AddFlash(r, "success", "admin.users.created", "name", u.DisplayName)
			return web.Redirect(w, r, "/admin/anvandare")
		}
		if !form.Fail(err) {
			return err
		}
	}
	sortErrors(form, "username", "display_name", "email", "password", "password_confirm", "roles")
	form.Clear("password", "password_confirm")
	return h.web.Render(w, r, http.StatusUnprocessableEntity, "auth/user_form", "admin.users.new", UserFormPage{Form: form, Roles: roleChoices(form), New: true})
}

// sortErrors orders the form's problems as its fields appear, so the error
// summary reads top to bottom like the form.
func sortErrors(form *web.Form, order ...string) {
	rank := func(name string) int {
		if i := slices.Index(order, name); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(form.Errors, func(a, b errs.Field) int { return rank(a.Name) - rank(b.Name) })
}

func userID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.ErrNotFound
	}
	return id, nil
}

// formOf fills a form with the stored account.
func formOf(u User) *web.Form {
	form := web.NewForm()
	form.Set("display_name", u.DisplayName)
	form.Set("email", u.Email)
	form.SetVersion(u.Version)
	if u.Active {
		form.Set("active", "1")
	}
	for _, r := range u.Roles {
		form.Values.Add("roles", string(r))
	}
	return form
}

func (h *Handler) editUser(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	u, err := h.svc.User(r.Context(), id)
	if err != nil {
		return err
	}
	form := formOf(u)
	return h.web.Render(w, r, http.StatusOK, "auth/user_form", "admin.users.edit", UserFormPage{Form: form, User: u, Roles: roleChoices(form), PasswordForm: web.NewForm()}, "name", u.DisplayName)
}

func (h *Handler) saveUser(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	current, err := h.svc.User(r.Context(), id)
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(form.Get("version"), 10, 64)
	if err != nil {
		return errs.Invalidf("version", "validation.form")
	}
	edit := current
	edit.DisplayName, edit.Email, edit.Active = form.Get("display_name"), form.Get("email"), form.Get("active") == "1"
	edit.Roles, edit.Version = formRoles(form), version
	checkEdit(r, form, edit)
	data := UserFormPage{Form: form, User: current, Roles: roleChoices(form), PasswordForm: web.NewForm()}
	if !form.HasErrors() {
		saved, err := h.svc.SaveUser(r.Context(), edit)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "admin.users.saved", "name", saved.DisplayName)
			return web.Redirect(w, r, "/admin/anvandare")
		case errors.Is(err, errs.ErrConflict):
			return h.conflict(w, r, data)
		case !form.Fail(err):
			return err
		}
	}
	sortErrors(form, "display_name", "email", "roles", "active")
	return h.web.Render(w, r, http.StatusUnprocessableEntity, "auth/user_form", "admin.users.edit", data, "name", current.DisplayName)
}

// checkEdit records on form what is wrong with an administrator's edit of an
// account, every problem at once and each at its own field. SaveUser checks the
// same again; an administrator may not lock themselves out.
func checkEdit(r *http.Request, form *web.Form, u User) {
	form.Fail(NewUser{Username: u.Username, DisplayName: u.DisplayName, Email: u.Email, Locale: u.Locale, Roles: u.Roles, Demo: true}.Validate())
	if access.From(r.Context()).UserID != u.ID {
		return
	}
	if !slices.Contains(u.Roles, access.Admin) {
		form.AddError("roles", "validation.self_admin_role")
	}
	if !u.Active {
		form.AddError("active", "validation.self_deactivate")
	}
}

// conflict answers an edit made on an old version: it keeps what this person
// typed, shows what the other person saved, and lets them save again on top of
// the newer version.
func (h *Handler) conflict(w http.ResponseWriter, r *http.Request, data UserFormPage) error {
	latest, err := h.svc.User(r.Context(), data.User.ID)
	if err != nil {
		return err
	}
	data.User, data.Conflict = latest, &latest
	data.Form.Set("version", strconv.FormatInt(latest.Version, 10))
	data.Form.AddError("conflict", "admin.users.conflict")
	return h.web.Render(w, r, http.StatusConflict, "auth/user_form", "admin.users.edit", data, "name", latest.DisplayName)
}

func (h *Handler) setUserPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	u, err := h.svc.User(r.Context(), id)
	if err != nil {
		return err
	}
	if key, args := passwordProblem(u.Username, form.Raw("password")); key != "" {
		form.AddError("password", key, args...)
	}
	if form.Raw("password") != form.Raw("password_confirm") {
		form.AddError("password_confirm", "validation.password_mismatch")
	}
	if !form.HasErrors() {
		err := h.svc.SetPassword(r.Context(), u.Username, form.Raw("password"))
		if err == nil {
			h.web.AddFlash(r, "success", "admin.users.password_set", "name", u.DisplayName)
			return web.Redirect(w, r, "/admin/anvandare/"+strconv.FormatInt(id, 10))
		}
		if !form.Fail(err) {
			return err
		}
	}
	form.Clear("password", "password_confirm")
	edit := formOf(u)
	return h.web.Render(w, r, http.StatusUnprocessableEntity, "auth/user_form", "admin.users.edit",
		UserFormPage{Form: edit, User: u, Roles: roleChoices(edit), PasswordForm: form}, "name", u.DisplayName)
}
