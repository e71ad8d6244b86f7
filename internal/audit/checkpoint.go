package audit

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/govern-dev/govern"
)

// checkpointHeader opens the text of every checkpoint note.
const checkpointHeader = "govern audit checkpoint"

// NewKey returns a new Ed25519 signing key and its verifier key, in the
// signed-note encodings ("PRIVATE+KEY+name+…" and "name+…"). The signing
// key belongs outside the audit database, readable only by whoever signs
// checkpoints; the verifier key can be published.
func NewKey(name string) (signer, verifier string, err error) {
	return note.GenerateKey(rand.Reader, name)
}

// SignCheckpoint signs a statement that the chain's head after seq records
// is hash.
func SignCheckpoint(signerKey string, seq int64, hash string, at time.Time) (govern.Checkpoint, error) {
	s, err := note.NewSigner(strings.TrimSpace(signerKey))
	if err != nil {
		return govern.Checkpoint{}, fmt.Errorf("checkpoint signing key: %w", err)
	}
	at = at.UTC().Truncate(time.Second)
	text := fmt.Sprintf("%s\n%s\n%d\n%s\n%s\n", checkpointHeader, s.Name(), seq, hash, at.Format(time.RFC3339))
	msg, err := note.Sign(&note.Note{Text: text}, s)
	if err != nil {
		return govern.Checkpoint{}, fmt.Errorf("sign checkpoint: %w", err)
	}
	return govern.Checkpoint{Seq: seq, Hash: hash, Time: at, Note: string(msg)}, nil
}

// OpenCheckpoint authenticates a signed checkpoint note with one of the
// verifier keys and returns what it states. The Seq, Hash and Time of the
// result come from the signed text, never from anything stored beside it.
func OpenCheckpoint(msg string, verifierKeys ...string) (govern.Checkpoint, error) {
	var vs []note.Verifier
	for _, k := range verifierKeys {
		v, err := note.NewVerifier(strings.TrimSpace(k))
		if err != nil {
			return govern.Checkpoint{}, fmt.Errorf("checkpoint verifier key: %w", err)
		}
		vs = append(vs, v)
	}
	n, err := note.Open([]byte(msg), note.VerifierList(vs...))
	if err != nil {
		var unknown *note.UnknownVerifierError
		if errors.As(err, &unknown) {
			return govern.Checkpoint{}, fmt.Errorf("checkpoint is signed by %s, which is not a trusted key", unknown.Name)
		}
		var unverified *note.UnverifiedNoteError
		if errors.As(err, &unverified) {
			return govern.Checkpoint{}, errors.New("checkpoint is not signed by a trusted key")
		}
		return govern.Checkpoint{}, fmt.Errorf("checkpoint signature: %w", err)
	}
	lines := strings.Split(strings.TrimSuffix(n.Text, "\n"), "\n")
	if len(lines) != 5 || lines[0] != checkpointHeader {
		return govern.Checkpoint{}, errors.New("signed note is not a govern audit checkpoint")
	}
	seq, err := strconv.ParseInt(lines[2], 10, 64)
	if err != nil || seq < 0 {
		return govern.Checkpoint{}, fmt.Errorf("checkpoint has a bad record count %q", lines[2])
	}
	at, err := time.Parse(time.RFC3339, lines[4])
	if err != nil {
		return govern.Checkpoint{}, fmt.Errorf("checkpoint has a bad time %q", lines[4])
	}
	return govern.Checkpoint{Seq: seq, Hash: lines[3], Time: at, Note: msg}, nil
}
