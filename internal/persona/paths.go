package persona

import (
	"path"
	"strings"
)

// place says where a path lies relative to the project.
type place uint8

const (
	inProject   place = iota // strictly below the project root
	inTemp                   // below a temporary directory
	projectRoot              // the project root itself, or all of it ("./*")
	gitDir                   // the repository's .git directory
	outside                  // anywhere else
	unknown                  // only known at run time ($DIR, $(pwd)/x)
)

var tempDirs = [...]string{"/tmp/", "/var/tmp/", "/private/tmp/", "/private/var/folders/", "/dev/shm/"}

// dir is the directory relative paths resolve against.
func (c *Call) dir() string {
	if c.Cwd != "" {
		return c.Cwd
	}
	return c.Root
}

// resolve makes a path as a shell command wrote it absolute and clean: ~,
// $HOME and ${HOME} become the home directory, $TMPDIR a temporary
// directory, relative paths are joined to the working directory. It
// reports false when the path is only known at run time.
func (c *Call) resolve(p string) (string, bool) {
	if p == "" {
		return "", false
	}
	for _, pre := range [...]string{"~", "$HOME", "${HOME}"} {
		if rest, ok := strings.CutPrefix(p, pre); ok && (rest == "" || rest[0] == '/') {
			if c.Home == "" {
				return "", false
			}
			p = c.Home + "/" + rest
			break
		}
	}
	for _, pre := range [...]string{"$TMPDIR", "${TMPDIR}"} {
		if rest, ok := strings.CutPrefix(p, pre); ok && (rest == "" || rest[0] == '/') {
			p = "/tmp/" + rest
			break
		}
	}
	if strings.ContainsAny(p, "$`") {
		return "", false
	}
	if p[0] == '~' { // ~user: someone else's home
		return "/home/" + p[1:], true
	}
	if p[0] != '/' {
		d := c.dir()
		if d == "" {
			d = "/"
		}
		p = d + "/" + p
	}
	return path.Clean(p), true
}

// locate resolves p and says where it lies.
func (c *Call) locate(p string) (string, place) {
	abs, ok := c.resolve(p)
	if !ok {
		return "", unknown
	}
	return abs, c.placeOf(abs)
}

// placeOf says where the absolute clean path abs lies.
func (c *Call) placeOf(abs string) place {
	for _, t := range tempDirs {
		if strings.HasPrefix(abs, t) && len(abs) > len(t) {
			return inTemp
		}
	}
	root := c.Root
	if root == "" || root == "/" {
		return outside
	}
	if abs == root || abs == root+"/*" || abs == root+"/.*" {
		return projectRoot
	}
	rest, ok := strings.CutPrefix(abs, root+"/")
	if !ok {
		return outside
	}
	if rest == ".git" || strings.HasPrefix(rest, ".git/") && !strings.HasPrefix(rest, ".git/hooks") {
		return gitDir
	}
	return inProject
}

// within reports whether abs is dir or below it.
func within(abs, dir string) bool {
	return abs == dir || strings.HasPrefix(abs, dir) && len(abs) > len(dir) && abs[len(dir)] == '/'
}

// homeStartup are files below the home directory that run code at login,
// at shell start or on a schedule, or that grant access.
var homeStartup = [...]string{
	".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".profile", ".zshrc", ".zshenv",
	".zprofile", ".zlogin", ".kshrc", ".cshrc", ".tcshrc", ".xinitrc", ".xprofile", ".pam_environment",
	".config/fish", ".ssh/authorized_keys", ".ssh/authorized_keys2", ".ssh/rc", ".ssh/config",
	".config/autostart", ".config/systemd", "Library/LaunchAgents", ".local/share/systemd",
}

// systemStartup are system paths that run code at boot, login or on a
// schedule, or grant privileges.
var systemStartup = [...]string{
	"/etc/profile", "/etc/profile.d", "/etc/bash.bashrc", "/etc/bashrc", "/etc/zsh", "/etc/environment",
	"/etc/crontab", "/etc/cron.d", "/etc/cron.daily", "/etc/cron.hourly", "/etc/cron.weekly",
	"/etc/cron.monthly", "/var/spool/cron", "/etc/systemd", "/lib/systemd", "/usr/lib/systemd",
	"/etc/init.d", "/etc/rc.local", "/etc/sudoers", "/etc/sudoers.d", "/etc/ld.so.preload",
	"/etc/pam.d", "/Library/LaunchAgents", "/Library/LaunchDaemons", "/etc/security",
}

