package templates

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/internal/english"
)

// Output formats.
const (
	FormatAnnouncement = "announcement" // the announcement paragraph only
	FormatMarkdown     = "markdown"     // the default
	FormatHTML         = "html"         // the same notes as HTML, each title, label and author in <bdi>
	FormatJSON         = "json"         // the changelog plus its sections
	FormatTemplate     = "template"     // a user's text/template (Options.Template)
)

// Formats, Sorts and MentionModes list the values Options accepts.
var (
	Formats      = []string{FormatAnnouncement, FormatMarkdown, FormatHTML, FormatJSON, FormatTemplate}
	Sorts        = []string{SortClosed, SortNumber, SortTitle}
	MentionModes = []Mentions{MentionsEscape, MentionsKeep}
)

// Defaults of the announcement sentence.
const (
	DefaultSentence = "For more information about the changes included in this version, see the {link}."
	DefaultLinkText = "full list of issues completed since the previous stable release"
	DefaultTitle    = "Release notes"
)

// Announcement configures the sentence that carries the link.
type Announcement struct {
	// Sentence is trusted Markdown written by the maintainer. "{link}" is
	// replaced by the link and "{count}" by the issue count ("42 issues").
	// "" means DefaultSentence.
	Sentence string
	// LinkText is plain text for the link; "" means DefaultLinkText.
	LinkText string
	// Count adds the number of issues the link lists: at {count}, or, when
	// the sentence has no {count}, in parentheses after the link.
	Count bool
}

// Options choose what Render writes. The zero Options renders Markdown with
// no sections, sorted by closed time, with mentions neutralised.
type Options struct {
	Format     string // one of Formats; "" means markdown, or template when Template is set
	Standalone bool   // html only: a complete HTML5 page instead of a fragment
	Title      string // heading and <title> of the standalone page; "" means DefaultTitle and the repositories
	Sort       string // one of Sorts; "" means closed
	Mentions   Mentions

	Sections []Section
	CatchAll string  // title of the section for unmatched issues; "" means DefaultCatchAll
	Exclude  Exclude // issues rendered nowhere
	// LeaveOutUnmatched: issues no section takes are left out instead of
	// going to a catch-all, as GitHub does for .github/release.yml (see
	// LeftOut).
	LeaveOutUnmatched bool

	Announcement Announcement
	ShowLabels   bool // list labels after each issue
	ShowAuthors  bool // name the author of each issue

	Template *Template // a parsed user template (ParseTemplateFile)
}

// Validate reports the first option that Render would reject, so a command
// can refuse bad flags before it fetches anything.
func (o Options) Validate() error {
	if o.Format != "" && !slices.Contains(Formats, o.Format) {
		// "template" is left out of the hint: it is chosen by giving a
		// template file, not by name.
		named := slices.DeleteFunc(slices.Clone(Formats), func(f string) bool { return f == FormatTemplate })
		return fmt.Errorf("unknown format %q; use one of %s", o.Format, strings.Join(named, ", "))
	}
	if o.Template == nil && o.Format == FormatTemplate {
		return fmt.Errorf("format template needs a template file")
	}
	if o.Template != nil && o.Format != "" && o.Format != FormatTemplate {
		return fmt.Errorf("a template file and format %q are mutually exclusive; drop one", o.Format)
	}
	if o.Standalone && o.Format != FormatHTML {
		return fmt.Errorf("standalone applies only to the html format")
	}
	if o.Sort != "" && !slices.Contains(Sorts, o.Sort) {
		return fmt.Errorf("unknown sort order %q; use one of %s", o.Sort, strings.Join(Sorts, ", "))
	}
	if o.Mentions != "" && !slices.Contains(MentionModes, o.Mentions) {
		return fmt.Errorf("unknown mentions mode %q; use escape or keep", o.Mentions)
	}
	if s := o.Announcement.Sentence; s != "" && !strings.Contains(s, "{link}") {
		return fmt.Errorf("the announcement sentence %q has no {link} placeholder; add one where the link goes", s)
	}
	return nil
}

