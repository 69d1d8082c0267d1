package summary

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"
)

// DOCX renders doc as a Word document (Office Open XML): the minimal set
// of parts Word and LibreOffice need, written with encoding/xml escaping
// so that no text can close an element or open one. The layout follows
// the PDF: A4, centred heading block, numbered paragraphs with a hanging
// indent, ruled tables with a repeated header row, charts as PNG images,
// and "Page X of Y" in the footer. fonts (may be nil) draw chart labels.
func DOCX(doc *Doc, fonts *Fonts, title string) ([]byte, error) {
	w := &docxWriter{fonts: fonts}
	body := w.body(doc)
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	// Fixed modification time: the same Markdown gives the same bytes.
	mod := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	add := func(name string, data []byte) error {
		f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: mod})
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	}
	parts := []struct {
		name string
		data []byte
	}{
		{"[Content_Types].xml", []byte(contentTypes)},
		{"_rels/.rels", []byte(rootRels)},
		{"docProps/core.xml", []byte(fmt.Sprintf(coreProps, xmlText(title), mod.Format(time.RFC3339), mod.Format(time.RFC3339)))},
		{"docProps/app.xml", []byte(appProps)},
		{"word/document.xml", []byte(xml.Header + documentOpen + body + sectPr + documentClose)},
		{"word/styles.xml", []byte(stylesXML)},
		{"word/settings.xml", []byte(settingsXML)},
		{"word/footer1.xml", []byte(footerXML)},
		{"word/_rels/document.xml.rels", []byte(w.rels())},
	}
	for _, p := range parts {
		if err := add(p.name, p.data); err != nil {
			return nil, err
		}
	}
	for i, img := range w.images {
		if err := add(fmt.Sprintf("word/media/chart%d.png", i+1), img); err != nil {
			return nil, err
		}
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type docxWriter struct {
	fonts  *Fonts
	images [][]byte
	links  []string
	b      strings.Builder
}

// xmlText escapes s for XML character data and attribute values, after
// dropping the characters XML cannot carry at all.
func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(xmlSafe(s)))
	return b.String()
}

const (
	twipIndent = 567 // 1 cm: hanging indent of numbered paragraphs
	contentEMU = 5760720
)

func (w *docxWriter) body(doc *Doc) string {
	header := len(doc.Blocks) > 0 && doc.Blocks[0].Kind == BlockHeading && doc.Blocks[0].Level == 1
	for i, bl := range doc.Blocks {
		if header && i > 0 && bl.Kind == BlockHeading && bl.Level <= 2 {
			header = false
			w.b.WriteString(`<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="808080"/></w:pBdr></w:pPr></w:p>`)
		}
		w.block(bl, header)
	}
	return w.b.String()
}

func (w *docxWriter) block(bl Block, header bool) {
	center := ""
	if header {
		center = `<w:jc w:val="center"/>`
	}
	switch bl.Kind {
	case BlockHeading:
		style := fmt.Sprintf("Heading%d", min(max(bl.Level-1, 1), 3))
		if bl.Level == 1 {
			style = "Title"
		}
		w.para(`<w:pStyle w:val="`+style+`"/>`+center, bl.Spans, "")
	case BlockPara:
		switch bl.Align {
		case AlignRight:
			center = `<w:jc w:val="right"/>`
		case AlignCenter:
			center = `<w:jc w:val="center"/>`
		}
		w.para(center, bl.Spans, "")
	case BlockQuote:
		w.para(fmt.Sprintf(`<w:ind w:left="%d"/>`, twipIndent), bl.Spans, "")
	case BlockNumbered, BlockBullet:
		left := twipIndent * (bl.Level + 1)
		label := "•"
		if bl.Kind == BlockNumbered {
			label = fmt.Sprintf("%d.", bl.Number)
		}
		ppr := fmt.Sprintf(`<w:tabs><w:tab w:val="left" w:pos="%d"/></w:tabs><w:ind w:left="%d" w:hanging="%d"/>`, left, left, twipIndent)
		w.para(ppr, bl.Spans, `<w:r><w:t>`+label+`</w:t></w:r><w:r><w:tab/></w:r>`)
	case BlockCode:
		for _, l := range strings.Split(strings.TrimRight(PlainText(bl.Spans), "\n"), "\n") {
			w.para(`<w:spacing w:after="0"/>`, []Span{{Text: l, Code: true}}, "")
		}
	case BlockRule:
		w.b.WriteString(`<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="808080"/></w:pBdr></w:pPr></w:p>`)
	case BlockTable:
		w.table(bl.Table)
	case BlockChart:
		w.chart(bl.Chart)
	}
}

func (w *docxWriter) para(ppr string, spans []Span, prefix string) {
	w.b.WriteString("<w:p>")
	if ppr != "" {
		w.b.WriteString("<w:pPr>" + ppr + "</w:pPr>")
	}
	w.b.WriteString(prefix)
	w.runs(spans)
	w.b.WriteString("</w:p>")
}

