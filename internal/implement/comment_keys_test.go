package implement_test

import (
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// TestCommentPages_EveryKeyExists checks that every catalogue key of the
// history and comment-round pages, and every key the service and handlers
// build, is in both languages.
func TestCommentPages_EveryKeyExists(t *testing.T) {
	t.Parallel()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := i18n.TemplateKeys(implement.Templates(), "templates/comment_*.html")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 50 {
		t.Errorf("only %d keys found in the comment pages", len(keys))
	}
	built := []string{"implement.task.comment", "implement.comment.on_behalf", "implement.comment.sent_note",
		"implement.comment.mail.subject", "implement.comment.mail.body", "implement.comment.deadline_past",
		"implement.comment.unit_not_allowed", "implement.comment.municipality_not_allowed", "implement.comment.no_recipients",
		"implement.comment.empty_plan", "implement.comment.round_closed", "implement.revision.empty_plan",
		"implement.comment.sent", "implement.comment.closed", "implement.comment.answered", "implement.comment.added",
		"implement.comment.added_late", "implement.comment.close_conflict", "implement.comment.answer_conflict",
		"implement.revision.saved", "implement.revision.conflict", "implement.history.title", "implement.comment.new_title",
		"implement.comment.round_title", "implement.comment.recipient_title"}
	for _, s := range implement.ActionStatuses {
		built = append(built, "implement.comment.action_status."+string(s))
	}
	for key := range keys {
		built = append(built, key)
	}
	for _, key := range built {
		for _, loc := range i18n.Supported() {
			if !cat.Has(loc, key) {
				t.Errorf("%q is missing in %s", key, loc)
			}
		}
	}
}
