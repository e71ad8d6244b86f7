package persona

import (
	"path"
	"slices"
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/shell"
)

// Sarah Chen, technical architect, consulted on every call: edits outside
// the project, CI/CD and build configuration, new dependencies.

// buildFiles are CI/CD and build configuration files, by base name.
var buildFiles = map[string]string{
	".gitlab-ci.yml": "CI", "Jenkinsfile": "CI", ".travis.yml": "CI", "azure-pipelines.yml": "CI",
	"bitbucket-pipelines.yml": "CI", "cloudbuild.yaml": "CI", "cloudbuild.yml": "CI", ".drone.yml": "CI",
	"Makefile": "build", "GNUmakefile": "build", "makefile": "build", "package.json": "build",
	"go.mod": "build", "Cargo.toml": "build", "pyproject.toml": "build", "setup.py": "build",
	"setup.cfg": "build", "pom.xml": "build", "build.gradle": "build", "build.gradle.kts": "build",
	"settings.gradle": "build", "CMakeLists.txt": "build", "BUILD": "build", "BUILD.bazel": "build",
	"WORKSPACE": "build", "Taskfile.yml": "build", "justfile": "build", "Rakefile": "build",
	"Gemfile": "build", "composer.json": "build", "tsconfig.json": "build", ".goreleaser.yml": "build",
	".goreleaser.yaml": "build", "docker-compose.yml": "build", "docker-compose.yaml": "build",
	"compose.yml": "build", "compose.yaml": "build", "requirements.txt": "build",
}

// buildKind says whether abs is CI configuration ("CI"), build
// configuration ("build"), or neither ("").
func buildKind(abs string) string {
	base := path.Base(abs)
	switch {
	case strings.Contains(abs, "/.github/workflows/"), strings.Contains(abs, "/.circleci/"),
		strings.Contains(abs, "/.buildkite/"), strings.Contains(abs, "/.github/actions/"):
		return "CI"
	case base == "Dockerfile", strings.HasPrefix(base, "Dockerfile."), strings.HasSuffix(base, ".Dockerfile"),
		base == "Containerfile":
		return "build"
	}
	return buildFiles[base]
}

// architecture is Sarah Chen's review.
func architecture(c *Call) govern.Verdict {
	v := newVerdict(SarahChen)
	c.written(func(w string) bool {
		switch c.placeOf(w) {
		case outside:
			if !device(w) {
				v.flag(govern.Ask, govern.RiskMedium, "writes "+w+", outside the project",
					"Keep changes inside the project ("+c.Root+"); use a temp dir for scratch files")
			}
		case inProject:
			switch buildKind(w) {
			case "CI":
				if c.Shell != nil {
					// sed -i, a redirection, cp: the change itself is not in the call.
					v.flag(govern.Ask, govern.RiskMedium, "changes the CI configuration "+path.Base(w)+" from the shell, where the change cannot be reviewed",
						"Edit "+path.Base(w)+" with the Edit tool, so the change is shown and reviewed")
					break
				}
				v.flag(govern.Allow, govern.RiskMedium, "",
					"CI change in "+path.Base(w)+": review it in a pull request, pin actions to a commit SHA and keep token permissions minimal")
				ciContent(&v, path.Base(w), c.Content)
			case "build":
				v.flag(govern.Allow, govern.RiskLow, "",
					"Build configuration change in "+path.Base(w)+": run the full build and tests before committing")
				if path.Base(w) == "package.json" && lifecycleScript(c.Content) {
					v.advise("package.json install scripts (preinstall, install, postinstall) run on every machine that installs the project: keep them minimal")
				}
			}
		}
		return true
	})
	for i := range c.commands() {
		dependency(&v, &c.Shell.Commands[i])
		supplyChain(&v, &c.Shell.Commands[i])
	}
	return v.Verdict
}

func lifecycleScript(content string) bool {
	return strings.Contains(content, `"preinstall"`) || strings.Contains(content, `"postinstall"`) || strings.Contains(content, `"install":`)
}

// installers maps a package manager to the subcommands that add a
// dependency, and the index of the first package operand.
var installers = map[string][]string{
	"npm": {"install", "i", "add", "isntall", "in"}, "yarn": {"add"}, "pnpm": {"add", "install", "i"},
	"bun": {"add", "install", "i"}, "go": {"get"}, "pip": {"install"}, "pip3": {"install"},
	"uv": {"add", "pip"}, "poetry": {"add"}, "pipenv": {"install"}, "cargo": {"add", "install"},
	"gem": {"install"}, "bundle": {"add"}, "composer": {"require"}, "dotnet": {"add"}, "conda": {"install"},
	"pdm": {"add"}, "deno": {"add", "install"},
}

