package forum

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/files"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// ReadDocuments admits those who may download a document: everyone with
// Read, and kommun users, whom the service shows only the documents of cases
// sent to their municipality.
var ReadDocuments = access.Permission{Name: "forum.documents", Roles: append(slices.Clone(Read.Roles), access.Municipality)}

// uploadLimit is the body limit of an upload: the largest file and room for
// the rest of the multipart form.
const uploadLimit = DocumentLimit + 1<<20

func (h *handler) meetingRoutes(s *web.Server) {
	s.Handle("GET /moten", Read, h.meetings)
	s.Handle("GET /moten/ny", Read, h.newMeeting)
	s.Handle("POST /moten/ny", Read, h.createMeeting)
	s.Handle("GET /moten/{id}", Read, h.meeting)
	s.Handle("GET /moten/{id}/redigera", Read, h.editMeeting)
	s.Handle("POST /moten/{id}", Read, h.saveMeeting)
	s.Handle("GET /moten/{id}/ta-bort", Read, h.confirmDeleteMeeting)
	s.Handle("POST /moten/{id}/ta-bort", Read, h.deleteMeeting)
	s.Handle("POST /moten/{id}/punkter", Read, h.addAgendaItem)
	s.Handle("GET /moten/{id}/punkter/{item}", Read, h.editAgendaItem)
	s.Handle("POST /moten/{id}/punkter/{item}", Read, h.saveAgendaItem)
	s.Handle("POST /moten/{id}/punkter/{item}/ta-bort", Read, h.deleteAgendaItem)
	s.Handle("POST /moten/{id}/narvaro", Read, h.saveAttendance)
	s.Handle("POST /moten/{id}/justera", Read, h.approveMinutes)
	s.HandleUpload("POST /moten/{id}/dokument", Read, uploadLimit, h.uploadMeetingDocument)
	s.Handle("GET /moten/{id}/dokument/{document}/ta-bort", Read, h.confirmDeleteDocument)
	s.Handle("POST /moten/{id}/dokument/{document}/ta-bort", Read, h.deleteMeetingDocument)
	s.Handle("GET /dokument/{id}", ReadDocuments, h.downloadDocument)
	h.meetingDocRoutes(s)
}

// EndClock is the time the meeting ends, HH:MM in Sweden.
func (m Meeting) EndClock() string { return m.EndsAt.In(i18n.Stockholm()).Format("15:04") }

// MeetingTable is a table of meetings for the "meetingtable" partial.
type MeetingTable struct {
	Rows      []Meeting
	Caption   string
	Count     bool // the caption is a plural message of the number of rows
	ShowForum bool
}

// UpcomingTable is the forum page's table of coming meetings.
func (p ForumPage) UpcomingTable() MeetingTable {
	return MeetingTable{Rows: p.Upcoming, Caption: "forum.forum.upcoming_caption", Count: true}
}

// PastTable is the forum page's table of earlier meetings.
func (p ForumPage) PastTable() MeetingTable {
	return MeetingTable{Rows: p.Past, Caption: "forum.forum.past_caption", Count: true}
}

// MeetingsPage is the data of the meeting list.
type MeetingsPage struct {
	Form     *web.Form
	Forum    web.FieldView
	Year     web.FieldView
	Status   web.FieldView
	Meetings []Meeting
	Filtered bool
	CanPlan  bool // the user edits the meetings of some forum
}

// Table is the list's table of meetings.
func (p MeetingsPage) Table() MeetingTable {
	return MeetingTable{Rows: p.Meetings, Caption: "forum.meetings.count", Count: true, ShowForum: true}
}

func (h *handler) forumChoices(r *http.Request, emptyKey string, only func(Forum) (bool, error)) ([]web.Option, error) {
	forums, err := h.svc.Forums(r.Context(), ForumFilter{IncludeInactive: only == nil})
	if err != nil {
		return nil, err
	}
	var kept []Forum
	for _, f := range forums {
		if only != nil {
			ok, err := only(f)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
		}
		kept = append(kept, f)
	}
	return forumOptions(kept, emptyKey), nil
}

