package forum_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kunskapsnav/kunskapsnav/internal/forum"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// mtgFull plans a meeting of HSL with an agenda item, attendance and a
// document, and returns it with the document.
func mtgFull(t *testing.T, f *mtgFixture) (forum.Meeting, forum.Document) {
	t.Helper()
	sara := f.as("sara")
	m := mtgMust(f.svc.CreateMeeting(sara, mtgMeeting(f.hsl.ID)))(t)
	mtgMust(f.svc.AddAgendaItem(sara, forum.AgendaItem{MeetingID: m.ID, Title: "Vårdförlopp KOL", Minutes: "Tillstyrkt."}))(t)
	m = mtgMust(f.svc.SetAttendance(sara, m.ID, m.Version, []forum.Attendance{{PersonID: f.people["Hanna Hälsodirektör"], Status: forum.Present}}))(t)
	d := mtgMust(f.svc.AddDocument(sara, forum.Document{MeetingID: m.ID, Title: "Underlag"}, "underlag.txt", []byte("Underlag om KOL\n")))(t)
	return m, d
}

// mtgAudited counts the audit rows of entity and action.
func mtgAudited(t *testing.T, d *db.DB, entity, action string) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE entity = ? AND action = ?`, entity, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// mtgCase registers a case as the coordinator.
func mtgCase(t *testing.T, f *mtgFixture) forum.Case {
	t.Helper()
	return mtgMust(f.svc.CreateCase(f.as("sara"), forum.Case{Title: "Vårdförlopp KOL", Kind: forum.Introduction}))(t)
}

func TestDeleteMeeting_OnlyPlannedOrCancelledMeetingsNothingRefersTo(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMtgFixture(t, d)
		sara, sigrid := f.as("sara"), f.as("sigrid")
		m, doc := mtgFull(t, f)

		if err := f.svc.DeleteMeeting(f.as("ulla"), m.ID, m.Version); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("delete by an improvement lead in no forum: %v", err)
		}
		if err := f.svc.DeleteMeeting(f.as("olle"), m.ID, m.Version); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("delete by another forum's secretary: %v", err)
		}
		if err := f.svc.DeleteMeeting(sigrid, m.ID, m.Version-1); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("delete of a stale version: %v", err)
		}
		if err := f.svc.CheckDeleteMeeting(sigrid, m.ID); err != nil {
			t.Errorf("check before deleting: %v", err)
		}
		if err := f.svc.DeleteMeeting(sigrid, m.ID, m.Version); err != nil {
			t.Fatalf("delete by the secretary: %v", err)
		}
		if _, err := f.svc.Meeting(sara, m.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("deleted meeting: %v", err)
		}
		if _, err := f.svc.Document(sara, doc.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("document of a deleted meeting: %v", err)
		}
		var left int
		if err := d.QueryRowContext(context.Background(), `SELECT
			(SELECT COUNT(*) FROM agenda_items WHERE meeting_id = ?) + (SELECT COUNT(*) FROM meeting_attendance WHERE meeting_id = ?)`, m.ID, m.ID).Scan(&left); err != nil || left != 0 {
			t.Errorf("agenda and attendance left: %d, %v", left, err)
		}
		if n := mtgAudited(t, d, "meeting", "delete"); n != 1 {
			t.Errorf("%d audited meeting deletions, want 1", n)
		}
		if err := f.svc.DeleteMeeting(sigrid, m.ID, m.Version); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("second delete: %v", err)
		}

		// A cancelled meeting can go; a held one stays, and so does one whose
		// minutes are approved.
		cancelled := mtgMeeting(f.hsl.ID)
		cancelled.Status = forum.Cancelled
		cancelled = mtgMust(f.svc.CreateMeeting(sara, cancelled))(t)
		if err := f.svc.DeleteMeeting(sara, cancelled.ID, cancelled.Version); err != nil {
			t.Errorf("delete a cancelled meeting: %v", err)
		}
		held := mtgMeeting(f.hsl.ID)
		held.Status = forum.Held
		held = mtgMust(f.svc.CreateMeeting(sara, held))(t)
		mtgWantField(t, f.svc.DeleteMeeting(sara, held.ID, held.Version), "meeting.status")
		mtgWantField(t, f.svc.CheckDeleteMeeting(sara, held.ID), "meeting.status")
		approved := mtgMust(f.svc.ApproveMinutes(sara, held.ID, held.Version))(t)
		if err := f.svc.DeleteMeeting(sara, approved.ID, approved.Version); !errors.Is(err, errs.ErrLocked) {
			t.Errorf("delete an approved meeting: %v", err)
		}

		// An anchoring step or a decision that refers to the meeting keeps it.
		anchored := mtgMust(f.svc.CreateMeeting(sara, mtgMeeting(f.hsl.ID)))(t)
		c := mtgCase(t, f)
		mtgMust(f.svc.AddStep(sara, forum.Step{CaseID: c.ID, Kind: forum.Anchoring, Date: date.Of(mtgNow, i18n.Stockholm()), ForumID: f.hsl.ID,
			MeetingID: anchored.ID, Outcome: forum.Supports}, 0))(t)
		for _, err := range []error{f.svc.CheckDeleteMeeting(sara, anchored.ID), f.svc.DeleteMeeting(sara, anchored.ID, anchored.Version)} {
			if !errors.Is(err, errs.ErrReferenced) {
				t.Errorf("delete a meeting an anchoring step names: %v", err)
			}
		}
		decided := mtgMust(f.svc.CreateMeeting(sara, mtgMeeting(f.hsl.ID)))(t)
		mtgMust(f.svc.RecordDecision(sara, forum.Decision{ForumID: f.hsl.ID, MeetingID: decided.ID, DecidedOn: date.Of(mtgNow, i18n.Stockholm()), Text: "HSL beslutar att införa."}, 0))(t)
		if err := f.svc.DeleteMeeting(sara, decided.ID, decided.Version); !errors.Is(err, errs.ErrReferenced) {
			t.Errorf("delete a meeting with a decision: %v", err)
		}
		if _, err := f.svc.Meeting(sara, decided.ID); err != nil {
			t.Errorf("the refused deletion removed the meeting: %v", err)
		}
	})
}

func TestDeleteDocument_OnlyMeetingDocumentsBeforeApprovalAndNotADecisionBasis(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMtgFixture(t, d)
		sara, sigrid := f.as("sara"), f.as("sigrid")
		m, doc := mtgFull(t, f)

		if err := f.svc.DeleteDocument(f.as("ulla"), doc.ID); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("delete by an improvement lead in no forum: %v", err)
		}
		if err := f.svc.CheckDeleteDocument(sigrid, doc.ID); err != nil {
			t.Errorf("check before deleting: %v", err)
		}
		if err := f.svc.DeleteDocument(sigrid, doc.ID); err != nil {
			t.Fatalf("delete by the secretary: %v", err)
		}
		if docs := mtgMust(f.svc.Documents(sara, forum.DocumentFilter{MeetingID: m.ID}))(t); len(docs) != 0 {
			t.Errorf("documents left: %v", docs)
		}
		if n := mtgAudited(t, d, "forum_document", "delete"); n != 1 {
			t.Errorf("%d audited document deletions, want 1", n)
		}
		if err := f.svc.DeleteDocument(sigrid, doc.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("second delete: %v", err)
		}

		// A decision basis stays.
		basis := mtgMust(f.svc.AddDocument(sara, forum.Document{MeetingID: m.ID, Title: "Beslutsunderlag"}, "underlag.txt", []byte("Underlag\n")))(t)
		mtgMust(f.svc.RecordDecision(sara, forum.Decision{ForumID: f.hsl.ID, MeetingID: m.ID, DecidedOn: date.Of(mtgNow, i18n.Stockholm()), Text: "Beslut.",
			BasisDocumentIDs: []int64{basis.ID}}, 0))(t)
		if err := f.svc.DeleteDocument(sara, basis.ID); !errors.Is(err, errs.ErrReferenced) {
			t.Errorf("delete a decision basis: %v", err)
		}

		// A case's documents are kept; an approved meeting's are locked.
		c := mtgCase(t, f)
		caseDoc := mtgMust(f.svc.AddDocument(sara, forum.Document{CaseID: c.ID}, "ärende.txt", []byte("Ärende\n")))(t)
		if err := f.svc.DeleteDocument(sara, caseDoc.ID); !errors.Is(err, errs.ErrLocked) {
			t.Errorf("delete a case document: %v", err)
		}
		held := mtgMeeting(f.hsl.ID)
		held.Status = forum.Held
		held = mtgMust(f.svc.CreateMeeting(sara, held))(t)
		late := mtgMust(f.svc.AddDocument(sara, forum.Document{MeetingID: held.ID}, "bilaga.txt", []byte("Bilaga\n")))(t)
		mtgMust(f.svc.ApproveMinutes(sara, held.ID, held.Version))(t)
		if err := f.svc.DeleteDocument(sara, late.ID); !errors.Is(err, errs.ErrLocked) {
			t.Errorf("delete an approved meeting's document: %v", err)
		}
	})
}

func TestMeetingPages_DeleteAfterConfirming(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newMtgSite(t, d)
		sigrid, rut := s.login(t, "sigrid"), s.login(t, "rut")
		m, doc := mtgFull(t, s.mtgFixture)
		page := "/moten/" + mtgID(m.ID)
		docPage := page + "/dokument/" + mtgID(doc.ID) + "/ta-bort"

		res, body := s.get(t, sigrid, page)
		mtgWant(t, "meeting page", res, body, http.StatusOK, `href="`+page+`/ta-bort"`, `href="`+docPage+`"`)
		res, body = s.get(t, rut, page)
		mtgWant(t, "meeting page for the auditor", res, body, http.StatusOK)
		if strings.Contains(body, "/ta-bort") {
			t.Error("the auditor is offered deletions")
		}
		res, body = s.get(t, rut, page+"/ta-bort")
		mtgWant(t, "confirm page for the auditor", res, body, http.StatusForbidden)

		// The document: a confirmation page, then the deletion.
		res, body = s.get(t, sigrid, docPage)
		mtgWant(t, "confirm document deletion", res, body, http.StatusOK, "Ta bort dokumentet ”Underlag”?", "underlag.txt", `action="`+docPage+`"`, "Avbryt")
		res, body = s.get(t, sigrid, page+"/dokument/999999/ta-bort")
		mtgWant(t, "unknown document", res, body, http.StatusNotFound)
		res, body = s.post(t, sigrid, docPage, url.Values{})
		mtgRedirect(t, "delete document", res, body, page)
		res, body = s.get(t, sigrid, page)
		mtgWant(t, "after the document deletion", res, body, http.StatusOK, "Dokumentet ”Underlag” är borttaget.", "Mötet har inga dokument.")
		res, body = s.post(t, sigrid, docPage, url.Values{})
		mtgWant(t, "document deleted twice", res, body, http.StatusNotFound)

		// The meeting: a confirmation page, a stale version, then the deletion.
		res, body = s.get(t, sigrid, page+"/ta-bort")
		mtgWant(t, "confirm meeting deletion", res, body, http.StatusOK, "Ta bort mötet HSL 2026-12-10?", "1 punkt på dagordningen", "0 dokument",
			`action="`+page+`/ta-bort"`, `href="`+page+`"`)
		version := mtgVersion(t, body, page+"/ta-bort")
		res, body = s.post(t, sigrid, page+"/ta-bort", url.Values{"version": {"1"}})
		mtgWant(t, "delete a stale meeting", res, body, http.StatusConflict, "Någon annan har ändrat mötet")
		res, body = s.post(t, sigrid, page+"/ta-bort", url.Values{"version": {version}})
		mtgRedirect(t, "delete meeting", res, body, "/forum/"+mtgID(s.hsl.ID))
		res, body = s.get(t, sigrid, "/forum/"+mtgID(s.hsl.ID))
		mtgWant(t, "forum after the deletion", res, body, http.StatusOK, "Mötet HSL 2026-12-10 är borttaget.")
		res, body = s.get(t, sigrid, page)
		mtgWant(t, "deleted meeting", res, body, http.StatusNotFound)

		// Meetings that cannot go say why, on the confirmation page already.
		sara := s.as("sara")
		held := mtgMeeting(s.hsl.ID)
		held.Status = forum.Held
		held = mtgMust(s.svc.CreateMeeting(sara, held))(t)
		res, body = s.get(t, sigrid, "/moten/"+mtgID(held.ID)+"/ta-bort")
		mtgWant(t, "confirm a held meeting", res, body, http.StatusUnprocessableEntity, "Bara ett planerat eller inställt möte kan tas bort.")
		_, body = s.get(t, sigrid, "/moten/"+mtgID(held.ID))
		if strings.Contains(body, "/moten/"+mtgID(held.ID)+"/ta-bort") {
			t.Error("a held meeting offers deletion")
		}
		anchored := mtgMust(s.svc.CreateMeeting(sara, mtgMeeting(s.hsl.ID)))(t)
		c := mtgCase(t, s.mtgFixture)
		mtgMust(s.svc.AddStep(sara, forum.Step{CaseID: c.ID, Kind: forum.Anchoring, Date: date.Of(mtgNow, i18n.Stockholm()), ForumID: s.hsl.ID,
			MeetingID: anchored.ID, Outcome: forum.Supports}, 0))(t)
		res, body = s.get(t, sigrid, "/moten/"+mtgID(anchored.ID)+"/ta-bort")
		mtgWant(t, "confirm an anchored meeting", res, body, http.StatusConflict, "beslut eller förankringssteg i ärenden hänvisar till det")
		res, body = s.post(t, sigrid, "/moten/"+mtgID(anchored.ID)+"/ta-bort", url.Values{"version": {mtgID(anchored.Version)}})
		mtgWant(t, "delete an anchored meeting", res, body, http.StatusConflict, "beslut eller förankringssteg i ärenden hänvisar till det")
		approved := mtgMust(s.svc.ApproveMinutes(sara, held.ID, held.Version))(t)
		late := "/moten/" + mtgID(approved.ID)
		res, body = s.get(t, sigrid, late+"/ta-bort")
		mtgWant(t, "confirm an approved meeting", res, body, http.StatusConflict, "Protokollet är justerat")
	})
}

func TestMeetingAPI_UploadAndDeleteDocumentsAndDeleteMeetings(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newMtgSite(t, d)
		sigrid, ulla := s.login(t, "sigrid"), s.login(t, "ulla")
		sara := s.as("sara")
		m := mtgMust(s.svc.CreateMeeting(sara, mtgMeeting(s.hsl.ID)))(t)
		path := fmt.Sprintf("/api/v1/meetings/%d", m.ID)

		res, body := s.upload(t, sigrid, path+"/documents", "kallelse.txt", []byte("Kallelse till HSL\n"), url.Values{"title": {"Kallelse"}})
		mtgWant(t, "API upload", res, body, http.StatusCreated, `"title":"Kallelse"`, `"name":"kallelse.txt"`, `"sha256":"`)
		res, body = s.upload(t, sigrid, path+"/documents", "protokollsbilaga.txt", []byte("Bilaga\n"), nil)
		mtgWant(t, "API upload without a title", res, body, http.StatusCreated, `"title":"protokollsbilaga.txt"`)
		big := strings.Repeat("Bilaga med mycket text.\n", 100_000) // 2.4 MB: over the server-wide 1 MiB
		res, body = s.upload(t, sigrid, path+"/documents", "stor.txt", []byte(big), nil)
		mtgWant(t, "API upload of 2 MB", res, body, http.StatusCreated)
		res, body = s.upload(t, sigrid, path+"/documents", "program.exe", []byte("MZ\x90\x00"), nil)
		mtgWant(t, "API upload of a program", res, body, http.StatusUnprocessableEntity, `"location":"body.file"`)
		res, body = s.upload(t, ulla, path+"/documents", "a.txt", []byte("a\n"), nil)
		mtgWant(t, "API upload by a non-secretary", res, body, http.StatusForbidden)
		huge := strings.Repeat("a", int(forum.DocumentLimit)+2<<20)
		res, body = s.upload(t, sigrid, path+"/documents", "enorm.txt", []byte(huge), nil)
		mtgWant(t, "API upload over the limit", res, body, http.StatusRequestEntityTooLarge)
		res, body = s.do(t, sigrid, http.MethodPost, path+"/documents", "application/json", `{"title": "x"}`)
		if res.StatusCode < 400 || res.StatusCode >= 500 {
			t.Errorf("API upload as JSON: %d\n%s", res.StatusCode, body)
		}

		docs := s.api(t, ulla, http.MethodGet, fmt.Sprintf("/meetings/%d/documents", m.ID), "", http.StatusOK)["items"].([]any)
		if len(docs) != 3 {
			t.Fatalf("documents = %v", docs)
		}
		first := docs[0].(map[string]any)["id"]
		other := mtgMust(s.svc.CreateMeeting(sara, mtgMeeting(s.hsl.ID)))(t)
		s.api(t, sigrid, http.MethodDelete, fmt.Sprintf("/meetings/%d/documents/%v", other.ID, first), "", http.StatusNotFound)
		s.api(t, ulla, http.MethodDelete, fmt.Sprintf("/meetings/%d/documents/%v", m.ID, first), "", http.StatusForbidden)
		s.api(t, sigrid, http.MethodDelete, fmt.Sprintf("/meetings/%d/documents/%v", m.ID, first), "", http.StatusNoContent)
		s.api(t, sigrid, http.MethodDelete, fmt.Sprintf("/meetings/%d/documents/%v", m.ID, first), "", http.StatusNotFound)

		// Meetings: version-checked, only planned or cancelled, not referenced.
		cur := s.api(t, ulla, http.MethodGet, fmt.Sprintf("/meetings/%d", m.ID), "", http.StatusOK)
		s.api(t, sigrid, http.MethodDelete, fmt.Sprintf("/meetings/%d", m.ID), "", http.StatusBadRequest)
		s.api(t, ulla, http.MethodDelete, fmt.Sprintf("/meetings/%d?version=%v", m.ID, cur["version"]), "", http.StatusForbidden)
		m.Title = "Extra möte"
		m = mtgMust(s.svc.UpdateMeeting(sara, m))(t) // someone else changes the meeting
		s.api(t, sigrid, http.MethodDelete, fmt.Sprintf("/meetings/%d?version=%v", m.ID, cur["version"]), "", http.StatusConflict)
		s.api(t, sigrid, http.MethodDelete, fmt.Sprintf("/meetings/%d?version=%d", m.ID, m.Version), "", http.StatusNoContent)
		s.api(t, ulla, http.MethodGet, fmt.Sprintf("/meetings/%d", m.ID), "", http.StatusNotFound)

		held := mtgMeeting(s.hsl.ID)
		held.Status = forum.Held
		held = mtgMust(s.svc.CreateMeeting(sara, held))(t)
		problem := s.api(t, sigrid, http.MethodDelete, fmt.Sprintf("/meetings/%d?version=%d", held.ID, held.Version), "", http.StatusUnprocessableEntity)
		if !strings.Contains(fmt.Sprint(problem["errors"]), "meeting.status") || !strings.Contains(fmt.Sprint(problem["errors"]), "planerat eller inställt") {
			t.Errorf("problem = %v", problem)
		}
		c := mtgCase(t, s.mtgFixture)
		mtgMust(s.svc.AddStep(sara, forum.Step{CaseID: c.ID, Kind: forum.Anchoring, Date: date.Of(mtgNow, i18n.Stockholm()), ForumID: s.hsl.ID,
			MeetingID: other.ID, Outcome: forum.Supports}, 0))(t)
		problem = s.api(t, sigrid, http.MethodDelete, fmt.Sprintf("/meetings/%d?version=%d", other.ID, other.Version), "", http.StatusConflict)
		if !strings.Contains(fmt.Sprint(problem["type"]), "referenced") {
			t.Errorf("problem = %v", problem)
		}
		approved := mtgMust(s.svc.ApproveMinutes(sara, held.ID, held.Version))(t)
		res, body = s.upload(t, sigrid, fmt.Sprintf("/api/v1/meetings/%d/documents", approved.ID), "sent.txt", []byte("för sent\n"), nil)
		mtgWant(t, "API upload after approval", res, body, http.StatusConflict, "locked")

		res, spec := s.get(t, ulla, "/api/v1/openapi.json")
		mtgWant(t, "openapi", res, spec, http.StatusOK, `"/api/v1/meetings/{id}/documents/{document}"`, `"upload-meeting-document"`, `"delete-meeting"`, `"multipart/form-data"`)
	})
}
