package policy

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// A node is one JSON value with the byte offsets it spans, so that every
// problem can point at the key or value it is about.
type node struct {
	kind    kind
	off     int    // first byte of the value
	end     int    // one past its last byte
	str     string // string: decoded value; number: literal text
	boolean bool
	members []member // object, in file order
	elems   []*node  // array
}

type member struct {
	key    string
	keyOff int // offset of the key's opening quote
	val    *node
}

type kind uint8

const (
	kNull kind = iota
	kBool
	kNumber
	kString
	kArray
	kObject
)

func (k kind) String() string {
	return [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}[k]
}

// get returns the value of key in an object node, or nil.
func (n *node) get(key string) *node {
	if n == nil || n.kind != kObject {
		return nil
	}
	for i := range n.members {
		if n.members[i].key == key {
			return n.members[i].val
		}
	}
	return nil
}

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 512

// syntaxError is a JSON syntax error at a byte offset.
type syntaxError struct {
	off int
	msg string
}

// scanner builds the node tree of a JSON document (RFC 8259, UTF-8).
// Syntax errors end the scan; duplicate keys and invalid UTF-8 are recorded
// as problems and scanning goes on.
type scanner struct {
	data   []byte
	pos    int
	nodes  []node // slab the tree's nodes are cut from
	report func(off int, format string, args ...any)
}

func (s *scanner) newNode(k kind, off int) *node {
	if len(s.nodes) == cap(s.nodes) {
		s.nodes = make([]node, 0, 64)
	}
	s.nodes = append(s.nodes, node{kind: k, off: off})
	return &s.nodes[len(s.nodes)-1]
}

// parseTree parses the whole document.
func (s *scanner) parseTree() (*node, *syntaxError) {
	if len(s.data) >= 3 && s.data[0] == 0xEF && s.data[1] == 0xBB && s.data[2] == 0xBF {
		return nil, &syntaxError{0, "file starts with a byte order mark; save it as UTF-8 without one"}
	}
	s.skipSpace()
	if s.pos == len(s.data) {
		return nil, &syntaxError{0, "empty file: a policy is a JSON object"}
	}
	n, err := s.value(0)
	if err != nil {
		return nil, err
	}
	s.skipSpace()
	if s.pos < len(s.data) {
		return nil, &syntaxError{s.pos, "unexpected data after the policy object"}
	}
	return n, nil
}

func (s *scanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

func (s *scanner) unexpected(what string) *syntaxError {
	if s.pos >= len(s.data) {
		return &syntaxError{s.pos, "unexpected end of file, expected " + what}
	}
	r, _ := utf8.DecodeRune(s.data[s.pos:])
	return &syntaxError{s.pos, fmt.Sprintf("unexpected %s, expected %s", quoteChar(r), what)}
}

func quoteChar(r rune) string {
	if r == utf8.RuneError {
		return "byte"
	}
	return strconv.QuoteRune(r)
}

func (s *scanner) value(depth int) (*node, *syntaxError) {
	if depth > maxDepth {
		return nil, &syntaxError{s.pos, fmt.Sprintf("nesting deeper than %d levels", maxDepth)}
	}
	if s.pos >= len(s.data) {
		return nil, s.unexpected("a value")
	}
	switch c := s.data[s.pos]; {
	case c == '{':
		return s.object(depth)
	case c == '[':
		return s.array(depth)
	case c == '"':
		n := s.newNode(kString, s.pos)
		str, err := s.string()
		n.str, n.end = str, s.pos
		return n, err
	case c == '-' || c >= '0' && c <= '9':
		return s.number()
	case c == 't':
		return s.literal("true", kBool, true)
	case c == 'f':
		return s.literal("false", kBool, false)
	case c == 'n':
		return s.literal("null", kNull, false)
	}
	return nil, s.unexpected("a value")
}

func (s *scanner) literal(word string, k kind, b bool) (*node, *syntaxError) {
	for i := 0; i < len(word); i++ {
		if s.pos+i >= len(s.data) || s.data[s.pos+i] != word[i] {
			s.pos += i
			return nil, s.unexpected(fmt.Sprintf("%q", word))
		}
	}
	n := s.newNode(k, s.pos)
	n.boolean = b
	s.pos += len(word)
	n.end = s.pos
	return n, nil
}

func (s *scanner) number() (*node, *syntaxError) {
	start := s.pos
	digits := func() int {
		n := 0
		for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
			s.pos++
			n++
		}
		return n
	}
	if s.data[s.pos] == '-' {
		s.pos++
	}
	if s.pos < len(s.data) && s.data[s.pos] == '0' {
		s.pos++
	} else if digits() == 0 {
		return nil, s.unexpected("a digit")
	}
	if s.pos < len(s.data) && s.data[s.pos] == '.' {
		s.pos++
		if digits() == 0 {
			return nil, s.unexpected("a digit")
		}
	}
	if s.pos < len(s.data) && (s.data[s.pos] == 'e' || s.data[s.pos] == 'E') {
		s.pos++
		if s.pos < len(s.data) && (s.data[s.pos] == '+' || s.data[s.pos] == '-') {
			s.pos++
		}
		if digits() == 0 {
			return nil, s.unexpected("a digit")
		}
	}
	n := s.newNode(kNumber, start)
	n.str, n.end = string(s.data[start:s.pos]), s.pos
	return n, nil
}

