// Package mdconsumers renders Markdown through the parsers that read
// relnotes' output elsewhere: GitHub's cmark-gfm and Jekyll's kramdown. It is
// a test helper: each call renders a whole batch of documents in one
// process, so property tests can afford thousands of documents.
package mdconsumers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// A Consumer renders Markdown documents to HTML as one real consumer does.
type Consumer struct {
	Name   string
	render func(docs []string) ([]string, error)
}

// Render returns the HTML of each document, in order, failing tb when the
// consumer cannot run.
func (c Consumer) Render(tb testing.TB, docs []string) []string {
	tb.Helper()
	if len(docs) == 0 {
		return nil
	}
	out, err := c.render(docs)
	if err != nil {
		tb.Fatalf("%s: %v", c.Name, err)
	}
	return out
}

// All returns GitHub's and Jekyll's parsers. When one is not installed the
// test is skipped, unless CI=true: CI installs them, so there a missing
// parser fails the test instead of hiding it.
func All(tb testing.TB) []Consumer {
	tb.Helper()
	return []Consumer{CmarkGFM(tb), Kramdown(tb)}
}

// CmarkGFM is GitHub's parser with the extensions GitHub enables for
// comments, issues and release bodies (Debian package cmark-gfm).
func CmarkGFM(tb testing.TB) Consumer {
	tb.Helper()
	bin, err := exec.LookPath("cmark-gfm")
	if err != nil {
		missing(tb, "cmark-gfm", "cmark-gfm")
	}
	return Consumer{Name: "cmark-gfm", render: func(docs []string) ([]string, error) {
		return cmarkBatch(bin, docs)
	}}
}

// Kramdown is Jekyll's parser with GFM input and Jekyll's default options
// (Debian package ruby-kramdown-parser-gfm).
func Kramdown(tb testing.TB) Consumer {
	tb.Helper()
	ruby, err := kramdownProbe()
	if err != nil {
		missing(tb, "kramdown (GFM parser)", "ruby-kramdown-parser-gfm")
	}
	return Consumer{Name: "kramdown", render: func(docs []string) ([]string, error) {
		return kramdownBatch(ruby, docs)
	}}
}

func missing(tb testing.TB, what, pkg string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s is not installed; CI must install it (apt-get install -y %s)", what, pkg)
	}
	tb.Skipf("%s is not installed; apt-get install -y %s to run this test", what, pkg)
}

var cmarkArgs = []string{"-e", "autolink", "-e", "strikethrough", "-e", "table", "-e", "tagfilter", "-e", "tasklist"}

// separator is a paragraph no test document contains. cmark-gfm reads the
// batch as one document, so a document that leaves a block open (a fence,
// say) would swallow the separator: then the batch falls back to one
// process per document, so each document is still judged on its own.
// Link reference definitions do cross documents in a batch; a document
// that defines one has already lost its own text, so it fails by itself.
const separator = "RELNOTESMDCONSUMERSSEPARATOR7f3a9c"

func cmarkBatch(bin string, docs []string) ([]string, error) {
	var in strings.Builder
	for i, d := range docs {
		if i > 0 {
			in.WriteString("\n\n" + separator + "\n\n")
		}
		in.WriteString(d)
	}
	out, err := run(bin, cmarkArgs, in.String())
	if err != nil {
		return nil, err
	}
	parts := strings.Split(out, "<p>"+separator+"</p>\n")
	if len(parts) == len(docs) {
		return parts, nil
	}
	parts = make([]string, len(docs))
	for i, d := range docs {
		if parts[i], err = run(bin, cmarkArgs, d); err != nil {
			return nil, err
		}
	}
	return parts, nil
}

// kramdownScript renders each document of a JSON array with the options
// Jekyll passes to kramdown by default.
const kramdownScript = `
require "json"
require "kramdown"
require "kramdown-parser-gfm"
opts = { input: "GFM", hard_wrap: false, auto_ids: true, entity_output: :as_char,
         smart_quotes: %w[lsquo rsquo ldquo rdquo], footnote_nr: 1, show_warnings: false }
docs = JSON.parse(STDIN.read)
STDOUT.write(JSON.generate(docs.map { |d| Kramdown::Document.new(d, opts).to_html }))
`

var kramdownProbe = sync.OnceValues(func() (string, error) {
	ruby, err := exec.LookPath("ruby")
	if err != nil {
		return "", err
	}
	if _, err := run(ruby, []string{"-e", `require "kramdown"; require "kramdown-parser-gfm"`}, ""); err != nil {
		return "", err
	}
	return ruby, nil
})

func kramdownBatch(ruby string, docs []string) ([]string, error) {
	in, err := json.Marshal(docs)
	if err != nil {
		return nil, err
	}
	out, err := run(ruby, []string{"-e", kramdownScript}, string(in))
	if err != nil {
		return nil, err
	}
	var html []string
	if err := json.Unmarshal([]byte(out), &html); err != nil {
		return nil, fmt.Errorf("reading kramdown's output: %v", err)
	}
	if len(html) != len(docs) {
		return nil, fmt.Errorf("kramdown returned %d documents for %d", len(html), len(docs))
	}
	return html, nil
}

func run(bin string, args []string, stdin string) (string, error) {
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s: %v: %s", bin, err, strconv.Quote(strings.TrimSpace(stderr.String())))
	}
	return stdout.String(), nil
}

// untypeset undoes kramdown's typography: smart quotes, dashes, ellipsis
// and guillemets (with the no-break space kramdown puts inside "<< " and
// " >>").
var untypeset = strings.NewReplacer(
	"\u00ab\u00a0", "<< ", "\u00a0\u00bb", " >>", "\u00ab", "<<", "\u00bb", ">>",
	"\u201c", `"`, "\u201d", `"`, "\u2018", "'", "\u2019", "'",
	"\u2014", "---", "\u2013", "--", "\u2026", "...",
)

// Untypeset maps the characters kramdown's typography produces back to the
// plain text it replaces. Apply it to both sides of a comparison: a title
// may hold those characters itself.
func Untypeset(s string) string { return untypeset.Replace(s) }
