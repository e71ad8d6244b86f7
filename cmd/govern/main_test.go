package main

import (
	"database/sql"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	_ "modernc.org/sqlite"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"govern": func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the CLI's txtar scripts: stdin in, stdout, stderr and
// exit code out.
func TestScripts(t *testing.T) {
	t.Parallel()
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", "/home/dev")
			env.Setenv("CLAUDE_PROJECT_DIR", "/home/dev/proj")
			env.Setenv("SEED", mustAbs("../../testdata/policies/seed.json"))
			env.Setenv("GOVERN_AUDIT", env.WorkDir+"/audit.db")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"sqlexec": sqlexec},
	})
}

// sqlexec FILE SQL runs one statement on a SQLite audit database, as
// someone with write access to it could: the scripts tamper with the trail
// and check that verification notices.
func sqlexec(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: sqlexec FILE SQL")
	}
	db, err := sql.Open("sqlite", ts.MkAbs(args[0]))
	ts.Check(err)
	defer db.Close()
	_, err = db.Exec(args[1])
	if neg != (err != nil) {
		ts.Fatalf("sqlexec: %v", err)
	}
}

func mustAbs(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	return wd + "/" + p
}
