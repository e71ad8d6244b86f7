package main

import (
	"flag"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"time"

	"github.com/govern-dev/govern"
	"github.com/govern-dev/govern/internal/claude"
	"github.com/govern-dev/govern/internal/engine"
	"github.com/govern-dev/govern/internal/policy"
)

// defaultPolicy is where an installed machine keeps the enterprise policy.
const defaultPolicy = "/etc/govern/policy.json"

// config is what flags and the environment say, flags first.
type config struct {
	policy string
	audit  string // DSN; "" means defaultAudit()
}

func (c *config) flags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("govern "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.policy, "policy", envOr("GOVERN_POLICY", defaultPolicy), "enterprise policy `file`")
	c.auditFlag(fs)
	return fs
}

// auditFlag adds --audit to a command that reads or writes the trail.
func (c *config) auditFlag(fs *flag.FlagSet) {
	fs.StringVar(&c.audit, "audit", os.Getenv("GOVERN_AUDIT"), "audit store `DSN`: a SQLite file path or postgres://… (default /var/lib/govern/audit.db, or a per-user file when that is not writable)")
}

// auditDSN is the audit store to use.
func (c *config) auditDSN() string {
	if c.audit != "" {
		return c.audit
	}
	return defaultAudit()
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// loadPolicy loads the policy, for the events that decide nothing.
func (c *config) loadPolicy() (*policy.Policy, error) { return policy.Load(c.policy) }

// loadEngine loads the policy and builds the engine on it, for decisions.
func (c *config) loadEngine() (*engine.Engine, error) {
	p, err := c.loadPolicy()
	if err != nil {
		return nil, err
	}
	return engine.New(p, engine.WithoutCache()) // one decision per process: a cache only costs
}

// request completes the engine's request for a hook event with what the
// machine knows: who runs it, where and when.
func request(ev *claude.Event, p *policy.Policy, now time.Time) govern.Request {
	req := ev.Request()
	req.Time = now
	req.HomeDir, _ = os.UserHomeDir()
	req.ProjectDir = os.Getenv("CLAUDE_PROJECT_DIR")
	if req.ProjectDir == "" {
		req.ProjectDir = ev.Cwd
	}
	if u, err := user.Current(); err == nil {
		req.Actor.User = u.Username
	}
	req.Actor.Host, _ = os.Hostname()
	req.Actor.Team = p.Team(req.Actor.User, os.Getenv("GOVERN_TEAM"))
	if req.ProjectDir != "" {
		req.ProjectDir = filepath.Clean(req.ProjectDir)
	}
	return req
}

// decisionRequest is request with the developer's own Claude Code settings
// added, which only a decision reads (they can tighten it). Settings files
// that cannot be read are skipped and returned, for the caller to mention.
func decisionRequest(ev *claude.Event, p *policy.Policy, now time.Time) (govern.Request, []error) {
	req := request(ev, p, now)
	var skipped []error
	req.Layers, skipped = claude.ReadLayers(claude.SettingsFiles(req.ProjectDir, req.HomeDir))
	return req, skipped
}
