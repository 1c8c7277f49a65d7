// Package fetch fetches every issue behind a filters.Query through GitHub's
// search API, with no result cap, and builds its changelog.Changelog.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/google/go-github/v62/github"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/ghapi"
	"github.com/relnotes/relnotes/internal/english"
)

// ErrIncomplete is wrapped by Fetch's error when GitHub kept answering
// incomplete_results: true for a page after the bounded retries, and the
// caller did not opt in to partial results (Fetcher.AllowIncomplete).
var ErrIncomplete = errors.New("GitHub search timed out and returned incomplete results")

// ErrInconsistent is wrapped by Fetch's error when the search results kept
// shifting while being paged (the distinct items of a chunk did not add up
// to its total_count, twice in a row).
var ErrInconsistent = errors.New("GitHub search results changed while being paged, twice in a row; run again in a minute")

// ErrShifting is wrapped by Fetch's error when issues kept changing (being
// reopened, closed, relabelled) through every catch-up pass of the fetch, or
// more of them changed than one search lists, so no pass saw the query's
// results hold still.
var ErrShifting = errors.New("issues in the query's repositories kept changing while relnotes read them; run again in a minute")

// ErrTooDense is wrapped by Fetch's error when more than 1000 matching issues
// were created within one second: GitHub search cannot list them all, and no
// created-time split can separate them.
var ErrTooDense = errors.New("more than 1000 matching issues were created within one second, beyond what GitHub search can list; narrow the query (for example by repository or label)")

// Error is the single wrapper Fetch puts around every failure: the
// operation and the query text (cut short when huge), then the cause (one
// of ghapi's typed errors, a *filters.LimitError, ErrIncomplete,
// ErrInconsistent, ErrShifting, ErrTooDense or a context error).
type Error struct {
	Query string
	Err   error
}

func (e *Error) Error() string {
	return fmt.Sprintf("fetching issues for %q: %v", shorten(e.Query), e.Err)
}

// shorten keeps a message one readable line when the query is huge (one
// refused by filters.Query.CheckLimits can be megabytes long).
func shorten(s string) string {
	const keep = 200
	if utf8.RuneCountInString(s) <= keep+20 {
		return s
	}
	r := []rune(s)
	return string(r[:keep]) + fmt.Sprintf("… (%d characters)", len(r))
}

func (e *Error) Unwrap() error { return e.Err }

// DefaultConcurrency is Fetcher.Concurrency's default.
const DefaultConcurrency = 30

