// Package templates renders a changelog.Changelog as the "full list of
// issues" section of a release announcement: Markdown, HTML, JSON or a
// user's own text/template.
//
// Every format starts from the same steps: GroupIssues drops excluded
// issues, sorts the rest and files each under the first matching Section
// (GitHub's .github/release.yml semantics); Text normalises untrusted text
// (titles, labels, logins) and Markdown escapes it so that it renders as
// exactly that text. The HTML format is the Markdown format converted by
// goldmark with its safe defaults, so there is one escaping rule to get
// right, and the tests check it from three sides: a fuzz target parses the
// Markdown back with goldmark, a test opens the HTML in headless Chromium,
// and standalone pages are validated as HTML5.
//
// Render never reads the clock or the network; WriteFileAtomic gives
// --output its all-or-nothing behaviour.
package templates
