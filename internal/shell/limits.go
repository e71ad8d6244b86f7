package shell

import "errors"

// Bounds on the work one Analyze call may do. The parser recurses once per
// nesting level and can exhaust the goroutine stack (a fatal error, not a
// panic) on deeply nested input, so text is checked lexically before it is
// parsed, and the walk and the re-parsing of nested code are bounded too.
const (
	maxInput      = 1 << 20 // bytes of one command line
	maxParsed     = 2 << 20 // bytes parsed in total, nested code included
	maxReparse    = 8       // nesting of bash -c, eval, here-docs fed to shells
	maxBrackets   = 256     // lexical nesting of ( { [
	maxKeywords   = 256     // lexical nesting of if/while/until/for/case/select
	maxPrefixes   = 64      // "time" or "coproc" words in a row
	maxSeps       = 100000  // | & ; characters, a bound on pipeline and list length
	maxArithOps   = 20000   // operator characters when arithmetic is possible
	maxWalkDepth  = 1024    // syntax-tree depth the walk follows
	maxCommands   = 10000   // simple commands in one Analysis
	maxWords      = 1 << 19 // words of all simple commands in one Analysis
	maxBraceWords = 1024    // words one brace expansion may produce
)

var (
	errTooLarge   = errors.New("command is too large to analyze")
	errTooDeep    = errors.New("command nests too deeply to analyze")
	errTooComplex = errors.New("command is too complex to analyze")
)

// precheck rejects text whose nesting could make the parser recurse too
// deeply. It is deliberately quote-unaware: brackets and keywords inside
// quotes count too, which can only make it stricter.
func precheck(src string) error {
	var brackets, keywords, prefixes, ops, seps int
	arith := false
	wordStart := true
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '(', '{', '[':
			brackets++
			if brackets > maxBrackets {
				return errTooDeep
			}
			if c == '[' || (c == '(' && i > 0 && (src[i-1] == '(' || src[i-1] == '$')) {
				arith = true // a[i], ((…)), $((…)), [[ … ]]
			}
			if c == '{' && i > 0 && src[i-1] == '$' {
				arith = true // ${x:off:len}, ${a[i]}
			}
		case ')', '}', ']':
			if brackets > 0 {
				brackets--
			}
		case '|', '&', ';':
			ops++
			if seps++; seps > maxSeps {
				return errTooComplex
			}
		case '=', '?', '!', '~', '+', '-', '*', ':', '%', '^', '<', '>', ',':
			ops++
		}
		if c >= 'a' && c <= 'z' && wordStart {
			end := i
			for end < len(src) && src[end] >= 'a' && src[end] <= 'z' {
				end++
			}
			if end == len(src) || !isNameByte(src[end]) {
				switch src[i:end] {
				case "if", "while", "until", "for", "case", "select":
					keywords++
					if keywords > maxKeywords {
						return errTooDeep
					}
				case "fi", "done", "esac":
					if keywords > 0 {
						keywords--
					}
				case "let":
					arith = true
				}
				if w := src[i:end]; w == "time" || w == "coproc" {
					prefixes++
					if prefixes > maxPrefixes {
						return errTooDeep
					}
				} else {
					prefixes = 0
				}
			}
			i = end - 1
			wordStart = false
			continue
		}
		wordStart = !isNameByte(c)
	}
	if arith && ops > maxArithOps {
		return errTooComplex
	}
	return nil
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
