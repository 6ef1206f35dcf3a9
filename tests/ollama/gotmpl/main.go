// Renders an Ollama Go TEMPLATE the way Ollama's template package does (System collated from the system
// messages, Messages still listing them, Tools, and the json function), so tests can check our templates
// with Go's own text/template. Usage: go run . TEMPLATE_FILE VALUES_JSON_FILE
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/template"
)

type ToolCallFunction struct {
	Name      string         `json:"name"`
	Arguments map[string]any `json:"arguments"`
}

type ToolCall struct {
	Function ToolCallFunction `json:"function"`
}

type Message struct {
	Role      string     `json:"role"`
	Content   string     `json:"content"`
	ToolCalls []ToolCall `json:"tool_calls,omitempty"`
}

type ToolFunction struct {
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Parameters  map[string]any `json:"parameters"`
}

type Tool struct {
	Type     string       `json:"type"`
	Function ToolFunction `json:"function"`
}

type Values struct {
	Messages []Message `json:"messages"`
	Tools    []Tool    `json:"tools"`
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	check(err)
	data, err := os.ReadFile(os.Args[2])
	check(err)
	var values Values
	check(json.Unmarshal(data, &values))
	funcs := template.FuncMap{"json": func(v any) string { b, _ := json.Marshal(v); return string(b) }}
	tmpl, err := template.New("").Option("missingkey=zero").Funcs(funcs).Parse(string(raw))
	check(err)
	var system []string
	for _, m := range values.Messages {
		if m.Role == "system" {
			system = append(system, m.Content)
		}
	}
	var tools any
	if len(values.Tools) > 0 {
		tools = values.Tools
	}
	check(tmpl.Execute(os.Stdout, map[string]any{
		"System": strings.Join(system, "\n\n"), "Messages": values.Messages, "Tools": tools, "Response": "",
	}))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
