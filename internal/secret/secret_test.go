package secret

import (
	"strings"
	"testing"
)

// Fake credentials, built so no scanner mistakes this file for a leak.
var (
	awsKey    = "AKIA" + "Z7QK3MNB4XWP2RTY"
	ghToken   = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
	slack     = "xoxb-" + "123456789012-abcdefghijkl"
	anthropic = "sk-ant-" + "api03-abcdefghijklmnopqrstuvwx"
)

func TestMask(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, want string }{
		{"aws key in a command", "aws configure set aws_access_key_id " + awsKey, "aws configure set aws_access_key_id [REDACTED:aws-access-key]"},
		{"github token in a url", "git clone https://" + ghToken + "@github.com/x/y", "git clone https://[REDACTED:github-token]@github.com/x/y"},
		{"password in a connection string", "psql postgres://app:s3cretPassw0rd@db:5432/prod", "psql postgres://app:[REDACTED:url-password]@db:5432/prod"},
		{"assignment", "export DB_PASSWORD=hunter2hunter2", "export DB_PASSWORD=[REDACTED:secret-assignment]"},
		{"quoted assignment", `API_KEY="q9w8e7r6t5y4u3i2"`, `API_KEY="[REDACTED:secret-assignment]"`},
		{"bearer header", "curl -H 'Authorization: Bearer abcdefghijklmnop1234' x", "curl -H 'Authorization: Bearer [REDACTED:bearer-token]' x"},
		{"slack", "SLACK=" + slack, "SLACK=[REDACTED:slack-token]"},
		{"slack webhook", "WEBHOOK = 'https://hooks.slack.com/services/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'", "WEBHOOK = '[REDACTED:slack-webhook]'"},
		{"anthropic", "key " + anthropic, "key [REDACTED:anthropic-key]"},
		{"private key block", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\nrest", "[REDACTED:private-key]\nrest"},
		{"an unsigned JWT grants nothing", `{"authorization": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXN0In0."}`, `{"authorization": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXN0In0."}`},
		{"a signed JWT is a credential", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJlMTIzNDU2", "Bearer [REDACTED:jwt]"},
		{"placeholder passes", "export API_KEY=YOUR_API_KEY_HERE", "export API_KEY=YOUR_API_KEY_HERE"},
		{"aws example key passes", "AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"},
		{"variable reference passes", "PASSWORD=${DB_PASSWORD}", "PASSWORD=${DB_PASSWORD}"},
		{"short value passes", "TOKEN=abc", "TOKEN=abc"},
		{"plain command", "git status && npm test", "git status && npm test"},
	} {
		got, _ := Mask(tc.in)
		if got != tc.want {
			t.Errorf("%s: Mask(%q) =\n  %q\nwant\n  %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func FuzzMask(f *testing.F) {
	f.Add("export DB_PASSWORD=hunter2hunter2 " + awsKey)
	f.Add("https://u:p@x")
	f.Fuzz(func(t *testing.T, s string) {
		out, found := Mask(s)
		if !found && out != s {
			t.Fatal("changed text without a finding")
		}
		for _, fd := range Find(out) {
			if fd.Kind != "secret-assignment" && fd.Kind != "bearer-token" {
				t.Fatalf("masked text still holds a %s at %d: %q", fd.Kind, fd.Start, out)
			}
		}
	})
}

func TestPathsToSecretsAreNotSecrets(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"GOOGLE_CREDENTIALS=/etc/gcp/key.json", "TOKEN_FILE=./secrets/token.txt", "SSH_KEY=~/.ssh/id_ed25519"} {
		if fs := Find(s); len(fs) != 0 {
			t.Errorf("Find(%q) = %v", s, fs)
		}
	}
}

func TestDevelopmentDefaultsAreNotSecrets(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"psql postgresql://postgres:postgres@localhost:5432/app_dev",
		"DATABASE_URL=postgres://user:password@db:5432/app",
		"redis://:s3cr3tValue@127.0.0.1:6379/0",
		"POSTGRES_PASSWORD=postgres",
	} {
		if fs := Find(s); len(fs) != 0 {
			t.Errorf("Find(%q) = %v", s, fs)
		}
	}
	if fs := Find("psql postgres://app:Zx81qLm2@db.prod.internal/app"); len(fs) != 1 || fs[0].Kind != "url-password" {
		t.Errorf("a remote password was not found: %v", fs)
	}
}

func TestRandom(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]bool{"test-password": false, "postgres": false, "string):": false, "Tr0ub4dor3xyz": true, "q9w8e7r6t5y4u3i2": true,
		"prod/api-key": false, "Gs39IqP0cmoJ3867GFSK7f3sFHLx+H2MntSCiN3E": true} {
		if got := Random(v); got != want {
			t.Errorf("Random(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestLookupsAreNotSecrets(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		`password = os.environ["DB_PASSWORD"]`,
		`password = os.getenv("DB_PASSWORD")`,
		`api_key = os.environ.get('OPENAI_API_KEY')`,
		`secret_key = getenv(SECRET_KEY_NAME)`,
		`password: ENV.fetch("DB_PASSWORD")`,
		`'password' => config('database.password'),`,
		`token = Config::get("services.token")`,
		`api_key = settings[API_KEY_NAME]`,
		`os.getenv("DB_PASSWORD")`,
		`os.environ.get('API_KEY')`,
		`ENV.fetch("SECRET_TOKEN")`,
		`config("services.stripe.secret")`,
		`process.env.API_TOKEN`,
		`settings.SECRET_KEY`,
		`STRIPE_SECRET = config("services.stripe.secret")`,
		`token = ENV.fetch("SECRET_TOKEN")`,
		`api_key = os.environ.get('API_KEY')`,
		`token = t("auth.token-expired")`,
		`password_hint = gettext("Use 12 characters")`,
	} {
		if fs := Find(s); len(fs) != 0 {
			t.Errorf("Find(%q) = %v, want nothing", s, fs)
		}
	}
	// A name read from the environment or settings is found, and masked,
	// but not likely a credential.
	for _, s := range []string{`api_key = process.env.API_TOKEN`, `secret = settings.SECRET_KEY`} {
		if fs := Likely(s); len(fs) != 0 {
			t.Errorf("Likely(%q) = %v, want nothing", s, fs)
		}
	}
}

// TestLiteralsInCallsAreSecrets checks that a literal handed to a call or
// a subscript that is not a lookup is weighed as a credential itself, and
// that a quoted value is never taken for code.
func TestLiteralsInCallsAreSecrets(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`api_key = SecretStr("Zq8vN2kLmP4rT6wYx9Qa")`:                 "Zq8vN2kLmP4rT6wYx9Qa",
		`secret = base64.b64decode("WnE4dk4ya0xtUDRyVDZ3WXg5UWE=")`:   "WnE4dk4ya0xtUDRyVDZ3WXg5UWE=",
		`const apiKey = Buffer.from("Zq8vN2kLmP4rT6wYx9Qa")`:          "Zq8vN2kLmP4rT6wYx9Qa",
		`password = decrypt('Zq8vN2kLmP4rT6wYx9Qa')`:                  "Zq8vN2kLmP4rT6wYx9Qa",
		`api_key = get_key("Zq8vN2kLmP4rT6wYx9Qa")`:                   "Zq8vN2kLmP4rT6wYx9Qa",
		`PASSWORD="Pa.ss(word)"`:                                      "Pa.ss(word)",
		`token = x["Zq8vN2kLmP4rT6wY"]`:                               "Zq8vN2kLmP4rT6wY",
		`password = os.getenv("Zq8vN2kLmP4rT6wYx9Qa")`:                "Zq8vN2kLmP4rT6wYx9Qa",
		`token = self.tokens[Zq8vN2kLmP4rT6wYx9Qa]`:                   "self.tokens[Zq8vN2kLmP4rT6wYx9Qa]",
		`api_key = os.environ.get("API_KEY", "Zq8vN2kLmP4rT6wYx9Qa")`: "Zq8vN2kLmP4rT6wYx9Qa",
	} {
		fs := Likely(in)
		if len(fs) != 1 || in[fs[0].Start:fs[0].End] != want {
			t.Errorf("Likely(%q) = %v, want %q", in, fs, want)
		}
		if out, _ := Mask(in); strings.Contains(out, want) {
			t.Errorf("Mask(%q) = %q, still holds %q", in, out, want)
		}
	}
}

func TestLiteralsNearLookupsAreSecrets(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`password = os.getenv("DB_PASSWORD", "Zx81qLm2kP9w")`:        "Zx81qLm2kP9w",
		`password = os.environ.get("DB_PASSWORD") or 'Zx81qLm2kP9w'`: "Zx81qLm2kP9w",
		`password = "Zx81qLm2kP9w"`:                                  "Zx81qLm2kP9w",
		`password = Zx81q(Lm2kP9w`:                                   "Zx81q(Lm2kP9w",
		`DB_PASSWORD=hunter(2)hunter`:                                "hunter(2)hunter",
		`PASSWORD=Zx81q[Lm2k]`:                                       "Zx81q[Lm2k]",
	} {
		fs := Likely(in)
		if len(fs) != 1 || in[fs[0].Start:fs[0].End] != want {
			t.Errorf("Likely(%q) = %v, want %q", in, fs, want)
		}
	}
	for _, in := range []string{
		`password = os.getenv("DB_PASSWORD", "please set DB_PASSWORD")`,
		`password = os.getenv("DB_PASSWORD", "")`,
		`password = os.getenv("DB_PASSWORD", "changeme")`,
	} {
		if fs := Likely(in); len(fs) != 0 {
			t.Errorf("Likely(%q) = %v, want nothing", in, fs)
		}
	}
}
