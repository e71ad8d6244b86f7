package persona

import (
	"testing"

	"github.com/govern-dev/govern"
)

// Each case that catches a disguised way to destroy data sits next to a
// benign look-alike that must pass.

func TestSecurityDeletes(t *testing.T) {
	t.Parallel()
	allow, ask, deny := govern.Allow, govern.Ask, govern.Deny
	runVerdicts(t, MarcusRodriguez, security, []verdictCase{
		// find selects below its roots: the root itself is not deleted.
		{"find -exec rm under the project", cmd(`find . -type d -name __pycache__ -exec rm -rf {} +`), allow, ""},
		{"find -exec rm of the whole project, unfiltered", cmd(`find . -exec rm -rf {} +`), ask, "whole project"},
		{"find -type f -delete is no filter", cmd(`find . -type f -delete`), ask, "whole project"},
		{"find -exec rm under /tmp", cmd(`find /tmp -maxdepth 1 -name 'pytest-of-dev*' -mtime +2 -exec rm -rf {} +`), allow, ""},
		{"find -exec rm under home", cmd(`find ~ -maxdepth 1 -name '*.log' -exec rm -rf {} +`), deny, "outside the project"},
		{"find -exec rm of nested .git dirs", cmd(`find . -name .git -exec rm -rf {} +`), ask, "history"},
		{"find | xargs rm under the project", cmd(`find ./build -name '*.o' | xargs rm -f`), allow, ""},
		// mktemp variables.
		{"rm -rf of a mktemp dir", cmd(`tmp=$(mktemp -d) && ls "$tmp" && rm -rf "$tmp"`), allow, ""},
		{"rm -rf of a mktemp dir, braces and a subdir", cmd(`d="$(mktemp -d)"; rm -rf "${d}/out"`), allow, ""},
		{"rm -rf of a mktemp var reassigned", cmd(`tmp=$(mktemp -d); tmp=$HOME; rm -rf "$tmp"`), ask, "run time"},
		{"rm -rf of a var climbing out of mktemp", cmd(`tmp=$(mktemp -d); rm -rf "$tmp/../.."`), ask, "run time"},
		{"rm -rf of another var", cmd(`tmp=$(mktemp -d); rm -rf "$OTHER"`), ask, "run time"},
		// xargs input.
		{"echo home into xargs rm", cmd(`echo ~ | xargs rm -rf`), deny, "outside the project"},
		{"here-string home into xargs rm", cmd(`xargs rm -rf <<< "$HOME"`), deny, "outside the project"},
		{"echo build dir into xargs rm", cmd(`echo build dist | xargs rm -rf`), allow, ""},
		{"unknown input into xargs rm -rf", cmd(`cat dirs.txt | xargs rm -rf`), ask, "run time"},
		// Credentials and checkouts.
		{"shred the env file", cmd(`shred -u .env`), ask, "credentials file"},
		{"rm the env file", cmd(`rm -f ./config/../.env`), ask, "credentials file"},
		{"rm the env template", cmd(`rm -f .env.example`), allow, ""},
		{"rm a checkout before cloning it again", cmd(`rm -rf poli-cool && gh repo clone acme/poli-cool`), ask, "existing checkout"},
		{"rm a checkout before git clone into it", cmd(`rm -rf vendor/lib && git clone https://x.io/lib.git vendor/lib`), ask, "existing checkout"},
		{"rm build before cloning elsewhere", cmd(`rm -rf build && git clone https://x.io/lib.git`), allow, ""},
		// truncate, rsync --delete, mv.
		{"truncate a project file", cmd(`truncate -s 0 go.mod`), ask, "empties go.mod"},
		{"truncate through --size", cmd(`truncate --size=0 ~/notes.md`), ask, "empties"},
		{"truncate a log", cmd(`truncate -s 0 logs/dev.log`), allow, ""},
		{"truncate to grow an image", cmd(`truncate -s 1G disk.img`), allow, ""},
		{"rsync --delete over the project", cmd(`rsync -a --delete /tmp/empty/ /home/dev/project/`), ask, "whole project"},
		{"rsync --delete over home", cmd(`rsync -a --delete-after ./empty/ ~/`), deny, "outside the project"},
		{"rsync --delete into a project dir", cmd(`rsync -a --delete public/ dist/public/`), allow, ""},
		{"rsync --delete to a remote", cmd(`rsync -a --delete dist/ deploy@host:/srv/app/`), allow, ""},
		{"mv the project into /dev/null", cmd(`mv /home/dev/project /dev/null`), ask, "whole project"},
		{"mv home into /dev/null", cmd(`mv -f ~/ /dev/null`), deny, "outside the project"},
		{"mv .git away", cmd(`mv .git /tmp/old-git`), ask, "away"},
		{"mv inside the project", cmd(`mv src/old.ts src/new.ts`), allow, ""},
		// Containers and buckets.
		{"docker volume rm", cmd(`docker volume rm proj_pgdata`), ask, "volume rm"},
		{"docker system prune with volumes", cmd(`docker system prune -af --volumes`), ask, "--volumes"},
		{"docker compose down -v", cmd(`docker compose down -v`), ask, "compose down"},
		{"docker volume ls", cmd(`docker volume ls`), allow, ""},
		{"docker system prune without volumes", cmd(`docker system prune -f`), allow, ""},
		{"aws s3 rm recursive", cmd(`aws s3 rm s3://acme-prod --recursive`), ask, "every object"},
		{"aws s3 rb force", cmd(`aws s3 rb s3://acme-backups --force`), deny, "bucket"},
		{"aws s3 rm one object", cmd(`aws s3 rm s3://acme-dev/tmp/report.csv`), allow, ""},
		{"aws s3 rm recursive dry run", cmd(`aws s3 rm s3://acme-dev/tmp --recursive --dryrun`), allow, ""},
		// Interpreter code.
		{"python here-doc rmtree of home", cmd("python3 - <<'EOF'\nimport shutil, pathlib\nshutil.rmtree(pathlib.Path.home())\nEOF"), deny, "home directory"},
		{"python here-doc prints", cmd("python3 - <<'EOF'\nprint(sum(range(10)))\nEOF"), allow, ""},
		{"node rmSync of dist", cmd(`node -e "require('fs').rmSync('dist', {recursive: true, force: true})"`), allow, ""},
		{"node rmSync of src", cmd(`node -e "require('fs').rmSync('src', {recursive: true, force: true})"`), ask, "deletes files"},
		{"python rmtree of a project path written out", cmd(`python3 -c "import shutil; shutil.rmtree('/home/dev/project')"`), deny, "deletes or runs commands"},
		{"python os.remove of a project file", cmd(`python3 -c "import os; os.remove('/home/dev/project/package.json')"`), deny, "deletes or runs commands"},
		{"python subprocess with an argument list", cmd(`python3 -c "import subprocess; subprocess.run(['pytest', '-q'], check=True)"`), allow, ""},
		{"python subprocess running rm", cmd(`python3 -c "import subprocess; subprocess.run(['rm', '-rf', 'x'])"`), ask, "runs shell commands"},
		{"python subprocess with shell=True", cmd(`python3 -c "import subprocess; subprocess.run(['make test'], shell=True)"`), ask, "runs shell commands"},
		{"python subprocess with a variable", cmd(`python3 -c "import subprocess,sys; subprocess.run([sys.argv[1]])"`), ask, "runs shell commands"},
	})
}

