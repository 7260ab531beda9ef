// Package doc writes documents that features hand to people: tabular exports
// as CSV (UTF-8 with byte order mark, semicolons and decimal comma, which
// Swedish Excel opens as it should, with spreadsheet formulas defused) and as
// XLSX (bold frozen header, column widths, numbers stored as numbers with
// Swedish-friendly formats). A feature builds a Table of typed cells once and
// serves it in either format with ServeCSV or ServeXLSX.
package doc
