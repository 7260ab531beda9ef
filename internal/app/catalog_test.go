package app

import (
	"fmt"
	"github.com/kunskapsnav/kunskapsnav/internal/catalog"
	"io/fs"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/org"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/mail"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
	"github.com/kunskapsnav/kunskapsnav/internal/priority"
)

// templateSets lists every embedded template folder of the product: the
// platform's and every feature package's. A new feature adds its Templates()
// here.
func templateSets() map[string]fs.FS {
	return map[string]fs.FS{
		"web":       web.BaseTemplates(),
		"auth":      auth.Templates(),
		"app":       Templates(),
		"audit":     audit.Templates(),
		"api":       api.Templates(),
		"org":       org.Templates(),
		"forum":     forum.Templates(),
		"catalog":   catalog.Templates(),
		"priority":  priority.Templates(),
		"implement": implement.Templates(),
		"mail":      mail.Templates(),
	}
}

// TestCatalog_EveryTemplateKeyExists fails when a template uses a key that is
// missing from the catalogue.
func TestCatalog_EveryTemplateKeyExists(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for name, fsys := range templateSets() {
		keys, err := i18n.TemplateKeys(fsys, "templates/*.html")
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) == 0 {
			t.Errorf("%s: no keys found in templates", name)
		}
		for key, files := range keys {
			for _, loc := range i18n.Supported() {
				if !cat.Has(loc, key) {
					t.Errorf("%s: key %q used in %v is missing in %s", name, key, files, loc)
				}
			}
		}
	}
}

// TestCatalog_KeysBuiltInCode covers keys that code builds from values: roles,
// error kinds and error page titles, start cards, and navigation.
func TestCatalog_KeysBuiltInCode(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range access.Roles {
		keys = append(keys, "role."+string(r))
	}
	for k := errs.Internal; k <= errs.Locked; k++ {
		keys = append(keys, k.Key())
	}
	for _, s := range []int{400, 401, 403, 404, 409, 413, 422, 500} {
		keys = append(keys, fmt.Sprintf("error.title_%d", s))
	}
	for _, c := range startCards {
		keys = append(keys, c.card.TitleKey, c.card.BodyKey, c.card.LinkKey)
	}
	keys = append(keys, "auth.login.failed", "auth.login.throttled", "auth.password.changed", "auth.token.deleted",
		"validation.username", "validation.username_taken", "validation.too_long", "validation.email", "validation.password_short",
		"validation.password_username", "validation.role", "validation.locale", "validation.current_password",
		"validation.future_date", "validation.date", "validation.password_mismatch", "validation.required", "validation.form",
		"error.too_large_limit")
	for _, key := range keys {
		for _, loc := range i18n.Supported() {
			if !cat.Has(loc, key) {
				t.Errorf("key %q missing in %s", key, loc)
			}
		}
	}
}
