package ghapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Transport is the one place where relnotes deals with GitHub's rate limits
// and with faults. Installed under go-github (NewClient does it), it
//
//   - paces requests by the budget the x-ratelimit-* headers report, per
//     resource (search, core), counting requests in flight, and waits for
//     the reset before sending a request the budget cannot cover;
//   - waits out a primary limit (403/429 with x-ratelimit-remaining: 0) until
//     the reset, unless that is further away than MaxWait;
//   - backs off from a secondary limit (403/429 with retry-after, or a body
//     naming the secondary limit): retry-after, else SecondaryMinWait,
//     doubling on each repeat, at most SecondaryRetries times, pausing every
//     request meanwhile;
//   - ends a request at once when the wait a response asks for is beyond
//     SensibleWait, whatever MaxWait says: such a Retry-After or reset is
//     a broken answer (*RateLimitError with Unreasonable set);
//   - retries 5xx answers, connection errors, per-attempt timeouts and
//     truncated bodies of GET/HEAD requests with jittered exponential backoff;
//   - buffers every body, so a read failure is retried here rather than
//     surfacing in a JSON decoder above.
//
// go-github never sees a rate-limit response: those are retried here or end
// in a *RateLimitError returned from RoundTrip. Because go-github v62 caches
// x-ratelimit-remaining: 0 with its reset and then refuses every call of that
// category locally (with a GHES path prefix even search and core share it),
// the reset header is removed from any response passed up that reports a
// remaining budget of zero; pacing is this Transport's job.
//
// The exported fields are configuration; set them before the first request.
// A Transport is safe for concurrent use and must not be copied after use.
type Transport struct {
	Base     http.RoundTripper                                // nil: http.DefaultTransport
	Now      func() time.Time                                 // nil: time.Now
	Sleep    func(ctx context.Context, d time.Duration) error // nil: a timer; must return ctx.Err() when ctx ends first
	Progress Progress                                         // Waiting and Retrying events; may be nil

	MaxWait          time.Duration // longest wait for a primary reset or secondary back-off; 0 means 15m, negative never waits
	MaxRetries       int           // retries of a 5xx, connection error or timeout; default 4
	RetryBase        time.Duration // first backoff for those retries (then x2, jittered); default 1s
	RetryMax         time.Duration // backoff cap; default 30s
	SecondaryMinWait time.Duration // back-off after a secondary limit without retry-after; default 60s
	SecondaryRetries int           // secondary-limit retries of one request; default 5
	PrimaryRetries   int           // primary-limit retries of one request; default 3
	Timeout          time.Duration // per attempt, body included; default 60s
	// ResetBuffer is added to a whole-second x-ratelimit-reset before
	// sending again, as clocks differ; default 1s. A reset from Timing gets
	// 2ms.
	ResetBuffer time.Duration
	// Timing, when set, reads sub-second timing that a test server adds to
	// its responses: the exact reset of the budget and the exact pause of a
	// secondary limit, each zero when absent. GitHub sends whole seconds
	// only (x-ratelimit-reset, Retry-After), so production leaves it nil;
	// tests against an emulator with sub-second windows set it.
	Timing func(h http.Header) (reset time.Time, retryAfter time.Duration)

	once sync.Once
	lim  *limiter
}

// Progress receives the Transport's deliberate pauses and retries, for a
// progress bar or a log. Its methods must be safe for concurrent use and
// return quickly.
type Progress interface {
	// Waiting reports a deliberate pause: the rate-limit budget of resource
	// ("search", "core") runs out, or a secondary limit asked to back off,
	// until the given time. reason is one short line for a person.
	Waiting(resource string, until time.Time, reason string)
	// Retrying reports that a failed attempt (err) is retried; attempt counts
	// the attempts made so far for that request.
	Retrying(err error, attempt int)
}

// NopProgress ignores every event. Embed it in a Progress of a wider
// interface (changelog/fetch's) to ignore the Transport's events there too.
type NopProgress struct{}

// Waiting does nothing.
func (NopProgress) Waiting(string, time.Time, string) {}

// Retrying does nothing.
func (NopProgress) Retrying(error, int) {}

func progressOrNop(p Progress) Progress {
	if p == nil {
		return NopProgress{}
	}
	return p
}

// Resource names of GitHub's rate-limit budgets.
const (
	ResourceSearch = "search"
	ResourceCore   = "core"
)