// Render writes cl in the format opt selects. It checks opt first (see
// Validate) and writes nothing when they are invalid. Titles, labels,
// milestones and logins are treated as untrusted text: see Text and
// Markdown. Render never reads the clock; dates come from cl.
func Render(w io.Writer, cl *changelog.Changelog, opt Options) error {
	if err := opt.Validate(); err != nil {
		return err
	}
	if cl == nil {
		return fmt.Errorf("render: no changelog to render")
	}
	format := opt.Format
	if format == "" {
		format = FormatMarkdown
		if opt.Template != nil {
			format = FormatTemplate
		}
	}
	switch format {
	case FormatAnnouncement:
		var b strings.Builder
		writeAnnouncement(&b, cl, opt)
		b.WriteByte('\n')
		_, err := io.WriteString(w, b.String())
		return err
	case FormatMarkdown:
		return renderMarkdown(w, cl, opt)
	case FormatHTML:
		return renderHTML(w, cl, opt)
	case FormatJSON:
		return renderJSON(w, cl, opt)
	default:
		return opt.Template.execute(w, cl, opt)
	}
}

// chunk is how much rendered text is held before it goes to the writer:
// a document of any size is written in pieces of about this size.
const chunk = 64 << 10

// flushAt writes b to w and empties it once it holds a chunk.
func flushAt(w io.Writer, b *strings.Builder) error {
	if b.Len() < chunk {
		return nil
	}
	_, err := io.WriteString(w, b.String())
	b.Reset()
	b.Grow(chunk + 4<<10)
	return err
}

