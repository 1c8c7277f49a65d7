// Package config reads relnotes' configuration: a .relnotes.yml file with
// query defaults and rendering choices, or GitHub's own .github/release.yml
// categories. It is plain data; of relnotes' packages it imports only filters,
// for the one rule of what a repository name is, and the bounded reader.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/internal/bounded"
)

// FileName is the configuration file Find looks for first.
const FileName = ".relnotes.yml"

// maxExpanded bounds the size of a configuration once every alias (*name)
// is expanded in place, counted in bytes of text and values: a few
// kilobytes of nested aliases (a "billion laughs"), or a long anchored
// label repeated by thousands of aliases, would otherwise expand to
// gigabytes of labels. Real files expand to a few kilobytes.
const maxExpanded = 4 << 20

// Config is the content of a .relnotes.yml file. Every field is optional;
// the zero value means "not set here" and leaves the command's default in
// place. Load checks the values; the command uses them wherever the user
// gave no flag, so a flag on the command line always wins.
type Config struct {
	// File is the path the configuration was read from ("" when built in
	// code or when the file was ignored).
	File string `yaml:"-"`
	// Warnings are problems that did not stop the file being read, one
	// line each, naming the file.
	Warnings []string `yaml:"-"`
	// LeaveOutUnmatched is set for GitHub's .github/release.yml, where an
	// issue that no section takes is left out of the notes (a category with
	// labels ["*"] is GitHub's catch-all). A .relnotes.yml puts such issues
	// under CatchAll instead.
	LeaveOutUnmatched bool `yaml:"-"`

	// Query defaults.
	Repos         []string `yaml:"repos"`          // OWNER/NAME
	Orgs          []string `yaml:"orgs"`           // organisation logins
	Labels        []string `yaml:"labels"`         // required labels (all of them)
	ExcludeLabels []string `yaml:"exclude-labels"` // -label: qualifiers
	Reason        string   `yaml:"reason"`         // any, completed, "not planned"
	Kind          string   `yaml:"kind"`           // any, issue, pr
	State         string   `yaml:"state"`          // any, open, closed
	ServerURL     string   `yaml:"server-url"`     // web UI, e.g. https://github.com
	APIURL        string   `yaml:"api-url"`        // REST API root

	// Rendering.
	Sections     []Section    `yaml:"sections"`
	CatchAll     string       `yaml:"catch-all"` // title of the section for unmatched issues; "" means the renderer's default
	Exclude      Exclude      `yaml:"exclude"`   // issues left out of every section
	Announcement Announcement `yaml:"announcement"`
	Format       string       `yaml:"format"`       // announcement, markdown, html, json
	Sort         string       `yaml:"sort"`         // closed, number, title
	Mentions     string       `yaml:"mentions"`     // escape, keep
	ShowLabels   bool         `yaml:"show-labels"`  // list each issue's labels
	ShowAuthors  bool         `yaml:"show-authors"` // name each issue's author
	Title        string       `yaml:"title"`        // <title> of a standalone HTML page
	// Template is a text/template file; a relative path is relative to the
	// directory of the configuration file (Load resolves it).
	Template string `yaml:"template"`
}

// Section is one heading of the rendered notes and the labels that put an
// issue under it. Its fields match templates.Section one for one, so
// templates.Section(s) converts it.
type Section struct {
	Title          string   `yaml:"title"`
	Labels         []string `yaml:"labels"`          // any of them; "*" matches every issue
	ExcludeLabels  []string `yaml:"exclude-labels"`  // an issue with any of them skips this section
	ExcludeAuthors []string `yaml:"exclude-authors"` // logins whose issues skip this section
}

// Exclude lists issues to leave out of the rendered notes altogether.
type Exclude struct {
	Labels  []string `yaml:"labels"`
	Authors []string `yaml:"authors"`
}

// Announcement configures the announcement sentence. Sentence is trusted
// Markdown holding the placeholder {link} and optionally {count}.
type Announcement struct {
	Sentence string `yaml:"sentence"`
	LinkText string `yaml:"link-text"`
	Count    bool   `yaml:"count"`
}

