// Package requestid gives every request an identifier that ties together its
// log lines, its audit records and the error page a person sees, so support can
// find what happened from the id alone.
package requestid

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"strings"
)

type ctxKey struct{}

// New returns a fresh random identifier, short enough to read aloud.
func New() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// With returns ctx carrying id.
func With(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// From returns the identifier in ctx, or "" outside a request.
func From(ctx context.Context) string {
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}