// startupFile reports whether writing abs makes code run later or grants
// access: shell start-up files, cron, systemd and launchd units, SSH keys.
func (c *Call) startupFile(abs string) bool {
	if c.Home != "" {
		if rest, ok := strings.CutPrefix(abs, c.Home+"/"); ok {
			for _, s := range homeStartup {
				if within(rest, s) {
					return true
				}
			}
		}
	}
	for _, s := range systemStartup {
		if within(abs, s) || strings.HasPrefix(s, "/etc/cron") && strings.HasPrefix(abs, "/etc/cron") {
			return true
		}
	}
	// Another account's start-up files (/root/.bashrc).
	if c.placeOf(abs) == outside {
		switch path.Base(abs) {
		case ".bashrc", ".bash_profile", ".profile", ".zshrc", ".zshenv", ".zprofile", "authorized_keys":
			return true
		}
	}
	return false
}

// gitHook reports whether abs is a git hook, which git runs on commit,
// checkout or push.
func gitHook(abs string) bool {
	return strings.Contains(abs, "/.git/hooks/") || strings.HasSuffix(abs, "/.git/hooks") || strings.Contains(abs, "/.husky/")
}

// systemDirs are where the operating system keeps its programs and
// configuration.
var systemDirs = [...]string{"/etc", "/usr", "/bin", "/sbin", "/boot", "/lib", "/lib64", "/opt", "/var", "/System", "/Library", "/root", "/proc", "/sys"}

func systemPath(abs string) bool {
	for _, d := range systemDirs {
		if within(abs, d) {
			return !strings.HasPrefix(abs, "/var/tmp/") && !strings.HasPrefix(abs, "/var/folders/")
		}
	}
	return false
}

// device reports whether abs is a device a write would damage.
func device(abs string) bool {
	if !strings.HasPrefix(abs, "/dev/") {
		return false
	}
	switch abs {
	case "/dev/null", "/dev/zero", "/dev/stdout", "/dev/stderr", "/dev/stdin", "/dev/tty", "/dev/random", "/dev/urandom":
		return false
	}
	return !strings.HasPrefix(abs, "/dev/fd/") && !strings.HasPrefix(abs, "/dev/shm/") && !strings.HasPrefix(abs, "/dev/pts/")
}

// secretFile reports whether abs holds credentials: SSH and cloud keys,
// .env files, key stores, token files.
func secretFile(abs string) bool {
	base := path.Base(abs)
	switch base {
	case "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk", ".netrc", ".pgpass",
		".git-credentials", ".npmrc", ".pypirc", "shadow", "gshadow", "master.key", "credentials.json",
		"credentials.yml.enc", "secrets.yml", "secrets.yaml", ".vault-token", "kubeconfig":
		return base != "shadow" && base != "gshadow" || strings.HasPrefix(abs, "/etc/")
	}
	if strings.HasPrefix(base, ".env") && envFile(base) && !envTemplate(base) {
		return true
	}
	switch path.Ext(base) {
	case ".pem", ".key", ".p12", ".pfx", ".jks", ".keystore", ".kdbx", ".ppk":
		return true
	}
	for _, d := range [...]string{"/.ssh/", "/.aws/", "/.gnupg/", "/.kube/", "/.docker/config.json", "/.config/gcloud/", "/.azure/", "/.password-store/"} {
		if strings.Contains(abs, d) || strings.HasSuffix(abs+"/", d) {
			return !strings.HasSuffix(base, ".pub") && base != "known_hosts"
		}
	}
	return false
}

// envFile reports whether a base name is a dotenv file (.env, .env.local,
// .env.production).
func envFile(base string) bool {
	return base == ".env" || strings.HasPrefix(base, ".env.") || strings.HasSuffix(base, ".env")
}

// envTemplate reports whether a dotenv file is a template without values.
func envTemplate(base string) bool {
	for _, s := range [...]string{".example", ".sample", ".template", ".dist", ".defaults", ".schema"} {
		if strings.HasSuffix(base, s) {
			return true
		}
	}
	return false
}
