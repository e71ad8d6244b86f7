package policy

import (
	"fmt"
	"io"
	"os"
)

// ValidateFiles validates each file and writes one line per problem
// (file:line:col: message) to w, or "file: read: reason" for a file it
// cannot read. It reports whether every file is valid; `govern policy
// validate` exits 0 or 1 on it.
func ValidateFiles(paths []string, w io.Writer) (ok bool) {
	ok = true
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			ok = false
			fmt.Fprintf(w, "%s: read: %v\n", path, readReason(err))
			continue
		}
		for _, p := range Validate(path, data) {
			ok = false
			fmt.Fprintln(w, p)
		}
	}
	return ok
}

// readReason drops the "open FILE:" prefix that would repeat the name.
func readReason(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
