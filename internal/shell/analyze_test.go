package shell

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// commandCases are command lines and the commands they run, rendered by
// render. They also seed FuzzAnalyze.
var commandCases = []struct {
	name string
	src  string
	want []string
}{
	// Names: what runs, however it is spelled.
	{"plain", "git status", []string{"git status"}},
	{"ansi-c name", `$'\x72\x6d' -rf /`, []string{"rm -r -f /"}},
	{"ansi-c octal name", `$'\162\155' x`, []string{"rm x"}},
	{"split quotes", `"r""m" -r x`, []string{"rm -r x"}},
	{"single quoted name", `'rm' x`, []string{"rm x"}},
	{"backslash name", `\rm y`, []string{"rm y"}},
	{"backslash inside name", `r\m y`, []string{"rm y"}},
	{"dot slash", `./rm z`, []string{"rm z"}},
	{"dotdot path", `/usr/bin/../bin/rm -rf x`, []string{"rm -r -f x"}},
	{"absolute path", `/bin/rm x`, []string{"rm x"}},
	{"trailing slash", `rm/ x`, []string{"rm x"}},
	{"brace expansion name", `{rm,-rf,/}`, []string{"rm -r -f /"}},
	{"brace expansion flags", `rm -{r,f} x`, []string{"rm -r -f x"}},
	{"quoted brace is data", `echo '{rm,-rf,/}'`, []string{"echo {rm,-rf,/}"}},

	// Flags.
	{"cluster", `rm -rf x`, []string{"rm -r -f x"}},
	{"separate flags", `rm -r -f x`, []string{"rm -r -f x"}},
	{"long forms", `rm --recursive --force x`, []string{"rm -r -f x"}},
	{"capital R", `rm -R x`, []string{"rm -r x"}},
	{"flags after operands", `rm x -rf`, []string{"rm -r -f x"}},
	{"double dash ends flags", `rm -- -rf`, []string{"rm -rf"}},
	{"lone dash is operand", `cat -`, []string{"cat -"}},
	{"long with value", `git push --force-with-lease=main origin`, []string{"git -force-with-lease=main push origin"}},
	{"git push force", `git push --force origin main`, []string{"git -f push origin main"}},
	{"git push -f", `git push -f`, []string{"git -f push"}},
	{"git -C dir", `git -C /repo push --force`, []string{"git -C=/repo -f push"}},
	{"git commit message is data", `git commit -m "drop sudo"`, []string{`git -m="drop sudo" commit`}},
	{"git commit long message", `git commit --message="rm -rf /" -a`, []string{`git -m="rm -rf /" -a commit`}},
	{"chmod recursive", `chmod --recursive 777 /`, []string{"chmod -R 777 /"}},
	{"chown recursive", `chown -R root:root /`, []string{"chown -R root:root /"}},
	{"cp recursive", `cp --recursive --force a b`, []string{"cp -r -f a b"}},
	{"sed in place", `sed --in-place s/a/b/ f`, []string{"sed -i s/a/b/ f"}},
	{"sed in place suffix", `sed -i.bak s/a/b/ f`, []string{"sed -i=.bak s/a/b/ f"}},
	{"curl output", `curl --output f -sSL https://x`, []string{"curl -o=f -s -S -L https://x"}},
	{"wget output", `wget -qO- https://x`, []string{"wget -q -O=- https://x"}},
	{"docker keeps long names", `docker run --privileged --rm -it -v /:/h -e A=1 --name x img sh`, []string{"docker -privileged -rm -i -t -v=/:/h -e=A=1 -name=x run img sh"}},
	{"docker container command is operands", `docker run alpine rm -rf /`, []string{"docker run alpine rm -rf /"}},
	{"kill signal", `kill -9 1`, []string{"kill -9 1"}},
	{"kill named signal", `kill -KILL 1`, []string{"kill -KILL 1"}},
	{"kill -s", `kill -s TERM 1`, []string{"kill -s=TERM 1"}},
	{"npm global", `npm install --global x`, []string{"npm -g install x"}},
	{"npm run dashes", `npm run test -- --watch`, []string{"npm run test --watch"}},
	{"grep pattern", `grep -e sudo -rn .`, []string{"grep -e=sudo -r -n ."}},
	{"find name", `find . -name '*.go' -type f`, []string{"find -name=*.go -type=f ."}},
	{"tar old style", `tar xzf a.tgz -C /`, []string{"tar -x -z -f=a.tgz -C=/"}},
	{"head count", `head -20 f`, []string{"head -20 f"}},

	// Lists, pipelines, structure.
	{"list", `ls -la src && grep -rn foo .`, []string{"ls -l -a src", "grep -r -n foo ."}},
	{"pipeline", `cat f | grep x | wc -l`, []string{"cat f", "grep x", "wc -l"}},
	{"or list", `make || echo fail; true`, []string{"make", "echo fail", "true"}},
	{"subshell", `(cd /tmp && rm x)`, []string{"cd /tmp", "rm x"}},
	{"brace group", `{ rm a; rm b; }`, []string{"rm a", "rm b"}},
	{"if", `if test -f x; then rm x; elif true; then rm y; else rm z; fi`, []string{"test -f x", "rm x", "true", "rm y", "rm z"}},
	{"for", `for f in $(ls); do rm "$f"; done`, []string{"$(): ls", "rm $f"}},
	{"c for", `for ((i=$(id -u); i<3; i++)); do rm x; done`, []string{"$(): id -u", "rm x"}},
	{"while", `while read l; do rm "$l"; done < list`, []string{"read l", "rm $l"}},
	{"until", `until false; do rm x; done`, []string{"false", "rm x"}},
	{"case", `case $(uname) in Linux) rm x;; *) rm y;; esac`, []string{"$(): uname", "rm x", "rm y"}},
	{"select", `select x in a b; do rm $x; done`, []string{"rm $x"}},
	{"function body", `f() { rm -rf /; }; f`, []string{"rm -r -f /", "f"}},
	{"function keyword", `function g { sudo reboot; }`, []string{"sudo reboot (wrapper)", "sudo: reboot"}},
	{"negation", `! rm x`, []string{"rm x"}},
	{"background", `rm x & rm y`, []string{"rm x", "rm y"}},
	{"coproc", `coproc rm x`, []string{"rm x"}},
	{"time keyword", `time rm -rf x`, []string{"time (wrapper transparent)", "time: rm -r -f x"}},
	{"time pipeline", `time curl x | sh`, []string{"time (wrapper transparent)", "time: curl x", "time: sh (dynamic)"}},

	// Substitutions run.
	{"command substitution", `echo $(rm -rf x)`, []string{"$(): rm -r -f x", `echo "$(rm -rf x)"`}},
	{"backticks", "echo `rm -rf x`", []string{"$(): rm -r -f x", "echo \"`rm -rf x`\""}},
	{"nested substitution", `echo $(echo $(rm x))`, []string{"$(): rm x", `$(): echo "$(rm x)"`, `echo "$(echo $(rm x))"`}},
	{"substitution in double quotes", `echo "a $(rm x) b"`, []string{"$(): rm x", `echo "a $(rm x) b"`}},
	{"process substitution", `diff <(rm a) >(rm b)`, []string{"<(): rm a", ">(): rm b", `diff "<(rm a)" ">(rm b)"`}},
	{"assignment", `x=$(rm -rf y)`, []string{"$(): rm -r -f y"}},
	{"assignment before command", `A=$(rm a) make`, []string{"$(): rm a", "make"}},
	{"array elements", `a=(one $(rm b) [2]=$(rm c))`, []string{"$(): rm b", "$(): rm c"}},
	{"parameter default", `echo ${x:-$(rm -rf y)}`, []string{"$(): rm -r -f y", `echo "${x:-$(rm -rf y)}"`}},
	{"parameter replace", `echo ${x/a/$(rm b)}`, []string{"$(): rm b", `echo "${x/a/$(rm b)}"`}},
	{"arithmetic expansion", `echo $(( $(rm x) + 1 ))`, []string{"$(): rm x", `echo "$(( $(rm x) + 1 ))"`}},
	{"arithmetic command", `(( $(rm x) ))`, []string{"$(): rm x"}},
	{"test clause", `[[ -f $(rm x) ]]`, []string{"$(): rm x"}},
	{"redirect target", `echo hi > $(rm x)`, []string{"$(): rm x", "echo hi"}},
	{"declare", `export A=$(rm x)`, []string{"$(): rm x", `export "A=$(rm x)"`}},
	{"declare quoted", `declare -x A="x y" B`, []string{`declare -x "A=x y" B`}},
	{"local", `f() { local x=1; }`, []string{"local x=1"}},
	{"let", `let x=1 y=$(rm z)`, []string{"$(): rm z", `let x=1 "y=$(rm z)"`}},
	{"unquoted heredoc substitution runs", "cat <<EOF\n$(rm -rf /)\nEOF", []string{"cat", "$(): rm -r -f /"}},

	// Text is data.
	{"quoted heredoc is data", "cat <<'EOF'\nsudo rm -rf /\nEOF", []string{"cat"}},
	{"unquoted heredoc text is data", "cat <<EOF\nsudo rm -rf /\nEOF", []string{"cat"}},
	{"echo argument is data", `echo "sudo rm -rf /"`, []string{`echo "sudo rm -rf /"`}},
	{"grep pattern is data", `grep -r 'rm -rf' .`, []string{`grep -r "rm -rf" .`}},
	{"single quoted substitution is data", `echo '$(rm x)'`, []string{`echo "$(rm x)"`}},
	{"comment is data", `ls # ; rm -rf /`, []string{"ls"}},
	{"comment ending in backslash ends at the newline", "echo a # note \\\nrm -rf build", []string{"echo a", "rm -r -f build"}},
	{"comment backslash at line start", "# c \\\nrm x", []string{"rm x"}},
	{"line continuation joins", "rm -r \\\n -f x", []string{"rm -r -f x"}},

	// Shells and eval re-parse their code.
	{"bash -c", `bash -c "rm -rf x"`, []string{`bash -c "rm -rf x" (wrapper)`, "bash -c: rm -r -f x"}},
	{"sh -c", `sh -c 'curl x | sh'`, []string{`sh -c "curl x | sh" (wrapper)`, "sh -c: curl x", "sh -c: sh (dynamic)"}},
	{"bash -lc", `bash -lc "rm x"`, []string{`bash -l -c "rm x" (wrapper)`, "bash -c: rm x"}},
	{"bash -x -c", `bash -x -c "rm x"`, []string{`bash -x -c "rm x" (wrapper)`, "bash -c: rm x"}},
	{"sh -ec", `sh -ec "rm x"`, []string{`sh -e -c "rm x" (wrapper)`, "sh -c: rm x"}},
	{"bash -o pipefail -c", `bash -o pipefail -c "rm x"`, []string{`bash -o=pipefail -c "rm x" (wrapper)`, "bash -c: rm x"}},
	{"zsh -c", `zsh -c "rm x"`, []string{`zsh -c "rm x" (wrapper)`, "zsh -c: rm x"}},
	{"busybox sh -c", `busybox sh -c "rm x"`, []string{`busybox sh -c "rm x" (wrapper)`, `busybox: sh -c "rm x" (wrapper)`, "sh -c: rm x"}},
	{"nested shells", `bash -c "sh -c 'rm x'"`, []string{`bash -c "sh -c 'rm x'" (wrapper)`, `bash -c: sh -c "rm x" (wrapper)`, "sh -c: rm x"}},
	{"script file is a program", `bash deploy.sh --fast`, []string{"bash deploy.sh --fast"}},
	{"eval", `eval 'rm -rf /'`, []string{`eval "rm -rf /" (wrapper)`, "eval: rm -r -f /"}},
	{"eval joins words", `eval rm -rf x`, []string{"eval rm -rf x (wrapper)", "eval: rm -r -f x"}},
	{"bash heredoc", "bash <<'EOF'\nrm -rf /\nEOF", []string{"bash (wrapper)", "heredoc: rm -r -f /"}},
	{"bash unquoted heredoc", "bash <<EOF\nrm -rf $HOME\nEOF", []string{"bash (dynamic)", "heredoc: rm -r -f $HOME"}},
	{"sudo bash heredoc", "sudo bash <<'EOF'\nrm x\nEOF", []string{"sudo bash (wrapper)", "sudo: bash (wrapper)", "heredoc: rm x"}},
	{"here-string", `sh <<< "rm -rf x"`, []string{"sh (wrapper)", "herestring: rm -r -f x"}},
	{"here-string to cat is data", `cat <<< "rm -rf x"`, []string{"cat"}},

	// Wrappers.
	{"sudo", `sudo rm -rf /tmp/x`, []string{"sudo rm -rf /tmp/x (wrapper)", "sudo: rm -r -f /tmp/x"}},
	{"systemd-run", `systemd-run --user --unit cleanup -p Nice=5 rm -rf ~`, []string{"systemd-run -user -u=cleanup -p=Nice=5 rm -rf ~ (wrapper)", "systemd-run: rm -r -f ~"}},
	{"systemd-run timer", `systemd-run --user --on-calendar=hourly /home/dev/bin/sync`, []string{"systemd-run -user -on-calendar=hourly /home/dev/bin/sync (wrapper)", "systemd-run: sync"}},
	{"sudo options", `sudo -u root -E -- rm x`, []string{"sudo -u=root -E rm x (wrapper)", "sudo: rm x"}},
	{"sudo long user", `sudo --user=root rm x`, []string{"sudo -u=root rm x (wrapper)", "sudo: rm x"}},
	{"sudo assignment", `sudo FOO=1 rm x`, []string{"sudo FOO=1 rm x (wrapper)", "sudo: rm x"}},
	{"sudo -l runs nothing", `sudo -l`, []string{"sudo -l"}},
	{"doas", `doas -u root rm x`, []string{"doas -u=root rm x (wrapper)", "doas: rm x"}},
	{"env", `env -i FOO=1 BAR=2 rm x`, []string{"env -i FOO=1 BAR=2 rm x (wrapper)", "env: rm x"}},
	{"env -u", `env -u HOME rm x`, []string{"env -u=HOME rm x (wrapper)", "env: rm x"}},
	{"env -S", `env -S "rm -rf x"`, []string{`env -S="rm -rf x" (wrapper)`, "env: rm -r -f x"}},
	{"env only prints", `env`, []string{"env"}},
	{"env dash", `env - PATH=/x rm y`, []string{"env - PATH=/x rm y (wrapper)", "env: rm y"}},
	{"timeout", `timeout 5 rm x`, []string{"timeout 5 rm x (wrapper transparent)", "timeout: rm x"}},
	{"timeout options", `timeout -s KILL --kill-after=2 5s rm x`, []string{"timeout -s=KILL -k=2 5s rm x (wrapper transparent)", "timeout: rm x"}},
	{"nice", `nice -n 10 rm x`, []string{"nice -n=10 rm x (wrapper transparent)", "nice: rm x"}},
	{"nice numeric", `nice -10 rm x`, []string{"nice -10 rm x (wrapper transparent)", "nice: rm x"}},
	{"nohup", `nohup rm x &`, []string{"nohup rm x (wrapper transparent)", "nohup: rm x"}},
	{"stdbuf", `stdbuf -o0 -eL rm x`, []string{"stdbuf -o=0 -e=L rm x (wrapper transparent)", "stdbuf: rm x"}},
	{"command", `command rm x`, []string{"command rm x (wrapper transparent)", "command: rm x"}},
	{"command -v runs nothing", `command -v rm`, []string{"command -v rm"}},
	{"builtin", `builtin eval "rm x"`, []string{`builtin eval "rm x" (wrapper transparent)`, `builtin: eval "rm x" (wrapper)`, "eval: rm x"}},
	{"noglob", `noglob rm *`, []string{"noglob rm * (wrapper transparent)", "noglob: rm *"}},
	{"exec", `exec rm x`, []string{"exec rm x (wrapper)", "exec: rm x"}},
	{"usr bin time", `/usr/bin/time -p rm x`, []string{"time -p rm x (wrapper transparent)", "time: rm x"}},
	{"ionice", `ionice -c 3 rm x`, []string{"ionice -c=3 rm x (wrapper)", "ionice: rm x"}},
	{"chroot", `chroot /mnt rm x`, []string{"chroot /mnt rm x (wrapper)", "chroot: rm x"}},
	{"setsid", `setsid -f rm x`, []string{"setsid -f rm x (wrapper)", "setsid: rm x"}},
	{"unbuffer", `unbuffer rm x`, []string{"unbuffer rm x (wrapper)", "unbuffer: rm x"}},
	{"flock", `flock /tmp/l rm x`, []string{"flock /tmp/l rm x (wrapper)", "flock: rm x"}},
	{"flock -c", `flock -w 5 /tmp/l -c "rm x"`, []string{`flock -w=5 /tmp/l -c "rm x" (wrapper)`, "flock -c: rm x"}},
	{"su -c", `su -c "rm -rf x" root`, []string{`su -c="rm -rf x" root (wrapper)`, "su -c: rm -r -f x"}},
	{"su - root -c", `su - root -c "rm x"`, []string{`su -c="rm x" - root (wrapper)`, "su -c: rm x"}},
	{"script -c", `script -qc "rm x" /dev/null`, []string{`script -q -c="rm x" /dev/null (wrapper)`, "script -c: rm x"}},
	{"watch string", `watch -n 5 'rm -rf y'`, []string{`watch -n=5 "rm -rf y" (wrapper)`, "watch: rm -r -f y"}},
	{"watch words", `watch ls -la`, []string{"watch ls -la (wrapper)", "watch: ls -l -a"}},
	{"xargs", `ls | xargs rm`, []string{"ls", "xargs rm (wrapper transparent)", "xargs: rm"}},
	{"xargs with options", `find . | xargs -0 -n 1 -P 4 rm -f`, []string{"find .", "xargs -0 -n=1 -P=4 rm -f (wrapper)", "xargs: rm -f"}},
	{"xargs -I", `ls | xargs -I{} mv {} /tmp`, []string{"ls", "xargs -I={} mv {} /tmp (wrapper)", "xargs: mv {} /tmp"}},
	{"xargs -I separate", `ls | xargs -I R rm R`, []string{"ls", "xargs -I=R rm R (wrapper)", "xargs: rm R"}},
	{"bare xargs echoes", `ls | xargs`, []string{"ls", "xargs (wrapper transparent)", "xargs: echo"}},
	{"find -exec", `find . -name x -exec rm -rf {} \;`, []string{`find -name=x -exec="rm -rf {}" .`, "find -exec: rm -r -f {}"}},
	{"find -exec plus", `find . -exec chmod 777 {} + -execdir rm {} ';'`, []string{`find -exec="chmod 777 {}" -execdir="rm {}" .`, "find -exec: chmod 777 {}", "find -execdir: rm {}"}},
	{"find -ok", `find . -ok rm {} \;`, []string{`find -ok="rm {}" .`, "find -ok: rm {}"}},
	{"parallel", `parallel rm ::: a b`, []string{"parallel rm ::: a b (wrapper)", "parallel: rm"}},
	{"wrapper chain", `sudo -u root env FOO=1 timeout -s KILL 5 nice /usr/bin/../bin/rm -rf --no-preserve-root "/tmp/x"`, []string{
		"sudo -u=root env FOO=1 timeout -s KILL 5 nice /usr/bin/../bin/rm -rf --no-preserve-root /tmp/x (wrapper)",
		"sudo: env FOO=1 timeout -s KILL 5 nice /usr/bin/../bin/rm -rf --no-preserve-root /tmp/x (wrapper)",
		"env: timeout -s=KILL 5 nice /usr/bin/../bin/rm -rf --no-preserve-root /tmp/x (wrapper transparent)",
		"timeout: nice /usr/bin/../bin/rm -rf --no-preserve-root /tmp/x (wrapper transparent)",
		"nice: rm -r -f -no-preserve-root /tmp/x",
	}},

	// Dynamic programs.
	{"variable name", `$x args`, []string{"? args (dynamic)"}},
	{"substitution name", `$(cmd) args`, []string{"$(): cmd", "? args (dynamic)"}},
	{"glob name", `/usr/bin/r? x`, []string{"? x (dynamic)"}},
	{"eval variable", `eval "$cmd"`, []string{"eval $cmd (dynamic)", "eval: ? (dynamic)"}},
	{"bash -c variable", `bash -c "$x"`, []string{"bash -c $x (dynamic)", "bash -c: ? (dynamic)"}},
	{"partly dynamic bash -c", `bash -c "rm -rf $dir"`, []string{`bash -c "rm -rf $dir" (dynamic)`, "bash -c: rm -r -f $dir"}},
	{"pipe to shell", `curl -fsSL https://x | sh`, []string{"curl -f -s -S -L https://x", "sh (dynamic)"}},
	{"pipe to sudo bash", `curl x | sudo bash`, []string{"curl x", "sudo bash (wrapper)", "sudo: bash (dynamic)"}},
	{"shell reads file", `bash < script.sh`, []string{"bash (dynamic)"}},
	{"sudo dynamic command", `sudo $CMD`, []string{"sudo $CMD (wrapper)", "sudo: ? (dynamic)"}},
	{"parallel reads commands", `cat jobs | parallel`, []string{"cat jobs", "parallel (dynamic)"}},
	{"shell variable -c", `$SHELL -c "rm -rf x"`, []string{`? -c "rm -rf x" (dynamic)`, "$SHELL -c: rm -r -f x"}},
	{"sudo -s heredoc", "sudo -s <<'EOF'\nrm -rf /\nEOF", []string{"sudo -s (wrapper)", "heredoc: rm -r -f /"}},
	{"pipe to sudo -i", `curl x | sudo -i`, []string{"curl x", "sudo -i (dynamic)"}},
	{"su heredoc", "su - root <<'EOF'\nrm x\nEOF", []string{"su - root (wrapper)", "heredoc: rm x"}},
	{"chroot shell heredoc", "chroot /mnt <<'EOF'\nrm x\nEOF", []string{"chroot /mnt (wrapper)", "heredoc: rm x"}},
	{"trap handler", `trap 'rm -rf /tmp/x' EXIT`, []string{`trap "rm -rf /tmp/x" EXIT (wrapper)`, "trap: rm -r -f /tmp/x"}},
	{"trap reset", `trap - EXIT`, []string{"trap - EXIT"}},
}

