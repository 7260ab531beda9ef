package doc

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ContentTypeDOCX is the media type of a Word document.
const ContentTypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// Page geometry of a DOCX in twentieths of a point: A4 with 25 mm margins.
const (
	docxPageW   = 11906
	docxPageH   = 16838
	docxMargin  = 1417
	docxTextW   = docxPageW - 2*docxMargin
	docxMetaKey = 2268 // 40 mm for the labels of the facts
)

// zipTime is the modification time of every part, fixed so the same document
// gives the same bytes.
var zipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteDOCX writes d as a Word document (Office Open XML, as Word and
// LibreOffice open it): A4, the organisation in the page header, page numbers
// in the footer, real Title, Heading 1 and Heading 2 styles, bullets and
// tables whose header row repeats on every page, in the document's language.
func WriteDOCX(w io.Writer, d Document) error {
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", docxContentTypes},
		{"_rels/.rels", docxRootRels},
		{"docProps/core.xml", docxCore(d)},
		{"docProps/app.xml", docxApp},
		{"word/_rels/document.xml.rels", docxDocumentRels},
		{"word/document.xml", docxDocument(d)},
		{"word/styles.xml", docxStyles(d.lang())},
		{"word/numbering.xml", docxNumbering},
		{"word/settings.xml", docxSettings(d.lang())},
		{"word/header1.xml", docxHeader(d)},
		{"word/footer1.xml", docxFooter(d)},
	}
	zw := zip.NewWriter(w)
	for _, p := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: zipTime})
		if err != nil {
			return fmt.Errorf("write docx: %w", err)
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return fmt.Errorf("write docx: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write docx: %w", err)
	}
	return nil
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const nsW = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

const docxContentTypes = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const docxRootRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const docxDocumentRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
	`<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>` +
	`<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>` +
	`</Relationships>`

const docxApp = xmlHeader + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
	`<Application>Kunskapsnav</Application></Properties>`

// esc escapes s for XML text and attribute values.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	return b.String()
}

