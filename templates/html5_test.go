package templates

import (
	"strings"
	"testing"

	"github.com/relnotes/relnotes/internal/html5check"
)

func TestStandaloneIsValidHTML5(t *testing.T) {
	for _, mod := range []func(*Options){
		func(*Options) {},
		func(o *Options) { o.ShowLabels, o.ShowAuthors, o.Title = true, true, `<"&> title` },
		func(o *Options) { o.Sections = nil; o.Announcement.Sentence = "**Read** the {link}, *all* {count}." },
	} {
		opt := fixtureOptions()
		opt.Format, opt.Standalone = FormatHTML, true
		mod(&opt)
		page := render(t, fixture(), opt)
		if err := html5check.Validate(page); err != nil {
			t.Errorf("standalone page with %+v is not valid HTML5: %v\n%s", opt, err, page)
		}
	}
	// The validator itself rejects broken pages.
	good := render(t, fixture(), Options{Format: FormatHTML, Standalone: true})
	for name, bad := range map[string]string{
		"no doctype":    strings.Replace(good, "<!DOCTYPE html>\n", "", 1),
		"no charset":    strings.Replace(good, `<meta charset="utf-8">`, "", 1),
		"unclosed li":   strings.Replace(good, "</li>", "", 1),
		"script":        strings.Replace(good, "</body>", "<script>x()</script></body>", 1),
		"empty title":   strings.Replace(good, "<title>Release notes: QubesOS/qubes-issues</title>", "<title></title>", 1),
		"evil link":     strings.Replace(good, `href="https://github.com/QubesOS/qubes-issues/issues/9000"`, `href="javascript:x()"`, 1),
		"stray attr":    strings.Replace(good, "<li>", `<li onclick="x()" onclick="y()">`, 1),
		"misnested":     strings.Replace(good, "<ul>", "<p><ul>", 1),
		"no html lang":  strings.Replace(good, `<html lang="en">`, "<html>", 1),
		"bdi outside":   strings.Replace(good, "<h1>", "<h1><bdi>x</bdi>", 1),
		"style in body": strings.Replace(good, "<main>", "<main><style>p{}</style>", 1),
	} {
		if bad == good {
			t.Fatalf("%s: the mutation did not apply", name)
		}
		if err := html5check.Validate(bad); err == nil {
			t.Errorf("%s: the validator accepted a broken page", name)
		}
	}
}
