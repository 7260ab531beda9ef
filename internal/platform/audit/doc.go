// Package audit is the append-only log of every change in Kunskapsnav: who, when,
// what (entity, id, action) and the values before and after. Services call
// Record inside the transaction that makes the change, so a change and its audit
// record are committed together or not at all. Admins and auditors read the log
// through a filterable page, a CSV export and the API.
package audit