func docxCore(d Document) string {
	var b strings.Builder
	b.WriteString(xmlHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"` +
		` xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"` +
		` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	b.WriteString(`<dc:title>` + esc(oneLine(d.Title)) + `</dc:title>`)
	if d.Subtitle != "" {
		b.WriteString(`<dc:subject>` + esc(oneLine(d.Subtitle)) + `</dc:subject>`)
	}
	if d.Organisation != "" {
		b.WriteString(`<dc:creator>` + esc(oneLine(d.Organisation)) + `</dc:creator>`)
	}
	b.WriteString(`<dc:language>` + esc(d.lang()) + `</dc:language>`)
	if !d.Created.IsZero() {
		at := d.Created.UTC().Format(time.RFC3339)
		b.WriteString(`<dcterms:created xsi:type="dcterms:W3CDTF">` + at + `</dcterms:created>`)
		b.WriteString(`<dcterms:modified xsi:type="dcterms:W3CDTF">` + at + `</dcterms:modified>`)
	}
	b.WriteString(`</cp:coreProperties>`)
	return b.String()
}

// oneLine is s cleaned, with line breaks and tabs as spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(cleanText(s)), " ")
}

func docxSettings(lang string) string {
	return xmlHeader + `<w:settings ` + nsW + `><w:defaultTabStop w:val="1304"/>` +
		`<w:characterSpacingControl w:val="doNotCompress"/><w:themeFontLang w:val="` + esc(lang) + `"/></w:settings>`
}

const docxNumbering = xmlHeader + `<w:numbering ` + nsW + `>` +
	`<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/>` +
	`<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/><w:lvlJc w:val="left"/>` +
	`<w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>` +
	`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`

func docxStyles(lang string) string {
	para := func(id, name, ppr, rpr string) string {
		return `<w:style w:type="paragraph" w:styleId="` + id + `"><w:name w:val="` + name + `"/><w:basedOn w:val="Normal"/>` +
			`<w:next w:val="Normal"/><w:qFormat/><w:pPr>` + ppr + `</w:pPr><w:rPr>` + rpr + `</w:rPr></w:style>`
	}
	return xmlHeader + `<w:styles ` + nsW + `>` +
		`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>` +
		`<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="` + esc(lang) + `" w:eastAsia="` + esc(lang) + `" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
		`<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
		`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
		para("Title", "Title", `<w:spacing w:after="60"/>`, `<w:b/><w:bCs/><w:sz w:val="40"/><w:szCs w:val="40"/>`) +
		para("Subtitle", "Subtitle", `<w:spacing w:after="240"/>`, `<w:sz w:val="28"/><w:szCs w:val="28"/>`) +
		para("Heading1", "heading 1", `<w:keepNext/><w:keepLines/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/>`,
			`<w:b/><w:bCs/><w:sz w:val="30"/><w:szCs w:val="30"/>`) +
		para("Heading2", "heading 2", `<w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="1"/>`,
			`<w:b/><w:bCs/><w:sz w:val="25"/><w:szCs w:val="25"/>`) +
		para("Caption", "caption", `<w:keepNext/><w:spacing w:before="120" w:after="60"/>`, `<w:b/><w:bCs/><w:sz w:val="20"/><w:szCs w:val="20"/>`) +
		para("ListBullet", "List Bullet", `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr><w:spacing w:after="60"/>`, ``) +
		para("Header", "header", `<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="808080"/></w:pBdr><w:spacing w:after="0"/>`,
			`<w:color w:val="595959"/><w:sz w:val="18"/><w:szCs w:val="18"/>`) +
		para("Footer", "footer", `<w:spacing w:after="0"/><w:jc w:val="right"/>`, `<w:color w:val="595959"/><w:sz w:val="18"/><w:szCs w:val="18"/>`) +
		`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>` +
		`<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>` +
		`<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
		`<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>` +
		`<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr><w:tblPr><w:tblBorders>` +
		`<w:top w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:left w:val="single" w:sz="4" w:space="0" w:color="808080"/>` +
		`<w:bottom w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:right w:val="single" w:sz="4" w:space="0" w:color="808080"/>` +
		`<w:insideH w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="808080"/>` +
		`</w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
		`</w:styles>`
}

func docxHeader(d Document) string {
	return xmlHeader + `<w:hdr ` + nsW + `><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>` + runs(d.Organisation, "") + `</w:p></w:hdr>`
}

func docxFooter(d Document) string {
	var b strings.Builder
	b.WriteString(xmlHeader + `<w:ftr ` + nsW + `><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>`)
	for _, part := range d.pageLabel() {
		switch part {
		case "{page}":
			b.WriteString(`<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>`)
		case "{pages}":
			b.WriteString(`<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple>`)
		default:
			b.WriteString(runs(part, ""))
		}
	}
	b.WriteString(`</w:p></w:ftr>`)
	return b.String()
}

// runs writes text as runs with properties rpr, with its newlines as line
// breaks and its tabs as tabs.
func runs(text, rpr string) string {
	text = cleanText(text)
	if text == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<w:r>`)
	if rpr != "" {
		b.WriteString(`<w:rPr>` + rpr + `</w:rPr>`)
	}
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString(`<w:br/>`)
		}
		for j, chunk := range strings.Split(line, "\t") {
			if j > 0 {
				b.WriteString(`<w:tab/>`)
			}
			if chunk != "" {
				b.WriteString(`<w:t xml:space="preserve">` + esc(chunk) + `</w:t>`)
			}
		}
	}
	b.WriteString(`</w:r>`)
	return b.String()
}

// paragraph writes one paragraph of style (empty for Normal) with extra
// paragraph properties ppr.
func paragraph(b *strings.Builder, style, ppr, text, rpr string) {
	b.WriteString(`<w:p>`)
	if style != "" || ppr != "" {
		b.WriteString(`<w:pPr>`)
		if style != "" {
			b.WriteString(`<w:pStyle w:val="` + style + `"/>`)
		}
		b.WriteString(ppr + `</w:pPr>`)
	}
	b.WriteString(runs(text, rpr) + "</w:p>\n") // a line each keeps golden-file diffs readable
}

func docxDocument(d Document) string {
	var b strings.Builder
	b.WriteString(xmlHeader + `<w:document ` + nsW + ">\n<w:body>\n")
	paragraph(&b, "Title", "", d.Title, "")
	if d.Subtitle != "" {
		paragraph(&b, "Subtitle", "", d.Subtitle, "")
	}
	if len(d.Meta) > 0 {
		docxMeta(&b, d.Meta)
	}
	for _, bl := range d.Blocks {
		switch bl := bl.(type) {
		case Heading:
			paragraph(&b, "Heading"+strconv.Itoa(bl.level()), "", bl.Text, "")
		case Paragraph:
			paragraph(&b, "", "", bl.Text, "")
		case BulletList:
			for _, item := range bl.Items {
				paragraph(&b, "ListBullet", "", item, "")
			}
		case Table:
			docxTable(&b, bl)
		case Signatures:
			docxSignatures(&b, bl)
		}
	}
	b.WriteString(`<w:sectPr><w:headerReference w:type="default" r:id="rId4"/><w:footerReference w:type="default" r:id="rId5"/>`)
	fmt.Fprintf(&b, `<w:pgSz w:w="%d" w:h="%d"/>`, docxPageW, docxPageH)
	fmt.Fprintf(&b, `<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="709" w:footer="709" w:gutter="0"/>`,
		docxMargin, docxMargin, docxMargin, docxMargin)
	b.WriteString(`</w:sectPr></w:body></w:document>`)
	return b.String()
}

// docxColumnWidths are the widths in twips of the columns of t in a table
// as wide as the text. Widths are estimated from the number of characters, as
// Arial averages about half a point's width per point of size.
func docxColumnWidths(t Table) []int {
	measure := func(s string, bold bool) float64 {
		w := float64(utf8.RuneCountInString(s)) * 115 // twips at 10 points, digits being wide
		if bold {
			w *= 1.08
		}
		return w
	}
	shares := columnWidths(t, docxTextW, measure, 2*108)
	out := make([]int, len(shares))
	used := 0
	for i, w := range shares {
		out[i] = int(w)
		used += out[i]
	}
	if len(out) > 0 {
		out[len(out)-1] += docxTextW - used
	}
	return out
}

// noBorders are the table properties of a layout table, one without lines.
const noBorders = `<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/>` +
	`<w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>`

func docxMeta(b *strings.Builder, meta []KeyValue) {
	fmt.Fprintf(b, `<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/>%s<w:tblLayout w:type="fixed"/><w:tblLook w:val="0000"/></w:tblPr>`, docxTextW, noBorders)
	fmt.Fprintf(b, `<w:tblGrid><w:gridCol w:w="%d"/><w:gridCol w:w="%d"/></w:tblGrid>`, docxMetaKey, docxTextW-docxMetaKey)
	for _, kv := range meta {
		b.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		docxCell(b, docxMetaKey, "", kv.Key, "<w:b/><w:bCs/>")
		docxCell(b, docxTextW-docxMetaKey, "", kv.Value, "")
		b.WriteString("</w:tr>\n")
	}
	b.WriteString(`</w:tbl>`)
	paragraph(b, "", "", "", "")
}

// docxCell writes a table cell of width twips holding text; ppr are
// paragraph properties that come after spacing, such as jc.
func docxCell(b *strings.Builder, width int, ppr, text, rpr string) {
	fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>`, width)
	paragraph(b, "", `<w:spacing w:after="40"/>`+ppr, text, rpr) // the schema orders spacing before jc
	b.WriteString(`</w:tc>`)
}

