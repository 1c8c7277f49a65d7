package templates

import (
	"bufio"
	"bytes"
	"fmt"
	stdhtml "html"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"

	"github.com/relnotes/relnotes/changelog"
)

const fuzzURL = "https://github.com/o/r/issues/1"

func oneIssue(title string) *changelog.Changelog {
	return &changelog.Changelog{
		URL:          "https://github.com/o/r/issues?q=is%3Aissue",
		Repositories: []string{"o/r"},
		Issues:       []changelog.Issue{{Repository: "o/r", Number: 1, Title: title, URL: fuzzURL}},
	}
}

// decoded is the text goldmark holds for a Text node: its source segment
// with backslash escapes and entities resolved, exactly as its HTML renderer
// would write it, then HTML-unescaped.
func decoded(n *ast.Text, src []byte) string {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	gmhtml.DefaultWriter.Write(w, n.Value(src))
	w.Flush()
	return stdhtml.UnescapeString(buf.String())
}

// itemRuns parses md with goldmark (GFM) and returns, for the one list item
// it must contain, the text before the issue link, the link's text, the
// link's destination and the text after it. Any other node in the item, any
// second item, list or unexpected block is an error: it would be markup the
// title introduced.
func itemRuns(md string) (before, linkText, dest, after string, err error) {
	src := []byte(md)
	// The same goldmark configuration as Render.
	doc := newMarkdown().Parser().Parse(text.NewReader(src))
	var kinds []string
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		kinds = append(kinds, c.Kind().String())
	}
	if got := strings.Join(kinds, " "); got != "Paragraph List Paragraph" {
		return "", "", "", "", fmt.Errorf("document blocks are %q, want Paragraph List Paragraph", got)
	}
	list := doc.FirstChild().NextSibling()
	if list.ChildCount() != 1 || list.FirstChild().ChildCount() != 1 {
		return "", "", "", "", fmt.Errorf("the list has %d items, want 1 item with one block", list.ChildCount())
	}
	block := list.FirstChild().FirstChild()
	if block.Kind() != ast.KindTextBlock {
		return "", "", "", "", fmt.Errorf("item holds a %s, want a TextBlock", block.Kind())
	}
	var b, a strings.Builder
	seenLink := false
	for c := block.FirstChild(); c != nil; c = c.NextSibling() {
		switch n := c.(type) {
		case *ast.Text:
			if n.SoftLineBreak() || n.HardLineBreak() {
				return "", "", "", "", fmt.Errorf("item has a line break")
			}
			if seenLink {
				a.WriteString(decoded(n, src))
			} else {
				b.WriteString(decoded(n, src))
			}
		case *ast.Link:
			if seenLink {
				return "", "", "", "", fmt.Errorf("item has a second link")
			}
			seenLink = true
			dest = string(n.Destination)
			for lc := n.FirstChild(); lc != nil; lc = lc.NextSibling() {
				t, ok := lc.(*ast.Text)
				if !ok {
					return "", "", "", "", fmt.Errorf("link holds a %s", lc.Kind())
				}
				linkText += decoded(t, src)
			}
		default:
			return "", "", "", "", fmt.Errorf("item holds a %s node", c.Kind())
		}
	}
	return b.String(), linkText, dest, a.String(), nil
}

var (
	githubMention   = regexp.MustCompile(`@[\p{L}\p{N}_]`)
	githubReference = regexp.MustCompile(`(?i)(#|\bgh-)[0-9]`)
	emailAutolink   = regexp.MustCompile(`[A-Za-z0-9.+_-]@[^\x{200b}]`)
)