// dependency reviews a command that adds a dependency.
func dependency(v *verdict, cmd *shell.Command) {
	name := cmd.Name
	if name == "python" || name == "python3" {
		if m, ok := flagValue(cmd, "m"); ok && (m == "pip" || m == "pip3") {
			name = "pip"
		}
	}
	pkgs, index, ok := installs(cmd, name)
	if !ok {
		return
	}
	if index != "" {
		v.flag(govern.Ask, govern.RiskMedium, name+" installs from the package index "+index,
			"Install from the organization's approved registry; a second index invites dependency confusion")
	}
	for _, p := range pkgs {
		if p == "." || strings.HasPrefix(p, "-") || strings.HasPrefix(p, "./") {
			continue
		}
		if remotePackage(p) {
			v.flag(govern.Ask, govern.RiskMedium, name+" installs "+p+" straight from a URL or git repository, bypassing the registry",
				"Install a published, versioned release from the registry, or vendor the code after review")
			continue
		}
		v.advise("New dependency " + p + ": check its maintenance, license and known vulnerabilities, and pin its version")
		if v.Risk == govern.RiskLow {
			v.Risk = govern.RiskMedium
		}
	}
}

// installs reports whether cmd, run as the package manager name, installs
// packages, and which ones from which extra index.
func installs(cmd *shell.Command, name string) (pkgs []string, index string, ok bool) {
	subs, known := installers[name]
	if !known || len(cmd.Operands) < 2 || !slices.Contains(subs, cmd.Operands[0]) {
		return nil, "", false
	}
	pkgs, index = packageArgs(cmd, cmd.Operands[0])
	return pkgs, index, true
}

// valueOptions are package-manager options whose value is the next
// argument.
var valueOptions = map[string]bool{
	"-r": true, "--requirement": true, "-c": true, "--constraint": true, "-i": true, "--index-url": true,
	"--extra-index-url": true, "-f": true, "--find-links": true, "-t": true, "--target": true,
	"--prefix": true, "--root": true, "--src": true, "--trusted-host": true, "--registry": true,
	"-w": true, "--workspace": true, "--filter": true, "--python": true, "--index": true, "--group": true,
	"--features": true, "--version": true, "--source": true, "-s": true, "--channel": true,
}

// indexOptions name a package index other than the default.
var indexOptions = map[string]bool{"--index-url": true, "-i": true, "--extra-index-url": true, "--registry": true, "--index": true, "--source": true, "-s": true}

// packageArgs returns the packages an install command names (after the
// subcommand, options and their values left out) and any package index
// it names.
func packageArgs(cmd *shell.Command, sub string) (pkgs []string, index string) {
	args := cmd.Args
	for i, a := range args {
		if a == sub {
			args = args[i+1:]
			break
		}
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		opt, val, eq := strings.Cut(a, "=")
		switch {
		case a == "install" || a == "package":
		case strings.HasPrefix(a, "-") && eq:
			if indexOptions[opt] {
				index = val
			}
		case valueOptions[a]:
			if i+1 < len(args) {
				if indexOptions[a] && !(cmd.Name == "npm" && a == "-i") {
					index = args[i+1]
				}
				i++
			}
		case strings.HasPrefix(a, "-"):
		default:
			pkgs = append(pkgs, a)
		}
	}
	return pkgs, index
}

// remotePackage reports whether a package spec points at a URL or a git
// repository rather than a registry name.
func remotePackage(p string) bool {
	for _, pre := range [...]string{"git+", "git:", "git@", "http://", "https://", "github:", "gitlab:", "bitbucket:", "file:"} {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	// npm's user/repo shorthand installs from GitHub.
	return !strings.HasPrefix(p, "@") && strings.Count(p, "/") == 1 && !strings.Contains(p, ".") && !strings.Contains(p, "=") &&
		!strings.Contains(p, "@") && strings.IndexByte(p, '/') > 0 && !strings.HasSuffix(p, "/")
}

// flagValue returns the value of a flag with a value.
func flagValue(cmd *shell.Command, name string) (string, bool) {
	for _, f := range cmd.Flags {
		if f.Name == name && f.HasValue {
			return f.Value, true
		}
	}
	return "", false
}
