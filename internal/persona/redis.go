package persona

import (
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/shell"
)

// Redis commands given to redis-cli on its command line or its standard
// input.

// redisCommands reviews Redis commands, one a line, as redis-cli takes
// them on its command line or standard input: FLUSHALL and FLUSHDB delete
// every key.
func redisCommands(v *verdict, text string) {
	text = strings.NewReplacer(`\r\n`, "\n", `\n`, "\n", `\r`, "\n").Replace(text)
	for line := range strings.SplitSeq(text, "\n") {
		word, _, _ := strings.Cut(strings.TrimSpace(line), " ")
		if u := strings.ToUpper(word); u == "FLUSHALL" || u == "FLUSHDB" {
			v.flag(govern.Deny, govern.RiskCritical, "redis-cli "+u+" deletes every key",
				"Delete the keys you mean with DEL or UNLINK on a named pattern")
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
		case redisValueOptions[a]:
			i++
		case strings.HasPrefix(a, "-") && a != "-":
		default:
			return strings.Join(cmd.Args[i:], " ")
		}
	}
	return ""
}
