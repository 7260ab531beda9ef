package implement_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/implement"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web/htmltest"
)

// gpForm is a posted gap form: size, the basic answers, and more as pairs.
func gpForm(size implement.GapSize, version int64, more ...string) url.Values {
	f := url.Values{"gap": {string(size)}, "version": {itoa(version)}}
	for k, a := range gpBasic() {
		f.Set("answers."+k, a)
	}
	for i := 0; i+1 < len(more); i += 2 {
		f.Set(more[i], more[i+1])
	}
	return f
}

func TestGapPages_StatusByRole(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSite(t, e)
		m := e.started(t)
		ws := "/inforande/" + itoa(m.ID)
		rec := ws + "/gap/" + itoa(e.recs[0])
		tmpl := "/inforande/mallar/version/" + itoa(m.TemplateID)
		for _, tc := range []struct {
			user, path string
			form       url.Values
			want       int
		}{
			{"lead", ws + "/gap", nil, http.StatusOK},
			{"coordinator", ws + "/gap", nil, http.StatusOK},
			{"chief", ws + "/gap", nil, http.StatusOK},
			{"auditor", ws + "/gap", nil, http.StatusOK},
			{"outsider", ws + "/gap", nil, http.StatusOK}, // verksamhetsutvecklare oversee
			{"unit", ws + "/gap", nil, http.StatusForbidden},
			{"", ws + "/gap", nil, http.StatusSeeOther},
			{"lead", rec, nil, http.StatusOK},
			{"auditor", rec, nil, http.StatusOK},
			{"unit", rec, nil, http.StatusForbidden},
			{"lead", ws + "/gap/" + itoa(e.otherRec), nil, http.StatusNotFound},
			{"lead", ws + "/gap/999999", nil, http.StatusNotFound},
			{"chief", rec, gpForm(implement.GapSmall, 0), http.StatusForbidden},
			{"outsider", rec, gpForm(implement.GapSmall, 0), http.StatusForbidden},
			{"unit", rec, gpForm(implement.GapSmall, 0), http.StatusForbidden},
			{"lead", "/inforande/mallar", nil, http.StatusOK},
			{"auditor", "/inforande/mallar", nil, http.StatusOK},
			{"unit", "/inforande/mallar", nil, http.StatusForbidden},
			{"chief", tmpl, nil, http.StatusOK},
			{"unit", tmpl, nil, http.StatusForbidden},
			{"lead", tmpl + "/redigera", nil, http.StatusForbidden},
			{"coordinator", tmpl + "/redigera", nil, http.StatusConflict}, // published: fixed
			{"lead", tmpl + "/ny-version", url.Values{}, http.StatusForbidden},
			{"coordinator", ws + "/mall", nil, http.StatusOK},
			{"lead", ws + "/mall", nil, http.StatusForbidden},
			{"lead", rec, gpForm(implement.GapSmall, 0), http.StatusSeeOther}, // last: it saves
		} {
			method := http.MethodGet
			if tc.form != nil {
				method = http.MethodPost
			}
			res, _ := s.send(t, tc.user, method, tc.path, tc.form)
			if res.StatusCode != tc.want {
				t.Errorf("%s %s: %d, want %d", tc.user, tc.path, res.StatusCode, tc.want)
				continue
			}
		}
	})
}

