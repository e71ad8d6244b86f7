package persona

import (
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/shell"
)

// literalSecrets reviews credentials written out in a command: a MySQL
// password after -p, a chat webhook URL, an AWS secret key set by hand.
func literalSecrets(v *verdict, cmd *shell.Command) {
	switch cmd.Name {
	case "mysql", "mariadb", "mysqldump", "mysqladmin", "mysqlimport", "mysqlshow":
		for _, a := range cmd.Args {
			pw, ok := strings.CutPrefix(a, "--password=")
			if !ok && strings.HasPrefix(a, "-p") && !strings.HasPrefix(a, "--") {
				pw, ok = a[2:], true
			}
			if ok && pw != "" && !strings.ContainsAny(pw, "$`") {
				v.flag(govern.Ask, govern.RiskHigh, cmd.Name+" has the database password written out on the command line",
					"Use an option file (--defaults-extra-file) or the MYSQL_PWD variable instead of -pPASSWORD")
				return
			}
		}
	case "aws":
		if operand(cmd, 0) == "configure" && operand(cmd, 1) == "set" {
			key, val := operand(cmd, 2), operand(cmd, 3)
			switch strings.TrimPrefix(key, "default.") {
			case "aws_secret_access_key", "aws_access_key_id", "aws_session_token":
				if val != "" && !strings.ContainsAny(val, "$`") && !strings.Contains(val, "EXAMPLE") {
					v.flag(govern.Ask, govern.RiskHigh, "aws configure set writes the credential "+key+" out on the command line",
						"Let the developer run aws configure, or use SSO (aws sso login)")
				}
			}
		}
	}
	for _, a := range cmd.Args {
		for _, hook := range [...]string{"hooks.slack.com/services/T", "discord.com/api/webhooks/", "discordapp.com/api/webhooks/", "outlook.office.com/webhook/"} {
			if i := strings.Index(a, hook); i >= 0 && !strings.ContainsAny(a[i:], "$`") && len(a[i+len(hook):]) > 16 && !strings.Contains(a, "XXXX") {
				v.flag(govern.Ask, govern.RiskHigh, cmd.Name+" has a webhook URL, which is a credential, written out on the command line",
					"Keep the webhook URL in an environment variable and refer to it by name")
				return
			}
		}
	}
}

// remotesAdded returns the remotes git remote add creates in the line.
func remotesAdded(cmds []shell.Command) map[string]bool {
	var out map[string]bool
	for i := range cmds {
		if cmds[i].Name == "git" && operand(&cmds[i], 0) == "remote" && operand(&cmds[i], 1) == "add" && len(cmds[i].Operands) > 3 {
			if out == nil {
				out = map[string]bool{}
			}
			out[cmds[i].Operands[2]] = true
		}
	}
	return out
}

// pushToNewRemote reviews pushes to a remote the same line adds: the
// repository, history and all, copied somewhere nobody has reviewed.
func pushToNewRemote(v *verdict, cmds []shell.Command) {
	added := remotesAdded(cmds)
	if len(added) == 0 {
		return
	}
	for i := range cmds {
		if cmds[i].Name == "git" && operand(&cmds[i], 0) == "push" && added[operand(&cmds[i], 1)] {
			v.flag(govern.Ask, govern.RiskHigh, "git push sends the repository to "+operand(&cmds[i], 1)+", a remote added in the same command",
				"Add the remote in one step, check its URL, then push to it")
		}
	}
}
