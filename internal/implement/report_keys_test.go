package implement_test

import (
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// TestReportPages_EveryKeyExists checks the keys of the report and summary
// templates and those the report builds from values, in every language.
func TestReportPages_EveryKeyExists(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, pattern := range []string{"templates/report_*.html", "templates/summary_*.html"} {
		keys, err := i18n.TemplateKeys(implement.Templates(), pattern)
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) < 5 {
			t.Errorf("%s: only %d keys found", pattern, len(keys))
		}
		for key := range keys {
			for _, loc := range i18n.Supported() {
				if !cat.Has(loc, key) {
					t.Errorf("%s: %q is missing in %s", pattern, key, loc)
				}
			}
		}
	}
	built := []string{"implement.report.size.not_judged", "error.unavailable", "audit.entity.implementation_summary"}
	for _, s := range implement.ActionStatuses {
		built = append(built, "implement.report.action_status."+string(s))
	}
	for _, c := range implement.Channels {
		built = append(built, "implement.report.channel."+string(c))
	}
	for _, s := range []implement.ItemState{implement.ItemOpen, implement.ItemDone, implement.ItemWaived} {
		built = append(built, "implement.report.item_state."+string(s))
	}
	for _, g := range implement.GapSizes {
		built = append(built, "implement.report.size."+string(g))
	}
	for _, key := range built {
		for _, loc := range i18n.Supported() {
			if !cat.Has(loc, key) {
				t.Errorf("%q is missing in %s", key, loc)
			}
		}
	}
}
