// Package mail sends Kunskapsnav's outgoing mail. A feature puts a message in
// the outbox table with Enqueue, in the same transaction as the change that
// causes it, so a rolled-back change sends nothing; Outbox.Flush, run as the
// periodic job "mail.flush", sends what is due over SMTP (Sender), retries
// failures with backoff and gives up after MaxAttempts. Administrators follow
// the outbox on /admin/epost. Without an SMTP host messages stay in the outbox.
package mail