// Allowed values of the enumerated keys. The templates package checks that
// the rendering lists match its own.
var (
	Reasons  = []string{"", "any", "completed", "not planned"}
	Kinds    = []string{"", "any", "issue", "pr"}
	States   = []string{"", "any", "open", "closed"}
	Formats  = []string{"", "announcement", "markdown", "html", "json"}
	Sorts    = []string{"", "closed", "number", "title"}
	Mentions = []string{"", "escape", "keep"}
)

// Error is a problem in a configuration file: File and Line locate it (Line
// is 0 when the whole file is at fault) and Key names the offending key as a
// path such as sections[2].labels.
type Error struct {
	File string
	Line int
	Key  string
	Msg  string
	Err  error // underlying I/O or YAML error, if any
}

// Error formats the problem as FILE:LINE: KEY: MSG, leaving out the line
// when it is 0 and the key when it is "".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Key != "" {
		fmt.Fprintf(&b, "%s: ", e.Key)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the underlying I/O or YAML error, nil when there is none.
func (e *Error) Unwrap() error { return e.Err }

// Find returns the configuration file relnotes uses in dir when no --config
// is given: .relnotes.yml, else .relnotes.yaml, else GitHub's
// .github/release.yml (or .yaml), so a repository that already groups its
// release notes that way gets the same sections. ok is false when none exists.
func Find(dir string) (path string, ok bool) {
	for _, name := range []string{
		FileName, ".relnotes.yaml",
		filepath.Join(".github", "release.yml"), filepath.Join(".github", "release.yaml"),
	} {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p, true
		}
	}
	return "", false
}

// Load reads a configuration file. A file named release.yml or
// release.yaml in a directory named .github is only ever read as GitHub's
// release-notes configuration (see LoadGitHubRelease); elsewhere a file
// whose top level has a "changelog" key is read that way too, and anything
// else as .relnotes.yml. Unknown keys, values of the wrong shape and values
// outside the allowed lists are errors (*Error) naming the file, the line
// and the key. An empty file is a valid, empty configuration.
func Load(path string) (*Config, error) {
	root, err := readRoot(path)
	if err != nil {
		return nil, err
	}
	if IsGitHubRelease(path) || root != nil && hasKey(root, "changelog") {
		return fromRelease(path, root)
	}
	c := &Config{}
	if err := decodeStrict(path, root, c); err != nil {
		return nil, err
	}
	c.File = path
	if err := c.check(root); err != nil {
		return nil, err
	}
	if c.Template != "" && !filepath.IsAbs(c.Template) {
		c.Template = filepath.Join(filepath.Dir(path), c.Template)
	}
	return c, nil
}

// IsGitHubRelease reports whether path names GitHub's release-notes
// configuration: release.yml or release.yaml in a directory named .github.
func IsGitHubRelease(path string) bool {
	base := filepath.Base(path)
	return (base == "release.yml" || base == "release.yaml") && filepath.Base(filepath.Dir(path)) == ".github"
}

// LoadGitHubRelease reads GitHub's release-notes configuration
// (.github/release.yml) as GitHub documents it, into a Config holding only
// Sections, Exclude and LeaveOutUnmatched: changelog.categories[] become
// Sections (title, labels with the "*" wildcard, exclude.labels and
// exclude.authors) and changelog.exclude becomes Exclude. As on GitHub,
// an issue no category takes is left out; there is no catch-all section
// unless a category lists "*".
//
// What GitHub refuses is an *Error naming the key and the rule: a category
// without a title or without labels, labels or authors that are empty or
// not a list, unknown keys, invalid YAML. A file with no "changelog" key at
// all (a workflow or another tool's file saved under that name) is not a
// release-notes configuration: it is ignored, with a warning in
// Config.Warnings.
func LoadGitHubRelease(path string) (*Config, error) {
	root, err := readRoot(path)
	if err != nil {
		return nil, err
	}
	return fromRelease(path, root)
}

