// Package templates renders a changelog.Changelog as the "full list of
// issues" section of a release announcement: Markdown, HTML, JSON or a
// user's own text/template.
package templates
