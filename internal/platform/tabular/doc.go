// Package tabular reads a table from an uploaded file, CSV (semicolon, comma or
// tab separated, UTF-8 with or without BOM) or XLSX (the first sheet), telling
// the formats apart by content. It returns the header and every non-blank row
// numbered as a spreadsheet shows it, so an import can report problems as
// (row, column, reason) with RowError and Errors. It reads what the exports of
// platform/doc write, so an export imports again unchanged.
package tabular