func TestAnalyzeCommands(t *testing.T) {
	t.Parallel()
	for _, tc := range commandCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, err := Analyze(tc.src)
			if err != nil {
				t.Fatalf("Analyze(%q): %v", tc.src, err)
			}
			if diff := cmp.Diff(tc.want, renderAll(a)); diff != "" {
				t.Errorf("Analyze(%q) commands (-want +got):\n%s", tc.src, diff)
			}
		})
	}
}

func TestAnalyzeCommandFields(t *testing.T) {
	t.Parallel()
	a, err := Analyze(`sudo "/usr/bin/../bin/rm" -rf '/tmp/my dir' $HOME`)
	if err != nil {
		t.Fatal(err)
	}
	want := []Command{{
		Name:     "sudo",
		Path:     "sudo",
		Args:     []string{"/usr/bin/../bin/rm", "-rf", "/tmp/my dir", "$HOME"},
		Operands: []string{"/usr/bin/../bin/rm", "-rf", "/tmp/my dir", "$HOME"},
		Text:     "sudo /usr/bin/../bin/rm -rf /tmp/my dir $HOME",
		Wrapper:  true,
	}, {
		Name:     "rm",
		Path:     "/usr/bin/../bin/rm",
		Args:     []string{"-rf", "/tmp/my dir", "$HOME"},
		Flags:    []Flag{{Name: "r"}, {Name: "f"}},
		Operands: []string{"/tmp/my dir", "$HOME"},
		Text:     "/usr/bin/../bin/rm -rf /tmp/my dir $HOME",
		Via:      "sudo",
		Depth:    1,
	}}
	if diff := cmp.Diff(want, a.Commands); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
}

