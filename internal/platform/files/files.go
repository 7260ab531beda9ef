package files

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// File is the description of a stored file; its bytes are read with Open.
type File struct {
	ID          int64
	Name        string // cleaned, as shown and offered for download
	ContentType string // the media type decided by Check
	Size        int64  // in bytes
	SHA256      string // hex, lower case
	UploadedBy  int64  // user id; 0 when unknown or the user was removed
	UploadedAt  time.Time
}

// Store saves files of at most Limit bytes; the zero Store uses DefaultLimit.
type Store struct {
	Limit int64
}

// Save checks a file with Check and stores it with its hash, in q (usually
// the transaction of the use case that attaches it). uploadedBy may be 0.
func (s Store) Save(ctx context.Context, q db.Querier, name string, content []byte, uploadedBy int64, now time.Time) (File, error) {
	contentType, err := Check(name, content, s.Limit)
	if err != nil {
		return File{}, err
	}
	sum := sha256.Sum256(content)
	f := File{
		Name:        CleanName(name),
		ContentType: contentType,
		Size:        int64(len(content)),
		SHA256:      hex.EncodeToString(sum[:]),
		UploadedBy:  uploadedBy,
		UploadedAt:  now.UTC(),
	}
	f.ID, err = db.Insert(ctx, q, `
		INSERT INTO files (name, content_type, size, sha256, content, uploaded_by, uploaded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		f.Name, f.ContentType, f.Size, f.SHA256, content, sql.NullInt64{Int64: uploadedBy, Valid: uploadedBy != 0}, f.UploadedAt)
	if err != nil {
		return File{}, fmt.Errorf("save file %q: %w", f.Name, err)
	}
	return f, nil
}

// Save stores a file of at most DefaultLimit bytes; see Store.Save.
func Save(ctx context.Context, q db.Querier, name string, content []byte, uploadedBy int64, now time.Time) (File, error) {
	return Store{}.Save(ctx, q, name, content, uploadedBy, now)
}

const fileColumns = `id, name, content_type, size, sha256, uploaded_by, uploaded_at`

// Get returns the description of file id, or errs.ErrNotFound.
func Get(ctx context.Context, q db.Querier, id int64) (File, error) {
	f, err := db.One(ctx, q, scanFile(), `SELECT `+fileColumns+` FROM files WHERE id = ?`, id)
	if err != nil {
		return File{}, fmt.Errorf("get file %d: %w", id, err)
	}
	return f, nil
}

// Open returns file id with its bytes, or errs.ErrNotFound.
func Open(ctx context.Context, q db.Querier, id int64) (File, []byte, error) {
	var content []byte
	f, err := db.One(ctx, q, scanFile(&content), `SELECT `+fileColumns+`, content FROM files WHERE id = ?`, id)
	if err != nil {
		return File{}, nil, fmt.Errorf("open file %d: %w", id, err)
	}
	return f, content, nil
}

// scanFile reads the fileColumns of a row, then the extra columns into extra.
func scanFile(extra ...any) func(db.Scanner) (File, error) {
	return func(s db.Scanner) (File, error) {
		var f File
		var by sql.NullInt64
		err := s.Scan(append([]any{&f.ID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &by, &f.UploadedAt}, extra...)...)
		f.UploadedBy, f.UploadedAt = by.Int64, f.UploadedAt.UTC()
		return f, err
	}
}
