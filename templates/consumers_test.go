package templates

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/internal/mdconsumers"
)

// consumerRegressions are titles that GitHub's or Jekyll's parser once
// turned into something else: links despite U+200B after "://", emphasis
// inside a URL, and backslashes kramdown shows instead of decoding.
var consumerRegressions = []string{
	"http://bare.example/path",
	"<https://x.example>",
	"[click me](https://evil.example/)",
	"http://evil.example/*star*",
	"&amp;",
	"{% raw %}",
	"mail a@b.co and x_a@b.co",
	"see www.evil.example/x and WWW.EVIL.EXAMPLE",
	"{{ site.url }} {%- x -%} {# c #}",
	"Translate installer to עברית",
	`"quoted" -- dashes --- ... << >> it's`,
}

// consumerCorpus is every hostile title the project has, the fuzz seeds
// and the fuzzer's corpus under testdata/fuzz, the regressions and a generated corpus of the fragments consumers react
// to, in random combinations (fixed seed, so failures reproduce).
func consumerCorpus(t *testing.T) []string {
	titles := append(append(append(append([]string{}, hostileTitles...), ghemu.HostileTitles()...), fuzzSeeds...), consumerRegressions...)
	titles = append(titles, fuzzCorpus(t)...)
	fragments := []string{
		"http://", "https://x.example/", "ftp://", "mailto:", "www.", "WWW.", ".", "@", "a@b.co", "@user", "#1", "GH-2", "o/r#3",
		"&amp;", "&#38;", "&#x3C;", "&", ";", "{%", "{{", "{#", "{:", "%}", "}}", "<", ">", "<b>", "</p>", "<!--", "<<", ">>",
		"*", "**", "_", "__", "`", "~", "~~", "|", "$", "$$", "\\", "[", "]", "[^1]", "(", ")", "!", "![", ":", "-", "--", "---",
		"...", "+", "=", "1.", "2)", "#", "##", "'", "\"", "^", "x", "word", "snake_case", " ", " ", "עברית", "日本", "\u200b",
		"\t", "\n", "- ", "> ", "* ", "[ ] ",
	}
	r := rand.New(rand.NewPCG(10, 1))
	for range 2000 {
		var b strings.Builder
		for range 1 + r.IntN(7) {
			b.WriteString(fragments[r.IntN(len(fragments))])
		}
		titles = append(titles, b.String())
	}
	return titles
}

// TestTitlesInConsumers is the Markdown property in GitHub's cmark-gfm and
// Jekyll's kramdown: the document relnotes writes for an issue holds one
// list item whose text is exactly Text(title) followed by the one link to
// the issue; no element, link, autolink or reference definition appears.
// kramdown's typography (smart quotes, dashes, guillemets, ellipsis) is
// undone on both sides; a backslash or entity left visible fails. Mentions
// and references GitHub links after parsing are checked on Text itself
// (checkText): only U+200B stops those.
func TestTitlesInConsumers(t *testing.T) {
	consumers := mdconsumers.All(t)
	titles := consumerCorpus(t)
	for _, m := range MentionModes {
		docs := make([]string, len(titles))
		for i, title := range titles {
			docs[i] = render(t, oneIssue(title), Options{Mentions: m})
			checkText(t, title, m, Text(title, m))
			if liquid := liquidTag(docs[i]); liquid != "" {
				t.Errorf("mentions %s, title %q: the Markdown holds %q, which a Jekyll site's Liquid would run:\n%s", m, title, liquid, docs[i])
			}
		}
		for _, c := range consumers {
			out := c.Render(t, docs)
			failed := 0
			for i, title := range titles {
				if err := checkItemHTML(out[i], Text(title, m)); err != nil {
					t.Errorf("%s, mentions %s, title %q: %v\nmarkdown:\n%s\nhtml:\n%s", c.Name, m, title, err, docs[i], out[i])
					if failed++; failed == 10 {
						t.Fatalf("%s: stopping after 10 failures", c.Name)
					}
				}
			}
		}
	}
}