// Fetcher fetches every issue behind a query through GitHub's search API.
// Set Client (from ghapi.NewClient, so that its Transport handles rate limits and
// faults) and Server; the other fields have working defaults.
type Fetcher struct {
	Client   *github.Client
	Server   string           // web server for Changelog.URL, e.g. https://github.com
	Encoding filters.Encoding // how Changelog.URL writes spaces
	Now      func() time.Time // GeneratedAt, and the fetch's start when GitHub sends no Date; nil: time.Now
	Progress Progress         // may be nil

	// Concurrency bounds the search requests in flight; default 30, one
	// search budget's worth. The Transport never lets more requests out
	// than the rate-limit budget covers, whatever this says, and 30 is well
	// under GitHub's secondary limit of 100 concurrent requests. A lower
	// value only slows the pages that a fresh budget window allows at once.
	Concurrency int
	// AllowIncomplete accepts pages GitHub still marks incomplete_results
	// after the retries, with a warning, instead of failing with
	// ErrIncomplete.
	AllowIncomplete bool
	// Retries bounds the re-requests of a page that came back malformed or
	// incomplete; default 3. RetryBase is the first backoff; default 1s.
	Retries   int
	RetryBase time.Duration
	// Sleep waits between those re-requests; nil: a timer. It must return
	// ctx.Err() when ctx ends first.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Fetch returns the Changelog of q: every issue GitHub's search finds for it,
// with no 1000-result cap, verified against q (see changelog.New).
//
// The search runs as one request sequence (several repo: or org: terms stay
// in one combined search; New groups the result by repository) in created
// order, sort=created&order=asc, 100 per page, advanced_search=true, and
// walks the results in chunks of at most 1000, the most one search can page
// through:
//
//  1. Page 1 of a chunk gives total_count. Pages 2..min(10, ceil(total/100))
//     are fetched concurrently. When total_count exceeds 1000, page 10 is
//     asked first: the created_at T of its last item is the split point.
//  2. The next chunk is the same query with created:>=T (intersected with
//     any created: window of q), started as soon as T is known, while the
//     rest of the previous chunk is still arriving. Every item created
//     before T is inside the previous chunk, because results come in created
//     order; items created at T appear in both and are de-duplicated by
//     repository and number. Every split point comes from a page that is
//     needed anyway, so no request is spent on probing. The next chunk's
//     total_count is known in advance (the previous total minus the items
//     before T), so all its pages go out at once, page 10 first; pages
//     nothing waits for leave a small reserve of the rate budget to the
//     split-point requests, so the walk never stalls behind them.
//  3. If all 1000 items of a chunk share T (no progress), the second T is
//     paged on its own with created:T..T and the walk continues at T+1s;
//     more than 1000 items in one second fail with ErrTooDense.
//  4. A chunk is complete when every page reports the same total_count and
//     the distinct items add up to min(total_count, 1000). Otherwise the
//     results shifted while being paged: the walk resumes at that chunk
//     once more, and a second inconsistency fails with ErrInconsistent.
//
// Issues that change while the walk reads them (reopened, closed into the
// window, relabelled) are caught whatever that does to the counts: the walk
// reads only issues not updated since the fetch started, and catch-up passes
// then read every issue updated since, with its live state (see collect).
// The result is the set the query gives on the tracker as it was at the
// last pass; an issue changed after that is not included. ErrShifting
// reports issues that kept changing through every pass.
//
// A malformed page and a page with incomplete_results: true are asked again
// up to Retries times; a page that stays incomplete fails with ErrIncomplete
// unless AllowIncomplete. Rate limits and transport faults are handled by
// the client's Transport. A query GitHub's search would refuse for its size
// fails before the first request (filters.Query.CheckLimits). Every error
// is an *Error wrapping a *filters.LimitError, *ghapi.RateLimitError, *ghapi.AuthError, *ghapi.NotFoundError,
// *ghapi.QueryError, *ghapi.HTTPError, *ghapi.UnreachableError,
// ErrIncomplete, ErrInconsistent, ErrShifting, ErrTooDense or a context
// error.
func (f *Fetcher) Fetch(ctx context.Context, q filters.Query) (*changelog.Changelog, error) {
	if f.Client == nil {
		return nil, &Error{Query: q.String(), Err: errors.New("no GitHub client configured")}
	}
	if err := q.CheckLimits(); err != nil {
		return nil, &Error{Query: q.String(), Err: err}
	}
	w := &walker{f: f, p: progressOrNop(f.Progress),
		seen: map[string]struct{}{}, stamps: map[string]time.Time{}, planned: -1}
	items, err := w.collect(ctx, q)
	if err != nil {
		return nil, &Error{Query: q.String(), Err: err}
	}
	cl, err := changelog.New(q, f.Server, f.Encoding, items, f.now())
	if err != nil {
		return nil, &Error{Query: q.String(), Err: err}
	}
	cl.Warnings = append(w.warnings, cl.Warnings...)
	return cl, nil
}

func (f *Fetcher) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// maxPasses bounds the catch-up passes of one Fetch.
const maxPasses = 5

// collect returns the issues of q as the tracker has them at its last pass.
//
// T0 is GitHub's clock at the start, from the Date header of a request
// made before the walk (GET /rate_limit, which costs no budget). GitHub
// stamps every edit with updated_at from that same clock, so the local
// clock, which may be minutes off, is not used: a T0 ahead of GitHub's
// would let issues edited during the walk stay in its results. Date has
// whole seconds, and an edit later in the same second gets the same stamp,
// so the walk takes updated:<=T0-1s and the passes start at T0.
//
// Pinned that way, the walk's results can only shrink while it reads them
// (an edit moves an issue out), so the counts of each chunk expose every
// shift. A pass then reads, with updated:>=S, the issues of q's change
// scope: q without the terms an edit can change (state, reason, close time,
// labels, ...). That finds every issue that left q's set or joined it
// since S, with its live state. When q.Match can decide q alone (nothing
// Unmatchable) each is kept or dropped by Match; otherwise q narrowed to
// updated:>=S is read too, and what it lists is kept. A pass read in a
// single request is a snapshot: with Match deciding, it ends the fetch.
// Otherwise (several requests, or the second read) another pass follows,
// from the Date seen before the last one started, until a single-request
// pass finds no issue newer (by updated_at) than the state applied for it;
// updated_at, not emptiness, because an edit in the same second as the
// Date seen would be found again by every pass of that second. Usually the
// one pass costs one request and finds nothing.
func (w *walker) collect(ctx context.Context, q filters.Query) ([]changelog.Issue, error) {
	api := q
	api.Sort = "" // the walk needs created order; a sort: term would override it
	t0, err := ghapi.ServerTime(ctx, w.f.Client)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	if t0.IsZero() {
		// No Date header (a proxy that strips it): the local clock, set
		// back by more than clocks are usually off. Passes read more.
		t0 = w.f.now().Add(-10 * time.Minute).Truncate(time.Second)
	}
	set := &issueSet{at: map[string]int{}}
	if pinned, ok := withUpdated(api, filters.Window{To: filters.Instant(t0.Add(-time.Second))}); ok {
		items, err := w.walk(ctx, pinned)
		if err != nil {
			return nil, err
		}
		for _, is := range items {
			set.put(is)
		}
	}
	w.catchUp = true // progress counts the walk's issues, not the scope's
	scope := changeScope(api)
	local := len(q.Unmatchable()) == 0
	held := map[string]time.Time{} // updated_at of the state applied to each changed issue
	since, moved := t0, 0
	for pass := 1; ; pass++ {
		if pass > maxPasses {
			return nil, fmt.Errorf("%w (%d passes since %s)", ErrShifting, maxPasses, since.UTC().Format(time.RFC3339))
		}
		next := w.lastDate()
		if next.Before(since) {
			next = since
		}
		before := w.pages.Load()
		changed, err := w.read(ctx, scope, since)
		if err != nil {
			return nil, err
		}
		snapshot := w.pages.Load()-before == 1
		newer := slices.DeleteFunc(changed, func(is changelog.Issue) bool {
			t, ok := held[issueKey(is)]
			return ok && !w.stamp(is).After(t)
		})
		if len(newer) == 0 && snapshot {
			break
		}
		if local {
			for _, is := range newer {
				held[issueKey(is)] = w.stamp(is)
				if ok, _ := q.Match(changelog.Matchable(is)); ok {
					moved += set.put(is)
				} else {
					moved += set.drop(is)
				}
			}
			if snapshot {
				break
			}
		} else {
			live, err := w.read(ctx, api, since)
			if err != nil {
				return nil, err
			}
			in := map[string]bool{}
			for _, is := range live {
				in[issueKey(is)] = true
				held[issueKey(is)] = w.stamp(is)
				moved += set.put(is)
			}
			for _, is := range newer {
				if !in[issueKey(is)] {
					held[issueKey(is)] = w.stamp(is)
					moved += set.drop(is)
				}
			}
		}
		since = next
	}
	if moved > 0 {
		w.warn(fmt.Sprintf("%s joined or left the query's results while relnotes read them; the list has them as GitHub had them at %s",
			english.Plural(moved, "issue"), w.lastDate().UTC().Format(time.RFC3339)))
	}
	return set.list(), nil
}

// read walks q narrowed to issues updated at or after since.
func (w *walker) read(ctx context.Context, q filters.Query, since time.Time) ([]changelog.Issue, error) {
	q, ok := withUpdated(q, filters.Window{From: filters.Instant(since)})
	if !ok {
		return nil, nil
	}
	return w.walk(ctx, q)
}

// issueSet is the fetched list, once per repository and number, in the
// order first seen (New names dropped items in that order).
type issueSet struct {
	items []changelog.Issue
	at    map[string]int
	gone  []bool
}

// put adds or replaces is and returns 1 when it was not in the list.
func (s *issueSet) put(is changelog.Issue) int {
	k := issueKey(is)
	if i, ok := s.at[k]; ok {
		s.items[i] = is
		if s.gone[i] {
			s.gone[i] = false
			return 1
		}
		return 0
	}
	s.at[k] = len(s.items)
	s.items = append(s.items, is)
	s.gone = append(s.gone, false)
	return 1
}

// drop removes is and returns 1 when it was in the list.
func (s *issueSet) drop(is changelog.Issue) int {
	i, ok := s.at[issueKey(is)]
	if !ok || s.gone[i] {
		return 0
	}
	s.gone[i] = true
	return 1
}

// list returns the issues in the list.
func (s *issueSet) list() []changelog.Issue {
	out := make([]changelog.Issue, 0, len(s.items))
	for i, is := range s.items {
		if !s.gone[i] {
			out = append(out, is)
		}
	}
	return out
}

// changeScope is q without the terms an edit of an issue can change: what
// is left (repositories, owners, kind, authors, creation time) holds every
// issue q matched at any time. Terms in Other may be keywords of an
// editable title, so only user: is kept. Leaving a term out only widens
// the scope.
func changeScope(q filters.Query) filters.Query {
	s := filters.Query{Kind: q.Kind, Authors: q.Authors, ExcludeAuthors: q.ExcludeAuthors,
		Created: q.Created, Repos: q.Repos, Orgs: q.Orgs}
	for _, t := range q.Other {
		if _, ok := qualifier(t, "user"); ok {
			s.Other = append(s.Other, t)
		}
	}
	return s
}

// withUpdated narrows q to issues whose updated_at lies in u, as one
// updated: term: u intersected with q's own updated: terms, since how
// GitHub combines two terms of one date qualifier is not documented. ok is
// false when no time is left, and nothing can match.
func withUpdated(q filters.Query, u filters.Window) (filters.Query, bool) {
	other := make([]string, 0, len(q.Other)+1)
	for _, t := range q.Other {
		if v, ok := qualifier(t, "updated"); ok {
			if own, err := filters.ParseWindow(v); err == nil {
				u = u.Intersect(own)
				continue
			}
		}
		other = append(other, t)
	}
	q.Other = append(other, "updated:"+u.String())
	return q, !u.Empty()
}

// qualifier returns the value of term when it is name:VALUE (any case).
func qualifier(term, name string) (string, bool) {
	k, v, ok := strings.Cut(term, ":")
	return v, ok && strings.EqualFold(k, name)
}

// walker is the state of one Fetch.
type walker struct {
	f *Fetcher
	p Progress

	pages   atomic.Int64
	mu      sync.Mutex
	date    time.Time            // latest Date of a search answer
	stamps  map[string]time.Time // latest updated_at read of each issue
	seen    map[string]struct{}  // for Progress.Fetched only
	catchUp bool                 // in the passes for changes: pages add nothing to seen
	planned int
	reserve atomic.Int64 // chain requests still expected; see withReserve

	warnMu   sync.Mutex
	warnings []string
}

// chunk is one run of at most 1000 results.
type chunk struct {
	q     filters.Query
	lower time.Time // created:>= bound of this chunk; zero for q's own window
	dense bool      // a created:T..T chunk
	last  bool      // no chunk follows: its pages must reach the end of the results

	mu         sync.Mutex
	pages      [][]changelog.Issue
	totals     []int
	incomplete bool
	wg         sync.WaitGroup
}

func (c *chunk) set(page int, p ghapi.SearchPage, accepted bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pages[page-1] = p.Items
	c.totals = append(c.totals, p.Total)
	c.incomplete = c.incomplete || accepted
}

// check reports why the chunk is not complete, or "".
func (c *chunk) check() string {
	if len(c.totals) == 0 {
		return "no page of the chunk arrived"
	}
	total := c.totals[0]
	for _, t := range c.totals {
		if t != total {
			return fmt.Sprintf("total_count changed from %d to %d between pages", total, t)
		}
	}
	if c.last && total > ghapi.SearchCap {
		// The chunk's size was predicted from the previous chunk, but more
		// results than one search can page through match now: the items
		// past the 1000th were never asked for.
		return fmt.Sprintf("total_count %d of the last part exceeds the %d one search can list", total, ghapi.SearchCap)
	}
	if c.incomplete {
		return "" // accepted as partial: counts cannot add up
	}
	distinct := map[string]struct{}{}
	for _, p := range c.pages {
		for _, is := range p {
			distinct[issueKey(is)] = struct{}{}
		}
	}
	if want := min(total, ghapi.SearchCap); len(distinct) != want {
		return fmt.Sprintf("%d distinct items for a total_count of %d", len(distinct), total)
	}
	return ""
}

func issueKey(is changelog.Issue) string {
	return strings.ToLower(is.Repository) + "#" + fmt.Sprint(is.Number)
}

// walk runs the created-order walk (see Fetch) and returns the union.
func (w *walker) walk(ctx context.Context, base filters.Query) ([]changelog.Issue, error) {
	var done []*chunk
	retried := map[time.Time]bool{}
	lower, dense := time.Time{}, false
	for {
		chunks, err := w.run(ctx, base, lower, dense)
		if err != nil {
			return nil, err
		}
		restart := -1
		for i, c := range chunks {
			if why := c.check(); why != "" {
				if retried[c.lower] {
					return nil, fmt.Errorf("%w (%s, from created %s)", ErrInconsistent, why, createdText(c.lower))
				}
				retried[c.lower] = true
				w.p.Retrying(fmt.Errorf("search results shifted while paging (%s); fetching that part again", why), 1)
				restart = i
				break
			}
		}
		if restart < 0 {
			done = append(done, chunks...)
			break
		}
		done = append(done, chunks[:restart]...)
		lower, dense = chunks[restart].lower, chunks[restart].dense
	}
	var items []changelog.Issue
	for _, c := range done {
		for _, p := range c.pages {
			items = append(items, p...)
		}
	}
	return items, nil
}

func createdText(t time.Time) string {
	if t.IsZero() {
		return "the start"
	}
	return t.UTC().Format(time.RFC3339)
}

// run walks from lower to the end of the window and returns the chunks once
// all their pages have arrived.
func (w *walker) run(ctx context.Context, base filters.Query, lower time.Time, dense bool) ([]*chunk, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	conc := w.f.Concurrency
	if conc <= 0 {
		conc = DefaultConcurrency
	}
	ctx = ghapi.WithMaxInFlight(ctx, conc)
	var chunks []*chunk
	wait := func() {
		for _, c := range chunks {
			c.wg.Wait()
		}
	}
	// The first failure of any page ends the run: it cancels the pages
	// still in flight or waiting for budget, whose context errors must not
	// hide it.
	var errMu sync.Mutex
	var firstErr error
	abort := func(err error) {
		errMu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		errMu.Unlock()
		cancel()
	}
	fail := func(err error) ([]*chunk, error) {
		abort(err)
		wait()
		return nil, firstErr
	}
	defer w.reserve.Store(0)
	// expect is the total_count the next chunk will report, known from the
	// previous chunk; -1 when unknown (first chunk, dense second).
	expect := -1
	for {
		c := &chunk{q: base, lower: lower, dense: dense, pages: make([][]changelog.Issue, ghapi.MaxPages)}
		if !lower.IsZero() {
			from := filters.Window{From: filters.Instant(lower)}
			if dense {
				from.To = from.From
			}
			c.q.Created = base.Created.Intersect(from)
			if c.q.Created.Empty() {
				break
			}
		}
		chunks = append(chunks, c)
		var p1 *ghapi.SearchPage
		if expect < 0 {
			p, acc, err := w.page(ctx, c.q, 1)
			if err != nil {
				return fail(err)
			}
			c.set(1, p, acc)
			p1, expect = &p, p.Total
			if w.catchUp && len(chunks) == 1 && p.Total > ghapi.SearchCap {
				// A pass for changes that one search cannot list: a busy
				// organisation, or a query naming no repository, where the
				// scope is all of GitHub.
				return fail(fmt.Errorf("%w (%d issues in the query's scope changed during the fetch, more than one search lists; name repositories with repo: or org:)", ErrShifting, p.Total))
			}
		}
		if len(chunks) == 1 && !dense {
			w.plan(expect)
		}
		first := 1
		if p1 != nil {
			first = 2
		}
		if dense && expect > ghapi.SearchCap {
			return fail(fmt.Errorf("%w (created %s: %d issues)", ErrTooDense, createdText(lower), expect))
		}
		if expect <= ghapi.SearchCap {
			// The last chunk, or a dense second: every page at once.
			if !dense {
				w.reserve.Store(0)
			}
			w.fill(ctx, c, first, ceilDivInt(expect, ghapi.PerPage), false, abort)
			if !dense {
				break
			}
			lower, dense, expect = lower.Add(time.Second), false, -1
			continue
		}
		// A full chunk: page 10 holds the next split point and is asked
		// on the critical path; pages first..9 follow as the budget allows.
		w.reserve.Store(int64(ceilDivInt(expect, ghapi.SearchCap)))
		w.fill(ctx, c, first, ghapi.MaxPages-1, true, abort)
		p10, acc, err := w.page(ctx, c.q, ghapi.MaxPages)
		if err != nil {
			return fail(err)
		}
		c.set(ghapi.MaxPages, p10, acc)
		if len(p10.Items) == 0 || p10.Total <= ghapi.SearchCap {
			// Results shrank under us; check() flags the chunk and the
			// walk resumes here.
			break
		}
		t := p10.Items[len(p10.Items)-1].CreatedAt
		atT := 0
		for _, is := range p10.Items {
			if is.CreatedAt.Equal(t) {
				atT++
			}
		}
		switch {
		case t.Equal(lower) || (p1 != nil && len(p1.Items) > 0 && p1.Items[0].CreatedAt.Equal(t)):
			lower, dense, expect = t, true, -1 // 1000 items in one second: page it alone
		case atT == len(p10.Items):
			// The second T may reach back before page 10: ask page 1.
			lower, expect = t, -1
		default:
			// Items before T fill the chunk except the atT ones at T,
			// which the next chunk repeats.
			lower, expect = t, p10.Total-ghapi.SearchCap+atT
		}
	}
	wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if len(chunks) > 0 {
		chunks[len(chunks)-1].last = true
	}
	return chunks, nil
}

// fill fetches pages from..to of c concurrently (the Transport bounds the
// requests in flight); deferrable ones leave the budget's reserve to the
// critical path (see withReserve). A failing page calls abort.
func (w *walker) fill(ctx context.Context, c *chunk, from, to int, deferrable bool, abort func(error)) {
	if deferrable {
		ctx = ghapi.WithReserve(ctx, func() int { return int(w.reserve.Load()) })
	}
	for pg := from; pg <= to; pg++ {
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			p, acc, err := w.page(ctx, c.q, pg)
			if err != nil {
				abort(err)
				return
			}
			c.set(pg, p, acc)
		}()
	}
}

