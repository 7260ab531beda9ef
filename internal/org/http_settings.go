package org

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// NationalPage is the data of the national structure page.
type NationalPage struct {
	Structure NationalStructure
	Sections  []NationalSection
	Names     Names
}

// NationalSection is the national groups of one kind.
type NationalSection struct {
	Kind GroupKind
	Rows []NationalRow
}

func (h *handler) national(w http.ResponseWriter, r *http.Request) error {
	ns, err := h.svc.NationalStructure(r.Context())
	if err != nil {
		return err
	}
	names, _, _, err := h.loadNames(r.Context(), nil)
	if err != nil {
		return err
	}
	data := NationalPage{Structure: ns, Names: names}
	for _, k := range NationalKinds {
		sec := NationalSection{Kind: k}
		for _, row := range ns.Rows {
			if row.Group.Kind == k {
				sec.Rows = append(sec.Rows, row)
			}
		}
		if len(sec.Rows) > 0 {
			data.Sections = append(data.Sections, sec)
		}
	}
	return h.render(w, r, http.StatusOK, "national", "org.national.title", data)
}

// SettingsPage is the data of the settings page.
type SettingsPage struct {
	Form       *web.Form
	HomeRegion web.FieldView
	Conflict   *Settings // the newer version someone else saved
	Names      Names
}

// settingsFields is the order of the settings form's fields.
var settingsFields = []string{"conflict", "home_region", "annual_cost_per_fte", "overhead_percent", "travel_per_person", "key_role_limit"}

func (h *handler) settingsPage(r *http.Request, form *web.Form) (SettingsPage, error) {
	names, regions, _, err := h.loadNames(r.Context(), nil)
	if err != nil {
		return SettingsPage{}, err
	}
	return SettingsPage{
		Form: form, Names: names,
		HomeRegion: form.Select("home_region", "org.settings.home_region", regionOptions(regions, "org.choose"), "required", "hint=org.settings.home_region_hint"),
	}, nil
}

// settingsFormOf fills a form with the stored settings.
func settingsFormOf(st Settings) *web.Form {
	form := web.NewForm()
	form.Set("home_region", st.HomeRegion)
	form.Set("annual_cost_per_fte", strconv.FormatInt(st.AnnualCostPerFTE, 10))
	form.Set("overhead_percent", strconv.FormatInt(st.OverheadPercent, 10))
	form.Set("travel_per_person", strconv.FormatInt(st.TravelPerPerson, 10))
	form.Set("key_role_limit", strconv.Itoa(st.KeyRoleLimit))
	form.SetVersion(st.Version)
	return form
}

func (h *handler) settings(w http.ResponseWriter, r *http.Request) error {
	st, err := h.svc.Settings(r.Context())
	if err != nil {
		return err
	}
	data, err := h.settingsPage(r, settingsFormOf(st))
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "settings", "org.settings.title", data)
}

func (h *handler) saveSettings(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	st := Settings{
		HomeRegion:       form.Get("home_region"),
		AnnualCostPerFTE: form.Int("annual_cost_per_fte"),
		OverheadPercent:  form.Int("overhead_percent"),
		TravelPerPerson:  form.Int("travel_per_person"),
		KeyRoleLimit:     int(form.Int("key_role_limit")),
		Version:          version,
	}
	form.Merge(st.Validate())
	status := http.StatusUnprocessableEntity
	var conflict *Settings
	if !form.HasErrors() {
		_, err := h.svc.SaveSettings(r.Context(), st)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "org.settings.saved")
			return web.Redirect(w, r, "/organisation/installningar")
		case errors.Is(err, errs.ErrConflict):
			latest, err := h.svc.Settings(r.Context())
			if err != nil {
				return err
			}
			form.Conflict(latest.Version, "org.conflict")
			status, conflict = http.StatusConflict, &latest
		case !form.Fail(err):
			return err
		}
	}
	form.SortErrors(settingsFields...)
	data, err := h.settingsPage(r, form)
	if err != nil {
		return err
	}
	data.Conflict = conflict
	return h.render(w, r, status, "settings", "org.settings.title", data)
}
