package forum

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// MeetingFilter narrows a listing of meetings; zero fields do not filter.
type MeetingFilter struct {
	ForumID   int64
	Year      int // meetings starting in this year, Swedish time
	Status    MeetingStatus
	Query     string    // in the title, place, forum name, agenda item titles and minutes
	After     time.Time // meetings starting at or after
	Before    time.Time // meetings starting before
	Ascending bool      // earliest first; newest first otherwise
	Limit     int       // at most this many; 0 is all
}

// AttendanceLine is one line of a meeting's attendance sheet: a member of the
// forum's group on the meeting day (with their role) or another person
// recorded as attending, and what is recorded for them ("" when nothing).
type AttendanceLine struct {
	PersonID int64    `json:"person_id"`
	Name     string   `json:"name"`
	Title    string   `json:"title"`
	Role     string   `json:"role,omitempty" doc:"The person's role in the forum's group; absent for others"`
	Status   Presence `json:"status,omitempty"`
	Note     string   `json:"note"`
}

// lockedErr is the error for a change to a meeting whose minutes are approved.
func lockedErr(m Meeting) error {
	return fmt.Errorf("meeting %d: minutes approved %s: %w", m.ID, m.ApprovedAt.Format(time.DateOnly), errs.ErrLocked)
}

// meetingForEdit reads a meeting for a change: the user must edit the
// forum's meetings and the minutes must not be approved.
func (s *Service) meetingForEdit(ctx context.Context, q db.Querier, id int64) (Meeting, error) {
	m, err := findMeeting(ctx, q, id)
	if err != nil {
		return Meeting{}, err
	}
	if err := requireMeetingEditor(ctx, q, m.ForumID, s.Today()); err != nil {
		return Meeting{}, err
	}
	if m.Locked() {
		return Meeting{}, lockedErr(m)
	}
	return m, nil
}

// Meetings lists meetings matching f.
func (s *Service) Meetings(ctx context.Context, f MeetingFilter) ([]Meeting, error) {
	return listMeetings(ctx, s.db, f)
}

// MeetingYears lists the years that have meetings, newest first.
func (s *Service) MeetingYears(ctx context.Context) ([]int, error) {
	return listMeetingYears(ctx, s.db)
}

// Meeting returns one meeting.
func (s *Service) Meeting(ctx context.Context, id int64) (Meeting, error) {
	return findMeeting(ctx, s.db, id)
}

// normalizeMeeting trims the meeting's texts.
func normalizeMeeting(m *Meeting) {
	m.Title, m.Place, m.Link, m.Adjusters = strings.TrimSpace(m.Title), strings.TrimSpace(m.Place), strings.TrimSpace(m.Link), strings.TrimSpace(m.Adjusters)
	m.StartsAt, m.EndsAt = m.StartsAt.UTC().Truncate(time.Second), m.EndsAt.UTC().Truncate(time.Second)
}

// CreateMeeting plans a meeting of a forum; the coordinator and the forum's
// secretary may.
func (s *Service) CreateMeeting(ctx context.Context, m Meeting) (Meeting, error) {
	m.ID, m.ApprovedAt, m.ApprovedBy = 0, time.Time{}, ""
	if m.Status == "" {
		m.Status = Planned
	}
	normalizeMeeting(&m)
	if err := m.Validate(); err != nil {
		return Meeting{}, err
	}
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		if _, err := findForum(ctx, tx, m.ForumID); errors.Is(err, errs.ErrNotFound) {
			return nil, fmt.Errorf("%w: %w", errs.Invalidf("forum_id", "forum.forum_missing"), err)
		} else if err != nil {
			return nil, err
		}
		if err := requireMeetingEditor(ctx, tx, m.ForumID, s.Today()); err != nil {
			return nil, err
		}
		id, err := insertMeeting(ctx, tx, m, now)
		if err != nil {
			return nil, err
		}
		m, err = findMeeting(ctx, tx, id)
		return one(audit.Change{Entity: entityMeeting, EntityID: id, Action: audit.Create, After: m}), err
	})
	return m, err
}

