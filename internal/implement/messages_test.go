package implement_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// codeKey is a string literal of the package's Go code that names an
// implement key.
var codeKey = regexp.MustCompile(`"(implement\.[a-z0-9_.]*[a-z0-9_])"`)

// notKeys are literals of that shape that are no message: mail and job
// kinds and permissions.
var notKeys = map[string]bool{"implement.comment_round": true, "implement.survey": true, "implement.survey_reminder": true,
	"implement.survey_reminders": true, "implement.coordinate": true, "implement.oversee": true}

// TestMessages_EveryKeyExists checks, in every language, every message key
// the package's Go code names (service, validation, handlers) and those it
// builds from values. The templates' keys are checked for every package by
// internal/app's TestCatalog_EveryTemplateKeyExists.
func TestMessages_EveryKeyExists(t *testing.T) {
	t.Parallel()
	cat := must(i18n.Load())(t)
	files := must(filepath.Glob("*.go"))(t)
	var keys []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		for _, m := range codeKey.FindAllStringSubmatch(string(must(os.ReadFile(f))(t)), -1) {
			if !notKeys[m[1]] {
				keys = append(keys, m[1])
			}
		}
	}
	if len(keys) < 300 {
		t.Errorf("only %d keys found in the code", len(keys))
	}
	keys = append(keys, "audit.entity.gap_comparison", "audit.entity.implementation_summary", "error.unavailable")
	for _, l := range implement.Levels {
		keys = append(keys, "implement.gap.level."+string(l), "implement.gap.level."+string(l)+".note", "implement.template.level."+string(l))
		if l != implement.Basic {
			keys = append(keys, "implement.gap.level."+string(l)+".show")
		}
	}
	var page implement.ComparisonPage
	keys = append(keys, page.SizeKey(""), "implement.report.size.not_judged")
	for _, g := range implement.GapSizes {
		keys = append(keys, "implement.gap.size."+string(g), "implement.action.gap_size."+string(g), "implement.report.size."+string(g), page.SizeKey(g))
	}
	for _, c := range []implement.Compliance{implement.Complies, implement.Partly, implement.NotYet} {
		keys = append(keys, "implement.gap.survey."+string(c))
	}
	for _, s := range implement.ActionStatuses {
		keys = append(keys, "implement.action.status."+string(s), "implement.report.action_status."+string(s), "implement.comment.action_status."+string(s))
	}
	for _, c := range implement.Channels {
		keys = append(keys, "implement.comm.channel."+string(c), "implement.report.channel."+string(c))
	}
	for _, s := range []implement.ItemState{implement.ItemOpen, implement.ItemDone, implement.ItemWaived} {
		keys = append(keys, "implement.checklist.state."+string(s), "implement.report.item_state."+string(s))
	}
	for _, k := range []string{"required", "unknown_property", "type", "enum", "const", "min_length", "max_length", "pattern", "min_items", "max_items", "minimum", "format", "other"} {
		keys = append(keys, "implement.exchange.reason."+k)
	}
	for _, key := range keys {
		for _, loc := range i18n.Supported() {
			if !cat.Has(loc, key) {
				t.Errorf("%q is missing in %s", key, loc)
			}
			if strings.HasPrefix(key, "implement.exchange.reason.") && !strings.Contains(cat.T(loc, key, "path", "/x"), "/x") {
				t.Errorf("%q in %s does not name the place", key, loc)
			}
		}
	}
}