func TestSecurityDisks(t *testing.T) {
	t.Parallel()
	allow, ask, deny := govern.Allow, govern.Ask, govern.Deny
	runVerdicts(t, MarcusRodriguez, security, []verdictCase{
		{"fdisk fed by echo", cmd(`echo -e 'd\nw' | fdisk /dev/sda`), deny, "/dev/sda"},
		{"fdisk -l lists", cmd(`fdisk -l /dev/sda`), allow, ""},
		{"parted mklabel in script mode", cmd(`parted -s /dev/sda mklabel gpt`), deny, "/dev/sda"},
		{"parted print", cmd(`parted /dev/sda print`), allow, ""},
		{"blkdiscard", cmd(`/usr/sbin/blkdiscard /dev/nvme0n1`), deny, "/dev/nvme0n1"},
		{"wipefs -a", cmd(`wipefs -a /dev/sdb`), deny, "/dev/sdb"},
		{"wipefs lists", cmd(`wipefs /dev/sdb`), allow, ""},
		{"mkfs on an image file", cmd(`mkfs.ext4 -F /tmp/test.img`), allow, ""},
		{"lvremove", cmd(`lvremove -f vg0/data`), deny, "lvremove"},
		{"zfs destroy", cmd(`zfs destroy -r tank/data`), deny, "zfs"},
		{"zfs list", cmd(`zfs list`), allow, ""},
		{"python opens a raw disk", cmd(`python3 -c "open('/dev/sda','wb').write(b'x')"`), deny, "raw disk"},
		{"python reads urandom", cmd(`python3 -c "print(open('/dev/urandom','rb').read(4))"`), allow, ""},
		{"fork bomb", cmd(`:(){ :|:& };:`), deny, "fork bomb"},
		{"fork bomb with a name", cmd(`bomb() { bomb | bomb & }; bomb`), deny, "fork bomb"},
		{"ordinary function", cmd(`f() { echo hi | tr a-z A-Z; }; f`), allow, ""},
		{"shutdown", cmd(`shutdown -h now`), ask, "stops the machine"},
		{"systemctl reboot", cmd(`systemctl reboot`), ask, "stops the machine"},
		{"shutdown cancelled", cmd(`shutdown -c`), allow, ""},
		{"systemctl status", cmd(`systemctl status nginx`), allow, ""},
	})
}