func (h *handler) meetings(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	form := web.QueryForm(r)
	f := MeetingFilter{ForumID: form.ID("forum_id"), Status: MeetingStatus(form.Get("status")), Query: form.Get("q")}
	if s := form.Get("forum"); s != "" && f.ForumID == 0 { // links from a forum's page
		form.Set("forum_id", s)
		f.ForumID = form.ID("forum_id")
	}
	if s := form.Get("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil || y < 1900 || y > 3000 {
			form.AddError("year", "validation.choice")
		}
		f.Year = y
	}
	if f.Status != "" && !oneOf(f.Status, MeetingStatuses) {
		form.AddError("status", "validation.choice")
	}
	forums, err := h.forumChoices(r, "common.all", nil)
	if err != nil {
		return err
	}
	years, err := h.svc.MeetingYears(ctx)
	if err != nil {
		return err
	}
	data := MeetingsPage{
		Form:     form,
		Forum:    form.Select("forum_id", "forum.meeting.forum", forums),
		Year:     form.Select("year", "forum.meetings.year", yearOptions(years)),
		Status:   form.Select("status", "forum.meeting.status", append([]web.Option{web.Choose("common.all")}, web.EnumOptions(MeetingStatuses, "forum.meeting_status.")...)),
		Filtered: f.ForumID != 0 || f.Year != 0 || f.Status != "" || f.Query != "",
	}
	plannable, err := h.forumChoices(r, "forum.choose", func(f Forum) (bool, error) { return h.svc.CanEditMeetings(ctx, f.ID) })
	if err != nil {
		return err
	}
	data.CanPlan = len(plannable) > 1
	if form.HasErrors() {
		return h.render(w, r, http.StatusUnprocessableEntity, "meetings", "forum.meetings.title", data)
	}
	if data.Meetings, err = h.svc.Meetings(ctx, f); err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "meetings", "forum.meetings.title", data)
}

// MeetingFormPage is the data of the new-meeting and edit-meeting pages.
type MeetingFormPage struct {
	Form     *web.Form
	Meeting  Meeting // as stored, when editing
	New      bool
	Forum    web.FieldView
	Status   web.FieldView
	NoForums bool     // the user edits the meetings of no forum
	Conflict *Meeting // the newer version someone else saved
}

var meetingFields = []string{"conflict", "forum_id", "title", "date", "starts_at", "ends_at", "place", "link", "status", "adjusters"}

func (h *handler) meetingForm(r *http.Request, form *web.Form, m Meeting, isNew bool) (MeetingFormPage, error) {
	data := MeetingFormPage{Form: form, Meeting: m, New: isNew,
		Status: form.Select("status", "forum.meeting.status", web.EnumOptions(MeetingStatuses, "forum.meeting_status."), "required")}
	if isNew {
		opts, err := h.forumChoices(r, "forum.choose", func(f Forum) (bool, error) { return h.svc.CanEditMeetings(r.Context(), f.ID) })
		if err != nil {
			return data, err
		}
		data.NoForums = len(opts) == 1
		data.Forum = form.Select("forum_id", "forum.meeting.forum", opts, "required")
	}
	return data, nil
}

// clockOf reads a time of day HH:MM from field name; empty is a problem.
func clockOf(form *web.Form, name string) (hour, minute int, ok bool) {
	s := form.Get(name)
	if s == "" {
		form.AddError(name, "validation.required")
		return 0, 0, false
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		form.AddError(name, "forum.validation.time")
		return 0, 0, false
	}
	return t.Hour(), t.Minute(), true
}

// meetingFromForm reads the meeting form on top of base and records every
// problem. The meeting is on one day, from a start to an end time.
func meetingFromForm(form *web.Form, base Meeting) Meeting {
	m := base
	if base.ID == 0 {
		m.ForumID = form.ID("forum_id")
	}
	m.Title, m.Place, m.Link, m.Adjusters = form.Get("title"), form.Get("place"), form.Get("link"), form.Get("adjusters")
	m.Status = MeetingStatus(form.Get("status"))
	day := form.Date("date")
	if day.IsZero() && form.ErrorFor("date") == nil {
		form.AddError("date", "validation.required")
	}
	sh, sm, okStart := clockOf(form, "starts_at")
	eh, em, okEnd := clockOf(form, "ends_at")
	check := day
	if check.IsZero() {
		check = date.New(2000, 1, 1) // only the times are checked against each other
	}
	loc := i18n.Stockholm()
	y, mo, d := check.Time().Date()
	m.StartsAt, m.EndsAt = time.Time{}, time.Time{}
	if okStart {
		m.StartsAt = time.Date(y, mo, d, sh, sm, 0, 0, loc).UTC()
	}
	if okEnd {
		m.EndsAt = time.Date(y, mo, d, eh, em, 0, 0, loc).UTC()
	}
	form.Merge(m.Validate())
	if day.IsZero() {
		m.StartsAt, m.EndsAt = time.Time{}, time.Time{}
	}
	return m
}