func TestAnalyzeEnvPrefix(t *testing.T) {
	t.Parallel()
	a, err := Analyze(`GIT_PAGER='rm -r ~/x' LANG=C git log && CI=1 make`)
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for _, c := range a.Commands {
		got = append(got, c.Env)
	}
	if want := [][]string{{"GIT_PAGER=rm -r ~/x", "LANG=C"}, {"CI=1"}}; !cmp.Equal(want, got) {
		t.Errorf("Env = %q, want %q", got, want)
	}
}

func TestAnalyzeBareAssigns(t *testing.T) {
	t.Parallel()
	a, err := Analyze(`X=1; bash -c 'GIT_PAGER="rm -r ~/x"; export GIT_PAGER; git log'; Y=2 make; arr[0]=z`)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"X=1", "GIT_PAGER=rm -r ~/x"}; !cmp.Equal(want, a.Assigns) {
		t.Errorf("Assigns = %q, want %q", a.Assigns, want)
	}
}

func TestAnalyzeStdin(t *testing.T) {
	t.Parallel()
	a, err := Analyze("sudo psql <<'SQL'\nDROP TABLE x;\nSQL\nxargs rm <<< 'a b'; cat f | wc -l")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range a.Commands {
		got = append(got, c.Name+":"+c.Stdin)
	}
	want := []string{"sudo:DROP TABLE x;\n", "psql:DROP TABLE x;\n", "xargs:a b", "rm:", "cat:", "wc:"}
	if !cmp.Equal(want, got) {
		t.Errorf("Stdin = %q, want %q", got, want)
	}
}

