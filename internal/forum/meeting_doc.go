package forum

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/i18n"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/ical"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/web"
)

// DocSection is one section of an agenda or minutes: a numbered item with
// its paragraphs.
type DocSection struct {
	Heading    string
	Paragraphs []string
}

// MeetingText is the content of a meeting's agenda or minutes in the
// region's plain layout: a title, the forum, facts about the meeting as
// label–value pairs, one section per agenda item, and closing lines.
type MeetingText struct {
	Title    string
	Forum    string
	Facts    [][2]string
	Sections []DocSection
	Closing  []string
	Signers  [][2]string // role and name of those who sign the minutes
}

// String writes the text plainly, for tests and as a fallback.
func (t MeetingText) String() string {
	var b strings.Builder
	b.WriteString(t.Title + "\n" + t.Forum + "\n\n")
	for _, f := range t.Facts {
		b.WriteString(f[0] + ": " + f[1] + "\n")
	}
	for _, s := range t.Sections {
		b.WriteString("\n" + s.Heading + "\n")
		for _, p := range s.Paragraphs {
			b.WriteString(p + "\n")
		}
	}
	if len(t.Closing) > 0 {
		b.WriteString("\n")
		for _, c := range t.Closing {
			b.WriteString(c + "\n")
		}
	}
	for _, sg := range t.Signers {
		b.WriteString("\n______________________\n" + sg[1] + ", " + sg[0] + "\n")
	}
	return b.String()
}

// MeetingRecord is everything the agenda and minutes of a meeting show.
type MeetingRecord struct {
	Meeting Meeting
	Items   []AgendaItem
	Sheet   []AttendanceLine
	Cases   map[int64]AgendaCase
	Region  string // the home region's name, for the document header
}

// MeetingRecord gathers a meeting with its agenda, attendance and the cases
// its items handle.
func (s *Service) MeetingRecord(ctx context.Context, id int64) (MeetingRecord, error) {
	m, err := findMeeting(ctx, s.db, id)
	if err != nil {
		return MeetingRecord{}, err
	}
	rec := MeetingRecord{Meeting: m, Cases: map[int64]AgendaCase{}}
	if rec.Region, err = homeRegionName(ctx, s.db); err != nil {
		return MeetingRecord{}, err
	}
	if rec.Items, err = listAgendaItems(ctx, s.db, id); err != nil {
		return MeetingRecord{}, err
	}
	if rec.Sheet, err = s.AttendanceSheet(ctx, id); err != nil {
		return MeetingRecord{}, err
	}
	for _, it := range rec.Items {
		if it.CaseID == 0 {
			continue
		}
		cs, err := listAgendaCases(ctx, s.db, it.CaseID)
		if err != nil {
			return MeetingRecord{}, err
		}
		for _, c := range cs {
			if c.ID == it.CaseID {
				rec.Cases[c.ID] = c
			}
		}
	}
	return rec, nil
}

// translate is a catalogue lookup in one language.
type translate func(key string, args ...any) string

// paragraphs splits a text into its non-empty lines.
func paragraphs(s string) []string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// meetingFacts are the when, where and what of a meeting.
func meetingFacts(rec MeetingRecord, tr translate, loc i18n.Locale) [][2]string {
	m := rec.Meeting
	facts := [][2]string{{tr("forum.meeting.when"), i18n.FormatDateTime(loc, m.StartsAt) + "–" + m.EndClock()}}
	if m.Title != "" {
		facts = append(facts, [2]string{tr("forum.meeting.title"), m.Title})
	}
	if m.Place != "" {
		facts = append(facts, [2]string{tr("forum.meeting.place"), m.Place})
	}
	if m.Link != "" {
		facts = append(facts, [2]string{tr("forum.meeting.link"), m.Link})
	}
	return facts
}

func itemHeading(it AgendaItem) string { return "§ " + strconv.Itoa(it.Position) + " " + it.Title }

