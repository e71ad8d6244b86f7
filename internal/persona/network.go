package persona

import (
	"path"
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/shell"
)

// networkPrograms send data to another machine.
var networkPrograms = map[string]bool{
	"curl": true, "wget": true, "nc": true, "ncat": true, "netcat": true, "socat": true, "scp": true,
	"sftp": true, "rsync": true, "ftp": true, "telnet": true, "http": true, "https": true, "xh": true,
	"ssh": true, "rclone": true, "gsutil": true, "aria2c": true, "fetch": true, "dig": true, "nslookup": true,
	"host": true, "drill": true,
}

// downloaders fetch URLs.
var downloaders = map[string]bool{
	"curl": true, "wget": true, "fetch": true, "aria2c": true, "http": true, "https": true, "xh": true,
	"lwp-download": true, "lwp-request": true, "GET": true,
}

// uploadFlags are curl, wget and httpie options whose "@file" value is sent.
var uploadFlags = map[string]bool{
	"d": true, "data": true, "data-binary": true, "data-raw": true, "data-urlencode": true, "F": true,
	"form": true, "T": true, "upload-file": true, "post-file": true, "body-file": true, "json": true,
}

// fileUploads are the uploadFlags whose value is a file name without "@".
var fileUploads = map[string]bool{"T": true, "upload-file": true, "post-file": true, "body-file": true}

// codeFindings reviews code the line runs that is not itself a command:
// downloaded or decoded code piped into a shell, and interpreter
// one-liners that run shell commands or delete files.
func codeFindings(c *Call, v *verdict) {
	download, decode := false, false
	for i := range c.Shell.Commands {
		cmd := &c.Shell.Commands[i]
		download = download || downloaders[cmd.Name]
		decode = decode || decoder(cmd)
	}
	for _, f := range c.Shell.Findings {
		switch f.Kind {
		case shell.PipeToShell, shell.PipeToInterpreter, shell.DynamicCode:
			switch {
			case download:
				v.flag(govern.Deny, govern.RiskCritical, "downloads code and runs it unseen: "+short(f.Detail),
					"Download to a file, read it, then run it: curl -fsSLo install.sh URL && less install.sh && sh install.sh")
			case decode:
				v.flag(govern.Deny, govern.RiskCritical, "decodes hidden code and runs it: "+short(f.Detail),
					"Run the decoded commands as plain text so they can be reviewed")
			case f.Kind == shell.DynamicCode:
				v.flag(govern.Ask, govern.RiskMedium, "runs code known only at run time: "+short(f.Detail),
					"Write the commands out literally instead of building them in a variable")
			default:
				v.flag(govern.Ask, govern.RiskHigh, "pipes code into an interpreter: "+short(f.Detail),
					"Save the script to a file in the project and run it by name")
			}
		case shell.InlineCode:
			for i := range c.Shell.Commands {
				if cmd := &c.Shell.Commands[i]; cmd.Text == f.Detail {
					inlineCode(c, v, cmd)
					break
				}
			}
		}
	}
}

// decoder reports whether cmd decodes hidden text (base64 -d, xxd -r,
// openssl base64 -d, uudecode).
func decoder(cmd *shell.Command) bool {
	switch cmd.Name {
	case "base64", "base32", "basenc":
		return hasFlag(cmd, "d", "D", "decode")
	case "xxd":
		return hasFlag(cmd, "r", "revert")
	case "openssl":
		return hasFlag(cmd, "d", "base64", "a")
	case "uudecode":
		return true
	}
	return false
}

// The fragments that give an interpreter one-liner away.
var (
	runsShell = [...]string{
		"os.system", "subprocess", "os.popen", "os.exec", "os.spawn", "pty.spawn", "commands.getoutput",
		"child_process", "execSync", "spawnSync", "execFileSync", "Bun.spawn", "Deno.Command", "Deno.run",
		"shell_exec", "passthru", "proc_open", "popen(", "system(", "system ", "system\"", "system'",
		"exec(", "exec ", "`", "%x(", "%x{", "IO.popen", "Open3", "Kernel.spawn", "os.execute", "io.popen",
		"do shell script",
	}
	deletesFiles = [...]string{
		"rmtree", "os.remove", "os.unlink", "os.rmdir", "removedirs", ".unlink(", "rmSync", "rmdirSync",
		"unlinkSync", "fs.rm(", "fs.rmdir(", "fs.promises.rm", "FileUtils.rm", "File.delete", "unlink ",
		"unlink(", "remove_tree", "rimraf", "Deno.remove", "os.remove(", "file.remove",
	}
	broadTargets = [...]string{
		"'/'", `"/"`, "'~'", `"~"`, "'~/", `"~/`, "expanduser", "homedir", "Path.home", "'HOME'", `"HOME"`,
		"$ENV{HOME}", "ENV['HOME']", "'/etc", `"/etc`, "'/usr", `"/usr`, "'/home", `"/home`, "rm -rf /",
		"rm -rf ~", "rm -rf $HOME", "mkfs", "of=/dev/",
	}
)

