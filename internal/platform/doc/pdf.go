package doc

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"
)

// ContentTypePDF is the media type of a PDF document.
const ContentTypePDF = "application/pdf"

// Page geometry of a PDF in millimetres: A4 with a header and a footer line.
const (
	pdfMarginX  = 22.0
	pdfTop      = 25.0
	pdfBottom   = 22.0
	pdfBody     = 10.5 // font size of the text in points
	pdfLine     = 5.2  // line height of the text
	pdfCellPad  = 1.2  // space above and below the text in a table cell
	pdfMetaKeyW = 40.0
)

// WritePDF writes d as a PDF: A4, the organisation in a header line and
// "Sida 1 av 2" (d.PageLabel) in the footer of every page, tables whose
// header row repeats after a page break and whose cells wrap. It uses the
// standard Helvetica font, which holds the Western European letters
// (Windows-1252: å ä ö é – and the like); other characters are shown as dots.
func WritePDF(w io.Writer, d Document) error {
	// The footer needs the number of pages, so the document is laid out
	// twice: once to count them, once to write it.
	count, err := layoutPDF(d, 0)
	if err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	pdf, err := layoutPDF(d, count.PageCount())
	if err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

type pdfWriter struct {
	f     *fpdf.Fpdf
	tr    func(string) string
	width float64 // of the text area
	limit float64 // the lowest y text may reach
	pages int     // the total for the footer
	label []string
}

func layoutPDF(d Document, pages int) (*fpdf.Fpdf, error) {
	f := fpdf.New("P", "mm", "A4", "")
	pageW, pageH := f.GetPageSize()
	p := &pdfWriter{f: f, tr: f.UnicodeTranslatorFromDescriptor("cp1252"), width: pageW - 2*pdfMarginX,
		limit: pageH - pdfBottom, pages: pages, label: d.pageLabel()}
	created := d.Created
	if created.IsZero() {
		created = zipTime
	}
	f.SetCreationDate(created.UTC())
	f.SetModificationDate(created.UTC())
	f.SetCatalogSort(true)
	f.SetTitle(oneLine(d.Title), true)
	f.SetSubject(oneLine(d.Subtitle), true)
	f.SetAuthor(oneLine(d.Organisation), true)
	f.SetCreator("Kunskapsnav", true)
	f.SetLang(d.lang())
	f.SetMargins(pdfMarginX, pdfTop, pdfMarginX)
	f.SetAutoPageBreak(false, pdfBottom)
	f.SetHeaderFunc(func() { p.header(d.Organisation) })
	f.SetFooterFunc(p.footer)
	f.AddPage()

	p.font("B", 20)
	p.lines(d.Title, 0, p.width, 9, "L")
	if d.Subtitle != "" {
		p.font("", 13)
		p.lines(d.Subtitle, 0, p.width, 6.5, "L")
	}
	p.space(4)
	if len(d.Meta) > 0 {
		p.meta(d.Meta)
	}
	for _, b := range d.Blocks {
		switch b := b.(type) {
		case Heading:
			p.heading(b)
		case Paragraph:
			p.font("", pdfBody)
			p.lines(b.Text, 0, p.width, pdfLine, "L")
			p.space(2)
		case BulletList:
			p.bullets(b)
		case Table:
			p.table(b)
		case Signatures:
			p.signatures(b)
		}
	}
	return f, f.Error()
}

// text prepares s for the Windows-1252 core font: clean, tabs as spaces, a
// few look-alikes for characters the code page lacks.
func (p *pdfWriter) text(s string) string {
	s = strings.NewReplacer("\t", "    ", "\u2212", "-", "\u2011", "-", "\u2010", "-", "\u00ad", "",
		"\u202f", "\u00a0", "\u2009", " ", "\u2007", "\u00a0").Replace(cleanText(s))
	return p.tr(s)
}

func (p *pdfWriter) font(style string, size float64) {
	p.f.SetFont("Helvetica", style, size)
}

func (p *pdfWriter) space(h float64) {
	if y := p.f.GetY() + h; y < p.limit {
		p.f.SetY(y)
	}
}

// split wraps s into lines that fit width w in the current font; an empty s
// is one empty line.
func (p *pdfWriter) split(s string, w float64) []string {
	lines := p.f.SplitLines([]byte(p.text(s)), w)
	if len(lines) == 0 {
		return []string{""}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = string(l)
	}
	return out
}

// lines writes s wrapped to width w at x (from the left margin), breaking
// the page where it must.
func (p *pdfWriter) lines(s string, x, w, lh float64, align string) {
	for _, line := range p.split(s, w) {
		p.ensure(lh)
		p.f.SetX(pdfMarginX + x)
		p.f.CellFormat(w, lh, line, "", 1, align, false, 0, "")
	}
}

// ensure starts a new page unless h more millimetres fit on this one.
func (p *pdfWriter) ensure(h float64) bool {
	if p.f.GetY()+h <= p.limit {
		return false
	}
	p.f.AddPage()
	return true
}

func (p *pdfWriter) header(org string) {
	p.f.SetY(12)
	p.font("", 9)
	p.f.SetTextColor(89, 89, 89)
	p.f.CellFormat(p.width, 5, p.text(oneLine(org)), "", 1, "L", false, 0, "")
	p.f.SetDrawColor(128, 128, 128)
	p.f.SetLineWidth(0.2)
	p.f.Line(pdfMarginX, 18, pdfMarginX+p.width, 18)
	p.f.SetTextColor(0, 0, 0)
	p.f.SetY(pdfTop)
}

func (p *pdfWriter) footer() {
	var b strings.Builder
	for _, part := range p.label {
		switch part {
		case "{page}":
			b.WriteString(strconv.Itoa(p.f.PageNo()))
		case "{pages}":
			b.WriteString(strconv.Itoa(max(p.pages, p.f.PageNo())))
		default:
			b.WriteString(part)
		}
	}
	_, pageH := p.f.GetPageSize()
	p.f.SetY(pageH - 15)
	p.font("", 9)
	p.f.SetTextColor(89, 89, 89)
	p.f.CellFormat(p.width, 5, p.text(b.String()), "", 0, "R", false, 0, "")
	p.f.SetTextColor(0, 0, 0)
}

func (p *pdfWriter) heading(h Heading) {
	size, lh, before := 15.0, 7.5, 5.0
	if h.level() == 2 {
		size, lh, before = 12.5, 6.5, 3.0
	}
	p.font("B", size)
	lines := p.split(h.Text, p.width)
	// Keep a heading with two lines of what follows it.
	if !p.ensure(before + float64(len(lines))*lh + 2*pdfLine) {
		p.space(before)
	}
	p.lines(h.Text, 0, p.width, lh, "L")
	p.space(1)
}

func (p *pdfWriter) bullets(b BulletList) {
	const indent = 6.0
	p.font("", pdfBody)
	for _, item := range b.Items {
		p.ensure(pdfLine)
		p.f.SetX(pdfMarginX + 1.5)
		p.f.CellFormat(indent-1.5, pdfLine, p.tr("•"), "", 0, "L", false, 0, "")
		y := p.f.GetY()
		for i, line := range p.split(item, p.width-indent) {
			if i > 0 {
				p.ensure(pdfLine)
				y = p.f.GetY()
			}
			p.f.SetXY(pdfMarginX+indent, y)
			p.f.CellFormat(p.width-indent, pdfLine, line, "", 1, "L", false, 0, "")
		}
		p.space(0.8)
	}
	p.space(2)
}

func (p *pdfWriter) meta(meta []KeyValue) {
	g := grid{widths: []float64{pdfMetaKeyW, p.width - pdfMetaKeyW}}
	for _, kv := range meta {
		g.rows = append(g.rows, []gridCell{{text: kv.Key, bold: true}, {text: kv.Value}})
	}
	p.grid(g)
	p.space(4)
}

func (p *pdfWriter) table(t Table) {
	if t.Title != "" {
		p.font("B", 9.5)
		p.ensure(5 + 3*pdfLine) // the caption with the table's first rows
		p.lines(t.Title, 0, p.width, 5, "L")
		p.space(1)
	}
	g := grid{borders: true}
	measure := func(s string, bold bool) float64 {
		p.setCellFont(gridCell{bold: bold})
		return p.f.GetStringWidth(p.text(s))
	}
	cMargin := 1.0 // fpdf's space inside a cell, left and right
	g.widths = columnWidths(t, p.width, measure, 2*cMargin+0.5)
	for _, c := range t.Columns {
		g.header = append(g.header, gridCell{text: c.Header, bold: true})
	}
	row := func(cells []Cell, bold bool) []gridCell {
		out := make([]gridCell, len(g.widths))
		for i := range out {
			if i < len(cells) {
				out[i] = gridCell{text: cells[i].displayText(), bold: bold, right: cells[i].isNumeric()}
			}
		}
		return out
	}
	for _, r := range t.Rows {
		g.rows = append(g.rows, row(r, false))
	}
	if len(t.Footer) > 0 {
		g.rows = append(g.rows, row(t.Footer, true))
	}
	p.grid(g)
	p.space(4)
}

// grid is a table to lay out: column widths, an optional header row that is
// repeated on each page, and rows of cells that wrap.
type grid struct {
	widths  []float64
	header  []gridCell
	rows    [][]gridCell
	borders bool
}

type gridCell struct {
	text        string
	bold, right bool
}

// wrapped is a row of cells split into lines.
type wrapped [][]string

func (p *pdfWriter) wrap(cells []gridCell, widths []float64) wrapped {
	out := make(wrapped, len(widths))
	for i := range widths {
		var c gridCell
		if i < len(cells) {
			c = cells[i]
		}
		p.setCellFont(c)
		out[i] = p.split(c.text, widths[i])
	}
	return out
}

func (p *pdfWriter) setCellFont(c gridCell) {
	if c.bold {
		p.font("B", pdfBody-1)
	} else {
		p.font("", pdfBody-1)
	}
}

func (w wrapped) height() int {
	n := 1
	for _, c := range w {
		n = max(n, len(c))
	}
	return n
}

const gridLine = pdfLine - 0.6

func (p *pdfWriter) grid(g grid) {
	var head wrapped
	if len(g.header) > 0 {
		head = p.wrap(g.header, g.widths)
	}
	headH := 0.0
	if head != nil {
		headH = float64(head.height())*gridLine + 2*pdfCellPad
	}
	pageRoom := p.limit - pdfTop - headH // the most a row can have on a page of its own
	drawHead := func() {
		if head != nil {
			p.gridRow(g, g.header, head, 0, head.height(), true)
		}
	}
	p.ensure(headH + gridLine + 2*pdfCellPad) // the header with a first row
	drawHead()
	for _, cells := range g.rows {
		lines := p.wrap(cells, g.widths)
		n := lines.height()
		for start := 0; start < n; {
			fit := int(math.Floor((p.limit - p.f.GetY() - 2*pdfCellPad + 0.001) / gridLine))
			whole := float64(n-start)*gridLine+2*pdfCellPad <= pageRoom
			if fit < 1 || (start == 0 && fit < n && whole) {
				p.f.AddPage()
				drawHead()
				continue
			}
			end := min(n, start+fit)
			p.gridRow(g, cells, lines, start, end, false)
			start = end
		}
	}
}

// gridRow draws lines from to to of the cells of one row at the current y.
func (p *pdfWriter) gridRow(g grid, cells []gridCell, lines wrapped, from, to int, header bool) {
	y := p.f.GetY()
	h := float64(to-from)*gridLine + 2*pdfCellPad
	x := pdfMarginX
	p.f.SetDrawColor(128, 128, 128)
	p.f.SetFillColor(231, 230, 230)
	p.f.SetLineWidth(0.2)
	for i, w := range g.widths {
		var c gridCell
		if i < len(cells) {
			c = cells[i]
		}
		switch {
		case header && g.borders:
			p.f.Rect(x, y, w, h, "FD")
		case g.borders:
			p.f.Rect(x, y, w, h, "D")
		}
		p.setCellFont(c)
		align := "L"
		if c.right {
			align = "R"
		}
		for j := from; j < to && j < len(lines[i]); j++ {
			p.f.SetXY(x, y+pdfCellPad+float64(j-from)*gridLine)
			p.f.CellFormat(w, gridLine, lines[i][j], "", 0, align, false, 0, "")
		}
		x += w
	}
	p.f.SetXY(pdfMarginX, y+h)
}

func (p *pdfWriter) signatures(s Signatures) {
	if s.Title != "" {
		p.heading(Heading{Level: 2, Text: s.Title})
	}
	const room = 14.0 // to sign in
	colW := p.width / 2
	for i := 0; i < len(s.Signers); i += 2 {
		p.ensure(room + 2*pdfLine + 4)
		y := p.f.GetY() + room
		for j := i; j < i+2 && j < len(s.Signers); j++ {
			x := pdfMarginX + float64(j-i)*colW
			p.f.SetDrawColor(0, 0, 0)
			p.f.SetLineWidth(0.3)
			p.f.Line(x, y, x+colW-10, y)
			p.font("", pdfBody)
			p.f.SetXY(x, y+0.8)
			p.f.CellFormat(colW-10, pdfLine, p.text(oneLine(s.Signers[j].Name)), "", 0, "L", false, 0, "")
			p.font("I", pdfBody-1.5)
			p.f.SetXY(x, y+0.8+pdfLine)
			p.f.CellFormat(colW-10, pdfLine, p.text(oneLine(s.Signers[j].Role)), "", 0, "L", false, 0, "")
		}
		p.f.SetXY(pdfMarginX, y+0.8+2*pdfLine+4)
	}
}
