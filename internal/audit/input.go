package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/govern-dev/govern/internal/secret"
)

// contentFields hold file contents: a record keeps only their size and
// digest, enough to prove what was written without keeping it.
var contentFields = map[string]bool{
	"content": true, "old_string": true, "new_string": true, "new_source": true,
}

// Input returns what a record keeps of a tool call's input: commands, paths
// and other fields readable, credentials masked, file contents replaced by
// {"bytes": N, "sha256": "…"}. The result is canonical JSON. Input that is
// not a JSON object is kept as its size and digest.
func Input(raw json.RawMessage) json.RawMessage { return keep(raw, false) }

// EventFields returns what a record keeps of a hook event's own fields (a
// Notification's message, a PostToolBatch's calls and their output, …):
// as Input keeps a tool call's input, and text longer than MaxText clipped
// as Text clips it, since such events can carry whole outputs.
func EventFields(raw json.RawMessage) json.RawMessage { return keep(raw, true) }

func keep(raw json.RawMessage, clipLong bool) json.RawMessage {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		out, _ := json.Marshal(map[string]any{"unparsed": digest(string(raw))})
		return out
	}
	for k, x := range v {
		v[k] = scrub(k, x, clipLong)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// scrub returns what is kept of the value of field key; with clipLong,
// long text is clipped.
func scrub(key string, x any, clipLong bool) any {
	switch x := x.(type) {
	case string:
		if contentFields[key] {
			return digest(x)
		}
		if clipLong {
			kept, _ := Text(x)
			return kept
		}
		masked, _ := secret.Mask(x)
		return masked
	case map[string]any:
		for k, y := range x {
			x[k] = scrub(k, y, clipLong)
		}
		return x
	case []any:
		for i, y := range x {
			x[i] = scrub(key, y, clipLong)
		}
		return x
	}
	return x
}

func digest(s string) map[string]any {
	sum := sha256.Sum256([]byte(s))
	return map[string]any{"bytes": len(s), "sha256": hex.EncodeToString(sum[:])}
}
