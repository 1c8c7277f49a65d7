package templates

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/config"
)

func render(t *testing.T, cl *changelog.Changelog, opt Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, cl, opt); err != nil {
		t.Fatalf("Render(%+v): %v", opt, err)
	}
	return buf.String()
}

func TestGolden(t *testing.T) {
	withFormat := func(f string, mod func(*Options)) Options {
		o := fixtureOptions()
		o.Format = f
		if mod != nil {
			mod(&o)
		}
		return o
	}
	tests := []struct {
		file string
		opt  Options
	}{
		{"announcement.md", withFormat(FormatAnnouncement, nil)},
		{"notes.md", withFormat("", nil)},
		{"notes-labels-authors.md", withFormat(FormatMarkdown, func(o *Options) {
			o.ShowLabels, o.ShowAuthors, o.Sort = true, true, SortNumber
			o.Announcement = Announcement{Count: true}
		})},
		{"notes-mentions-keep.md", withFormat(FormatMarkdown, func(o *Options) {
			o.Mentions, o.Sections, o.Sort = MentionsKeep, nil, SortTitle
		})},
		{"notes.html", withFormat(FormatHTML, nil)},
		{"notes-standalone.html", withFormat(FormatHTML, func(o *Options) {
			o.Standalone, o.Title = true, "Qubes OS 4.2.3 <release> notes"
		})},
		{"notes.json", withFormat(FormatJSON, nil)},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := render(t, fixture(), tt.opt)
			golden(t, tt.file, []byte(got))
		})
	}
}

func TestGoldenTemplate(t *testing.T) {
	for _, name := range []string{"example.tmpl", "markdown.tmpl"} {
		tmpl, err := ParseTemplateFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		opt := fixtureOptions()
		opt.Template = tmpl
		got := render(t, fixture(), opt)
		if name == "markdown.tmpl" {
			// The template data is complete: a template rebuilds the default format.
			if diff := cmp.Diff(render(t, fixture(), fixtureOptions()), got); diff != "" {
				t.Errorf("markdown.tmpl differs from the markdown format (-want +got):\n%s", diff)
			}
			continue
		}
		golden(t, strings.TrimSuffix(name, ".tmpl")+".md", []byte(got))
	}
}

func TestRenderDoesNotModifyChangelog(t *testing.T) {
	cl := fixture()
	for _, f := range []string{FormatMarkdown, FormatHTML, FormatJSON} {
		opt := fixtureOptions()
		opt.Format, opt.Sort = f, SortTitle
		render(t, cl, opt)
	}
	if diff := cmp.Diff(fixture(), cl); diff != "" {
		t.Errorf("Render changed its input (-want +got):\n%s", diff)
	}
}

