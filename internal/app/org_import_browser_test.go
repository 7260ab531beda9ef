package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kunskapsnav/kunskapsnav/internal/browsertest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
)

// TestBrowser_ImportPagesWithoutViolations walks the import as a coordinator
// does, by keyboard: the page, the form sent without a file, a file with
// problems, a good file's preview and its confirmation; each page is checked
// with axe-core.
func TestBrowser_ImportPagesWithoutViolations(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser test")
	}
	ta := newTestApp(t, dbtest.Open(t, db.SQLite))
	base := ta.srv.URL
	b := browsertest.New(t).NewTab(t)
	loginByKeyboard(t, b, base, "samordnare")

	dir := t.TempDir()
	bad := filepath.Join(dir, "fel.csv")
	good := filepath.Join(dir, "enheter.csv")
	if err := os.WriteFile(bad, []byte(strings.Replace(importUnitsCSV, ";annan", ";sjukhus", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte(importUnitsCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	submit := func(file string) {
		t.Helper()
		if err := b.Navigate(base + "/organisation/import"); err != nil {
			t.Fatal(err)
		}
		if file != "" {
			ctx, cancel := context.WithTimeout(b.Ctx(), 10*time.Second)
			defer cancel()
			if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{file})); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.TabTo("main form button[type=submit]", 40); err != nil {
			t.Fatal(err)
		}
		if err := b.Enter(); err != nil {
			t.Fatal(err)
		}
	}

	if err := b.Navigate(base + "/organisation/import"); err != nil {
		t.Fatal(err)
	}
	checkPage(t, b, "import page")

	submit("")
	if ok, _ := b.FocusedSelectorMatches(".error-summary"); !ok {
		t.Error("focus did not move to the error summary")
	}
	checkPage(t, b, "import form without a file")

	submit(bad)
	if text, _ := b.Text("#import-errors caption"); text == "" {
		t.Error("no table of problems")
	}
	checkPage(t, b, "preview with problems")

	submit(good)
	if err := b.TabTo(`main form[action$="/bekrafta"] button`, 40); err != nil {
		t.Fatal(err)
	}
	checkPage(t, b, "preview of a good file")
	if err := b.Enter(); err != nil {
		t.Fatal(err)
	}
	if text, _ := b.Text(".flash"); !strings.Contains(text, "3 nya") {
		t.Errorf("after confirming: flash %q", text)
	}
	checkPage(t, b, "import page after the import")
}