// checkText asserts the documented normalisation's invariants on t = Text(s, m).
func checkText(t *testing.T, s string, m Mentions, got string) {
	t.Helper()
	if !utf8.ValidString(got) {
		t.Errorf("Text(%q) = %q is not valid UTF-8", s, got)
	}
	if got != strings.TrimSpace(got) || strings.Contains(got, "  ") {
		t.Errorf("Text(%q) = %q keeps leading, trailing or double spaces", s, got)
	}
	for _, r := range got {
		if (unicode.IsControl(r) || unicode.IsSpace(r) || isBidi(r)) && r != ' ' {
			t.Errorf("Text(%q) = %q keeps %U", s, got, r)
		}
	}
	// URLs and www. names are stopped in Markdown (the consumers test);
	// e-mail addresses only an invisible character stops, in both modes.
	if loc := emailAutolink.FindStringIndex(got); loc != nil {
		t.Errorf("Text(%q) = %q keeps an e-mail autolink at %v", s, got, loc)
	}
	if m == MentionsEscape {
		if loc := githubMention.FindStringIndex(got); loc != nil {
			t.Errorf("Text(%q) = %q keeps a GitHub mention at %v", s, got, loc)
		}
		if loc := githubReference.FindStringIndex(got); loc != nil {
			t.Errorf("Text(%q) = %q keeps a GitHub reference at %v", s, got, loc)
		}
		// Only zero-width spaces are added: removing them all from both
		// sides gives the same text.
		if strings.ReplaceAll(got, "\u200b", "") != strings.ReplaceAll(Text(s, MentionsKeep), "\u200b", "") {
			t.Errorf("Text(%q, escape) = %q differs from keep mode by more than U+200B", s, got)
		}
	}
}

// checkTitle is the property: the Markdown relnotes emits for an issue,
// parsed by goldmark, holds the title as exactly one text run equal to
// Text(title), followed by the one link to the tracker; and the HTML is the
// HTML of a harmless title with that text, escaped, in its place, so the
// title introduced no element and no attribute.
func checkTitle(t *testing.T, title string, m Mentions) {
	want := Text(title, m)
	checkText(t, title, m, want)

	md := render(t, oneIssue(title), Options{Mentions: m})
	before, linkText, dest, after, err := itemRuns(md)
	if err != nil {
		t.Fatalf("title %q: %v\nmarkdown:\n%s", title, err, md)
	}
	wantBefore := want + " ("
	if want == "" {
		wantBefore = "("
	}
	if before != wantBefore || linkText != "#1" || dest != fuzzURL || after != ")" {
		t.Fatalf("title %q: item is %q [%q](%q) %q, want %q [%q](%q) %q\nmarkdown:\n%s",
			title, before, linkText, dest, after, wantBefore, "#1", fuzzURL, ")", md)
	}

	got := render(t, oneIssue(title), Options{Mentions: m, Format: FormatHTML})
	ref := render(t, oneIssue("PLACEHOLDER"), Options{Format: FormatHTML})
	escaped := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(want)
	var wantHTML string
	if want == "" {
		wantHTML = strings.Replace(ref, "<li><bdi>PLACEHOLDER</bdi> (", "<li>(", 1)
	} else {
		wantHTML = strings.Replace(ref, "<li><bdi>PLACEHOLDER</bdi> (", "<li><bdi>"+escaped+"</bdi> (", 1)
	}
	if got != wantHTML {
		t.Fatalf("title %q: HTML\n%s\nwant\n%s", title, got, wantHTML)
	}
}

// mdContexts are the places a user template or a built-in format may put
// escaped text: PLACEHOLDER stands for it. edge says whether what follows
// is unknown to the escaper (Markdown) rather than a space, "," or line end
// (writeMarkdown).
var mdContexts = []struct {
	name, src string
	edge      bool
}{
	{"paragraph", "PLACEHOLDER\n", false},
	{"second line", "intro\nPLACEHOLDER\n", false},
	{"after text", "see PLACEHOLDER, then\n", false},
	{"heading", "### PLACEHOLDER\n", false},
	{"list item", "- PLACEHOLDER\n", false},
	{"ordered item", "1. PLACEHOLDER\n", false},
	{"quote", "> PLACEHOLDER\n", false},
	{"table cell", "| a | b |\n| --- | --- |\n| PLACEHOLDER | PLACEHOLDER |\n", false},
	{"link text", "[PLACEHOLDER](https://e.example/)\n", true},
	{"before a link", "PLACEHOLDER[l](https://e.example/)\n", true},
	{"before a tag", "PLACEHOLDERb>c</b>\n", true},
	{"before an entity", "PLACEHOLDERamp; c\n", true},
}

