// Package auth holds Kunskapsnav's local accounts: users and their roles,
// argon2id password hashing, login with throttling, sessions stored in the
// database (so every app node shares them), personal API tokens stored hashed,
// and the middleware that turns a session cookie or a Bearer token into the
// request's access.Principal.
package auth