func docxTable(b *strings.Builder, t Table) {
	if t.Title != "" {
		paragraph(b, "Caption", "", t.Title, "")
	}
	widths := docxColumnWidths(t)
	fmt.Fprintf(b, `<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="%d" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>`, docxTextW)
	for _, w := range widths {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString(`</w:tblGrid>`)
	if len(t.Columns) > 0 {
		b.WriteString(`<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`)
		for i, c := range t.Columns {
			fill := `<w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>`
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>%s</w:tcPr>`, widths[i], fill)
			paragraph(b, "", "", c.Header, "<w:b/><w:bCs/>")
			b.WriteString(`</w:tc>`)
		}
		b.WriteString("</w:tr>\n")
	}
	row := func(cells []Cell, rpr string) {
		b.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		for i := range widths {
			var c Cell
			if i < len(cells) {
				c = cells[i]
			}
			ppr := ""
			if c.isNumeric() {
				ppr = `<w:jc w:val="right"/>`
			}
			docxCell(b, widths[i], ppr, c.displayText(), rpr)
		}
		b.WriteString("</w:tr>\n")
	}
	for _, r := range t.Rows {
		row(r, "")
	}
	if len(t.Footer) > 0 {
		row(t.Footer, "<w:b/><w:bCs/>")
	}
	b.WriteString(`</w:tbl>`)
	paragraph(b, "", "", "", "")
}

func docxSignatures(b *strings.Builder, s Signatures) {
	if s.Title != "" {
		paragraph(b, "Heading2", "", s.Title, "")
	}
	if len(s.Signers) == 0 {
		return
	}
	half := docxTextW / 2
	fmt.Fprintf(b, `<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/>%s<w:tblLayout w:type="fixed"/><w:tblLook w:val="0000"/></w:tblPr>`, docxTextW, noBorders)
	fmt.Fprintf(b, `<w:tblGrid><w:gridCol w:w="%d"/><w:gridCol w:w="%d"/></w:tblGrid>`, half, docxTextW-half)
	for i := 0; i < len(s.Signers); i += 2 {
		b.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		for j := i; j < i+2; j++ {
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:tcMar><w:right w:w="567" w:type="dxa"/></w:tcMar></w:tcPr>`, half)
			if j < len(s.Signers) {
				paragraph(b, "", `<w:keepNext/><w:spacing w:before="720" w:after="0"/>`, "", "")
				paragraph(b, "", `<w:keepNext/><w:pBdr><w:top w:val="single" w:sz="4" w:space="1" w:color="000000"/></w:pBdr><w:spacing w:after="0"/>`,
					s.Signers[j].Name, "")
				paragraph(b, "", `<w:spacing w:after="120"/>`, s.Signers[j].Role, `<w:i/><w:iCs/><w:sz w:val="20"/><w:szCs w:val="20"/>`)
			} else {
				paragraph(b, "", "", "", "")
			}
			b.WriteString(`</w:tc>`)
		}
		b.WriteString("</w:tr>\n")
	}
	b.WriteString(`</w:tbl>`)
	paragraph(b, "", "", "", "")
}

