package summary

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// ChartPNG draws a horizontal bar chart as a PNG (for the DOCX), labels
// set in the body font when fonts are given, else in a built-in bitmap
// face. It returns the image and its size in pixels.
func ChartPNG(c *Chart, fonts *Fonts) ([]byte, int, int, error) {
	const width, labelW, rowH, pad, valueW = 1200, 480, 44, 16, 110
	h := pad*2 + rowH*max(len(c.Bars), 1)
	img := image.NewRGBA(image.Rect(0, 0, width, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)

	var face font.Face = basicfont.Face7x13
	if fonts != nil {
		if f := fonts.Body[""]; f != nil {
			if ot, err := opentype.Parse(f.Data); err == nil {
				if fc, err := opentype.NewFace(ot, &opentype.FaceOptions{Size: 20, DPI: 72, Hinting: font.HintingFull}); err == nil {
					face = fc
					defer fc.Close()
				}
			}
		}
	}
	ink := image.NewUniform(color.RGBA{17, 17, 17, 255})
	bar := image.NewUniform(color.RGBA{31, 95, 168, 255})
	text := func(s string, x, y int, right bool) {
		d := &font.Drawer{Dst: img, Src: ink, Face: face}
		if right {
			x -= d.MeasureString(s).Ceil()
		}
		d.Dot = fixed.P(x, y)
		d.DrawString(s)
	}
	maxV := 0.0
	for _, b := range c.Bars {
		maxV = max(maxV, b.Value)
	}
	asc := face.Metrics().Ascent.Ceil()
	for i, b := range c.Bars {
		y := pad + i*rowH
		label := xmlSafe(b.Label)
		if r := []rune(label); len(r) > 42 {
			label = string(r[:41]) + "…"
		}
		text(label, labelW-12, y+rowH/2+asc/2-2, true)
		w := 0
		if maxV > 0 {
			w = int(b.Value / maxV * float64(width-labelW-valueW))
		}
		draw.Draw(img, image.Rect(labelW, y+8, labelW+w, y+rowH-8), bar, image.Point{}, draw.Src)
		text(formatValue(b.Value), labelW+w+8, y+rowH/2+asc/2-2, false)
	}
	draw.Draw(img, image.Rect(labelW-1, pad, labelW, h-pad), ink, image.Point{}, draw.Src)
	var out bytes.Buffer
	if err := png.Encode(&out, img); err != nil {
		return nil, 0, 0, err
	}
	return out.Bytes(), width, h, nil
}