// AgendaText is the agenda (dagordning) of a meeting.
func AgendaText(rec MeetingRecord, tr translate, loc i18n.Locale) MeetingText {
	t := MeetingText{Title: tr("forum.doc.agenda"), Forum: rec.Meeting.ForumName, Facts: meetingFacts(rec, tr, loc)}
	for _, it := range rec.Items {
		s := DocSection{Heading: itemHeading(it), Paragraphs: paragraphs(it.Description)}
		if it.Presenter != "" {
			s.Paragraphs = append(s.Paragraphs, tr("forum.agenda.presenter")+": "+it.Presenter)
		}
		if c, ok := rec.Cases[it.CaseID]; ok {
			s.Paragraphs = append(s.Paragraphs, tr("forum.agenda.case")+": "+c.Number+" "+c.Title)
		}
		t.Sections = append(t.Sections, s)
	}
	if len(t.Sections) == 0 {
		t.Closing = []string{tr("forum.agenda.none")}
	}
	return t
}

// MinutesText is the minutes (protokoll) of a meeting: attendance, the
// minutes of each item and whether they are approved.
func MinutesText(rec MeetingRecord, tr translate, loc i18n.Locale) MeetingText {
	m := rec.Meeting
	t := MeetingText{Title: tr("forum.doc.minutes"), Forum: m.ForumName, Facts: meetingFacts(rec, tr, loc)}
	byStatus := map[Presence][]string{}
	for _, l := range rec.Sheet {
		if l.Status != "" {
			name := l.Name
			if l.Role != "" {
				name += " (" + strings.ToLower(tr("org.role."+l.Role)) + ")"
			}
			if l.Note != "" {
				name += " – " + l.Note
			}
			byStatus[l.Status] = append(byStatus[l.Status], name)
		}
	}
	for _, p := range Presences {
		if names := byStatus[p]; len(names) > 0 {
			t.Facts = append(t.Facts, [2]string{tr("forum.presence." + string(p)), strings.Join(names, "; ")})
		}
	}
	if m.Adjusters != "" {
		t.Facts = append(t.Facts, [2]string{tr("forum.meeting.adjusters"), m.Adjusters})
	}
	for _, it := range rec.Items {
		s := DocSection{Heading: itemHeading(it)}
		if c, ok := rec.Cases[it.CaseID]; ok {
			s.Paragraphs = append(s.Paragraphs, tr("forum.agenda.case")+": "+c.Number+" "+c.Title)
		}
		if ps := paragraphs(it.Minutes); len(ps) > 0 {
			s.Paragraphs = append(s.Paragraphs, ps...)
		} else {
			s.Paragraphs = append(s.Paragraphs, tr("forum.agenda.no_minutes"))
		}
		t.Sections = append(t.Sections, s)
	}
	if m.Locked() {
		t.Closing = []string{tr("forum.doc.approved", "date", i18n.FormatDate(loc, m.ApprovedAt), "name", m.ApprovedBy)}
	} else {
		t.Closing = []string{tr("forum.doc.not_approved")}
	}
	for _, role := range []string{"chair", "secretary"} {
		for _, l := range rec.Sheet {
			if l.Role == role && (l.Status == Present || l.Status == "") {
				t.Signers = append(t.Signers, [2]string{tr("org.role." + role), l.Name})
				break
			}
		}
	}
	for _, a := range strings.Split(m.Adjusters, ",") {
		if a = strings.TrimSpace(a); a != "" {
			t.Signers = append(t.Signers, [2]string{tr("forum.doc.adjuster"), a})
		}
	}
	return t
}

// docFormats tells whether the agenda and minutes are offered as DOCX and PDF.
const docFormats = true

// meetingDocRoutes adds the meeting's calendar file and its agenda and
// minutes as documents.
func (h *handler) meetingDocRoutes(s *web.Server) {
	s.Handle("GET /moten/{id}/kalender.ics", Read, h.meetingICS)
	s.Handle("GET /moten/{id}/dagordning.docx", Read, h.meetingDoc(AgendaText, "dagordning", doc.ServeDOCX, ".docx"))
	s.Handle("GET /moten/{id}/dagordning.pdf", Read, h.meetingDoc(AgendaText, "dagordning", doc.ServePDF, ".pdf"))
	s.Handle("GET /moten/{id}/protokoll.docx", Read, h.meetingDoc(MinutesText, "protokoll", doc.ServeDOCX, ".docx"))
	s.Handle("GET /moten/{id}/protokoll.pdf", Read, h.meetingDoc(MinutesText, "protokoll", doc.ServePDF, ".pdf"))
}

