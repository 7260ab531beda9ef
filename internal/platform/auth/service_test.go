package auth_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/access"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/audit"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/auth"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/db"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/dbtest"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/errs"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// clock is a test clock that only moves when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newService(d *db.DB) (*auth.Service, *audit.Log, *clock) {
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	log := audit.New(c.Now)
	return auth.NewService(d, log, c.Now, auth.Throttle{Window: 15 * time.Minute, UserFailures: 3, AddrFailures: 10, Lock: 15 * time.Minute}), log, c
}

func cliCtx() context.Context { return audit.WithSystemActor(context.Background(), "test") }

func mustCreate(t *testing.T, s *auth.Service, username string, roles ...access.Role) auth.User {
	t.Helper()
	u, err := s.CreateUser(cliCtx(), auth.NewUser{Username: username, DisplayName: strings.ToUpper(username), Password: "ett långt lösenord", Roles: roles})
	if err != nil {
		t.Fatalf("create %s: %v", username, err)
	}
	return u
}

func TestPassword_HashAndCheck(t *testing.T) {
	t.Parallel()
	h, err := auth.HashPassword("korrekt häst batteri")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") {
		t.Fatalf("hash %q is not argon2id", h)
	}
	h2, _ := auth.HashPassword("korrekt häst batteri")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
	for _, tt := range []struct {
		pw   string
		want bool
	}{{"korrekt häst batteri", true}, {"korrekt häst batteri ", false}, {"", false}} {
		ok, err := auth.CheckPassword(h, tt.pw)
		if err != nil || ok != tt.want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", tt.pw, ok, err, tt.want)
		}
	}
	for _, bad := range []string{"", "$argon2id$", "$bcrypt$x$y$z$w", "$argon2id$v=19$m=0,t=1,p=1$AAAA$AAAA"} {
		if _, err := auth.CheckPassword(bad, "x"); err == nil {
			t.Errorf("CheckPassword accepted malformed hash %q", bad)
		}
	}
}

func FuzzCheckPassword(f *testing.F) {
	h, _ := auth.HashPassword("seed")
	f.Add(h, "seed")
	f.Add("$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA", "x")
	f.Add("$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$aGFzaA", "x")
	f.Fuzz(func(t *testing.T, hash, pw string) {
		_, _ = auth.CheckPassword(hash, pw) // must never panic or run away
	})
}

func TestService_CreateUserValidates(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _, _ := newService(d)
		tests := []struct {
			name  string
			in    auth.NewUser
			field string
		}{
			{"bad username", auth.NewUser{Username: "A B", DisplayName: "x", Password: "ett långt lösenord"}, "username"},
			{"no name", auth.NewUser{Username: "anna", Password: "ett långt lösenord"}, "display_name"},
			{"short password", auth.NewUser{Username: "anna", DisplayName: "Anna", Password: "kort"}, "password"},
			{"password is username", auth.NewUser{Username: "annaandersson", DisplayName: "Anna", Password: "AnnaAndersson"}, "password"},
			{"bad email", auth.NewUser{Username: "anna", DisplayName: "Anna", Email: "inte en adress", Password: "ett långt lösenord"}, "email"},
			{"bad role", auth.NewUser{Username: "anna", DisplayName: "Anna", Password: "ett långt lösenord", Roles: []access.Role{"kung"}}, "roles"},
		}
		for _, tt := range tests {
			_, err := s.CreateUser(cliCtx(), tt.in)
			v, ok := errs.AsValidation(err)
			if !ok || !v.Has(tt.field) {
				t.Errorf("%s: got %v, want a problem with %s", tt.name, err, tt.field)
			}
		}
		mustCreate(t, s, "anna", access.Coordinator)
		_, err := s.CreateUser(cliCtx(), auth.NewUser{Username: "ANNA", DisplayName: "Anna 2", Password: "ett långt lösenord"})
		if v, ok := errs.AsValidation(err); !ok || !v.Has("username") {
			t.Errorf("duplicate username: got %v", err)
		}
	})
}

func TestService_AuthenticateNeverTellsWhetherUserExists(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _, _ := newService(d)
		mustCreate(t, s, "bo", access.Unit)
		ctx := context.Background()
		_, errWrongPw := s.Authenticate(ctx, "bo", "fel lösenord!!", "10.0.0.1")
		_, errNoUser := s.Authenticate(ctx, "ingen", "fel lösenord!!", "10.0.0.1")
		if !errors.Is(errWrongPw, auth.ErrBadCredentials) || !errors.Is(errNoUser, auth.ErrBadCredentials) || errWrongPw.Error() != errNoUser.Error() {
			t.Fatalf("wrong password → %v; unknown user → %v; want the same ErrBadCredentials", errWrongPw, errNoUser)
		}
		u, err := s.Authenticate(ctx, " BO ", "ett långt lösenord", "10.0.0.1")
		if err != nil || u.Username != "bo" || !u.Principal().Has(access.Unit) {
			t.Fatalf("good login: %+v, %v", u, err)
		}
	})
}

