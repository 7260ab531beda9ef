package doc_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/kunskapsnav/kunskapsnav/internal/platform/date"
	"github.com/kunskapsnav/kunskapsnav/internal/platform/doc"
)

// agenda is a short document: one page.
func agenda() doc.Document {
	return doc.Document{
		Organisation: "Region Jämtland Härjedalen – Hälso- och sjukvårdsförvaltningen",
		Title:        "Dagordning",
		Subtitle:     "Hälso- och sjukvårdsledningen (HSL), möte 8/2026",
		Created:      time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC),
		Meta: []doc.KeyValue{
			{Key: "Tid", Value: "torsdag 3 december 2026 kl. 13.00–15.30"},
			{Key: "Plats", Value: "Regionens hus, sal Åre\nTeams-länk i kallelsen"},
		},
		Blocks: []doc.Block{
			doc.Heading{Level: 1, Text: "1. Öppnande"},
			doc.Heading{Level: 1, Text: "2. Val av justerare"},
			doc.Heading{Level: 1, Text: "3. Införande av vård- och insatsprogram för depression"},
			doc.Paragraph{Text: "Ärende 2026/0042. Föredragande: Åsa Östlund.\nUnderlag: rekommendation från kunskapsstyrningsrådet."},
			doc.Heading{Level: 2, Text: "Förslag till beslut"},
			doc.BulletList{Items: []string{"att införa programmet i primärvården", "att följa upp införandet efter ett år – i december 2027"}},
			doc.Heading{Level: 1, Text: "4. Övriga frågor"},
		},
	}
}

// minutes is a long document with a table that breaks across pages, text
// that needs escaping and a signature block.
func minutes() doc.Document {
	d := doc.Document{
		Organisation: "Region Jämtland Härjedalen",
		Title:        "Protokoll",
		Subtitle:     "Samverkansforum region–kommun, 26 november 2026",
		Created:      time.Date(2026, 11, 27, 8, 30, 0, 0, time.UTC),
		Meta: []doc.KeyValue{
			{Key: "Tid", Value: "26 november 2026 kl. 9.00–12.00"},
			{Key: "Närvarande", Value: "Anna Berg (ordförande)\nÖrjan Ek (sekreterare)\nÉmilie Dufour, Åre kommun"},
			{Key: "Frånvarande", Value: "–"},
		},
	}
	d.Blocks = append(d.Blocks,
		doc.Heading{Level: 1, Text: "§ 12 Svar från kommunerna <utkast> & \"citat\""},
		doc.Paragraph{Text: "Kommunerna har svarat på remissen om gemensamt vårdprogram.\tTabb.\r\nRad två med <b>taggar</b> & ' apostrof."},
	)
	t := doc.Table{
		Title:   "Tabell 1. Svar per kommun",
		Columns: []doc.Column{{Header: "Kommun"}, {Header: "Svar"}, {Header: "Kommentar"}, {Header: "Kostnad"}, {Header: "Datum"}},
	}
	municipalities := []string{"Berg", "Bräcke", "Härjedalen", "Krokom", "Ragunda", "Strömsund", "Åre", "Östersund"}
	for i := range 40 {
		m := municipalities[i%len(municipalities)]
		comment := "Ställer sig bakom förslaget."
		if i%5 == 0 {
			comment = strings.Repeat("En lång kommentar om bemanning, ekonomi och förankring i socialnämnden. ", 3)
		}
		t.Rows = append(t.Rows, []doc.Cell{doc.Text(m), doc.Text("Tillstyrker med synpunkter"), doc.Text(comment),
			doc.Money(int64(125000 + i*1000)), doc.Date(date.New(2026, 11, 1+i%28))})
	}
	t.Footer = []doc.Cell{doc.Text("Summa"), {}, {}, doc.Money(5_780_000)}
	d.Blocks = append(d.Blocks, t,
		doc.Heading{Level: 2, Text: "Beslut"},
		doc.Paragraph{Text: "Forumet beslutar att ställa sig bakom förslaget."},
		doc.Signatures{Title: "Underskrifter", Signers: []doc.Signer{
			{Role: "Ordförande", Name: "Anna Berg"}, {Role: "Sekreterare", Name: "Örjan Ek"}, {Role: "Justerare", Name: "Émilie Dufour"},
		}},
	)
	return d
}

func docxParts(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = string(body)
	}
	return parts
}

