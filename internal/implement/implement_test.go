package implement_test

import (
	"slices"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

func TestAsks_TheFormGrowsWithTheGap(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		size                    implement.GapSize
		crowding                bool
		basic, extended, deeper bool
	}{
		{"", false, true, false, false},
		{implement.GapNone, false, true, false, false},
		{implement.GapSmall, false, true, false, false},
		{implement.GapModerate, false, true, true, false},
		{implement.GapLarge, false, true, true, true},
		{"", true, true, true, true},
		{implement.GapNone, true, true, true, true},
		{implement.GapSmall, true, true, true, true},
		{implement.GapModerate, true, true, true, true},
	} {
		got := []bool{implement.Asks(implement.Basic, tc.size, tc.crowding), implement.Asks(implement.Extended, tc.size, tc.crowding),
			implement.Asks(implement.Deeper, tc.size, tc.crowding)}
		if want := []bool{tc.basic, tc.extended, tc.deeper}; !slices.Equal(got, want) {
			t.Errorf("Asks(basic, extended, deeper) at %q crowding %v = %v, want %v", tc.size, tc.crowding, got, want)
		}
		if got := implement.NeedsDeeper(tc.size, tc.crowding); got != tc.deeper {
			t.Errorf("NeedsDeeper(%q, %v) = %v, want %v", tc.size, tc.crowding, got, tc.deeper)
		}
	}
	if implement.Asks("expert", implement.GapLarge, true) {
		t.Error("an unknown level is asked")
	}
}

// ptTemplate is a small template with a question of each level, the
// extended one optional.
func ptTemplate() implement.Template {
	return implement.Template{HealthcareRegion: "norra", Title: "Mall", Questions: []implement.Question{
		{Key: "today", Level: implement.Basic, Label: "I dag?", Required: true},
		{Key: "staff", Level: implement.Extended, Label: "Personal?"},
		{Key: "cost", Level: implement.Extended, Label: "Kostnad?", Required: true},
		{Key: "displaced", Level: implement.Deeper, Label: "Vad trängs undan?", Required: true},
	}}
}

func TestTemplate_Asked(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		size     implement.GapSize
		crowding bool
		want     []string
	}{
		{implement.GapSmall, false, []string{"today"}},
		{implement.GapModerate, false, []string{"today", "staff", "cost"}},
		{implement.GapLarge, false, []string{"today", "staff", "cost", "displaced"}},
		{implement.GapNone, true, []string{"today", "staff", "cost", "displaced"}},
	} {
		var got []string
		for _, q := range ptTemplate().Asked(tc.size, tc.crowding) {
			got = append(got, q.Key)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Asked(%q, %v) = %v, want %v", tc.size, tc.crowding, got, tc.want)
		}
	}
}

// ptProblems lists a validation error's problems as "field key".
func ptProblems(err error) []string {
	v, ok := errs.AsValidation(err)
	if !ok {
		return nil
	}
	var out []string
	for _, f := range v.Fields {
		out = append(out, f.Name+" "+f.Key)
	}
	slices.Sort(out)
	return out
}

func TestGap_Validate(t *testing.T) {
	t.Parallel()
	long := string(make([]rune, 4001))
	for _, tc := range []struct {
		name string
		gap  implement.Gap
		want []string
	}{
		{"not judged, nothing answered", implement.Gap{}, nil},
		{"small with its basic answer", implement.Gap{Size: implement.GapSmall, Answers: map[string]string{"today": "x"}}, nil},
		{"small without its basic answer", implement.Gap{Size: implement.GapSmall}, []string{"answers.today validation.required"}},
		{"moderate needs the required extended answer", implement.Gap{Size: implement.GapModerate, Answers: map[string]string{"today": "x"}},
			[]string{"answers.cost validation.required"}},
		{"large needs the deeper analysis", implement.Gap{Size: implement.GapLarge, Answers: map[string]string{"today": "x", "cost": "y"}},
			[]string{"answers.displaced implement.gap.deeper_required"}},
		{"crowding-out needs the deeper analysis", implement.Gap{Size: implement.GapSmall, CrowdingOut: true, Answers: map[string]string{"today": "x", "cost": "y"}},
			[]string{"answers.displaced implement.gap.deeper_required"}},
		{"large, complete", implement.Gap{Size: implement.GapLarge, Answers: map[string]string{"today": "x", "cost": "y", "displaced": "z"}}, nil},
		{"unknown size", implement.Gap{Size: "huge", Answers: map[string]string{"today": "x"}}, []string{"gap validation.choice"}},
		{"unknown question", implement.Gap{Answers: map[string]string{"colour": "blå"}}, []string{"answers implement.gap.unknown_question"}},
		{"answer too long", implement.Gap{Answers: map[string]string{"staff": long}}, []string{"answers.staff validation.too_long"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := ptProblems(tc.gap.Validate(ptTemplate())); !slices.Equal(got, tc.want) {
				t.Errorf("problems %v, want %v", got, tc.want)
			}
		})
	}
}

func TestTemplate_Validate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		edit func(t *implement.Template)
		want []string
	}{
		{"valid", func(*implement.Template) {}, nil},
		{"no title", func(t *implement.Template) { t.Title = "" }, []string{"title validation.required"}},
		{"no sjukvårdsregion", func(t *implement.Template) { t.HealthcareRegion = "" }, []string{"healthcare_region validation.required"}},
		{"duplicate key", func(t *implement.Template) { t.Questions[1].Key = "today" }, []string{"questions.1.key implement.template.key_duplicate"}},
		{"bad key", func(t *implement.Template) { t.Questions[2].Key = "kost-nad" }, []string{"questions.2.key implement.template.key_format"}},
		{"no basic question", func(t *implement.Template) { t.Questions = t.Questions[1:] }, []string{"questions implement.template.basic_required"}},
		{"no questions", func(t *implement.Template) { t.Questions = nil }, []string{"questions implement.template.questions_count"}},
		{"unknown level", func(t *implement.Template) { t.Questions[1].Level = "" }, []string{"questions.1.level validation.choice"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tm := ptTemplate()
			tc.edit(&tm)
			if got := ptProblems(tm.Validate()); !slices.Equal(got, tc.want) {
				t.Errorf("problems %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDefaultTemplate_IsWordedAndValid(t *testing.T) {
	t.Parallel()
	texts, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, loc := range i18n.Supported() {
		tm := implement.DefaultTemplate("norra", func(key string) string {
			if !texts.Has(loc, key) {
				t.Errorf("%s: no message %s", loc, key)
			}
			return texts.T(loc, key)
		})
		if err := tm.Validate(); err != nil {
			t.Errorf("%s: default template invalid: %v", loc, err)
		}
		var deeper []string
		for _, q := range tm.Questions {
			if q.Label == "" || q.Help == "" {
				t.Errorf("%s: question %s has no label or help", loc, q.Key)
			}
			if q.Level == implement.Deeper && q.Required {
				deeper = append(deeper, q.Key)
			}
		}
		if want := []string{"displaced", "risk_assessment", "resources_needed", "decided_by"}; !slices.Equal(deeper, want) {
			t.Errorf("required deeper questions %v, want %v", deeper, want)
		}
	}
	for _, m := range implement.DefaultChecklist {
		if !texts.Has(i18n.SV, "implement.checklist."+m.Key) || !texts.Has(i18n.EN, "implement.checklist."+m.Key) {
			t.Errorf("checklist item %s has no label", m.Key)
		}
	}
}
