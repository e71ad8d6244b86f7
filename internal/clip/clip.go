// Package clip shortens text for places with a size limit (Claude Code's
// 10,000-character fields, audit records, reasons) without splitting a
// UTF-8 sequence.
package clip

import "unicode/utf8"

// Ellipsis ends a clipped text.
const Ellipsis = "…"

// Bytes returns s when it fits in max bytes; otherwise the longest prefix
// that, with Ellipsis after it, does, cut at a rune boundary.
func Bytes(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - len(Ellipsis)
	if cut < 0 {
		cut = 0
	}
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + Ellipsis
}
