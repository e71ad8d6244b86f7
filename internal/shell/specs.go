package shell

import "strings"

// The option tables of common programs. Long forms are mapped to the short
// form a rule would name ("rm --recursive" → r) except for tools whose rules
// use long names (docker, podman). Options that take a value are listed so
// that their value is not mistaken for an operand.

// m builds a map from pairs.
func m(kv ...string) map[string]string {
	out := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// set builds a set from a space-separated list.
func set(names string) map[string]bool {
	out := map[string]bool{}
	for _, n := range strings.Fields(names) {
		out[n] = true
	}
	return out
}

var generic = spec{}

var (
	shellSpec = spec{val: "oO", longVal: set("rcfile init-file"), stop: true}
	find      = spec{dash1: true, longVal: set("name iname path ipath wholename iwholename regex iregex type xtype size perm user group uid gid mtime mmin atime amin ctime cmin newer anewer cnewer maxdepth mindepth links inum samefile fstype printf fprint fprint0 fls context used lname ilname regextype")}
	pwsh      = spec{dash1: true, longVal: set("command c encodedcommand e ec enc file f executionpolicy ex ep workingdirectory wd")}
	dockerRun = spec{val: "vepwuhlmcaN", stop: true, longVal: set("name volume env env-file publish workdir user hostname label memory mount network net entrypoint cap-add cap-drop device security-opt platform restart pid ipc userns cgroupns gpus cpus add-host dns log-driver log-opt tmpfs ulimit runtime volumes-from shm-size stop-signal health-cmd pull label-file group-add cidfile memory-swap cpu-shares cpuset-cpus network-alias ip")}
	docker    = spec{val: "Hlc", longVal: set("host context config log-level tlscacert tlscert tlskey"), sub: map[string]*spec{
		"run":    &dockerRun,
		"create": &dockerRun,
		"exec":   {val: "euw", stop: true, longVal: set("env env-file user workdir detach-keys")},
	}}
)

var specs = map[string]*spec{
	"rm":      {alias: m("recursive", "r", "R", "r", "force", "f", "dir", "d", "verbose", "v")},
	"rmdir":   {alias: m("parents", "p")},
	"chmod":   {alias: m("recursive", "R", "verbose", "v", "changes", "c", "silent", "f", "quiet", "f"), longVal: set("reference")},
	"chown":   {alias: m("recursive", "R", "verbose", "v", "changes", "c", "silent", "f", "quiet", "f", "dereference", "h"), longVal: set("reference from")},
	"chgrp":   {alias: m("recursive", "R", "verbose", "v", "changes", "c"), longVal: set("reference")},
	"cp":      {val: "tS", alias: m("recursive", "r", "R", "r", "force", "f", "archive", "a", "target-directory", "t", "no-target-directory", "T", "suffix", "S", "verbose", "v", "interactive", "i", "no-clobber", "n", "link", "l", "symbolic-link", "s", "update", "u")},
	"mv":      {val: "tS", alias: m("force", "f", "target-directory", "t", "no-target-directory", "T", "suffix", "S", "verbose", "v", "interactive", "i", "no-clobber", "n", "update", "u")},
	"ln":      {val: "tS", alias: m("symbolic", "s", "force", "f", "target-directory", "t", "no-target-directory", "T", "suffix", "S", "verbose", "v", "no-dereference", "n", "relative", "r")},
	"install": {val: "mogtS", alias: m("mode", "m", "owner", "o", "group", "g", "target-directory", "t", "directory", "d", "suffix", "S", "verbose", "v")},
	"git": {val: "Cc", longVal: set("git-dir work-tree namespace super-prefix config-env exec-path"), sub: map[string]*spec{
		"push":     {val: "o", alias: m("force", "f", "delete", "d", "push-option", "o", "set-upstream", "u", "verbose", "v", "quiet", "q"), longVal: set("repo receive-pack exec")},
		"commit":   {val: "mFCctS", alias: m("message", "m", "file", "F", "reuse-message", "C", "reedit-message", "c", "template", "t", "all", "a", "no-verify", "n", "quiet", "q", "signoff", "s"), longVal: set("author date fixup squash cleanup trailer")},
		"clean":    {val: "e", alias: m("force", "f", "dry-run", "n", "quiet", "q", "exclude", "e", "interactive", "i")},
		"checkout": {val: "bB", alias: m("force", "f", "quiet", "q")},
		"switch":   {val: "cC", alias: m("create", "c", "force-create", "C", "force", "f", "discard-changes", "f")},
		"branch":   {alias: m("delete", "d", "force", "f", "move", "m", "copy", "c", "all", "a", "remotes", "r")},
		"reset":    {alias: m("quiet", "q")},
		"log":      {val: "n", alias: m("max-count", "n")},
		"tag":      {val: "mFu", alias: m("message", "m", "file", "F", "delete", "d", "force", "f", "annotate", "a", "sign", "s", "local-user", "u")},
		"add":      {alias: m("force", "f", "all", "A", "update", "u", "patch", "p", "verbose", "v", "dry-run", "n")},
		"stash":    {val: "m", alias: m("message", "m")},
		"rebase":   {alias: m("interactive", "i")},
		"fetch":    {alias: m("force", "f", "prune", "p")},
		"pull":     {alias: m("force", "f", "rebase", "r")},
		"rm":       {alias: m("force", "f")},
		"grep":     {val: "efABC", alias: m("regexp", "e")},
	}},
	"curl": {val: "oXdHuTAebcDFmrwxyzKECQ", alias: m("output", "o", "remote-name", "O", "location", "L", "silent", "s", "show-error", "S", "fail", "f", "insecure", "k", "request", "X", "data", "d", "header", "H", "user", "u", "upload-file", "T", "include", "i", "user-agent", "A", "referer", "e", "cookie", "b", "cookie-jar", "c", "dump-header", "D", "form", "F", "max-time", "m", "range", "r", "write-out", "w", "proxy", "x", "config", "K", "verbose", "v", "continue-at", "C", "quote", "Q", "head", "I", "get", "G", "remote-header-name", "J"),
		longVal: set("data-raw data-binary data-urlencode url output-dir connect-timeout retry retry-delay cacert cert key json proxy-user resolve limit-rate")},
	"wget": {val: "OoPaUtTeiBlwQY", alias: m("output-document", "O", "output-file", "o", "quiet", "q", "directory-prefix", "P", "append-output", "a", "user-agent", "U", "tries", "t", "timeout", "T", "execute", "e", "input-file", "i", "base", "B", "level", "l", "wait", "w", "quota", "Q", "recursive", "r", "continue", "c", "verbose", "v", "mirror", "m"),
		longVal: set("header post-data post-file body-data method user password http-user http-password ca-certificate certificate load-cookies save-cookies")},
	"docker":   &docker,
	"podman":   &docker,
	"kill":     {val: "sn", alias: m("signal", "s", "list", "l"), signal: true},
	"pkill":    {val: "sgGuUPt", alias: m("signal", "s", "full", "f", "exact", "x"), signal: true},
	"killall":  {val: "sou", alias: m("signal", "s", "user", "u", "exact", "e", "interactive", "i"), signal: true},
	"sed":      {val: "efl", opt: "i", alias: m("in-place", "i", "expression", "e", "file", "f", "regexp-extended", "E", "quiet", "n", "silent", "n", "line-length", "l", "separate", "s", "null-data", "z")},
	"npm":      {val: "w", alias: m("global", "g", "save-dev", "D", "save", "S", "force", "f", "workspace", "w", "yes", "y", "save-exact", "E"), longVal: set("prefix registry")},
	"grep":     {val: "efmABCdD", alias: m("regexp", "e", "file", "f", "max-count", "m", "after-context", "A", "before-context", "B", "context", "C", "recursive", "r", "dereference-recursive", "R", "ignore-case", "i", "line-number", "n", "files-with-matches", "l", "invert-match", "v", "extended-regexp", "E", "fixed-strings", "F", "quiet", "q", "silent", "q", "word-regexp", "w", "count", "c"), longVal: set("include exclude exclude-dir label exclude-from")},
	"find":     &find,
	"tar":      {val: "fCbTXNgKVH", oldStyle: true, alias: m("file", "f", "directory", "C", "extract", "x", "get", "x", "create", "c", "list", "t", "gzip", "z", "bzip2", "j", "xz", "J", "verbose", "v", "to-stdout", "O", "append", "r", "update", "u", "files-from", "T", "exclude-from", "X", "blocking-factor", "b", "keep-old-files", "k", "absolute-names", "P"), longVal: set("exclude transform owner group mode mtime use-compress-program strip-components")},
	"timeout":  {val: "sk", alias: m("signal", "s", "kill-after", "k", "verbose", "v"), stop: true},
	"sudo":     {val: "ugCDprtTUc", alias: m("user", "u", "group", "g", "close-from", "C", "chdir", "D", "prompt", "p", "role", "r", "type", "t", "command-timeout", "T", "other-user", "U", "login-class", "c", "preserve-env", "E", "set-home", "H", "login", "i", "shell", "s", "non-interactive", "n", "stdin", "S", "background", "b", "edit", "e", "list", "l", "validate", "v", "version", "V", "help", "h", "reset-timestamp", "k", "remove-timestamp", "K", "askpass", "A", "bell", "B", "preserve-groups", "P"), longVal: set("host"), stop: true},
	"doas":     {val: "uC", stop: true},
	"xargs":    {val: "IadEeLlnPs", opt: "iel", alias: m("null", "0", "max-args", "n", "max-procs", "P", "replace", "i", "arg-file", "a", "delimiter", "d", "no-run-if-empty", "r", "verbose", "t", "interactive", "p", "max-lines", "l", "max-chars", "s", "eof", "e", "exit", "x", "open-tty", "o"), longVal: set("process-slot-var"), stop: true},
	"env":      {val: "uCS", alias: m("unset", "u", "chdir", "C", "split-string", "S", "ignore-environment", "i", "null", "0", "debug", "v"), stop: true},
	"nice":     {val: "n", alias: m("adjustment", "n"), numeric: true, stop: true},
	"ionice":   {val: "cnpPu", alias: m("class", "c", "classdata", "n", "pid", "p", "pgid", "P", "uid", "u", "ignore", "t"), stop: true},
	"nohup":    {stop: true},
	"stdbuf":   {val: "ioe", alias: m("input", "i", "output", "o", "error", "e"), stop: true},
	"time":     {val: "of", alias: m("output", "o", "format", "f", "portability", "p", "append", "a", "verbose", "v", "quiet", "q"), stop: true},
	"command":  {stop: true},
	"builtin":  {stop: true},
	"noglob":   {stop: true},
	"exec":     {val: "a", stop: true},
	"eval":     {stop: true},
	"watch":    {val: "nq", opt: "d", alias: m("interval", "n", "differences", "d", "exec", "x", "no-title", "t", "beep", "b", "errexit", "e", "chgexit", "g", "color", "c", "precise", "p"), stop: true},
	"parallel": {val: "jSadInNLCE", alias: m("jobs", "j", "arg-file", "a", "delimiter", "d", "colsep", "C", "max-args", "n", "max-lines", "L", "sshlogin", "S"), longVal: set("joblog results tmpdir workdir timeout delay halt memfree load retries tagstring tag-string"), stop: true},
	"chroot":   {longVal: set("userspec groups"), stop: true},
	"su":       {val: "csgGw", alias: m("command", "c", "shell", "s", "group", "g", "supp-group", "G", "login", "l", "preserve-environment", "m", "whitelist-environment", "w"), longVal: set("session-command")},
	"flock":    {val: "wEc", alias: m("timeout", "w", "wait", "w", "conflict-exit-code", "E", "command", "c", "shared", "s", "exclusive", "x", "nonblock", "n", "unlock", "u", "close", "o"), stop: true},
	"setsid":   {alias: m("fork", "f", "wait", "w", "ctty", "c"), stop: true},
	"systemd-run": {val: "upEMH", alias: m("unit", "u", "property", "p", "setenv", "E", "machine", "M", "host", "H", "pty", "t", "pipe", "P", "quiet", "q", "collect", "G", "remain-after-exit", "r", "shell", "S"),
		longVal: set("description slice uid gid nice working-directory on-active on-boot on-startup on-unit-active on-unit-inactive on-calendar on-clock-change on-timezone-change timer-property path-property socket-property service-type"), stop: true},
	"unbuffer":   {stop: true},
	"script":     {val: "cEoTIOB", opt: "t", alias: m("command", "c", "append", "a", "quiet", "q", "flush", "f", "return", "e", "echo", "E", "output-limit", "o", "log-timing", "T", "log-in", "I", "log-out", "O", "log-io", "B", "timing", "t")},
	"busybox":    {stop: true},
	"toybox":     {stop: true},
	"pkexec":     {longVal: set("user"), stop: true},
	"runuser":    {val: "ugGcs", alias: m("user", "u", "group", "g", "supp-group", "G", "command", "c", "shell", "s", "login", "l"), stop: true},
	"tee":        {alias: m("append", "a", "ignore-interrupts", "i")},
	"sort":       {val: "okStT", alias: m("output", "o", "key", "k", "buffer-size", "S", "field-separator", "t", "temporary-directory", "T", "reverse", "r", "unique", "u", "numeric-sort", "n"), longVal: set("parallel batch-size files0-from compress-program")},
	"truncate":   {val: "sr", alias: m("size", "s", "reference", "r", "no-create", "c", "io-blocks", "o")},
	"touch":      {val: "drt", alias: m("date", "d", "reference", "r", "no-create", "c", "no-dereference", "h")},
	"rsync":      {val: "efTB", alias: m("rsh", "e", "filter", "f", "temp-dir", "T", "block-size", "B", "recursive", "r", "archive", "a", "verbose", "v", "compress", "z", "dry-run", "n"), longVal: set("exclude include exclude-from include-from files-from partial-dir backup-dir suffix chmod chown link-dest compare-dest copy-dest log-file password-file port rsync-path bwlimit timeout max-size min-size out-format")},
	"head":       {val: "nc", alias: m("lines", "n", "bytes", "c"), numeric: true},
	"tail":       {val: "ncs", alias: m("lines", "n", "bytes", "c", "follow", "f"), numeric: true},
	"python":     {val: "cmWXQ", stop: true},
	"node":       {val: "eprC", alias: m("eval", "e", "print", "p", "require", "r", "conditions", "C"), longVal: set("import loader input-type experimental-loader"), stop: true},
	"bun":        {val: "epr", alias: m("eval", "e", "print", "p", "preload", "r")},
	"ruby":       {val: "erICEF", alias: m("require", "r"), stop: true},
	"perl":       {val: "eEIMm", opt: "i0lCFxdD", stop: true},
	"php":        {val: "rfcdBREFtSz", alias: m("run", "r", "file", "f", "define", "d", "process-begin", "B", "process-code", "R", "process-file", "F", "process-end", "E"), stop: true},
	"osascript":  {val: "els", stop: true},
	"lua":        {val: "el", stop: true},
	"Rscript":    {val: "e", stop: true},
	"pwsh":       &pwsh,
	"powershell": &pwsh,
}

func init() {
	for _, sh := range shells {
		specs[sh] = &shellSpec
	}
	for _, n := range []string{"python2", "python3", "pypy", "pypy3"} {
		specs[n] = specs["python"]
	}
	specs["nodejs"] = specs["node"]
}

// shells are the programs whose -c string, here-doc or stdin is shell code.
var shells = []string{"bash", "sh", "zsh", "dash", "ksh", "ash", "mksh", "yash", "posh", "fish", "csh", "tcsh", "rbash"}

// specFor returns the option table of a program, nil for unknown ones.
func specFor(name string) *spec {
	if sp, ok := specs[name]; ok {
		return sp
	}
	if strings.HasPrefix(name, "python") && isVersion(name[len("python"):]) {
		return specs["python"]
	}
	return nil
}

// isVersion reports whether s looks like "3", "3.12", "2.7".
func isVersion(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '.' && (c < '0' || c > '9') {
			return false
		}
	}
	return s != ""
}
