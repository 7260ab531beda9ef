// Package app wires Kunskapsnav together: configuration → database and
// migrations → platform services → features → one http.Handler, plus the
// command-line interface (serve, migrate, user, version), demo data and graceful
// shutdown. It is the only package that imports every feature.
package app
