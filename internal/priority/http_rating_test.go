package priority_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// pgRatingRound is an open round with two candidates rated by LPO
// Diabetes/endokrina (Ulf and Erik) and LPO Hjärta-kärl (neither).
type pgRatingRound struct {
	path       string
	candidates []string // candidate ids, in the round's order
	diabetes   string
	heart      string
}

var pgSheetLink = regexp.MustCompile(`href="/prioritering/\d+/bedomning/(\d+)/(\d+)"`)

func (s *pgSite) ratingRound(t *testing.T) pgRatingRound {
	t.Helper()
	sara := s.login(t, "samordnare")
	path := s.createRound(t, sara, "Bedömningsrunda")
	s.chooseCandidates(t, sara, path, 2)
	groups := s.chooseGroups(t, sara, path, "LPO Diabetes/endokrina", "LPO Hjärta-kärl")
	s.open(t, sara, path)
	rr := pgRatingRound{path: path, diabetes: groups[0], heart: groups[1]}
	res, body := s.do(t, sara, path+"/bedomning", nil)
	pgWant(t, "coordinator's rating list", res, body, http.StatusOK, "LPO Hjärta-kärl", "LPO Diabetes/endokrina")
	for _, m := range pgSheetLink.FindAllStringSubmatch(body, -1) {
		if m[1] == rr.diabetes {
			rr.candidates = append(rr.candidates, m[2])
		}
	}
	if len(rr.candidates) != 2 {
		t.Fatalf("candidates of the diabetes group: %v", rr.candidates)
	}
	return rr
}

func (rr pgRatingRound) sheet(group string, candidate int) string {
	return rr.path + "/bedomning/" + group + "/" + rr.candidates[candidate]
}

// sheetForm is a sheet form at version v scoring the first criterion value
// with comment; the other criteria are not rated.
func sheetForm(v, value, comment string) url.Values {
	return url.Values{"version": {v}, "scores.0.value": {value}, "scores.0.comment": {comment},
		"scores.1.value": {""}, "scores.2.value": {"3"}}
}

func TestPages_RatingListAndPermissions(t *testing.T) {
	t.Parallel()
	pgEach(t, func(t *testing.T, s *pgSite) {
		rr := s.ratingRound(t)
		ulf, revisor := s.login(t, "utvecklare"), s.login(t, "revisor")
		tests := []struct {
			who    string
			path   string
			form   url.Values
			status int
			texts  []string
		}{
			{"utvecklare", rr.path + "/bedomning", nil, http.StatusOK,
				[]string{"LPO Diabetes/endokrina", "!LPO Hjärta-kärl", "Inte påbörjad", rr.sheet(rr.diabetes, 0)}},
			{"revisor", rr.path + "/bedomning", nil, http.StatusOK, []string{"Du bedömer inte i den här omgången", "kontakta samordnaren"}},
			{"utvecklare", rr.path, nil, http.StatusOK, []string{"Bedöm kandidaterna", "!" + rr.path + "/stang"}},
			// A member sees the sheet as a form; the radio buttons include "not rated yet".
			{"utvecklare", rr.sheet(rr.diabetes, 0), nil, http.StatusOK,
				[]string{`type="radio"`, `name="scores.0.value" value="5"`, "Inte bedömt ännu", `name="version" value="0"`, "Nytta för patienten", "Hur mycket vinner patienten?", "Spara och gå till nästa kandidat"}},
			// Others read it.
			{"revisor", rr.sheet(rr.diabetes, 0), nil, http.StatusOK, []string{"kan bara läsa", "!" + `type="radio"`}},
			{"utvecklare", rr.sheet(rr.heart, 0), nil, http.StatusOK, []string{"kan bara läsa", "!" + `type="radio"`}},
			// Rating for another group is refused with a clear message.
			{"utvecklare", rr.sheet(rr.heart, 0), sheetForm("0", "4", ""), http.StatusUnprocessableEntity,
				[]string{`href="#f-group_id"`, "Du är inte medlem i den gruppen"}},
			{"revisor", rr.sheet(rr.diabetes, 0), sheetForm("0", "4", ""), http.StatusUnprocessableEntity, []string{"Du är inte medlem i den gruppen"}},
			// Someone who may not save the sheet learns why, whatever they sent.
			{"revisor", rr.sheet(rr.diabetes, 0), sheetForm("0", "tre", ""), http.StatusUnprocessableEntity,
				[]string{`href="#f-group_id"`, "Du är inte medlem i den gruppen", "!Välj ett värde på skalan"}},
			// A score off the scale.
			{"utvecklare", rr.sheet(rr.diabetes, 0), sheetForm("0", "9", "Kommentaren finns kvar"), http.StatusUnprocessableEntity,
				[]string{`href="#f-scores.0.value"`, "Välj ett värde på skalan 1–5", "Kommentaren finns kvar"}},
			{"utvecklare", rr.sheet(rr.diabetes, 0), sheetForm("0", "tre", ""), http.StatusUnprocessableEntity, []string{"Välj ett värde på skalan 1–5"}},
			{"utvecklare", rr.path + "/bedomning/999999/" + rr.candidates[0], nil, http.StatusNotFound, nil},
		}
		clients := map[string]*http.Client{"utvecklare": ulf, "revisor": revisor}
		for _, tt := range tests {
			res, body := s.do(t, clients[tt.who], tt.path, tt.form)
			pgWant(t, tt.who+" "+tt.path, res, body, tt.status, tt.texts...)
		}

		// Save, then save and go to the next candidate.
		res, body := s.do(t, ulf, rr.sheet(rr.diabetes, 0), sheetForm("0", "4", "Stor nytta"))
		pgRedirect(t, "save", res, body, rr.path+"/bedomning")
		res, body = s.do(t, ulf, rr.path+"/bedomning", nil)
		pgWant(t, "list after save", res, body, http.StatusOK, "Bedömningen av", "Delvis bedömd", "Ulf Utvecklare")
		next := sheetForm("0", "2", "")
		next.Set("next", "1")
		res, body = s.do(t, ulf, rr.sheet(rr.diabetes, 1), next)
		pgRedirect(t, "save last and next", res, body, rr.path+"/bedomning")
		res, body = s.do(t, ulf, rr.sheet(rr.diabetes, 0), nil)
		pgWant(t, "saved sheet", res, body, http.StatusOK, `name="scores.0.value" value="4" checked`, "Stor nytta", "Ulf Utvecklare")
		next = sheetForm(pgVersion(t, body, rr.sheet(rr.diabetes, 0)), "5", "")
		next.Set("scores.1.value", "4")
		next.Set("next", "1")
		res, body = s.do(t, ulf, rr.sheet(rr.diabetes, 0), next)
		pgRedirect(t, "save and next", res, body, rr.sheet(rr.diabetes, 1))
		res, body = s.do(t, ulf, rr.path+"/bedomning", nil)
		pgWant(t, "list", res, body, http.StatusOK, "Klar", "Delvis bedömd")
	})
}

