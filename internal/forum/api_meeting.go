package forum

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/api"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// Forums.

// ForumListInput filters the forums.
type ForumListInput struct {
	Q               string `query:"q" maxLength:"200" doc:"Only forums whose name or description contains this text (case-insensitive)"`
	IncludeInactive bool   `query:"include_inactive" doc:"Also list forums that are no longer active"`
}

// ForumListOutput lists forums by name.
type ForumListOutput struct {
	Body struct {
		Items []Forum `json:"items"`
	}
}

// ForumOutput is one forum.
type ForumOutput struct {
	Body Forum
}

// ForumIDInput names a forum.
type ForumIDInput struct {
	ID int64 `path:"id" minimum:"1" doc:"The forum's id"`
}

// ForumCreateBody is a forum as sent to create it.
type ForumCreateBody struct {
	GroupID     int64  `json:"group_id" minimum:"1" doc:"The group of the organisation registry that meets as the forum, from /groups; a group is one forum at most"`
	Description string `json:"description,omitempty" maxLength:"20000"`
	Active      *bool  `json:"active,omitempty" doc:"Whether the forum meets; true when absent"`
}

// ForumCreateInput creates a forum.
type ForumCreateInput struct {
	Body ForumCreateBody
}

// ForumUpdateBody is a forum as sent to change it; its group stays.
type ForumUpdateBody struct {
	Description string `json:"description" maxLength:"20000"`
	Active      bool   `json:"active"`
	Version     int64  `json:"version" minimum:"1" doc:"The version last read; a stale version is refused with 409"`
}

// ForumUpdateInput changes a forum.
type ForumUpdateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The forum's id"`
	Body ForumUpdateBody
}

// ForumMembersOutput lists a forum's members and roles.
type ForumMembersOutput struct {
	Body struct {
		Items []ForumMember `json:"items"`
	}
}

// ForumMembersInput names a forum and a day.
type ForumMembersInput struct {
	ID int64  `path:"id" minimum:"1" doc:"The forum's id"`
	On string `query:"on" format:"date" doc:"The day whose members to list, YYYY-MM-DD; today when absent"`
}

// Mandates.

// MandateListOutput is a forum's mandate register.
type MandateListOutput struct {
	Body struct {
		Items []Mandate `json:"items"`
	}
}

// MandateOutput is one mandate line.
type MandateOutput struct {
	Body Mandate
}

// MandateBody is a mandate line as sent to create it.
type MandateBody struct {
	Subject  string   `json:"subject" minLength:"1" maxLength:"300" doc:"What the mandate is about"`
	CaseKind CaseKind `json:"case_kind,omitempty" enum:"prioritisation,introduction,phase_out,consultation_answer,municipal_cooperation,other," doc:"The kind of case the mandate covers; absent for any"`
	Power    Power    `json:"power" enum:"decide,advise" doc:"decide (beslutar) or advise (bereder, ger råd)"`
	Scope    Scope    `json:"scope" enum:"region,municipalities,both" doc:"For whom the mandate holds"`
	Notes    string   `json:"notes,omitempty" maxLength:"20000"`
}

func (b MandateBody) mandate() Mandate {
	return Mandate{Subject: strings.TrimSpace(b.Subject), CaseKind: b.CaseKind, Power: b.Power, Scope: b.Scope, Notes: strings.TrimSpace(b.Notes)}
}

// MandateCreateInput adds a mandate line to a forum.
type MandateCreateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The forum's id"`
	Body MandateBody
}

// MandateUpdateBody is a mandate line as sent to change it.
type MandateUpdateBody struct {
	MandateBody
	Version int64 `json:"version" minimum:"1" doc:"The version last read; a stale version is refused with 409"`
}

// MandateUpdateInput changes a mandate line.
type MandateUpdateInput struct {
	ID        int64 `path:"id" minimum:"1" doc:"The forum's id"`
	MandateID int64 `path:"mandate" minimum:"1" doc:"The mandate line's id"`
	Body      MandateUpdateBody
}

// MandateDeleteInput names a mandate line to delete and the version last read.
type MandateDeleteInput struct {
	ID        int64 `path:"id" minimum:"1" doc:"The forum's id"`
	MandateID int64 `path:"mandate" minimum:"1" doc:"The mandate line's id"`
	Version   int64 `query:"version" required:"true" minimum:"1" doc:"The version last read; if someone has changed the line since, the answer is 409 and nothing is deleted"`
}

