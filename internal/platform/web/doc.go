// Package web is the HTTP shell every feature shares: the router where each route
// declares its permission, the middleware chain (recovery, request id, logging,
// security headers, cross-origin protection, body limits, locale), server-side
// rendering in the one accessible layout with the message catalogue, forms with
// an error summary, flash messages, error pages and embedded static assets.
package web
