package forum

import (
	"context"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// pendingRequest reads request id for a change by the coordinator: it must
// still wait for its answer, and the case must not be closed.
func pendingRequest(ctx context.Context, q db.Querier, id int64) (MunicipalRequest, error) {
	r, err := findRequest(ctx, q, id)
	if err != nil {
		return MunicipalRequest{}, err
	}
	if r.Answer != Pending {
		return MunicipalRequest{}, errs.Invalidf("request", "forum.municipal.already_answered", "name", r.MunicipalityName)
	}
	c, err := findCase(ctx, q, r.CaseID)
	if err != nil {
		return MunicipalRequest{}, err
	}
	if c.Status == Closed {
		return MunicipalRequest{}, errs.Invalidf("request", "forum.municipal.case_closed")
	}
	return r, nil
}

// ChangeDeadline gives a request that still waits for its answer a new
// deadline (extended, or corrected), not before the day it was sent. With a
// stale version it is refused with errs.ErrConflict.
func (s *Service) ChangeDeadline(ctx context.Context, requestID, version int64, deadline date.Date) (MunicipalRequest, error) {
	if err := requirePermission(ctx, Write); err != nil {
		return MunicipalRequest{}, err
	}
	var after MunicipalRequest
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		before, err := pendingRequest(ctx, tx, requestID)
		if err != nil {
			return nil, err
		}
		switch {
		case deadline.IsZero():
			return nil, errs.Invalidf("deadline", "validation.required")
		case deadline.Before(before.SentOn):
			return nil, errs.Invalidf("deadline", "forum.validation.deadline_before_sent")
		}
		if err := db.UpdateVersioned(ctx, tx, "municipal_requests", requestID, `
			UPDATE municipal_requests SET deadline = ?, updated_at = ?, version = version + 1
			WHERE id = ? AND version = ?`, deadline, now, requestID, version); err != nil {
			return nil, err
		}
		if after, err = findRequest(ctx, tx, requestID); err != nil {
			return nil, err
		}
		return one(audit.Change{Entity: entityRequest, EntityID: requestID, Action: audit.Update, Before: before, After: after}), nil
	})
	return after, err
}

// WithdrawRequest takes back a request sent by mistake, while it still waits
// for its answer and no decision names the municipality as taking part. The
// audit log keeps what was withdrawn.
func (s *Service) WithdrawRequest(ctx context.Context, requestID, version int64) (MunicipalRequest, error) {
	if err := requirePermission(ctx, Write); err != nil {
		return MunicipalRequest{}, err
	}
	var before MunicipalRequest
	err := s.change(ctx, func(tx *db.Tx, now time.Time) ([]audit.Change, error) {
		var err error
		if before, err = pendingRequest(ctx, tx, requestID); err != nil {
			return nil, err
		}
		named, err := db.Exists(ctx, tx, `SELECT 1 FROM decision_municipalities dm JOIN decisions d ON d.id = dm.decision_id
			WHERE d.case_id = ? AND dm.municipality = ?`, before.CaseID, before.Municipality)
		if err != nil {
			return nil, err
		}
		if named {
			return nil, errs.Invalidf("request", "forum.municipal.in_decision", "name", before.MunicipalityName)
		}
		if err := db.DeleteVersioned(ctx, tx, "municipal_requests", requestID, version); err != nil {
			return nil, err
		}
		return one(audit.Change{Entity: entityRequest, EntityID: requestID, Action: audit.Delete, Before: before}), nil
	})
	return before, err
}
