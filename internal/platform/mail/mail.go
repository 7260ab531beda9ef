package mail

import (
	"context"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

// Message is one plain-text mail to one recipient.
type Message struct {
	To      string // a bare address, anna@example.se
	Subject string // one line
	Body    string // plain text, UTF-8
	// Kind names what the mail is for, for the outbox page and logs:
	// "implement.survey_reminder".
	Kind string
	// Entity and EntityID name the record the mail is about, if any, as the
	// audit log does: "survey", 42.
	Entity   string
	EntityID int64
}

// Limits on a message's fields.
const (
	MaxSubject = 200
	MaxBody    = 100_000
	MaxKind    = 100
)

// Validate checks the message: a valid bare address, a one-line subject (a
// line break would let text become mail headers), a body and a kind.
func (m Message) Validate() error {
	var v errs.ValidationError
	if a, err := netmail.ParseAddress(m.To); err != nil || a.Address != m.To || a.Name != "" {
		v.Add("to", "validation.email")
	}
	v.Text("subject", m.Subject, true, MaxSubject)
	if strings.ContainsAny(m.Subject, "\r\n") {
		v.Add("subject", "mail.validation.one_line")
	}
	v.Text("body", m.Body, true, MaxBody)
	v.Text("kind", m.Kind, true, MaxKind)
	return v.Err()
}

// Status is where a message is in the outbox.
type Status string

// The statuses of an outbox message.
const (
	Pending Status = "pending" // waiting to be sent, or to be tried again
	Sent    Status = "sent"
	Failed  Status = "failed" // given up after MaxAttempts
)

// Enqueue validates m and puts it in the outbox through q, usually the
// caller's transaction, to be sent by the next flush; it returns the id.
func Enqueue(ctx context.Context, q db.Querier, m Message, now time.Time) (int64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	now = now.UTC()
	id, err := db.Insert(ctx, q, `INSERT INTO mail_outbox
		(kind, to_addr, subject, body, entity, entity_id, status, attempts, last_error, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 0, '', ?, ?) RETURNING id`,
		m.Kind, m.To, m.Subject, m.Body, m.Entity, db.NullID(m.EntityID), string(Pending), now, now)
	if err != nil {
		return 0, fmt.Errorf("enqueue mail %s to outbox: %w", m.Kind, err)
	}
	return id, nil
}
