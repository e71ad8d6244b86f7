package persona

import (
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
			ciRun(ask, trimmed)
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
			if r == "|" || r == ">" || strings.HasPrefix(r, "|") && len(r) <= 3 || strings.HasPrefix(r, ">") && len(r) <= 3 {
				block = keyCol // run: |, run: >-, run: |2
				continue
			}
			ciRun(ask, r)
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

// ciRun reviews one command line of a CI step.
func ciRun(ask func(reason, rec string), r string) {
	switch {
	case strings.HasSuffix(r, "|| true") || strings.HasSuffix(r, "|| exit 0") || strings.HasSuffix(r, "|| :"):
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
