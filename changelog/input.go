package changelog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/relnotes/relnotes/filters"
)

// ReadIssues reads issues saved by an earlier run or by another tool, so that
// relnotes can filter and render them without the API. It accepts, detected
// by shape, one or several concatenated JSON values of these kinds:
//
//   - relnotes' own JSON output (an object with "issues");
//   - a saved GET /search/issues page (an object with "items"), or an array
//     of such pages;
//   - the output of `gh issue list --json ...` or `gh search issues --json
//     ...` (an array of objects with "number").
//
// Fields a format lacks stay empty: gh's search output has no state reason,
// which the query then treats like a null one. The repository of an item
// without one is taken from its URL. ReadIssues fails, naming the item, if an
// issue has no number or no way to tell its repository.
func ReadIssues(r io.Reader) ([]Issue, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var out []Issue
	for n := 1; ; n++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("reading JSON value %d: %w", n, err)
		}
		got, err := readValue(raw)
		if err != nil {
			return nil, fmt.Errorf("JSON value %d: %w", n, err)
		}
		out = append(out, got...)
	}
	if out == nil {
		out = []Issue{}
	}
	return out, nil
}

// readValue decodes one top-level JSON value of any accepted shape.
func readValue(raw json.RawMessage) ([]Issue, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, nil
	}
	if raw[0] == '[' {
		var elems []json.RawMessage
		if err := json.Unmarshal(raw, &elems); err != nil {
			return nil, err
		}
		var out []Issue
		for i, e := range elems {
			var probe map[string]json.RawMessage
			if err := json.Unmarshal(e, &probe); err != nil {
				return nil, fmt.Errorf("element %d is not an object", i+1)
			}
			if _, ok := probe["items"]; ok {
				got, err := readValue(e)
				if err != nil {
					return nil, fmt.Errorf("element %d: %w", i+1, err)
				}
				out = append(out, got...)
				continue
			}
			is, err := decodeItem(e)
			if err != nil {
				return nil, fmt.Errorf("element %d: %w", i+1, err)
			}
			out = append(out, is)
		}
		return out, nil
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, errors.New(`neither an object nor an array: want relnotes JSON, a /search/issues page, or gh --json output`)
	}
	switch {
	case probe["issues"] != nil:
		var cl Changelog
		if err := json.Unmarshal(raw, &cl); err != nil {
			return nil, fmt.Errorf("relnotes JSON: %w", err)
		}
		// Hand-edited or foreign files can lack what every other shape is
		// checked for; New would otherwise fail later without the position.
		for i, is := range cl.Issues {
			switch {
			case is.Number <= 0:
				return nil, fmt.Errorf("issue %d: has no issue number", i+1)
			case is.Repository == "":
				return nil, fmt.Errorf("issue #%d: has no repository", is.Number)
			case !filters.ValidRepo(is.Repository):
				return nil, fmt.Errorf("issue #%d: repository %q is not in OWNER/NAME form", is.Number, is.Repository)
			}
		}
		return cl.Issues, nil
	case probe["items"] != nil:
		var page struct {
			Items      []json.RawMessage `json:"items"`
			Incomplete bool              `json:"incomplete_results"`
		}
		if err := json.Unmarshal(raw, &page); err != nil {
			return nil, fmt.Errorf("search page: %w", err)
		}
		if page.Incomplete {
			return nil, errors.New("this saved search page says incomplete_results: true; fetch it again")
		}
		out := make([]Issue, 0, len(page.Items))
		for i, e := range page.Items {
			is, err := decodeItem(e)
			if err != nil {
				return nil, fmt.Errorf("item %d: %w", i+1, err)
			}
			out = append(out, is)
		}
		return out, nil
	}
	return nil, errors.New(`not a format relnotes reads: want relnotes JSON ("issues"), a /search/issues page ("items"), or gh --json output (an array)`)
}

// item is the union of the REST API's and gh's field names for one issue.
type item struct {
	Number        int             `json:"number"`
	Title         string          `json:"title"`
	HTMLURL       string          `json:"html_url"`
	URL           string          `json:"url"`
	RepositoryURL string          `json:"repository_url"`
	Repository    json.RawMessage `json:"repository"`
	Labels        []wireLabel     `json:"labels"`
	Milestone     *wireMilestone  `json:"milestone"`
	Type          *struct {
		Name string `json:"name"`
	} `json:"type"`
	User   *author `json:"user"`
	Author *author `json:"author"`

	StateReason   *string    `json:"state_reason"`
	GHStateReason string     `json:"stateReason"`
	ClosedAt      *time.Time `json:"closed_at"`
	GHClosedAt    *time.Time `json:"closedAt"`
	CreatedAt     *time.Time `json:"created_at"`
	GHCreatedAt   *time.Time `json:"createdAt"`
	PullRequest   *struct{}  `json:"pull_request"`
	IsPullRequest bool       `json:"isPullRequest"`
}

