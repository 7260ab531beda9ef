// Package doc writes documents that features hand to people: tabular exports
// as CSV (UTF-8 with byte order mark, semicolons and decimal comma, which
// Swedish Excel opens as it should, with spreadsheet formulas defused) and as
// XLSX (bold frozen header, column widths, numbers stored as numbers with
// Swedish-friendly formats). A feature builds a Table of typed cells once and
// serves it in either format with ServeCSV or ServeXLSX.
//
// Text documents such as agendas and minutes are a Document of blocks
// (headings, paragraphs, bullet lists, tables, signatures) in the region's
// plain layout, written as DOCX by our own small WordprocessingML writer
// (no Go library for it is well kept) or as PDF with go-pdf/fpdf, and served
// with ServeDOCX or ServePDF. Both writers are deterministic, so their output
// is checked against golden files, and a test opens them in LibreOffice.
package doc
