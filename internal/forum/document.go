package forum

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/files"
)

// DocumentLimit is the largest document accepted for a case or a meeting.
const DocumentLimit = files.DefaultLimit

// DocumentFilter names whose documents to list: a case's or a meeting's.
type DocumentFilter struct {
	CaseID    int64
	MeetingID int64
}

const documentColumns = `d.id, d.file_id, d.case_id, d.meeting_id, d.title, fl.name, fl.content_type, fl.size, fl.sha256, d.created_by, d.created_at`

const documentFrom = ` FROM forum_documents d JOIN files fl ON fl.id = d.file_id`

func scanDocument(s db.Scanner) (Document, error) {
	var d Document
	var caseID, meetingID sql.NullInt64
	err := s.Scan(&d.ID, &d.FileID, &caseID, &meetingID, &d.Title, &d.Name, &d.ContentType, &d.Size, &d.SHA256, &d.CreatedBy, &d.CreatedAt)
	d.CaseID, d.MeetingID, d.CreatedAt = caseID.Int64, meetingID.Int64, d.CreatedAt.UTC()
	return d, err
}

// findDocument returns document id, or errs.ErrNotFound.
func findDocument(ctx context.Context, q db.Querier, id int64) (Document, error) {
	d, err := db.One(ctx, q, scanDocument, `SELECT `+documentColumns+documentFrom+` WHERE d.id = ?`, id)
	if err != nil {
		return Document{}, fmt.Errorf("find document %d: %w", id, err)
	}
	return d, nil
}

func listDocuments(ctx context.Context, q db.Querier, f DocumentFilter) ([]Document, error) {
	var where []string
	var args []any
	if f.CaseID != 0 {
		where, args = append(where, "d.case_id = ?"), append(args, f.CaseID)
	}
	if f.MeetingID != 0 {
		where, args = append(where, "d.meeting_id = ?"), append(args, f.MeetingID)
	}
	if len(where) == 0 {
		return nil, nil
	}
	ds, err := db.All(ctx, q, scanDocument, `SELECT `+documentColumns+documentFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY d.created_at, d.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	return ds, nil
}

// canReadDocument reports whether the signed-in user may read d: everyone
// with Read, and a kommun user the documents of cases sent to a municipality
// they answer for.
func canReadDocument(ctx context.Context, q db.Querier, d Document) (bool, error) {
	p := access.From(ctx)
	if p.Can(Read) {
		return true, nil
	}
	if !p.Has(access.Municipality) || d.CaseID == 0 {
		return false, nil
	}
	return db.Exists(ctx, q, `SELECT 1 FROM municipal_requests r
		JOIN municipality_contacts c ON c.municipality = r.municipality
		WHERE r.case_id = ? AND c.user_id = ?`, d.CaseID, p.UserID)
}

// requireDocumentWriter checks that the signed-in user may attach documents
// where d says: to a case the coordinator and ledning (decision bases); to a
// meeting those who edit its meetings, while its minutes are not approved.
func (s *Service) requireDocumentWriter(ctx context.Context, q db.Querier, d Document) error {
	if d.MeetingID != 0 {
		if _, err := s.meetingForEdit(ctx, q, d.MeetingID); err != nil {
			return err
		}
	}
	if d.CaseID != 0 {
		if ok, err := db.Exists(ctx, q, `SELECT 1 FROM cases WHERE id = ?`, d.CaseID); err != nil {
			return err
		} else if !ok {
			return fmt.Errorf("case %d: %w", d.CaseID, errs.ErrNotFound)
		}
		if p := access.From(ctx); !isCoordinator(p) && !p.Has(access.Leadership) {
			return fmt.Errorf("attach to case %d: %w", d.CaseID, errs.ErrForbidden)
		}
	}
	return nil
}

// AddDocument stores an uploaded file (size- and type-checked, with its
// hash) as a document of a case or a meeting (d.CaseID or d.MeetingID) with
// d.Title, or the file's name when the title is empty.
func (s *Service) AddDocument(ctx context.Context, d Document, name string, content []byte) (Document, error) {
	d.ID = 0
	d.Title = strings.TrimSpace(d.Title)
	if d.CaseID == 0 && d.MeetingID == 0 {
		return Document{}, errs.Invalidf("case_id", "validation.required")
	}
	var v errs.ValidationError
	v.Text("title", d.Title, false, maxTitle)
	if err := v.Err(); err != nil {
		return Document{}, err
	}
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		if err := s.requireDocumentWriter(ctx, tx, d); err != nil {
			return nil, err
		}
		var c audit.Change
		var err error
		d, c, err = saveDocument(ctx, tx, d, name, content, now)
		return one(c), err
	})
	return d, err
}