// Meetings.

// MeetingListInput filters the meetings.
type MeetingListInput struct {
	ForumID int64  `query:"forum_id" minimum:"0" doc:"Only meetings of this forum"`
	Year    int    `query:"year" minimum:"0" maximum:"3000" doc:"Only meetings starting in this year (Swedish time)"`
	Status  string `query:"status" enum:"planned,held,cancelled," doc:"Only meetings with this status"`
	Q       string `query:"q" maxLength:"200" doc:"Only meetings whose title, place, forum, agenda item titles or minutes contain this text"`
}

// MeetingListOutput lists meetings, latest first.
type MeetingListOutput struct {
	Body struct {
		Items []Meeting `json:"items"`
	}
}

// MeetingOutput is one meeting.
type MeetingOutput struct {
	Body Meeting
}

// MeetingIDInput names a meeting.
type MeetingIDInput struct {
	ID int64 `path:"id" minimum:"1" doc:"The meeting's id"`
}

// MeetingBody is a meeting as sent to create it.
type MeetingBody struct {
	ForumID   int64         `json:"forum_id" minimum:"1" doc:"The forum that meets, from /forums"`
	Title     string        `json:"title,omitempty" maxLength:"200"`
	StartsAt  time.Time     `json:"starts_at" doc:"When the meeting starts (RFC 3339)"`
	EndsAt    time.Time     `json:"ends_at" doc:"When it ends; not before the start"`
	Place     string        `json:"place,omitempty" maxLength:"300"`
	Link      string        `json:"link,omitempty" maxLength:"2000" doc:"Link to a video meeting; https only"`
	Status    MeetingStatus `json:"status,omitempty" enum:"planned,held,cancelled," doc:"planned when absent"`
	Adjusters string        `json:"adjusters,omitempty" maxLength:"300" doc:"Who approves the minutes besides the chair"`
}

func (b MeetingBody) meeting() Meeting {
	return Meeting{ForumID: b.ForumID, Title: b.Title, StartsAt: b.StartsAt, EndsAt: b.EndsAt, Place: b.Place, Link: b.Link, Status: b.Status, Adjusters: b.Adjusters}
}

// MeetingCreateInput creates a meeting.
type MeetingCreateInput struct {
	Body MeetingBody
}

// MeetingUpdateBody is a meeting as sent to change it; its forum stays.
type MeetingUpdateBody struct {
	Title     string        `json:"title,omitempty" maxLength:"200"`
	StartsAt  time.Time     `json:"starts_at"`
	EndsAt    time.Time     `json:"ends_at"`
	Place     string        `json:"place,omitempty" maxLength:"300"`
	Link      string        `json:"link,omitempty" maxLength:"2000" doc:"Link to a video meeting; https only"`
	Status    MeetingStatus `json:"status" enum:"planned,held,cancelled"`
	Adjusters string        `json:"adjusters,omitempty" maxLength:"300"`
	Version   int64         `json:"version" minimum:"1" doc:"The version last read; a stale version is refused with 409"`
}

// MeetingUpdateInput changes a meeting.
type MeetingUpdateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The meeting's id"`
	Body MeetingUpdateBody
}

// MeetingVersionBody carries the version of a meeting last read.
type MeetingVersionBody struct {
	Version int64 `json:"version" minimum:"1" doc:"The meeting's version last read; a stale version is refused with 409"`
}

// MeetingApproveInput approves a meeting's minutes.
type MeetingApproveInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The meeting's id"`
	Body MeetingVersionBody
}

// Agenda items.

// AgendaListOutput is a meeting's agenda in order.
type AgendaListOutput struct {
	Body struct {
		Items []AgendaItem `json:"items"`
	}
}

// AgendaItemOutput is one agenda item.
type AgendaItemOutput struct {
	Body AgendaItem
}

// AgendaItemBody is an agenda item as sent to create it.
type AgendaItemBody struct {
	Position    int    `json:"position,omitempty" minimum:"0" maximum:"999" doc:"Order on the agenda from 1; last when absent"`
	Title       string `json:"title" minLength:"1" maxLength:"200"`
	Description string `json:"description,omitempty" maxLength:"20000"`
	Presenter   string `json:"presenter,omitempty" maxLength:"300"`
	CaseID      int64  `json:"case_id,omitempty" minimum:"0" doc:"The case the item handles, from /cases"`
	Minutes     string `json:"minutes,omitempty" maxLength:"20000" doc:"What the minutes say for the item"`
}