func meetingFormOf(m Meeting) *web.Form {
	form := web.NewForm()
	loc := i18n.Stockholm()
	form.Set("forum_id", web.IDText(m.ForumID))
	form.Set("title", m.Title)
	if !m.StartsAt.IsZero() {
		form.Set("date", m.StartsAt.In(loc).Format(time.DateOnly))
		form.Set("starts_at", m.StartsAt.In(loc).Format("15:04"))
		form.Set("ends_at", m.EndsAt.In(loc).Format("15:04"))
	}
	form.Set("place", m.Place)
	form.Set("link", m.Link)
	form.Set("status", string(m.Status))
	form.Set("adjusters", m.Adjusters)
	if m.Version != 0 {
		form.SetVersion(m.Version)
	}
	return form
}

func (h *handler) newMeeting(w http.ResponseWriter, r *http.Request) error {
	form := meetingFormOf(Meeting{Status: Planned})
	if s := r.URL.Query().Get("forum"); s != "" {
		form.Set("forum_id", s)
	}
	form.Set("starts_at", "13:00")
	form.Set("ends_at", "15:00")
	data, err := h.meetingForm(r, form, Meeting{}, true)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "meeting_form", "forum.meeting.new", data)
}

func (h *handler) createMeeting(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	m := meetingFromForm(form, Meeting{})
	if !form.HasErrors() {
		saved, err := h.svc.CreateMeeting(r.Context(), m)
		if err == nil {
			h.web.AddFlash(r, "success", "forum.meeting.created")
			return web.Redirect(w, r, "/moten/"+web.IDText(saved.ID))
		}
		if !form.Fail(err) {
			return err
		}
	}
	form.SortErrors(meetingFields...)
	data, err := h.meetingForm(r, form, Meeting{}, true)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusUnprocessableEntity, "meeting_form", "forum.meeting.new", data)
}

// editableMeeting reads the meeting of the path for an edit page: one whose
// minutes are approved answers with the meeting page and the lock message.
func (h *handler) editableMeeting(w http.ResponseWriter, r *http.Request) (Meeting, bool, error) {
	id, err := web.PathID(r)
	if err != nil {
		return Meeting{}, false, err
	}
	m, err := h.svc.Meeting(r.Context(), id)
	if err != nil {
		return Meeting{}, false, err
	}
	ok, err := h.editable(w, r, m)
	return m, ok, err
}

// editable reports whether the signed-in user may edit meeting m now: one
// who may not is forbidden, and a meeting whose minutes are approved answers
// with the meeting page and the lock message.
func (h *handler) editable(w http.ResponseWriter, r *http.Request, m Meeting) (bool, error) {
	ok, err := h.svc.CanEditMeetings(r.Context(), m.ForumID)
	if err != nil {
		return false, err
	}
	if !ok {
		return false, errs.ErrForbidden
	}
	if m.Locked() {
		return false, h.meetingLocked(w, r, m.ID)
	}
	return true, nil
}

func (h *handler) editMeeting(w http.ResponseWriter, r *http.Request) error {
	m, ok, err := h.editableMeeting(w, r)
	if !ok || err != nil {
		return err
	}
	data, err := h.meetingForm(r, meetingFormOf(m), m, false)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "meeting_form", "forum.meeting.edit", data)
}

func (h *handler) saveMeeting(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	current, err := h.svc.Meeting(r.Context(), id)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	edit := meetingFromForm(form, current)
	edit.Version = version
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		_, err := h.svc.UpdateMeeting(r.Context(), edit)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "forum.meeting.saved")
			return web.Redirect(w, r, "/moten/"+web.IDText(id))
		case errors.Is(err, errs.ErrLocked):
			return h.meetingLocked(w, r, id)
		case errors.Is(err, errs.ErrConflict):
			if current, err = h.svc.Meeting(r.Context(), id); err != nil {
				return err
			}
			form.Conflict(current.Version, "forum.conflict")
			status = http.StatusConflict
		case !form.Fail(err):
			return err
		}
	}
	form.SortErrors(meetingFields...)
	data, err := h.meetingForm(r, form, current, false)
	if err != nil {
		return err
	}
	if status == http.StatusConflict {
		data.Conflict = &current
	}
	return h.render(w, r, status, "meeting_form", "forum.meeting.edit", data)
}

// The meeting page.

// AgendaForm is the agenda item form with its choice of case.
type AgendaForm struct {
	Form *web.Form
	Case web.FieldView
}