func (t *Transport) init() {
	t.once.Do(func() { t.lim = newLimiter() })
}

func (t *Transport) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

func (t *Transport) sleep(ctx context.Context, d time.Duration) error {
	if t.Sleep != nil {
		return t.Sleep(ctx, d)
	}
	return Sleep(ctx, d)
}

// Sleep waits for d or until ctx ends, returning ctx.Err() in that case.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func durOr(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func intOr(n, def int) int {
	if n > 0 {
		return n
	}
	return def
}

func (t *Transport) maxWait() time.Duration {
	if t.MaxWait < 0 {
		return 0
	}
	return durOr(t.MaxWait, 15*time.Minute)
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

// resourceOf maps a request path to its budget. It looks for /search/
// anywhere in the path, so a GHES prefix (/api/v3/search/issues) counts as
// search, as GitHub counts it.
func resourceOf(path string) string {
	if strings.Contains(path, "/search/") {
		return ResourceSearch
	}
	return ResourceCore
}

type (
	reserveKey  struct{}
	inflightKey struct{}
)

// WithReserve marks a request as deferrable: it is sent only while the
// budget keeps more than n() requests for others, so requests on the
// critical path (the split points of the created-order walk) do not wait for
// a reset behind requests nothing depends on. n is read on every check, so
// the reserve can shrink while the request waits.
func WithReserve(ctx context.Context, n func() int) context.Context {
	return context.WithValue(ctx, reserveKey{}, n)
}

func reserveOf(ctx context.Context) func() int {
	n, _ := ctx.Value(reserveKey{}).(func() int)
	if n == nil {
		return func() int { return 0 }
	}
	return n
}

// WithMaxInFlight sends the request only while fewer than n requests of its
// resource are in flight. The bound lives here rather than in a semaphore
// of the caller so that a request waiting for the budget holds no slot.
func WithMaxInFlight(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, inflightKey{}, n)
}

func maxInFlightOf(ctx context.Context) int {
	n, _ := ctx.Value(inflightKey{}).(int)
	return n
}

// RoundTrip implements http.RoundTripper. It returns either a response that
// is not a rate-limit response, or an error: *RateLimitError, ctx.Err(), or
// the last failure after the bounded retries.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.init()
	ctx := req.Context()
	p := progressOrNop(t.Progress)
	res := resourceOf(req.URL.Path)
	retryable := req.Method == http.MethodGet || req.Method == http.MethodHead
	if req.Body != nil && req.GetBody == nil {
		retryable = false
	}
	var failures, secondaries, primaries int
	// retryFailure counts a failed attempt (a transport error or a 5xx) and
	// waits out its backoff. It returns nil to try again, or the error to end
	// with: err itself when the request cannot be sent again or is out of
	// retries, the context's error when ctx ends during the wait.
	retryFailure := func(err error, attempt int) error {
		failures++
		if !retryable || failures > intOr(t.MaxRetries, 4) {
			return err
		}
		p.Retrying(err, attempt)
		return t.sleep(ctx, t.backoff(failures))
	}
	for attempt := 1; ; attempt++ {
		if err := t.acquire(ctx, res, reserveOf(ctx), maxInFlightOf(ctx)); err != nil {
			return nil, err
		}
		resp, err := t.attempt(ctx, req)
		var rep report
		if resp != nil {
			rep = t.budgetOf(resp.Header)
			// GHES with rate limiting off states no budget in any answer;
			// a 5xx without one may come from a proxy and says nothing.
			rep.unmetered = !rep.ok && resp.StatusCode < 500 && resp.Header.Get("X-Ratelimit-Limit") == ""
		}
		t.lim.release(res, rep)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if err := retryFailure(err, attempt); err != nil {
				return nil, err
			}
			continue
		}
		switch kind, msg := classify(resp); kind {
		case limitPrimary:
			primaries++
			if primaries > intOr(t.PrimaryRetries, 3) {
				e := limitError(res, false, rep.reset, rep.reset.Sub(t.now()), t.maxWait())
				e.Retries = primaries - 1
				return nil, e
			}
			t.lim.exhaust(res, rep)
			p.Retrying(fmt.Errorf("GitHub's %s rate limit is exhausted: %s", res, msg), attempt)
			continue // acquire waits for the reset, within MaxWait
		case limitSecondary:
			secondaries++
			if secondaries > intOr(t.SecondaryRetries, 5) {
				return nil, &RateLimitError{Resource: res, Secondary: true, MaxWait: t.maxWait()}
			}
			wait := t.retryAfter(resp.Header)
			if wait <= 0 {
				wait = durOr(t.SecondaryMinWait, time.Minute)
			}
			wait = doubled(wait, secondaries-1)
			if wait > min(t.maxWait(), SensibleWait) {
				return nil, limitError(res, true, t.now().Add(wait), wait, t.maxWait())
			}
			if err := t.pause(ctx, res, wait, msg); err != nil {
				return nil, err
			}
			continue
		case serverError:
			herr := &HTTPError{Method: req.Method, Path: req.URL.Path, Status: resp.StatusCode, Message: msg, Attempts: attempt}
			if err := retryFailure(herr, attempt); err != nil {
				return nil, err
			}
			continue
		}
		if resp.Header.Get("X-Ratelimit-Remaining") == "0" {
			resp.Header.Del("X-Ratelimit-Reset")
		}
		return resp, nil
	}
}