func (b AgendaItemBody) item() AgendaItem {
	return AgendaItem{Position: b.Position, Title: b.Title, Description: b.Description, Presenter: b.Presenter, CaseID: b.CaseID, Minutes: b.Minutes}
}

// AgendaItemCreateInput adds an item to a meeting's agenda.
type AgendaItemCreateInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The meeting's id"`
	Body AgendaItemBody
}

// AgendaItemUpdateBody is an agenda item as sent to change it.
type AgendaItemUpdateBody struct {
	AgendaItemBody
	Version int64 `json:"version" minimum:"1" doc:"The version last read; a stale version is refused with 409"`
}

// AgendaItemUpdateInput changes an agenda item and its minutes.
type AgendaItemUpdateInput struct {
	ID     int64 `path:"id" minimum:"1" doc:"The meeting's id"`
	ItemID int64 `path:"item" minimum:"1" doc:"The agenda item's id"`
	Body   AgendaItemUpdateBody
}

// AgendaItemDeleteInput names an agenda item to delete and the version last read.
type AgendaItemDeleteInput struct {
	ID      int64 `path:"id" minimum:"1" doc:"The meeting's id"`
	ItemID  int64 `path:"item" minimum:"1" doc:"The agenda item's id"`
	Version int64 `query:"version" required:"true" minimum:"1" doc:"The version last read; if someone has changed the item since, the answer is 409 and nothing is deleted"`
}

// Attendance.

// AttendanceOutput is a meeting's attendance sheet and version.
type AttendanceOutput struct {
	Body struct {
		MeetingVersion int64            `json:"meeting_version" doc:"Send this as version to change the attendance"`
		Items          []AttendanceLine `json:"items" doc:"The members of the forum's group on the meeting day, then others recorded; status absent when nothing is recorded"`
	}
}

// AttendanceEntry is one person's recorded attendance.
type AttendanceEntry struct {
	PersonID int64    `json:"person_id" minimum:"1" doc:"The person, from /people"`
	Status   Presence `json:"status" enum:"present,absent,excused"`
	Note     string   `json:"note,omitempty" maxLength:"300"`
}

// AttendanceBody replaces a meeting's attendance.
type AttendanceBody struct {
	Version int64             `json:"version" minimum:"1" doc:"The meeting's version last read; a stale version is refused with 409"`
	Items   []AttendanceEntry `json:"items" maxItems:"500" doc:"Everyone recorded; people left out have nothing recorded"`
}

