package forum

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// ForumFilter narrows a listing of forums; zero fields do not filter, except
// that inactive forums are left out unless asked for.
type ForumFilter struct {
	Query           string
	IncludeInactive bool
}

// ForumGroup is a group of the organisation registry that can become a forum.
type ForumGroup struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// ForumMember is a current member of a forum's group and their role, as the
// organisation registry holds it.
type ForumMember struct {
	PersonID int64     `json:"person_id"`
	Name     string    `json:"name"`
	Title    string    `json:"title"`
	Role     string    `json:"role" doc:"chair, process_leader, member, deputy, secretary, co_opted or coordinator"`
	Start    date.Date `json:"start"`
	End      date.Date `json:"end,omitzero"`
}

// requireForumWriter allows the coordinator, who edits forums and mandates.
func requireForumWriter(ctx context.Context) error {
	if isCoordinator(access.From(ctx)) {
		return nil
	}
	return fmt.Errorf("edit forums: %w", errs.ErrForbidden)
}

// Forums lists forums matching f, by name.
func (s *Service) Forums(ctx context.Context, f ForumFilter) ([]Forum, error) {
	return listForums(ctx, s.db, f)
}

// Forum returns one forum.
func (s *Service) Forum(ctx context.Context, id int64) (Forum, error) {
	return findForum(ctx, s.db, id)
}

// ForumCandidates lists the groups of the registry that are not yet forums.
func (s *Service) ForumCandidates(ctx context.Context) ([]ForumGroup, error) {
	return listForumCandidates(ctx, s.db)
}

// ForumMembers lists the forum's members and their roles on day on (today
// when zero), from the organisation registry's memberships.
func (s *Service) ForumMembers(ctx context.Context, forumID int64, on date.Date) ([]ForumMember, error) {
	if on.IsZero() {
		on = s.Today()
	}
	if _, err := findForum(ctx, s.db, forumID); err != nil {
		return nil, err
	}
	return listForumMembers(ctx, s.db, forumID, on)
}

// CreateForum makes a group of the registry a forum.
func (s *Service) CreateForum(ctx context.Context, f Forum) (Forum, error) {
	if err := requireForumWriter(ctx); err != nil {
		return Forum{}, err
	}
	f.ID = 0
	if err := f.Validate(); err != nil {
		return Forum{}, err
	}
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		if ok, err := db.Exists(ctx, tx, `SELECT 1 FROM org_groups WHERE id = ?`, f.GroupID); err != nil || !ok {
			return nil, errors.Join(err, errs.Invalidf("group_id", "forum.forum.group_missing"))
		}
		id, err := insertForum(ctx, tx, f, now)
		if errors.Is(err, errs.ErrDuplicate) {
			return nil, fmt.Errorf("%w: %w", errs.Invalidf("group_id", "forum.forum.group_taken"), err)
		}
		if err != nil {
			return nil, err
		}
		f, err = findForum(ctx, tx, id)
		return one(audit.Change{Entity: entityForum, EntityID: id, Action: audit.Create, After: f}), err
	})
	return f, err
}

// UpdateForum saves a forum's description and whether it is active, if
// nobody changed it since it was read. Its group never changes.
func (s *Service) UpdateForum(ctx context.Context, f Forum) (Forum, error) {
	if err := requireForumWriter(ctx); err != nil {
		return Forum{}, err
	}
	var after Forum
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := findForum(ctx, tx, f.ID)
		if err != nil {
			return nil, err
		}
		f.GroupID = before.GroupID
		if err := f.Validate(); err != nil {
			return nil, err
		}
		if err := updateForum(ctx, tx, f, now); err != nil {
			return nil, err
		}
		after, err = findForum(ctx, tx, f.ID)
		return one(audit.Change{Entity: entityForum, EntityID: f.ID, Action: audit.Update, Before: before, After: after}), err
	})
	return after, err
}

// Mandates lists the forum's mandate register: decisions first, then advice.
func (s *Service) Mandates(ctx context.Context, forumID int64) ([]Mandate, error) {
	if _, err := findForum(ctx, s.db, forumID); err != nil {
		return nil, err
	}
	return listMandates(ctx, s.db, forumID)
}

// Mandate returns one line of a mandate register.
func (s *Service) Mandate(ctx context.Context, id int64) (Mandate, error) {
	return findMandate(ctx, s.db, id)
}

// AddMandate adds a line to a forum's mandate register.
func (s *Service) AddMandate(ctx context.Context, m Mandate) (Mandate, error) {
	if err := requireForumWriter(ctx); err != nil {
		return Mandate{}, err
	}
	m.ID = 0
	if err := m.Validate(); err != nil {
		return Mandate{}, err
	}
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		if _, err := findForum(ctx, tx, m.ForumID); err != nil {
			return nil, err
		}
		id, err := insertMandate(ctx, tx, m, now)
		if err != nil {
			return nil, err
		}
		m, err = findMandate(ctx, tx, id)
		return one(audit.Change{Entity: entityMandate, EntityID: id, Action: audit.Create, After: m}), err
	})
	return m, err
}

// UpdateMandate saves a changed mandate line if nobody changed it since it
// was read; it stays with its forum.
func (s *Service) UpdateMandate(ctx context.Context, m Mandate) (Mandate, error) {
	if err := requireForumWriter(ctx); err != nil {
		return Mandate{}, err
	}
	if err := m.Validate(); err != nil {
		return Mandate{}, err
	}
	var after Mandate
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := findMandate(ctx, tx, m.ID)
		if err != nil {
			return nil, err
		}
		m.ForumID = before.ForumID
		if err := updateMandate(ctx, tx, m, now); err != nil {
			return nil, err
		}
		after, err = findMandate(ctx, tx, m.ID)
		return one(audit.Change{Entity: entityMandate, EntityID: m.ID, Action: audit.Update, Before: before, After: after}), err
	})
	return after, err
}

// DeleteMandate removes a mandate line if nobody changed it since it was read.
func (s *Service) DeleteMandate(ctx context.Context, id, version int64) error {
	if err := requireForumWriter(ctx); err != nil {
		return err
	}
	return s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := findMandate(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if err := db.DeleteVersioned(ctx, tx, "forum_mandates", id, version); err != nil {
			return nil, err
		}
		return one(audit.Change{Entity: entityMandate, EntityID: id, Action: audit.Delete, Before: before}), nil
	})
}
