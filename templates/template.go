package templates

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/internal/bounded"
	"github.com/relnotes/relnotes/internal/english"
)

// Data is what a user template sees as ".". Text fields of the changelog
// and of each Item are raw and untrusted: pass them through md (Markdown
// output) or text and html (HTML output) before writing them.
type Data struct {
	Changelog    *changelog.Changelog // the whole fetch result, unfiltered
	Sections     []DataSection        // grouped, excluded and sorted as in the markdown format
	Count        int                  // number of issues across Sections
	LeftOut      int                  // issues no section takes, left out (see LeftOut)
	Multi        bool                 // issues come from more than one repository
	Announcement string               // the announcement sentence, as Markdown
	GeneratedAt  time.Time            // Changelog.GeneratedAt; templates never read the clock
}

// DataSection is one section of Data. Title is "" when no sections are
// configured.
type DataSection struct {
	Title  string
	Issues []Item
}

// Item is one issue of a DataSection: every changelog.Issue field (.Title,
// .Number, .Labels, .Author, .ClosedAt ...) plus Ref and Link.
type Item struct {
	changelog.Issue
	Ref  string // "#123", or "OWNER/NAME#123" when Data.Multi
	Link string // the issue's URL on the tracker, "" when it has none that is safe
}

// Template is a user's text/template, parsed once by ParseTemplateFile.
type Template struct {
	file string
	t    *template.Template
}

// TemplateError is a problem in a user template: File and Line locate it
// (Line is 0 when unknown).
type TemplateError struct {
	File string
	Line int
	Msg  string
	Err  error
}

// Error formats the problem as "template FILE:LINE: MSG", without the line
// when it is unknown.
func (e *TemplateError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("template %s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("template %s: %s", e.File, e.Msg)
}

// Unwrap returns the I/O or text/template error behind the problem.
func (e *TemplateError) Unwrap() error { return e.Err }

// funcs returns the helper functions of user templates. The same names are
// bound at parse time (so unknown functions fail early; the zero arguments
// are never used) and rebound per render with the options in force and the
// tracker base that checks item's links.
func funcs(opt Options, multi bool, base *url.URL) template.FuncMap {
	return template.FuncMap{
		// md escapes untrusted text for Markdown; see Markdown.
		"md": func(s string) string { return Markdown(s, opt.Mentions) },
		// text normalises untrusted text without escaping; see Text.
		"text": func(s string) string { return Text(s, opt.Mentions) },
		// join joins strings with a separator: {{ join ", " .Labels }}.
		"join": func(sep string, list []string) string { return strings.Join(list, sep) },
		// date formats a time in UTC with a Go layout: {{ date "2006-01-02" .ClosedAt }}.
		"date": func(layout string, t time.Time) string { return t.UTC().Format(layout) },
		// count writes a number and a noun: {{ count .Count "issue" }} is "42 issues".
		"count": english.Plural,
		// item writes an Item as the markdown format does, without "- ".
		"item": func(it Item) string {
			var b strings.Builder
			writeItem(&b, it.Issue, opt, multi, base)
			return b.String()
		},
	}
}

// ParseTemplateFile reads and parses a user template. Templates run with
// missingkey=error and the helpers md, text, join, date, count and item
// (plus text/template's own, such as html and printf). Errors are
// *TemplateError naming the file and line.
func ParseTemplateFile(path string) (*Template, error) {
	src, err := bounded.ReadFile(path, bounded.TemplateLimit)
	if err != nil {
		msg := "cannot read the template file"
		var tl *bounded.TooLargeError
		if errors.As(err, &tl) {
			msg = fmt.Sprintf("larger than %s, so not a template", bounded.Size(tl.Limit))
		}
		return nil, &TemplateError{File: path, Msg: msg, Err: err}
	}
	return ParseTemplate(path, string(src))
}

// ParseTemplate parses template text; name is used in error messages, as
// the file name would be.
func ParseTemplate(name, text string) (*Template, error) {
	t, err := template.New(name).Option("missingkey=error").Funcs(funcs(Options{}, false, nil)).Parse(text)
	if err != nil {
		return nil, templateError(name, err)
	}
	return &Template{file: name, t: t}, nil
}

// templateError turns text/template's "template: NAME:LINE[:COL]: MSG"
// into a TemplateError with the line as a number.
func templateError(name string, err error) error {
	msg := err.Error()
	line := 0
	if rest, ok := strings.CutPrefix(msg, "template: "+name+":"); ok {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		line, _ = strconv.Atoi(rest[:i])
		rest = rest[i:]
		if j := strings.Index(rest, ": "); j >= 0 {
			rest = rest[j+2:]
		}
		msg = strings.Replace(rest, "executing \""+name+"\" ", "", 1)
	}
	return &TemplateError{File: name, Line: line, Msg: msg, Err: err}
}

// NewData builds the data a user template sees, with the grouping, order
// and mention handling of opt. cl must not be nil (Render checks that).
func NewData(cl *changelog.Changelog, opt Options) *Data {
	multi := isMulti(cl)
	base := trackerBase(cl.URL)
	d := &Data{Changelog: cl, Multi: multi, GeneratedAt: cl.GeneratedAt, LeftOut: LeftOut(cl, opt)}
	var a strings.Builder
	writeAnnouncement(&a, cl, opt)
	d.Announcement = a.String()
	for _, g := range GroupIssues(cl, opt) {
		s := DataSection{Title: g.Title, Issues: make([]Item, len(g.Issues))}
		for i, is := range g.Issues {
			s.Issues[i] = Item{Issue: is, Ref: ref(is, multi), Link: issueURL(base, is)}
		}
		d.Count += len(s.Issues)
		d.Sections = append(d.Sections, s)
	}
	return d
}

// execute renders into memory first so a failing template writes nothing.
func (t *Template) execute(w io.Writer, cl *changelog.Changelog, opt Options) error {
	d := NewData(cl, opt)
	tt, err := t.t.Clone()
	if err != nil {
		return templateError(t.file, err)
	}
	tt.Funcs(funcs(opt, d.Multi, trackerBase(cl.URL)))
	var buf bytes.Buffer
	if err := tt.Execute(&buf, d); err != nil {
		return templateError(t.file, err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}
