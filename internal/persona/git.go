package persona

import (
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/shell"
)

// gitReviewed are the git subcommands Marcus reviews: they push, or they
// can throw away work or history that git cannot give back.
var gitReviewed = map[string]bool{
	"push": true, "reset": true, "clean": true, "checkout": true, "restore": true, "switch": true,
	"stash": true, "filter-branch": true, "filter-repo": true, "reflog": true, "gc": true, "prune": true,
	"update-ref": true, "branch": true, "worktree": true,
}

// gitCommand reviews git commands that destroy uncommitted work or history,
// or rewrite the remote's.
func gitCommand(v *verdict, cmd *shell.Command) {
	sub := operand(cmd, 0)
	switch sub {
	case "push":
		gitPush(v, cmd)
	case "reset":
		if hasFlag(cmd, "hard", "merge", "keep") {
			v.flag(govern.Ask, govern.RiskHigh, "git reset --hard throws away uncommitted changes",
				"Run git stash first, or use git restore on the files you mean")
		}
	case "clean":
		if hasFlag(cmd, "f") && !hasFlag(cmd, "n", "i", "dry-run") {
			v.flag(govern.Ask, govern.RiskHigh, "git clean -f deletes untracked files, which git cannot restore",
				"Preview with git clean -n first, then delete the files you name")
		}
	case "checkout", "restore":
		gitDiscard(v, cmd, sub)
	case "switch":
		if hasFlag(cmd, "f", "discard-changes") {
			v.flag(govern.Ask, govern.RiskHigh, "git switch --discard-changes throws away uncommitted changes",
				"Commit or stash your changes first (git stash), then switch")
		}
	case "stash":
		switch operand(cmd, 1) {
		case "clear":
			v.flag(govern.Ask, govern.RiskHigh, "git stash clear deletes every stash, which git cannot restore",
				"Drop the stashes you no longer need by name (git stash drop stash@{2}) after checking them with git stash show -p")
		case "drop":
			v.flag(govern.Ask, govern.RiskMedium, "git stash drop deletes a stash, which git cannot easily restore",
				"Check the stash first with git stash show -p, or apply it with git stash pop")
		}
	case "filter-branch", "filter-repo":
		v.flag(govern.Ask, govern.RiskHigh, "git "+sub+" rewrites the repository's whole history",
			"Rewrite history yourself, on a fresh clone, after telling everyone who shares the repository")
	case "reflog":
		if operand(cmd, 1) == "expire" || operand(cmd, 1) == "delete" {
			v.flag(govern.Ask, govern.RiskHigh, "git reflog "+operand(cmd, 1)+" deletes the record git needs to recover lost commits",
				"Leave the reflog alone; it expires on its own")
		}
	case "gc", "prune":
		if val, ok := flagValue(cmd, "prune"); ok && (val == "now" || val == "all") || sub == "prune" && !hasFlag(cmd, "n", "dry-run") {
			v.flag(govern.Ask, govern.RiskHigh, "git "+sub+" --prune=now deletes unreachable commits at once, so they cannot be recovered",
				"Run plain git gc, which keeps unreachable commits for two weeks")
		}
	case "update-ref":
		if hasFlag(cmd, "d", "delete") {
			v.flag(govern.Ask, govern.RiskHigh, "git update-ref -d deletes a ref without any safety check",
				"Delete merged branches with git branch -d, which refuses to lose commits")
		}
	case "branch":
		switch {
		case hasFlag(cmd, "D") || hasFlag(cmd, "d") && hasFlag(cmd, "f"):
			v.flag(govern.Ask, govern.RiskHigh, "git branch -D deletes a branch even when its commits are not merged",
				"Use git branch -d, which refuses to delete unmerged work")
		case hasFlag(cmd, "f") && len(cmd.Operands) > 1:
			v.flag(govern.Ask, govern.RiskHigh, "git branch -f moves a branch, dropping the commits it pointed to",
				"Create a new branch instead, or use git reset on a branch only you use")
		}
	case "worktree":
		if op := operand(cmd, 1); (op == "remove" || op == "prune") && hasFlag(cmd, "f", "force") {
			v.flag(govern.Ask, govern.RiskHigh, "git worktree "+op+" --force deletes a worktree with uncommitted changes",
				"Commit or stash the worktree's changes, then remove it without --force")
		}
	}
}

// gitPush reviews pushes that overwrite or delete the remote's branches.
func gitPush(v *verdict, cmd *shell.Command) {
	force, del := hasFlag(cmd, "f", "force"), hasFlag(cmd, "d", "delete")
	for _, op := range cmd.Operands[1:] {
		switch {
		case len(op) > 1 && op[0] == '+':
			force = true
		case len(op) > 1 && op[0] == ':':
			del = true
		}
	}
	dry := hasFlag(cmd, "n", "dry-run")
	switch {
	case dry:
	case force:
		v.flag(govern.Deny, govern.RiskHigh, "a force push overwrites the remote branch's history",
			"Use git push --force-with-lease, which refuses to overwrite commits you have not seen")
	case del:
		v.flag(govern.Ask, govern.RiskHigh, "git push deletes a branch on the remote",
			"Delete remote branches in the hosting service's interface, where branch protection applies")
	case hasFlag(cmd, "force-with-lease", "force-if-includes", "mirror"):
		v.flag(govern.Ask, govern.RiskMedium, "git push rewrites the remote branch's history",
			"Make sure nobody else pushed to this branch; prefer a new commit over a rewrite on shared branches")
	}
}

// gitDiscard reviews git checkout and git restore, which overwrite
// uncommitted changes in the paths they name: a whole directory, or the
// whole tree, is a loss; one named file is a routine undo.
func gitDiscard(v *verdict, cmd *shell.Command, sub string) {
	if sub == "checkout" && hasFlag(cmd, "f") {
		v.flag(govern.Ask, govern.RiskHigh, "git checkout -f throws away uncommitted changes",
			"Commit or stash your changes first (git stash), then check out")
		return
	}
	if sub == "checkout" && hasFlag(cmd, "b", "B", "orphan", "detach") {
		return
	}
	if sub == "restore" && hasFlag(cmd, "staged", "S") && !hasFlag(cmd, "worktree", "W") {
		return // only unstages
	}
	// The paths: after "--", or for restore every operand; for checkout
	// without "--" only operands that cannot be a branch.
	var paths []string
	dash := false
	for _, a := range cmd.Args {
		if a == "--" {
			dash = true
			continue
		}
		if dash {
			paths = append(paths, a)
		}
	}
	if !dash {
		ops := cmd.Operands[1:]
		if sub == "checkout" {
			ops = nil
			for _, op := range cmd.Operands[1:] {
				if wholeTree(op) {
					ops = append(ops, op)
				}
			}
		}
		paths = ops
	}
	for _, p := range paths {
		if wholeTree(p) || strings.HasSuffix(p, "/") {
			v.flag(govern.Ask, govern.RiskHigh, "git "+sub+" "+p+" overwrites every uncommitted change under "+p,
				"Name the files to restore, or run git stash first so the changes can be recovered")
			return
		}
	}
}

// wholeTree reports whether a git pathspec takes the whole tree or a glob
// of it.
func wholeTree(p string) bool {
	switch p {
	case ".", "./", ":/", ":", "*", "./*", ":(top)", "..", "../":
		return true
	}
	return strings.ContainsAny(p, "*?[")
}