var agendaFields = []string{"conflict", "position", "title", "description", "presenter", "case_id", "minutes"}

func (h *handler) agendaForm(r *http.Request, form *web.Form, caseID int64) (*AgendaForm, error) {
	cases, err := h.svc.AgendaCases(r.Context(), caseID)
	if err != nil {
		return nil, err
	}
	opts := []web.Option{web.Choose("forum.agenda.no_case")}
	for _, c := range cases {
		opts = append(opts, web.Option{Value: web.IDText(c.ID), Label: c.Number + " " + c.Title})
	}
	return &AgendaForm{Form: form, Case: form.Select("case_id", "forum.agenda.case", opts, "hint=forum.agenda.case_hint")}, nil
}

// AttendanceForm is the attendance form: a row per person on the sheet and
// the people who can be added to it.
type AttendanceForm struct {
	Form   *web.Form
	Rows   []AttendanceRow
	Other  web.FieldView
	Status web.FieldView
}

// AttendanceRow is one person's line of the attendance form, with what the
// form shows for them: the stored values, or what was sent.
type AttendanceRow struct {
	Line   AttendanceLine
	Status string
	Note   string
	Error  *errs.Field
}

// StatusName and NoteName are the row's field names.
func (r AttendanceRow) StatusName() string { return "status_" + strconv.FormatInt(r.Line.PersonID, 10) }

// NoteName is the name of the row's note field.
func (r AttendanceRow) NoteName() string { return "note_" + strconv.FormatInt(r.Line.PersonID, 10) }

// SizeKB is the document's size in kilobytes, rounded up.
func (d Document) SizeKB() int64 { return (d.Size + 1023) / 1024 }

// MeetingPage is the data of a meeting's page.
type MeetingPage struct {
	Meeting     Meeting
	Forum       Forum
	Items       []AgendaItem
	Sheet       []AttendanceLine
	Documents   []Document
	Cases       map[int64]AgendaCase
	Presences   []Presence
	IsEditor    bool // edits the forum's meetings
	CanEdit     bool // … and the minutes are not approved
	CanDelete   bool // … and the meeting is planned or cancelled
	Problem     string
	ProblemArgs []any
	Item        *AgendaForm     // adding an agenda item
	Attendance  *AttendanceForm // recording attendance
	Upload      *web.Form       // uploading a document
	DocFormats  bool            // agenda and minutes can be downloaded as DOCX and PDF
}

// CaseOf is the case an agenda item handles.
func (p MeetingPage) CaseOf(id int64) AgendaCase { return p.Cases[id] }

// NextPosition is the position a new agenda item gets.
func (p MeetingPage) NextPosition() int {
	n := 0
	for _, it := range p.Items {
		n = max(n, it.Position)
	}
	return n + 1
}

// meetingPageForms are the sub-forms of the meeting page filled in by a
// failed request, so it is shown again with what was typed.
type meetingPageForms struct {
	item, attendance, upload *web.Form
}

func (h *handler) meetingPage(r *http.Request, id int64, forms meetingPageForms) (MeetingPage, error) {
	ctx := r.Context()
	m, err := h.svc.Meeting(ctx, id)
	if err != nil {
		return MeetingPage{}, err
	}
	data := MeetingPage{Meeting: m, Presences: Presences, Cases: map[int64]AgendaCase{}, DocFormats: docFormats}
	if data.Forum, err = h.svc.Forum(ctx, m.ForumID); err != nil {
		return MeetingPage{}, err
	}
	if data.Items, err = h.svc.AgendaItems(ctx, id); err != nil {
		return MeetingPage{}, err
	}
	if data.Sheet, err = h.svc.AttendanceSheet(ctx, id); err != nil {
		return MeetingPage{}, err
	}
	if data.Documents, err = h.svc.Documents(ctx, DocumentFilter{MeetingID: id}); err != nil {
		return MeetingPage{}, err
	}
	if data.IsEditor, err = h.svc.CanEditMeetings(ctx, m.ForumID); err != nil {
		return MeetingPage{}, err
	}
	data.CanEdit = data.IsEditor && !m.Locked()
	data.CanDelete = data.CanEdit && m.Status != Held
	cases, err := h.svc.AgendaCases(ctx, 0)
	if err != nil {
		return MeetingPage{}, err
	}
	for _, c := range cases {
		data.Cases[c.ID] = c
	}
	for _, it := range data.Items {
		if _, ok := data.Cases[it.CaseID]; it.CaseID != 0 && !ok {
			more, err := h.svc.AgendaCases(ctx, it.CaseID)
			if err != nil {
				return MeetingPage{}, err
			}
			for _, c := range more {
				data.Cases[c.ID] = c
			}
		}
	}
	if !data.CanEdit {
		return data, nil
	}
	if forms.item == nil {
		forms.item = web.NewForm()
		forms.item.Set("position", strconv.Itoa(data.NextPosition()))
	}
	if data.Item, err = h.agendaForm(r, forms.item, 0); err != nil {
		return MeetingPage{}, err
	}
	if forms.attendance == nil {
		forms.attendance = web.NewForm()
	}
	data.Attendance, err = h.attendanceForm(r, forms.attendance, data.Sheet)
	if err != nil {
		return MeetingPage{}, err
	}
	if forms.upload == nil {
		forms.upload = web.NewForm()
	}
	data.Upload = forms.upload
	return data, nil
}

