// Package html5check validates the standalone HTML pages relnotes writes
// against the part of the HTML5 content model they use. It is a test helper.
package html5check

import (
	"fmt"
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// voidElements never have an end tag in HTML5.
var voidElements = map[atom.Atom]bool{
	atom.Area: true, atom.Base: true, atom.Br: true, atom.Col: true, atom.Embed: true, atom.Hr: true,
	atom.Img: true, atom.Input: true, atom.Link: true, atom.Meta: true, atom.Source: true, atom.Track: true, atom.Wbr: true,
}

// allowedParents is the part of the HTML5 content model relnotes' pages
// use: each element may appear only under these parents.
var allowedParents = map[atom.Atom][]atom.Atom{
	atom.Html:   {0},
	atom.Head:   {atom.Html},
	atom.Body:   {atom.Html},
	atom.Meta:   {atom.Head},
	atom.Title:  {atom.Head},
	atom.Style:  {atom.Head},
	atom.Main:   {atom.Body},
	atom.H1:     {atom.Main},
	atom.P:      {atom.Body, atom.Main, atom.Li},
	atom.H2:     {atom.Main},
	atom.H3:     {atom.Body, atom.Main},
	atom.Nav:    {atom.Main},
	atom.Ul:     {atom.Body, atom.Main, atom.Li, atom.Nav},
	atom.Li:     {atom.Ul, atom.Ol},
	atom.Bdi:    {atom.Li},
	atom.A:      {atom.P, atom.Li, atom.Strong, atom.Em},
	atom.Strong: {atom.P, atom.Li},
	atom.Em:     {atom.P, atom.Li},
}

// Validate checks a complete page: the HTML5 doctype first, <html
// lang>, a <head> whose first element is <meta charset="utf-8"> and which
// holds a non-empty <title>, a <body>; every tag a known element in an
// allowed parent, properly nested and closed (void elements never closed),
// no duplicate attributes, ids unique, every <a> with an absolute http(s)
// href or a #fragment naming an id of the page; and
// the HTML5 parser builds the same elements the tokens name (it had
// nothing to repair).
func Validate(page string) error {
	z := html.NewTokenizer(strings.NewReader(page))
	var stack []atom.Atom
	elements := 0
	ids, fragments := map[string]bool{}, []string{}
	sawDoctype, sawCharset, sawTitle := false, false, false
	titleText := ""
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() == io.EOF {
				break
			}
			return z.Err()
		}
		tok := z.Token()
		if !sawDoctype {
			if tt != html.DoctypeToken || !strings.EqualFold(tok.Data, "html") || len(tok.Attr) != 0 {
				return fmt.Errorf("the page must start with <!DOCTYPE html>, got %q", tok.String())
			}
			sawDoctype = true
			continue
		}
		parent := atom.Atom(0)
		if len(stack) > 0 {
			parent = stack[len(stack)-1]
		}
		switch tt {
		case html.DoctypeToken:
			return fmt.Errorf("a second doctype")
		case html.CommentToken:
			return fmt.Errorf("unexpected comment %q", tok.Data)
		case html.TextToken:
			if strings.TrimSpace(tok.Data) == "" {
				continue
			}
			switch parent {
			case atom.Title:
				titleText += tok.Data
			case atom.P, atom.Li, atom.H1, atom.H2, atom.H3, atom.A, atom.Strong, atom.Em, atom.Bdi, atom.Style:
			default:
				return fmt.Errorf("text %q directly in <%s>", tok.Data, parent)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			a := tok.DataAtom
			parents, ok := allowedParents[a]
			if !ok {
				return fmt.Errorf("unexpected element <%s>", tok.Data)
			}
			if !contains(parents, parent) {
				return fmt.Errorf("<%s> inside <%s>", tok.Data, parent)
			}
			if tt == html.SelfClosingTagToken && !voidElements[a] {
				return fmt.Errorf("<%s/> is not a void element", tok.Data)
			}
			seen := map[string]bool{}
			for _, at := range tok.Attr {
				if seen[at.Key] {
					return fmt.Errorf("<%s> repeats attribute %s", tok.Data, at.Key)
				}
				seen[at.Key] = true
				if at.Key == "id" {
					if at.Val == "" || strings.ContainsAny(at.Val, " \t\n\f\r") || ids[at.Val] {
						return fmt.Errorf("<%s> has an empty, spaced or repeated id %q", tok.Data, at.Val)
					}
					ids[at.Val] = true
				}
			}
			elements++
			switch a {
			case atom.Html:
				if tok.Attr == nil || tok.Attr[0].Key != "lang" || tok.Attr[0].Val == "" {
					return fmt.Errorf("<html> needs a lang attribute")
				}
			case atom.Meta:
				if len(tok.Attr) == 1 && tok.Attr[0].Key == "charset" {
					if !strings.EqualFold(tok.Attr[0].Val, "utf-8") || elements != 3 {
						return fmt.Errorf("<meta charset=utf-8> must be the first element in <head>")
					}
					sawCharset = true
				}
			case atom.Title:
				sawTitle = true
			case atom.A:
				if len(tok.Attr) == 1 && tok.Attr[0].Key == "href" && strings.HasPrefix(tok.Attr[0].Val, "#") {
					fragments = append(fragments, tok.Attr[0].Val[1:])
					break
				}
				if len(tok.Attr) != 1 || tok.Attr[0].Key != "href" || !absoluteHTTP(tok.Attr[0].Val) {
					return fmt.Errorf("<a> must have exactly one absolute http(s) href or a #fragment, got %v", tok.Attr)
				}
			}
			if !voidElements[a] && tt == html.StartTagToken {
				stack = append(stack, a)
			}
		case html.EndTagToken:
			if voidElements[tok.DataAtom] {
				return fmt.Errorf("</%s> closes a void element", tok.Data)
			}
			if len(stack) == 0 || stack[len(stack)-1] != tok.DataAtom {
				return fmt.Errorf("</%s> does not close the open element <%s>", tok.Data, parent)
			}
			stack = stack[:len(stack)-1]
		}
	}
	for _, f := range fragments {
		if !ids[f] {
			return fmt.Errorf("<a href=\"#%s\"> points at no id of the page", f)
		}
	}
	switch {
	case len(stack) != 0:
		return fmt.Errorf("unclosed elements %v", stack)
	case !sawCharset:
		return fmt.Errorf("no <meta charset=utf-8>")
	case !sawTitle || strings.TrimSpace(titleText) == "":
		return fmt.Errorf("no non-empty <title>")
	}
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return err
	}
	parsed := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			parsed++
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if parsed != elements {
		return fmt.Errorf("the HTML5 parser built %d elements from %d tags: it repaired the page", parsed, elements)
	}
	return nil
}

func contains(list []atom.Atom, a atom.Atom) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

// absoluteHTTP says whether s is an absolute http(s) URL without
// credentials; written here rather than borrowed from the renderer, so the
// check does not share the code it checks.
func absoluteHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil
}