// UpdateMeeting saves a changed meeting if nobody changed it since it was
// read and its minutes are not approved. It stays with its forum.
func (s *Service) UpdateMeeting(ctx context.Context, m Meeting) (Meeting, error) {
	var after Meeting
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := s.meetingForEdit(ctx, tx, m.ID)
		if err != nil {
			return nil, err
		}
		m.ForumID = before.ForumID
		normalizeMeeting(&m)
		if err := m.Validate(); err != nil {
			return nil, err
		}
		if err := updateMeeting(ctx, tx, m, now); err != nil {
			return nil, err
		}
		after, err = findMeeting(ctx, tx, m.ID)
		return one(audit.Change{Entity: entityMeeting, EntityID: m.ID, Action: audit.Update, Before: before, After: after}), err
	})
	return after, err
}

// ApproveMinutes records that the minutes of a held meeting are approved
// (justerade). From then the meeting, its agenda, minutes, attendance and
// documents, and the decisions recorded at it, are locked.
func (s *Service) ApproveMinutes(ctx context.Context, id, version int64) (Meeting, error) {
	var after Meeting
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := s.meetingForEdit(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if before.Status != Held {
			return nil, errs.Invalidf("status", "forum.meeting.approve_needs_held")
		}
		if err := approveMeeting(ctx, tx, id, version, actorName(ctx), now); err != nil {
			return nil, err
		}
		after, err = findMeeting(ctx, tx, id)
		return one(audit.Change{Entity: entityMeeting, EntityID: id, Action: audit.Update, Before: before, After: after}), err
	})
	return after, err
}

// Agenda items.

// AgendaItems lists a meeting's agenda in order.
func (s *Service) AgendaItems(ctx context.Context, meetingID int64) ([]AgendaItem, error) {
	if _, err := findMeeting(ctx, s.db, meetingID); err != nil {
		return nil, err
	}
	return listAgendaItems(ctx, s.db, meetingID)
}

// AgendaItem returns one agenda item.
func (s *Service) AgendaItem(ctx context.Context, id int64) (AgendaItem, error) {
	return findAgendaItem(ctx, s.db, id)
}

func normalizeAgendaItem(a *AgendaItem) {
	a.Title, a.Description, a.Presenter = strings.TrimSpace(a.Title), strings.TrimSpace(a.Description), strings.TrimSpace(a.Presenter)
	a.Minutes = strings.TrimSpace(a.Minutes)
}

// checkAgendaCase checks that the case an item handles exists.
func checkAgendaCase(ctx context.Context, q db.Querier, a AgendaItem) error {
	if a.CaseID == 0 {
		return nil
	}
	ok, err := db.Exists(ctx, q, `SELECT 1 FROM cases WHERE id = ?`, a.CaseID)
	if err != nil {
		return err
	}
	if !ok {
		return errs.Invalidf("case_id", "forum.case.missing")
	}
	return nil
}

// AddAgendaItem adds an item to a meeting's agenda; without a position it
// goes last.
func (s *Service) AddAgendaItem(ctx context.Context, a AgendaItem) (AgendaItem, error) {
	a.ID = 0
	normalizeAgendaItem(&a)
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		if _, err := s.meetingForEdit(ctx, tx, a.MeetingID); err != nil {
			return nil, err
		}
		if a.Position == 0 {
			p, err := nextAgendaPosition(ctx, tx, a.MeetingID)
			if err != nil {
				return nil, err
			}
			a.Position = p
		}
		if err := a.Validate(); err != nil {
			return nil, err
		}
		if err := checkAgendaCase(ctx, tx, a); err != nil {
			return nil, err
		}
		id, err := insertAgendaItem(ctx, tx, a, now)
		if err != nil {
			return nil, err
		}
		a, err = findAgendaItem(ctx, tx, id)
		return one(audit.Change{Entity: entityAgendaItem, EntityID: id, Action: audit.Create, After: a}), err
	})
	return a, err
}