func TestSecurityGit(t *testing.T) {
	t.Parallel()
	allow, ask, deny := govern.Allow, govern.Ask, govern.Deny
	runVerdicts(t, MarcusRodriguez, security, []verdictCase{
		{"checkout dot", cmd(`git checkout .`), ask, "overwrites"},
		{"checkout -- dir, through -C", cmd(`git -C . checkout -- lib/`), ask, "overwrites"},
		{"checkout dir from another branch", cmd(`git checkout origin/main -- dev/reports/`), ask, "overwrites"},
		{"checkout glob", cmd(`git checkout -- '*.ts'`), ask, "overwrites"},
		{"checkout one file", cmd(`git checkout HEAD -- package-lock.json`), allow, ""},
		{"checkout a branch", cmd(`git checkout main`), allow, ""},
		{"checkout -b", cmd(`git checkout -b feature/x`), allow, ""},
		{"checkout -f", cmd(`git checkout --force main`), ask, "checkout -f"},
		{"restore dot", cmd(`git restore .`), ask, "overwrites"},
		{"restore staged and worktree", cmd(`git restore --source=HEAD --staged --worktree -- .`), ask, "overwrites"},
		{"restore staged only", cmd(`git restore --staged .`), allow, ""},
		{"restore one file", cmd(`git restore src/generated/schema.ts`), allow, ""},
		{"switch --discard-changes", cmd(`git switch --discard-changes main`), ask, "discard"},
		{"switch", cmd(`git switch main`), allow, ""},
		{"stash clear", cmd(`git stash clear`), ask, "every stash"},
		{"stash drop after push", cmd(`git stash push -u -m wip && git stash drop`), ask, "stash drop"},
		{"stash pop", cmd(`git stash pop`), allow, ""},
		{"filter-branch", cmd(`git filter-branch --force --index-filter 'git rm --cached x' -- --all`), ask, "rewrites"},
		{"filter-repo", cmd(`git filter-repo --path vendor/ --invert-paths`), ask, "rewrites"},
		{"reflog expire", cmd(`git reflog expire --expire=now --all`), ask, "reflog expire"},
		{"reflog show", cmd(`git reflog -n 20`), allow, ""},
		{"gc prune now", cmd(`git gc --prune=now --aggressive`), ask, "prune"},
		{"plain gc", cmd(`git gc`), allow, ""},
		{"update-ref -d", cmd(`git update-ref -d refs/heads/main`), ask, "update-ref"},
		{"update-ref", cmd(`git update-ref refs/heads/x HEAD`), allow, ""},
		{"branch -D", cmd(`git branch -D feature/x`), ask, "branch -D"},
		{"branch -d -f", cmd(`git branch --delete --force feature/x`), ask, "branch -D"},
		{"branch -d", cmd(`git branch -d feature/old`), allow, ""},
		{"branch -f moves main", cmd(`git branch -f main HEAD~5`), ask, "moves a branch"},
		{"worktree remove --force", cmd(`git worktree remove --force ../wt`), ask, "worktree remove"},
		{"worktree add", cmd(`git worktree add ../wt origin/main`), allow, ""},
		{"push --delete", cmd(`git push origin --delete main`), ask, "deletes a branch"},
		{"push :branch", cmd(`git push origin :main`), ask, "deletes a branch"},
		{"push a tag", cmd(`git push origin v1.4.0`), allow, ""},
		{"force push dry run", cmd(`git push --force --dry-run origin x`), allow, ""},
		{"force push", cmd(`git push --force origin x`), deny, "force push"},
	})
}

