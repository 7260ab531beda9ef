package forum

import (
	"context"
	"fmt"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
)

// Permissions of the package. Route permissions are coarse; the service
// checks the finer rules (a forum's secretary edits its meetings, ledning
// records decisions in HSL only, a kommun user answers for their own
// municipality only).
var (
	// Read admits everyone signed in except municipal staff, who see only the
	// cases sent to their municipality (through Respond).
	Read = access.Permission{Name: "forum.read", Roles: []access.Role{
		access.Coordinator, access.ImprovementLead, access.Leadership, access.Unit, access.Auditor}}
	// Write admits the coordinator, who edits everything.
	Write = access.Permission{Name: "forum.write", Roles: []access.Role{access.Coordinator}}
	// Decide admits those who record decisions: the coordinator in every
	// forum, ledning in HSL.
	Decide = access.Permission{Name: "forum.decide", Roles: []access.Role{access.Coordinator, access.Leadership}}
	// Respond admits those who answer a case for a municipality: kommun users
	// for their own municipality, the coordinator on a municipality's behalf.
	Respond = access.Permission{Name: "forum.answer", Roles: []access.Role{access.Coordinator, access.Municipality}}
)

// The entity names in the audit log.
const (
	entityForum      = "forum"
	entityMandate    = "forum_mandate"
	entityMeeting    = "meeting"
	entityAgendaItem = "agenda_item"
	entityAttendance = "meeting_attendance"
	entityCase       = "case"
	entityStep       = "case_step"
	entityLink       = "case_link"
	entityDocument   = "forum_document"
	entityDecision   = "decision"
	entityFollowUp   = "decision_followup"
	entityRequest    = "municipal_request"
	entityContact    = "municipality_contact"
)

// Service is the package's use cases; each exported method that changes
// something is one transaction with its audit record(s).
type Service struct {
	db    *db.DB
	audit *audit.Log
	now   func() time.Time
}

// NewService returns the service.
func NewService(d *db.DB, log *audit.Log, now func() time.Time) *Service {
	return &Service{db: d, audit: log, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// Today is the current date in Sweden.
func (s *Service) Today() date.Date { return date.Of(s.now(), i18n.Stockholm()) }

// change runs fn in a transaction and records the changes it returns.
func (s *Service) change(ctx context.Context, fn func(tx *db.Tx, now time.Time) ([]audit.Change, error)) error {
	return s.audit.Tx(ctx, s.db, s.now, fn)
}

// one is a single audit change, for change's callbacks.
func one(c audit.Change) []audit.Change { return []audit.Change{c} }

// actorName is the signed-in person's name as steps and answers record it.
func actorName(ctx context.Context) string { return audit.DisplayName(ctx) }

// isCoordinator reports whether the principal edits everything.
func isCoordinator(p access.Principal) bool {
	return p.Has(access.Admin) || p.Has(access.Coordinator)
}

// requireMeetingEditor allows the coordinator and the forum's secretary: a
// person linked to the signed-in user with a current secretary membership
// in the forum's group.
func requireMeetingEditor(ctx context.Context, q db.Querier, forumID int64, today date.Date) error {
	p := access.From(ctx)
	if isCoordinator(p) {
		return nil
	}
	if p.Anonymous() {
		return errs.ErrForbidden
	}
	ok, err := isSecretary(ctx, q, p.UserID, forumID, today)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("forum %d: not its secretary: %w", forumID, errs.ErrForbidden)
	}
	return nil
}

// CanEditMeetings reports whether the signed-in user may edit the meetings of
// a forum: pages use it to show or hide edit controls.
func (s *Service) CanEditMeetings(ctx context.Context, forumID int64) (bool, error) {
	err := requireMeetingEditor(ctx, s.db, forumID, s.Today())
	if err == nil {
		return true, nil
	}
	if errs.KindOf(err) == errs.Forbidden {
		return false, nil
	}
	return false, err
}

// requireDecider allows the coordinator in every forum and ledning in HSL.
func requireDecider(ctx context.Context, f Forum) error {
	p := access.From(ctx)
	if isCoordinator(p) || (p.Has(access.Leadership) && f.IsLeadership()) {
		return nil
	}
	return fmt.Errorf("forum %d: may not record decisions: %w", f.ID, errs.ErrForbidden)
}

// requireAnswerer allows the coordinator for every municipality and a kommun
// user for the municipalities they are a contact of.
func requireAnswerer(ctx context.Context, q db.Querier, municipality string) error {
	p := access.From(ctx)
	if isCoordinator(p) {
		return nil
	}
	if p.Has(access.Municipality) {
		ms, err := contactMunicipalities(ctx, q, p.UserID)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m == municipality {
				return nil
			}
		}
	}
	return fmt.Errorf("municipality %s: %w", municipality, errs.ErrForbidden)
}

// MunicipalitiesOf lists the codes of the municipalities a user answers for.
func (s *Service) MunicipalitiesOf(ctx context.Context, userID int64) ([]string, error) {
	return contactMunicipalities(ctx, s.db, userID)
}
