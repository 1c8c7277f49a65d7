package doccheck

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A command is a command line the docs show a reader to type.
type command struct {
	Line int    // 1-based line of the command's first line in the document
	Text string // continuations joined, runs of blanks as one space
}

// programs are the first words of the lines the docs show as commands; any
// other line in a code block is output, a file's content or prose.
var programs = map[string]bool{"relnotes": true, "go": true, "gh": true, "git": true, "bash": true, "curl": true}

// shellInfo are the info strings of fenced blocks that hold shell sessions.
var shellInfo = map[string]bool{"": true, "sh": true, "shell": true, "bash": true, "console": true}

var (
	fence      = regexp.MustCompile("^ *(```+|~~~+) *([A-Za-z]*)")
	listMarker = regexp.MustCompile(`^( *)([-*+]|[0-9]+[.)]) +`)
	relSpan    = regexp.MustCompile("`((?:relnotes|go run \\./cmd/relnotes) (?:[^`]* )?-[^`]*|[^`]*[(]relnotes [^`]*)`")
)

// extract returns the commands of a Markdown document:
//   - in fenced blocks marked sh, shell, bash, console or not marked, and in
//     indented code blocks: each line whose first word (after a "$ " prompt)
//     is one of programs, joined with the lines its trailing backslashes
//     continue into. In a block that uses "$ " prompts, lines without one are
//     output;
//   - in prose: each code span that starts with "relnotes " or
//     "go run ./cmd/relnotes " and passes a flag, and each that runs relnotes
//     in a command substitution; a span naming a command without a flag
//     names it, it does not show how to run it.
func extract(md string) []command {
	lines := strings.Split(md, "\n")
	var out []command
	var block []int // line indexes of the current code block
	flush := func() {
		out = append(out, blockCommands(lines, block)...)
		block = nil
	}
	inFence, fenceMark, shellFence := false, "", false
	listIndent, prevBlank, prevCode := 0, true, false
	for i, line := range lines {
		if m := fence.FindStringSubmatch(line); m != nil {
			t := strings.TrimSpace(line)
			closing := inFence && strings.Trim(t, fenceMark[:1]) == "" && len(t) >= len(fenceMark)
			if !inFence || closing {
				if closing {
					flush()
				} else {
					fenceMark, shellFence = m[1], shellInfo[strings.ToLower(m[2])]
				}
				inFence = !inFence
				prevBlank, prevCode = false, false
				continue
			}
		}
		if inFence {
			if shellFence {
				block = append(block, i)
			}
			continue
		}
		blank := strings.TrimSpace(line) == ""
		indent := len(line) - len(strings.TrimLeft(line, " "))
		code := !blank && indent >= listIndent+4 && (prevBlank || prevCode)
		switch {
		case code:
			block = append(block, i)
		case blank:
			if prevCode {
				block = append(block, i)
			}
		default:
			if prevCode {
				flush()
			}
			if m := listMarker.FindString(line); m != "" {
				listIndent = len(m)
			} else if indent == 0 {
				listIndent = 0
			}
			for _, m := range relSpan.FindAllStringSubmatch(line, -1) {
				out = append(out, command{Line: i + 1, Text: normalise(m[1])})
			}
		}
		prevBlank, prevCode = blank, code || (blank && prevCode)
	}
	flush()
	return out
}

// blockCommands returns the command lines among lines[idx...], a code block.
func blockCommands(lines []string, idx []int) []command {
	prompted := false
	for _, i := range idx {
		if strings.HasPrefix(strings.TrimSpace(lines[i]), "$ ") {
			prompted = true
		}
	}
	var out []command
	for k := 0; k < len(idx); k++ {
		text := strings.TrimSpace(lines[idx[k]])
		if prompted {
			if !strings.HasPrefix(text, "$ ") {
				continue
			}
			text = strings.TrimPrefix(text, "$ ")
		}
		if first, _, _ := strings.Cut(text, " "); !programs[first] {
			continue
		}
		start := idx[k]
		for strings.HasSuffix(text, `\`) && k+1 < len(idx) {
			k++
			text = strings.TrimSuffix(text, `\`) + " " + strings.TrimSpace(lines[idx[k]])
		}
		out = append(out, command{Line: start + 1, Text: normalise(text)})
	}
	return out
}

// normalise collapses runs of blanks outside quotes, so that a command's
// text does not depend on how the doc wraps it, and drops a trailing
// # comment.
func normalise(s string) string {
	var b strings.Builder
	var quote rune
	space := false
	for _, r := range strings.TrimSpace(s) {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '#' && space:
			return b.String()
		case r == ' ' || r == '\t':
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name string
		md   string
		want []command
	}{
		{"fenced, continuation, comment", "```sh\n# a comment\nrelnotes link --repo a/b \\\n  --since  2024-01-01   # why\n```\n",
			[]command{{Line: 3, Text: "relnotes link --repo a/b --since 2024-01-01"}}},
		{"quoted blanks kept", "```\nrelnotes link --exclude-label \"R:  x\"\n```\n",
			[]command{{Line: 2, Text: `relnotes link --exclude-label "R:  x"`}}},
		{"prompts: unprompted lines are output", "```\n$ relnotes check \\\n    LINK\noverlap: x\nrelnotes link --since 2024-01-01\n```\n",
			[]command{{Line: 2, Text: "relnotes check LINK"}}},
		{"other languages are not shell", "```yaml\nrun: relnotes link --since x\n```\n```go\nrelnotes link --since x\n```\n", nil},
		{"output is not a command", "```\nrelnotes: warning: x\n```\n", nil},
		{"indented block", "Run:\n\n    go run ./cmd/relnotes demo\n    go test ./...\n\nafter\n",
			[]command{{Line: 3, Text: "go run ./cmd/relnotes demo"}, {Line: 4, Text: "go test ./..."}}},
		{"indented paragraph continuation is prose", "Text\n    relnotes link --since x\n", nil},
		{"list item continuation is prose", "- item\n\n    relnotes stops with one line\n", nil},
		{"code block inside a list item", "- item\n\n      relnotes link --since x\n",
			[]command{{Line: 3, Text: "relnotes link --since x"}}},
		{"spans with a flag", "Run `relnotes demo --format html` or `relnotes check LINK-OR-QUERY`, `relnotes link`, `relnotes --version`.\n",
			[]command{{Line: 1, Text: "relnotes demo --format html"}, {Line: 1, Text: "relnotes --version"}}},
		{"command substitution in a span", "Completion: `source <(relnotes completion bash)`.\n",
			[]command{{Line: 1, Text: "source <(relnotes completion bash)"}}},
		{"spans in code blocks are not prose", "```yaml\n# `relnotes link --since x`\n```\n", nil},
		{"tilde fence with a backtick line inside", "~~~\n```\nrelnotes link --since x\n~~~\n",
			[]command{{Line: 3, Text: "relnotes link --since x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, extract(tt.md)); diff != "" {
				t.Errorf("extract (-want +got):\n%s", diff)
			}
		})
	}
}
