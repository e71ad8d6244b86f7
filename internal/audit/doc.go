// Package audit defines the audit record's canonical form and hash chain,
// verifies a chain and its signed checkpoints, and prepares what a record
// keeps of a tool call's input (secrets masked, file contents as size and
// digest).
//
// # Canonical form
//
// A record's hash is the lower-case hex SHA-256 of its canonical form: the
// record as one JSON object without its "hash" member, keys sorted, no
// insignificant whitespace, strings UTF-8 and escaped as JSON requires (no
// HTML escaping), times as RFC 3339 in UTC with exactly six fractional
// digits ("2026-11-29T08:20:00.123456Z"), integers as integers, empty
// strings and empty lists kept, numbers in the input as written; "input"
// and "result" are JSON objects, {} when the record has none. U+2028 and
// U+2029 are escaped as \u2028 and \u2029 (Go's encoding/json always does).
// "prev_hash" is the previous record's hash (64 zeros for the first), so the
// hash covers the whole history. In Python:
//
//	rec = dict(row); h = rec.pop("hash")
//	body = json.dumps(rec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
//	body = body.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
//	assert hashlib.sha256(body.encode()).hexdigest() == h
package audit
