package persona

import (
	"strings"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/shell"
)

// popular are well-known package names, by ecosystem, that typosquats
// imitate.
var popular = map[string][]string{
	"npm": {"lodash", "express", "react", "react-dom", "axios", "moment", "webpack", "typescript", "eslint",
		"prettier", "chalk", "commander", "request", "jquery", "vue", "next", "dotenv", "jest", "mocha",
		"underscore", "async", "debug", "uuid", "yargs", "classnames", "redux", "rxjs", "socket.io", "mongoose",
		"body-parser", "cross-env", "nodemon", "vitest", "zod", "electron", "babel-cli", "colors", "minimist"},
	"pypi": {"requests", "numpy", "pandas", "django", "flask", "scipy", "matplotlib", "urllib3", "boto3",
		"setuptools", "pytest", "pyyaml", "cryptography", "pillow", "scikit-learn", "tensorflow", "torch",
		"beautifulsoup4", "selenium", "sqlalchemy", "python-dateutil", "jinja2", "colorama", "fastapi", "pydantic"},
}

// ecosystems maps an installer to the registry its names come from.
var ecosystems = map[string]string{
	"npm": "npm", "yarn": "npm", "pnpm": "npm", "bun": "npm", "npx": "npm", "pnpx": "npm", "bunx": "npm",
	"pip": "pypi", "pip3": "pypi", "uv": "pypi", "poetry": "pypi", "pipenv": "pypi", "pdm": "pypi",
}

// typosquat returns the popular package name is one slip away from: two
// neighbouring letters swapped, or one letter left out of a name of six
// letters or more. Names that are themselves popular are not squats.
func typosquat(eco, name string) string {
	list := popular[eco]
	for _, p := range list {
		if p == name {
			return ""
		}
	}
	for _, p := range list {
		if len(p) == len(name) {
			for i := 0; i+1 < len(p); i++ {
				if p[i] != p[i+1] && name == p[:i]+string(p[i+1])+string(p[i])+p[i+2:] {
					return p
				}
			}
		}
		if len(p) >= 6 && len(name) == len(p)-1 {
			for i := range p {
				if name == p[:i]+p[i+1:] {
					return p
				}
			}
		}
	}
	return ""
}

// supplyChain reviews package-manager commands that run or trust code
// from outside the registry: typosquatted names, npx of a git URL, a
// registry switched to an unknown host, install scripts run as root.
func supplyChain(v *verdict, cmd *shell.Command) {
	eco := ecosystems[cmd.Name]
	if eco == "" {
		return
	}
	switch {
	case cmd.Name == "npx" || cmd.Name == "pnpx" || cmd.Name == "bunx":
		if p := operand(cmd, 0); p != "" {
			if remotePackage(p) {
				v.flag(govern.Ask, govern.RiskHigh, cmd.Name+" runs "+p+" straight from a git repository or URL",
					"Run a published, versioned package from the registry, or clone and review the script first")
			} else if sq := typosquat(eco, strings.TrimSuffix(p, "@latest")); sq != "" {
				v.flag(govern.Ask, govern.RiskHigh, cmd.Name+" runs "+p+", one typo away from "+sq,
					"Check the package name; you probably mean "+sq)
			}
		}
		return
	case operand(cmd, 0) == "config" && operand(cmd, 1) == "set" && strings.Contains(operand(cmd, 2), "registry"):
		reg := operand(cmd, 3)
		if reg != "" && !strings.Contains(reg, "registry.npmjs.org") && !strings.Contains(reg, "registry.yarnpkg.com") {
			v.flag(govern.Ask, govern.RiskHigh, cmd.Name+" config set points the package registry at "+reg,
				"Use the organization's approved registry, configured in the project's .npmrc in a reviewed change")
		}
		return
	}
	if hasFlag(cmd, "unsafe-perm") {
		v.flag(govern.Ask, govern.RiskMedium, cmd.Name+" --unsafe-perm runs the packages' install scripts with full rights",
			"Install without --unsafe-perm, or with --ignore-scripts")
	}
	pkgs, _, ok := installs(cmd, cmd.Name)
	if !ok {
		return
	}
	for _, p := range pkgs {
		name := p
		if i := strings.IndexAny(name[min(1, len(name)):], "@=<>~!["); i >= 0 {
			name = name[:i+min(1, len(name))]
		}
		if sq := typosquat(eco, strings.ToLower(name)); sq != "" {
			v.flag(govern.Ask, govern.RiskHigh, cmd.Name+" installs "+p+", one typo away from "+sq,
				"Check the package name; you probably mean "+sq)
		}
	}
}
