package persona

import (
	"path"
	"slices"
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
	"rails":       {"db:drop", "db:reset", "db:rollback", "db:migrate:down", "db:migrate:redo", "db:purge", "db:schema:load", "db:truncate_all"},
	"rake":        {"db:drop", "db:reset", "db:rollback", "db:migrate:down", "db:migrate:redo", "db:purge", "db:schema:load", "db:truncate_all"},
	"prisma":      {"reset", "--force-reset", "--accept-data-loss"},
	"alembic":     {"downgrade"},
	"knex":        {"migrate:rollback", "migrate:down"},
	"sequelize":   {"db:migrate:undo", "db:migrate:undo:all", "db:drop", "db:seed:undo:all"},
	"drizzle-kit": {"drop", "--force"},
	"mix":         {"ecto.rollback", "ecto.drop", "ecto.reset"},
	"typeorm":     {"migration:revert", "schema:drop"},
	"flyway":      {"clean", "undo"},
	"liquibase":   {"rollback", "rollbackCount", "rollback-count", "dropAll", "drop-all"},
	"goose":       {"down", "reset", "down-to"},
	"migrate":     {"down", "drop", "force"},
	"dbmate":      {"down", "rollback", "drop"},
	"diesel":      {"revert", "redo", "reset"},
	"sqlx":        {"revert", "drop", "reset"},
	"atlas":       {"down"},
	"manage.py":   {"flush", "sqlflush", "reset_db", "zero"},
	"artisan":     {"migrate:rollback", "migrate:reset", "migrate:fresh", "db:wipe", "migrate:refresh"},
}

