package changelog

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/internal/english"
)

// maxNamed is how many dropped items a warning names.
const maxNamed = 5

// New builds the Changelog of q from issues fetched or read elsewhere. It
// verifies every issue with q.Match and drops (and counts) those that do not
// match, keeps one issue per repository and number (the last one given),
// sorts them by repository, closed time and number, and fills the counts,
// the query text, the link on server (e.g. https://github.com) written with
// enc, the closed window, the repositories (of the issues and of q.Repos)
// and GeneratedAt = now. Warnings name a few dropped issues and any query
// terms Match cannot check.
//
// New takes issues over: it reuses their array, so the caller must not use
// issues afterwards. It fails only on an issue without a repository or
// number.
func New(q filters.Query, server string, enc filters.Encoding, issues []Issue, now time.Time) (*Changelog, error) {
	type key struct {
		repo   string
		number int
	}
	byKey := make(map[key]int, len(issues))
	// In place: a second array of a history's issues would be the largest
	// allocation of a run. Writes never pass reads.
	kept := issues[:0]
	if kept == nil {
		kept = []Issue{} // "issues": [], never null
	}
	for _, is := range issues {
		if is.Repository == "" || is.Number <= 0 {
			return nil, fmt.Errorf("changelog: issue %q (number %d) has no repository or number", is.Title, is.Number)
		}
		k := key{strings.ToLower(is.Repository), is.Number}
		if i, ok := byKey[k]; ok {
			kept[i] = is
			continue
		}
		byKey[k] = len(kept)
		kept = append(kept, is)
	}

	out := &Changelog{
		Query:       q.String(),
		URL:         q.URL(server, enc),
		Window:      Window{Since: boundText(q.Closed.From), Until: boundText(q.Closed.To)},
		GeneratedAt: now,
		Issues:      kept[:0],
	}
	var named []string
	for _, is := range kept {
		ok, why := q.Match(Matchable(is))
		if !ok {
			out.Dropped++
			if len(named) < maxNamed {
				named = append(named, fmt.Sprintf("%s#%d (%s)", is.Repository, is.Number, why))
			}
			continue
		}
		out.Issues = append(out.Issues, is)
	}
	slices.SortFunc(out.Issues, func(a, b Issue) int {
		return cmp.Or(
			cmp.Compare(strings.ToLower(a.Repository), strings.ToLower(b.Repository)),
			a.ClosedAt.Compare(b.ClosedAt),
			cmp.Compare(a.Number, b.Number),
		)
	})
	out.Total = len(out.Issues)
	out.Repositories = repositories(q.Repos, out.Issues)

	if out.Dropped > 0 {
		more := ""
		if out.Dropped > len(named) {
			more = fmt.Sprintf(" and %d more", out.Dropped-len(named))
		}
		verb := "do"
		if out.Dropped == 1 {
			verb = "does"
		}
		out.Warnings = append(out.Warnings, fmt.Sprintf("left out %s that %s not match the query: %s%s",
			english.Plural(out.Dropped, "item"), verb, strings.Join(named, ", "), more))
	}
	if terms := q.Unmatchable(); len(terms) > 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf(
			"relnotes cannot check these query terms itself and trusts GitHub's search for them: %s", strings.Join(terms, " ")))
	}
	return out, nil
}

// Matchable is what filters.Query.Match needs of an issue, as New checks
// it. The model keeps no state: an issue with a close time is closed (GitHub
// clears closed_at on reopening). Whether a pull request links it is
// unknown here.
func Matchable(is Issue) filters.Issue {
	state := "open"
	if !is.ClosedAt.IsZero() {
		state = "closed"
	}
	return filters.Issue{
		Repo:        is.Repository,
		Number:      is.Number,
		IsPR:        is.IsPR,
		State:       state,
		StateReason: is.StateReason,
		Labels:      is.Labels,
		Type:        is.Type,
		Milestone:   is.Milestone,
		Author:      is.Author,
		AuthorIsBot: is.AuthorIsBot,
		CreatedAt:   is.CreatedAt,
		ClosedAt:    is.ClosedAt,
	}
}

// boundText is a window end as the model writes it: as in the query, but
// "" for an open end rather than "*".
func boundText(b filters.Bound) string {
	if b.IsOpen() {
		return ""
	}
	return b.String()
}

// repositories lists the repositories of q and of the issues once each
// (case-insensitively, preferring the spelling the API returned), sorted.
func repositories(queried []string, issues []Issue) []string {
	seen := map[string]string{}
	for _, is := range issues {
		seen[strings.ToLower(is.Repository)] = is.Repository
	}
	for _, r := range queried {
		if _, ok := seen[strings.ToLower(r)]; !ok {
			seen[strings.ToLower(r)] = r
		}
	}
	out := make([]string, 0, len(seen))
	for _, r := range seen {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b string) int { return cmp.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return out
}
