package implement_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// gpBasic answers the default model's basic questions.
func gpBasic() map[string]string {
	return map[string]string{"current_practice": "Uppföljning sker sporadiskt.", "desired_practice": "Alla följs upp inom tre månader."}
}

// gpDeeper answers the basic and the deeper questions of the default model.
func gpDeeper() map[string]string {
	a := gpBasic()
	for _, k := range gpDeeperKeys {
		a[k] = "Svar på " + k
	}
	return a
}

var gpDeeperKeys = []string{"displaced", "risk_assessment", "resources_needed", "decided_by"}

// gpFields lists the names of a validation error's fields with key.
func gpFields(t *testing.T, err error, key string) []string {
	t.Helper()
	v, ok := errs.AsValidation(err)
	if !ok {
		t.Fatalf("got %v, want a validation error", err)
	}
	var out []string
	for _, f := range v.Fields {
		if key == "" || f.Key == key {
			out = append(out, f.Name)
		}
	}
	slices.Sort(out)
	return out
}

// gpCount counts the saved gap analyses.
func gpCount(t *testing.T, e *env) int {
	t.Helper()
	var n int
	if err := e.d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM gap_analyses`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func gpDeeperFields() []string {
	var out []string
	for _, k := range gpDeeperKeys {
		out = append(out, "answers."+k)
	}
	slices.Sort(out)
	return out
}

func TestGap_TheFormGrowsWithTheGap(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		size     implement.GapSize
		crowding bool
		answers  map[string]string
		wantKey  string   // "" when the save succeeds
		want     []string // the fields refused with wantKey
	}{
		{name: "not judged saves whatever is answered", size: "", answers: map[string]string{"desired_practice": "Utkast"}},
		{name: "no gap with the basic answers", size: implement.GapNone, answers: gpBasic()},
		{name: "small gap with only basic answers", size: implement.GapSmall, answers: gpBasic()},
		{name: "moderate gap with only basic answers", size: implement.GapModerate, answers: gpBasic()},
		{name: "small gap without a basic answer", size: implement.GapSmall, answers: map[string]string{"current_practice": "x"},
			wantKey: "validation.required", want: []string{"answers.desired_practice"}},
		{name: "large gap without the deeper analysis", size: implement.GapLarge, answers: gpBasic(),
			wantKey: "implement.gap.deeper_required", want: gpDeeperFields()},
		{name: "crowding-out with a small gap requires the deeper analysis", size: implement.GapSmall, crowding: true, answers: gpBasic(),
			wantKey: "implement.gap.deeper_required", want: gpDeeperFields()},
		{name: "large gap with the deeper analysis", size: implement.GapLarge, answers: gpDeeper()},
		{name: "crowding-out with the deeper analysis", size: implement.GapNone, crowding: true, answers: gpDeeper()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				e := newEnv(t, d)
				m := e.started(t)
				g, err := e.svc.SaveGap(e.leadCtx, implement.Gap{ImplementationID: m.ID, RecommendationID: e.recs[0], Size: tc.size,
					CrowdingOut: tc.crowding, Answers: tc.answers, UnitIDs: []int64{e.unitA}})
				if tc.wantKey == "" {
					if err != nil {
						t.Fatalf("save: %v", err)
					}
					if g.Version != 1 || g.Size != tc.size || g.TemplateID != m.TemplateID || g.UpdatedBy != "Lena Lead" || !slices.Equal(g.UnitIDs, []int64{e.unitA}) {
						t.Errorf("saved %+v", g)
					}
					return
				}
				if got := gpFields(t, err, tc.wantKey); !slices.Equal(got, tc.want) {
					t.Errorf("fields with %s: %v, want %v", tc.wantKey, got, tc.want)
				}
				if _, err := e.svc.GapOf(e.leadCtx, m.ID, e.recs[0]); err != nil {
					t.Fatal(err)
				}
				if v := must(e.svc.GapOf(e.leadCtx, m.ID, e.recs[0]))(t); v.Gap.ID != 0 {
					t.Errorf("a refused analysis was saved: %+v", v.Gap)
				}
			})
		})
	}
}

func TestGap_RefusesWhatDoesNotBelong(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		ctx   func(e *env) context.Context
		gap   func(e *env, m implement.Implementation) implement.Gap
		field string // the field refused; "" for an error that is not a validation
		key   string
		err   error
	}{
		{name: "an answer to a question the template does not ask",
			gap: func(e *env, m implement.Implementation) implement.Gap {
				a := gpBasic()
				a["favourite_colour"] = "blå"
				return implement.Gap{ImplementationID: m.ID, RecommendationID: e.recs[0], Size: implement.GapSmall, Answers: a}
			}, field: "answers", key: "implement.gap.unknown_question"},
		{name: "a recommendation of another support",
			gap: func(e *env, m implement.Implementation) implement.Gap {
				return implement.Gap{ImplementationID: m.ID, RecommendationID: e.otherRec, Size: implement.GapSmall, Answers: gpBasic()}
			}, field: "recommendation_id", key: "implement.gap.other_support"},
		{name: "a recommendation that does not exist",
			gap: func(e *env, m implement.Implementation) implement.Gap {
				return implement.Gap{ImplementationID: m.ID, RecommendationID: 999999, Size: implement.GapSmall, Answers: gpBasic()}
			}, field: "recommendation_id", key: "implement.gap.other_support"},
		{name: "a unit that does not exist",
			gap: func(e *env, m implement.Implementation) implement.Gap {
				return implement.Gap{ImplementationID: m.ID, RecommendationID: e.recs[0], Size: implement.GapSmall, Answers: gpBasic(), UnitIDs: []int64{e.unitB, 999999}}
			}, field: "unit_ids", key: "implement.gap.unit_missing"},
		{name: "a size that does not exist",
			gap: func(e *env, m implement.Implementation) implement.Gap {
				return implement.Gap{ImplementationID: m.ID, RecommendationID: e.recs[0], Size: "huge", Answers: gpBasic()}
			}, field: "gap", key: "validation.choice"},
		{name: "an improvement lead outside the working group",
			ctx: func(e *env) context.Context { return e.outsiderCtx },
			gap: func(e *env, m implement.Implementation) implement.Gap {
				return implement.Gap{ImplementationID: m.ID, RecommendationID: e.recs[0], Size: implement.GapSmall, Answers: gpBasic()}
			}, err: errs.ErrForbidden},
		{name: "ledning reads but does not edit",
			ctx: func(e *env) context.Context { return e.chief },
			gap: func(e *env, m implement.Implementation) implement.Gap {
				return implement.Gap{ImplementationID: m.ID, RecommendationID: e.recs[0], Size: implement.GapSmall, Answers: gpBasic()}
			}, err: errs.ErrForbidden},
		{name: "a unit's contact",
			ctx: func(e *env) context.Context { return e.unitACtx },
			gap: func(e *env, m implement.Implementation) implement.Gap {
				return implement.Gap{ImplementationID: m.ID, RecommendationID: e.recs[0], Size: implement.GapSmall, Answers: gpBasic()}
			}, err: errs.ErrForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				e := newEnv(t, d)
				m := e.started(t)
				ctx := e.leadCtx
				if tc.ctx != nil {
					ctx = tc.ctx(e)
				}
				_, err := e.svc.SaveGap(ctx, tc.gap(e, m))
				if tc.err != nil {
					if !errors.Is(err, tc.err) {
						t.Fatalf("got %v, want %v", err, tc.err)
					}
				} else if got := gpFields(t, err, tc.key); !slices.Equal(got, []string{tc.field}) {
					t.Errorf("fields with %s: %v, want [%s]", tc.key, got, tc.field)
				}
				n := gpCount(t, e)
				if n != 0 {
					t.Errorf("%d analyses saved", n)
				}
			})
		})
	}
}

func TestGap_OfAnotherSupportIsNotFound(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		if _, err := e.svc.GapOf(e.leadCtx, m.ID, e.otherRec); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("gap of the other support's recommendation: %v, want not found", err)
		}
		if _, err := e.svc.GapOf(e.unitACtx, m.ID, e.recs[0]); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("gap read by a unit's contact: %v, want forbidden", err)
		}
		v := must(e.svc.GapOf(e.auditor, m.ID, e.recs[0]))(t)
		if v.Gap.ID != 0 || v.Gap.Version != 0 || v.Template.ID != m.TemplateID || v.Rights.Edit || !v.Rights.Read {
			t.Errorf("unsaved gap as read by the auditor: %+v", v)
		}
	})
}

func TestGap_StaleVersionIsAConflict(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		g := implement.Gap{ImplementationID: m.ID, RecommendationID: e.recs[1], Size: implement.GapSmall, Answers: gpBasic()}
		first := must(e.svc.SaveGap(e.leadCtx, g))(t)
		if first.Version != 1 {
			t.Fatalf("first save at version %d", first.Version)
		}
		// A second first save (version 0) comes too late.
		if _, err := e.svc.SaveGap(e.coordinator, g); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("second first save: %v, want conflict", err)
		}
		g.Version, g.Size = 1, implement.GapModerate
		second := must(e.svc.SaveGap(e.coordinator, g))(t)
		if second.Version != 2 || second.Size != implement.GapModerate || second.UpdatedBy != "samordnare" {
			t.Errorf("second save %+v", second)
		}
		g.Size = implement.GapNone // still at version 1
		if _, err := e.svc.SaveGap(e.leadCtx, g); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("stale save: %v, want conflict", err)
		}
		if v := must(e.svc.GapOf(e.leadCtx, m.ID, e.recs[1]))(t); v.Gap.Size != implement.GapModerate || v.Gap.Version != 2 {
			t.Errorf("after the stale save: %+v", v.Gap)
		}
	})
}

func TestGap_TwoFirstSavesAtOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		var wg sync.WaitGroup
		ready := make(chan struct{})
		errsOut := make([]error, 2)
		for i, ctx := range []context.Context{e.leadCtx, e.coordinator} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-ready
				_, errsOut[i] = e.svc.SaveGap(ctx, implement.Gap{ImplementationID: m.ID, RecommendationID: e.recs[2],
					Size: implement.GapSmall, Answers: gpBasic(), UnitIDs: []int64{e.unitA}})
			}()
		}
		close(ready)
		wg.Wait()
		ok, conflicts := 0, 0
		for _, err := range errsOut {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, errs.ErrConflict):
				conflicts++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 || conflicts != 1 {
			t.Errorf("%d saved, %d conflicts; want one of each", ok, conflicts)
		}
		if n := gpCount(t, e); n != 1 {
			t.Errorf("%d analyses, want 1", n)
		}
	})
}

func TestGap_AnalysesKeepTheirTemplateVersion(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		m := e.started(t)
		old := must(e.svc.SaveGap(e.leadCtx, implement.Gap{ImplementationID: m.ID, RecommendationID: e.recs[0], Size: implement.GapSmall, Answers: gpBasic()}))(t)

		draft := must(e.svc.NewTemplateVersion(e.coordinator, m.TemplateID))(t)
		draft.Questions = append(draft.Questions, implement.Question{Key: "equity", Level: implement.Basic, Label: "Jämlik vård?"})
		draft = must(e.svc.UpdateTemplate(e.coordinator, draft))(t)
		if _, err := e.svc.UseTemplate(e.coordinator, m.ID, draft.ID, m.Version); !slices.Equal(gpFields(t, err, "implement.template.not_usable"), []string{"template_id"}) {
			t.Errorf("using a draft: %v", err)
		}
		v2 := must(e.svc.PublishTemplate(e.coordinator, draft.ID, draft.Version))(t)
		if _, err := e.svc.UseTemplate(e.leadCtx, m.ID, v2.ID, m.Version); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("the lead moves the template: %v, want forbidden", err)
		}
		if _, err := e.svc.UseTemplate(e.coordinator, m.ID, v2.ID, m.Version+1); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("stale move: %v, want conflict", err)
		}
		moved := must(e.svc.UseTemplate(e.coordinator, m.ID, v2.ID, m.Version))(t)
		if moved.TemplateID != v2.ID {
			t.Fatalf("moved to %d, want %d", moved.TemplateID, v2.ID)
		}

		kept := must(e.svc.GapOf(e.leadCtx, m.ID, e.recs[0]))(t)
		if kept.Gap.TemplateID != m.TemplateID || kept.Template.ID != m.TemplateID {
			t.Errorf("saved analysis now on template %d/%d, want %d", kept.Gap.TemplateID, kept.Template.ID, m.TemplateID)
		}
		fresh := must(e.svc.GapOf(e.leadCtx, m.ID, e.recs[1]))(t)
		if fresh.Template.ID != v2.ID {
			t.Errorf("new analysis on template %d, want %d", fresh.Template.ID, v2.ID)
		}
		a := gpBasic()
		a["equity"] = "Ja"
		saved := must(e.svc.SaveGap(e.leadCtx, implement.Gap{ImplementationID: m.ID, RecommendationID: e.recs[1], Size: implement.GapSmall, Answers: a}))(t)
		if saved.TemplateID != v2.ID || saved.Answers["equity"] != "Ja" {
			t.Errorf("new analysis saved %+v", saved)
		}
		// The old analysis is still judged by its own version, which has no such question.
		_, err := e.svc.SaveGap(e.leadCtx, implement.Gap{ImplementationID: m.ID, RecommendationID: e.recs[0], Size: implement.GapSmall, Answers: a, Version: old.Version})
		if got := gpFields(t, err, "implement.gap.unknown_question"); !slices.Equal(got, []string{"answers"}) {
			t.Errorf("old analysis answering the new question: %v", got)
		}
	})
}

func TestTemplate_DraftPublishAndDeleteRules(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ts := must(e.svc.Templates(e.chief))(t)
		if len(ts) != 1 || ts[0].Number != 1 || !ts[0].Published() || len(ts[0].Questions) != 12 {
			t.Fatalf("first list: %+v", ts)
		}
		v1 := ts[0]
		if _, err := e.svc.NewTemplateVersion(e.leadCtx, v1.ID); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("the lead starts a version: %v, want forbidden", err)
		}
		draft := must(e.svc.NewTemplateVersion(e.coordinator, v1.ID))(t)
		if draft.Number != 2 || draft.Published() || draft.Fingerprint() != v1.Fingerprint() || draft.HealthcareRegion != v1.HealthcareRegion {
			t.Errorf("draft %+v", draft)
		}
		if _, err := e.svc.NewTemplateVersion(e.coordinator, v1.ID); !slices.Equal(gpFields(t, err, "implement.template.draft_exists"), []string{"template"}) {
			t.Errorf("second draft: %v", err)
		}
		if _, err := e.svc.CreateTemplate(e.coordinator, implement.Template{Title: "Egen", Questions: v1.Questions}); !slices.Equal(gpFields(t, err, "implement.template.draft_exists"), []string{"template"}) {
			t.Errorf("second draft by create: %v", err)
		}
		v1.Title = "Ändrad"
		if _, err := e.svc.UpdateTemplate(e.coordinator, v1); !errors.Is(err, errs.ErrLocked) {
			t.Errorf("changing a published version: %v, want locked", err)
		}
		if err := e.svc.DeleteTemplate(e.coordinator, v1.ID, v1.Version); !errors.Is(err, errs.ErrLocked) {
			t.Errorf("deleting a published version: %v, want locked", err)
		}
		draft.Title = "Version två"
		stale := draft
		draft = must(e.svc.UpdateTemplate(e.coordinator, draft))(t)
		if _, err := e.svc.UpdateTemplate(e.coordinator, stale); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("stale update: %v, want conflict", err)
		}
		if _, err := e.svc.PublishTemplate(e.coordinator, draft.ID, stale.Version); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("stale publish: %v, want conflict", err)
		}
		v2 := must(e.svc.PublishTemplate(e.coordinator, draft.ID, draft.Version))(t)
		if !v2.Published() || v2.PublishedBy != "samordnare" || v2.PublishedOn != e.svc.Today() || v2.Title != "Version två" {
			t.Errorf("published %+v", v2)
		}
		if _, err := e.svc.PublishTemplate(e.coordinator, v2.ID, v2.Version); !errors.Is(err, errs.ErrLocked) {
			t.Errorf("publishing twice: %v, want locked", err)
		}
		// A new workspace uses the newest published version.
		m := e.started(t)
		if m.TemplateID != v2.ID {
			t.Errorf("started on template %d, want %d", m.TemplateID, v2.ID)
		}
		v3 := must(e.svc.CreateTemplate(e.coordinator, implement.Template{Title: "Kort modell", Questions: []implement.Question{{Key: "today", Level: implement.Basic, Label: "I dag?", Required: true}}}))(t)
		if v3.Number != 3 || v3.Published() || v3.HealthcareRegion != v1.HealthcareRegion {
			t.Errorf("created %+v", v3)
		}
		if err := e.svc.DeleteTemplate(e.coordinator, v3.ID, v3.Version+1); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("stale delete: %v, want conflict", err)
		}
		if err := e.svc.DeleteTemplate(e.coordinator, v3.ID, v3.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Template(e.chief, v3.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("deleted draft: %v, want not found", err)
		}
		if _, err := e.svc.CreateTemplate(e.coordinator, implement.Template{HealthcareRegion: "atlantis", Title: "X", Questions: v1.Questions}); !slices.Equal(gpFields(t, err, "validation.choice"), []string{"healthcare_region"}) {
			t.Errorf("unknown sjukvårdsregion: %v", err)
		}
		names := must(e.svc.HealthcareRegionNames(e.chief))(t)
		if names[v1.HealthcareRegion] == "" {
			t.Errorf("no name for %s in %v", v1.HealthcareRegion, names)
		}
	})
}

func TestTemplate_Validation(t *testing.T) {
	t.Parallel()
	basic := implement.Question{Key: "today", Level: implement.Basic, Label: "I dag?"}
	for _, tc := range []struct {
		name      string
		title     string
		questions []implement.Question
		field     string
		key       string
	}{
		{"duplicate key", "T", []implement.Question{basic, {Key: "today", Level: implement.Extended, Label: "Igen"}}, "questions.1.key", "implement.template.key_duplicate"},
		{"key with a capital", "T", []implement.Question{basic, {Key: "Tomorrow", Level: implement.Extended, Label: "Sedan"}}, "questions.1.key", "implement.template.key_format"},
		{"key with a space", "T", []implement.Question{{Key: "to day", Level: implement.Basic, Label: "I dag?"}}, "questions.0.key", "implement.template.key_format"},
		{"key starting with a digit", "T", []implement.Question{{Key: "1st", Level: implement.Basic, Label: "I dag?"}}, "questions.0.key", "implement.template.key_format"},
		{"no basic question", "T", []implement.Question{{Key: "risk", Level: implement.Deeper, Label: "Risk?"}}, "questions", "implement.template.basic_required"},
		{"no questions", "T", nil, "questions", "implement.template.questions_count"},
		{"unknown level", "T", []implement.Question{basic, {Key: "x", Level: "expert", Label: "X"}}, "questions.1.level", "validation.choice"},
		{"question without label", "T", []implement.Question{basic, {Key: "x", Level: implement.Extended}}, "questions.1.label", "validation.required"},
		{"no title", "  ", []implement.Question{basic}, "title", "validation.required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				e := newEnv(t, d)
				ts := must(e.svc.Templates(e.coordinator))(t)
				draft := must(e.svc.NewTemplateVersion(e.coordinator, ts[0].ID))(t)
				draft.Title, draft.Questions = tc.title, tc.questions
				_, err := e.svc.UpdateTemplate(e.coordinator, draft)
				if got := gpFields(t, err, tc.key); !slices.Contains(got, tc.field) {
					t.Errorf("fields with %s: %v, want %s", tc.key, got, tc.field)
				}
				if after := must(e.svc.Template(e.coordinator, draft.ID))(t); after.Version != draft.Version {
					t.Errorf("a refused draft was saved")
				}
			})
		})
	}
}
