package shell

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// writeCases are command lines and the files they write, rendered as
// "via path" with " (dynamic)" for paths known only at run time.
var writeCases = []struct {
	name string
	src  string
	want []string
}{
	{"redirect", `echo hi > out.txt`, []string{"> out.txt"}},
	{"append", `echo hi >> log`, []string{">> log"}},
	{"clobber", `echo hi >| f`, []string{">| f"}},
	{"all", `make &> build.log`, []string{"&> build.log"}},
	{"append all", `make &>> build.log`, []string{"&>> build.log"}},
	{"stderr", `make 2> err.txt`, []string{"2> err.txt"}},
	{"dev null is recorded", `make 2>/dev/null`, []string{"2> /dev/null"}},
	{"read write", `exec 3<> /tmp/sock`, []string{"3<> /tmp/sock"}},
	{"dup to fd is not a file", `make 2>&1`, nil},
	{"dup to file", `make >& out`, []string{">& out"}},
	{"quoted target", `echo x > "my file"`, []string{"> my file"}},
	{"dynamic target", `echo x > "$HOME/.bashrc"`, []string{"> $HOME/.bashrc (dynamic)"}},
	{"redirect on group", `{ echo a; echo b; } > f`, []string{"> f"}},
	{"redirect in substitution", `x=$(echo a > f)`, []string{"> f"}},
	{"redirect in bash -c", `bash -c 'echo a > /etc/passwd'`, []string{"> /etc/passwd"}},
	{"input is not a write", `sort < in`, nil},
	{"tee", `echo x | tee a b`, []string{"tee a", "tee b"}},
	{"tee append", `echo x | sudo tee -a /etc/hosts`, []string{"tee /etc/hosts"}},
	{"cp", `cp -r src dst`, []string{"cp dst"}},
	{"cp target directory", `cp -t /opt a b`, []string{"cp /opt/a", "cp /opt/b"}},
	{"cp long target directory", `cp --target-directory=/opt a b`, []string{"cp /opt/a", "cp /opt/b"}},
	{"cp into directory", `cp production.yml config/`, []string{"cp config/production.yml"}},
	{"cp source path into directory", `cp src/a.txt dst/`, []string{"cp dst/a.txt"}},
	{"cp no target directory", `cp -T a dir/`, []string{"cp dir/"}},
	{"mv", `mv tmp .env`, []string{"mv .env", "mv tmp"}},
	{"mv several", `mv a b /dest`, []string{"mv /dest/a", "mv /dest/b", "mv a", "mv b"}},
	{"install", `install -m 755 bin /usr/local/bin/x`, []string{"install /usr/local/bin/x"}},
	{"install -d", `install -d a b`, []string{"install a", "install b"}},
	{"ln", `ln -sf /etc/passwd link`, []string{"ln link"}},
	{"ln one operand", `ln -s /x/y`, []string{"ln y"}},
	{"dd", `dd if=/dev/zero of=/dev/sda bs=1M`, []string{"dd /dev/sda"}},
	{"sed -i", `sed -i 's/a/b/' f1 f2`, []string{"sed -i f1", "sed -i f2"}},
	{"sed -i -e", `sed -i -e 's/a/b/' -e 's/c/d/' f`, []string{"sed -i f"}},
	{"sed -i bsd", `sed -i '' 's/a/b/' f`, []string{"sed -i f"}},
	{"sed without -i", `sed 's/a/b/' f`, nil},
	{"perl -i", `perl -pi -e 's/a/b/' f`, []string{"perl -i f"}},
	{"sort -o", `sort -o out in`, []string{"sort -o out"}},
	{"sort --output", `sort --output=out in`, []string{"sort -o out"}},
	{"truncate", `truncate -s 0 log`, []string{"truncate log"}},
	{"touch", `touch a b`, []string{"touch a", "touch b"}},
	{"rsync", `rsync -av src/ host:/dst`, []string{"rsync host:/dst"}},
	{"curl -o", `curl -sSLo out.tgz https://x/a.tgz`, []string{"curl -o out.tgz"}},
	{"curl -O", `curl -O https://x/dir/a.tgz?x=1`, []string{"curl -O a.tgz"}},
	{"wget -O", `wget -O out https://x`, []string{"wget -O out"}},
	{"wget -O- is stdout", `wget -O- https://x`, nil},
	{"time -o", `/usr/bin/time -o t.txt make`, []string{"time -o t.txt"}},
	{"dynamic cp", `cp a "$DEST"`, []string{"cp $DEST (dynamic)"}},
	{"cd then redirect", `cd services/api && echo A=1 > .env`, []string{"> services/api/.env"}},
	{"cd twice", `cd a; cd ../b && touch x`, []string{"touch b/x"}},
	{"cd absolute", `cd /etc && tee hosts`, []string{"tee /etc/hosts"}},
	{"cd into variable", `cd "$D" && echo > f`, []string{"> f (dynamic)"}},
	{"cd home", `cd && echo > f`, []string{"> f (dynamic)"}},
	{"cd in subshell does not last", `(cd a && echo > f); echo > g`, []string{"> a/f", "> g"}},
	{"cd in pipeline stage does not last", `cd a | true; echo > g`, []string{"> g"}},
	{"cd in bash -c does not last", `bash -c 'cd a && echo > f'; echo > g`, []string{"> a/f", "> g"}},
	{"cd in eval lasts", `eval 'cd a'; echo > g`, []string{"> a/g"}},
	{"cd then cp", `cd .claude && cp ../s.json settings.json`, []string{"cp .claude/settings.json"}},
}

func TestAnalyzeWrites(t *testing.T) {
	t.Parallel()
	for _, tc := range writeCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, err := Analyze(tc.src)
			if err != nil {
				t.Fatalf("Analyze(%q): %v", tc.src, err)
			}
			if diff := cmp.Diff(tc.want, renderWrites(a)); diff != "" {
				t.Errorf("Analyze(%q) writes (-want +got):\n%s", tc.src, diff)
			}
		})
	}
}
