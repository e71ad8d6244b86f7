package audit

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govern-dev/govern"
)

// Genesis is the prev_hash of the first record of a chain.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// TimeFormat is how a record's time appears in its canonical form and in
// the stores.
const TimeFormat = "2006-01-02T15:04:05.000000Z"

// canonical is the record in canonical form: fields in sorted key order,
// every member present.
type canonical struct {
	Event           string          `json:"event"`
	Host            string          `json:"host"`
	ID              string          `json:"id"`
	Input           json.RawMessage `json:"input"`
	LatencyUS       int64           `json:"latency_us"`
	Layer           string          `json:"layer"`
	Outcome         string          `json:"outcome"`
	Personas        []string        `json:"personas"`
	PolicyRevision  string          `json:"policy_revision"`
	PrevHash        string          `json:"prev_hash"`
	Reason          string          `json:"reason"`
	Recommendations []string        `json:"recommendations"`
	Result          json.RawMessage `json:"result"`
	Risk            string          `json:"risk"`
	Rule            string          `json:"rule"`
	Seq             int64           `json:"seq"`
	Session         string          `json:"session"`
	Team            string          `json:"team"`
	Time            string          `json:"time"`
	Tool            string          `json:"tool"`
	User            string          `json:"user"`
}

// Canonical returns r's canonical form (see the package documentation).
func Canonical(r *govern.AuditRecord) ([]byte, error) {
	input, err := canonicalObject(r.Input)
	if err != nil {
		return nil, fmt.Errorf("record %s input: %w", r.ID, err)
	}
	result, err := canonicalObject(r.Result)
	if err != nil {
		return nil, fmt.Errorf("record %s result: %w", r.ID, err)
	}
	c := canonical{
		Event: r.Event, Host: r.Host, ID: r.ID, Input: input, LatencyUS: r.LatencyUS, Layer: r.Layer,
		Outcome: string(r.Outcome), Personas: orEmpty(r.Personas), PolicyRevision: r.PolicyRevision,
		PrevHash: r.PrevHash, Reason: r.Reason, Recommendations: orEmpty(r.Recommendations), Result: result,
		Risk: string(r.Risk), Rule: r.Rule, Seq: r.Seq, Session: r.Session, Team: r.Team,
		Time: r.Time.UTC().Format(TimeFormat), Tool: r.Tool, User: r.User,
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// canonicalObject is a JSON member's canonical form, {} when it is empty.
func canonicalObject(raw json.RawMessage) (json.RawMessage, error) {
	if len(raw) == 0 {
		return json.RawMessage("{}"), nil
	}
	return CanonicalJSON(raw)
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Hash returns the hash of r's canonical form.
func Hash(r *govern.AuditRecord) (string, error) {
	c, err := Canonical(r)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(c)
	return hex.EncodeToString(sum[:]), nil
}

// Seal puts r at the head of a chain whose last record has seq and hash
// prev (0 and Genesis for an empty chain): it sets Seq, PrevHash, an ID
// when r has none, a UTC time truncated to microseconds, and Hash. Stores
// call it inside the transaction that orders the chain.
func Seal(r *govern.AuditRecord, seq int64, prev string) error {
	sanitize(r)
	if r.ID == "" {
		r.ID = NewID(r.Time)
	}
	r.Time = r.Time.UTC().Truncate(time.Microsecond)
	r.Seq, r.PrevHash = seq+1, prev
	h, err := Hash(r)
	if err != nil {
		return err
	}
	r.Hash = h
	return nil
}

// sanitize makes every text field storable in both stores: valid UTF-8
// without NUL bytes (PostgreSQL text holds neither). It runs before the hash
// is computed, so the hash covers exactly what is stored.
func sanitize(r *govern.AuditRecord) {
	for _, p := range []*string{&r.ID, &r.Event, &r.Session, &r.User, &r.Team, &r.Host, &r.Tool, &r.Reason,
		&r.Rule, &r.Layer, &r.PolicyRevision, (*string)(&r.Outcome), (*string)(&r.Risk)} {
		*p = storable(*p)
	}
	r.Personas = storableAll(r.Personas)
	r.Recommendations = storableAll(r.Recommendations)
}

// storableAll returns list with every element storable, copying it only
// when something changes: the caller's slice is never modified.
func storableAll(list []string) []string {
	for i, s := range list {
		if t := storable(s); t != s {
			out := append([]string(nil), list...)
			out[i] = t
			for j := i + 1; j < len(out); j++ {
				out[j] = storable(out[j])
			}
			return out
		}
	}
	return list
}

// storable replaces each NUL and each byte of invalid UTF-8 with U+FFFD, as
// encoding/json does for invalid bytes.
func storable(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == 0 || c == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// NewID returns a sortable unique id: the time in milliseconds and 80
// random bits, in Crockford base32 (the ULID layout), so ids sort by time.
func NewID(t time.Time) string {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	var b [16]byte
	ms := uint64(t.UnixMilli())
	for i := 5; i >= 0; i-- {
		b[i] = byte(ms)
		ms >>= 8
	}
	rand.Read(b[6:])
	// 128 bits → 26 characters of 5 bits, most significant first.
	var out [26]byte
	var acc uint64
	var bits uint
	j := 0
	// Leading 2 bits pad: ULID encodes 128 bits as 26*5=130 bits.
	acc, bits = 0, 2
	for _, x := range b {
		acc = acc<<8 | uint64(x)
		bits += 8
		for bits >= 5 {
			bits -= 5
			out[j] = alphabet[(acc>>bits)&31]
			j++
		}
	}
	return string(out[:j])
}

// CanonicalJSON re-encodes a JSON value with sorted object keys, no
// insignificant whitespace and no HTML escaping; numbers keep their text.
func CanonicalJSON(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		// More than one value: the rest must not vanish from the hash.
		return nil, errors.New("invalid JSON: data after the value")
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// EncodeList renders a list field (personas, recommendations) as both
// stores keep it: a JSON array of strings, "[]" when empty, no HTML escaping.
func EncodeList(l []string) string {
	if len(l) == 0 {
		return "[]"
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(l) // a []string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// DecodeList reads a list field (personas, recommendations) as the stores
// keep it, a JSON array of strings. Anything else, as an edit of the raw
// column could leave it, reads as one element starting with NUL, which no
// sealed record holds (Seal replaces NUL), so verification reports the
// record as edited instead of failing to read it.
func DecodeList(s string) []string {
	var l []string
	if err := json.Unmarshal([]byte(s), &l); err != nil {
		return []string{"\x00" + s}
	}
	if len(l) == 0 {
		return nil
	}
	return l
}
