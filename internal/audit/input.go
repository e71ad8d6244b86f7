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
func Input(raw json.RawMessage) json.RawMessage {
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
		v[k] = scrub(k, x)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// scrub returns what is kept of the value of field key.
func scrub(key string, x any) any {
	switch x := x.(type) {
	case string:
		if contentFields[key] {
			return digest(x)
		}
		masked, _ := secret.Mask(x)
		return masked
	case map[string]any:
		for k, y := range x {
			x[k] = scrub(k, y)
		}
		return x
	case []any:
		for i, y := range x {
			x[i] = scrub(key, y)
		}
		return x
	}
	return x
}

func digest(s string) map[string]any {
	sum := sha256.Sum256([]byte(s))
	return map[string]any{"bytes": len(s), "sha256": hex.EncodeToString(sum[:])}
}
