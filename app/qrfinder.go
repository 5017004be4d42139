package app

// A scanner finds a symbol by its three finder patterns: it reads rows for
// dark, light, dark, light, dark runs near 1:1:3:1:1, checks the column
// and the row through the spot, and stops looking once it has three that
// agree. ZXing (and the scanners built on it) does so, and a spot in the
// data that passes those checks before the bottom-left finder is reached
// makes the symbol unreadable: about 1 token in 65 had one under the mask
// the penalty rules chose. The standard's rule 3 only counts 1011101 with
// four light modules beside it, so QRCode also skips a mask that has such
// a spot. The checks are ZXing's (FinderPatternFinder), in modules rather
// than pixels: every test is a ratio, so the scale drops out. The
// diagonal check is left out, which only ever finds more spots.

// hasFalseFinder reports whether a spot outside the three finder patterns
// passes a finder search's row, column and row checks.
func (m *qrMatrix) hasFalseFinder() bool {
	for y := range qrSize {
		runs, starts := m.rowRuns(y)
		for r := 0; r+4 < len(runs); r++ {
			if !m.dark(starts[r], y) {
				continue
			}
			counts := [5]int(runs[r : r+5])
			if !qrFinderRatio(counts) {
				continue
			}
			total := counts[0] + counts[1] + counts[2] + counts[3] + counts[4]
			end := starts[r+4] + counts[4]
			x := qrCenter(end, counts)
			vertical := func(k int) bool { return m.dark(x, k) }
			row, ok := qrCrossCheck(vertical, y, counts[2], total, 2)
			if !ok {
				continue
			}
			horizontal := func(k int) bool { return m.dark(k, row) }
			col, ok := qrCrossCheck(horizontal, x, counts[2], total, 1)
			if ok && !qrInFinder(col, row) {
				return true
			}
		}
	}
	return false
}

// dark reports the module at column x, row y; the quiet zone is light.
func (m *qrMatrix) dark(x, y int) bool {
	return x >= 0 && y >= 0 && x < qrSize && y < qrSize && m[y][x]
}

// rowRuns is row y, quiet zone included, as runs of one colour and the
// column each starts at.
func (m *qrMatrix) rowRuns(y int) (runs, starts []int) {
	for x := -qrQuiet; x < qrSize+qrQuiet; x++ {
		if len(runs) > 0 && m.dark(x, y) == m.dark(x-1, y) {
			runs[len(runs)-1]++
			continue
		}
		runs, starts = append(runs, 1), append(starts, x)
	}
	return runs, starts
}

// qrCrossCheck counts the five runs along a line through the dark module
// at start, as ZXing's crossCheckVertical and crossCheckHorizontal do:
// before it a run may be as long as the row's centre run (maxCount),
// after it shorter, and the total must be within total×fifths/5 of the
// row's. It returns the module the runs centre on.
func qrCrossCheck(dark func(int) bool, start, maxCount, total, fifths int) (int, bool) {
	const lo, hi = -qrQuiet, qrSize + qrQuiet // the scanned image
	var c [5]int
	i := start
	for ; i >= lo && dark(i); i-- {
		c[2]++
	}
	for ; i >= lo && !dark(i) && c[1] <= maxCount; i-- {
		c[1]++
	}
	if i < lo || c[1] > maxCount {
		return 0, false
	}
	for ; i >= lo && dark(i) && c[0] <= maxCount; i-- {
		c[0]++
	}
	if c[0] > maxCount {
		return 0, false
	}
	for i = start + 1; i < hi && dark(i); i++ {
		c[2]++
	}
	for ; i < hi && !dark(i) && c[3] < maxCount; i++ {
		c[3]++
	}
	if i == hi || c[3] >= maxCount {
		return 0, false
	}
	for ; i < hi && dark(i) && c[4] < maxCount; i++ {
		c[4]++
	}
	if c[4] >= maxCount {
		return 0, false
	}
	if 5*abs(c[0]+c[1]+c[2]+c[3]+c[4]-total) >= fifths*total || !qrFinderRatio(c) {
		return 0, false
	}
	return qrCenter(i, c), true
}

// qrFinderRatio is ZXing's test for 1:1:3:1:1: with a module of total/7,
// each run within half a module of its share, the centre within 1.5.
// Times 14, it stays in integers.
func qrFinderRatio(c [5]int) bool {
	total := c[0] + c[1] + c[2] + c[3] + c[4]
	for i, n := range c {
		share := 2 * total // a module, ×14
		if i == 2 {
			share *= 3
		}
		if n == 0 || abs(share-14*n) >= share/2 {
			return false
		}
	}
	return true
}

// qrCenter is the module at the middle of the centre run of runs c that
// end before module end; a centre on a module's edge is the module after
// it, as a pixel on that edge is.
func qrCenter(end int, c [5]int) int {
	return end - c[4] - c[3] - c[2] + c[2]/2
}

// qrInFinder reports whether the module is in one of the three finder
// patterns.
func qrInFinder(x, y int) bool {
	for _, f := range qrFinders {
		if abs(x-f[0]) <= 3 && abs(y-f[1]) <= 3 {
			return true
		}
	}
	return false
}
