// Package dbtest gives every storage and service test a fresh, migrated database
// on each engine: SQLite in a temporary file, and PostgreSQL on a real server
// started from the installed binaries in a temporary directory once per test
// binary (or the server named by KUNSKAPSNAV_TEST_POSTGRES_URL). Packages that use
// it call dbtest.Main from TestMain so the server is stopped at the end. Tests that
// share costly starting data (the app's demo) seed it once per engine with
// OpenSeeded, EachSeeded or Seed and each get a copy.
package dbtest