func TestService_LoginThrottleLocksAndExpires(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _, c := newService(d)
		mustCreate(t, s, "cia")
		ctx := context.Background()
		for i := 0; i < 3; i++ {
			if _, err := s.Authenticate(ctx, "cia", "fel lösenord!!", "10.0.0.2"); !errors.Is(err, auth.ErrBadCredentials) {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		// Locked now, even with the right password, and for unknown users alike.
		if _, err := s.Authenticate(ctx, "cia", "ett långt lösenord", "10.0.0.2"); !errors.Is(err, auth.ErrThrottled) {
			t.Fatalf("after 3 failures: %v, want ErrThrottled", err)
		}
		c.Add(16 * time.Minute)
		if _, err := s.Authenticate(ctx, "cia", "ett långt lösenord", "10.0.0.2"); err != nil {
			t.Fatalf("after the lock expired: %v", err)
		}
	})
}

func TestService_ChangePasswordNeedsCurrent(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _, _ := newService(d)
		u := mustCreate(t, s, "dan")
		ctx := access.With(context.Background(), u.Principal())
		err := s.ChangePassword(ctx, u.ID, "fel", "ett nytt långt lösenord")
		if v, ok := errs.AsValidation(err); !ok || !v.Has("current") {
			t.Fatalf("wrong current password: %v", err)
		}
		if err := s.ChangePassword(ctx, u.ID, "ett långt lösenord", "ett nytt långt lösenord"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, "dan", "ett nytt långt lösenord", "x"); err != nil {
			t.Fatalf("login with new password: %v", err)
		}
	})
}

func TestService_TokensAuthenticateUntilDeletedOrExpired(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _, c := newService(d)
		u := mustCreate(t, s, "eva", access.Auditor)
		ctx := access.With(context.Background(), u.Principal())
		secret, tok, err := s.CreateToken(ctx, u.ID, auth.NewToken{Name: "rapportrobot"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, tok.Prefix) || !strings.HasPrefix(secret, "kn_") {
			t.Fatalf("secret %q does not start with prefix %q", secret, tok.Prefix)
		}
		got, err := s.UserByToken(ctx, secret)
		if err != nil || got.ID != u.ID {
			t.Fatalf("UserByToken = %+v, %v", got, err)
		}
		if _, err := s.UserByToken(ctx, secret+"x"); !errors.Is(err, errs.ErrUnauthenticated) {
			t.Fatalf("wrong secret: %v", err)
		}
		exp := c.Now().Add(time.Hour)
		short, _, err := s.CreateToken(ctx, u.ID, auth.NewToken{Name: "kort", ExpiresAt: &exp})
		if err != nil {
			t.Fatal(err)
		}
		c.Add(2 * time.Hour)
		if _, err := s.UserByToken(ctx, short); !errors.Is(err, errs.ErrUnauthenticated) {
			t.Fatalf("expired token: %v", err)
		}
		if err := s.DeleteToken(ctx, u.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UserByToken(ctx, secret); !errors.Is(err, errs.ErrUnauthenticated) {
			t.Fatalf("deleted token: %v", err)
		}
		other := mustCreate(t, s, "fia")
		if err := s.DeleteToken(ctx, other.ID, tok.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("deleting someone else's token: %v", err)
		}
	})
}

func TestService_ConcurrentProfileEditsConflict(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _, _ := newService(d)
		u := mustCreate(t, s, "gun")
		first, second := u, u
		first.DisplayName = "Gun A"
		second.DisplayName = "Gun B"
		if _, err := s.UpdateProfile(cliCtx(), first); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateProfile(cliCtx(), second); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("stale edit: %v, want ErrConflict", err)
		}
	})
}

func TestService_EveryChangeIsAudited(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, log, _ := newService(d)
		u := mustCreate(t, s, "hans", access.Unit)
		ctx := access.With(context.Background(), u.Principal())
		if _, err := s.Grant(cliCtx(), "hans", access.Leadership); err != nil {
			t.Fatal(err)
		}
		if err := s.SetPassword(cliCtx(), "hans", "ännu ett långt lösenord"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.CreateToken(ctx, u.ID, auth.NewToken{Name: "x"}); err != nil {
			t.Fatal(err)
		}
		entries, _, err := log.List(context.Background(), d, audit.Filter{}, audit.Page{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, e.ActorName+" "+string(e.Action)+" "+e.Entity)
			if strings.Contains(string(e.Before)+string(e.After), "argon2") || strings.Contains(string(e.After), "kn_") && e.Entity == "api_token" && strings.Contains(string(e.After), "token_hash") {
				t.Errorf("audit entry %d leaks a secret: %s %s", e.ID, e.Before, e.After)
			}
		}
		want := []string{"hans create api_token", "test update user", "test update user", "test create user"}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("audit = %q, want %q", got, want)
		}
		roles, _ := s.User(context.Background(), u.ID)
		if !roles.Principal().Has(access.Leadership) || !roles.Principal().Has(access.Unit) {
			t.Fatalf("roles after grant: %v", roles.Roles)
		}
	})
}
