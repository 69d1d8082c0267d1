package testenv

import (
	"bytes"
	"mime/multipart"
)

// Multipart is a multipart/form-data body holding fields and, when
// filename is not empty, data in the field file; it returns the body and
// its Content-Type.
func Multipart(fields map[string]string, filename string, data []byte) ([]byte, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	if filename != "" {
		f, _ := w.CreateFormFile("file", filename)
		_, _ = f.Write(data)
	}
	_ = w.Close()
	return b.Bytes(), w.FormDataContentType()
}

// TinyPDF is the smallest file the document library takes for a PDF:
// what a PDF starts with. (Tests that read a document with poppler
// render a real one.)
var TinyPDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

// Upload posts a document to the library of meeting slug as c and
// returns the answer.
func (c *Client) Upload(slug string, fields map[string]string, filename string, data []byte) *Response {
	c.T.Helper()
	body, ct := Multipart(fields, filename, data)
	return c.DoHeaders("POST", "/api/meetings/"+slug+"/documents", body, map[string]string{"Content-Type": ct})
}
