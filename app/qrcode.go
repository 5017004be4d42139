package app

import "strconv"

// A QR code of the token, so it can move to a phone by its camera, drawn
// in the page and never sent anywhere. The token is always a UUID (36
// bytes), so one symbol fits every token: version 3 (29×29 modules),
// error correction level M (15 % of the symbol can be lost), byte mode.
// A general encoder (rsc.io/qr) cost app.wasm 54 KB; this one encodes what
// the desk shows and nothing else. qrcode_test.go checks it module by
// module against rsc.io/qr and decodes it back.

const (
	qrSize      = 29 // modules on a side, version 3
	qrDataBytes = 44 // data codewords of 3-M
	qrECCBytes  = 26 // error correction codewords of 3-M, one block
	qrQuiet     = 4  // the light margin a scanner needs, in modules
	// QRMaxBytes is the longest text the symbol holds.
	QRMaxBytes = qrDataBytes - 2
)

// qrFinders are the centres of the three finder patterns, each 7×7, at
// three corners.
var qrFinders = [3][2]int{{3, 3}, {qrSize - 4, 3}, {3, qrSize - 4}}

// qrMatrix is a symbol: true is dark.
type qrMatrix [qrSize][qrSize]bool

// QRCode encodes text (at most QRMaxBytes) with the mask that scores best
// by the standard's penalty rules among those a scanner's finder search
// reads right (qrfinder.go); if none is, the best of all.
func QRCode(text string) (qrMatrix, bool) {
	if len(text) > QRMaxBytes {
		return qrMatrix{}, false
	}
	codewords := qrCodewords(text)
	var best qrMatrix
	bestScore, bestFalse := -1, true
	for mask := range 8 {
		m := qrDraw(codewords, mask)
		score, falseFinder := m.penalty(), m.hasFalseFinder()
		if bestScore < 0 || bestFalse && !falseFinder || falseFinder == bestFalse && score < bestScore {
			best, bestScore, bestFalse = m, score, falseFinder
		}
	}
	return best, true
}

// qrCodewords is text in byte mode, padded, then its error correction.
func qrCodewords(text string) []byte {
	data := make([]byte, 0, qrDataBytes+qrECCBytes)
	// Mode 0100 (bytes), an 8-bit count, the bytes, a 4-bit terminator.
	data = append(data, 0x40|byte(len(text))>>4)
	prev := byte(len(text)) << 4
	for i := range len(text) {
		data = append(data, prev|text[i]>>4)
		prev = text[i] << 4
	}
	data = append(data, prev)
	for pad := byte(0xEC); len(data) < qrDataBytes; pad ^= 0xEC ^ 0x11 {
		data = append(data, pad)
	}
	return append(data, qrECC(data)...)
}

// qrECC is the Reed–Solomon remainder of data over GF(2⁸) mod 0x11D.
func qrECC(data []byte) []byte {
	// The generator ∏ (x − 2ⁱ), i < qrECCBytes, highest term implied.
	gen := make([]byte, qrECCBytes)
	gen[qrECCBytes-1] = 1
	root := byte(1)
	for range qrECCBytes {
		for j := range gen {
			gen[j] = gfMul(gen[j], root)
			if j+1 < len(gen) {
				gen[j] ^= gen[j+1]
			}
		}
		root = gfMul(root, 2)
	}
	rem := make([]byte, qrECCBytes)
	for _, b := range data {
		factor := b ^ rem[0]
		copy(rem, rem[1:])
		rem[qrECCBytes-1] = 0
		for j := range rem {
			rem[j] ^= gfMul(gen[j], factor)
		}
	}
	return rem
}

// gfMul multiplies in GF(2⁸) with the QR polynomial 0x11D.
func gfMul(x, y byte) byte {
	var z int
	for i := 7; i >= 0; i-- {
		z = z<<1 ^ (z>>7)*0x11D
		z ^= int(y>>i&1) * int(x)
	}
	return byte(z)
}

// qrDraw lays out the function patterns, the codewords under mask and
// the format bits.
func qrDraw(codewords []byte, mask int) qrMatrix {
	var m, fixed qrMatrix
	set := func(x, y int, dark bool) { m[y][x], fixed[y][x] = dark, true }
	for i := range qrSize {
		set(6, i, i%2 == 0)
		set(i, 6, i%2 == 0)
	}
	patterns := [][3]int{{22, 22, 2}} // version 3's alignment pattern
	for _, f := range qrFinders {
		patterns = append(patterns, [3]int{f[0], f[1], 4})
	}
	for _, c := range patterns {
		for dy := -c[2]; dy <= c[2]; dy++ {
			for dx := -c[2]; dx <= c[2]; dx++ {
				x, y, d := c[0]+dx, c[1]+dy, max(abs(dx), abs(dy))
				if x >= 0 && x < qrSize && y >= 0 && y < qrSize {
					// A finder is a 3×3 dark core, a light ring, a dark
					// ring and a light separator; an alignment
					// pattern a dark centre, light and dark rings.
					dark := d != 2 && d != 4
					if c[2] == 2 {
						dark = d != 1
					}
					set(x, y, dark)
				}
			}
		}
	}
	qrFormat(set, mask)
	qrPlace(&m, &fixed, codewords, mask)
	return m
}