func (h *handler) attendanceForm(r *http.Request, form *web.Form, sheet []AttendanceLine) (*AttendanceForm, error) {
	people, err := h.svc.PersonChoices(r.Context())
	if err != nil {
		return nil, err
	}
	onSheet := map[int64]bool{}
	for _, l := range sheet {
		onSheet[l.PersonID] = true
	}
	others := slices.DeleteFunc(people, func(p PersonRef) bool { return onSheet[p.ID] })
	opts := personOptions(others, "forum.attendance.choose_person")
	sent := form.Values.Has("person")
	rows := make([]AttendanceRow, len(sheet))
	for i, l := range sheet {
		row := AttendanceRow{Line: l, Status: string(l.Status), Note: l.Note}
		if sent {
			row.Status, row.Note = form.Get(row.StatusName()), form.Get(row.NoteName())
		}
		row.Error = form.ErrorFor(row.StatusName())
		rows[i] = row
	}
	return &AttendanceForm{Form: form, Rows: rows,
		Other:  form.Select("other_person_id", "forum.attendance.other_person", opts, "hint=forum.attendance.other_hint"),
		Status: form.Select("other_status", "forum.attendance.status", web.EnumOptions(Presences, "forum.presence.")),
	}, nil
}

func (h *handler) meeting(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	return h.renderMeeting(w, r, id, http.StatusOK, meetingPageForms{}, "", nil)
}

func (h *handler) renderMeeting(w http.ResponseWriter, r *http.Request, id int64, status int, forms meetingPageForms, problem string, args []any) error {
	data, err := h.meetingPage(r, id, forms)
	if err != nil {
		return err
	}
	data.Problem, data.ProblemArgs = problem, args
	return h.render(w, r, status, "meeting", "forum.meeting.title", data, "name", data.Meeting.ForumName, "date", i18n.FormatDate(web.LocaleFrom(r.Context()), data.Meeting.StartsAt))
}

// meetingWithProblem shows the meeting page with a message saying why a
// change did not happen.
func (h *handler) meetingWithProblem(w http.ResponseWriter, r *http.Request, id int64, status int, key string, args []any) error {
	return h.renderMeeting(w, r, id, status, meetingPageForms{}, key, args)
}

// meetingLocked shows the meeting page saying that its minutes are approved
// and it can no longer change.
func (h *handler) meetingLocked(w http.ResponseWriter, r *http.Request, id int64) error {
	return h.meetingWithProblem(w, r, id, http.StatusConflict, "forum.meeting.locked", nil)
}

// meetingChangeFailed answers a change of the meeting page refused as locked
// or stale with the page and a message; it reports whether it did.
func (h *handler) meetingChangeFailed(w http.ResponseWriter, r *http.Request, id int64, err error) (bool, error) {
	switch {
	case errors.Is(err, errs.ErrLocked):
		return true, h.meetingLocked(w, r, id)
	case errors.Is(err, errs.ErrConflict):
		return true, h.meetingWithProblem(w, r, id, http.StatusConflict, "forum.meeting.changed", nil)
	}
	return false, nil
}

// Agenda items.

func agendaFromForm(form *web.Form, base AgendaItem) AgendaItem {
	a := base
	a.Title, a.Description, a.Presenter, a.Minutes = form.Get("title"), form.Get("description"), form.Get("presenter"), form.Get("minutes")
	a.CaseID = form.ID("case_id")
	a.Position = 0
	if s := form.Get("position"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 999 {
			form.AddError("position", "validation.range", "min", 1, "max", 999)
		} else {
			a.Position = n
		}
	}
	check := a
	if check.Position == 0 {
		check.Position = 1 // the service puts an item without a position last
	}
	form.Merge(check.Validate())
	return a
}