// readRoot reads and parses the file at path; see parse for what a nil
// root means.
func readRoot(path string) (*yaml.Node, error) {
	data, err := bounded.ReadFile(path, bounded.ConfigLimit)
	if err != nil {
		msg := "cannot read the configuration file"
		var tl *bounded.TooLargeError
		switch {
		case errors.Is(err, fs.ErrNotExist):
			msg = "configuration file not found; check the path"
		case errors.As(err, &tl):
			msg = fmt.Sprintf("larger than %s, so not a configuration file; check the path", bounded.Size(tl.Limit))
		}
		return nil, &Error{File: path, Msg: msg, Err: err}
	}
	return parse(path, data)
}

// githubRelease mirrors .github/release.yml.
type githubRelease struct {
	Changelog struct {
		Exclude    Exclude `yaml:"exclude"`
		Categories []struct {
			Title   string   `yaml:"title"`
			Labels  []string `yaml:"labels"`
			Exclude Exclude  `yaml:"exclude"`
		} `yaml:"categories"`
	} `yaml:"changelog"`
}

func fromRelease(path string, root *yaml.Node) (*Config, error) {
	if root == nil || !hasKey(root, "changelog") {
		return &Config{Warnings: []string{path + ": no changelog key, so not a release-notes configuration; ignored"}}, nil
	}
	var r githubRelease
	if err := decodeStrict(path, root, &r); err != nil {
		return nil, err
	}
	if err := checkRelease(path, root); err != nil {
		return nil, err
	}
	c := &Config{File: path, LeaveOutUnmatched: true, Exclude: r.Changelog.Exclude}
	for _, cat := range r.Changelog.Categories {
		c.Sections = append(c.Sections, Section{
			Title:          cat.Title,
			Labels:         cat.Labels,
			ExcludeLabels:  cat.Exclude.Labels,
			ExcludeAuthors: cat.Exclude.Authors,
		})
	}
	return c, nil
}