// qrFormat draws the level (M) and the mask, BCH-coded, twice.
func qrFormat(set func(x, y int, dark bool), mask int) {
	bits := mask << 10 // level M is 00
	rem := bits
	for i := 14; i >= 10; i-- {
		if rem>>i&1 != 0 {
			rem ^= 0x537 << (i - 10)
		}
	}
	bits = (bits | rem) ^ 0x5412
	for i := range 15 {
		dark := bits>>i&1 != 0
		switch {
		case i < 6:
			set(8, i, dark)
		case i < 8:
			set(8, i+1, dark)
		case i == 8:
			set(7, 8, dark)
		default:
			set(14-i, 8, dark)
		}
		if i < 8 {
			set(qrSize-1-i, 8, dark)
		} else {
			set(8, qrSize-15+i, dark)
		}
	}
	set(8, qrSize-8, true) // the dark module
}

// qrPlace fills the free modules with the codewords' bits in the
// standard's zigzag, two columns at a time from the bottom right.
func qrPlace(m, fixed *qrMatrix, codewords []byte, mask int) {
	i := 0
	for right := qrSize - 1; right >= 1; right -= 2 {
		if right == 6 {
			right = 5 // the vertical timing pattern
		}
		for vert := range qrSize {
			for j := range 2 {
				x, y := right-j, vert
				if (right+1)&2 == 0 {
					y = qrSize - 1 - vert
				}
				if fixed[y][x] {
					continue
				}
				dark := i < len(codewords)*8 && codewords[i>>3]>>(7-i&7)&1 != 0
				i++
				m[y][x] = dark != qrMasked(mask, x, y)
			}
		}
	}
}

// qrMasked reports whether the mask flips the module in column x, row y.
func qrMasked(mask, x, y int) bool {
	switch mask {
	case 0:
		return (x+y)%2 == 0
	case 1:
		return y%2 == 0
	case 2:
		return x%3 == 0
	case 3:
		return (x+y)%3 == 0
	case 4:
		return (x/3+y/2)%2 == 0
	case 5:
		return x*y%2+x*y%3 == 0
	case 6:
		return (x*y%2+x*y%3)%2 == 0
	}
	return ((x+y)%2+x*y%3)%2 == 0
}

// penalty scores the symbol by the standard's four rules: lower scans
// more reliably.
func (m *qrMatrix) penalty() int {
	score, dark := 0, 0
	for a := range qrSize {
		runRow, runCol := 1, 1
		for b := range qrSize {
			if m[a][b] {
				dark++
			}
			if b == 0 {
				continue
			}
			runRow = qrRun(&score, runRow, m[a][b] == m[a][b-1])
			runCol = qrRun(&score, runCol, m[b][a] == m[b-1][a])
			if a > 0 && m[a][b] == m[a][b-1] && m[a][b] == m[a-1][b] && m[a][b] == m[a-1][b-1] {
				score += 3
			}
		}
		for b := 0; b+11 <= qrSize; b++ {
			score += 40 * (qrFinderLike(func(i int) bool { return m[a][b+i] }) +
				qrFinderLike(func(i int) bool { return m[b+i][a] }))
		}
	}
	return score + 10*(abs(dark*20-qrSize*qrSize*10)/(qrSize*qrSize))
}

// qrRun extends a run of same-coloured modules, scoring rule 1.
func qrRun(score *int, run int, same bool) int {
	if !same {
		return 1
	}
	run++
	if run == 5 {
		*score += 3
	} else if run > 5 {
		*score++
	}
	return run
}

// qrFinderLike counts the patterns 1011101 with four light modules
// before or after, in 11 modules (rule 3).
func qrFinderLike(at func(int) bool) int {
	const core = 0b1011101
	var bits int
	for i := range 11 {
		bits <<= 1
		if at(i) {
			bits |= 1
		}
	}
	n := 0
	if bits == core<<4 {
		n++
	}
	if bits == core {
		n++
	}
	return n
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// svgPath draws the dark modules as one SVG path, a rectangle per run,
// inside a quiet zone; the viewBox is QRViewBox.
func (m *qrMatrix) svgPath() string {
	var b []byte
	for y := range qrSize {
		for x := 0; x < qrSize; x++ {
			if !m[y][x] {
				continue
			}
			start := x
			for x < qrSize && m[y][x] {
				x++
			}
			b = append(b, 'M')
			b = strconv.AppendInt(b, int64(start+qrQuiet), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(y+qrQuiet), 10)
			b = append(b, 'h')
			b = strconv.AppendInt(b, int64(x-start), 10)
			b = append(b, "v1h-"...)
			b = strconv.AppendInt(b, int64(x-start), 10)
			b = append(b, 'z')
		}
	}
	return string(b)
}

// qrViewBox is the symbol with its quiet zone.
var qrViewBox = "0 0 " + strconv.Itoa(qrSize+2*qrQuiet) + " " + strconv.Itoa(qrSize+2*qrQuiet)