// inlineCode reviews the code of an interpreter one-liner, or of a
// script fed to an interpreter by a here-document.
func inlineCode(c *Call, v *verdict, cmd *shell.Command) {
	code := interpreterCode(c, cmd)
	inlineExtras(c, v, cmd.Name, code)
	shellOut, del, broad := containsAny(code, runsShell[:]), containsAny(code, deletesFiles[:]), containsAny(code, broadTargets[:])
	if shellOut && !broad {
		shellOut = !plainSubprocess(code)
	}
	if del && !shellOut && !broad && rebuildableDeletes(c, code) {
		del = false
	}
	switch {
	case containsAny(code, rawDisks[:]):
		v.flag(govern.Deny, govern.RiskCritical, cmd.Name+" one-liner opens a raw disk device",
			"Write disk images to a file inside the project")
	case (shellOut || del) && broad:
		v.flag(govern.Deny, govern.RiskCritical, cmd.Name+" one-liner deletes or runs commands against the home directory or system paths",
			"Write the script to a file inside the project, operating on project paths only, so it can be reviewed")
	case shellOut:
		v.flag(govern.Ask, govern.RiskHigh, cmd.Name+" one-liner runs shell commands that cannot be reviewed: "+short(code),
			"Run the shell commands directly, so each one is checked")
	case del:
		v.flag(govern.Ask, govern.RiskHigh, cmd.Name+" one-liner deletes files: "+short(code),
			"Delete with rm on named paths inside the project, e.g. rm -rf ./build")
	}
}

// interpreterCode returns the code an interpreter command runs inline:
// the longest option value (-c, -e, --eval), else a here-document or
// here-string it reads, else its operands.
func interpreterCode(c *Call, cmd *shell.Command) string {
	code := ""
	for _, f := range cmd.Flags {
		if f.HasValue && len(f.Value) > len(code) {
			code = f.Value
		}
	}
	if code == "" {
		code = cmd.Stdin
	}
	if code == "" {
		code = strings.Join(cmd.Operands, " ")
	}
	return code
}

// rawDisks are device paths of whole disks and partitions.
var rawDisks = [...]string{"/dev/sd", "/dev/nvme", "/dev/hd", "/dev/vd", "/dev/xvd", "/dev/mmcblk", "/dev/disk", "/dev/mapper/", "/dev/dm-"}

// rebuildable are directory names that hold build output or caches, which
// a build recreates.
var rebuildable = map[string]bool{
	"build": true, "dist": true, "out": true, "target": true, "node_modules": true, "coverage": true,
	".cache": true, "__pycache__": true, ".pytest_cache": true, ".mypy_cache": true, ".next": true,
	".nuxt": true, ".turbo": true, "tmp": true, ".tox": true, "htmlcov": true, ".parcel-cache": true,
}

// rebuildableDeletes reports whether every delete call in code names,
// as its first argument, a string literal for build output inside the
// project or a path in a temp dir: shutil.rmtree('build'),
// fs.rmSync('dist', …).
func rebuildableDeletes(c *Call, code string) bool {
	found := false
	for _, tok := range deletesFiles {
		for rest := code; ; {
			i := strings.Index(rest, tok)
			if i < 0 {
				break
			}
			rest = rest[i+len(tok):]
			arg := strings.TrimLeft(rest, " ")
			if !strings.HasSuffix(tok, "(") {
				if !strings.HasPrefix(arg, "(") {
					return false
				}
				arg = strings.TrimLeft(arg[1:], " ")
			}
			lit, ok := stringLiteral(arg)
			if !ok {
				return false
			}
			abs, where := c.locate(lit)
			switch {
			case where == inTemp:
			case where == inProject && rebuildable[path.Base(abs)]:
			default:
				return false
			}
			found = true
		}
	}
	return found
}

// stringLiteral returns the quoted string at the start of s.
func stringLiteral(s string) (string, bool) {
	if s == "" || s[0] != '\'' && s[0] != '"' {
		return "", false
	}
	end := strings.IndexByte(s[1:], s[0])
	if end < 0 {
		return "", false
	}
	lit := s[1 : 1+end]
	return lit, lit != "" && !strings.ContainsAny(lit, "\\{$`*")
}