func (h *handler) addAgendaItem(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	if _, err := h.svc.Meeting(r.Context(), id); err != nil {
		return err
	}
	a := agendaFromForm(form, AgendaItem{MeetingID: id})
	if !form.HasErrors() {
		_, err := h.svc.AddAgendaItem(r.Context(), a)
		if err == nil {
			h.web.AddFlash(r, "success", "forum.agenda.added", "title", a.Title)
			return web.Redirect(w, r, "/moten/"+web.IDText(id)+"#agenda-title")
		}
		if done, err2 := h.meetingChangeFailed(w, r, id, err); done {
			return err2
		}
		if !form.Fail(err) {
			return err
		}
	}
	form.SortErrors(agendaFields...)
	return h.renderMeeting(w, r, id, http.StatusUnprocessableEntity, meetingPageForms{item: form}, "", nil)
}

// AgendaItemPage is the data of the page that edits an agenda item and its
// minutes.
type AgendaItemPage struct {
	Meeting  Meeting
	Item     AgendaItem // as stored
	Edit     *AgendaForm
	Conflict *AgendaItem
	Problem  string
}

// agendaItemFor reads the agenda item of the path, which must belong to the
// meeting of the path.
func (h *handler) agendaItemFor(r *http.Request) (Meeting, AgendaItem, error) {
	itemID, err := web.PathInt(r, "item")
	if err != nil {
		return Meeting{}, AgendaItem{}, err
	}
	it, err := h.svc.AgendaItem(r.Context(), itemID)
	if err != nil {
		return Meeting{}, AgendaItem{}, err
	}
	m, err := h.meetingOf(r, it.MeetingID)
	return m, it, err
}

// meetingOf reads the meeting of the path, which must be meetingID, the
// meeting of a record the path names below it.
func (h *handler) meetingOf(r *http.Request, meetingID int64) (Meeting, error) {
	id, err := web.PathID(r)
	if err != nil {
		return Meeting{}, err
	}
	if meetingID != id {
		return Meeting{}, errs.ErrNotFound
	}
	return h.svc.Meeting(r.Context(), id)
}

func agendaFormOf(a AgendaItem) *web.Form {
	form := web.NewForm()
	form.Set("position", strconv.Itoa(a.Position))
	form.Set("title", a.Title)
	form.Set("description", a.Description)
	form.Set("presenter", a.Presenter)
	form.Set("case_id", web.IDText(a.CaseID))
	form.Set("minutes", a.Minutes)
	form.SetVersion(a.Version)
	return form
}

func (h *handler) editAgendaItem(w http.ResponseWriter, r *http.Request) error {
	m, it, err := h.agendaItemFor(r)
	if err != nil {
		return err
	}
	if ok, err := h.editable(w, r, m); !ok || err != nil {
		return err
	}
	edit, err := h.agendaForm(r, agendaFormOf(it), it.CaseID)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "meeting_item", "forum.agenda.edit", AgendaItemPage{Meeting: m, Item: it, Edit: edit}, "title", it.Title)
}

func (h *handler) saveAgendaItem(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	m, current, err := h.agendaItemFor(r)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	edit := agendaFromForm(form, current)
	edit.Version = version
	if edit.Position == 0 {
		edit.Position = current.Position
	}
	status := http.StatusUnprocessableEntity
	if !form.HasErrors() {
		_, err := h.svc.UpdateAgendaItem(r.Context(), edit)
		switch {
		case err == nil:
			h.web.AddFlash(r, "success", "forum.agenda.saved", "title", edit.Title)
			return web.Redirect(w, r, "/moten/"+web.IDText(m.ID)+"#agenda-title")
		case errors.Is(err, errs.ErrLocked):
			return h.meetingLocked(w, r, m.ID)
		case errors.Is(err, errs.ErrConflict):
			if current, err = h.svc.AgendaItem(r.Context(), current.ID); err != nil {
				return err
			}
			form.Conflict(current.Version, "forum.conflict")
			status = http.StatusConflict
		case !form.Fail(err):
			return err
		}
	}
	form.SortErrors(agendaFields...)
	ed, err := h.agendaForm(r, form, current.CaseID)
	if err != nil {
		return err
	}
	data := AgendaItemPage{Meeting: m, Item: current, Edit: ed}
	if status == http.StatusConflict {
		data.Conflict = &current
	}
	return h.render(w, r, status, "meeting_item", "forum.agenda.edit", data, "title", current.Title)
}