// checkRelease applies the rules GitHub documents for .github/release.yml
// that the shape check (decodeStrict) does not: every category has a title
// and at least one label, and every list of labels or authors is a
// non-empty list. GitHub refuses such files; an empty value would otherwise
// quietly mean "nothing" here.
func checkRelease(path string, root *yaml.Node) error {
	list := func(n *yaml.Node, key string) error {
		n = deref(n)
		if n == nil {
			return nil
		}
		what := "labels"
		if strings.HasSuffix(key, "authors") {
			what = "logins"
		}
		if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
			return &Error{File: path, Line: n.Line, Key: key,
				Msg: fmt.Sprintf("must be a list of %s, like [a, b]; GitHub refuses an empty value (remove the key if there are none)", what)}
		}
		for i, el := range n.Content {
			if el = deref(el); el.Kind != yaml.ScalarNode || el.Tag == "!!null" || strings.TrimSpace(el.Value) == "" {
				return &Error{File: path, Line: el.Line, Key: fmt.Sprintf("%s[%d]", key, i), Msg: "must be a name; remove the empty entry"}
			}
		}
		return nil
	}
	cl := deref(valueOf(root, "changelog"))
	if cl == nil || cl.Kind != yaml.MappingNode {
		return nil // decodeStrict words the shape error; null is an empty configuration
	}
	if ex := deref(valueOf(cl, "exclude")); ex != nil && ex.Kind == yaml.MappingNode {
		for _, k := range []string{"labels", "authors"} {
			if err := list(valueOf(ex, k), "changelog.exclude."+k); err != nil {
				return err
			}
		}
	}
	cats := deref(valueOf(cl, "categories"))
	if cats == nil || cats.Kind != yaml.SequenceNode {
		return nil
	}
	for i, cat := range cats.Content {
		cat = deref(cat)
		key := fmt.Sprintf("changelog.categories[%d]", i)
		if cat.Kind != yaml.MappingNode {
			continue // decodeStrict words it
		}
		if t := deref(valueOf(cat, "title")); t == nil || t.Kind != yaml.ScalarNode || t.Tag == "!!null" || strings.TrimSpace(t.Value) == "" {
			return &Error{File: path, Line: cat.Line, Key: key + ".title", Msg: "every category needs a title (GitHub requires it)"}
		}
		if valueOf(cat, "labels") == nil {
			return &Error{File: path, Line: cat.Line, Key: key + ".labels",
				Msg: `every category needs labels (GitHub requires them); write labels: ["*"] for every issue no earlier category took`}
		}
		if err := list(valueOf(cat, "labels"), key+".labels"); err != nil {
			return err
		}
		if ex := deref(valueOf(cat, "exclude")); ex != nil && ex.Kind == yaml.MappingNode {
			for _, k := range []string{"labels", "authors"} {
				if err := list(valueOf(ex, k), key+".exclude."+k); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// deref follows an alias to the node it names.
func deref(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode {
		return n.Alias
	}
	return n
}

// parse returns the top-level mapping of data, or nil for a file that is
// empty, only comments or an explicit null: an empty configuration.
func parse(path string, data []byte) (*yaml.Node, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: path, Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: "), Err: err}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	if expanded(&doc, map[*yaml.Node]int{}) > maxExpanded {
		return nil, &Error{File: path, Msg: fmt.Sprintf("its aliases (*name) expand it to more than %s; write the values out instead", bounded.Size(maxExpanded))}
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, &Error{File: path, Line: root.Line, Msg: "the file must be a mapping of keys to values"}
	}
	return root, nil
}

// expanded measures n with every alias expanded in place: the bytes of
// its scalars plus one per node, stopping once the count passes
// maxExpanded. Each node is measured once (memo), so the work is linear in
// the file's size however deep the aliases nest.
func expanded(n *yaml.Node, memo map[*yaml.Node]int) int {
	if v, ok := memo[n]; ok {
		return v
	}
	memo[n] = maxExpanded + 1 // a node that contains itself is too much
	size := 1 + len(n.Value)
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		size = expanded(n.Alias, memo)
	}
	for _, c := range n.Content {
		if size += expanded(c, memo); size > maxExpanded {
			break
		}
	}
	memo[n] = min(size, maxExpanded+1)
	return memo[n]
}

func hasKey(m *yaml.Node, key string) bool { return valueOf(m, key) != nil }

// valueOf returns the value of key in mapping m, nil when m has no such key.
// With a duplicated key the last one wins, as when decoding.
func valueOf(m *yaml.Node, key string) *yaml.Node {
	var v *yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v = m.Content[i+1]
		}
	}
	return v
}

// lineOf finds the line of a value by a path of mapping keys and sequence
// indexes; 0 when the path does not exist.
func lineOf(n *yaml.Node, path ...any) int {
	for _, p := range path {
		if n == nil {
			return 0
		}
		switch p := p.(type) {
		case string:
			n = valueOf(n, p)
		case int:
			if n.Kind != yaml.SequenceNode || p >= len(n.Content) {
				return 0
			}
			n = n.Content[p]
		}
	}
	if n == nil {
		return 0
	}
	return n.Line
}

// decodeStrict checks every key and the shape of every value against v's
// yaml tags before decoding, so an error can name the key and its line in
// words a person understands (yaml's KnownFields message names Go types).
func decodeStrict(path string, root *yaml.Node, v any) error {
	if root == nil {
		return nil
	}
	if err := checkNode(path, root, reflect.TypeOf(v).Elem(), ""); err != nil {
		return err
	}
	if err := root.Decode(v); err != nil {
		return &Error{File: path, Msg: strings.TrimPrefix(err.Error(), "yaml: "), Err: err}
	}
	return nil
}

