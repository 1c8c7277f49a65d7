package main

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"
)

// parseOnly runs cmd's flag parsing and RunE checks with args, and returns
// the error; the command's runF captured the options instead of running.
func parseOnly(t *testing.T, cmd *cobra.Command, args []string) error {
	t.Helper()
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	return cmd.Execute()
}

var optsCmp = cmp.Options{cmp.AllowUnexported(LinkOptions{}, NotesOptions{}, CheckOptions{}, PublishOptions{}, DemoOptions{},
	ExplainOptions{}, queryFlags{}, releaseFlags{}, apiFlags{}, renderFlags{})}

func defaultRender() renderFlags {
	return renderFlags{format: "markdown", sort: "closed", mentions: "escape"}
}

func defaultAPI() apiFlags { return apiFlags{maxWait: 15 * time.Minute} }

func defaultQuery(values map[string][]string) queryFlags {
	if values == nil {
		values = map[string][]string{}
	}
	return queryFlags{values: values, encoding: "plus"}
}

// checkParse compares what runF received (got, nil when it did not run)
// with want, or the error with wantErr.
func checkParse[T any](t *testing.T, err error, got *T, want *T, wantErr string) {
	t.Helper()
	if wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Fatalf("error %v, want one containing %q", err, wantErr)
		}
		if got != nil {
			t.Errorf("runF ran after a flag error")
		}
		return
	}
	if err != nil {
		t.Fatalf("error %v", err)
	}
	if d := cmp.Diff(want, got, optsCmp); d != "" {
		t.Errorf("options (-want +got):\n%s", d)
	}
}

func TestLinkFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    *LinkOptions
		wantErr string
	}{
		{"query flags", []string{"--repo", "o/r", "--since", "2024-01-01", "--exclude-label", "a", "--exclude-label", "b", "--query"},
			&LinkOptions{query: defaultQuery(map[string][]string{"repo": {"o/r"}, "since": {"2024-01-01"}, "exclude-label": {"a", "b"}}),
				release: releaseFlags{granularity: "instant"}, api: defaultAPI(), textOnly: true,
				set: setFlags{"repo": true, "since": true, "exclude-label": true, "query": true}}, ""},
		{"release", []string{"--repo", "o/r", "--release", "v1", "--granularity", "day", "--git-dir", "."},
			&LinkOptions{query: defaultQuery(map[string][]string{"repo": {"o/r"}}),
				release: releaseFlags{release: "v1", granularity: "day", gitDir: "."}, api: defaultAPI(),
				set: setFlags{"repo": true, "release": true, "granularity": true, "git-dir": true}}, ""},
		{"bad granularity", []string{"--granularity", "days"}, nil, `"days" is not one of instant, day; did you mean day?`},
		{"bad reason", []string{"--reason", "complete"}, nil, "did you mean completed?"},
		{"previous without release", []string{"--previous", "v1", "--git-dir", "."}, nil, "--previous needs --release TAG"},
		{"git-dir without release", []string{"--git-dir", ".", "--releases-repo", "a/b"}, nil, "--releases-repo needs --release TAG"},
		{"since and release", []string{"--since", "2024-01-01", "--release", "v1"}, nil, "--since and --release both set the start"},
		{"two sources", []string{"--release", "v1", "--git-dir", ".", "--releases-file", "f"}, nil, "two sources of release dates"},
		{"window the wrong way round", []string{"--since", "2024-02-01", "--until", "2024-01-01"}, nil, "the window would be empty"},
		{"bad encoding", []string{"--encoding", "percnt"}, nil, "did you mean percent?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *LinkOptions
			err := parseOnly(t, NewCmdLink(&App{}, func(o *LinkOptions) error { got = o; return nil }), tt.args)
			checkParse(t, err, got, tt.want, tt.wantErr)
		})
	}
}

func TestNotesFlags(t *testing.T) {
	render := defaultRender()
	render.format, render.output, render.count = "json", "out.json", true
	tests := []struct {
		name    string
		args    []string
		want    *NotesOptions
		wantErr string
	}{
		{"render and input", []string{"--input", "-", "-f", "json", "-o", "out.json", "--count", "-q"},
			&NotesOptions{query: defaultQuery(nil), release: releaseFlags{granularity: "instant"},
				api: apiFlags{maxWait: 15 * time.Minute, quiet: true}, render: render, input: "-",
				set: setFlags{"input": true, "format": true, "output": true, "count": true, "quiet": true}}, ""},
		{"allow-empty without input", []string{"--allow-empty"}, nil, "--allow-empty applies to --input only"},
		{"format alias", []string{"-f", "md"}, nil, `--format "md" is not one of announcement, markdown, html, json; did you mean markdown?`},
		{"format typo", []string{"--format", "htlm"}, nil, "did you mean html?"},
		{"sort", []string{"--sort", "numbr"}, nil, "did you mean number?"},
		{"mentions", []string{"--mentions", "kep"}, nil, "did you mean keep?"},
		{"format and template", []string{"--format", "html", "--template", "t.tmpl"}, nil, "--format and --template both say how to render"},
		{"standalone markdown", []string{"--format", "markdown", "--standalone"}, nil, "--standalone applies only to --format html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *NotesOptions
			err := parseOnly(t, NewCmdNotes(&App{}, func(o *NotesOptions) error { got = o; return nil }), tt.args)
			checkParse(t, err, got, tt.want, tt.wantErr)
		})
	}
}

func TestCheckFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    *CheckOptions
		wantErr string
	}{
		{"granularity follows the link", []string{"LINK", "--release", "v1", "--no-count"},
			&CheckOptions{link: "LINK", release: releaseFlags{release: "v1"}, api: defaultAPI(), noCount: true}, ""},
		{"previous link only", []string{"--previous-link", "PREV", "LINK"},
			&CheckOptions{link: "LINK", previousLink: "PREV", api: defaultAPI()}, ""},
		{"nothing to compare with", []string{"LINK"}, nil, "check needs --release TAG, --previous-link LINK, or both"},
		{"two links", []string{"A", "B", "--release", "v1"}, nil, "check takes one link (quote it), got 2 arguments"},
		{"bad granularity", []string{"LINK", "--release", "v1", "--granularity", "hour"}, nil, `"hour" is not one of instant, day`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *CheckOptions
			err := parseOnly(t, NewCmdCheck(&App{}, func(o *CheckOptions) error { got = o; return nil }), tt.args)
			checkParse(t, err, got, tt.want, tt.wantErr)
		})
	}
}

func TestPublishFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    *PublishOptions
		wantErr string
	}{
		{"dry run", []string{"--repo", "o/r", "--release", "v1", "-n", "--notes-file", "n.md"},
			&PublishOptions{query: defaultQuery(map[string][]string{"repo": {"o/r"}}), release: releaseFlags{release: "v1", granularity: "instant"},
				api: defaultAPI(), render: defaultRender(), dryRun: true, notesFile: "n.md",
				set: setFlags{"repo": true, "release": true, "dry-run": true, "notes-file": true}}, ""},
		{"no release", []string{"--repo", "o/r"}, nil, "publish needs --release TAG"},
		{"since and release", []string{"--release", "v1", "--since", "2024-01-01"}, nil, "--since and --release"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *PublishOptions
			err := parseOnly(t, NewCmdPublish(&App{}, func(o *PublishOptions) error { got = o; return nil }), tt.args)
			checkParse(t, err, got, tt.want, tt.wantErr)
		})
	}
}

func TestExplainFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    *ExplainOptions
		wantErr string
	}{
		{"one query", []string{"is:issue closed:2024-01-01..2024-01-31"}, &ExplainOptions{input: "is:issue closed:2024-01-01..2024-01-31"}, ""},
		{"none", nil, nil, "explain takes one link or query (quote it), got 0 arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *ExplainOptions
			err := parseOnly(t, NewCmdExplain(&App{}, func(o *ExplainOptions) error { got = o; return nil }), tt.args)
			checkParse(t, err, got, tt.want, tt.wantErr)
		})
	}
}

func TestDemoFlags(t *testing.T) {
	render := defaultRender()
	render.format = "html"
	render.standalone = true
	tests := []struct {
		name    string
		args    []string
		want    *DemoOptions
		wantErr string
	}{
		{"render", []string{"-f", "html", "--standalone"}, &DemoOptions{query: defaultQuery(nil), release: releaseFlags{granularity: "instant"},
			render: render, listen: "127.0.0.1:0", set: setFlags{"format": true, "standalone": true}}, ""},
		{"query and release", []string{"--release", "v4.2.3", "--exclude-label", "x"}, &DemoOptions{query: defaultQuery(map[string][]string{"exclude-label": {"x"}}),
			release: releaseFlags{release: "v4.2.3", granularity: "instant"}, render: defaultRender(), listen: "127.0.0.1:0",
			set: setFlags{"release": true, "exclude-label": true}}, ""},
		{"serve", []string{"--serve", "--listen", "[::1]:8080"}, &DemoOptions{query: defaultQuery(nil), release: releaseFlags{granularity: "instant"},
			render: defaultRender(), serve: true, listen: "[::1]:8080", set: setFlags{"serve": true, "listen": true}}, ""},
		{"bad format", []string{"-f", "txt"}, nil, `"txt" is not one of`},
		{"listen without serve", []string{"--listen", "127.0.0.1:1"}, nil, "--listen applies to --serve only"},
		{"listen on every interface", []string{"--serve", "--listen", "0.0.0.0:8080"}, nil, `--listen "0.0.0.0:8080" is not a loopback HOST:PORT`},
		{"serve with a query", []string{"--serve", "--repo", "o/r"}, nil, "--serve takes no other flags than --listen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *DemoOptions
			err := parseOnly(t, NewCmdDemo(&App{}, func(o *DemoOptions) error { got = o; return nil }), tt.args)
			checkParse(t, err, got, tt.want, tt.wantErr)
		})
	}
}