func (h *handler) deleteAgendaItem(w http.ResponseWriter, r *http.Request) error {
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	m, it, err := h.agendaItemFor(r)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err == nil {
		err = h.svc.DeleteAgendaItem(r.Context(), it.ID, version)
	}
	if err == nil {
		h.web.AddFlash(r, "success", "forum.agenda.deleted", "title", it.Title)
		return web.Redirect(w, r, "/moten/"+web.IDText(m.ID)+"#agenda-title")
	}
	if done, err2 := h.meetingChangeFailed(w, r, m.ID, err); done {
		return err2
	}
	if errors.Is(err, errs.ErrReferenced) {
		return h.meetingWithProblem(w, r, m.ID, http.StatusConflict, "forum.agenda.delete_referenced", nil)
	}
	return err
}

// Attendance.

// attendanceFromForm reads the attendance form: a status and note per
// person listed in "person", and one more person with a status.
func attendanceFromForm(form *web.Form) []Attendance {
	var rows []Attendance
	for _, s := range form.Values["person"] {
		id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil || id <= 0 {
			form.AddError("person", "validation.form")
			continue
		}
		key := strconv.FormatInt(id, 10)
		st := Presence(form.Get("status_" + key))
		note := form.Get("note_" + key)
		if st == "" {
			if note != "" {
				form.AddError("status_"+key, "forum.attendance.note_needs_status")
			}
			continue
		}
		rows = append(rows, Attendance{PersonID: id, Status: st, Note: note})
	}
	if other := form.ID("other_person_id"); other != 0 {
		st := Presence(form.Get("other_status"))
		if st == "" {
			st = Present
		}
		rows = append(rows, Attendance{PersonID: other, Status: st})
	}
	return rows
}

func (h *handler) saveAttendance(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	if _, err := h.svc.Meeting(r.Context(), id); err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	rows := attendanceFromForm(form)
	if !form.HasErrors() {
		_, err := h.svc.SetAttendance(r.Context(), id, version, rows)
		if err == nil {
			h.web.AddFlash(r, "success", "forum.attendance.saved")
			return web.Redirect(w, r, "/moten/"+web.IDText(id)+"#attendance-title")
		}
		if v, ok := errs.AsValidation(err); ok {
			for i := range v.Fields {
				if v.Fields[i].Name == "person_id" { // only the added person can be unknown or listed twice
					v.Fields[i].Name = "other_person_id"
				}
			}
		}
		if done, err2 := h.meetingChangeFailed(w, r, id, err); done {
			return err2
		}
		if !form.Fail(err) {
			return err
		}
	}
	return h.renderMeeting(w, r, id, http.StatusUnprocessableEntity, meetingPageForms{attendance: form}, "", nil)
}

// Approval of the minutes.

func (h *handler) approveMinutes(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	if _, err := h.svc.Meeting(r.Context(), id); err != nil {
		return err
	}
	version, err := form.Version()
	if err != nil {
		return err
	}
	_, err = h.svc.ApproveMinutes(r.Context(), id, version)
	if err == nil {
		h.web.AddFlash(r, "success", "forum.meeting.approved")
		return web.Redirect(w, r, "/moten/"+web.IDText(id))
	}
	if done, err2 := h.meetingChangeFailed(w, r, id, err); done {
		return err2
	}
	if v, ok := errs.AsValidation(err); ok && len(v.Fields) > 0 {
		return h.meetingWithProblem(w, r, id, http.StatusUnprocessableEntity, v.Fields[0].Key, v.Fields[0].Args)
	}
	return err
}

// Documents.

func (h *handler) uploadMeetingDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	if _, err := h.svc.Meeting(r.Context(), id); err != nil {
		return err
	}
	form, err := h.addDocument(r, Document{MeetingID: id})
	if err != nil {
		if done, err2 := h.meetingChangeFailed(w, r, id, err); done {
			return err2
		}
		return err
	}
	if form == nil {
		return web.Redirect(w, r, "/moten/"+web.IDText(id)+"#documents-title")
	}
	form.SortErrors("title", "file")
	return h.renderMeeting(w, r, id, http.StatusUnprocessableEntity, meetingPageForms{upload: form}, "", nil)
}

func (h *handler) downloadDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	_, f, content, err := h.svc.OpenDocument(r.Context(), id)
	if err != nil {
		return err
	}
	files.Serve(w, r, f, content)
	return nil
}

// Deleting a meeting or a document.

