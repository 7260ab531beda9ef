package doc

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Document is a text document in the region's plain layout, such as a
// meeting's agenda or minutes: a header line with the organisation on every
// page, a title and subtitle, a list of facts (time, place, who attended),
// the body as blocks, and page numbers in the footer. WriteDOCX and WritePDF
// write it; both give the same bytes for the same Document.
type Document struct {
	Organisation string     // the header line of every page, e.g. "Region Jämtland Härjedalen"
	Title        string     // e.g. "Protokoll"
	Subtitle     string     // e.g. the forum and the meeting's date
	Meta         []KeyValue // facts shown under the title, e.g. Tid, Plats, Närvarande
	Blocks       []Block

	// Lang is the document's language as a BCP 47 tag; empty is "sv-SE".
	Lang string
	// PageLabel is the footer text with {page} and {pages}; empty is
	// "Sida {page} av {pages}".
	PageLabel string
	// Created is when the document was made, written into its properties.
	// Zero leaves it out of a DOCX; a PDF then gets a fixed date, as its
	// format requires one, so the output never depends on the clock.
	Created time.Time
}

// KeyValue is one fact about a document: a label and its value. Newlines in
// the value are kept.
type KeyValue struct {
	Key, Value string
}

// Block is one part of a document's body: a Heading, Paragraph, BulletList,
// Table or Signatures.
type Block interface {
	block()
}

// Heading is a heading of level 1 (an agenda item) or 2 (a part of one).
type Heading struct {
	Level int
	Text  string
}

// Paragraph is plain text; newlines in it are kept as line breaks.
type Paragraph struct {
	Text string
}

// BulletList is a list of short items, each shown after a bullet.
type BulletList struct {
	Items []string
}

// Signatures is where minutes are signed: for each signer a line to sign on
// with the name and role beneath, two signers to a row.
type Signatures struct {
	Title   string // e.g. "Underskrifter"; empty for none
	Signers []Signer
}

// Signer is one person who signs: their role ("Ordförande", "Justerare",
// "Sekreterare") and name.
type Signer struct {
	Role, Name string
}

func (Heading) block()    {}
func (Paragraph) block()  {}
func (BulletList) block() {}
func (Signatures) block() {}

// A Table is a block too: its Title is the caption, its column headers the
// header row (repeated on every page it spans), its rows and footer the body.
func (Table) block() {}

func (d Document) lang() string {
	if d.Lang == "" {
		return "sv-SE"
	}
	return d.Lang
}

// pageLabel splits the footer text around its {page} and {pages} fields: the parts are
// text, "{page}" or "{pages}".
func (d Document) pageLabel() []string {
	label := d.PageLabel
	if label == "" {
		label = "Sida {page} av {pages}"
	}
	var parts []string
	for label != "" {
		i := strings.Index(label, "{page")
		if i < 0 {
			break
		}
		rest := label[i:]
		var field string
		switch {
		case strings.HasPrefix(rest, "{pages}"):
			field = "{pages}"
		case strings.HasPrefix(rest, "{page}"):
			field = "{page}"
		default:
			parts = append(parts, label[:i+1])
			label = label[i+1:]
			continue
		}
		if i > 0 {
			parts = append(parts, label[:i])
		}
		parts = append(parts, field)
		label = label[i+len(field):]
	}
	if label != "" {
		parts = append(parts, label)
	}
	return parts
}

// level is a heading's level, 1 or 2.
func (h Heading) level() int {
	if h.Level >= 2 {
		return 2
	}
	return 1
}

// cleanText drops the control characters that no document format can hold,
// keeping newlines and tabs, and turns CRLF into LF.
func cleanText(s string) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\r\n", "\n"), "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n' || r == '\t':
			return r
		case unicode.IsControl(r) || r == '\uFFFE' || r == '\uFFFF' || unicode.Is(unicode.Cs, r):
			return -1
		}
		return r
	}, s)
}

// displayText is a cell as a person reads it in a document: digits grouped
// with a no-break space, a decimal comma, "kr" after amounts, "%" after
// percentages and dates as YYYY-MM-DD.
func (c Cell) displayText() string {
	if c.empty() {
		return ""
	}
	switch c.Kind {
	case KindInt:
		return groupDigits(strconv.FormatInt(c.Int, 10))
	case KindMoney:
		return groupDigits(strconv.FormatInt(c.Int, 10)) + "\u00a0kr"
	case KindDecimal:
		return groupDigits(decimalComma(c.Float, c.Places))
	case KindPercent:
		return groupDigits(decimalComma(c.Float*100, c.Places)) + "\u00a0%"
	case KindDate:
		return c.Date.String()
	}
	return c.Text
}

// groupDigits puts a no-break space between groups of three digits of the
// whole part of a number written with a decimal comma.
func groupDigits(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ",")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		return sign + b.String() + "," + frac
	}
	return sign + b.String()
}

// isNumeric reports whether a cell is a number, which is aligned right.
func (c Cell) isNumeric() bool {
	return c.Kind == KindInt || c.Kind == KindMoney || c.Kind == KindDecimal || c.Kind == KindPercent
}