func TestPages_RatingConflictKeepsBothInputs(t *testing.T) {
	t.Parallel()
	pgEach(t, func(t *testing.T, s *pgSite) {
		rr := s.ratingRound(t)
		ulf, erik := s.login(t, "utvecklare"), s.login(t, "enhet")
		sheet := rr.sheet(rr.diabetes, 0)
		_, ulfPage := s.do(t, ulf, sheet, nil)
		_, erikPage := s.do(t, erik, sheet, nil)
		v := pgVersion(t, erikPage, sheet)
		if pgVersion(t, ulfPage, sheet) != v {
			t.Fatal("both members should open the same version")
		}
		res, body := s.do(t, ulf, sheet, sheetForm(v, "4", "Ulfs kommentar"))
		pgRedirect(t, "first save", res, body, rr.path+"/bedomning")

		// Erik saves from the same version: he sees Ulf's sheet beside his own input.
		res, body = s.do(t, erik, sheet, sheetForm(v, "2", "Eriks kommentar"))
		pgWant(t, "second save", res, body, http.StatusConflict, `id="f-conflict"`, "Någon annan i gruppen har sparat",
			"Ulf Utvecklare", "Ulfs kommentar", "Ganska hög", "Eriks kommentar", `name="scores.0.value" value="2" checked`)
		nv := pgVersion(t, body, sheet)
		if nv == v {
			t.Fatalf("the conflict form keeps the stale version %s", v)
		}
		// Ulf's sheet is unchanged.
		res, body = s.do(t, s.login(t, "revisor"), sheet, nil)
		pgWant(t, "kept", res, body, http.StatusOK, "Ulfs kommentar", "!Eriks kommentar")

		// Saving again, deliberately, replaces it.
		res, body = s.do(t, erik, sheet, sheetForm(nv, "2", "Eriks kommentar"))
		pgRedirect(t, "deliberate save", res, body, rr.path+"/bedomning")
		res, body = s.do(t, ulf, sheet, nil)
		pgWant(t, "replaced", res, body, http.StatusOK, "Eriks kommentar", "Erik Enhet")
	})
}

func TestPages_RatingAfterDeadlineAndClose(t *testing.T) {
	t.Parallel()
	pgEach(t, func(t *testing.T, s *pgSite) {
		rr := s.ratingRound(t)
		ulf := s.login(t, "utvecklare")
		sheet := rr.sheet(rr.diabetes, 0)
		_, body := s.do(t, ulf, sheet, nil)
		v := pgVersion(t, body, sheet)

		// The deadline passes (sessions follow the real clock, so the round's deadline moves instead).
		id := strings.TrimPrefix(rr.path, "/prioritering/")
		yesterday := s.today().AddDate(0, 0, -1).Format(time.DateOnly)
		if _, err := s.db.ExecContext(context.Background(), `UPDATE priority_rounds SET deadline = ? WHERE id = ?`, yesterday, id); err != nil {
			t.Fatal(err)
		}
		res, body := s.do(t, ulf, sheet, sheetForm(v, "3", "För sent"))
		pgWant(t, "after the deadline", res, body, http.StatusUnprocessableEntity, `href="#f-round"`, "Sista dag för bedömning var", "!"+`type="radio"`,
			"Det du skrev har inte sparats", "För sent")
		res, body = s.do(t, ulf, rr.path+"/bedomning", nil)
		pgWant(t, "list after the deadline", res, body, http.StatusOK, "Sista dag för bedömning var")

		sara := s.login(t, "samordnare")
		_, body = s.do(t, sara, rr.path, nil)
		res, body = s.do(t, sara, rr.path+"/stang", url.Values{"version": {pgVersion(t, body, rr.path+"/stang")}})
		pgRedirect(t, "close", res, body, rr.path)
		res, body = s.do(t, ulf, sheet, nil)
		pgWant(t, "closed sheet", res, body, http.StatusOK, "kan inte ändras nu", "!"+`type="radio"`)
		res, body = s.do(t, ulf, sheet, sheetForm(v, "3", ""))
		pgWant(t, "save closed", res, body, http.StatusUnprocessableEntity, "Omgången är stängd")
		if strings.Contains(body, "För sent") {
			t.Error("a refused save must not be stored")
		}
	})
}