// dataConcerns reports whether Rachel reviews c: database clients,
// migration tools, the environment printed, configuration and env files
// written.
func dataConcerns(c *Call) bool {
	for i := range c.commands() {
		cmd := &c.Shell.Commands[i]
		if dbClients[cmd.Name] || envPrinter(cmd) || dbAdmins[cmd.Name] || execArgs(cmd) != nil || ormRunner(cmd) != "" || cloudCLIs[cmd.Name] {
			return true
		}
		if tool, _ := migrationTool(cmd); tool != "" {
			return true
		}
	}
	if c.Shell != nil && sqlWorth(c.Command) {
		for _, f := range c.Shell.Findings {
			if f.Kind == shell.InlineCode {
				return true
			}
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
	case strings.Contains(abs, "/config/production") || strings.Contains(abs, "/production/") || strings.HasPrefix(lower, "production."),
		strings.Contains(abs, "/prod/") && (strings.Contains(abs, "/k8s/") || strings.Contains(abs, "/infra/") || strings.Contains(abs, "/deploy/") ||
			strings.Contains(abs, "/terraform/") || strings.Contains(abs, "/helm/") || strings.Contains(abs, "/kubernetes/") || strings.Contains(abs, "/environments/")):
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
	db, redis, env, sender := false, false, "", ""
	for i := range cmds {
		cmd := &cmds[i]
		argv := execArgs(cmd)
		switch {
		case dbClients[cmd.Name]:
			db, redis = true, redis || cmd.Name == "redis-cli"
			for _, op := range cmd.Operands {
				sql(&v, cmd.Name, op)
			}
			for _, f := range cmd.Flags {
				if f.HasValue {
					sql(&v, cmd.Name, f.Value)
				}
			}
			if cmd.Name == "redis-cli" {
				redisCommands(&v, redisArgs(cmd))
			}
		case dbAdmins[cmd.Name]:
			dbAdmin(&v, cmd)
		case argv != nil:
			// docker exec db dropdb app, kubectl exec pod -- psql -c '…':
			// the command inside the container, reviewed in its own right.
			name := path.Base(argv[0])
			db, redis = db || dbClients[name], redis || name == "redis-cli"
			execData(c, &v, cmd.Name+" exec", argv)
		case ormRunner(cmd) != "":
			ormCode(&v, ormRunner(cmd))
		case envPrinter(cmd):
			env = cmd.Name
		case networkPrograms[cmd.Name]:
			if sender == "" {
				sender = cmd.Name
			}
		}
		if mongoClients[cmd.Name] {
			mongoCode(&v, cmd)
		}
		if cloudCLIs[cmd.Name] {
			prodDestroy(c, &v, cmd)
		}
		if code := sqlCode(c, cmd); code != "" {
			for _, lit := range quoted(code) {
				sql(&v, cmd.Name+" one-liner", lit)
			}
		}
		if tool, sub := migrationTool(cmd); sub != "" {
			v.flag(govern.Ask, govern.RiskHigh, tool+" "+sub+" runs migrations backwards or drops the database",
				"Confirm this targets a local development database; roll back production through the release process")
		}
	}
	if db {
		// SQL echoed into the client, or fed by a here-document or
		// here-string.
		for i := range cmds {
			if cmds[i].Name == "echo" || cmds[i].Name == "printf" {
				for _, op := range cmds[i].Operands {
					sql(&v, "the database client", op)
				}
			}
		}
		for i := range cmds {
			if cmds[i].Stdin != "" {
				sql(&v, "the database client", cmds[i].Stdin)
			}
		}
	}
	if redis {
		// Redis commands on redis-cli's standard input: only what reaches
		// it, not an echo elsewhere on the line.
		for _, line := range shellTexts(c) {
			for _, text := range redisInput(line) {
				redisCommands(&v, text)
			}
		}
	}
	if env != "" && sender == "" {
		for i := range cmds {
			if encodes(&cmds[i]) {
				v.flag(govern.Ask, govern.RiskHigh, env+" output is encoded with "+cmds[i].Name+", which hides the secrets it carries from review",
					"Print only the variables you need, by name, in plain text")
				break
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
	switch name {
	case "bin/rails":
		name = "rails"
	case "sequelize-cli":
		name = "sequelize"
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

// dbAdmins are database administration tools that drop whole databases.
var dbAdmins = map[string]bool{"mysqladmin": true, "mariadb-admin": true, "dropdb": true, "dropuser": true}

// dbAdmin reviews mysqladmin drop and dropdb.
func dbAdmin(v *verdict, cmd *shell.Command) {
	switch {
	case cmd.Name == "dropdb":
		v.flag(govern.Deny, govern.RiskCritical, "dropdb drops the database "+operand(cmd, len(cmd.Operands)-1)+" and all its data",
			"Drop databases yourself, after a backup; in development, recreate them with the project's migrations")
	case cmd.Name == "dropuser":
		v.flag(govern.Ask, govern.RiskHigh, "dropuser deletes a database role",
			"Manage database roles through a reviewed migration")
	case slices.Contains(cmd.Operands, "drop"):
		v.flag(govern.Deny, govern.RiskCritical, cmd.Name+" drop drops a whole database and all its data",
			"Drop databases yourself, after a backup; in development, recreate them with the project's migrations")
	}
}

// mongoClients run MongoDB shell code.
var mongoClients = map[string]bool{"mongo": true, "mongosh": true}

// mongoCode reviews the JavaScript a Mongo shell runs: dropping a
// database or collection, deleting every document.
func mongoCode(v *verdict, cmd *shell.Command) {
	code := strings.Join(cmd.Operands, " ")
	for _, f := range cmd.Flags {
		code += " " + f.Value
	}
	compact := strings.Join(strings.Fields(code), "")
	switch {
	case strings.Contains(compact, ".dropDatabase("), strings.Contains(compact, ".drop()"):
		v.flag(govern.Deny, govern.RiskCritical, cmd.Name+" drops a database or collection and all its documents",
			"Drop collections through a reviewed migration, after a backup")
	case strings.Contains(compact, ".deleteMany({})"), strings.Contains(compact, ".remove({})"),
		strings.Contains(compact, ".deleteMany()"), strings.Contains(compact, ".updateMany({},"):
		v.flag(govern.Deny, govern.RiskCritical, cmd.Name+" changes or deletes every document of a collection (empty filter)",
			"Name the documents with a filter, e.g. deleteMany({expired: true})")
	}
}

// ormRunner returns the code an ORM console runs from the command line:
// rails runner 'code', python manage.py shell -c 'code'.
func ormRunner(cmd *shell.Command) string {
	name := path.Base(cmd.Path)
	args := cmd.Operands
	if (name == "python" || name == "python3") && len(args) > 0 && path.Base(args[0]) == "manage.py" {
		name, args = "manage.py", args[1:]
	}
	switch name {
	case "rails":
		if len(args) > 1 && (args[0] == "runner" || args[0] == "r") {
			return strings.Join(args[1:], " ")
		}
	case "manage.py":
		if len(args) > 0 && args[0] == "shell" {
			if code, ok := flagValue(cmd, "c"); ok {
				return code
			}
			if code, ok := flagValue(cmd, "command"); ok {
				return code
			}
			for i, a := range args[:len(args)-1] {
				if a == "-c" || a == "--command" {
					return args[i+1]
				}
			}
		}
	}
	return ""
}

// ormCode reviews ORM calls that delete or overwrite every row.
func ormCode(v *verdict, code string) {
	for _, call := range [...]string{".destroy_all", ".delete_all", ".update_all", ".objects.all().delete()", ".objects.all().update("} {
		i := strings.Index(code, call)
		if i < 0 {
			continue
		}
		// Model.destroy_all, not Model.where(…).destroy_all.
		model := code[:i]
		if j := strings.LastIndexAny(model, " ;\n(=.{"); j >= 0 {
			model = model[j+1:]
		}
		if model != "" && model[0] >= 'A' && model[0] <= 'Z' && !strings.Contains(code[:i], ".where(") && !strings.Contains(code[:i], ".filter(") {
			v.flag(govern.Deny, govern.RiskCritical, model+call+" deletes or overwrites every row of the table",
				"Scope the call to the rows you mean (Model.where(…)), in a transaction, after a backup")
			return
		}
	}
}

// sqlCode returns the code of an interpreter one-liner that talks to a
// database (sqlite3, psycopg, cursor.execute), or "".
func sqlCode(c *Call, cmd *shell.Command) string {
	if c.Shell == nil {
		return ""
	}
	inline := false
	for _, f := range c.Shell.Findings {
		inline = inline || f.Kind == shell.InlineCode && f.Detail == cmd.Text
	}
	if !inline {
		return ""
	}
	code := interpreterCode(c, cmd)
	if !sqlWorth(code) || !containsAny(code, dbDrivers[:]) {
		return ""
	}
	return code
}

// dbDrivers give away code that runs SQL.
var dbDrivers = [...]string{"sqlite3", "psycopg", "pymysql", "MySQLdb", "sqlalchemy", ".execute(", ".executescript(", ".query(", "knex", "pg.Client", "mysql2", "better-sqlite3", "DBI->", "PG.connect", "SQLite3::"}

// quoted returns the string literals in code, quotes removed.
func quoted(code string) []string {
	var out []string
	for i := 0; i < len(code); i++ {
		q := code[i]
		if q != '\'' && q != '"' && q != '`' {
			continue
		}
		end := strings.IndexByte(code[i+1:], q)
		if end < 0 {
			break
		}
		out = append(out, code[i+1:i+1+end])
		i += end + 1
	}
	return out
}

// cloudCLIs manage deployed infrastructure.
var cloudCLIs = map[string]bool{
	"helm": true, "heroku": true, "gcloud": true, "az": true, "aws": true, "kubectl": true, "flyctl": true,
	"fly": true, "doctl": true, "vercel": true, "railway": true, "render": true, "oc": true, "terraform": true,
}

// prodDestroy reviews cloud CLI commands that remove or reset something
// in production: helm uninstall -n production, heroku config:unset --app
// acme-prod, gcloud sql instances delete acme-prod, and production chosen
// through the environment (TF_WORKSPACE=prod terraform destroy).
func prodDestroy(c *Call, v *verdict, cmd *shell.Command) {
	destroy := ""
	if cmd.Name == "terraform" && operand(cmd, 0) == "apply" && (slices.Contains(cmd.Args, "-destroy") || slices.Contains(cmd.Args, "--destroy")) {
		destroy = "apply -destroy" // plan -destroy only shows what would go
	}
	for _, op := range cmd.Operands {
		verb := op
		if i := strings.LastIndexByte(op, ':'); i >= 0 {
			verb = op[i+1:]
		}
		switch verb {
		case "uninstall", "delete", "destroy", "unset", "reset", "rm", "remove", "purge", "drop", "wipe", "scale-down":
			destroy = op
		}
		if destroy != "" {
			break
		}
	}
	if destroy == "" {
		return
	}
	// The operands and option values, and every argument's value after
	// "=": terraform's -var-file=envs/prod.tfvars and -chdir=envs/prod are
	// single-dash options the generic option table cannot split. Files the
	// command writes (-out=prod.plan, -state-out, -backup) name no place.
	words := slices.Clone(cmd.Operands)
	for _, f := range cmd.Flags {
		if f.HasValue && !outputOptions[strings.TrimLeft(f.Name, "-")] {
			words = append(words, f.Value)
		}
	}
	for _, a := range cmd.Args {
		if name, val, ok := strings.Cut(a, "="); ok && !outputOptions[strings.TrimLeft(name, "-")] {
			words = append(words, val)
		}
	}
	// The variables set on the line choose its workspace, profile, project
	// or namespace just as well.
	for _, a := range lineEnv(c) {
		if _, val, ok := shell.SplitAssign(a); ok {
			words = append(words, val)
		}
	}
	for _, w := range words {
		lower := strings.ToLower(w)
		if lower == "prod" || lower == "production" || lower == "live" || strings.Contains(lower, "-prod") ||
			strings.Contains(lower, "prod-") || strings.Contains(lower, "_prod") || strings.Contains(lower, "production") || prodToken(lower) {
			v.flag(govern.Ask, govern.RiskHigh, cmd.Name+" "+destroy+" removes or resets something in production ("+w+")",
				"Change production through the deployment pipeline, in a reviewed change")
			return
		}
	}
}

// outputOptions are the options whose value is a file the command writes
// rather than the place it changes.
var outputOptions = map[string]bool{"out": true, "state-out": true, "backup": true, "output": true, "o": true}

// prodToken reports whether a lower-case word holds "prod" or "prd" as a
// whole part of a path or name: envs/prod.tfvars, prod/main.tf,
// acme.prd.example.
func prodToken(w string) bool {
	for part := range strings.FieldsFuncSeq(w, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) {
		if part == "prod" || part == "prd" {
			return true
		}
	}
	return false
}

// encodes reports whether cmd encodes or compresses its input, hiding it
// from a reader (base64 without -d, xxd, gzip, openssl enc).
func encodes(cmd *shell.Command) bool {
	switch cmd.Name {
	case "base64", "base32", "basenc", "xxd", "od", "hexdump", "uuencode", "gzip", "bzip2", "xz", "zstd":
		return !decoder(cmd) && !hasFlag(cmd, "d", "decompress")
	case "openssl":
		return operand(cmd, 0) == "enc" || operand(cmd, 0) == "base64"
	}
	return false
}
