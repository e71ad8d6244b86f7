package persona

import (
	"path"
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/shell"
)

// Rachel Torres, data and configuration: destructive SQL, migrations run
// backwards, production configuration, the environment sent away.

// dbClients run SQL or database commands given on the command line or on
// standard input.
var dbClients = map[string]bool{
	"psql": true, "mysql": true, "mariadb": true, "sqlite3": true, "sqlite": true, "duckdb": true,
	"sqlcmd": true, "cockroach": true, "clickhouse-client": true, "clickhouse": true, "mongo": true,
	"mongosh": true, "redis-cli": true, "cqlsh": true, "snowsql": true, "bq": true, "pgcli": true,
	"mycli": true, "litecli": true, "usql": true, "vsql": true, "trino": true,
}

// migrators maps a migration tool to its subcommands that drop data or run
// migrations backwards.
var migrators = map[string][]string{
	"rails":     {"db:drop", "db:reset", "db:rollback", "db:migrate:down", "db:migrate:redo", "db:purge", "db:schema:load", "db:truncate_all"},
	"rake":      {"db:drop", "db:reset", "db:rollback", "db:migrate:down", "db:migrate:redo", "db:purge", "db:schema:load", "db:truncate_all"},
	"prisma":    {"reset", "--force-reset", "--accept-data-loss"},
	"alembic":   {"downgrade"},
	"knex":      {"migrate:rollback", "migrate:down"},
	"sequelize": {"db:migrate:undo", "db:migrate:undo:all", "db:drop", "db:seed:undo:all"},
	"typeorm":   {"migration:revert", "schema:drop"},
	"flyway":    {"clean", "undo"},
	"liquibase": {"rollback", "rollbackCount", "rollback-count", "dropAll", "drop-all"},
	"goose":     {"down", "reset", "down-to"},
	"migrate":   {"down", "drop", "force"},
	"dbmate":    {"down", "rollback", "drop"},
	"diesel":    {"revert", "redo", "reset"},
	"sqlx":      {"revert", "drop", "reset"},
	"atlas":     {"down"},
	"manage.py": {"flush", "sqlflush", "reset_db", "zero"},
	"artisan":   {"migrate:rollback", "migrate:reset", "migrate:fresh", "db:wipe", "migrate:refresh"},
}

// dataConcerns reports whether Rachel reviews c: database clients,
// migration tools, the environment printed, configuration and env files
// written.
func dataConcerns(c *Call) bool {
	for i := range c.commands() {
		cmd := &c.Shell.Commands[i]
		if dbClients[cmd.Name] || envPrinter(cmd) {
			return true
		}
		if tool, _ := migrationTool(cmd); tool != "" {
			return true
		}
	}
	concerns := false
	c.written(func(w string) bool {
		concerns = configFile(w)
		return !concerns
	})
	return concerns
}

// configFile reports whether abs is configuration or an env file.
func configFile(abs string) bool {
	base := path.Base(abs)
	if envFile(base) || strings.Contains(abs, "/config/") || strings.Contains(base, "config") ||
		strings.Contains(base, "settings") || strings.Contains(base, "secret") {
		return true
	}
	switch path.Ext(base) {
	case ".yml", ".yaml", ".toml", ".ini", ".conf", ".cfg", ".properties", ".env", ".tfvars":
		return true
	}
	return false
}

// productionConfig reports whether abs configures production or holds
// deployment secrets.
func productionConfig(abs string) bool {
	base := path.Base(abs)
	lower := strings.ToLower(base)
	switch {
	case envFile(base) && (strings.Contains(lower, "prod") || strings.Contains(lower, "live")) && !envTemplate(base):
		return true
	case strings.Contains(lower, ".prod.") || strings.Contains(lower, "-prod.") || strings.Contains(lower, "_prod."):
		return true
	case strings.Contains(abs, "/config/production") || strings.Contains(abs, "/production/") || strings.HasPrefix(lower, "production."):
		return true
	case lower == "secrets.yml" || lower == "secrets.yaml" || lower == "credentials.yml.enc" || lower == "master.key":
		return true
	case (strings.Contains(abs, "/k8s/") || strings.Contains(abs, "/kubernetes/") || strings.Contains(abs, "/helm/")) &&
		strings.Contains(lower, "secret"):
		return true
	}
	return false
}