// renderMarkdown writes the default Markdown document.
func renderMarkdown(w io.Writer, cl *changelog.Changelog, opt Options) error {
	groups := groupIndexes(cl, opt)
	multi := isMulti(cl)
	base := trackerBase(cl.URL)
	var b strings.Builder
	b.Grow(chunk + 4<<10)
	writeAnnouncement(&b, cl, opt)
	b.WriteString("\n")
	n := 0
	for _, g := range groups {
		b.WriteByte('\n')
		if g.Title != "" {
			b.WriteString("### ")
			writeMarkdown(&b, g.Title, opt.Mentions)
			b.WriteString("\n\n")
		}
		for _, i := range g.Issues {
			b.WriteString("- ")
			writeItem(&b, cl.Issues[i], opt, multi, base)
			b.WriteByte('\n')
			if err := flushAt(w, &b); err != nil {
				return err
			}
		}
		n += len(g.Issues)
	}
	b.WriteString("\nTotal: ")
	b.WriteString(english.Plural(n, "issue"))
	b.WriteString(".\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeItem writes one issue's Markdown line without the list marker:
// Title ([#123](URL)) [labels] by @author.
func writeItem(b *strings.Builder, is changelog.Issue, opt Options, multi bool, base *url.URL) {
	writeLine(b, is, opt, multi, base, false)
}

// writeLine writes one issue's line as Markdown or, when asHTML, as HTML
// where the title, each label and the author are isolated in <bdi>: a
// title ending in right-to-left text would otherwise pull the reference
// after it into its run ("... to (#42) עברית").
func writeLine(b *strings.Builder, is changelog.Issue, opt Options, multi bool, base *url.URL, asHTML bool) {
	// untrusted writes t, a normalised title, label or login.
	untrusted := func(t string) {
		if asHTML {
			b.WriteString("<bdi>")
			writeHTMLText(b, t)
			b.WriteString("</bdi>")
		} else {
			writeMarkdownText(b, t, false)
		}
	}
	if t := Text(is.Title, opt.Mentions); t != "" {
		untrusted(t)
		b.WriteByte(' ')
	}
	b.WriteByte('(')
	link := issueURL(base, is)
	switch {
	case asHTML && link != "":
		b.WriteString(`<a href="`)
		writeURL(b, link, true)
		b.WriteString(`">`)
		writeHTMLText(b, ref(is, multi))
		b.WriteString("</a>")
	case asHTML:
		writeHTMLText(b, ref(is, multi))
	case link != "":
		b.WriteByte('[')
		writeRef(b, is, multi)
		b.WriteString("](")
		writeURL(b, link, false)
		b.WriteByte(')')
	default:
		writeRef(b, is, multi)
	}
	b.WriteByte(')')
	if opt.ShowLabels && len(is.Labels) > 0 {
		open, close := ` \[`, `\]`
		if asHTML {
			open, close = " [", "]"
		}
		b.WriteString(open)
		for i, l := range is.Labels {
			if i > 0 {
				b.WriteString(", ")
			}
			untrusted(Text(l, opt.Mentions))
		}
		b.WriteString(close)
	}
	if opt.ShowAuthors && is.Author != "" {
		b.WriteString(" by ")
		untrusted(Text("@"+is.Author, opt.Mentions))
	}
}

func writeAnnouncement(b *strings.Builder, cl *changelog.Changelog, opt Options) {
	a := opt.Announcement
	sentence := a.Sentence
	if sentence == "" {
		sentence = DefaultSentence
	}
	text := a.LinkText
	if text == "" {
		text = DefaultLinkText
	}
	var link strings.Builder
	if u := safeURL(cl.URL); u != nil {
		link.WriteByte('[')
		writeMarkdown(&link, text, MentionsKeep)
		link.WriteString("](")
		writeURL(&link, u.String(), false)
		link.WriteByte(')')
	} else {
		writeMarkdown(&link, text, MentionsKeep)
	}
	n := english.Plural(len(cl.Issues), "issue")
	if a.Count && !strings.Contains(sentence, "{count}") {
		link.WriteString(" (" + n + ")")
	}
	b.WriteString(strings.NewReplacer("{link}", link.String(), "{count}", n).Replace(sentence))
}

// ref is the issue's reference: "#123", or "OWNER/NAME#123" when multi.
func ref(is changelog.Issue, multi bool) string {
	n := "#" + strconv.Itoa(is.Number)
	if multi {
		return is.Repository + n
	}
	return n
}

// writeRef writes ref as Markdown. A well-formed OWNER/NAME needs only its
// underscores escaped (they could open emphasis); "/", "#", "-" and "." are
// inert in the middle of a line, and keeping them bare keeps the source
// readable. Anything else is fully escaped.
func writeRef(b *strings.Builder, is changelog.Issue, multi bool) {
	if multi {
		if !filters.ValidRepo(is.Repository) {
			writeMarkdown(b, ref(is, multi), MentionsKeep)
			return
		}
		for i := 0; i < len(is.Repository); i++ {
			if is.Repository[i] == '_' {
				b.WriteByte('\\')
			}
			b.WriteByte(is.Repository[i])
		}
	}
	b.WriteByte('#')
	b.WriteString(strconv.Itoa(is.Number))
}

// isMulti reports whether references must name the repository.
func isMulti(cl *changelog.Changelog) bool {
	if len(cl.Repositories) > 1 {
		return true
	}
	for _, is := range cl.Issues {
		if is.Repository != cl.Issues[0].Repository {
			return true
		}
	}
	return false
}

// safeURL accepts only absolute http(s) URLs without credentials: the only
// links relnotes emits point at the issue tracker.
func safeURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return nil
	}
	return u
}

// trackerBase is the server of the changelog's link, against which issue
// links are checked; nil when the changelog has no usable link.
func trackerBase(s string) *url.URL {
	u := safeURL(s)
	if u == nil {
		return nil
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}
}

// issueURL returns the issue's link if it points at the tracker; otherwise
// it rebuilds one from the tracker's server, or "" when it cannot.
func issueURL(base *url.URL, is changelog.Issue) string {
	// The common case, a link under the tracker's own origin, needs no
	// parsing: the prefix fixes scheme and host and leaves no room for
	// credentials.
	if base != nil && len(is.URL) > len(base.Scheme)+len(base.Host)+4 &&
		is.URL[:len(base.Scheme)] == base.Scheme && is.URL[len(base.Scheme):len(base.Scheme)+3] == "://" &&
		strings.EqualFold(is.URL[len(base.Scheme)+3:len(base.Scheme)+3+len(base.Host)], base.Host) &&
		is.URL[len(base.Scheme)+3+len(base.Host)] == '/' {
		return is.URL
	}
	if u := safeURL(is.URL); u != nil && (base == nil || strings.EqualFold(u.Host, base.Host)) {
		return u.String()
	}
	if base == nil || !filters.ValidRepo(is.Repository) || is.Number <= 0 {
		return ""
	}
	return base.String() + "/" + is.Repository + "/issues/" + strconv.Itoa(is.Number)
}