// plan reports the expected total once: the first chunk's total_count
// counts every matching issue. Later chunks only confirm it, unless results
// shift, which the completeness check handles.
func (w *walker) plan(total int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.planned < 0 {
		w.planned = total
		w.p.Planned(total)
	}
}

// page fetches one page, asking again (bounded, with backoff) when the body
// is malformed or GitHub marks the results incomplete. accepted reports a
// page kept although incomplete (AllowIncomplete).
func (w *walker) page(ctx context.Context, q filters.Query, page int) (p ghapi.SearchPage, accepted bool, err error) {
	retries := w.f.Retries
	if retries <= 0 {
		retries = 3
	}
	for attempt := 1; ; attempt++ {
		p, err = ghapi.SearchIssues(ctx, w.f.Client, q, page)
		var why error
		switch {
		case err != nil && errors.Is(err, ghapi.ErrMalformed):
			why = fmt.Errorf("page %d: %w", page, err)
		case err != nil:
			if ctx.Err() != nil {
				return p, false, ctx.Err()
			}
			return p, false, err
		case p.Incomplete:
			why = fmt.Errorf("page %d: GitHub marked the results incomplete", page)
		default:
			w.count(p)
			return p, false, nil
		}
		if attempt > retries {
			if p.Incomplete && err == nil {
				if !w.f.AllowIncomplete {
					return p, false, fmt.Errorf("%w (page %d, after %d attempts)", ErrIncomplete, page, attempt)
				}
				w.warn(fmt.Sprintf("GitHub returned incomplete results for page %d of %q; the list may miss issues", page, q.String()))
				w.count(p)
				return p, true, nil
			}
			return p, false, fmt.Errorf("%w (after %d attempts)", why, attempt)
		}
		w.p.Retrying(why, attempt)
		base := w.f.RetryBase
		if base <= 0 {
			base = time.Second
		}
		if err := w.sleep(ctx, backoffN(base, attempt)); err != nil {
			return p, false, err
		}
	}
}