// AttendanceInput replaces a meeting's attendance.
type AttendanceInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"The meeting's id"`
	Body AttendanceBody
}

// MeetingDocumentsOutput lists a meeting's documents.
type MeetingDocumentsOutput struct {
	Body struct {
		Items []Document `json:"items"`
	}
}

// MeetingDeleteInput names a meeting to delete and the version last read.
type MeetingDeleteInput struct {
	ID      int64 `path:"id" minimum:"1" doc:"The meeting's id"`
	Version int64 `query:"version" required:"true" minimum:"1" doc:"The version last read; if someone has changed the meeting since, the answer is 409 and nothing is deleted"`
}

// MeetingDocumentIDInput names a document of a meeting.
type MeetingDocumentIDInput struct {
	ID         int64 `path:"id" minimum:"1" doc:"The meeting's id"`
	DocumentID int64 `path:"document" minimum:"1" doc:"The document's id"`
}

// MeetingDocumentInput uploads a document to a meeting.
type MeetingDocumentInput struct {
	ID      int64 `path:"id" minimum:"1" doc:"The meeting's id"`
	RawBody huma.MultipartFormFiles[DocumentForm]
}

// meetingOp describes one operation on forums and meetings.
func meetingOp(id, method, path, summary, description string) huma.Operation {
	o := huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Description: description, Tags: apiTags}
	switch method {
	case http.MethodPost:
		o.DefaultStatus = http.StatusCreated
		o.Errors = []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	case http.MethodPut:
		o.Errors = []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	case http.MethodDelete:
		o.DefaultStatus = http.StatusNoContent
		o.Errors = []int{http.StatusNotFound, http.StatusConflict}
	default:
		o.Errors = []int{http.StatusNotFound}
	}
	return o
}

// Texts shared by the descriptions of the operations that change meetings.
const (
	meetingLockNote   = " Once the meeting's minutes are approved the meeting, its agenda, minutes, attendance and documents are locked: 409."
	meetingEditorNote = " Only the coordinator and the forum's secretary (a person linked to the user with a current secretary membership in the forum's group) may: 403 for others."
)

func meetingAPI(a *api.API, svc *Service) {
	forumAPI(a, svc)
	meetingCoreAPI(a, svc)
	agendaAPI(a, svc)
}

func forumAPI(a *api.API, svc *Service) {
	api.Register(a, meetingOp("list-forums", http.MethodGet, "/forums", "List the forums",
		"Groups of the organisation registry that meet and decide or advise (HSL, the kunskapsstyrningsråd, councils, the joint region–municipality forum), by name. Inactive forums only when asked for."),
		Read, func(ctx context.Context, in *ForumListInput) (*ForumListOutput, error) {
			items, err := svc.Forums(ctx, ForumFilter{Query: in.Q, IncludeInactive: in.IncludeInactive})
			out := &ForumListOutput{}
			out.Body.Items = nonNil(items)
			return out, err
		})
	api.Register(a, meetingOp("get-forum", http.MethodGet, "/forums/{id}", "Get a forum", ""),
		Read, func(ctx context.Context, in *ForumIDInput) (*ForumOutput, error) {
			f, err := svc.Forum(ctx, in.ID)
			return &ForumOutput{Body: f}, err
		})
	api.Register(a, meetingOp("create-forum", http.MethodPost, "/forums", "Create a forum",
		"Makes a group of the organisation registry a forum. Its members and their roles are the group's memberships."+invalidNote),
		Write, func(ctx context.Context, in *ForumCreateInput) (*ForumOutput, error) {
			active := in.Body.Active == nil || *in.Body.Active
			f, err := svc.CreateForum(ctx, Forum{GroupID: in.Body.GroupID, Description: strings.TrimSpace(in.Body.Description), Active: active})
			return &ForumOutput{Body: f}, err
		})
	api.Register(a, meetingOp("update-forum", http.MethodPut, "/forums/{id}", "Change a forum",
		"Sets the forum's description and whether it is active; its group stays."+versionNote),
		Write, func(ctx context.Context, in *ForumUpdateInput) (*ForumOutput, error) {
			f, err := svc.UpdateForum(ctx, Forum{ID: in.ID, Description: strings.TrimSpace(in.Body.Description), Active: in.Body.Active, Version: in.Body.Version})
			return &ForumOutput{Body: f}, err
		})
	api.Register(a, meetingOp("list-forum-members", http.MethodGet, "/forums/{id}/members", "List a forum's members",
		"The current memberships of the forum's group with each person's role, from the organisation registry."),
		Read, func(ctx context.Context, in *ForumMembersInput) (*ForumMembersOutput, error) {
			var on date.Date
			if s := strings.TrimSpace(in.On); s != "" {
				d, err := date.Parse(s)
				if err != nil {
					return nil, errs.Invalidf("query.on", "validation.date")
				}
				on = d
			}
			items, err := svc.ForumMembers(ctx, in.ID, on)
			out := &ForumMembersOutput{}
			out.Body.Items = nonNil(items)
			return out, err
		})
	api.Register(a, meetingOp("list-forum-mandates", http.MethodGet, "/forums/{id}/mandates", "List a forum's mandate register",
		"What the forum decides or only advises on, and for whom: decisions first."),
		Read, func(ctx context.Context, in *ForumIDInput) (*MandateListOutput, error) {
			items, err := svc.Mandates(ctx, in.ID)
			out := &MandateListOutput{}
			out.Body.Items = nonNil(items)
			return out, err
		})
	api.Register(a, meetingOp("create-forum-mandate", http.MethodPost, "/forums/{id}/mandates", "Add to a forum's mandate register", invalidNote),
		Write, func(ctx context.Context, in *MandateCreateInput) (*MandateOutput, error) {
			m := in.Body.mandate()
			m.ForumID = in.ID
			m, err := svc.AddMandate(ctx, m)
			return &MandateOutput{Body: m}, err
		})
	api.Register(a, meetingOp("update-forum-mandate", http.MethodPut, "/forums/{id}/mandates/{mandate}", "Change a mandate line",
		"Replaces the line's fields; it stays with its forum."+versionNote+invalidNote),
		Write, func(ctx context.Context, in *MandateUpdateInput) (*MandateOutput, error) {
			if err := mandateOfForum(ctx, svc, in.ID, in.MandateID); err != nil {
				return nil, err
			}
			m := in.Body.mandate()
			m.ID, m.Version = in.MandateID, in.Body.Version
			m, err := svc.UpdateMandate(ctx, m)
			return &MandateOutput{Body: m}, err
		})
	api.Register(a, meetingOp("delete-forum-mandate", http.MethodDelete, "/forums/{id}/mandates/{mandate}", "Delete a mandate line",
		"Give the version you last read as `?version=`: if someone has changed the line since, the answer is 409 and nothing is deleted."),
		Write, func(ctx context.Context, in *MandateDeleteInput) (*struct{}, error) {
			if err := mandateOfForum(ctx, svc, in.ID, in.MandateID); err != nil {
				return nil, err
			}
			return nil, svc.DeleteMandate(ctx, in.MandateID, in.Version)
		})
}

func meetingCoreAPI(a *api.API, svc *Service) {
	api.Register(a, meetingOp("list-meetings", http.MethodGet, "/meetings", "List meetings",
		"Meetings of the forums, latest first, filtered by forum, year, status and text."),
		Read, func(ctx context.Context, in *MeetingListInput) (*MeetingListOutput, error) {
			items, err := svc.Meetings(ctx, MeetingFilter{ForumID: in.ForumID, Year: in.Year, Status: MeetingStatus(in.Status), Query: in.Q})
			out := &MeetingListOutput{}
			out.Body.Items = nonNil(items)
			return out, err
		})
	api.Register(a, meetingOp("get-meeting", http.MethodGet, "/meetings/{id}", "Get a meeting", ""),
		Read, func(ctx context.Context, in *MeetingIDInput) (*MeetingOutput, error) {
			m, err := svc.Meeting(ctx, in.ID)
			return &MeetingOutput{Body: m}, err
		})
	api.Register(a, meetingOp("create-meeting", http.MethodPost, "/meetings", "Plan a meeting",
		"Adds a meeting of a forum. It may not end before it starts; a link must be https."+meetingEditorNote+invalidNote),
		Read, func(ctx context.Context, in *MeetingCreateInput) (*MeetingOutput, error) {
			m, err := svc.CreateMeeting(ctx, in.Body.meeting())
			return &MeetingOutput{Body: m}, err
		})
	api.Register(a, meetingOp("update-meeting", http.MethodPut, "/meetings/{id}", "Change a meeting",
		"Replaces the meeting's fields; its forum stays."+meetingEditorNote+meetingLockNote+versionNote+invalidNote),
		Read, func(ctx context.Context, in *MeetingUpdateInput) (*MeetingOutput, error) {
			b := in.Body
			m, err := svc.UpdateMeeting(ctx, Meeting{ID: in.ID, Title: b.Title, StartsAt: b.StartsAt, EndsAt: b.EndsAt, Place: b.Place,
				Link: b.Link, Status: b.Status, Adjusters: b.Adjusters, Version: b.Version})
			return &MeetingOutput{Body: m}, err
		})
	del := meetingOp("delete-meeting", http.MethodDelete, "/meetings/{id}", "Delete a meeting",
		"Removes a meeting planned by mistake or cancelled, with its agenda, attendance and documents. Give the version you last read as `?version=`: "+
			"if someone has changed the meeting since, the answer is 409 and nothing is deleted. A held meeting cannot be deleted (422, at `meeting.status`); "+
			"nor can one whose minutes are approved (409, locked) or one that a decision or a case's anchoring step refers to (409, referenced)."+meetingEditorNote)
	del.Errors = append(del.Errors, http.StatusUnprocessableEntity)
	api.Register(a, del, Read, func(ctx context.Context, in *MeetingDeleteInput) (*struct{}, error) {
		return nil, svc.DeleteMeeting(ctx, in.ID, in.Version)
	})
	approve := meetingOp("approve-meeting-minutes", http.MethodPost, "/meetings/{id}/approve", "Approve a meeting's minutes",
		"Records that the minutes are approved (justerade), with when and by whom, and answers with the meeting. Only a held meeting's minutes can be approved (422 otherwise). From then the meeting, agenda, minutes, attendance and documents, and the decisions recorded at the meeting, are locked."+meetingEditorNote+versionNote)
	approve.DefaultStatus = http.StatusOK
	api.Register(a, approve,
		Read, func(ctx context.Context, in *MeetingApproveInput) (*MeetingOutput, error) {
			m, err := svc.ApproveMinutes(ctx, in.ID, in.Body.Version)
			return &MeetingOutput{Body: m}, err
		})
	api.Register(a, meetingOp("get-meeting-attendance", http.MethodGet, "/meetings/{id}/attendance", "Get a meeting's attendance",
		"The members of the forum's group on the meeting day, with their roles, and other people recorded, each with what is recorded."),
		Read, func(ctx context.Context, in *MeetingIDInput) (*AttendanceOutput, error) {
			return attendanceOutput(ctx, svc, in.ID)
		})
	api.Register(a, meetingOp("set-meeting-attendance", http.MethodPut, "/meetings/{id}/attendance", "Record a meeting's attendance",
		"Replaces the attendance with the entries sent: present, absent or excused (anmält förhinder), with a note. Send the meeting's version (`meeting_version` from the GET); a stale one is refused with 409."+meetingEditorNote+meetingLockNote),
		Read, func(ctx context.Context, in *AttendanceInput) (*AttendanceOutput, error) {
			rows := make([]Attendance, len(in.Body.Items))
			for i, e := range in.Body.Items {
				rows[i] = Attendance{PersonID: e.PersonID, Status: e.Status, Note: e.Note}
			}
			if _, err := svc.SetAttendance(ctx, in.ID, in.Body.Version, rows); err != nil {
				return nil, attendanceFields(err)
			}
			return attendanceOutput(ctx, svc, in.ID)
		})
	api.Register(a, meetingOp("list-meeting-documents", http.MethodGet, "/meetings/{id}/documents", "List a meeting's documents",
		"Uploaded documents with their name, type, size and SHA-256 hash; download one at /dokument/{id}."),
		Read, func(ctx context.Context, in *MeetingIDInput) (*MeetingDocumentsOutput, error) {
			if _, err := svc.Meeting(ctx, in.ID); err != nil {
				return nil, err
			}
			items, err := svc.Documents(ctx, DocumentFilter{MeetingID: in.ID})
			out := &MeetingDocumentsOutput{}
			out.Body.Items = nonNil(items)
			return out, err
		})
	meetingDocumentAPI(a, svc)
}

func meetingDocumentAPI(a *api.API, svc *Service) {
	upload := meetingOp("upload-meeting-document", http.MethodPost, "/meetings/{id}/documents", "Upload a document to a meeting",
		"A multipart/form-data body with the file in `file` and an optional `title`. The file is size- and type-checked (its content must be "+
			"what its name says) and stored with its SHA-256 hash; a body over the limit is refused with 413."+meetingEditorNote+meetingLockNote)
	upload.MaxBodyBytes = uploadLimit
	upload.Errors = append(upload.Errors, http.StatusRequestEntityTooLarge)
	api.Register(a, upload, Read, func(ctx context.Context, in *MeetingDocumentInput) (*DocumentOutput, error) {
		if _, err := svc.Meeting(ctx, in.ID); err != nil {
			return nil, err
		}
		name, content, title, err := readDocument(in.RawBody)
		if err != nil {
			return nil, err
		}
		d, err := svc.AddDocument(ctx, Document{MeetingID: in.ID, Title: title}, name, content)
		return &DocumentOutput{Body: d}, err
	})
	api.Register(a, meetingOp("delete-meeting-document", http.MethodDelete, "/meetings/{id}/documents/{document}", "Delete a meeting's document",
		"Removes a document uploaded by mistake; the stored file is kept. A document that is the basis of a decision cannot be deleted (409, referenced)."+
			meetingEditorNote+meetingLockNote),
		Read, func(ctx context.Context, in *MeetingDocumentIDInput) (*struct{}, error) {
			d, err := svc.Document(ctx, in.DocumentID)
			if err != nil {
				return nil, err
			}
			if d.MeetingID != in.ID {
				return nil, errs.ErrNotFound
			}
			return nil, svc.DeleteDocument(ctx, in.DocumentID)
		})
}

// mandateOfForum checks that a mandate line belongs to a forum.
func mandateOfForum(ctx context.Context, svc *Service, forumID, mandateID int64) error {
	m, err := svc.Mandate(ctx, mandateID)
	if err != nil {
		return err
	}
	if m.ForumID != forumID {
		return errs.ErrNotFound
	}
	return nil
}

func attendanceOutput(ctx context.Context, svc *Service, id int64) (*AttendanceOutput, error) {
	m, err := svc.Meeting(ctx, id)
	if err != nil {
		return nil, err
	}
	items, err := svc.AttendanceSheet(ctx, id)
	out := &AttendanceOutput{}
	out.Body.MeetingVersion = m.Version
	out.Body.Items = nonNil(items)
	return out, err
}

// attendanceFields names the problems of an attendance change as fields of
// the body's items rather than the page's per-person fields.
func attendanceFields(err error) error {
	v, ok := errs.AsValidation(err)
	if !ok {
		return err
	}
	out := &errs.ValidationError{}
	for _, f := range v.Fields {
		name := f.Name
		for _, prefix := range []string{"status_", "note_"} {
			if rest, ok := strings.CutPrefix(name, prefix); ok {
				name = "body.items[person_id=" + rest + "]." + strings.TrimSuffix(prefix, "_")
			}
		}
		if name == "person_id" {
			name = "body.items.person_id"
		}
		out.Add(name, f.Key, f.Args...)
	}
	return out
}

func agendaAPI(a *api.API, svc *Service) {
	api.Register(a, meetingOp("list-agenda-items", http.MethodGet, "/meetings/{id}/agenda-items", "List a meeting's agenda",
		"The agenda items in order, each with its minutes."),
		Read, func(ctx context.Context, in *MeetingIDInput) (*AgendaListOutput, error) {
			items, err := svc.AgendaItems(ctx, in.ID)
			out := &AgendaListOutput{}
			out.Body.Items = nonNil(items)
			return out, err
		})
	api.Register(a, meetingOp("create-agenda-item", http.MethodPost, "/meetings/{id}/agenda-items", "Add an agenda item",
		"Adds an item to the meeting's agenda, last unless a position is given."+meetingEditorNote+meetingLockNote+invalidNote),
		Read, func(ctx context.Context, in *AgendaItemCreateInput) (*AgendaItemOutput, error) {
			it := in.Body.item()
			it.MeetingID = in.ID
			it, err := svc.AddAgendaItem(ctx, it)
			return &AgendaItemOutput{Body: it}, err
		})
	api.Register(a, meetingOp("update-agenda-item", http.MethodPut, "/meetings/{id}/agenda-items/{item}", "Change an agenda item and its minutes",
		"Replaces the item's fields, including its minutes; without a position it keeps its place."+meetingEditorNote+meetingLockNote+versionNote+invalidNote),
		Read, func(ctx context.Context, in *AgendaItemUpdateInput) (*AgendaItemOutput, error) {
			cur, err := svc.AgendaItem(ctx, in.ItemID)
			if err != nil {
				return nil, err
			}
			if cur.MeetingID != in.ID {
				return nil, errs.ErrNotFound
			}
			it := in.Body.item()
			it.ID, it.Version = in.ItemID, in.Body.Version
			if it.Position == 0 {
				it.Position = cur.Position
			}
			it, err = svc.UpdateAgendaItem(ctx, it)
			return &AgendaItemOutput{Body: it}, err
		})
	api.Register(a, meetingOp("delete-agenda-item", http.MethodDelete, "/meetings/{id}/agenda-items/{item}", "Delete an agenda item",
		"Give the version you last read as `?version=`."+meetingEditorNote+meetingLockNote),
		Read, func(ctx context.Context, in *AgendaItemDeleteInput) (*struct{}, error) {
			cur, err := svc.AgendaItem(ctx, in.ItemID)
			if err != nil {
				return nil, err
			}
			if cur.MeetingID != in.ID {
				return nil, errs.ErrNotFound
			}
			return nil, svc.DeleteAgendaItem(ctx, in.ItemID, in.Version)
		})
}