func TestDataDestructive(t *testing.T) {
	t.Parallel()
	allow, ask, deny := govern.Allow, govern.Ask, govern.Deny
	runVerdicts(t, RachelTorres, data, []verdictCase{
		{"mysqladmin drop", cmd(`mysqladmin -f drop app_production`), deny, "mysqladmin drop"},
		{"mysqladmin status", cmd(`mysqladmin status`), allow, ""},
		{"dropdb", cmd(`dropdb -h db.prod.internal app_production`), deny, "dropdb"},
		{"mongosh dropDatabase", cmd(`mongosh app --eval 'db.dropDatabase()'`), deny, "drops a database"},
		{"mongosh deleteMany with an empty filter", cmd(`mongosh app --eval 'db.users.deleteMany( { } )'`), deny, "empty filter"},
		{"mongosh deleteMany with a filter", cmd(`mongosh app --eval 'db.users.deleteMany({expired: true})'`), allow, ""},
		{"mongosh find", cmd(`mongosh app_dev --eval 'db.users.find().limit(5)'`), allow, ""},
		{"python sqlite drop", cmd(`python3 -c "import sqlite3; sqlite3.connect('app.db').execute('DROP TABLE users')"`), deny, "DROP TABLE"},
		{"python sqlite select", cmd(`python3 -c "import sqlite3; print(sqlite3.connect('app.db').execute('SELECT count(*) FROM users').fetchone())"`), allow, ""},
		{"python prints drop table", cmd(`python3 -c "print('DROP TABLE users')"`), allow, ""},
		{"rails runner destroy_all", cmd(`bin/rails runner 'User.destroy_all'`), deny, "User.destroy_all"},
		{"rails runner scoped destroy_all", cmd(`bin/rails runner 'User.where(spam: true).destroy_all'`), allow, ""},
		{"django shell delete all", cmd(`python manage.py shell -c 'Order.objects.all().delete()'`), deny, "every row"},
		{"kubectl exec psql drop", cmd(`kubectl --context prod exec -it postgres-0 -- psql -U app -c 'DROP TABLE users'`), deny, "DROP TABLE"},
		{"docker exec psql truncate", cmd(`docker exec proj-db psql -U postgres app -c 'TRUNCATE users CASCADE'`), deny, "TRUNCATE"},
		{"docker exec psql select", cmd(`docker exec proj-db psql -U postgres app -c 'SELECT 1'`), allow, ""},
		{"docker exec dropdb", cmd(`docker exec db dropdb app`), deny, "dropdb drops the database app and all its data (inside docker exec)"},
		{"compose exec with a user option", cmd(`docker compose exec -u postgres db dropdb app`), deny, "dropdb drops the database app"},
		{"compose file option before exec", cmd(`docker compose -f compose.prod.yml exec -T db dropdb app`), deny, "dropdb drops the database app"},
		{"compose exec a read", cmd(`docker compose -f compose.yml exec -u postgres db psql -c 'SELECT 1'`), allow, ""},
		{"docker run is not exec", cmd(`docker run --rm -e X=1 postgres:16 dropdb --help`), allow, ""},
		{"kubectl exec dropuser", cmd(`kubectl exec -n data db-0 -- dropuser reporting`), ask, "dropuser"},
		{"docker compose exec rails db:drop", cmd(`docker compose exec web bin/rails db:drop`), ask, "rails db:drop"},
		{"podman exec redis flushall", cmd(`podman exec cache redis-cli flushall`), deny, "FLUSHALL"},
		{"echo flushall into docker exec redis-cli", cmd(`echo FLUSHALL | docker exec -i cache redis-cli`), deny, "FLUSHALL"},
		{"docker exec pg_dump", cmd(`docker exec db pg_dump -U app app`), allow, ""},
		{"terraform destroy with prod var file", cmd(`terraform destroy -auto-approve -var-file=envs/prod.tfvars`), ask, "production (envs/prod.tfvars)"},
		{"terraform destroy in the production dir", cmd(`terraform -chdir=envs/production destroy -auto-approve`), ask, "terraform destroy"},
		{"terraform apply -destroy on prod", cmd(`terraform apply -destroy -var-file=prod.tfvars`), ask, "apply -destroy"},
		{"terraform destroy on dev", cmd(`terraform destroy -auto-approve -var-file=envs/dev.tfvars`), allow, ""},
		{"terraform plan on prod", cmd(`terraform plan -var-file=envs/prod.tfvars`), allow, ""},
		{"terraform plan -destroy only shows what would go", cmd(`terraform plan -destroy -var-file=envs/prod.tfvars`), allow, ""},
		{"terraform plan -destroy saved to a prod plan file", cmd(`terraform plan -destroy -out=prod.plan`), allow, ""},
		{"terraform apply -destroy on dev with a backup named prod", cmd(`terraform apply -destroy -backup=prod.tfstate.backup -var-file=envs/dev.tfvars`), allow, ""},
		{"terraform apply -destroy in the prod dir", cmd(`terraform -chdir=envs/prod apply -destroy -auto-approve`), ask, "apply -destroy"},
		{"helm uninstall of a products chart", cmd(`helm uninstall products -n staging`), allow, ""},
		{"sequelize-cli undo all", cmd(`npx sequelize-cli db:migrate:undo:all`), ask, "sequelize db:migrate:undo:all"},
		{"sequelize-cli migrate", cmd(`npx sequelize-cli db:migrate`), allow, ""},
		{"drizzle-kit push --force", cmd(`npx drizzle-kit push --force`), ask, "drizzle-kit"},
		{"drizzle-kit generate", cmd(`npx drizzle-kit generate`), allow, ""},
		{"ecto rollback", cmd(`mix ecto.rollback --all`), ask, "ecto.rollback"},
		{"ecto migrate", cmd(`mix ecto.migrate`), allow, ""},
	})
}