func writeDOCX(t *testing.T, d doc.Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := doc.WriteDOCX(&buf, d); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writePDF(t *testing.T, d doc.Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := doc.WritePDF(&buf, d); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteDOCX_GoldenDocumentXML(t *testing.T) {
	t.Parallel()
	for name, d := range map[string]doc.Document{"agenda": agenda(), "minutes": minutes()} {
		parts := docxParts(t, writeDOCX(t, d))
		golden(t, name+".document.xml.golden", []byte(parts["word/document.xml"]))
	}
}

func TestWriteDOCX_IsAWellFormedPackage(t *testing.T) {
	t.Parallel()
	b := writeDOCX(t, minutes())
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if zr.File[0].Name != "[Content_Types].xml" {
		t.Errorf("first part is %s, want [Content_Types].xml", zr.File[0].Name)
	}
	parts := docxParts(t, b)
	for _, want := range []string{"_rels/.rels", "word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels",
		"docProps/core.xml", "docProps/app.xml", "word/footer1.xml", "word/header1.xml", "word/numbering.xml"} {
		if _, ok := parts[want]; !ok {
			t.Errorf("no part %s", want)
		}
	}
	for name, body := range parts {
		dec := xml.NewDecoder(strings.NewReader(body))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", name, err)
			}
		}
	}
	checks := []struct{ part, want string }{
		{"word/styles.xml", `w:styleId="Heading1"`},
		{"word/styles.xml", `w:styleId="Heading2"`},
		{"word/styles.xml", `w:styleId="Title"`},
		{"word/styles.xml", `<w:lang w:val="sv-SE"`},
		{"word/document.xml", `<w:pgSz w:w="11906" w:h="16838"/>`},
		{"word/document.xml", `§ 12 Svar från kommunerna &lt;utkast&gt; &amp; &#34;citat&#34;`},
		{"word/document.xml", `<w:tblHeader/>`},
		{"word/footer1.xml", `<w:t xml:space="preserve">Sida </w:t>`},
		{"word/footer1.xml", `w:instr=" NUMPAGES "`},
		{"word/header1.xml", `Region Jämtland Härjedalen`},
		{"docProps/core.xml", `<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-27T08:30:00Z</dcterms:created>`},
	}
	for _, c := range checks {
		if !strings.Contains(parts[c.part], c.want) {
			t.Errorf("%s lacks %s", c.part, c.want)
		}
	}
}

func TestWriters_AreDeterministic(t *testing.T) {
	t.Parallel()
	for name, write := range map[string]func(*testing.T, doc.Document) []byte{"docx": writeDOCX, "pdf": writePDF} {
		d := minutes()
		d.Created = time.Time{} // no date must not mean the clock
		a := write(t, d)
		if b := write(t, d); !bytes.Equal(a, b) {
			t.Errorf("%s: two writes of the same document differ", name)
		}
	}
}

func TestWritePDF_Golden(t *testing.T) {
	t.Parallel()
	b := writePDF(t, minutes())
	if !bytes.HasPrefix(b, []byte("%PDF-1.")) {
		t.Fatalf("not a PDF: %q", b[:min(len(b), 20)])
	}
	golden(t, "minutes.pdf.golden", b)
}

func TestWriters_PageLabelIsLocalised(t *testing.T) {
	t.Parallel()
	d := agenda()
	d.PageLabel = "Page {page} of {pages}"
	d.Lang = "en-GB"
	parts := docxParts(t, writeDOCX(t, d))
	for _, want := range []string{`<w:t xml:space="preserve">Page </w:t>`, `w:instr=" PAGE "`, `<w:t xml:space="preserve"> of </w:t>`} {
		if !strings.Contains(parts["word/footer1.xml"], want) {
			t.Errorf("footer lacks %s:\n%s", want, parts["word/footer1.xml"])
		}
	}
	if !strings.Contains(parts["word/styles.xml"], `<w:lang w:val="en-GB"`) {
		t.Errorf("styles do not say en-GB")
	}
}

func TestWriters_SurviveHostileText(t *testing.T) {
	t.Parallel()
	nasty := "\x00\x01\x1b]]><![CDATA[\uFFFE\xff\ud7ff 中文 🙂 \u202e</w:t></w:r>"
	d := doc.Document{Title: nasty, Subtitle: nasty, Organisation: nasty, PageLabel: "{page}{pages}{pag{page}",
		Meta: []doc.KeyValue{{Key: nasty, Value: nasty}},
		Blocks: []doc.Block{doc.Heading{Level: 7, Text: nasty}, doc.Paragraph{Text: nasty}, doc.BulletList{Items: []string{nasty, ""}},
			doc.Table{Title: nasty, Rows: [][]doc.Cell{{doc.Text(nasty)}, {}}}, doc.Table{}, doc.Signatures{Signers: []doc.Signer{{Name: nasty}}}}}
	parts := docxParts(t, writeDOCX(t, d))
	for name, body := range parts {
		dec := xml.NewDecoder(strings.NewReader(body))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s is not well-formed XML: %v\n%s", name, err, body)
			}
		}
	}
	writePDF(t, d)
}

func Example_minutes() {
	d := doc.Document{
		Organisation: "Region Jämtland Härjedalen",
		Title:        "Protokoll",
		Subtitle:     "Hälso- och sjukvårdsledningen, 3 december 2026",
		Meta:         []doc.KeyValue{{Key: "Tid", Value: "kl. 13.00–15.30"}},
		Blocks: []doc.Block{
			doc.Heading{Level: 1, Text: "§ 1 Öppnande"},
			doc.Paragraph{Text: "Ordföranden öppnade mötet."},
			doc.Signatures{Signers: []doc.Signer{{Role: "Ordförande", Name: "Anna Berg"}, {Role: "Justerare", Name: "Örjan Ek"}}},
		},
	}
	var docx, pdf bytes.Buffer
	if err := doc.WriteDOCX(&docx, d); err != nil {
		fmt.Println(err)
	}
	if err := doc.WritePDF(&pdf, d); err != nil {
		fmt.Println(err)
	}
	fmt.Println(docx.Len() > 0, bytes.HasPrefix(pdf.Bytes(), []byte("%PDF")))
	// Output: true true
}
