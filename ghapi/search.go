package changelog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
)

// perPage is GitHub's largest search page; searchCap is the most results
// one search can page through, so maxPages is the last page it serves.
const (
	perPage   = 100
	searchCap = 1000
	maxPages  = searchCap / perPage
)

// searchPage is one decoded /search/issues answer.
type searchPage struct {
	Total      int
	Incomplete bool
	Items      []Issue
}

// wireResult is the JSON of /search/issues. It is decoded here rather than
// into go-github's IssuesSearchResult because v62's Issue has no issue type.
type wireResult struct {
	TotalCount        *int       `json:"total_count"`
	IncompleteResults bool       `json:"incomplete_results"`
	Items             []wireItem `json:"items"`
}

type wireItem struct {
	Number        int            `json:"number"`
	Title         string         `json:"title"`
	HTMLURL       string         `json:"html_url"`
	RepositoryURL string         `json:"repository_url"`
	StateReason   string         `json:"state_reason"`
	Labels        []wireLabel    `json:"labels"`
	Type          wireType       `json:"type"`
	Milestone     *wireMilestone `json:"milestone"`
	User          *struct {
		Login string `json:"login"`
		Type  string `json:"type"`
	} `json:"user"`
	PullRequest json.RawMessage `json:"pull_request"`
	CreatedAt   time.Time       `json:"created_at"`
	ClosedAt    *time.Time      `json:"closed_at"`
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

// wireType is the issue type: GitHub sends an object with a name, or null;
// a bare string is accepted too.
type wireType string

func (t *wireType) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if json.Unmarshal(b, &s) == nil {
		*t = wireType(s)
		return nil
	}
	var o struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return err
	}
	*t = wireType(o.Name)
	return nil
}

// errDecode marks a 200 whose body is not the expected JSON; it is retried.
var errDecode = errors.New("malformed search response")

func decodePage(body []byte) (searchPage, error) {
	var w wireResult
	if err := json.Unmarshal(body, &w); err != nil {
		return searchPage{}, fmt.Errorf("%w: %v", errDecode, err)
	}
	if w.TotalCount == nil {
		return searchPage{}, fmt.Errorf("%w: no total_count", errDecode)
	}
	p := searchPage{Total: *w.TotalCount, Incomplete: w.IncompleteResults, Items: make([]Issue, 0, len(w.Items))}
	for _, it := range w.Items {
		is := Issue{
			Repository:  repoFromURL(it.RepositoryURL, it.HTMLURL),
			Number:      it.Number,
			Title:       it.Title,
			URL:         it.HTMLURL,
			Labels:      labelNames(it.Labels),
			Type:        string(it.Type),
			Milestone:   it.Milestone.title(),
			IsPR:        len(it.PullRequest) > 0 && string(it.PullRequest) != "null",
			CreatedAt:   it.CreatedAt.UTC(),
			StateReason: it.StateReason,
		}
		if it.User != nil {
			is.Author = it.User.Login
			is.AuthorIsBot = it.User.Type == "Bot"
		}
		if it.ClosedAt != nil {
			is.ClosedAt = it.ClosedAt.UTC()
		}
		if is.Repository == "" || is.Number <= 0 || is.CreatedAt.IsZero() {
			return searchPage{}, fmt.Errorf("%w: item without repository, number or created_at", errDecode)
		}
		p.Items = append(p.Items, is)
	}
	return p, nil
}

// repoFromURL takes OWNER/NAME from repository_url (.../repos/OWNER/NAME),
// or else from html_url (.../OWNER/NAME/issues/N).
func repoFromURL(apiURL, htmlURL string) string {
	if i := strings.LastIndex(apiURL, "/repos/"); i >= 0 {
		if parts := strings.Split(strings.Trim(apiURL[i+len("/repos/"):], "/"), "/"); len(parts) == 2 {
			return parts[0] + "/" + parts[1]
		}
	}
	if u, err := url.Parse(htmlURL); err == nil {
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		if n := len(parts); n >= 4 && (parts[n-2] == "issues" || parts[n-2] == "pull") {
			return parts[n-4] + "/" + parts[n-3]
		}
	}
	return ""
}

// searchOnce asks for one page of q in created order, with advanced search
// on. go-github v62 has no AdvancedSearch option, so the request is built
// here; the raw body is decoded here too, so a malformed 200 is retryable.
func searchOnce(ctx context.Context, c *github.Client, q string, page int) (searchPage, error) {
	v := url.Values{
		"q":               {q},
		"sort":            {"created"},
		"order":           {"asc"},
		"per_page":        {strconv.Itoa(perPage)},
		"page":            {strconv.Itoa(page)},
		"advanced_search": {"true"},
	}
	req, err := c.NewRequest(http.MethodGet, "search/issues?"+v.Encode(), nil)
	if err != nil {
		return searchPage{}, err
	}
	var body bytes.Buffer
	if _, err := c.Do(ctx, req, &body); err != nil {
		return searchPage{}, err
	}
	return decodePage(body.Bytes())
}

// apiError turns what go-github returned into one of the typed errors, given
// the repositories and organisations the query names. Errors that are
// already typed (from the Transport) and context errors pass unchanged.
func apiError(err error, named []string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		// http.Client prefixes the whole request URL, query included; the
		// Transport's typed errors say all a person needs.
		var rl *RateLimitError
		var he *HTTPError
		if errors.As(ue.Err, &rl) || errors.As(ue.Err, &he) {
			return ue.Err
		}
		host := ue.URL
		if u, perr := url.Parse(ue.URL); perr == nil {
			host = u.Scheme + "://" + u.Host
		}
		return fmt.Errorf("cannot reach the GitHub API at %s (check --api-url and the network): %w", host, ue.Err)
	}
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil {
		var rl *github.RateLimitError
		if errors.As(err, &rl) { // only if a Transport is missing
			return &RateLimitError{Resource: ResourceSearch, Reset: rl.Rate.Reset.Time}
		}
		return err
	}
	msg := er.Message
	var details []string
	for _, e := range er.Errors {
		if e.Message != "" {
			details = append(details, e.Message)
		}
	}
	switch er.Response.StatusCode {
	case http.StatusUnauthorized:
		return &AuthError{Status: http.StatusUnauthorized, Message: msg}
	case http.StatusForbidden:
		return &AuthError{Status: http.StatusForbidden, Message: msg}
	case http.StatusNotFound:
		return &NotFoundError{Repos: named}
	case http.StatusUnprocessableEntity:
		all := strings.ToLower(strings.Join(details, " "))
		if len(named) > 0 && (strings.Contains(all, "cannot be searched") || strings.Contains(all, "do not exist")) {
			return &NotFoundError{Repos: named}
		}
		if len(details) > 0 {
			msg = strings.Join(details, "; ")
		}
		return &QueryError{Message: msg}
	}
	return &HTTPError{Method: er.Response.Request.Method, Path: er.Response.Request.URL.Path, Status: er.Response.StatusCode, Message: msg}
}
