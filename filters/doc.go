/*
Package filters models a GitHub issue search: it builds the query text and
the github.com link a person would paste, parses such links back, and
decides whether one fetched issue satisfies the query.

The model is plain data: a Query holds what a GitHub issue search asks for,
one field per qualifier relnotes understands, and keeps every other term
verbatim in Other so that nothing a user wrote is lost.

Four conversions meet in Query, and each is the inverse of another:

	Parse(text or link)    -> Query      (accepts github.com and GHES links)
	Query.String()         -> text       (canonical order, deterministic)
	Query.URL(server, enc) -> link       (repo issues page or global search)
	Query.Args()           -> CLI flags  (relnotes link ...)
	ParseFlags(values)     -> Query      (the same flags, read back)

For every Query that passes Validate, Parse(q.String()),
Parse(q.URL(server, enc)) and ParseFlags of q.Args() give back q; the tests
and FuzzParse hold the package to that. Args and ParseFlags share one table,
Flags, which a command-line parser binds to its own flag type.

# Time windows

closed: and created: take a Window whose ends are inclusive, as GitHub's
A..B is. A Bound is either a whole UTC day (2024-03-26 covers
2024-03-26T00:00:00Z up to, not including, 2024-03-27T00:00:00Z) or an exact
instant with one-second resolution. Exclusive forms are rewritten when
parsed: closed:>2024-03-25 becomes closed:>=2024-03-26 and
created:<2024-03-26T10:00:00Z becomes created:<=2024-03-26T09:59:59Z.
GitHub's times have one-second resolution, so a time with a fraction of a
second is rounded to a whole second inside the window: a start rounds up
(closed:>=2024-01-01T00:00:00.5Z is closed:>=2024-01-01T00:00:01Z), an end
rounds down. --since and --until (ParseFlags) read their bounds through
the same code and round the same way.
Window.Start and Window.End give the half-open [start, end) interval a
fetcher needs.

# Matching fetched issues

Query.Match applies the structured fields to one fetched Issue with GitHub's
semantics (case-insensitive names; reason:completed also matches a closed
issue whose state_reason is null, as GitHub shows issues closed before close
reasons existed as completed). Terms in Other cannot be checked locally;
Query.Unmatchable lists them so a caller can warn.

# What cannot be written

A search query has no escape for a double quote, so a label, milestone or
author containing one cannot be expressed; Validate reports it. Boolean
operators (AND, OR) and parentheses are rejected by Parse, because the
model keeps no expression tree: label:a,b is the supported "a or b".
*/
package filters
