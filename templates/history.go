package templates

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/relnotes/relnotes/changelog"
)

// HistorySection is one release's section of a whole history (a CHANGELOG):
// its heading and the changelog of its window.
type HistorySection struct {
	Title     string    // the heading, plain text: "v1.2.0 (2024-04-01)", "Unreleased"
	Tag       string    // "" for the Unreleased section
	Kind      string    // main-line, prerelease, hotfix or unreleased
	Published time.Time // the release's time; zero for Unreleased
	Previous  string    // the tag its window starts after; "" when none
	// Changelog holds the section's issues; nil when the window is empty.
	Changelog *changelog.Changelog
	// EmptyWindow is the sentence said in place of the link when the
	// window is empty (two releases in the same second or day).
	EmptyWindow string
}

// RenderSection writes s as Markdown: a level-2 heading, then what Render
// writes for its changelog in the markdown format (the link, the groups
// under level-3 headings, the total), or the EmptyWindow sentence.
func RenderSection(w io.Writer, s HistorySection, opt Options) error {
	opt.Format, opt.Standalone, opt.Template = FormatMarkdown, false, nil
	if err := opt.Validate(); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("## ")
	writeMarkdown(&b, Text(s.Title, MentionsKeep), MentionsKeep)
	b.WriteString("\n\n")
	if s.Changelog == nil {
		writeMarkdown(&b, Text(s.EmptyWindow, MentionsKeep), MentionsKeep)
		b.WriteString("\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	return Render(w, s.Changelog, opt)
}

// RenderHistory writes secs, newest first, as HTML (opt.Standalone: a page
// with a table of contents) or JSON (an array with one object per section:
// tag, kind, title, published_at, previous and, for an empty window,
// empty_window, followed by the fields of the json format for its
// changelog). Markdown CHANGELOG files are built from RenderSection, section
// by section, so that each can sit between markers.
func RenderHistory(w io.Writer, secs []HistorySection, opt Options) error {
	if err := opt.Validate(); err != nil {
		return err
	}
	switch opt.Format {
	case FormatHTML:
		return renderHistoryHTML(w, secs, opt)
	case FormatJSON:
		return renderHistoryJSON(w, secs, opt)
	}
	return fmt.Errorf("render history: format %q; want html or json (Markdown goes section by section)", opt.Format)
}

func renderHistoryHTML(w io.Writer, secs []HistorySection, opt Options) error {
	var b strings.Builder
	if opt.Standalone {
		writePageStart(&b, historyTitle(secs, opt), "")
		b.WriteString("<nav>\n<ul>\n")
		for _, s := range secs {
			b.WriteString(`<li><a href="#` + sectionID(s) + `">`)
			writeHTMLText(&b, Text(s.Title, MentionsKeep))
			b.WriteString("</a></li>\n")
		}
		b.WriteString("</ul>\n</nav>\n")
	}
	one := opt
	one.Standalone = false
	for _, s := range secs {
		b.WriteString(`<h2 id="` + sectionID(s) + `">`)
		writeHTMLText(&b, Text(s.Title, MentionsKeep))
		b.WriteString("</h2>\n")
		if s.Changelog == nil {
			b.WriteString("<p>")
			writeHTMLText(&b, Text(s.EmptyWindow, MentionsKeep))
			b.WriteString("</p>\n")
			continue
		}
		if err := renderHTML(&b, s.Changelog, one); err != nil {
			return err
		}
	}
	if opt.Standalone {
		b.WriteString("</main>\n</body>\n</html>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// historyTitle is the page title: opt.Title, else "Changelog" and the
// repositories.
func historyTitle(secs []HistorySection, opt Options) string {
	if t := Text(opt.Title, MentionsKeep); t != "" {
		return t
	}
	for _, s := range secs {
		if s.Changelog != nil && len(s.Changelog.Repositories) > 0 {
			return "Changelog: " + Text(strings.Join(s.Changelog.Repositories, ", "), MentionsKeep)
		}
	}
	return "Changelog"
}

// sectionID is the section's anchor: "unreleased", or "release-" and the
// tag with every byte outside [A-Za-z0-9._-] written as '-'.
func sectionID(s HistorySection) string {
	if s.Tag == "" {
		return "unreleased"
	}
	b := []byte("release-" + s.Tag)
	for i := len("release-"); i < len(b); i++ {
		c := b[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			b[i] = '-'
		}
	}
	return string(b)
}

func renderHistoryJSON(w io.Writer, secs []HistorySection, opt Options) error {
	jw := newJSONWriter(w)
	if len(secs) == 0 {
		jw.raw("[]\n")
		return jw.flush()
	}
	jw.raw("[")
	for i, s := range secs {
		if i > 0 {
			jw.raw(",")
		}
		jw.raw("\n  ")
		jw.object("  ", func() {
			const in = "    "
			jw.field("tag", s.Tag, in)
			jw.field("kind", s.Kind, in)
			jw.field("title", s.Title, in)
			var published *time.Time
			if !s.Published.IsZero() {
				t := s.Published.UTC()
				published = &t
			}
			jw.field("published_at", published, in)
			if s.Previous != "" {
				jw.field("previous", s.Previous, in)
			}
			if s.EmptyWindow != "" {
				jw.field("empty_window", s.EmptyWindow, in)
			}
			d := jsonDoc{Sections: []jsonSection{}}
			if s.Changelog != nil {
				d = newJSONDoc(s.Changelog, opt)
			}
			jw.doc(d, in)
		})
	}
	jw.raw("\n]\n")
	return jw.flush()
}
