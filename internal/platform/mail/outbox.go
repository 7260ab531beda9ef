package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
)

// MaxAttempts is how often a message is tried before it is marked failed.
const MaxAttempts = 8

// FlushJob is the name of the periodic job that flushes the outbox.
const FlushJob = "mail.flush"

// FlushInterval is how often the outbox is flushed.
const FlushInterval = 30 * time.Second

// ErrNotConfigured is returned by Flush when no SMTP server is configured.
var ErrNotConfigured = errors.New("mail: no SMTP server configured; messages stay in the outbox")

const (
	// batchSize is how many messages one connection to the server sends.
	batchSize = 20
	// maxBatches bounds one flush; what is left waits for the next.
	maxBatches = 25
	// lease is how long a claimed message is kept from other flushes; a node
	// that dies while sending releases its messages when the lease runs out.
	lease = 15 * time.Minute
)

// Backoff is the wait after the n-th failed attempt (n ≥ 1): 2 minutes,
// doubling, so the eighth and last attempt comes about four hours after the
// first.
func Backoff(n int) time.Duration {
	return 2 * time.Minute << min(max(n-1, 0), 10)
}

// Outbox is the table of outgoing messages and how to send them.
type Outbox struct {
	db     *db.DB
	sender *Sender // nil: not configured
	now    func() time.Time
	log    *slog.Logger
}

// NewOutbox returns the outbox in d, sent through sender (nil when mail is
// not configured), on the clock now.
func NewOutbox(d *db.DB, sender *Sender, now func() time.Time, log *slog.Logger) *Outbox {
	if now == nil {
		now = time.Now
	}
	return &Outbox{db: d, sender: sender, now: now, log: log}
}

// Configured reports whether the outbox can send.
func (o *Outbox) Configured() bool { return o.sender != nil }

// claimed is a message taken from the outbox by one flush.
type claimed struct {
	id       int64
	attempts int
	msg      Message
}

// Flush sends every message that is due, in batches, and returns how many the
// server accepted. A message the server refuses is tried again after Backoff
// and marked failed after MaxAttempts. Several nodes may flush at once: each
// message is claimed by one conditional update before it is sent, so it is
// sent once.
func (o *Outbox) Flush(ctx context.Context) (int, error) {
	if o.sender == nil {
		return 0, ErrNotConfigured
	}
	sent := 0
	for range maxBatches {
		batch, err := o.claim(ctx)
		if err != nil {
			return sent, err
		}
		if len(batch) == 0 {
			break
		}
		msgs := make([]Message, len(batch))
		for i, c := range batch {
			msgs[i] = c.msg
		}
		results := o.sender.Send(ctx, msgs)
		for i, c := range batch {
			if err := o.record(ctx, c, results[i]); err != nil {
				return sent, err
			}
			if results[i] == nil {
				sent++
			}
		}
		if len(batch) < batchSize {
			break
		}
	}
	return sent, nil
}

// claim takes up to batchSize due messages by moving their next attempt past
// the lease. The condition is checked again on each row as it is updated, so
// of two flushes that picked the same row only the first gets it back.
func (o *Outbox) claim(ctx context.Context) ([]claimed, error) {
	now := o.now().UTC()
	scan := func(s db.Scanner) (claimed, error) {
		var c claimed
		var entityID sql.NullInt64
		err := s.Scan(&c.id, &c.attempts, &c.msg.Kind, &c.msg.To, &c.msg.Subject, &c.msg.Body, &c.msg.Entity, &entityID)
		c.msg.EntityID = entityID.Int64
		return c, err
	}
	batch, err := db.All(ctx, o.db, scan, `UPDATE mail_outbox SET next_attempt_at = ?
		WHERE status = 'pending' AND next_attempt_at <= ? AND id IN (
			SELECT id FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= ?
			ORDER BY next_attempt_at, id LIMIT ?)
		RETURNING id, attempts, kind, to_addr, subject, body, entity, entity_id`,
		now.Add(lease), now, now, batchSize)
	if err != nil {
		return nil, fmt.Errorf("claim mail from outbox: %w", err)
	}
	sort.Slice(batch, func(i, j int) bool { return batch[i].id < batch[j].id })
	return batch, nil
}

// record writes the outcome of one attempt.
func (o *Outbox) record(ctx context.Context, c claimed, sendErr error) error {
	now := o.now().UTC()
	attempts := c.attempts + 1
	var err error
	switch {
	case sendErr == nil:
		_, err = o.db.ExecContext(ctx, `UPDATE mail_outbox SET status = 'sent', attempts = ?, last_error = '', sent_at = ? WHERE id = ?`,
			attempts, now, c.id)
	case attempts >= MaxAttempts:
		o.log.Warn("mail failed, giving up", "id", c.id, "kind", c.msg.Kind, "attempts", attempts, "error", sendErr.Error())
		_, err = o.db.ExecContext(ctx, `UPDATE mail_outbox SET status = 'failed', attempts = ?, last_error = ? WHERE id = ?`,
			attempts, errorText(sendErr), c.id)
	default:
		o.log.Warn("mail not sent, will retry", "id", c.id, "kind", c.msg.Kind, "attempts", attempts, "error", sendErr.Error())
		_, err = o.db.ExecContext(ctx, `UPDATE mail_outbox SET attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?`,
			attempts, errorText(sendErr), now.Add(Backoff(attempts)), c.id)
	}
	if err != nil {
		return fmt.Errorf("record mail %d: %w", c.id, err)
	}
	return nil
}

// errorText is an error as stored: one bounded line.
func errorText(err error) string {
	s := []rune(err.Error())
	if len(s) > 500 {
		s = append(s[:499], '…')
	}
	return string(s)
}

// Entry is one message in the outbox, as the outbox page lists it.
type Entry struct {
	ID            int64
	Kind          string
	To            string
	Subject       string
	Entity        string
	EntityID      int64
	Status        Status
	Attempts      int
	LastError     string
	NextAttemptAt time.Time
	CreatedAt     time.Time
	SentAt        time.Time // zero until sent
}

// List returns up to limit messages, newest first, older than the message
// after (0: from the newest), and the cursor of the next page (0: none).
func (o *Outbox) List(ctx context.Context, after int64, limit int) ([]Entry, int64, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	query := `SELECT id, kind, to_addr, subject, entity, entity_id, status, attempts, last_error, next_attempt_at, created_at, sent_at
		FROM mail_outbox`
	var args []any
	if after > 0 {
		query += ` WHERE id < ?`
		args = append(args, after)
	}
	query += fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, limit+1)
	entries, err := db.All(ctx, o.db, scanEntry, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list mail outbox: %w", err)
	}
	var next int64
	if len(entries) > limit {
		entries = entries[:limit]
		next = entries[len(entries)-1].ID
	}
	return entries, next, nil
}

func scanEntry(s db.Scanner) (Entry, error) {
	var e Entry
	var entityID sql.NullInt64
	var sentAt sql.NullTime
	var status string
	err := s.Scan(&e.ID, &e.Kind, &e.To, &e.Subject, &e.Entity, &entityID, &status, &e.Attempts, &e.LastError,
		&e.NextAttemptAt, &e.CreatedAt, &sentAt)
	e.EntityID, e.Status = entityID.Int64, Status(status)
	if sentAt.Valid {
		e.SentAt = sentAt.Time
	}
	return e, err
}