// newMarkdown is the one goldmark configuration relnotes uses: GitHub
// Flavored Markdown with goldmark's safe defaults (raw HTML omitted,
// dangerous URLs emptied). Never add html.WithUnsafe: titles are untrusted.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(extension.GFM))
}

// renderHTML writes the notes as HTML. The announcement is the
// maintainer's Markdown, converted by goldmark; the issue lines are written
// directly, so that each title, label and author can be isolated in <bdi>
// (see writeLine), which Markdown cannot express.
func renderHTML(w io.Writer, cl *changelog.Changelog, opt Options) error {
	groups := groupIndexes(cl, opt)
	multi := isMulti(cl)
	base := trackerBase(cl.URL)
	var b strings.Builder
	b.Grow(chunk + 4<<10)
	if opt.Standalone {
		writePageHead(&b, cl, opt)
	}
	var announcement strings.Builder
	writeAnnouncement(&announcement, cl, opt)
	var buf bytes.Buffer
	if err := newMarkdown().Convert([]byte(announcement.String()), &buf); err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	b.Write(buf.Bytes())
	n := 0
	for _, g := range groups {
		if g.Title != "" {
			b.WriteString("<h3>")
			writeHTMLText(&b, Text(g.Title, opt.Mentions))
			b.WriteString("</h3>\n")
		}
		b.WriteString("<ul>\n")
		for _, i := range g.Issues {
			b.WriteString("<li>")
			writeLine(&b, cl.Issues[i], opt, multi, base, true)
			b.WriteString("</li>\n")
			if err := flushAt(w, &b); err != nil {
				return err
			}
		}
		b.WriteString("</ul>\n")
		n += len(g.Issues)
	}
	b.WriteString("<p>Total: " + english.Plural(n, "issue") + ".</p>\n")
	if opt.Standalone {
		b.WriteString("</main>\n</body>\n</html>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeHTMLText writes text as HTML character data, escaping what
// goldmark escapes.
func writeHTMLText(b *strings.Builder, t string) {
	start := 0
	for i := 0; i < len(t); i++ {
		var esc string
		switch t[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&quot;"
		default:
			continue
		}
		b.WriteString(t[start:i])
		b.WriteString(esc)
		start = i + 1
	}
	b.WriteString(t[start:])
}

// jsonSection is one section in the JSON output: its title and the
// references (OWNER/NAME#NUMBER) of its issues, in display order.
type jsonSection struct {
	Title  string   `json:"title"`
	Issues []string `json:"issues"`
}

// renderJSON writes the JSON document as json.Encoder with two-space
// indentation would, but one issue at a time: the document is never whole
// in memory, neither encoded nor re-indented.
func renderJSON(w io.Writer, cl *changelog.Changelog, opt Options) error {
	jw := newJSONWriter(w)
	jw.object("", func() { jw.doc(newJSONDoc(cl, opt), "  ") })
	jw.raw("\n")
	return jw.flush()
}

// jsonDoc is the JSON output: the changelog plus its sections.
type jsonDoc struct {
	*changelog.Changelog
	Sections []jsonSection `json:"sections"`
	// LeftOut counts the issues no section takes under GitHub's
	// release.yml rule (see LeftOut); they appear in issues but in no
	// section.
	LeftOut int `json:"left_out"`
}

func newJSONDoc(cl *changelog.Changelog, opt Options) jsonDoc {
	groups := groupIndexes(cl, opt)
	sections := make([]jsonSection, 0, len(groups))
	for _, g := range groups {
		s := jsonSection{Title: g.Title, Issues: make([]string, len(g.Issues))}
		for k, i := range g.Issues {
			s.Issues[k] = ref(cl.Issues[i], true)
		}
		sections = append(sections, s)
	}
	return jsonDoc{cl, sections, LeftOut(cl, opt)}
}
