package app

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// Tokens whose symbol, under the mask the penalty rules alone chose, a
// finder search misread (a spot in the data taken for the bottom-left
// finder): gozxing gave NotFoundException for each.
var qrMisreadTokens = []string{
	"3df2b376-81f6-b385-94cb-b29275f74126",
	"54558284-0fec-d626-002f-91099a528e74",
	"bca6fa85-2ef4-ff03-bfe4-19362531feea",
	"5572326a-4f51-5eb5-c557-1775b83bd7d3",
	"def22475-c535-4a94-a259-de06d3429885",
	"8dc6f2bf-41d4-0d37-24df-55da7de7aa05",
}

// sweepTokens is n UUIDs from a fixed seed: the same each run.
func sweepTokens(n int) []string {
	r := rand.New(rand.NewChaCha8([32]byte{'q', 'r'}))
	tokens := make([]string, n)
	for i := range tokens {
		var b [16]byte
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		tokens[i] = fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
	}
	return tokens
}

// Every token's symbol decodes, the misread ones included.
func TestQRCodeDecodesEveryToken(t *testing.T) {
	t.Parallel()
	for _, text := range append(qrMisreadTokens, sweepTokens(200)...) {
		m, _ := QRCode(text)
		if got, err := decodeQR(rasterize(t, m.svgPath(), 12)); err != nil || got != text {
			t.Errorf("%s: decoded %q (%v)", text, got, err)
		}
	}
}

// hasFalseFinder flags every symbol gozxing's finder search misreads, over
// every mask: the emulation is at least as strict as the scanner.
func TestHasFalseFinderFlagsWhatGozxingMisreads(t *testing.T) {
	t.Parallel()
	misread := 0
	for _, text := range append(qrMisreadTokens, sweepTokens(20)...) {
		codewords := qrCodewords(text)
		for mask := range 8 {
			m := qrDraw(codewords, mask)
			if _, err := decodeQR(rasterize(t, m.svgPath(), 12)); err != nil {
				misread++
				if !m.hasFalseFinder() {
					t.Errorf("%s mask %d: gozxing misreads it (%v), hasFalseFinder says no", text, mask, err)
				}
			}
		}
	}
	if misread == 0 {
		t.Error("no symbol was misread: the check checks nothing")
	}
}

// The three real finder patterns are not false ones.
func TestHasFalseFinderIgnoresTheFinders(t *testing.T) {
	m := qrDraw(qrCodewords(""), 0)
	for y := range qrSize {
		for x := range qrSize {
			if !qrInFinder(x, y) && x != 6 && y != 6 {
				m[y][x] = false // only the finders and the timing lines remain
			}
		}
	}
	if m.hasFalseFinder() {
		t.Error("the finders alone count as a false finder")
	}
}
