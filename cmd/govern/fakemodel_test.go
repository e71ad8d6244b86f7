package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// fakeModel is a loopback stand-in for the Anthropic Messages API, enough
// to drive Claude Code through one tool call (claude-code-hooks.md §10).
// While no tool_result exists anywhere in a request's messages it asks
// for a Bash call running command; afterwards it ends the turn with text.
// It keeps every request body, for the test to read what Claude Code sent
// back as the tool's result.
type fakeModel struct {
	*httptest.Server
	command string

	mu       sync.Mutex
	requests []messagesRequest
	others   []string // requests it did not expect: method and URL
}

// messagesRequest is the part of a Messages API request the fake reads.
type messagesRequest struct {
	Model    string `json:"model"`
	Stream   bool   `json:"stream"`
	Messages []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"` // a string, or an array of blocks
	} `json:"messages"`
}

// contentBlock is one block of a message's content.
type contentBlock struct {
	Type      string          `json:"type"`
	ToolUseID string          `json:"tool_use_id"`
	Content   json.RawMessage `json:"content"` // tool_result: a string, or an array of blocks
	IsError   bool            `json:"is_error"`
	Text      string          `json:"text"`
}

// toolResults returns every tool_result block in the request's messages.
func (r *messagesRequest) toolResults() []contentBlock {
	var out []contentBlock
	for _, m := range r.Messages {
		var blocks []contentBlock
		if json.Unmarshal(m.Content, &blocks) != nil {
			continue // plain string content
		}
		for _, b := range blocks {
			if b.Type == "tool_result" {
				out = append(out, b)
			}
		}
	}
	return out
}

// text is a tool_result's content as text, whether Claude Code sent a
// string or an array of text blocks.
func (b *contentBlock) text() string {
	var s string
	if json.Unmarshal(b.Content, &s) == nil {
		return s
	}
	var blocks []contentBlock
	json.Unmarshal(b.Content, &blocks)
	for _, x := range blocks {
		s += x.Text
	}
	return s
}

// fakeToolUseID is the id of the one tool call the fake asks for.
const fakeToolUseID = "toolu_govern_e2e_1"

func newFakeModel(t *testing.T, command string) *fakeModel {
	f := &fakeModel{command: command}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/messages", f.messages)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.others = append(f.others, r.Method+" "+r.URL.String())
		f.mu.Unlock()
		http.NotFound(w, r)
	})
	f.Server = httptest.NewServer(mux) // 127.0.0.1, a free port
	t.Cleanup(f.Close)
	return f
}

func (f *fakeModel) messages(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	var req messagesRequest
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil {
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.requests = append(f.requests, req)
	n := len(f.requests)
	f.mu.Unlock()

	// Only the absence of any tool_result means "first call": a hook's
	// additional context arrives as a message after the tool_result, and a
	// fake that looked at the last message only would loop forever.
	var block, delta map[string]any
	stop := "end_turn"
	if len(req.toolResults()) == 0 {
		input, _ := json.Marshal(map[string]string{"command": f.command, "description": "Run the test's command"})
		block = map[string]any{"type": "tool_use", "id": fakeToolUseID, "name": "Bash", "input": map[string]any{}}
		delta = map[string]any{"type": "input_json_delta", "partial_json": string(input)}
		stop = "tool_use"
	} else {
		block = map[string]any{"type": "text", "text": ""}
		delta = map[string]any{"type": "text_delta", "text": "done."}
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	events := []map[string]any{
		{"type": "message_start", "message": map[string]any{
			"id": fmt.Sprintf("msg_e2e_%d", n), "type": "message", "role": "assistant", "model": req.Model,
			"content": []any{}, "stop_reason": nil, "stop_sequence": nil,
			"usage": map[string]int{"input_tokens": 1, "output_tokens": 1},
		}},
		{"type": "content_block_start", "index": 0, "content_block": block},
		{"type": "content_block_delta", "index": 0, "delta": delta},
		{"type": "content_block_stop", "index": 0},
		{"type": "message_delta", "delta": map[string]any{"stop_reason": stop, "stop_sequence": nil}, "usage": map[string]int{"output_tokens": 1}},
		{"type": "message_stop"},
	}
	for _, ev := range events {
		data, _ := json.Marshal(ev)
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev["type"], data)
	}
}

// seen returns the Messages requests received so far and the requests
// for anything else.
func (f *fakeModel) seen() ([]messagesRequest, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]messagesRequest(nil), f.requests...), append([]string(nil), f.others...)
}
