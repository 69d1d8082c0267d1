package summary

import "bytes"

// maxNesting is how many block quotes and list items one line may open.
// goldmark walks the open containers again for each one it opens on a
// line, so a line of 100,000 ">" costs 100,000² steps; no document
// nests anything like 32 deep.
const maxNesting = 32

// limitNesting escapes the container markers of a line beyond the
// maxNesting-th, so that they read as the text they are. Lines nested
// less deeply (every real document) are left as they are.
func limitNesting(src []byte) []byte {
	var out []byte // nil until a line needs a change
	done := 0      // src[:done] is in out
	for start := 0; start < len(src); {
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		if at := excessMarker(src[start:end]); at >= 0 {
			out = append(out, src[done:start+at]...)
			out = append(out, '\\')
			done = start + at
		}
		start = end + 1
	}
	if out == nil {
		return src
	}
	return append(out, src[done:]...)
}

// excessMarker returns the offset in line of the container marker that
// would open the (maxNesting+1)-th container, or -1.
func excessMarker(line []byte) int {
	if thematicBreak(line) {
		return -1
	}
	depth := 0
	i := 0
	for i < len(line) {
		// Up to three spaces of indentation before each marker.
		for k := 0; k < 3 && i < len(line) && line[i] == ' '; k++ {
			i++
		}
		if i >= len(line) {
			return -1
		}
		n := markerLen(line[i:])
		if n == 0 {
			return -1
		}
		if depth == maxNesting {
			return i
		}
		depth++
		i += n
	}
	return -1
}

// markerLen is the length of the block-quote or list-item marker at the
// start of b (with one following space), or 0.
func markerLen(b []byte) int {
	spaced := func(n int) int {
		if n == len(b) {
			return n
		}
		if b[n] == ' ' || b[n] == '\t' {
			return n + 1
		}
		return 0
	}
	switch c := b[0]; {
	case c == '>':
		if len(b) > 1 && (b[1] == ' ' || b[1] == '\t') {
			return 2
		}
		return 1
	case c == '-' || c == '+' || c == '*':
		return spaced(1)
	case c >= '0' && c <= '9':
		n := 1
		for n < len(b) && n < 10 && b[n] >= '0' && b[n] <= '9' {
			n++
		}
		if n < len(b) && (b[n] == '.' || b[n] == ')') {
			return spaced(n + 1)
		}
	}
	return 0
}

// thematicBreak reports whether line is only one of "-", "*", "_" and
// blanks: a rule (however many), not nested list items.
func thematicBreak(line []byte) bool {
	var mark byte
	for _, c := range line {
		switch {
		case c == ' ' || c == '\t' || c == '\r':
		case mark == 0 && (c == '-' || c == '*' || c == '_'):
			mark = c
		case c != mark:
			return false
		}
	}
	return mark != 0
}

// maxDelimiterRuns is how many runs of "*", "_" or "~" a paragraph may
// hold before the rest read as text. goldmark matches each closing run
// against every run before it in the paragraph (it lacks CommonMark's
// "openers bottom"), so "**a_" repeated is quadratic; 1,000 runs (500
// emphasised phrases in one paragraph) bound that work at half a million
// steps a paragraph.
const maxDelimiterRuns = 1000

// limitDelimiters escapes, with a backslash before each character, the
// emphasis runs of a paragraph past its maxDelimiterRuns-th. A paragraph
// is counted from a blank line, a heading, a quote or a list item (a
// line that starts a new block); a line that might only continue a
// paragraph (such as "2." outside a list) counts with it. Fenced code is
// left alone.
func limitDelimiters(src []byte) []byte {
	var out []byte // nil until a run needs escaping
	done := 0
	runs := 0
	inList := false  // the previous line was blank or in a list
	fence := byte(0) // '`' or '~' inside a fenced block
	for start := 0; start < len(src); {
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		line := src[start:end]
		trimmed := bytes.TrimLeft(line, " ")
		if startsBlock(trimmed, inList) {
			runs = 0
			inList = true
		}
		switch {
		case len(bytes.TrimSpace(line)) == 0:
			runs, inList = 0, true
		case fence != 0:
			if bytes.HasPrefix(trimmed, []byte{fence, fence, fence}) {
				fence = 0
			}
		case bytes.HasPrefix(trimmed, []byte("```")) || bytes.HasPrefix(trimmed, []byte("~~~")):
			fence = trimmed[0]
		default:
			if !startsBlock(trimmed, inList) && len(line) == len(trimmed) {
				inList = false // an unindented paragraph line
			}
			for i := start; i < end; {
				c := src[i]
				if c != '*' && c != '_' && c != '~' || i > 0 && src[i-1] == '\\' {
					i++
					continue
				}
				j := i
				for j < end && src[j] == c {
					j++
				}
				if runs++; runs > maxDelimiterRuns {
					out = append(out, src[done:i]...)
					for k := i; k < j; k++ {
						out = append(out, '\\', c)
					}
					done = j
				}
				i = j
			}
		}
		start = end + 1
	}
	if out == nil {
		return src
	}
	return append(out, src[done:]...)
}

// startsBlock reports whether a line (indentation trimmed) surely starts
// a block of its own: a heading, a bullet, an ordered item numbered 1
// or, inside a list, any ordered item; inside quotes, what follows the
// quote markers (each line of a quoted paragraph repeats them).
func startsBlock(line []byte, inList bool) bool {
	line = bytes.TrimLeft(line, "> \t")
	if len(line) == 0 {
		return false
	}
	switch c := line[0]; {
	case c == '#':
		n := 0
		for n < len(line) && line[n] == '#' {
			n++
		}
		return n <= 6 && (n == len(line) || line[n] == ' ' || line[n] == '\t')
	case c == '-' || c == '+' || c == '*':
		return markerLen(line) > 0
	case c >= '0' && c <= '9':
		return markerLen(line) > 0 && (inList || c == '1' && len(line) > 1 && (line[1] == '.' || line[1] == ')'))
	}
	return false
}
