package policy

import (
	"unicode/utf16"
	"unicode/utf8"
)

// decodeString decodes the body of a JSON string the scanner accepted (the
// bytes between the quotes). With at >= 0 it also returns the offset in raw
// of the character that starts at byte at of the decoded value (len(raw) past
// the end), which is how a problem inside a string gets its column.
func decodeString(raw []byte, at int) (string, int) {
	out := make([]byte, 0, len(raw))
	last := 0 // raw offset of the last character decoded at or before at
	for i := 0; i < len(raw); {
		if len(out) <= at {
			last = i
		}
		c := raw[i]
		if c != '\\' {
			r, size := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && size == 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
			} else {
				out = append(out, raw[i:i+size]...)
			}
			i += size
			continue
		}
		switch raw[i+1] {
		case 'u':
			r := hex4(raw[i+2:])
			i += 6
			if utf16.IsSurrogate(r) {
				if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
					if r2 := utf16.DecodeRune(r, hex4(raw[i+2:])); r2 != utf8.RuneError {
						r = r2
						i += 6
					} else {
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
			continue
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		default: // " \ /
			out = append(out, raw[i+1])
		}
		i += 2
	}
	if at >= len(out) {
		last = len(raw)
	}
	return string(out), last
}

func hex4(b []byte) rune {
	return unhex(b[0])<<12 | unhex(b[1])<<8 | unhex(b[2])<<4 | unhex(b[3])
}