// UpdateAgendaItem saves a changed agenda item and its minutes if nobody
// changed it since it was read and the meeting's minutes are not approved.
func (s *Service) UpdateAgendaItem(ctx context.Context, a AgendaItem) (AgendaItem, error) {
	normalizeAgendaItem(&a)
	var after AgendaItem
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := findAgendaItem(ctx, tx, a.ID)
		if err != nil {
			return nil, err
		}
		if _, err := s.meetingForEdit(ctx, tx, before.MeetingID); err != nil {
			return nil, err
		}
		a.MeetingID = before.MeetingID
		if err := a.Validate(); err != nil {
			return nil, err
		}
		if err := checkAgendaCase(ctx, tx, a); err != nil {
			return nil, err
		}
		if err := updateAgendaItem(ctx, tx, a, now); err != nil {
			return nil, err
		}
		after, err = findAgendaItem(ctx, tx, a.ID)
		return one(audit.Change{Entity: entityAgendaItem, EntityID: a.ID, Action: audit.Update, Before: before, After: after}), err
	})
	return after, err
}

// DeleteAgendaItem removes an agenda item if nobody changed it since it was
// read and the meeting's minutes are not approved.
func (s *Service) DeleteAgendaItem(ctx context.Context, id, version int64) error {
	return s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := findAgendaItem(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if _, err := s.meetingForEdit(ctx, tx, before.MeetingID); err != nil {
			return nil, err
		}
		if err := db.DeleteVersioned(ctx, tx, "agenda_items", id, version); err != nil {
			return nil, err
		}
		return one(audit.Change{Entity: entityAgendaItem, EntityID: id, Action: audit.Delete, Before: before}), nil
	})
}

// Attendance.

// Attendance lists who is recorded as present, absent or excused at a meeting.
func (s *Service) Attendance(ctx context.Context, meetingID int64) ([]Attendance, error) {
	if _, err := findMeeting(ctx, s.db, meetingID); err != nil {
		return nil, err
	}
	return listAttendance(ctx, s.db, meetingID)
}

// meetingDay is the day a meeting starts, in Sweden.
func meetingDay(m Meeting) date.Date { return date.Of(m.StartsAt, i18n.Stockholm()) }

// AttendanceSheet lists the members of the forum's group on the meeting day
// with their roles, then the other people recorded, each with what is recorded.
func (s *Service) AttendanceSheet(ctx context.Context, meetingID int64) ([]AttendanceLine, error) {
	m, err := findMeeting(ctx, s.db, meetingID)
	if err != nil {
		return nil, err
	}
	members, err := listForumMembers(ctx, s.db, m.ForumID, meetingDay(m))
	if err != nil {
		return nil, err
	}
	recorded, err := listAttendance(ctx, s.db, meetingID)
	if err != nil {
		return nil, err
	}
	byPerson := make(map[int64]Attendance, len(recorded))
	for _, a := range recorded {
		byPerson[a.PersonID] = a
	}
	var lines []AttendanceLine
	seen := map[int64]bool{}
	for _, mb := range members {
		if seen[mb.PersonID] {
			continue // two roles in the group: the first, most senior, is shown
		}
		seen[mb.PersonID] = true
		a := byPerson[mb.PersonID]
		lines = append(lines, AttendanceLine{PersonID: mb.PersonID, Name: mb.Name, Title: mb.Title, Role: mb.Role, Status: a.Status, Note: a.Note})
	}
	for _, a := range recorded {
		if !seen[a.PersonID] {
			lines = append(lines, AttendanceLine{PersonID: a.PersonID, Name: a.PersonName, Status: a.Status, Note: a.Note})
		}
	}
	return lines, nil
}

