package implement_test

import (
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

func TestPlanPages_EveryTemplateKeyExists(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, pattern := range []string{"templates/plan_*.html", "templates/comm_*.html", "templates/checklist_*.html"} {
		keys, err := i18n.TemplateKeys(implement.Templates(), pattern)
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) < 10 {
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
	// The keys the pages and the service build from values.
	built := []string{"implement.task.action_overdue", "implement.task.workspace_overdue", "implement.action.start_reason",
		"implement.introduce.reason", "implement.introduce.not_ready", "implement.action.due_before_start", "implement.action.gap_other_support"}
	for _, s := range implement.ActionStatuses {
		built = append(built, "implement.action.status."+string(s))
	}
	for _, c := range implement.Channels {
		built = append(built, "implement.comm.channel."+string(c))
	}
	for _, s := range []implement.ItemState{implement.ItemOpen, implement.ItemDone, implement.ItemWaived} {
		built = append(built, "implement.checklist.state."+string(s))
	}
	for _, g := range implement.GapSizes {
		built = append(built, "implement.action.gap_size."+string(g))
	}
	for _, key := range built {
		for _, loc := range i18n.Supported() {
			if !cat.Has(loc, key) {
				t.Errorf("%q is missing in %s", key, loc)
			}
		}
	}
}