// MeetingDeletePage is the data of the page that asks before a meeting, or
// one of its documents, is deleted; it works without JavaScript.
type MeetingDeletePage struct {
	Meeting   Meeting
	Document  *Document // the document to delete; nil when the meeting is
	Items     int       // the meeting's agenda items, deleted with it
	Documents int       // the meeting's documents, deleted with it
}

// deleteRefused answers a deletion the service refused with the meeting page
// and a message saying why; referenced is the message when something still
// refers to what was to be deleted. It reports whether it answered.
func (h *handler) deleteRefused(w http.ResponseWriter, r *http.Request, id int64, err error, referenced string) (bool, error) {
	if done, err2 := h.meetingChangeFailed(w, r, id, err); done {
		return true, err2
	}
	if errors.Is(err, errs.ErrReferenced) {
		return true, h.meetingWithProblem(w, r, id, http.StatusConflict, referenced, nil)
	}
	if v, ok := errs.AsValidation(err); ok && len(v.Fields) > 0 {
		return true, h.meetingWithProblem(w, r, id, http.StatusUnprocessableEntity, v.Fields[0].Key, v.Fields[0].Args)
	}
	return false, nil
}

func (h *handler) confirmDeleteMeeting(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	m, err := h.svc.Meeting(ctx, id)
	if err != nil {
		return err
	}
	if err := h.svc.CheckDeleteMeeting(ctx, id); err != nil {
		if done, err2 := h.deleteRefused(w, r, id, err, "forum.meeting.delete_referenced"); done {
			return err2
		}
		return err
	}
	items, err := h.svc.AgendaItems(ctx, id)
	if err != nil {
		return err
	}
	docs, err := h.svc.Documents(ctx, DocumentFilter{MeetingID: id})
	if err != nil {
		return err
	}
	data := MeetingDeletePage{Meeting: m, Items: len(items), Documents: len(docs)}
	return h.render(w, r, http.StatusOK, "meeting_delete", "forum.meeting.delete_title", data,
		"name", m.ForumName, "date", i18n.FormatDate(web.LocaleFrom(ctx), m.StartsAt))
}

func (h *handler) deleteMeeting(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	form, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	m, err := h.svc.Meeting(r.Context(), id)
	if err != nil {
		return err
	}
	version, err := form.Version()
	if err == nil {
		err = h.svc.DeleteMeeting(r.Context(), id, version)
	}
	if err == nil {
		h.web.AddFlash(r, "success", "forum.meeting.deleted", "name", m.ForumName, "date", i18n.FormatDate(web.LocaleFrom(r.Context()), m.StartsAt))
		return web.Redirect(w, r, "/forum/"+web.IDText(m.ForumID))
	}
	if done, err2 := h.deleteRefused(w, r, id, err, "forum.meeting.delete_referenced"); done {
		return err2
	}
	return err
}

// meetingDocumentFor reads the document of the path, which must be one of
// the meeting of the path.
func (h *handler) meetingDocumentFor(r *http.Request) (Meeting, Document, error) {
	docID, err := web.PathInt(r, "document")
	if err != nil {
		return Meeting{}, Document{}, err
	}
	d, err := h.svc.Document(r.Context(), docID)
	if err != nil {
		return Meeting{}, Document{}, err
	}
	m, err := h.meetingOf(r, d.MeetingID)
	return m, d, err
}

func (h *handler) confirmDeleteDocument(w http.ResponseWriter, r *http.Request) error {
	m, d, err := h.meetingDocumentFor(r)
	if err != nil {
		return err
	}
	if err := h.svc.CheckDeleteDocument(r.Context(), d.ID); err != nil {
		if done, err2 := h.deleteRefused(w, r, m.ID, err, "forum.document.delete_referenced"); done {
			return err2
		}
		return err
	}
	return h.render(w, r, http.StatusOK, "meeting_delete", "forum.document.delete_title", MeetingDeletePage{Meeting: m, Document: &d}, "title", d.Title)
}

func (h *handler) deleteMeetingDocument(w http.ResponseWriter, r *http.Request) error {
	if _, err := web.ParseForm(r); err != nil {
		return err
	}
	m, d, err := h.meetingDocumentFor(r)
	if err != nil {
		return err
	}
	err = h.svc.DeleteDocument(r.Context(), d.ID)
	if err == nil {
		h.web.AddFlash(r, "success", "forum.document.deleted", "title", d.Title)
		return web.Redirect(w, r, "/moten/"+web.IDText(m.ID)+"#documents-title")
	}
	if done, err2 := h.deleteRefused(w, r, m.ID, err, "forum.document.delete_referenced"); done {
		return err2
	}
	return err
}
