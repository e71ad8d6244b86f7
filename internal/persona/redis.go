package persona

import (
	"path"
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/shell"
	"mvdan.cc/sh/v3/syntax"
)

// Redis commands given to redis-cli on its command line or its standard
// input.

// redisCommands reviews Redis commands, one a line, as redis-cli takes
// them on its command line or standard input: FLUSHALL and FLUSHDB delete
// every key.
func redisCommands(v *verdict, text string) {
	text = strings.NewReplacer(`\r\n`, "\n", `\n`, "\n", `\r`, "\n").Replace(text)
	for line := range strings.SplitSeq(text, "\n") {
		word, rest, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch u := strings.ToUpper(word); u {
		case "FLUSHALL", "FLUSHDB":
			v.flag(govern.Deny, govern.RiskCritical, "redis-cli "+u+" deletes every key",
				"Delete the keys you mean with DEL or UNLINK on a named pattern")
		case "EVAL", "EVAL_RO":
			// A Lua script calls commands too: redis.call('FLUSHALL').
			if c := scriptFlush(rest); c != "" {
				v.flag(govern.Deny, govern.RiskCritical, "redis-cli "+u+" runs a script that calls "+c+", which deletes every key",
					"Delete the keys you mean with DEL or UNLINK on a named pattern")
			}
		}
	}
}

// scriptFlush returns FLUSHALL or FLUSHDB when a Lua script calls one
// (redis.call, redis.pcall, server.call), else "".
func scriptFlush(script string) string {
	lower := strings.ToLower(script)
	for rest := lower; ; {
		i := strings.Index(rest, "call(")
		if i < 0 {
			return ""
		}
		rest = strings.TrimLeft(rest[i+len("call("):], " '\"[=")
		for _, c := range []string{"flushall", "flushdb"} {
			if strings.HasPrefix(rest, c) {
				return strings.ToUpper(c)
			}
		}
	}
}

// redisValueOptions are the redis-cli options followed by a value.
var redisValueOptions = map[string]bool{
	"-h": true, "-p": true, "-s": true, "-a": true, "-u": true, "-n": true, "-r": true, "-i": true, "-d": true,
	"-D": true, "-t": true, "--user": true, "--pass": true, "--cacert": true, "--cacertdir": true, "--cert": true,
	"--key": true, "--tls-ciphers": true, "--tls-ciphersuites": true, "--sni": true, "--pattern": true,
	"--quoted-pattern": true, "--count": true, "--eval": true, "--rdb": true, "--functions-rdb": true,
	"--pipe-timeout": true, "--memkeys-samples": true, "--lru-test": true, "--cluster": true,
}

// redisArgs returns the Redis command on redis-cli's command line, options
// and their values left out: "FLUSHALL" in redis-cli -h cache FLUSHALL.
func redisArgs(cmd *shell.Command) string {
	for i := 0; i < len(cmd.Args); i++ {
		a := cmd.Args[i]
		switch {
		case a == "--cluster" && i+2 < len(cmd.Args) && strings.EqualFold(cmd.Args[i+1], "call"):
			i += 2 // --cluster call HOST:PORT COMMAND runs COMMAND on every node
		case redisValueOptions[a]:
			i++
		case strings.HasPrefix(a, "-") && a != "-":
		default:
			return strings.Join(cmd.Args[i:], " ")
		}
	}
	return ""
}

// redisInput returns the texts line hands redis-cli on its standard
// input: the arguments of echo and printf piped into it (echo FLUSHALL |
// redis-cli, also into docker exec -i cache redis-cli), and its
// here-documents and here-strings.
func redisInput(line string) []string {
	f, err := syntax.NewParser().Parse(strings.NewReader(line), "")
	if err != nil {
		return nil
	}
	var out []string
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.BinaryCmd:
			if (n.Op == syntax.Pipe || n.Op == syntax.PipeAll) && runsRedis(n.Y, line) {
				out = append(out, echoed(n.X, line)...)
			}
		case *syntax.Stmt:
			if _, ok := n.Cmd.(*syntax.CallExpr); !ok || !runsRedis(n, line) {
				break
			}
			for _, r := range n.Redirs {
				switch r.Op {
				case syntax.Hdoc, syntax.DashHdoc:
					out = append(out, wordText(r.Hdoc, line))
				case syntax.WordHdoc:
					out = append(out, wordText(r.Word, line))
				}
			}
		}
		return true
	})
	return out
}

// runsRedis reports whether node runs redis-cli: as the program, or as
// the command a wrapper (sudo, docker exec, kubectl exec --) runs.
func runsRedis(node syntax.Node, line string) bool {
	found := false
	syntax.Walk(node, func(n syntax.Node) bool {
		if call, ok := n.(*syntax.CallExpr); ok {
			for _, w := range call.Args {
				if path.Base(wordText(w, line)) == "redis-cli" {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// echoed returns the arguments of the echo and printf commands in node,
// options left out.
func echoed(node syntax.Node, line string) []string {
	var out []string
	syntax.Walk(node, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		if name := path.Base(wordText(call.Args[0], line)); name != "echo" && name != "printf" {
			return true
		}
		for _, w := range call.Args[1:] {
			if a := wordText(w, line); !strings.HasPrefix(a, "-") {
				out = append(out, a)
			}
		}
		return true
	})
	return out
}

// shellTexts returns the command line and the shell text inside it that
// bash -c, sh -c and eval run, which the line's own parse sees only as
// strings.
func shellTexts(c *Call) []string {
	out := []string{c.Command}
	for _, cmd := range c.commands() {
		switch cmd.Name {
		case "sh", "bash", "zsh", "dash", "ksh":
			if hasFlag(&cmd, "c") && len(cmd.Operands) > 0 {
				out = append(out, cmd.Operands[0])
			}
		case "eval":
			out = append(out, strings.Join(cmd.Args, " "))
		}
	}
	return out
}