// AddCaseDocumentTx stores a generated file as a document of case d.CaseID,
// as AddDocument does, inside tx, and returns it with the audit change for
// the caller to record: for a feature that attaches several files to a case
// at once, all or none. The caller checks that the user may write the case.
func AddCaseDocumentTx(ctx context.Context, tx *db.Tx, d Document, name string, content []byte, now time.Time) (Document, audit.Change, error) {
	d.ID, d.MeetingID = 0, 0
	d.Title = strings.TrimSpace(d.Title)
	if d.CaseID == 0 {
		return Document{}, audit.Change{}, errs.Invalidf("case_id", "validation.required")
	}
	if err := requireCaseWriter(ctx); err != nil {
		return Document{}, audit.Change{}, err
	}
	if _, err := findCase(ctx, tx, d.CaseID); err != nil {
		return Document{}, audit.Change{}, err
	}
	return saveDocument(ctx, tx, d, name, content, now)
}

func saveDocument(ctx context.Context, tx *db.Tx, d Document, name string, content []byte, now time.Time) (Document, audit.Change, error) {
	f, err := files.Store{Limit: DocumentLimit}.Save(ctx, tx, name, content, access.From(ctx).UserID, now)
	if err != nil {
		return Document{}, audit.Change{}, err
	}
	if d.Title == "" {
		d.Title = f.Name
	}
	id, err := db.Insert(ctx, tx, `
		INSERT INTO forum_documents (file_id, case_id, meeting_id, title, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		f.ID, db.NullID(d.CaseID), db.NullID(d.MeetingID), d.Title, actorName(ctx), now)
	if err != nil {
		return Document{}, audit.Change{}, fmt.Errorf("insert document: %w", err)
	}
	d, err = findDocument(ctx, tx, id)
	return d, audit.Change{Entity: entityDocument, EntityID: id, Action: audit.Create, After: d}, err
}

// Documents lists the documents of a case or a meeting that the signed-in
// user may read, oldest first.
func (s *Service) Documents(ctx context.Context, f DocumentFilter) ([]Document, error) {
	ds, err := listDocuments(ctx, s.db, f)
	if err != nil {
		return nil, err
	}
	out := ds[:0]
	for _, d := range ds {
		ok, err := canReadDocument(ctx, s.db, d)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, d)
		}
	}
	return out, nil
}

// Document returns a document's description, if the user may read it; one
// they may not read is not found.
func (s *Service) Document(ctx context.Context, id int64) (Document, error) {
	d, err := findDocument(ctx, s.db, id)
	if err != nil {
		return Document{}, err
	}
	ok, err := canReadDocument(ctx, s.db, d)
	if err != nil {
		return Document{}, err
	}
	if !ok {
		return Document{}, fmt.Errorf("document %d: not visible: %w", id, errs.ErrNotFound)
	}
	return d, nil
}

// OpenDocument returns a document with its stored file and bytes, if the
// user may read it.
func (s *Service) OpenDocument(ctx context.Context, id int64) (Document, files.File, []byte, error) {
	d, err := s.Document(ctx, id)
	if err != nil {
		return Document{}, files.File{}, nil, err
	}
	f, content, err := files.Open(ctx, s.db, d.FileID)
	if err != nil {
		return Document{}, files.File{}, nil, err
	}
	return d, f, content, nil
}

// documentForDelete reads a meeting's document for deleting it: the user
// must edit the meeting, its minutes must not be approved and no decision may
// rest on the document. Case documents are kept, as decisions may rest on them.
func (s *Service) documentForDelete(ctx context.Context, q db.Querier, id int64) (Document, error) {
	d, err := findDocument(ctx, q, id)
	if err != nil {
		return Document{}, err
	}
	if d.MeetingID == 0 || d.CaseID != 0 {
		return Document{}, fmt.Errorf("document %d belongs to a case: %w", id, errs.ErrLocked)
	}
	if _, err := s.meetingForEdit(ctx, q, d.MeetingID); err != nil {
		return Document{}, err
	}
	used, err := db.Exists(ctx, q, `SELECT 1 FROM decision_basis WHERE document_id = ?`, id)
	if err != nil {
		return Document{}, err
	}
	if used {
		return Document{}, fmt.Errorf("document %d is a decision basis: %w", id, errs.ErrReferenced)
	}
	return d, nil
}

// CheckDeleteDocument tells whether the signed-in user may delete a document
// now, with the error DeleteDocument would give, without deleting it.
func (s *Service) CheckDeleteDocument(ctx context.Context, id int64) error {
	_, err := s.documentForDelete(ctx, s.db, id)
	return err
}

// DeleteDocument removes a meeting's document uploaded by mistake, while the
// meeting's minutes are not approved and no decision rests on it; the file
// stays in the store. Case documents are kept, as decisions may rest on them.
func (s *Service) DeleteDocument(ctx context.Context, id int64) error {
	return s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := s.documentForDelete(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM forum_documents WHERE id = ?`, id)
		if err != nil {
			return nil, fmt.Errorf("delete document %d: %w", id, db.MapError(err))
		}
		if err := db.Affected(res); err != nil {
			return nil, fmt.Errorf("delete document %d: %w", id, err)
		}
		return one(audit.Change{Entity: entityDocument, EntityID: id, Action: audit.Delete, Before: before}), nil
	})
}
