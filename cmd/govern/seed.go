package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/govern-dev/govern/internal/claude"
)

// seedFlags are the command-line shape of the seed's enterprise bridge
// (`--action=pre_validate --data="$(cat)" --context=TOOL --session=ID`),
// kept so that its hook scripts become one line each.
type seedFlags struct {
	action, data, context, session string
	dataSet                        bool
}

// seedActions maps the seed's actions to the hook events they handle.
var seedActions = map[string]string{"pre_validate": "PreToolUse", "post_audit": "PostToolUse"}

func (s *seedFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.action, "action", "", "the seed bridge's `action`: pre_validate (PreToolUse) or post_audit (PostToolUse)")
	fs.Func("data", "the hook event as `JSON`, instead of stdin (the seed bridge's --data)", func(v string) error {
		s.data, s.dataSet = v, true
		return nil
	})
	fs.StringVar(&s.context, "context", "", "the tool `name`, when the event does not say (the seed bridge's --context)")
	fs.StringVar(&s.session, "session", "", "the session `id`, when the event does not say (the seed bridge's --session)")
}

// input is the hook event to read: --data or stdin, completed with what
// the seed's flags say and the event leaves out. What Claude Code sent
// wins over the flags.
func (s *seedFlags) input(stdin io.Reader) (io.Reader, error) {
	event := ""
	if s.action != "" {
		var ok bool
		if event, ok = seedActions[s.action]; !ok {
			return nil, fmt.Errorf("unknown --action %q (pre_validate or post_audit)", s.action)
		}
	}
	if !s.dataSet && event == "" && s.context == "" && s.session == "" {
		return stdin, nil
	}
	data := []byte(s.data)
	if !s.dataSet {
		var err error
		if data, err = io.ReadAll(io.LimitReader(stdin, claude.MaxEventSize+1)); err != nil {
			return nil, fmt.Errorf("read hook event: %w", err)
		}
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil || m == nil {
		return bytes.NewReader(data), nil // not an object: the decoder says what is wrong
	}
	fill := func(key, value string) {
		if value == "" || value == "unknown" { // the seed's scripts pass "unknown" for what they lack
			return
		}
		var have string
		if json.Unmarshal(m[key], &have) == nil && have != "" {
			return
		}
		m[key], _ = json.Marshal(value)
	}
	fill("hook_event_name", event)
	fill("tool_name", s.context)
	fill("session_id", s.session)
	out, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return bytes.NewReader(out), nil
}