func (w *docxWriter) runs(spans []Span) {
	for _, s := range spans {
		if s.Break {
			w.b.WriteString("<w:r><w:br/></w:r>")
		}
		if s.Text == "" {
			continue
		}
		var rpr strings.Builder
		if s.Link != "" {
			rpr.WriteString(`<w:rStyle w:val="Hyperlink"/>`)
		}
		if s.Code {
			rpr.WriteString(`<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/>`)
		}
		if s.Bold {
			rpr.WriteString("<w:b/><w:bCs/>")
		}
		if s.Italic {
			rpr.WriteString("<w:i/><w:iCs/>")
		}
		run := "<w:r>"
		if rpr.Len() > 0 {
			run += "<w:rPr>" + rpr.String() + "</w:rPr>"
		}
		run += `<w:t xml:space="preserve">` + xmlText(strings.ReplaceAll(s.Text, "\n", " ")) + "</w:t></w:r>"
		if s.Link != "" {
			w.links = append(w.links, s.Link)
			run = fmt.Sprintf(`<w:hyperlink r:id="rIdLink%d">%s</w:hyperlink>`, len(w.links), run)
		}
		w.b.WriteString(run)
	}
}

func (w *docxWriter) table(t *Table) {
	cols := len(t.Header)
	for _, r := range t.Rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return
	}
	w.b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(&w.b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="808080"/>`, side)
	}
	w.b.WriteString(`</w:tblBorders><w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>`)
	for i := 0; i < cols; i++ {
		fmt.Fprintf(&w.b, `<w:gridCol w:w="%d"/>`, 9072/cols)
	}
	w.b.WriteString("</w:tblGrid>")
	jc := func(i int) string {
		if i < len(t.Align) {
			switch t.Align[i] {
			case AlignRight:
				return `<w:jc w:val="right"/>`
			case AlignCenter:
				return `<w:jc w:val="center"/>`
			}
		}
		return ""
	}
	row := func(cells []Cell, head bool) {
		w.b.WriteString("<w:tr>")
		if head {
			w.b.WriteString("<w:trPr><w:tblHeader/></w:trPr>")
		}
		for i := 0; i < cols; i++ {
			var c Cell
			if i < len(cells) {
				c = cells[i]
			}
			w.b.WriteString("<w:tc><w:tcPr>")
			if head {
				w.b.WriteString(`<w:shd w:val="clear" w:color="auto" w:fill="E6E6E6"/>`)
			}
			w.b.WriteString("</w:tcPr>")
			w.para(`<w:spacing w:before="40" w:after="40"/>`+jc(i), styled(c, head, false), "")
			w.b.WriteString("</w:tc>")
		}
		w.b.WriteString("</w:tr>")
	}
	if len(t.Header) > 0 {
		row(t.Header, true)
	}
	for _, r := range t.Rows {
		row(r, false)
	}
	w.b.WriteString("</w:tbl>")
	w.b.WriteString(`<w:p/>`) // Word needs a paragraph between two tables
}

func (w *docxWriter) chart(c *Chart) {
	png, pw, ph, err := ChartPNG(c, w.fonts)
	if err != nil {
		w.para("", []Span{{Text: c.Title, Italic: true}}, "")
		return
	}
	w.images = append(w.images, png)
	n := len(w.images)
	cx := contentEMU
	cy := int(float64(cx) * float64(ph) / float64(pw))
	w.para(`<w:keepNext/>`, []Span{{Text: c.Title, Italic: true}}, "")
	fmt.Fprintf(&w.b, `<w:p><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%d" cy="%d"/>`+
		`<wp:docPr id="%d" name="Chart %d" descr="%s"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>`+
		`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>`+
		`<pic:nvPicPr><pic:cNvPr id="%d" name="chart%d.png"/><pic:cNvPicPr/></pic:nvPicPr>`+
		`<pic:blipFill><a:blip r:embed="rIdImg%d"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`+
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>`+
		`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`,
		cx, cy, n, n, xmlText(c.Title), n, n, n, cx, cy)
}

func (w *docxWriter) rels() string {
	var b strings.Builder
	b.WriteString(xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	b.WriteString(`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`)
	b.WriteString(`<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>`)
	b.WriteString(`<Relationship Id="rIdFooter1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>`)
	for i := range w.images {
		fmt.Fprintf(&b, `<Relationship Id="rIdImg%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/chart%d.png"/>`, i+1, i+1)
	}
	for i, l := range w.links {
		fmt.Fprintf(&b, `<Relationship Id="rIdLink%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="%s" TargetMode="External"/>`, i+1, xmlText(l))
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

const contentTypes = xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Default Extension="png" ContentType="image/png"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const rootRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const coreProps = xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
	`<dc:title>%s</dc:title><dc:creator>Rostrum</dc:creator>` +
	`<dcterms:created xsi:type="dcterms:W3CDTF">%s</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">%s</dcterms:modified>` +
	`</cp:coreProperties>`

const appProps = xml.Header + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Rostrum</Application></Properties>`

const documentOpen = `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
	`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
	`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ` +
	`xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>`

// A4 portrait, 2.5 cm margins, the footer with page numbers.
const sectPr = `<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter1"/>` +
	`<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1247" w:right="1417" w:bottom="1247" w:left="1417" w:header="709" w:footer="567" w:gutter="0"/></w:sectPr>`

const documentClose = `</w:body></w:document>`

const footerXML = xml.Header + `<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
	`<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve">Page </w:t></w:r>` +
	`<w:fldSimple w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>` +
	`<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve"> of </w:t></w:r>` +
	`<w:fldSimple w:instr=" NUMPAGES "><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>`

const settingsXML = xml.Header + `<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="567"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>`

const stylesXML = xml.Header + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="SimSun" w:cs="Times New Roman"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:jc w:val="center"/><w:spacing w:after="160"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="24"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="22"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="200" w:after="80"/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/><w:i/><w:sz w:val="22"/></w:rPr></w:style>` +
	`<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:rPr><w:color w:val="1F5FA8"/><w:u w:val="single"/></w:rPr></w:style>` +
	`</w:styles>`