// columnWidths shares total among the columns of t as a browser lays out an
// automatic table: every column gets at least its longest word (or its
// Width, in characters, when set), and what is left goes to the columns in
// proportion to how much more their longest line needs. measure gives the
// width of a text in the unit of total, pad the space a cell adds.
func columnWidths(t Table, total float64, measure func(s string, bold bool) float64, pad float64) []float64 {
	n := len(t.Columns)
	for _, r := range t.Rows {
		n = max(n, len(r))
	}
	n = max(n, len(t.Footer))
	if n == 0 {
		return nil
	}
	least, natural := make([]float64, n), make([]float64, n)
	see := func(i int, s string, bold bool) {
		for _, line := range strings.Split(cleanText(s), "\n") {
			natural[i] = max(natural[i], measure(line, bold)+pad)
			// Only spaces break a line: a no-break space keeps "125 000 kr" whole.
			for _, word := range strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\t' }) {
				least[i] = max(least[i], measure(word, bold)+pad)
			}
		}
	}
	for i, c := range t.Columns {
		see(i, c.Header, true)
	}
	for _, r := range t.Rows {
		for i, c := range r {
			see(i, c.displayText(), false)
		}
	}
	for i, c := range t.Footer {
		see(i, c.displayText(), true)
	}
	for i, c := range t.Columns {
		if c.Width > 0 {
			least[i] = measure(strings.Repeat("n", int(c.Width)), false) + pad
			natural[i] = least[i]
		}
	}
	for i := range n {
		least[i] = max(least[i], pad+measure("nnn", false))
		natural[i] = max(natural[i], least[i])
	}
	return shareWidths(least, natural, total)
}

// shareWidths divides total among columns that need least and would like
// natural: all get natural, scaled up, when it fits; else least plus a share
// of the rest in proportion to natural-least; and when even least does not
// fit, least scaled down.
func shareWidths(least, natural []float64, total float64) []float64 {
	var sumLeast, sumNatural float64
	for i := range least {
		sumLeast += least[i]
		sumNatural += natural[i]
	}
	out := make([]float64, len(least))
	for i := range out {
		switch {
		case sumNatural <= total:
			out[i] = natural[i] * total / sumNatural
		case sumLeast >= total:
			out[i] = least[i] * total / sumLeast
		default:
			out[i] = least[i] + (natural[i]-least[i])*(total-sumLeast)/(sumNatural-sumLeast)
		}
	}
	return out
}