// plainSubprocess reports whether the only shell-outs in code are
// Python subprocess calls with a literal argument list, no shell=True,
// running an ordinary program (subprocess.run(['pytest', '-q'])).
func plainSubprocess(code string) bool {
	if strings.Contains(code, "shell=True") || !strings.Contains(code, "subprocess.") {
		return false
	}
	rest := code
	var b strings.Builder
	for {
		i := strings.Index(rest, "subprocess.")
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		rest = rest[i+len("subprocess."):]
		j := strings.Index(rest, "([")
		if j < 0 {
			return false
		}
		switch rest[:j] {
		case "run", "call", "check_call", "check_output", "Popen":
		default:
			return false
		}
		rest = rest[j+2:]
		k := strings.IndexByte(rest, ']')
		if k < 0 {
			return false
		}
		var argv []string
		for _, a := range strings.Split(rest[:k], ",") {
			lit, ok := stringLiteral(strings.TrimSpace(a))
			if !ok {
				return false
			}
			argv = append(argv, lit)
		}
		if len(argv) == 0 {
			return false
		}
		prog := path.Base(argv[0])
		if securityPrograms[prog] || networkPrograms[prog] || dbClients[prog] || prog == "sh" || prog == "bash" ||
			prog == "zsh" || prog == "dash" || prog == "env" || prog == "xargs" || prog == "eval" || strings.HasPrefix(prog, "python") ||
			prog == "node" || prog == "perl" || prog == "ruby" {
			return false
		}
		rest = rest[k+1:]
	}
	other := strings.ReplaceAll(b.String(), "import subprocess", "")
	return !containsAny(other, runsShell[:])
}

// exfiltration reviews secret files sent over the network: read by one
// command and piped, or uploaded directly (curl -d @.env, scp
// ~/.aws/credentials host:).
func exfiltration(c *Call, v *verdict) {
	cmds := c.Shell.Commands
	sender := ""
	for i := range cmds {
		if networkPrograms[cmds[i].Name] {
			sender = cmds[i].Name
			break
		}
	}
	if sender == "" {
		return
	}
	for i := range cmds {
		cmd := &cmds[i]
		if networkPrograms[cmd.Name] {
			for _, f := range cmd.Flags {
				if uploadFlags[f.Name] {
					if _, file, ok := strings.Cut(f.Value, "@"); ok {
						secretSent(c, v, cmd.Name, file)
					} else if fileUploads[f.Name] {
						secretSent(c, v, cmd.Name, f.Value)
					}
				}
			}
			if cmd.Name == "ssh" || downloaders[cmd.Name] {
				for _, op := range cmd.Operands {
					if _, file, ok := strings.Cut(op, "@"); ok && downloaders[cmd.Name] {
						secretSent(c, v, cmd.Name, file) // httpie: field@file
					}
				}
				continue
			}
		}
		ops := cmd.Operands
		if cmd.Name == "scp" || cmd.Name == "sftp" || cmd.Name == "rsync" {
			ops = copyOperands(cmd)
		}
		piped := networkPrograms[cmd.Name] || strings.IndexByte(c.Command, '|') >= 0 || cmd.Via == "$()" || cmd.Via == "<()"
		for _, op := range ops {
			if abs, ok := c.resolve(op); ok && secretFile(abs) && !piped {
				v.flag(govern.Ask, govern.RiskHigh, cmd.Name+" reads the credentials file "+op+" in a line that also uses "+sender,
					"Keep credentials files out of commands that talk to the network")
				continue
			}
			secretSent(c, v, sender, op)
		}
	}
}

// copyOperands returns the files scp, sftp or rsync copy: their arguments
// without options and the values of options that take one (-i key, -e
// ssh, -o opt …).
func copyOperands(cmd *shell.Command) []string {
	var out []string
	skip := false
	for _, a := range cmd.Args {
		switch {
		case skip:
			skip = false
		case a == "-i" || a == "-F" || a == "-o" || a == "-P" || a == "-J" || a == "-c" || a == "-l" || a == "-S" || a == "-e":
			skip = true
		case strings.HasPrefix(a, "-"):
		default:
			out = append(out, a)
		}
	}
	return out
}

// secretSent flags file when it is a credentials file.
func secretSent(c *Call, v *verdict, sender, file string) {
	if file == "" || file == "-" || strings.Contains(file, "://") {
		return
	}
	if abs, ok := c.resolve(file); ok && secretFile(abs) {
		v.flag(govern.Deny, govern.RiskCritical, "sends the credentials file "+file+" over the network ("+sender+")",
			"Never send keys or .env files; share a redacted example (.env.example) or use the secret manager")
	}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// short returns s cut to a length fit for a reason.
func short(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
