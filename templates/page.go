package templates

import (
	"strings"

	"github.com/relnotes/relnotes/changelog"
)

// pageStyle is the standalone page's only styling, inline so the page
// loads nothing: a readable measure and system fonts, GitHub-like colours
// in light and dark schemes, and print rules (black on white, the search
// link's address written out, no item split across pages). Labels and the
// author do not wrap: the U+200B after "@" is a line-break opportunity.
const pageStyle = `:root{color-scheme:light dark;--fg:#1f2328;--bg:#fff;--muted:#59636e;--link:#0969da;--rule:#d1d9e0}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--link:#4493f8;--rule:#3d444d}}
html{background:var(--bg);color:var(--fg)}
body{margin:0;font:1rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif;-webkit-text-size-adjust:100%;text-size-adjust:100%}
main{box-sizing:border-box;max-width:46rem;margin:0 auto;padding:2.5rem 1.25rem 4rem;overflow-wrap:anywhere}
h1{font-size:2rem;line-height:1.25;margin:0 0 .25rem}
h1+p{color:var(--muted);margin-top:0}
h3{font-size:1.2rem;margin:2rem 0 .5rem;padding-bottom:.3rem;border-bottom:1px solid var(--rule)}
ul{padding-left:1.5rem}
li{margin:.3rem 0}
a{color:var(--link);text-underline-offset:.15em}
li>a~bdi{white-space:nowrap}
@media print{:root{--fg:#000;--bg:#fff;--muted:#333;--link:#000;color-scheme:light}
body{font-size:11pt}main{max-width:none;padding:0}
h3{break-after:avoid}li{break-inside:avoid}
main>p a[href]::after{content:" (" attr(href) ")";font-size:.85em;overflow-wrap:anywhere}}
`

// pageTitle is the standalone page's <title> and heading: opt.Title, or
// DefaultTitle with the repositories the notes cover.
func pageTitle(cl *changelog.Changelog, opt Options) string {
	if t := Text(opt.Title, MentionsKeep); t != "" {
		return t
	}
	if len(cl.Repositories) == 0 {
		return DefaultTitle
	}
	return DefaultTitle + ": " + Text(strings.Join(cl.Repositories, ", "), MentionsKeep)
}

// windowLine describes the closed window under the heading, or "".
func windowLine(w changelog.Window) string {
	since, until := Text(w.Since, MentionsKeep), Text(w.Until, MentionsKeep)
	switch {
	case since != "" && until != "":
		return "Issues closed from " + since + " to " + until + "."
	case since != "":
		return "Issues closed since " + since + "."
	case until != "":
		return "Issues closed until " + until + "."
	}
	return ""
}

// writePageHead writes a standalone page up to the start of the notes.
func writePageHead(b *strings.Builder, cl *changelog.Changelog, opt Options) {
	writePageStart(b, pageTitle(cl, opt), windowLine(cl.Window))
}

// writePageStart writes a standalone page's head, the <h1> title and, when
// not "", a line under it. title and line are plain text.
func writePageStart(b *strings.Builder, title, line string) {
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n" +
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	writeHTMLText(b, title)
	b.WriteString("</title>\n<style>\n" + pageStyle + "</style>\n</head>\n<body>\n<main>\n<h1>")
	writeHTMLText(b, title)
	b.WriteString("</h1>\n")
	if line != "" {
		b.WriteString("<p>")
		writeHTMLText(b, line)
		b.WriteString("</p>\n")
	}
}