// SetAttendance replaces a meeting's attendance with rows, if nobody changed
// the meeting since version was read and its minutes are not approved. It
// returns the meeting with its new version.
func (s *Service) SetAttendance(ctx context.Context, meetingID, version int64, rows []Attendance) (Meeting, error) {
	var v errs.ValidationError
	seen := map[int64]bool{}
	clean := make([]Attendance, 0, len(rows))
	for _, a := range rows {
		a.MeetingID, a.Note = meetingID, strings.TrimSpace(a.Note)
		switch {
		case a.PersonID <= 0:
			v.Add("person_id", "validation.choice")
		case seen[a.PersonID]:
			v.Add("person_id", "forum.attendance.twice")
		case !oneOf(a.Status, Presences):
			v.Add(fmt.Sprintf("status_%d", a.PersonID), "validation.choice")
		}
		v.Text(fmt.Sprintf("note_%d", a.PersonID), a.Note, false, maxShort)
		seen[a.PersonID] = true
		clean = append(clean, a)
	}
	if err := v.Err(); err != nil {
		return Meeting{}, err
	}
	var after Meeting
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		if _, err := s.meetingForEdit(ctx, tx, meetingID); err != nil {
			return nil, err
		}
		old, err := listAttendance(ctx, tx, meetingID)
		if err != nil {
			return nil, err
		}
		if err := touchMeeting(ctx, tx, meetingID, version, now); err != nil {
			return nil, err
		}
		if err := replaceAttendance(ctx, tx, meetingID, clean); err != nil {
			if errors.Is(err, errs.ErrReferenced) {
				return nil, fmt.Errorf("%w: %w", errs.Invalidf("person_id", "forum.attendance.person_missing"), err)
			}
			return nil, err
		}
		after, err = findMeeting(ctx, tx, meetingID)
		if err != nil {
			return nil, err
		}
		rows, err := listAttendance(ctx, tx, meetingID)
		return one(audit.Change{Entity: entityAttendance, EntityID: meetingID, Action: audit.Update, Before: old, After: rows}), err
	})
	return after, err
}

// AgendaCases lists the cases an agenda item can handle: those not closed,
// and the case with id (0 for none), newest first.
func (s *Service) AgendaCases(ctx context.Context, id int64) ([]AgendaCase, error) {
	return listAgendaCases(ctx, s.db, id)
}

// Deleting a meeting.

// meetingRemoval is what the audit log keeps of a deleted meeting: the
// meeting and what was deleted with it.
type meetingRemoval struct {
	Meeting    Meeting      `json:"meeting"`
	Items      []AgendaItem `json:"agenda_items"`
	Attendance []Attendance `json:"attendance"`
	Documents  []Document   `json:"documents"`
}

// meetingForDelete reads a meeting for deleting it: the user must edit the
// forum's meetings, the minutes must not be approved, the meeting must be
// planned or cancelled, and no decision or case step may refer to it.
func (s *Service) meetingForDelete(ctx context.Context, q db.Querier, id int64) (Meeting, error) {
	m, err := s.meetingForEdit(ctx, q, id)
	if err != nil {
		return Meeting{}, err
	}
	if m.Status == Held {
		return Meeting{}, errs.Invalidf("meeting.status", "forum.meeting.delete_needs_planned")
	}
	decisions, steps, err := countMeetingReferences(ctx, q, id)
	if err != nil {
		return Meeting{}, err
	}
	if decisions > 0 || steps > 0 {
		return Meeting{}, fmt.Errorf("meeting %d: %d decisions and %d case steps refer to it: %w", id, decisions, steps, errs.ErrReferenced)
	}
	return m, nil
}

// CheckDeleteMeeting tells whether the signed-in user may delete a meeting
// now, with the error DeleteMeeting would give, without deleting it.
func (s *Service) CheckDeleteMeeting(ctx context.Context, id int64) error {
	_, err := s.meetingForDelete(ctx, s.db, id)
	return err
}

// DeleteMeeting removes a meeting planned by mistake or cancelled, with its
// agenda, attendance and documents (their files stay in the store), if
// nobody changed it since version was read. A held meeting, one whose
// minutes are approved and one a decision or an anchoring step refers to
// cannot be deleted.
func (s *Service) DeleteMeeting(ctx context.Context, id, version int64) error {
	return s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		m, err := s.meetingForDelete(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		before := meetingRemoval{Meeting: m}
		if before.Items, err = listAgendaItems(ctx, tx, id); err != nil {
			return nil, err
		}
		if before.Attendance, err = listAttendance(ctx, tx, id); err != nil {
			return nil, err
		}
		if before.Documents, err = listDocuments(ctx, tx, DocumentFilter{MeetingID: id}); err != nil {
			return nil, err
		}
		if err := db.DeleteVersioned(ctx, tx, "meetings", id, version); err != nil {
			return nil, fmt.Errorf("delete meeting %d: %w", id, db.MapError(err))
		}
		return one(audit.Change{Entity: entityMeeting, EntityID: id, Action: audit.Delete, Before: before}), nil
	})
}