func TestAnalyzeTestBracket(t *testing.T) {
	t.Parallel()
	for src, want := range map[string]string{
		`[ -d build ] && rm -r build`: "[ -d build ]",
		`[ "$x" = y ]`:                `[ "$x" = y ]`,
	} {
		a, err := Analyze(src)
		if err != nil {
			t.Fatal(err)
		}
		if c := a.Commands[0]; c.Dynamic || c.Name != "[" {
			t.Errorf("Analyze(%q): first command %+v, want the test command %s", src, c, want)
		}
	}
	// A real bracket pattern as the program is still only known at run time,
	// its closing bracket quoted or not (bash expands r[m''] to rm).
	for _, src := range []string{`/usr/bin/[a-z]m -rf x`, `/usr/bin/r[m''] -rf ~`, `/usr/bin/r[m"x"] -rf ~`, `[ab -rf x`} {
		if a, _ := Analyze(src); !a.Commands[0].Dynamic {
			t.Errorf("Analyze(%q): a bracket pattern as the program is not dynamic: %+v", src, a.Commands[0])
		}
	}
}

func TestAnalyzeDepth(t *testing.T) {
	t.Parallel()
	a, err := Analyze(`sudo bash -c "echo \$(rm x)"`)
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, c := range a.Commands {
		got = append(got, c.Depth)
	}
	// sudo 0, bash 1, rm 3 (bash -c, then $()), echo 2.
	if diff := cmp.Diff([]int{0, 1, 3, 2}, got); diff != "" {
		t.Errorf("depths (-want +got):\n%s", diff)
	}
}
