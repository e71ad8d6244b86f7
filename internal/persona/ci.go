package persona

import (
	"path"
	"strings"

	"github.com/govern-dev/govern"
)

// ciContent reviews what a change writes into CI configuration: secrets
// sent away, untrusted pull requests run with secrets, checks turned off,
// broad token permissions, code downloaded and run, actions followed by
// branch.
func ciContent(v *verdict, file, content string) {
	if content == "" {
		return
	}
	compact := strings.Join(strings.Fields(content), "")
	ask := func(reason, rec string) {
		v.flag(govern.Ask, govern.RiskHigh, file+": "+reason, rec)
	}
	if strings.Contains(compact, "toJSON(secrets)") {
		v.flag(govern.Deny, govern.RiskCritical, file+": the workflow dumps every secret", "Pass each step only the secrets it needs, by name")
	}
	if strings.Contains(content, "pull_request_target") && strings.Contains(compact, "github.event.pull_request.head") {
		ask("pull_request_target checks out the pull request's code and runs it with the repository's secrets",
			"Use the pull_request trigger for untrusted code, or do not check out the head ref")
	}
	if strings.Contains(compact, "permissions:write-all") {
		ask("permissions: write-all gives every job a token that can change the repository",
			"Grant the least permissions each job needs, e.g. contents: read")
	}
	if strings.Contains(compact, "continue-on-error:true") || strings.Contains(compact, "allow_failure:true") {
		ask("a job or step is allowed to fail (continue-on-error / allow_failure), so broken checks pass",
			"Fix or skip the failing check explicitly, in a reviewed change")
	}
	block := -1 // the column of the key of the run: | block being read, or -1
	for line := range strings.SplitSeq(content, "\n") {
		trimmed := strings.TrimSpace(line)
		indent := len(line) - len(strings.TrimLeft(line, " "))
		if block >= 0 && (trimmed == "" || indent > block) {
			// A line of a multi-line run block: a command of its own.
			ciRun(ask, trimmed, true)
			continue
		}
		block = -1
		t := strings.TrimPrefix(trimmed, "- ")
		keyCol := indent + len(trimmed) - len(t)
		run, isRun := strings.CutPrefix(t, "run:")
		if !isRun && strings.Contains(file, "gitlab") {
			run, isRun = t, true
		}
		if isRun {
			r := strings.TrimSpace(run)
			if ind, _, ok := strings.Cut(r, " #"); ok && (strings.HasPrefix(ind, "|") || strings.HasPrefix(ind, ">")) {
				r = strings.TrimSpace(ind) // run: | # a comment: still a block
			}
			if r == "|" || r == ">" || strings.HasPrefix(r, "|") && len(r) <= 3 || strings.HasPrefix(r, ">") && len(r) <= 3 {
				block = keyCol // run: |, run: >-, run: |2
				continue
			}
			ciRun(ask, r, false)
		}
		if uses, ok := strings.CutPrefix(t, "uses:"); ok {
			uses, _, _ = strings.Cut(uses, " #")
			uses = strings.Trim(strings.TrimSpace(uses), `"'`)
			repo, ref, ok := strings.Cut(uses, "@")
			if ok && !strings.HasPrefix(repo, "actions/") && !strings.HasPrefix(repo, "github/") && !strings.HasPrefix(repo, "./") {
				switch ref {
				case "main", "master", "HEAD", "latest", "dev", "develop":
					ask(repo+" is followed by branch ("+ref+"), so whoever controls it changes the build",
						"Pin third-party actions to a full commit SHA")
				}
			}
		}
	}
}

// ciRun reviews one command line of a CI step. A one-line step that
// ignores its own failure (|| true, || :, || exit 0) is the step; a line
// of a multi-line block that does is often cleanup (docker rm -f db ||
// true), so there it counts only after a check.
func ciRun(ask func(reason, rec string), r string, inBlock bool) {
	switch {
	case ignoresFailure(r) && (!inBlock || checkStep(r)):
		ask("a step ignores its own failure ("+short(r)+"), so broken checks pass",
			"Fix or skip the failing check explicitly, in a reviewed change")
	case r == "set +e" || strings.HasPrefix(r, "set +e ") || strings.HasPrefix(r, "set +e;"):
		ask("a step turns off stopping at the first failure (set +e), so broken checks pass",
			"Fix or skip the failing check explicitly, in a reviewed change")
	case (strings.Contains(r, "curl ") || strings.Contains(r, "wget ")) && (strings.Contains(r, "| bash") || strings.Contains(r, "| sh") || strings.Contains(r, "|bash") || strings.Contains(r, "|sh")):
		ask("a step downloads code and runs it unseen ("+short(r)+")",
			"Pin the script by checksum, or use a versioned action")
	case r == "env" || strings.HasPrefix(r, "env |") || strings.HasPrefix(r, "printenv") || strings.Contains(r, "_TOKEN | base64"):
		ask("a step prints the job's environment, with its secrets and tokens, to the log ("+short(r)+")",
			"Print only the variables you need, by name")
	}
}

