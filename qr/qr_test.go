package qr

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"strings"
	"testing"
)

func TestTheDataURLIsThePNGAndTheModulesAreSquare(t *testing.T) {
	const code = "ZHAEMM7KUHU47HJGF73V"
	b, err := PNG(code, 320)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil || img.Bounds().Dx() != 320 || img.Bounds().Dy() != 320 {
		t.Fatalf("png: %v %v", err, img)
	}
	u, _ := DataURL(code, 320)
	got, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(u, "data:image/png;base64,"))
	if err != nil || !bytes.Equal(got, b) {
		t.Fatal("the data: URL is not the PNG")
	}
	m, err := Modules(code)
	if err != nil || len(m) == 0 {
		t.Fatal(err)
	}
	for _, row := range m {
		if len(row) != len(m) {
			t.Fatalf("a row of %d modules in a code of %d", len(row), len(m))
		}
	}
}
