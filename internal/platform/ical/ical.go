package ical

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
)

// ProdID names the program that wrote a calendar.
const ProdID = "-//Kunskapsnav//Kunskapsnav//SV"

// ContentType is the media type of an iCalendar file.
const ContentType = "text/calendar; charset=utf-8"

// Status is whether an event takes place.
type Status string

// The statuses of an event; the zero Status is Confirmed.
const (
	Confirmed Status = "CONFIRMED"
	Cancelled Status = "CANCELLED"
)

// Event is one calendar event. Times are written in UTC.
type Event struct {
	UID         string    // stable and unique, see UID
	Sequence    int64     // the revision: the record's version
	Stamp       time.Time // when the file was made (DTSTAMP); zero means Start
	Start, End  time.Time // End must not be before Start
	Summary     string
	Location    string
	Description string // plain text; newlines are kept
	URL         string // the event's page, absolute
	Status      Status
}

// Calendar is a set of events.
type Calendar struct {
	Events []Event
}

// UID makes a stable, unique event id for record id of a kind on host, such
// as "meeting-12@kunskapsnav.example".
func UID(kind string, id int64, host string) string {
	if host == "" {
		host = "kunskapsnav"
	}
	return kind + "-" + strconv.FormatInt(id, 10) + "@" + host
}

// Write writes cal as an iCalendar file: CRLF line ends, lines folded at 75
// octets without splitting a UTF-8 character, and text escaped.
func Write(w io.Writer, cal Calendar) error {
	c := ics.NewCalendarFor("Kunskapsnav")
	c.SetProductId(ProdID)
	c.SetMethod(ics.MethodPublish)
	for i, e := range cal.Events {
		if err := e.validate(); err != nil {
			return fmt.Errorf("write calendar: event %d: %w", i+1, err)
		}
		addEvent(c, e)
	}
	if err := c.SerializeTo(w, ics.WithNewLineWindows); err != nil {
		return fmt.Errorf("write calendar: %w", err)
	}
	return nil
}

func (e Event) validate() error {
	switch {
	case strings.TrimSpace(e.UID) == "" || strings.ContainsFunc(e.UID, unicode.IsControl):
		return errors.New("no usable UID")
	case e.Start.IsZero():
		return errors.New("no start")
	case !e.End.IsZero() && e.End.Before(e.Start):
		return errors.New("ends before it starts")
	case e.Status != "" && e.Status != Confirmed && e.Status != Cancelled:
		return fmt.Errorf("unknown status %q", e.Status)
	}
	return nil
}

func addEvent(c *ics.Calendar, e Event) {
	v := c.AddEvent(e.UID)
	stamp := e.Stamp
	if stamp.IsZero() {
		stamp = e.Start
	}
	v.SetDtStampTime(stamp)
	v.SetSequence(int(e.Sequence))
	v.SetStartAt(e.Start)
	if !e.End.IsZero() {
		v.SetEndAt(e.End)
	}
	v.SetSummary(Clean(e.Summary))
	if s := Clean(e.Location); s != "" {
		v.SetLocation(s)
	}
	if s := Clean(e.Description); s != "" {
		v.SetDescription(s)
	}
	// A URL is not escaped like text; one with spaces or breaks is no URI.
	if s := Clean(e.URL); s != "" && !strings.ContainsAny(s, " \t\n") {
		v.SetURL(s)
	}
	status := e.Status
	if status == "" {
		status = Confirmed
	}
	v.SetStatus(ics.ObjectStatus(status))
}

// Clean makes s fit for an iCalendar TEXT value: valid UTF-8, line ends
// as "\n" (which is escaped when written), and no control characters but
// tabs, which RFC 5545 does not allow in text.
func Clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n' || r == '\t':
			return r
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

// Serve answers with cal as a calendar file named filename, written in full
// before anything is sent so a failure can still become an error page.
func Serve(w http.ResponseWriter, r *http.Request, filename string, cal Calendar) error {
	var buf bytes.Buffer
	if err := Write(&buf, cal); err != nil {
		return err
	}
	if !strings.HasSuffix(strings.ToLower(filename), ".ics") {
		filename += ".ics"
	}
	doc.SetDownload(w.Header(), ContentType, filename)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	_, err := buf.WriteTo(w)
	return err
}
