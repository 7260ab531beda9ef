package doc

import (
	"bytes"
	"mime"
	"net/http"
	"strconv"
)

// The media types of the exports.
const (
	ContentTypeCSV  = "text/csv; charset=utf-8"
	ContentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// ServeCSV answers with t as a CSV download named filename. The file is
// written in full before anything is sent, so a failure can still become an
// error page.
func ServeCSV(w http.ResponseWriter, filename string, t Table) error {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, t); err != nil {
		return err
	}
	return serve(w, ContentTypeCSV, filename, &buf)
}

// ServeXLSX answers with the tables as an XLSX download named filename.
func ServeXLSX(w http.ResponseWriter, filename string, tables ...Table) error {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, tables...); err != nil {
		return err
	}
	return serve(w, ContentTypeXLSX, filename, &buf)
}

func serve(w http.ResponseWriter, contentType, filename string, buf *bytes.Buffer) error {
	SetDownload(w.Header(), contentType, filename)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, err := buf.WriteTo(w)
	return err
}

// SetDownload sets the headers of a file download: its type, a
// Content-Disposition naming the file (RFC 6266, non-ASCII names as
// filename*), and no caching, as exports hold the organisation's data.
func SetDownload(h http.Header, contentType, filename string) {
	h.Set("Content-Type", contentType)
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": filename})
	if disposition == "" {
		disposition = "attachment"
	}
	h.Set("Content-Disposition", disposition)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
}

// ServeDOCX answers with d as a Word document named filename.
func ServeDOCX(w http.ResponseWriter, filename string, d Document) error {
	var buf bytes.Buffer
	if err := WriteDOCX(&buf, d); err != nil {
		return err
	}
	return serve(w, ContentTypeDOCX, filename, &buf)
}

// ServePDF answers with d as a PDF document named filename.
func ServePDF(w http.ResponseWriter, filename string, d Document) error {
	var buf bytes.Buffer
	if err := WritePDF(&buf, d); err != nil {
		return err
	}
	return serve(w, ContentTypePDF, filename, &buf)
}
