package catalog

import (
	"context"
	"fmt"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// saveUpload clears the catalog's uploads made before staleBefore and keeps
// up for the person userID (0 for a system actor).
func saveUpload(ctx context.Context, q db.Querier, up Upload, kind string, userID int64, staleBefore time.Time) (int64, error) {
	if _, err := q.ExecContext(ctx, `DELETE FROM imports WHERE kind LIKE 'catalog.%' AND created_at < ?`, staleBefore); err != nil {
		return 0, fmt.Errorf("clear old uploads: %w", err)
	}
	return db.Insert(ctx, q, `
		INSERT INTO imports (kind, filename, file_hash, size, content, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		kind, up.Filename, up.Hash, len(up.Content), up.Content, db.NullID(userID), up.CreatedAt)
}

// findUpload returns upload id of kind if userID made it since notBefore,
// else ErrNotFound.
func findUpload(ctx context.Context, q db.Querier, id int64, kind string, userID int64, notBefore time.Time) (Upload, error) {
	up, err := db.One(ctx, q, func(s db.Scanner) (Upload, error) {
		var u Upload
		err := s.Scan(&u.ID, &u.Filename, &u.Hash, &u.Content, &u.CreatedAt)
		u.CreatedAt = u.CreatedAt.UTC()
		return u, err
	}, `SELECT id, filename, file_hash, content, created_at FROM imports
		WHERE id = ? AND kind = ? AND created_by IS NOT DISTINCT FROM ? AND created_at >= ?`,
		id, kind, db.NullID(userID), notBefore)
	if err != nil {
		return Upload{}, fmt.Errorf("find upload %d: %w", id, err)
	}
	return up, nil
}

// deleteUpload removes upload id; ErrNotFound if it is gone already.
func deleteUpload(ctx context.Context, q db.Querier, id int64) error {
	res, err := q.ExecContext(ctx, `DELETE FROM imports WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete upload %d: %w", id, err)
	}
	return db.Affected(res)
}
