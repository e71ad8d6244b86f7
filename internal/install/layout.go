package install

import (
	"path/filepath"
	"strings"
)

// Layout is where an installation's files live on the target machine.
type Layout struct {
	Settings string // Claude Code's managed-settings.json
	Policy   string // the installed enterprise policy, which the hook reads
	Record   string // what govern install wrote, for re-install, uninstall and doctor
}

// LayoutFor returns the file locations for an operating system
// (runtime.GOOS). Claude Code reads managed settings from a fixed
// system-wide path per OS (claude-code-hooks.md §8).
func LayoutFor(goos string) Layout {
	switch goos {
	case "darwin":
		return Layout{
			Settings: "/Library/Application Support/ClaudeCode/managed-settings.json",
			Policy:   "/etc/govern/policy.json",
			Record:   "/etc/govern/install.json",
		}
	case "windows":
		return Layout{
			Settings: `C:\Program Files\ClaudeCode\managed-settings.json`,
			Policy:   `C:\ProgramData\govern\policy.json`,
			Record:   `C:\ProgramData\govern\install.json`,
		}
	}
	return Layout{
		Settings: "/etc/claude-code/managed-settings.json",
		Policy:   "/etc/govern/policy.json",
		Record:   "/etc/govern/install.json",
	}
}

// BackupSuffix names the copy of a file as it was before govern first
// changed it: managed-settings.json.govern-backup. Re-installs merge onto
// it; uninstall puts it back.
const BackupSuffix = ".govern-backup"

// EditedSuffix names the copy of a file that an administrator changed after
// govern wrote it, kept when --force replaces or removes it.
const EditedSuffix = ".govern-edited"

// rooted returns path under root; root "" or "/" is the machine itself.
func rooted(root, path string) string {
	if root == "" || root == "/" || root == `\` {
		return path
	}
	path = strings.TrimPrefix(path, filepath.VolumeName(path))
	return filepath.Join(root, path)
}
