// Package api is the JSON API under /api/v1: operations registered with huma on
// the standard mux, each declaring its permission like every page route, an
// OpenAPI 3.1 document generated from the Go types at /api/v1/openapi.json,
// errors as RFC 9457 problem+json carrying the request id, and opaque cursors
// for pagination.
package api