func checkNode(path string, n *yaml.Node, t reflect.Type, key string) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil // key: (empty) leaves the default
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return &Error{File: path, Line: n.Line, Key: key, Msg: "must be a mapping of keys to values, like " + example(t)}
		}
		fields := map[string]reflect.Type{}
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name != "" && name != "-" {
				fields[name] = f.Type
			}
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			sub := k.Value
			if key != "" {
				sub = key + "." + k.Value
			}
			ft, ok := fields[k.Value]
			if !ok {
				return &Error{File: path, Line: k.Line, Key: sub,
					Msg: "unknown key; the keys allowed here are " + strings.Join(slices.Sorted(maps.Keys(fields)), ", ")}
			}
			if seen[k.Value] {
				return &Error{File: path, Line: k.Line, Key: sub, Msg: "key appears twice; keep one"}
			}
			seen[k.Value] = true
			if err := checkNode(path, val, ft, sub); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return &Error{File: path, Line: n.Line, Key: key, Msg: "must be a list, like [a, b]"}
		}
		for i, el := range n.Content {
			if err := checkNode(path, el, t.Elem(), fmt.Sprintf("%s[%d]", key, i)); err != nil {
				return err
			}
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return &Error{File: path, Line: n.Line, Key: key, Msg: "must be a single value (quote it if it contains : or #)"}
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			return &Error{File: path, Line: n.Line, Key: key, Msg: "must be true or false"}
		}
	}
	return nil
}

// example shows the first key of struct type t, for an error saying a
// mapping is expected.
func example(t reflect.Type) string {
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); name != "" && name != "-" {
			return "{" + name + ": ...}"
		}
	}
	return "{key: value}"
}

// check validates values after decoding; root supplies the line numbers.
func (c *Config) check(root *yaml.Node) error {
	// The CLI spells it --reason not-planned; accept that here too.
	if c.Reason == "not-planned" || c.Reason == "not_planned" {
		c.Reason = "not planned"
	}
	enums := []struct {
		key, val string
		allowed  []string
	}{
		{"reason", c.Reason, Reasons},
		{"kind", c.Kind, Kinds},
		{"state", c.State, States},
		{"format", c.Format, Formats},
		{"sort", c.Sort, Sorts},
		{"mentions", c.Mentions, Mentions},
	}
	for _, e := range enums {
		if !slices.Contains(e.allowed, e.val) {
			return &Error{File: c.File, Line: lineOf(root, e.key), Key: e.key,
				Msg: fmt.Sprintf("%q is not allowed; use one of %s", e.val, quoteList(e.allowed[1:]))}
		}
	}
	for i, r := range c.Repos {
		if !filters.ValidRepo(r) {
			return &Error{File: c.File, Line: lineOf(root, "repos", i), Key: fmt.Sprintf("repos[%d]", i),
				Msg: fmt.Sprintf("%q is not a repository; write OWNER/NAME", r)}
		}
	}
	for i, s := range c.Sections {
		if strings.TrimSpace(s.Title) == "" {
			return &Error{File: c.File, Line: lineOf(root, "sections", i), Key: fmt.Sprintf("sections[%d].title", i), Msg: "every section needs a title"}
		}
	}
	if c.Announcement.Sentence != "" && !strings.Contains(c.Announcement.Sentence, "{link}") {
		return &Error{File: c.File, Line: lineOf(root, "announcement", "sentence"), Key: "announcement.sentence",
			Msg: "must contain the placeholder {link} where the link goes"}
	}
	return nil
}

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, v := range list {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

// ApplyTo fills in the query values the command line did not give. values
// maps a filters.Flag name (repo, org, label, exclude-label, reason, kind,
// state) to its values as filters.ParseFlags reads them; a name already in
// values was given on the command line and is left alone, so a flag always
// wins over the file, and the file over filters' defaults.
func (c *Config) ApplyTo(values map[string][]string) {
	set := func(name string, src ...string) {
		src = slices.DeleteFunc(slices.Clone(src), func(s string) bool { return s == "" })
		if _, given := values[name]; !given && len(src) > 0 {
			values[name] = src
		}
	}
	set("repo", c.Repos...)
	set("org", c.Orgs...)
	set("label", c.Labels...)
	set("exclude-label", c.ExcludeLabels...)
	set("reason", c.Reason)
	set("kind", c.Kind)
	set("state", c.State)
}