// liquidTag returns the first "{{", "{%" or "{#" in md: Jekyll runs Liquid
// over a post before kramdown sees it.
func liquidTag(md string) string {
	for _, tag := range []string{"{{", "{%", "{#"} {
		if strings.Contains(md, tag) {
			return tag
		}
	}
	return ""
}

// checkItemHTML checks a consumer's HTML of a one-issue document: a
// paragraph, a list of one item and a paragraph; the item is text equal to
// want followed by " (", a link to fuzzURL reading "#1", and ")".
func checkItemHTML(page, want string) error {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return err
	}
	var body *html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		if n.DataAtom == atom.Body {
			body = n
		}
		for c := n.FirstChild; c != nil && body == nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	var blocks []*html.Node
	for c := body.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode && strings.TrimSpace(c.Data) == "" {
			continue
		}
		blocks = append(blocks, c)
	}
	if len(blocks) != 3 || blocks[0].DataAtom != atom.P || blocks[1].DataAtom != atom.Ul || blocks[2].DataAtom != atom.P {
		return fmt.Errorf("the document is not a paragraph, a list and a paragraph")
	}
	var items []*html.Node
	for c := blocks[1].FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			items = append(items, c)
		}
	}
	if len(items) != 1 || items[0].DataAtom != atom.Li {
		return fmt.Errorf("the list holds %d elements, want one <li>", len(items))
	}
	var before, after strings.Builder
	links := 0
	for c := items[0].FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && links == 0:
			before.WriteString(c.Data)
		case c.Type == html.TextNode:
			after.WriteString(c.Data)
		case c.DataAtom == atom.A && links == 0:
			links++
			if len(c.Attr) != 1 || c.Attr[0].Key != "href" || c.Attr[0].Val != fuzzURL {
				return fmt.Errorf("the item's first link has attributes %v: the title introduced a link, or the issue link changed", c.Attr)
			}
			if c.FirstChild == nil || c.FirstChild != c.LastChild || c.FirstChild.Type != html.TextNode || c.FirstChild.Data != "#1" {
				return fmt.Errorf("the issue link does not read #1")
			}
		default:
			return fmt.Errorf("the item holds an element <%s> the title introduced", c.Data)
		}
	}
	wantBefore := want + " ("
	if want == "" {
		wantBefore = "("
	}
	got := mdconsumers.Untypeset(before.String())
	if links != 1 || got != mdconsumers.Untypeset(wantBefore) || after.String() != ")" {
		return fmt.Errorf("the item reads %q, link, %q; want %q, link, %q", got, after.String(), wantBefore, ")")
	}
	return nil
}

// fuzzCorpus reads the titles of FuzzTitle's corpus files: the first
// string(...) line of each file in Go's fuzz corpus format.
func fuzzCorpus(t *testing.T) []string {
	files, err := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzTitle", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if q, ok := strings.CutPrefix(line, "string("); ok {
				title, err := strconv.Unquote(strings.TrimSuffix(q, ")"))
				if err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				titles = append(titles, title)
				break
			}
		}
	}
	return titles
}

// TestAnnouncementLinkInConsumers renders the announcement of one and of
// several repositories, with labels that need every kind of escaping, and
// checks that the link in goldmark's, cmark-gfm's and kramdown's HTML is
// byte for byte the search link filters.Query.URL builds (what relnotes
// link prints).
func TestAnnouncementLinkInConsumers(t *testing.T) {
	consumers := mdconsumers.All(t)
	labels := [][]string{{"T: bug", "a+b"}, {"R&D <x>"}, {"needs (triage)"}, {"&amp;", "x;y"}}
	var urls, docs []string
	for _, repos := range [][]string{{"o/r"}, {"o/r", "o/s_t"}} {
		for _, enc := range []filters.Encoding{filters.EncodingPlus, filters.EncodingPercent} {
			q := filters.Query{Kind: filters.KindIssue, State: filters.StateClosed, Labels: labels,
				ExcludeLabels: []string{"R: won't fix"}, Repos: repos}
			u := q.URL("https://github.com", enc)
			cl := &changelog.Changelog{URL: u, Repositories: repos}
			urls = append(urls, u)
			docs = append(docs, render(t, cl, Options{Format: FormatAnnouncement}))
		}
	}
	// A link from elsewhere (a JSON export) whose "&" would start entities.
	odd := "https://github.com/search?q=a&lt;b&amp&#1;&type=issues"
	urls = append(urls, odd)
	docs = append(docs, render(t, &changelog.Changelog{URL: odd}, Options{Format: FormatAnnouncement}))
	goldmarkHTML := make([]string, len(docs))
	for i, d := range docs {
		var b bytes.Buffer
		if err := newMarkdown().Convert([]byte(d), &b); err != nil {
			t.Fatal(err)
		}
		goldmarkHTML[i] = b.String()
	}
	check := func(name string, out []string) {
		for i, page := range out {
			if got := hrefs(t, page); !cmp.Equal(got, []string{urls[i]}) {
				t.Errorf("%s: the announcement\n%s\nlinks to %q, want %q", name, docs[i], got, urls[i])
			}
		}
	}
	check("goldmark", goldmarkHTML)
	for _, c := range consumers {
		check(c.Name, c.Render(t, docs))
	}
}

