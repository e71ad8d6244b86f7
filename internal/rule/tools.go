package rule

// tools are the tool names Claude Code knows, as rules and matchers spell them
// (claude-code-hooks.md §6). "Task" is the old name of Agent and is still
// accepted.
var tools = map[string]bool{
	"Agent": true, "Task": true, "AskUserQuestion": true, "Bash": true, "BashOutput": true,
	"Cd": true, "CronCreate": true, "CronDelete": true, "CronList": true,
	"Edit": true, "EnterPlanMode": true, "EnterWorktree": true, "ExitPlanMode": true,
	"ExitWorktree": true, "Glob": true, "Grep": true, "KillShell": true, "LSP": true,
	"ListAgents": true, "ListMcpResourcesTool": true, "Monitor": true, "MultiEdit": true,
	"NotebookEdit": true, "NotebookRead": true, "PowerShell": true, "PushNotification": true,
	"REPL": true, "Read": true, "ReadMcpResourceTool": true, "ReadMcpResourceDirTool": true,
	"RemoteTrigger": true, "ReportFindings": true, "ScheduleWakeup": true, "SendMessage": true,
	"SendUserFile": true, "Skill": true, "SlashCommand": true, "TaskCreate": true,
	"TaskGet": true, "TaskList": true, "TaskOutput": true, "TaskStop": true, "TaskUpdate": true,
	"TodoWrite": true, "ToolSearch": true, "WebFetch": true, "WebSearch": true,
	"Workflow": true, "Write": true, "Artifact": true, "Projects": true, "RefreshMcpTools": true,
	"WaitForMcpServers": true, "ShareOnboardingGuide": true,
}

// KnownTool reports whether name is a Claude Code tool name or an MCP tool
// name (mcp__server__tool).
func KnownTool(name string) bool {
	return tools[name] || isMCP(name)
}

func isMCP(name string) bool { return len(name) > 5 && name[:5] == "mcp__" }

// kindOf says how a tool's specifier is read.
func kindOf(tool string) Kind {
	switch tool {
	case "Bash", "Monitor", "PowerShell":
		return Command
	case "Read", "Edit", "Write", "MultiEdit", "NotebookEdit", "NotebookRead", "Glob", "Grep", "LSP", "Cd":
		return Path
	case "WebFetch":
		return Domain
	}
	return Other
}

// FileTools are the tools that write files. Claude Code applies Edit(...)
// rules to all of them; govern applies both Edit(...) and Write(...) rules.
var writeTools = map[string]bool{"Write": true, "Edit": true, "MultiEdit": true, "NotebookEdit": true}

// readTools are the tools Read(...) rules cover.
var readTools = map[string]bool{"Read": true, "Grep": true, "Glob": true, "LSP": true, "NotebookRead": true}

// IsWriteTool reports whether tool writes files.
func IsWriteTool(tool string) bool { return writeTools[tool] }

// IsReadTool reports whether tool only reads files.
func IsReadTool(tool string) bool { return readTools[tool] }

// mainField is the input field a specifier of a tool without its own syntax
// is matched against: Agent(Explore), Skill(deploy *).
var mainField = map[string]string{
	"Agent": "subagent_type", "Task": "subagent_type", "Skill": "skill", "SlashCommand": "command",
	"WebSearch": "query",
}

// paramFields are the scalar input fields Tool(param:value) rules may name,
// per tool; "command", "file_path", "path", "notebook_path" and "url" never
// qualify (claude-code-hooks.md §7).
var paramFields = map[string]map[string]bool{
	"Bash":     {"run_in_background": true, "timeout": true, "description": true, "dangerouslyDisableSandbox": true},
	"Agent":    {"model": true, "subagent_type": true, "run_in_background": true, "isolation": true, "name": true},
	"Task":     {"model": true, "subagent_type": true, "run_in_background": true, "isolation": true, "name": true},
	"Read":     {"offset": true, "limit": true, "pages": true},
	"Grep":     {"output_mode": true, "type": true, "glob": true, "multiline": true},
	"WebFetch": {"prompt": true},
}
