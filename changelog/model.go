package changelog

import "time"

// Changelog is everything one run found: the query, the link a person would
// paste, and the issues behind it. It is plain data (no clients inside) and
// its JSON encoding is relnotes' stable output contract: fields keep their
// names; new fields may be added.
type Changelog struct {
	Query        string    `json:"query"`        // search text, filters.Query.String()
	URL          string    `json:"url"`          // the github.com link
	Window       Window    `json:"window"`       // the closed window, as written in the query
	Repositories []string  `json:"repositories"` // OWNER/NAME, sorted
	Total        int       `json:"total"`        // len(Issues)
	Dropped      int       `json:"dropped"`      // items the API returned that did not match the query
	Issues       []Issue   `json:"issues"`       // sorted by repository, then closed time, then number
	GeneratedAt  time.Time `json:"generated_at"` // when the fetch finished (injected clock)
	Warnings     []string  `json:"warnings,omitempty"`
}

// Window is the closed window of the query. Each end is a day (2024-03-26),
// an RFC 3339 instant in UTC, or "" when open.
type Window struct {
	Since string `json:"since"`
	Until string `json:"until"`
}

// Issue is one completed issue. Title, labels, milestone and author come from
// strangers: renderers must treat them as untrusted text.
type Issue struct {
	Repository  string    `json:"repository"` // OWNER/NAME
	Number      int       `json:"number"`
	Title       string    `json:"title"`
	URL         string    `json:"url"` // html_url on the tracker
	Labels      []string  `json:"labels"`
	Type        string    `json:"type,omitempty"`      // issue type, e.g. Bug
	Milestone   string    `json:"milestone,omitempty"` // milestone title
	Author      string    `json:"author"`              // login
	AuthorIsBot bool      `json:"author_is_bot,omitempty"`
	IsPR        bool      `json:"is_pull_request,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	ClosedAt    time.Time `json:"closed_at"`
	// StateReason is the REST state_reason: completed, not_planned, duplicate,
	// reopened, or "" (null, issues closed before close reasons existed).
	StateReason string `json:"state_reason"`
}