func (s *scanner) array(depth int) (*node, *syntaxError) {
	n := s.newNode(kArray, s.pos)
	s.pos++ // [
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		n.end = s.pos
		return n, nil
	}
	for {
		s.skipSpace()
		v, err := s.value(depth + 1)
		if err != nil {
			return nil, err
		}
		n.elems = append(n.elems, v)
		s.skipSpace()
		if s.pos < len(s.data) && s.data[s.pos] == ',' {
			s.pos++
			continue
		}
		if s.pos < len(s.data) && s.data[s.pos] == ']' {
			s.pos++
			n.end = s.pos
			return n, nil
		}
		return nil, s.unexpected(`"," or "]"`)
	}
}

func (s *scanner) object(depth int) (*node, *syntaxError) {
	n := s.newNode(kObject, s.pos)
	s.pos++ // {
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
		n.end = s.pos
		return n, nil
	}
	var seen map[string]bool // only for large objects
	for {
		s.skipSpace()
		if s.pos >= len(s.data) || s.data[s.pos] != '"' {
			return nil, s.unexpected("a key in double quotes")
		}
		keyOff := s.pos
		key, err := s.string()
		if err != nil {
			return nil, err
		}
		if dup := s.duplicate(n, key, &seen); dup {
			s.report(keyOff, "duplicate key %q", key)
		}
		s.skipSpace()
		if s.pos >= len(s.data) || s.data[s.pos] != ':' {
			return nil, s.unexpected(`":"`)
		}
		s.pos++
		s.skipSpace()
		v, err := s.value(depth + 1)
		if err != nil {
			return nil, err
		}
		n.members = append(n.members, member{key: key, keyOff: keyOff, val: v})
		s.skipSpace()
		if s.pos < len(s.data) && s.data[s.pos] == ',' {
			s.pos++
			continue
		}
		if s.pos < len(s.data) && s.data[s.pos] == '}' {
			s.pos++
			n.end = s.pos
			return n, nil
		}
		return nil, s.unexpected(`"," or "}"`)
	}
}

// duplicate reports whether key is already a member of n.
func (s *scanner) duplicate(n *node, key string, seen *map[string]bool) bool {
	if len(n.members) < 16 {
		for _, m := range n.members {
			if m.key == key {
				return true
			}
		}
		return false
	}
	if *seen == nil {
		*seen = make(map[string]bool, 2*len(n.members))
		for _, m := range n.members {
			(*seen)[m.key] = true
		}
	}
	if (*seen)[key] {
		return true
	}
	(*seen)[key] = true
	return false
}

// string scans a JSON string starting at its opening quote and returns its
// decoded value. Invalid UTF-8 is reported and replaced with U+FFFD, as
// encoding/json does; so are lone UTF-16 surrogates.
func (s *scanner) string() (string, *syntaxError) {
	start := s.pos
	s.pos++ // opening quote
	plain := true
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			s.pos++
			if plain {
				return string(s.data[start+1 : s.pos-1]), nil
			}
			str, _ := decodeString(s.data[start+1:s.pos-1], -1)
			return str, nil
		case c == '\\':
			plain = false
			if err := s.escape(); err != nil {
				return "", err
			}
		case c < 0x20:
			return "", &syntaxError{s.pos, "control character in string; write it as an escape such as \\n"}
		case c < utf8.RuneSelf:
			s.pos++
		default:
			r, size := utf8.DecodeRune(s.data[s.pos:])
			if r == utf8.RuneError && size == 1 {
				s.report(s.pos, "invalid UTF-8 in string")
				plain = false
			}
			s.pos += size
		}
	}
	return "", &syntaxError{start, "string is not terminated"}
}

func (s *scanner) escape() *syntaxError {
	s.pos++ // backslash
	if s.pos >= len(s.data) {
		return s.unexpected("an escape character")
	}
	switch s.data[s.pos] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		s.pos++
		return nil
	case 'u':
		s.pos++
		for range 4 {
			if s.pos >= len(s.data) || unhex(s.data[s.pos]) < 0 {
				return s.unexpected("a hex digit")
			}
			s.pos++
		}
		return nil
	}
	r, _ := utf8.DecodeRune(s.data[s.pos:])
	return &syntaxError{s.pos - 1, fmt.Sprintf("invalid escape character %s in string", quoteChar(r))}
}

func unhex(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}