// MeetingDocument lays out an agenda or minutes in the region's plain
// layout for the DOCX and PDF writers.
func MeetingDocument(rec MeetingRecord, t MeetingText, tr translate, loc i18n.Locale) doc.Document {
	d := doc.Document{
		Organisation: rec.Region,
		Title:        t.Title,
		Subtitle:     t.Forum + ", " + i18n.FormatDate(loc, rec.Meeting.StartsAt),
		Lang:         "sv-SE",
		PageLabel:    tr("forum.doc.page_label", "page", "{page}", "pages", "{pages}"),
		Created:      rec.Meeting.ApprovedAt,
	}
	if loc == i18n.EN {
		d.Lang = "en-GB"
	}
	for _, f := range t.Facts {
		d.Meta = append(d.Meta, doc.KeyValue{Key: f[0], Value: f[1]})
	}
	for _, s := range t.Sections {
		d.Blocks = append(d.Blocks, doc.Heading{Level: 1, Text: s.Heading})
		for _, p := range s.Paragraphs {
			d.Blocks = append(d.Blocks, doc.Paragraph{Text: p})
		}
	}
	for _, c := range t.Closing {
		d.Blocks = append(d.Blocks, doc.Paragraph{Text: c})
	}
	if len(t.Signers) > 0 {
		sig := doc.Signatures{Title: tr("forum.doc.signatures")}
		for _, sg := range t.Signers {
			sig.Signers = append(sig.Signers, doc.Signer{Role: sg[0], Name: sg[1]})
		}
		d.Blocks = append(d.Blocks, sig)
	}
	return d
}

// meetingDoc serves a meeting's agenda or minutes, made by text, with serve.
func (h *handler) meetingDoc(text func(MeetingRecord, translate, i18n.Locale) MeetingText, kind string,
	serve func(http.ResponseWriter, string, doc.Document) error, ext string) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		rec, err := h.svc.MeetingRecord(r.Context(), id)
		if err != nil {
			return err
		}
		loc := web.LocaleFrom(r.Context())
		tr := func(key string, args ...any) string { return h.t(r, key, args...) }
		return serve(w, meetingFileName(rec.Meeting, kind)+ext, MeetingDocument(rec, text(rec, tr, loc), tr, loc))
	}
}

// siteURL is the scheme and host the request came to, for absolute links.
func siteURL(r *http.Request) (base, host string) {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	host = r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return scheme + "://" + r.Host, host
}

// meetingFileName is a meeting's file name stem: forum and day, e.g.
// "HSL-2026-03-12".
func meetingFileName(m Meeting, kind string) string {
	name := strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '/' || r == '\\':
			return '-'
		case r < 0x20:
			return -1
		}
		return r
	}, m.ForumName)
	return kind + "-" + name + "-" + m.StartsAt.In(i18n.Stockholm()).Format(time.DateOnly)
}

// MeetingEvent is a meeting as a calendar event, with its page at base.
func MeetingEvent(rec MeetingRecord, base, host string, tr translate) ical.Event {
	m := rec.Meeting
	summary := m.ForumName
	if m.Title != "" {
		summary += ": " + m.Title
	}
	var desc []string
	for _, it := range rec.Items {
		desc = append(desc, itemHeading(it))
	}
	if m.Link != "" {
		desc = append(desc, tr("forum.meeting.link")+": "+m.Link)
	}
	loc := m.Place
	if loc == "" {
		loc = m.Link
	}
	e := ical.Event{
		UID: ical.UID("meeting", m.ID, host), Sequence: m.Version, Start: m.StartsAt, End: m.EndsAt,
		Summary: summary, Location: loc, Description: strings.Join(desc, "\n"), URL: base + "/moten/" + strconv.FormatInt(m.ID, 10),
	}
	if m.Status == Cancelled {
		e.Status = ical.Cancelled
	}
	return e
}

func (h *handler) meetingICS(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	rec, err := h.svc.MeetingRecord(r.Context(), id)
	if err != nil {
		return err
	}
	base, host := siteURL(r)
	e := MeetingEvent(rec, base, host, func(key string, args ...any) string { return h.t(r, key, args...) })
	e.Stamp = h.svc.now()
	return ical.Serve(w, r, meetingFileName(rec.Meeting, "mote"), ical.Calendar{Events: []ical.Event{e}})
}