func TestJSONKeepsChangelogContract(t *testing.T) {
	cl := fixture()
	out := render(t, cl, Options{Format: FormatJSON, Sections: fixtureOptions().Sections})
	var got struct {
		changelog.Changelog
		Sections []struct {
			Title  string   `json:"title"`
			Issues []string `json:"issues"`
		} `json:"sections"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(*cl, got.Changelog); diff != "" {
		t.Errorf("JSON does not round-trip the changelog (-want +got):\n%s", diff)
	}
	n := 0
	for _, s := range got.Sections {
		n += len(s.Issues)
	}
	if n != len(cl.Issues) || got.Sections[0].Title != "Bug fixes" {
		t.Errorf("sections hold %d issues, want %d; first section %q", n, len(cl.Issues), got.Sections[0].Title)
	}
}

func issue(repo string, n int, title string, closed int, labels ...string) changelog.Issue {
	return changelog.Issue{
		Repository: repo, Number: n, Title: title, Labels: labels, Author: "alice",
		URL:      "https://github.com/" + repo + "/issues/" + strconv.Itoa(n),
		ClosedAt: time.Date(2024, 1, closed, 0, 0, 0, 0, time.UTC),
	}
}

func TestMarkdownItems(t *testing.T) {
	const repo = "o/r"
	base := &changelog.Changelog{URL: "https://github.com/o/r/issues?q=is%3Aissue", Repositories: []string{repo}}
	tests := []struct {
		name   string
		issues []changelog.Issue
		repos  []string
		opt    Options
		want   string // the lines after the announcement
	}{
		{
			name:   "closed order then number",
			issues: []changelog.Issue{issue(repo, 3, "c", 2), issue(repo, 2, "b", 1), issue(repo, 1, "a", 2)},
			want: "- b ([#2](https://github.com/o/r/issues/2))\n- a ([#1](https://github.com/o/r/issues/1))\n" +
				"- c ([#3](https://github.com/o/r/issues/3))\n\nTotal: 3 issues.\n",
		},
		{
			name:   "number order",
			issues: []changelog.Issue{issue(repo, 3, "c", 1), issue(repo, 1, "a", 2)},
			opt:    Options{Sort: SortNumber},
			want:   "- a ([#1](https://github.com/o/r/issues/1))\n- c ([#3](https://github.com/o/r/issues/3))\n\nTotal: 2 issues.\n",
		},
		{
			name:   "title order folds case",
			issues: []changelog.Issue{issue(repo, 1, "b", 1), issue(repo, 2, "A", 2), issue(repo, 3, "a", 3)},
			opt:    Options{Sort: SortTitle},
			want: "- A ([#2](https://github.com/o/r/issues/2))\n- a ([#3](https://github.com/o/r/issues/3))\n" +
				"- b ([#1](https://github.com/o/r/issues/1))\n\nTotal: 3 issues.\n",
		},
		{
			name:   "multi-repository references",
			issues: []changelog.Issue{issue("o/a", 1, "x", 1), issue("o/b", 1, "y", 1)},
			repos:  []string{"o/a", "o/b"},
			want: "- x ([o/a#1](https://github.com/o/a/issues/1))\n- y ([o/b#1](https://github.com/o/b/issues/1))\n" +
				"\nTotal: 2 issues.\n",
		},
		{
			name:   "sections, exclusions and catch-all",
			issues: []changelog.Issue{issue(repo, 1, "bug", 1, "Bug"), issue(repo, 2, "feat", 2, "feature"), issue(repo, 3, "skip", 3, "bug", "wontfix"), issue(repo, 4, "gone", 4, "internal")},
			opt: Options{
				Sections: []Section{{Title: "Bugs", Labels: []string{"bug"}, ExcludeLabels: []string{"wontfix"}}, {Title: "Empty", Labels: []string{"none"}}},
				CatchAll: "Misc", Exclude: Exclude{Labels: []string{"internal"}},
			},
			want: "### Bugs\n\n- bug ([#1](https://github.com/o/r/issues/1))\n\n" +
				"### Misc\n\n- feat ([#2](https://github.com/o/r/issues/2))\n- skip ([#3](https://github.com/o/r/issues/3))\n\nTotal: 3 issues.\n",
		},
		{
			name:   "wildcard and excluded authors",
			issues: []changelog.Issue{func() changelog.Issue { i := issue(repo, 1, "bump", 1); i.Author = "dependabot[bot]"; return i }(), issue(repo, 2, "fix", 2)},
			opt:    Options{Sections: []Section{{Title: "All", Labels: []string{"*"}, ExcludeAuthors: []string{"app/dependabot"}}}},
			want: "### All\n\n- fix ([#2](https://github.com/o/r/issues/2))\n\n" +
				"### Other changes\n\n- bump ([#1](https://github.com/o/r/issues/1))\n\nTotal: 2 issues.\n",
		},
		{
			name: "link off the tracker is rebuilt, unusable repository loses its link",
			issues: []changelog.Issue{
				func() changelog.Issue {
					i := issue(repo, 1, "x", 1)
					i.URL = "https://evil.example/o/r/issues/1"
					return i
				}(),
				func() changelog.Issue { i := issue("../x", 2, "y", 2); i.URL = "data:text/html,hi"; return i }(),
			},
			want: "- x ([o/r#1](https://github.com/o/r/issues/1))\n- y (../x#2)\n\nTotal: 2 issues.\n",
		},
		{
			name:   "labels and authors",
			issues: []changelog.Issue{issue(repo, 1, "x", 1, "T: bug", "a*b")},
			opt:    Options{ShowLabels: true, ShowAuthors: true},
			want:   "- x ([#1](https://github.com/o/r/issues/1)) \\[T: bug, a\\*b\\] by @\u200balice\n\nTotal: 1 issue.\n",
		},
		{
			name:   "nothing found",
			issues: nil,
			want:   "Total: 0 issues.\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl := *base
			cl.Issues = tt.issues
			if tt.repos != nil {
				cl.Repositories = tt.repos
			}
			got := render(t, &cl, tt.opt)
			head, rest, ok := strings.Cut(got, "\n\n")
			if !ok || !strings.HasPrefix(head, "For more information") {
				t.Fatalf("output does not start with the announcement:\n%s", got)
			}
			if diff := cmp.Diff(tt.want, rest); diff != "" {
				t.Errorf("items (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAnnouncement(t *testing.T) {
	cl := &changelog.Changelog{URL: "https://github.com/o/r/issues?q=a+b&x=(y)", Issues: make([]changelog.Issue, 42)}
	tests := []struct {
		name string
		url  string
		a    Announcement
		want string
	}{
		{"default", "", Announcement{},
			"For more information about the changes included in this version, see the [full list of issues completed since the previous stable release](https://github.com/o/r/issues?q=a+b&x=%28y%29).\n"},
		{"count after link", "", Announcement{Count: true, LinkText: "list *of* issues", Sentence: "See the {link}."},
			"See the [list \\*of\\* issues](https://github.com/o/r/issues?q=a+b&x=%28y%29) (42 issues).\n"},
		{"count placeholder", "", Announcement{Count: true, Sentence: "**{count}** are in the {link}."},
			"**42 issues** are in the [full list of issues completed since the previous stable release](https://github.com/o/r/issues?q=a+b&x=%28y%29).\n"},
		{"unsafe link is dropped", "javascript:alert(1)", Announcement{Sentence: "See the {link}.", LinkText: "list"},
			"See the list.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := *cl
			if tt.url != "" {
				c.URL = tt.url
			}
			got := render(t, &c, Options{Format: FormatAnnouncement, Announcement: tt.a})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tmpl, err := ParseTemplate("t", "x")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		opt  Options
		want string // substring; "" means valid
	}{
		{Options{}, ""},
		{Options{Format: FormatHTML, Standalone: true}, ""},
		{Options{Template: tmpl}, ""},
		{Options{Format: FormatTemplate, Template: tmpl}, ""},
		{Options{Format: "pdf"}, `unknown format "pdf"`},
		{Options{Format: FormatTemplate}, "needs a template file"},
		{Options{Format: FormatJSON, Template: tmpl}, "mutually exclusive"},
		{Options{Standalone: true}, "only to the html format"},
		{Options{Sort: "date"}, `unknown sort order "date"`},
		{Options{Mentions: "drop"}, `unknown mentions mode "drop"`},
		{Options{Announcement: Announcement{Sentence: "no link"}}, "{link}"},
	}
	for _, tt := range tests {
		err := tt.opt.Validate()
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("Validate(%+v) = %v, want %q", tt.opt, err, tt.want)
		}
		if err != nil {
			var buf bytes.Buffer
			if rerr := Render(&buf, fixture(), tt.opt); rerr == nil || buf.Len() > 0 {
				t.Errorf("Render(%+v) = %v and wrote %d bytes, want the Validate error and nothing written", tt.opt, rerr, buf.Len())
			}
		}
	}
}

func TestTemplateErrors(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		msg       string
	}{
		{"parse error", "ok\n{{ .Count }\n", 2, "unexpected"},
		{"unknown function", "a\nb\n{{ shout .Count }}", 3, `function "shout" not defined`},
		{"unknown field", "line 1\n{{ range .Sections }}{{ .Nope }}{{ end }}", 2, "can't evaluate field Nope"},
		{"missing map key", "{{ index .M \"x\" }}", 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "notes.tmpl")
			if err := os.WriteFile(path, []byte(tt.src), 0o644); err != nil {
				t.Fatal(err)
			}
			tmpl, err := ParseTemplateFile(path)
			if err == nil {
				var buf bytes.Buffer
				err = Render(&buf, fixture(), Options{Template: tmpl})
				if buf.Len() != 0 {
					t.Errorf("a failing template wrote %q", buf.String())
				}
			}
			var te *TemplateError
			if !errors.As(err, &te) {
				t.Fatalf("got %v, want *TemplateError", err)
			}
			if te.File != path || (tt.line != 0 && te.Line != tt.line) || !strings.Contains(te.Msg, tt.msg) {
				t.Errorf("got %#v, want file %s line %d msg containing %q", te, path, tt.line, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), "template "+path) || strings.Contains(err.Error(), "\n") {
				t.Errorf("message %q must name the file and be one line", err)
			}
		})
	}
	if _, err := ParseTemplateFile(filepath.Join(t.TempDir(), "missing.tmpl")); err == nil || !strings.Contains(err.Error(), "cannot read the template file") || strings.Contains(err.Error(), "--") {
		t.Errorf("missing file: %v", err)
	}
}

// TestTitlesAreNeverTemplates renders a title that is template source
// through a user template: it must come out as text, never expanded.
func TestTitlesAreNeverTemplates(t *testing.T) {
	tmpl, err := ParseTemplate("t", "{{ range .Sections }}{{ range .Issues }}{{ text .Title }}|{{ end }}{{ end }}")
	if err != nil {
		t.Fatal(err)
	}
	cl := &changelog.Changelog{Issues: []changelog.Issue{issue("o/r", 1, `{{ .Count }} {{ printf "%d" 1 }}`, 1)}}
	got := render(t, cl, Options{Template: tmpl})
	if want := `{{ .Count }} {{ printf "%d" 1 }}|`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestConfigMatches keeps config's allowed values and field shapes in step
// with this package.
func TestConfigMatches(t *testing.T) {
	want := append([]string{""}, Formats[:4]...)
	if diff := cmp.Diff(want, config.Formats); diff != "" {
		t.Errorf("config.Formats (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(append([]string{""}, Sorts...), config.Sorts); diff != "" {
		t.Errorf("config.Sorts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"", string(MentionsEscape), string(MentionsKeep)}, config.Mentions); diff != "" {
		t.Errorf("config.Mentions (-want +got):\n%s", diff)
	}
	// Section converts directly; this line stops compiling if the shapes drift.
	_ = Section(config.Section{Title: "x"})
	_ = Exclude(config.Exclude{})
	_ = Announcement(config.Announcement{})
}