// ignoresFailure reports whether a command line ends by ignoring its
// failure.
func ignoresFailure(r string) bool {
	return strings.HasSuffix(r, "|| true") || strings.HasSuffix(r, "|| exit 0") || strings.HasSuffix(r, "|| :")
}

// checkPrograms are the programs that test, lint, type-check or scan.
var checkPrograms = map[string]bool{
	"pytest": true, "tox": true, "nox": true, "eslint": true, "ruff": true, "mypy": true, "pyright": true, "tsc": true,
	"flake8": true, "pylint": true, "black": true, "isort": true, "bandit": true, "safety": true, "pip-audit": true,
	"golangci-lint": true, "staticcheck": true, "govulncheck": true, "gosec": true, "shellcheck": true, "hadolint": true,
	"rubocop": true, "rspec": true, "phpunit": true, "phpstan": true, "jest": true, "vitest": true, "mocha": true,
	"playwright": true, "cypress": true, "prettier": true, "stylelint": true, "trivy": true, "grype": true, "snyk": true,
	"semgrep": true, "checkov": true, "tfsec": true, "tflint": true, "cargo-audit": true, "audit-ci": true,
}

// checkWords are the subcommands and targets of build tools that test,
// lint, check, build, audit or scan: npm test, go vet, make lint.
var checkWords = [...]string{"test", "lint", "check", "build", "audit", "scan", "vet", "clippy", "verify", "spec", "typecheck", "validate"}

// checkTools are the build tools whose subcommand says whether it checks.
var checkTools = map[string]bool{
	"npm": true, "yarn": true, "pnpm": true, "bun": true, "deno": true, "go": true, "cargo": true, "make": true,
	"mvn": true, "gradle": true, "gradlew": true, "dotnet": true, "mix": true, "swift": true, "docker": true,
	"terraform": true, "composer": true, "just": true, "task": true, "nx": true, "turbo": true,
}

// checkStep reports whether the command whose failure a line ignores is a
// test, lint, check, build, audit or scan step: npm test, pytest, go test
// ./..., make lint, cargo clippy, npx eslint ., npm audit, trivy fs ..
func checkStep(r string) bool {
	r = r[:strings.LastIndex(r, "||")]
	for _, sep := range [...]string{"&&", ";", "||"} {
		if i := strings.LastIndex(r, sep); i >= 0 {
			r = r[i+len(sep):]
		}
	}
	for part := range strings.SplitSeq(r, "|") {
		if checkCommand(strings.Fields(part)) {
			return true
		}
	}
	return false
}

// checkCommand reports whether words, one command, test, lint, check,
// build, audit or scan.
func checkCommand(words []string) bool {
	for len(words) > 0 {
		switch w := words[0]; {
		case strings.Contains(w, "=") && !strings.HasPrefix(w, "-"), w == "npx", w == "bunx", w == "sudo", w == "time", w == "env":
			words = words[1:] // CI=true, npx eslint
		case len(words) > 1 && (w == "poetry" || w == "uv" || w == "pipenv" || w == "pdm" || w == "hatch") && words[1] == "run",
			len(words) > 1 && w == "bundle" && words[1] == "exec",
			len(words) > 1 && strings.HasPrefix(w, "python") && words[1] == "-m":
			words = words[2:]
		default:
			name := path.Base(w)
			if checkPrograms[name] || strings.HasSuffix(name, "lint") {
				return true
			}
			if !checkTools[name] {
				return false
			}
			if name == "make" && (len(words) == 1 || strings.HasPrefix(words[1], "-")) {
				return true // make: the default target builds
			}
			for _, sub := range words[1:min(len(words), 3)] {
				for _, k := range checkWords {
					if strings.Contains(sub, k) {
						return true
					}
				}
			}
			return false
		}
	}
	return false
}
