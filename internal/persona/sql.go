package persona

import (
	"strings"

	"github.com/govern-dev/govern/internal/secret"
)

// sqlProblem is what is wrong with one SQL statement, if anything.
type sqlProblem struct {
	deny   bool
	reason string
	rec    string
}

// scanSQL reviews every statement in text and calls report for each
// destructive one: DROP and TRUNCATE, DELETE and UPDATE without a WHERE
// clause (or with one that is always true), ALTER TABLE … DROP.
func scanSQL(text string, report func(sqlProblem)) {
	if !sqlWorth(text) {
		return
	}
	for _, stmt := range splitSQL(text) {
		if p, ok := reviewStatement(stmt); ok {
			report(p)
		}
	}
}

// sqlWorth is a cheap test for text that may hold a destructive statement.
func sqlWorth(text string) bool {
	for _, w := range [...]string{"drop", "truncate", "delete", "update", "alter"} {
		if secret.ContainsFold(text, w) {
			return true
		}
	}
	return false
}

// splitSQL splits text into statements on semicolons outside quotes, with
// comments removed and words upper-cased outside quotes.
func splitSQL(text string) []string {
	var out []string
	var b strings.Builder
	quote := byte(0)
	for i := 0; i < len(text); i++ {
		ch := text[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			}
			b.WriteByte(ch)
		case ch == '\'' || ch == '"' || ch == '`':
			quote = ch
			b.WriteByte(ch)
		case ch == '-' && i+1 < len(text) && text[i+1] == '-', ch == '#':
			for i < len(text) && text[i] != '\n' {
				i++
			}
			b.WriteByte(' ')
		case ch == '/' && i+1 < len(text) && text[i+1] == '*':
			end := strings.Index(text[i+2:], "*/")
			if end < 0 {
				i = len(text)
			} else {
				i += end + 3
			}
			b.WriteByte(' ')
		case ch == ';':
			out = append(out, b.String())
			b.Reset()
		case 'a' <= ch && ch <= 'z':
			b.WriteByte(ch - 32)
		case ch == '\n' || ch == '\t' || ch == '\r':
			b.WriteByte(' ')
		default:
			b.WriteByte(ch)
		}
	}
	return append(out, b.String())
}

// reviewStatement reviews one upper-cased statement.
func reviewStatement(stmt string) (sqlProblem, bool) {
	words := strings.Fields(stmt)
	// Skip a leading WITH … AS (…) or EXPLAIN? Keep to the statement verb.
	for len(words) > 0 && (words[0] == "BEGIN" || words[0] == "(") {
		words = words[1:]
	}
	if len(words) == 0 {
		return sqlProblem{}, false
	}
	switch words[0] {
	case "DROP":
		what := strings.Join(words[:min(len(words), 3)], " ")
		switch word(words, 1) {
		case "DATABASE", "SCHEMA", "TABLE":
			return sqlProblem{true, what + " destroys data that cannot be recovered without a backup",
				"Drop tables through a reviewed migration, after a backup; in development, recreate the schema with the project's migrations"}, true
		case "INDEX", "VIEW", "FUNCTION", "TRIGGER", "SEQUENCE", "TYPE", "USER", "ROLE", "COLUMN":
			return sqlProblem{false, what + " changes the schema outside a migration",
				"Make schema changes in a migration so they are reviewed and reversible"}, true
		}
	case "TRUNCATE":
		return sqlProblem{true, "TRUNCATE deletes every row of " + word(words, 1+boolInt(word(words, 1) == "TABLE")),
			"Delete the rows you mean with DELETE … WHERE, inside a transaction, after a backup"}, true
	case "DELETE":
		if where := clause(words, "WHERE"); where < 0 || alwaysTrue(words[where+1:]) {
			return sqlProblem{true, "DELETE without a WHERE clause deletes every row of " + tableAfter(words, "FROM"),
				"Add a WHERE clause naming the rows, e.g. DELETE FROM users WHERE id = 42, and run it in a transaction"}, true
		}
	case "UPDATE":
		if where := clause(words, "WHERE"); where < 0 || alwaysTrue(words[where+1:]) {
			return sqlProblem{true, "UPDATE without a WHERE clause overwrites every row of " + word(words, 1),
				"Add a WHERE clause naming the rows, e.g. UPDATE users SET … WHERE id = 42, and run it in a transaction"}, true
		}
	case "ALTER":
		if word(words, 1) == "TABLE" && clause(words, "DROP") > 0 {
			return sqlProblem{false, "ALTER TABLE … DROP removes a column or constraint and its data",
				"Drop columns through a reviewed, reversible migration"}, true
		}
	}
	return sqlProblem{}, false
}

func word(words []string, i int) string {
	if i < len(words) {
		return strings.Trim(words[i], "`\"'")
	}
	return ""
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// clause returns the index of the keyword in words, or -1.
func clause(words []string, kw string) int {
	for i, w := range words {
		if w == kw {
			return i
		}
	}
	return -1
}

func tableAfter(words []string, kw string) string {
	if i := clause(words, kw); i >= 0 {
		return word(words, i+1)
	}
	return word(words, 1)
}

// alwaysTrue reports whether a WHERE condition holds for every row: 1=1,
// TRUE, 1, 'a'='a'.
func alwaysTrue(cond []string) bool {
	c := strings.Join(cond, "")
	c = strings.TrimRight(c, " )")
	c = strings.TrimLeft(c, "(")
	switch c {
	case "1", "TRUE", "1=1", "0=0", "'A'='A'", "1<>0", "NOT FALSE", "NOTFALSE":
		return true
	}
	if l, r, ok := strings.Cut(c, "="); ok && l == r && !strings.ContainsAny(l, "<>!") && l != "" {
		return true
	}
	return false
}