func ceilDivInt(a, b int) int { return (a + b - 1) / b }

func backoffN(base time.Duration, n int) time.Duration {
	return base << min(n-1, 5)
}

func (w *walker) sleep(ctx context.Context, d time.Duration) error {
	if w.f.Sleep != nil {
		return w.f.Sleep(ctx, d)
	}
	return ghapi.Sleep(ctx, d)
}

func (w *walker) count(p ghapi.SearchPage) {
	w.mu.Lock()
	if p.Date.After(w.date) {
		w.date = p.Date
	}
	for i, is := range p.Items {
		k := issueKey(is)
		if i < len(p.Updated) && p.Updated[i].After(w.stamps[k]) {
			w.stamps[k] = p.Updated[i]
		}
		if !w.catchUp {
			w.seen[k] = struct{}{}
		}
	}
	n := len(w.seen)
	w.mu.Unlock()
	w.p.Fetched(int(w.pages.Add(1)), n)
}

// stamp is the latest updated_at read of is.
func (w *walker) stamp(is changelog.Issue) time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stamps[issueKey(is)]
}

// lastDate is the latest Date of a search answer so far: GitHub's clock
// before any request sent from now on is read.
func (w *walker) lastDate() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.date
}

func (w *walker) warn(s string) {
	w.warnMu.Lock()
	defer w.warnMu.Unlock()
	w.warnings = append(w.warnings, s)
}
