package mailtest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
)

// Message is one message the server accepted.
type Message struct {
	Seq  int      // 1 for the first message the server accepted, then 2, ...
	From string   // envelope sender (MAIL FROM)
	To   []string // envelope recipients (RCPT TO)
	User string   // the SMTP AUTH user, when the client authenticated
	TLS  bool     // whether the message came over TLS

	Header    mail.Header // the top-level headers as sent
	Subject   string      // decoded Subject
	MessageID string      // Message-ID, angle brackets included
	HeaderTo  string      // decoded To header

	Text        string // the text/plain body, decoded, line breaks as \n
	HTML        string // the text/html body, decoded, line breaks as \n
	Attachments []Attachment
	Raw         []byte // the message as received
}

// Attachment is a part sent with Content-Disposition: attachment (or with a
// file name).
type Attachment struct {
	Filename    string
	ContentType string // media type without parameters, e.g. application/pdf
	Data        []byte
}

var wordDecoder = &mime.WordDecoder{CharsetReader: func(charset string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "utf-8", "us-ascii":
		return in, nil
	}
	return nil, fmt.Errorf("unsupported charset %q", charset)
}}

func decodeHeader(v string) string {
	d, err := wordDecoder.DecodeHeader(v)
	if err != nil {
		return v
	}
	return d
}

// parse reads a raw RFC 5322 message with its MIME parts.
func parse(raw []byte) (*Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	m := &Message{
		Header:    msg.Header,
		Subject:   decodeHeader(msg.Header.Get("Subject")),
		MessageID: msg.Header.Get("Message-Id"),
		HeaderTo:  decodeHeader(msg.Header.Get("To")),
		Raw:       raw,
	}
	if err := m.walk(textproto.MIMEHeader(msg.Header), msg.Body, 0); err != nil {
		return nil, err
	}
	return m, nil
}

// walk visits one MIME entity (and its children).
func (m *Message) walk(h textproto.MIMEHeader, body io.Reader, depth int) error {
	if depth > 10 {
		return fmt.Errorf("MIME nesting too deep")
	}
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain; charset=us-ascii"
	}
	mediaType, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("content type %q: %w", ct, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := m.walk(p.Header, p, depth+1); err != nil {
				return err
			}
		}
	}
	data, err := io.ReadAll(decodeTransfer(h.Get("Content-Transfer-Encoding"), body))
	if err != nil {
		return fmt.Errorf("%s part: %w", mediaType, err)
	}
	disposition, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	filename := dparams["filename"]
	if filename == "" {
		filename = params["name"]
	}
	if disposition == "attachment" || (filename != "" && disposition != "inline") {
		m.Attachments = append(m.Attachments, Attachment{Filename: decodeHeader(filename), ContentType: mediaType, Data: data})
		return nil
	}
	switch mediaType {
	case "text/plain":
		if m.Text == "" {
			m.Text = strings.ReplaceAll(string(data), "\r\n", "\n")
		}
	case "text/html":
		if m.HTML == "" {
			m.HTML = strings.ReplaceAll(string(data), "\r\n", "\n")
		}
	default:
		m.Attachments = append(m.Attachments, Attachment{Filename: decodeHeader(filename), ContentType: mediaType, Data: data})
	}
	return nil
}

func decodeTransfer(enc string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, r) // skips line breaks itself
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	}
	return r
}