type author struct {
	Login string `json:"login"`
	Type  string `json:"type"`
	IsBot bool   `json:"is_bot"`
}

func decodeItem(raw json.RawMessage) (Issue, error) {
	var it item
	if err := json.Unmarshal(raw, &it); err != nil {
		return Issue{}, err
	}
	if it.Number <= 0 {
		return Issue{}, errors.New("has no issue number")
	}
	is := Issue{
		Number:    it.Number,
		Title:     it.Title,
		URL:       firstNonEmpty(it.HTMLURL, webURL(it.URL)),
		Labels:    labelNames(it.Labels),
		Milestone: it.Milestone.title(),
		IsPR:      it.PullRequest != nil || it.IsPullRequest,
	}
	if it.Type != nil {
		is.Type = it.Type.Name
	}
	if a := firstAuthor(it.User, it.Author); a != nil {
		is.Author = a.Login
		is.AuthorIsBot = a.IsBot || strings.EqualFold(a.Type, "Bot") || strings.HasSuffix(a.Login, "[bot]")
	}
	if t := firstTime(it.ClosedAt, it.GHClosedAt); t != nil {
		is.ClosedAt = t.UTC()
	}
	if t := firstTime(it.CreatedAt, it.GHCreatedAt); t != nil {
		is.CreatedAt = t.UTC()
	}
	switch {
	case it.StateReason != nil:
		is.StateReason = *it.StateReason
	case it.GHStateReason != "":
		is.StateReason = strings.ToLower(it.GHStateReason)
	}
	is.Repository = repoOf(it)
	switch {
	case is.Repository == "":
		return Issue{}, fmt.Errorf("issue #%d: cannot tell its repository (no repository, repository_url or github URL)", it.Number)
	case !filters.ValidRepo(is.Repository):
		return Issue{}, fmt.Errorf("issue #%d: repository %q is not in OWNER/NAME form", it.Number, is.Repository)
	}
	return is, nil
}

// repoOf finds OWNER/NAME from whichever field the format has.
func repoOf(it item) string {
	if len(it.Repository) > 0 {
		var s string
		if json.Unmarshal(it.Repository, &s) == nil && filters.ValidRepo(s) {
			return s
		}
		var r struct {
			NameWithOwner string `json:"nameWithOwner"`
			FullName      string `json:"full_name"`
		}
		if json.Unmarshal(it.Repository, &r) == nil {
			if n := firstNonEmpty(r.NameWithOwner, r.FullName); n != "" {
				return n
			}
		}
	}
	if it.RepositoryURL != "" {
		if u, err := url.Parse(it.RepositoryURL); err == nil {
			parts := strings.Split(strings.Trim(u.Path, "/"), "/")
			if n := len(parts); n >= 3 && parts[n-3] == "repos" {
				return parts[n-2] + "/" + parts[n-1]
			}
		}
	}
	for _, s := range []string{it.HTMLURL, it.URL} {
		if u, err := url.Parse(s); err == nil && s != "" {
			parts := strings.Split(strings.Trim(u.Path, "/"), "/")
			if len(parts) >= 4 && (parts[2] == "issues" || parts[2] == "pull") {
				return parts[0] + "/" + parts[1]
			}
		}
	}
	return ""
}

// webURL keeps a gh "url" (a web link) and drops an API one.
func webURL(s string) string {
	if strings.Contains(s, "/repos/") {
		return ""
	}
	return s
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func firstAuthor(as ...*author) *author {
	for _, a := range as {
		if a != nil && a.Login != "" {
			return a
		}
	}
	return nil
}

func firstTime(ts ...*time.Time) *time.Time {
	for _, t := range ts {
		if t != nil && !t.IsZero() {
			return t
		}
	}
	return nil
}

// wireLabel and wireMilestone are the parts of a label and a milestone
// that the REST API and gh's --json output both carry, under the same names.
type (
	wireLabel struct {
		Name string `json:"name"`
	}
	wireMilestone struct {
		Title string `json:"title"`
	}
)

// labelNames returns the names of ls, never nil, so that an issue without
// labels is written "labels": [] rather than null.
func labelNames(ls []wireLabel) []string {
	out := make([]string, 0, len(ls))
	for _, l := range ls {
		out = append(out, l.Name)
	}
	return out
}

// title returns the milestone's title, or "" when m is nil (no milestone).
func (m *wireMilestone) title() string {
	if m == nil {
		return ""
	}
	return m.Title
}
