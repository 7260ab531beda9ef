// Package access defines who may do what: the roles of Kunskapsnav, permissions
// as the set of roles they admit, and the principal (the signed-in user, or
// anonymous) carried in a request's context. It imports nothing of the project,
// so the router, the auth package and every feature can share it.
package access

import (
	"context"
	"slices"
)

// Role is a user's role; a user may hold several.
type Role string

// The roles. Values are what the CLI, the database and the API use.
const (
	Admin           Role = "admin"
	Coordinator     Role = "samordnare"
	ImprovementLead Role = "verksamhetsutvecklare"
	Leadership      Role = "ledning"
	Unit            Role = "enhet"
	Municipality    Role = "kommun"
	Auditor         Role = "revisor"
)

// Roles lists every role, in the order the UI shows them.
var Roles = []Role{Admin, Coordinator, ImprovementLead, Leadership, Unit, Municipality, Auditor}

// ParseRole returns the role named s.
func ParseRole(s string) (Role, bool) {
	for _, r := range Roles {
		if string(r) == s {
			return r, true
		}
	}
	return "", false
}

// Permission says who may use a route or an operation. Admin holds every
// permission; anonymous users only Public ones.
type Permission struct {
	// Name identifies the permission in route listings and tests.
	Name string
	// Public admits everyone, signed in or not.
	Public bool
	// Authenticated admits every signed-in user.
	Authenticated bool
	// Roles admits signed-in users holding any of these roles.
	Roles []Role
}

// Common permissions of the platform. Features declare their own.
var (
	// Public pages: login, health checks, static files.
	Public = Permission{Name: "public", Public: true}
	// SignedIn admits any signed-in user: start page, own account.
	SignedIn = Permission{Name: "signed_in", Authenticated: true}
	// AdminOnly admits administrators: user management.
	AdminOnly = Permission{Name: "admin", Roles: []Role{Admin}}
	// AuditRead admits those who read the audit log.
	AuditRead = Permission{Name: "audit.read", Roles: []Role{Admin, Auditor}}
)

// Principal is who makes a request. The zero value is anonymous.
type Principal struct {
	UserID   int64
	Username string
	Name     string
	Roles    []Role
}

// Anonymous reports whether nobody is signed in.
func (p Principal) Anonymous() bool { return p.UserID == 0 }

// Has reports whether p holds role r.
func (p Principal) Has(r Role) bool { return slices.Contains(p.Roles, r) }

// Can reports whether p holds permission perm.
func (p Principal) Can(perm Permission) bool {
	if perm.Public {
		return true
	}
	if p.Anonymous() {
		return false
	}
	if perm.Authenticated || p.Has(Admin) {
		return true
	}
	for _, r := range perm.Roles {
		if p.Has(r) {
			return true
		}
	}
	return false
}

type ctxKey struct{}

// With returns ctx carrying p.
func With(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// From returns the principal in ctx, anonymous if none.
func From(ctx context.Context) Principal {
	p, _ := ctx.Value(ctxKey{}).(Principal)
	return p
}
