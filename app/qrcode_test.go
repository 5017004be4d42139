package app

import (
	"image"
	"image/color"
	"regexp"
	"strconv"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"rsc.io/qr/coding"
)

var qrTexts = []string{knownToken, "123e4567-e89b-42d3-a456-426614174000", "", "x", "0123456789abcdefghijklmnopqrstuvwxyzABCDEF"}

// Each mask gives the same symbol as rsc.io/qr's encoder, module by module.
func TestQRCodeMatchesRscQR(t *testing.T) {
	for _, text := range qrTexts {
		codewords := qrCodewords(text)
		for mask := range 8 {
			plan, err := coding.NewPlan(3, coding.M, coding.Mask(mask))
			if err != nil {
				t.Fatal(err)
			}
			want, err := plan.Encode(coding.String(text))
			if err != nil {
				t.Fatal(err)
			}
			got := qrDraw(codewords, mask)
			for y := range qrSize {
				for x := range qrSize {
					if w := want.Black(x, y); got[y][x] != w {
						t.Fatalf("%q mask %d: module (%d, %d) is %v, rsc.io/qr has %v", text, mask, x, y, got[y][x], w)
					}
				}
			}
		}
	}
}

func TestQRCodeRefusesLongerText(t *testing.T) {
	if _, ok := QRCode(string(make([]byte, QRMaxBytes+1))); ok {
		t.Error("QRCode took more than QRMaxBytes")
	}
}

// The SVG path, drawn as pixels, decodes back to the text.
func TestQRCodeDecodes(t *testing.T) {
	for _, text := range qrTexts[:2] {
		m, ok := QRCode(text)
		if !ok {
			t.Fatalf("QRCode(%q) refused", text)
		}
		got, err := decodeQR(rasterize(t, m.svgPath(), 8))
		if err != nil || got != text {
			t.Errorf("decoded %q (%v), want %q", got, err, text)
		}
	}
}

// rasterize draws the rectangles of an svgPath at scale pixels a module.
func rasterize(t *testing.T, path string, scale int) image.Image {
	t.Helper()
	side := (qrSize + 2*qrQuiet) * scale
	img := image.NewGray(image.Rect(0, 0, side, side))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	rect := regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
	runs := rect.FindAllStringSubmatch(path, -1)
	if len(rect.ReplaceAllString(path, "")) != 0 || len(runs) == 0 {
		t.Fatalf("path %q is not a list of runs", path)
	}
	for _, r := range runs {
		x, _ := strconv.Atoi(r[1])
		y, _ := strconv.Atoi(r[2])
		w, _ := strconv.Atoi(r[3])
		for py := y * scale; py < (y+1)*scale; py++ {
			for px := x * scale; px < (x+w)*scale; px++ {
				img.SetGray(px, py, color.Gray{})
			}
		}
	}
	return img
}

func decodeQR(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}