func TestGapPages_FormGrowsAndKeepsAnswersOnErrors(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSite(t, e)
		m := e.started(t)
		path := "/inforande/" + itoa(m.ID) + "/gap/" + itoa(e.recs[0])

		res, body := s.get(t, "lead", path)
		doc := parsePage(t, body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("form: %d", res.StatusCode)
		}
		// Every section is on the page, only the basic questions apply.
		if got := textsOf(doc, "main section h2"); !slices.Equal(got, []string{"Grundfrågor", "Konsekvenser", "Fördjupad analys"}) {
			t.Errorf("sections %v", got)
		}
		if n := len(doc.All("details[open]")); n != 0 {
			t.Errorf("%d sections open for a gap not judged", n)
		}
		if !strings.Contains(body, "Mall: sjukvårdsregion Norra, version 1") {
			t.Errorf("the template version is not named")
		}
		if next := doc.All(`a[rel="next"]`); len(next) != 1 || htmltest.Attr(next[0], "href") != "/inforande/"+itoa(m.ID)+"/gap/"+itoa(e.recs[1]) {
			t.Errorf("next link %v", textsOf(doc, `a[rel="next"]`))
		}

		form := gpForm(implement.GapLarge, 0, "answers.consequence_staff", "Två sjuksköterskor till", "unit_ids", itoa(e.unitB))
		res, body = s.post(t, "lead", path, form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("large gap without the deeper analysis: %d", res.StatusCode)
		}
		doc = parsePage(t, body)
		var links []string
		for _, a := range doc.All(".error-summary a") {
			links = append(links, htmltest.Attr(a, "href"))
		}
		want := []string{"#f-answers.displaced", "#f-answers.risk_assessment", "#f-answers.resources_needed", "#f-answers.decided_by"}
		if !slices.Equal(links, want) {
			t.Errorf("error summary links %v, want %v", links, want)
		}
		if got := htmltest.Text(doc.All(".error-summary li")[0]); !strings.HasPrefix(got, "Vad trängs undan?:") || !strings.Contains(got, "fördjupade analysen krävs") {
			t.Errorf("first problem %q", got)
		}
		if got := htmltest.Text(doc.One(t, `textarea[name="answers.consequence_staff"]`)); got != "Två sjuksköterskor till" {
			t.Errorf("answer kept as %q", got)
		}
		if !htmltest.HasAttr(doc.One(t, `input[name="gap"][value="large"]`), "checked") {
			t.Error("the size is not kept")
		}
		if !htmltest.HasAttr(doc.One(t, `input[name="unit_ids"][value="`+itoa(e.unitB)+`"]`), "checked") ||
			htmltest.HasAttr(doc.One(t, `input[name="unit_ids"][value="`+itoa(e.unitA)+`"]`), "checked") {
			t.Error("the units chosen are not kept")
		}
		if n := len(doc.All("details[open]")); n != 2 {
			t.Errorf("%d sections open for a large gap, want 2", n)
		}
		if doc.One(t, `textarea[name="answers.displaced"]`) == nil || htmltest.Attr(doc.One(t, `textarea[name="answers.displaced"]`), "aria-invalid") != "true" {
			t.Error("the deeper question is not marked invalid")
		}

		// A small gap saves with only the basic answers, then the page shows it.
		res, _ = s.post(t, "lead", path, gpForm(implement.GapSmall, 0, "then", "next"))
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/inforande/"+itoa(m.ID)+"/gap/"+itoa(e.recs[1]) {
			t.Fatalf("save and next: %d to %s", res.StatusCode, res.Header.Get("Location"))
		}
		v := must(e.svc.GapOf(e.leadCtx, m.ID, e.recs[0]))(t)
		if v.Gap.Size != implement.GapSmall || v.Gap.Version != 1 || len(v.Gap.Answers) != 2 {
			t.Errorf("saved %+v", v.Gap)
		}
	})
}

func TestGapPages_ConflictShowsBothVersions(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSite(t, e)
		m := e.started(t)
		path := "/inforande/" + itoa(m.ID) + "/gap/" + itoa(e.recs[1])
		if res, _ := s.post(t, "lead", path, gpForm(implement.GapModerate, 0, "answers.consequence_it", "Ny journalmall")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("lead's save: %d", res.StatusCode)
		}
		// The coordinator opened the form before the lead saved.
		mine := gpForm(implement.GapSmall, 0, "answers.current_practice", "Samordnarens beskrivning")
		res, body := s.post(t, "coordinator", path, mine)
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("stale save: %d", res.StatusCode)
		}
		doc := parsePage(t, body)
		conflict := htmltest.Text(doc.One(t, "section.conflict"))
		for _, want := range []string{"Lena Lead", "Måttligt gap", "Ny journalmall"} {
			if !strings.Contains(conflict, want) {
				t.Errorf("conflict section lacks %q: %s", want, conflict)
			}
		}
		if got := htmltest.Text(doc.One(t, `textarea[name="answers.current_practice"]`)); got != "Samordnarens beskrivning" {
			t.Errorf("the coordinator's answer is kept as %q", got)
		}
		if !htmltest.HasAttr(doc.One(t, `input[name="gap"][value="small"]`), "checked") {
			t.Error("the coordinator's size is not kept")
		}
		version := htmltest.Attr(doc.One(t, `input[name="version"]`), "value")
		if version != "1" {
			t.Errorf("the form takes version %s, want 1", version)
		}
		if v := must(e.svc.GapOf(e.leadCtx, m.ID, e.recs[1]))(t); v.Gap.Size != implement.GapModerate {
			t.Errorf("the stale save changed the analysis: %+v", v.Gap)
		}
		// Saving again with the new version overwrites knowingly.
		mine.Set("version", version)
		if res, _ := s.post(t, "coordinator", path, mine); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save over: %d", res.StatusCode)
		}
		if v := must(e.svc.GapOf(e.leadCtx, m.ID, e.recs[1]))(t); v.Gap.Size != implement.GapSmall || v.Gap.Answers["current_practice"] != "Samordnarens beskrivning" {
			t.Errorf("after saving over: %+v", v.Gap)
		}
	})
}