// hrefs returns the href of every <a> in page, as a browser reads it.
func hrefs(t *testing.T, page string) []string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.DataAtom == atom.A {
			for _, a := range n.Attr {
				if a.Key == "href" {
					out = append(out, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// TestContextsInConsumers is checkContexts in cmark-gfm and kramdown: in
// each of mdContexts, the escaped text renders as the placeholder document
// does with Text(s, m) in the placeholder's place, compared as elements and
// decoded text (kramdown's typography undone).
func TestContextsInConsumers(t *testing.T) {
	consumers := mdconsumers.All(t)
	titles := append(append(append(append([]string{}, hostileTitles...), ghemu.HostileTitles()...), fuzzSeeds...), consumerRegressions...)
	var docs, wants []string
	var names []string
	for _, c := range mdContexts {
		docs = append(docs, c.src)
	}
	refs := len(docs)
	for _, m := range MentionModes {
		for _, s := range titles {
			want := Text(s, m)
			if want == "" {
				continue
			}
			for i, c := range mdContexts {
				var md string
				if c.edge {
					md = Markdown(s, m)
				} else {
					var b strings.Builder
					writeMarkdown(&b, s, m)
					md = b.String()
				}
				docs = append(docs, strings.ReplaceAll(c.src, "PLACEHOLDER", md))
				wants = append(wants, strconv.Itoa(i)+"\x00"+want)
				names = append(names, fmt.Sprintf("mentions %s, %s, text %q", m, c.name, s))
			}
		}
	}
	for _, c := range consumers {
		out := c.Render(t, docs)
		failed := 0
		for k, got := range out[refs:] {
			ctx, want, _ := strings.Cut(wants[k], "\x00")
			i, _ := strconv.Atoi(ctx)
			escaped := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(want)
			w := canonicalHTML(strings.ReplaceAll(out[i], "PLACEHOLDER", escaped))
			if g := canonicalHTML(got); g != w {
				t.Errorf("%s, %s renders\n%s\nwant\n%s\nmarkdown:\n%s", c.Name, names[k], g, w, docs[refs+k])
				if failed++; failed == 10 {
					t.Fatalf("%s: stopping after 10 failures", c.Name)
				}
			}
		}
	}
}

// canonicalHTML writes page as one line per tag (with its attributes) and
// per run of decoded text, whitespace collapsed and kramdown's typography
// undone and heading ids dropped, so two renderings compare equal when they hold the same
// elements and the same text.
func canonicalHTML(page string) string {
	z := html.NewTokenizer(strings.NewReader(page))
	var b, text strings.Builder
	flush := func() {
		if s := strings.Join(strings.Fields(text.String()), " "); s != "" {
			fmt.Fprintf(&b, "text %q\n", mdconsumers.Untypeset(s))
		}
		text.Reset()
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			flush()
			return b.String()
		case html.TextToken:
			text.WriteString(string(z.Text()))
		default:
			flush()
			tok := z.Token()
			// kramdown gives headings an id made from their text.
			tok.Attr = slices.DeleteFunc(tok.Attr, func(a html.Attribute) bool { return a.Key == "id" })
			b.WriteString(tok.String() + "\n")
		}
	}
}