// checkContexts is the property of Markdown outside the item format: in
// each of mdContexts, the HTML goldmark makes of the escaped text is the
// HTML of a harmless placeholder with Text(s, m), escaped, in its place.
func checkContexts(t *testing.T, s string, m Mentions) {
	want := Text(s, m)
	if want == "" {
		return
	}
	escaped := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(want)
	for _, c := range mdContexts {
		var md string
		if c.edge {
			md = Markdown(s, m)
		} else {
			var b strings.Builder
			writeMarkdown(&b, s, m)
			md = b.String()
		}
		var got, ref bytes.Buffer
		if err := newMarkdown().Convert([]byte(strings.ReplaceAll(c.src, "PLACEHOLDER", md)), &got); err != nil {
			t.Fatal(err)
		}
		if err := newMarkdown().Convert([]byte(c.src), &ref); err != nil {
			t.Fatal(err)
		}
		if w := strings.ReplaceAll(ref.String(), "PLACEHOLDER", escaped); got.String() != w {
			t.Fatalf("%s: text %q escaped as %q renders\n%s\nwant\n%s", c.name, s, md, got.String(), w)
		}
	}
}

// fuzzSeeds are the edges of the escaping rules, seeds of FuzzTitle and
// rows of the real-consumer test.
var fuzzSeeds = []string{"\\", "a\\", "*", "_a_", "[", "]", "<", "&", "&#0;", "\x00", "\u2028x\u2029",
	"www.x", "WWW.x", "a://b", "gh-1", "#1", "@a", "1)", "+ x", "= x", "\t\tcode", "x  \ny", "\xff\xfe", "~~~", "```",
	// Edges of the context-aware rules.
	"Crash!", "Fix #", "C#", "###", "# x", "a < b", "x <", "<a", "R&D", "&amp;", "&", "x &#1;",
	"snake_case_name", "a_", "_a", "a__b", "---", "- - -", "===", "+", "- x", "-x", "1) x", "2.0 broken",
	"123456789. x", "http://a.bc", "(https://a.bc)", "x_www.a.bc", "www.a.bc", "a@b.co", "x_a@b.co",
	"foo|bar", "$x$", "> q", ">q", "[ ] task", "a!", "!", `\|`, `a\|b|`, "{%x%}", "{#x#}", ": x", "x:"}

func FuzzTitle(f *testing.F) {
	for _, s := range hostileTitles {
		f.Add(s, false)
		f.Add(s, true)
	}
	for _, s := range fuzzSeeds {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, title string, keep bool) {
		m := MentionsEscape
		if keep {
			m = MentionsKeep
		}
		checkTitle(t, title, m)
		checkContexts(t, title, m)
	})
}

func TestTextTable(t *testing.T) {
	tests := []struct {
		in, escape, keep string
	}{
		{"  a \t b\r\nc  ", "a b c", "a b c"},
		{"a\u202eb\u2066c\u2069d\u200e\u200f\u061ce", "abcde", "abcde"},
		{"a\x00b\x1bc\x7fd\u0085e", "a b c d e", "a b c d e"},
		{"bad \xff utf8", "bad \ufffd utf8", "bad \ufffd utf8"},
		{"@user #12 #x gh-3 GH-x", "@\u200buser #\u200b12 #x gh-\u200b3 GH-x", "@user #12 #x gh-3 GH-x"},
		{"https://a www.b WWW.c ww.d", "https://a www.b WWW.c ww.d", "https://a www.b WWW.c ww.d"},
		{"o/r#7 a@b.c (@x) 日本@y", "o/r#\u200b7 a@\u200bb.c (@\u200bx) 日本@\u200by", "o/r#7 a@\u200bb.c (@x) 日本@y"},
		{"non\u00a0breaking\u3000ideographic", "non breaking ideographic", "non breaking ideographic"},
	}
	for _, tt := range tests {
		if got := Text(tt.in, MentionsEscape); got != tt.escape {
			t.Errorf("Text(%q, escape) = %q, want %q", tt.in, got, tt.escape)
		}
		if got := Text(tt.in, ""); got != tt.escape {
			t.Errorf("Text(%q, \"\") = %q, want the escape result %q", tt.in, got, tt.escape)
		}
		if got := Text(tt.in, MentionsKeep); got != tt.keep {
			t.Errorf("Text(%q, keep) = %q, want %q", tt.in, got, tt.keep)
		}
	}
}

