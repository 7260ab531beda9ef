package auth

import (
	"net/http"
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
	if form.Raw("password") != form.Raw("password_confirm") {
		form.AddError("password_confirm", "validation.password_mismatch")
	}
	if !form.HasErrors() {
		u, err := h.svc.CreateUser(r.Context(), NewUser{Username: form.Get("username"), DisplayName: form.Get("display_name"),
			Email: form.Get("email"), Password: form.Raw("password"), Roles: formRoles(form), Locale: "sv"})
		if err == nil {
			h.web.AddFlash(r, "success", "admin.users.created", "name", u.DisplayName)
			return web.Redirect(w, r, "/admin/anvandare")
		}
		if !form.Fail(err) {
			return err
		}
	}
	return h.web.Render(w, r, http.StatusUnprocessableEntity, "auth/user_form", "admin.users.new", UserFormPage{Form: form, Roles: roleChoices(form), New: true})
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
	form.Set("version", strconv.FormatInt(u.Version, 10))
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
	saved, err := h.svc.SaveUser(r.Context(), edit)
	data := UserFormPage{Form: form, User: current, Roles: roleChoices(form), PasswordForm: web.NewForm()}
	switch {
	case err == nil:
		h.web.AddFlash(r, "success", "admin.users.saved", "name", saved.DisplayName)
		return web.Redirect(w, r, "/admin/anvandare")
	case errs.KindOf(err) == errs.Conflict:
		// Keep what this person typed, show what the other person saved, and let
		// them save again on top of the newer version.
		data.Conflict = &current
		form.Set("version", strconv.FormatInt(current.Version, 10))
		form.AddError("version", "admin.users.conflict")
		return h.web.Render(w, r, http.StatusConflict, "auth/user_form", "admin.users.edit", data, "name", current.DisplayName)
	case form.Fail(err):
		return h.web.Render(w, r, http.StatusUnprocessableEntity, "auth/user_form", "admin.users.edit", data, "name", current.DisplayName)
	}
	return err
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
	if form.Raw("password") != form.Raw("password_confirm") {
		form.AddError("password_confirm", "validation.password_mismatch")
	} else if err := h.svc.SetPassword(r.Context(), u.Username, form.Raw("password")); err == nil {
		h.web.AddFlash(r, "success", "admin.users.password_set", "name", u.DisplayName)
		return web.Redirect(w, r, "/admin/anvandare/"+strconv.FormatInt(id, 10))
	} else if !form.Fail(err) {
		return err
	}
	edit := formOf(u)
	return h.web.Render(w, r, http.StatusUnprocessableEntity, "auth/user_form", "admin.users.edit",
		UserFormPage{Form: edit, User: u, Roles: roleChoices(edit), PasswordForm: form}, "name", u.DisplayName)
}
