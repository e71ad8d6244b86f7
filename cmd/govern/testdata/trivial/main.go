// Command trivial reads stdin and exits: the baseline for the cost of
// starting a Go process, against which `govern hook` is measured.
package main

import (
	"io"
	"os"
)

func main() { io.Copy(io.Discard, os.Stdin) }