func ExampleMarkdown() {
	fmt.Println(Markdown("Fix suspend/resume (regression) in sys-net on R4.1", MentionsEscape))
	fmt.Println(Markdown("Fix *bold* <b> in\n[docs](javascript:x) for @alice, #12", MentionsKeep))
	fmt.Println(Markdown("1. {{ site.url }} - a_b _c_ ~x~", MentionsEscape))
	// Output:
	// Fix suspend/resume (regression) in sys-net on R4.1
	// Fix \*bold\* \<b> in \[docs\](javascript:x) for @alice, #12
	// 1\. \{\{ site.url }} - a_b \_c\_ \~x\~
}

func ExampleText() {
	fmt.Printf("%q\n", Text("  Ping @alice\nabout #12 \u202eevil\u202c ", MentionsEscape))
	// Output:
	// "Ping @\u200balice about #\u200b12 evil"
}

// TestMarkdownTable pins the escaping of ordinary titles, which must read as
// written, and of each construct a title could otherwise start.
func TestMarkdownTable(t *testing.T) {
	tests := []struct {
		in, out string // out with MentionsEscape, from Markdown
	}{
		{"Fix tray icon (regression)", "Fix tray icon (regression)"},
		{"Crash in sys-net", "Crash in sys-net"},
		{"Cannot start update notifier in R4.1", "Cannot start update notifier in R4.1"},
		{"Fix suspend/resume", "Fix suspend/resume"},
		{"qvm-run: \"--pass-io\" ignored; use qubes_rpc_policy?", "qvm-run: \"--pass-io\" ignored; use qubes_rpc_policy?"},
		{"Tom & Jerry, R&D, a < b, 100% C# -> ok = yes", "Tom & Jerry, R&D, a < b, 100% C# -> ok = yes"},
		{"Crash!", `Crash\!`},
		{"2.0 installer", "2.0 installer"},
		{"1. x", `1\. x`},
		{"12) x", `12\) x`},
		{"# x", `\# x`},
		{"#hashtag", "#hashtag"},
		{"Fix ##", `Fix \##`},
		{"> x", `\> x`},
		{": x", `\: x`},
		{"- x", `\- x`},
		{"+", `\+`},
		{"-x", "-x"},
		{"- - -", `\- - -`},
		{"===", `\===`},
		{"= x", "= x"},
		{"*a* _b_ __c__ `d` ~e~ a_b", `\*a\* \_b\_ \_\_c\_\_ &#96;d&#96; \~e\~ a_b`},
		{"[x]: y [z]", `\[x&#93;: y \[z\]`},
		{"[x](y) ![i](j) [^1] [ ]", `\[x\](y) !\[i\](j) \[^1\] \[ \]`},
		{"<b> </p> <!-- <?x <http://a.bc>", `\<b> \</p> \<!-- \<?x \<http&#58;//a.bc>`},
		{"&amp; &#106; &#x6a; & ;", "&#38;amp; &#\u200b106; &#38;#x6a; & ;"}, // U+200B breaks &#106;
		{"a | b $x$ \\", `a \| b \$x\$ \\`},
		{"{{ x }} {% y %} {# z #} {: .c}", `\{\{ x }} \{&#37; y %} \{\# z #} \{: .c}`},
		{"x <", `x \<`},
		{"x &", `x &#38;`},
		{"mail a@b.co, www.a.bc, ftp://a.bc", "mail a@\u200bb.co, www&#46;a.bc, ftp&#58;//a.bc"},
	}
	for _, tt := range tests {
		if got := Markdown(tt.in, MentionsEscape); got != tt.out {
			t.Errorf("Markdown(%q) = %q, want %q", tt.in, got, tt.out)
		}
	}
	keep := []struct{ in, out string }{
		{"mail a@b.co, @alice, www.a.bc, WWW.A.BC, https://a.bc &#1;", "mail a@\u200bb.co, @alice, www&#46;a.bc, WWW&#46;A.BC, https&#58;//a.bc &#38;#1;"},
	}
	for _, tt := range keep {
		if got := Markdown(tt.in, MentionsKeep); got != tt.out {
			t.Errorf("Markdown(%q, keep) = %q, want %q", tt.in, got, tt.out)
		}
	}
	// The built-in formats follow a title with a space or a line end, so a
	// final "!" needs no backslash there.
	var b strings.Builder
	writeMarkdown(&b, "Crash!", MentionsEscape)
	if b.String() != "Crash!" {
		t.Errorf("writeMarkdown(%q) = %q, want it bare", "Crash!", b.String())
	}
}