// data is Rachel Torres's review.
func data(c *Call) govern.Verdict {
	v := newVerdict(RachelTorres)
	cmds := c.commands()
	db, env, sender := false, "", ""
	for i := range cmds {
		cmd := &cmds[i]
		switch {
		case dbClients[cmd.Name]:
			db = true
			for _, op := range cmd.Operands {
				sql(&v, cmd.Name, op)
			}
			for _, f := range cmd.Flags {
				if f.HasValue {
					sql(&v, cmd.Name, f.Value)
				}
			}
			if cmd.Name == "redis-cli" {
				for _, op := range cmd.Operands {
					if u := strings.ToUpper(op); u == "FLUSHALL" || u == "FLUSHDB" {
						v.flag(govern.Deny, govern.RiskCritical, "redis-cli "+u+" deletes every key",
							"Delete the keys you mean with DEL or UNLINK on a named pattern")
					}
				}
			}
		case envPrinter(cmd):
			env = cmd.Name
		case networkPrograms[cmd.Name]:
			if sender == "" {
				sender = cmd.Name
			}
		}
		if tool, sub := migrationTool(cmd); sub != "" {
			v.flag(govern.Ask, govern.RiskHigh, tool+" "+sub+" runs migrations backwards or drops the database",
				"Confirm this targets a local development database; roll back production through the release process")
		}
	}
	if db {
		// SQL echoed into the client, or fed by a here-document.
		for i := range cmds {
			if cmds[i].Name == "echo" || cmds[i].Name == "printf" {
				for _, op := range cmds[i].Operands {
					sql(&v, "the database client", op)
				}
			}
		}
		if strings.Contains(c.Command, "<<") {
			for _, text := range stdinTexts(c.Command) {
				sql(&v, "the database client", text)
			}
		}
	}
	if env != "" && sender != "" {
		v.flag(govern.Deny, govern.RiskCritical, env+" sends the environment, with its secrets, over the network ("+sender+")",
			"Send only the variables you need, by name, and never tokens or passwords")
	}
	c.written(func(w string) bool {
		switch {
		case productionConfig(w):
			v.flag(govern.Ask, govern.RiskHigh, "changes production configuration in "+w,
				"Change production configuration through the deployment pipeline, in a reviewed pull request")
		case envFile(path.Base(w)) && !envTemplate(path.Base(w)):
			v.advise("Keep " + path.Base(w) + " out of version control (.gitignore) and document its variables in .env.example")
		}
		if strings.Contains(c.Content, "kind: Secret") && !productionConfig(w) {
			v.flag(govern.Ask, govern.RiskHigh, "writes a Kubernetes Secret to "+w,
				"Keep secrets in the cluster's secret manager (sealed-secrets, external-secrets), not in files in the repository")
		}
		return true
	})
	return v.Verdict
}

// sql reviews SQL text sent to a database.
func sql(v *verdict, client, text string) {
	scanSQL(text, func(p sqlProblem) {
		o := govern.Ask
		r := govern.RiskHigh
		if p.deny {
			o, r = govern.Deny, govern.RiskCritical
		}
		v.flag(o, r, p.reason+" (via "+client+")", p.rec)
	})
}

// envPrinter reports whether cmd prints the whole environment.
func envPrinter(cmd *shell.Command) bool {
	switch cmd.Name {
	case "env", "printenv":
		return !cmd.Wrapper
	case "export", "declare", "typeset":
		return len(cmd.Operands) == 0 && (hasFlag(cmd, "p") || hasFlag(cmd, "x") || len(cmd.Flags) == 0)
	case "set":
		return len(cmd.Operands) == 0 && len(cmd.Flags) == 0
	}
	for _, op := range cmd.Operands {
		if strings.HasPrefix(op, "/proc/") && strings.HasSuffix(op, "/environ") {
			return true
		}
	}
	return false
}

// migrationTool returns the migration tool cmd runs and, when it runs it
// backwards or drops data, the subcommand that does.
func migrationTool(cmd *shell.Command) (tool, sub string) {
	name, args := cmd.Name, cmd.Operands
	switch name {
	case "npx", "pnpx", "bunx", "yarn", "pnpm", "bundle", "poetry", "uv", "pipenv":
		if len(args) > 0 && (args[0] == "exec" || args[0] == "run" || args[0] == "dlx") {
			args = args[1:]
		}
		if len(args) == 0 {
			return "", ""
		}
		name, args = path.Base(args[0]), args[1:]
	case "python", "python3", "php":
		if len(args) == 0 {
			return "", ""
		}
		name, args = path.Base(args[0]), args[1:]
	}
	if name == "bin/rails" {
		name = "rails"
	}
	subs, ok := migrators[name]
	if !ok {
		return "", ""
	}
	if name == "migrate" && len(args) == 0 && len(cmd.Flags) == 0 {
		return "", "" // some other program called migrate
	}
	all := args
	for _, a := range all {
		for _, s := range subs {
			if a == s {
				return name, a
			}
		}
	}
	for _, f := range cmd.Flags {
		for _, s := range subs {
			if "--"+f.Name == s {
				return name, s
			}
		}
	}
	return name, ""
}