// backoff is exponential with equal jitter: uniform in [d/2, d] with d
// doubling from RetryBase up to RetryMax, so concurrent retries spread out
// while each still waits at least half its step.
func (t *Transport) backoff(n int) time.Duration {
	d := durOr(t.RetryBase, time.Second)
	for i := 1; i < n && d < durOr(t.RetryMax, 30*time.Second); i++ {
		d *= 2
	}
	d = min(d, durOr(t.RetryMax, 30*time.Second))
	return d/2 + rand.N(d/2+1)
}

// attempt sends one copy of req with its own timeout and reads the whole
// body, so that a timeout or a truncated body is an error of this attempt.
func (t *Transport) attempt(ctx context.Context, req *http.Request) (*http.Response, error) {
	actx, cancel := context.WithTimeout(ctx, durOr(t.Timeout, time.Minute))
	defer cancel()
	r2 := req.Clone(actx)
	if req.Body != nil && req.GetBody != nil {
		b, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r2.Body = b
	}
	resp, err := t.base().RoundTrip(r2)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("reading the response to %s %s: %w", req.Method, req.URL.Path, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

type respKind int

const (
	plainResponse respKind = iota
	limitPrimary
	limitSecondary
	serverError
)

// classify sorts a buffered response and returns GitHub's message, if any.
// The order follows GitHub's guidance: retry-after first, then an exhausted
// primary budget, then a body naming the secondary limit.
func classify(resp *http.Response) (respKind, string) {
	var body struct {
		Message          string `json:"message"`
		DocumentationURL string `json:"documentation_url"`
	}
	if resp.StatusCode >= 400 {
		if b, err := io.ReadAll(resp.Body); err == nil {
			_ = json.Unmarshal(b, &body)
			resp.Body = io.NopCloser(bytes.NewReader(b))
		}
	}
	msg := body.Message
	switch c := resp.StatusCode; {
	case c == http.StatusForbidden || c == http.StatusTooManyRequests:
		secondaryText := strings.Contains(strings.ToLower(body.Message), "secondary rate limit") ||
			strings.Contains(body.DocumentationURL, "secondary-rate-limits") ||
			strings.Contains(body.DocumentationURL, "abuse-rate-limits")
		switch {
		case resp.Header.Get("Retry-After") != "":
			return limitSecondary, msg
		case resp.Header.Get("X-Ratelimit-Remaining") == "0" && !secondaryText:
			return limitPrimary, msg
		case secondaryText || c == http.StatusTooManyRequests:
			return limitSecondary, msg
		}
	case c >= 500:
		if msg == "" {
			msg = http.StatusText(c)
		}
		return serverError, msg
	}
	return plainResponse, msg
}

// retryAfter reads Retry-After as delay-seconds or as an HTTP date (RFC
// 9110 10.2.3), or the exact pause from Timing when it gives one. It is 0
// when the header is absent, unreadable or in the past, and a value beyond
// SensibleWait (however far, without overflowing) reads as just over it.
func (t *Transport) retryAfter(h http.Header) time.Duration {
	if t.Timing != nil {
		if _, d := t.Timing(h); d > 0 {
			return min(d, SensibleWait+time.Second)
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	var d time.Duration
	if s, err := strconv.ParseUint(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if err != nil || s > uint64(SensibleWait/time.Second) {
			return SensibleWait + time.Second
		}
		d = time.Duration(s) * time.Second
	} else if at, err := http.ParseTime(v); err == nil {
		d = at.Sub(t.now())
	}
	return min(max(d, 0), SensibleWait+time.Second)
}

// doubled is d doubled n times, saturating above SensibleWait so that a
// long run of back-offs cannot overflow.
func doubled(d time.Duration, n int) time.Duration {
	for ; n > 0 && d <= SensibleWait; n-- {
		d *= 2
	}
	return d
}

// report is the budget a response states; ok is false when its headers
// do not state one.
type report struct {
	ok               bool
	limit, remaining int
	reset            time.Time
	exact            bool // reset came from Timing, to the millisecond
	unmetered        bool // an answer of a server that states no budget at all
}

// budgetOf reads x-ratelimit-limit, -remaining and -reset, or the exact
// reset from Timing when it gives one.
func (t *Transport) budgetOf(h http.Header) report {
	var r report
	if t.Timing != nil {
		if at, _ := t.Timing(h); !at.IsZero() {
			r.reset, r.exact = at, true
		}
	}
	if r.reset.IsZero() {
		if s, err := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64); err == nil && s > 0 {
			r.reset = time.Unix(s, 0)
		}
	}
	var err1, err2 error
	r.limit, err1 = strconv.Atoi(h.Get("X-Ratelimit-Limit"))
	r.remaining, err2 = strconv.Atoi(h.Get("X-Ratelimit-Remaining"))
	r.ok = err1 == nil && err2 == nil && !r.reset.IsZero() && r.limit > 0
	return r
}

// acquire blocks until the budget of res can cover one more request (plus
// the reserve, for deferrable requests), then counts it in flight.
func (t *Transport) acquire(ctx context.Context, res string, reserve func() int, maxInFlight int) error {
	p := progressOrNop(t.Progress)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		d := t.lim.tryAcquire(res, reserve(), maxInFlight, t.now(), t.ResetBuffer)
		switch d.mode {
		case admitted:
			return nil
		case awaitChange:
			if err := waitChange(ctx, d.changed, -1); err != nil {
				return err
			}
		case awaitReserve:
			// The reserve may shrink without any response arriving: look
			// again soon.
			if err := waitChange(ctx, d.changed, min(d.wait, 10*time.Millisecond)); err != nil {
				return err
			}
		case awaitReset:
			if d.wait > min(t.maxWait(), SensibleWait) {
				return limitError(res, false, d.until, d.wait, t.maxWait())
			}
			if t.lim.announce(res, d.until) {
				p.Waiting(res, d.until, d.reason)
			}
			if d.changed != nil {
				// Requests in flight are counted against the budget
				// although the server may have charged them already: the
				// remaining count can be too low until they report back,
				// so look again when one does.
				if err := waitChange(ctx, d.changed, d.wait); err != nil {
					return err
				}
				continue
			}
			if err := t.sleep(ctx, d.wait); err != nil {
				return err
			}
		}
	}
}

// waitChange returns when changed fires, after d (negative: no time limit),
// or with ctx's error when ctx ends first.
func waitChange(ctx context.Context, changed <-chan struct{}, d time.Duration) error {
	var timeout <-chan time.Time
	if d >= 0 {
		tm := time.NewTimer(d)
		defer tm.Stop()
		timeout = tm.C
	}
	select {
	case <-changed:
	case <-timeout:
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// pause holds every request for d after a secondary limit, then lets them go.
func (t *Transport) pause(ctx context.Context, res string, d time.Duration, msg string) error {
	until := t.now().Add(d)
	reason := "GitHub's secondary rate limit"
	if msg != "" {
		reason += ": " + msg
	}
	progressOrNop(t.Progress).Waiting(res, until, reason)
	t.lim.setPaused(1)
	defer t.lim.setPaused(-1)
	return t.sleep(ctx, d)
}

// limiter is the shared budget state of a Transport.
type limiter struct {
	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change
	paused  int           // requests currently sleeping off a secondary limit
	budgets map[string]*budget
}

type budget struct {
	known     bool // a response has reported this budget
	unmetered bool // a response stated no budget: nothing to learn first
	limit     int
	remaining int
	reset     time.Time // zero: a new window we assume is full
	exact     bool      // reset came with millisecond precision
	inflight  int
	announced time.Time // last reset reported through Progress.Waiting
}

func newLimiter() *limiter {
	return &limiter{changed: make(chan struct{}), budgets: map[string]*budget{}}
}

func (l *limiter) budget(res string) *budget {
	b := l.budgets[res]
	if b == nil {
		b = &budget{}
		l.budgets[res] = b
	}
	return b
}

func (l *limiter) broadcastLocked() {
	close(l.changed)
	l.changed = make(chan struct{})
}

type admitMode int

const (
	admitted     admitMode = iota
	awaitChange            // until a response in flight reports back
	awaitReserve           // a deferrable request: until a change, or briefly
	awaitReset             // the budget is spent: until the reset
)

type decision struct {
	mode    admitMode
	wait    time.Duration
	until   time.Time
	changed <-chan struct{}
	reason  string
}

// tryAcquire counts a request in flight, or says how to wait. A deferrable
// request keeps reserve requests of the budget for others; the reserve is
// capped at a third of the budget so deferrable requests still progress.
func (l *limiter) tryAcquire(res string, reserve, maxInFlight int, now time.Time, buf time.Duration) decision {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.paused > 0 {
		return decision{mode: awaitChange, changed: l.changed}
	}
	b := l.budget(res)
	if maxInFlight > 0 && b.inflight >= maxInFlight {
		return decision{mode: awaitChange, changed: l.changed}
	}
	if !b.known {
		if b.inflight > 0 && !b.unmetered { // learn the budget from one response first
			return decision{mode: awaitChange, changed: l.changed}
		}
		b.inflight++
		return decision{mode: admitted}
	}
	reserve = min(reserve, b.limit/3)
	var wake time.Time
	if !b.reset.IsZero() {
		wake = b.reset.Add(2 * time.Millisecond)
		if !b.exact {
			wake = b.reset.Add(durOr(buf, time.Second))
		}
		if !now.Before(wake) { // the window is over: assume a full one
			b.remaining, b.reset = b.limit, time.Time{}
		}
	}
	free := b.remaining - b.inflight
	switch {
	case free > reserve:
		b.inflight++
		return decision{mode: admitted}
	case free > 0 || b.reset.IsZero():
		// Deferrable and the rest is reserved, or an assumed new window
		// is fully in flight: responses will tell more.
		wait := time.Duration(0)
		if !b.reset.IsZero() {
			wait = wake.Sub(now)
		}
		if free > 0 {
			if wait <= 0 {
				wait = 10 * time.Millisecond
			}
			return decision{mode: awaitReserve, wait: wait, changed: l.changed}
		}
		return decision{mode: awaitChange, changed: l.changed}
	default:
		d := decision{mode: awaitReset, wait: wake.Sub(now), until: wake,
			reason: fmt.Sprintf("the %s budget of %d requests is used up until its reset", res, b.limit)}
		if b.inflight > 0 {
			d.changed = l.changed
		}
		return d
	}
}

// release ends a request in flight and folds in the budget its response
// reports. Responses overtake each other, so within one window the lowest
// remaining wins, and a response of an older window changes nothing.
func (l *limiter) release(res string, r report) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.budget(res)
	b.inflight--
	if r.ok {
		l.foldLocked(b, r)
	}
	b.unmetered = b.unmetered || r.unmetered
	l.broadcastLocked()
}

func (l *limiter) foldLocked(b *budget, r report) {
	lim, rem, reset, exact := r.limit, r.remaining, r.reset, r.exact
	switch {
	case !b.known || b.reset.IsZero() || reset.After(b.reset):
		b.known, b.limit, b.remaining, b.reset, b.exact = true, lim, rem, reset, exact
	case reset.Equal(b.reset):
		b.remaining = min(b.remaining, rem)
	}
}

// exhaust records a primary-limit response: nothing is left until its reset.
func (l *limiter) exhaust(res string, r report) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.budget(res)
	reset, exact, lim := r.reset, r.exact, r.limit
	if reset.IsZero() {
		return
	}
	if lim <= 0 {
		lim = max(b.limit, 1)
	}
	b.known, b.limit, b.remaining, b.reset, b.exact = true, lim, 0, reset, exact
	l.broadcastLocked()
}

// announce reports whether a wait until until is news for Progress.
func (l *limiter) announce(res string, until time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.budget(res)
	if b.announced.Equal(until) {
		return false
	}
	b.announced = until
	return true
}

func (l *limiter) setPaused(delta int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.paused += delta
	l.broadcastLocked()
}