func TestGapPages_ListAndReadOnlyView(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSite(t, e)
		m := e.started(t)
		must(e.svc.SaveGap(e.leadCtx, implement.Gap{ImplementationID: m.ID, RecommendationID: e.recs[0], Size: implement.GapLarge,
			Answers: gpDeeper(), UnitIDs: []int64{e.unitA, e.unitB}}))(t)
		must(e.svc.SaveGap(e.leadCtx, implement.Gap{ImplementationID: m.ID, RecommendationID: e.recs[1], Size: implement.GapSmall,
			CrowdingOut: true, Answers: func() map[string]string { a := gpDeeper(); delete(a, "displaced"); a["displaced"] = "Annat"; return a }()}))(t)
		list := "/inforande/" + itoa(m.ID) + "/gap"
		for _, tc := range []struct {
			filter string
			codes  []string
		}{
			{"", []string{"R1", "R2", "R3"}},
			{"large", []string{"R1"}},
			{"small", []string{"R2"}},
			{"not_judged", []string{"R3"}},
			{"moderate", nil},
			{"nonsense", []string{"R1", "R2", "R3"}},
		} {
			res, body := s.get(t, "auditor", list+"?storlek="+tc.filter)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("list %s: %d", tc.filter, res.StatusCode)
			}
			doc := parsePage(t, body)
			var codes []string
			for _, th := range doc.All("tbody th strong") {
				codes = append(codes, htmltest.Text(th))
			}
			if !slices.Equal(codes, tc.codes) {
				t.Errorf("filter %q: %v, want %v", tc.filter, codes, tc.codes)
			}
			if tc.filter == "" {
				rows := doc.All("tbody tr")
				first := htmltest.Text(rows[0])
				for _, want := range []string{"Stort gap", "2", "Klar", "Version 1"} {
					if !strings.Contains(first, want) {
						t.Errorf("row R1 %q lacks %q", first, want)
					}
				}
				if second := htmltest.Text(rows[1]); !strings.Contains(second, "Kan tränga undan") || !strings.Contains(second, "Litet gap") {
					t.Errorf("row R2 %q", second)
				}
				if third := htmltest.Text(rows[2]); !strings.Contains(third, "Ej bedömd") {
					t.Errorf("row R3 %q", third)
				}
			}
		}

		res, body := s.get(t, "chief", list+"/"+itoa(e.recs[0]))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("read-only view: %d", res.StatusCode)
		}
		doc := parsePage(t, body)
		if n := len(doc.All(`main form[method="post"]`)); n != 0 {
			t.Errorf("ledning sees %d forms", n)
		}
		text := htmltest.Text(doc.One(t, "main"))
		for _, want := range []string{"Stort gap", "Hälsocentral Alfa, Hälsocentral Beta", "Svar på displaced", "Lena Lead"} {
			if !strings.Contains(text, want) {
				t.Errorf("read-only view lacks %q", want)
			}
		}
	})
}

func TestGapPages_ShowTheUnitsAnswers(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		s := newSite(t, e)
		m := e.started(t)
		sv := insert(t, d, `INSERT INTO unit_surveys (implementation_id, title, deadline, status, sent_on, created_at, updated_at)
			VALUES (?, 'Enkät', ?, 'sent', ?, ?, ?) RETURNING id`, m.ID, day("2026-10-01"), day("2026-09-01"), start, start)
		insert(t, d, `INSERT INTO survey_recommendations (survey_id, recommendation_id) VALUES (?, ?) RETURNING survey_id`, sv, e.recs[0])
		ra := insert(t, d, `INSERT INTO survey_recipients (survey_id, unit_id, contact_id, answered_at, answered_by) VALUES (?, ?, ?, ?, 'Agnes Alfa') RETURNING id`,
			sv, e.unitA, e.contactA, start)
		insert(t, d, `INSERT INTO survey_recipients (survey_id, unit_id, contact_id) VALUES (?, ?, ?) RETURNING id`, sv, e.unitB, e.contact)
		insert(t, d, `INSERT INTO survey_answers (recipient_id, recommendation_id, compliance, comment) VALUES (?, ?, 'partly', 'Saknar skriftlig rutin') RETURNING recipient_id`,
			ra, e.recs[0])

		_, body := s.get(t, "lead", "/inforande/"+itoa(m.ID)+"/gap")
		doc := parsePage(t, body)
		rows := doc.All("tbody tr")
		if got := htmltest.Text(rows[0]); !strings.Contains(got, "0 ja, 1 delvis, 0 nej, 1 ej svar") {
			t.Errorf("row R1 %q", got)
		}
		if got := htmltest.Text(rows[1]); strings.Contains(got, "delvis") {
			t.Errorf("row R2, not asked about, %q", got)
		}
		_, body = s.get(t, "lead", "/inforande/"+itoa(m.ID)+"/gap/"+itoa(e.recs[0]))
		doc = parsePage(t, body)
		if got := htmltest.Text(doc.One(t, `section[aria-labelledby="survey-title"]`)); !strings.Contains(got, "Hälsocentral Alfa") || !strings.Contains(got, "Saknar skriftlig rutin") {
			t.Errorf("survey section %q", got)
		}
	})
}
