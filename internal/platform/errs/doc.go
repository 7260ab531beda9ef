// Package errs is Kunskapsnav's one error vocabulary. Stores and services return
// errors that wrap one of its sentinels or an *Invalid with field errors; the web
// and API edges ask KindOf for the kind and map it to an HTTP status and a
// message-catalogue key, so internals never reach the user and every feature
// reports failures the same way.
package errs
