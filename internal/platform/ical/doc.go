// Package ical writes iCalendar files (RFC 5545) of events, such as a
// meeting a person adds to their calendar from its page. Each event keeps a
// stable UID and a SEQUENCE taken from the record's version, so a calendar
// program updates the event it imported before instead of adding another.
// The serialization (text escaping, CRLF, folding at 75 octets) is done by
// github.com/arran4/golang-ical; this package cleans the text it is given.
package ical
