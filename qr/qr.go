// Package qr draws the check-in code as a QR code, the same for the
// approval mail, the participant's page and the badges: one error
// correction level (medium: a crumpled badge still scans) and a quiet
// zone as the standard asks.
package qr

import (
	"encoding/base64"

	qrcode "github.com/skip2/go-qrcode"
)

func encode(text string) (*qrcode.QRCode, error) {
	return qrcode.New(text, qrcode.Medium)
}

// PNG is text's QR code as a PNG image about size pixels wide.
func PNG(text string, size int) ([]byte, error) {
	q, err := encode(text)
	if err != nil {
		return nil, err
	}
	return q.PNG(size)
}

// DataURL is text's QR code as a data: URL of a PNG, for an <img> (the
// pages' Content-Security-Policy allows data: images).
func DataURL(text string, size int) (string, error) {
	b, err := PNG(text, size)
	if err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b), nil
}

// Modules is text's QR code as rows of dark (true) and light modules,
// the quiet zone included, for drawing as vector squares (the badges' PDF).
func Modules(text string) ([][]bool, error) {
	q, err := encode(text)
	if err != nil {
		return nil, err
	}
	return q.Bitmap(), nil
}
