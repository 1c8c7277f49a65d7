package ghemu

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Config describes one emulated GitHub. The zero Config is a usable, empty
// github.com with GitHub's default limits.
type Config struct {
	// Issues is the tracker. Times are truncated to whole seconds (GitHub's
	// resolution); several repositories may be mixed.
	Issues []Issue

	// Token, when set, is the only accepted credential: requests must send
	// "Authorization: Bearer <Token>" (or "token <Token>"); any other
	// credential gets 401 Bad credentials. A request without an Authorization
	// header is served on the unauthenticated budget. When Token is empty,
	// any non-empty credential is accepted as authenticated.
	Token string

	SearchLimit       int           // authenticated search requests per RateWindow; default 30
	SearchLimitUnauth int           // unauthenticated search requests per RateWindow; default 10
	CoreLimit         int           // core requests per RateWindow (authenticated or not); default 5000
	RateWindow        time.Duration // length of a rate-limit window; default time.Minute
	Latency           time.Duration // added to every response
	PathPrefix        string        // "" like api.github.com; "/api/v3" like GHES
	// Now is the clock of rate-limit windows, reset headers and the request
	// log; default time.Now. Latency and fault delays still take real time.
	Now        func() time.Time
	MaxPerPage int // largest honoured per_page; default 100
	// Addr is the address to listen on, HOST:PORT with a loopback HOST;
	// default 127.0.0.1:0 (any free port). The emulator never listens
	// beyond the machine.
	Addr string
}

// Request is one entry of the server's request log. The credential itself is
// never stored, only whether it was accepted.
type Request struct {
	Method string
	Path   string // as received, including any PathPrefix
	Query  url.Values
	Status int // 0 when the connection was dropped without a response
	// Resource is the rate-limit resource charged: "search", "core", or ""
	// (rate_limit, rejected credentials, paths outside the prefix).
	Resource   string
	Fault      FaultKind
	At         time.Time // when the request arrived (Config.Now)
	Authorized bool
}

// Server is a running emulator on 127.0.0.1. Its methods are safe for
// concurrent use.
type Server struct {
	cfg  Config
	ln   net.Listener
	srv  *http.Server
	base *url.URL // API root with trailing slash
	// data is the tracker. It is immutable: FaultShift swaps in a changed
	// copy, so a request works on the one it loaded first.
	data   atomic.Pointer[dataset]
	rel    *releaseStore
	closed sync.Once

	mu      sync.Mutex
	log     []Request
	buckets map[bucketKey]*bucket
	faults  []Fault
	random  RandomFaults
	rng     *rand.Rand
	served5 int // 5xx faults served, alternates HTML and JSON bodies
	shifted int // FaultShift changes made, for their generator's stream

	shiftMu sync.Mutex // serialises FaultShift's read, change and swap of data
}

type bucketKey struct {
	resource string
	authed   bool
}

type bucket struct {
	limit int
	used  int
	reset time.Time
}

// Start serves cfg on a fresh loopback port until Close. It fails if an
// issue's Repo is not OWNER/NAME or a number repeats within a repository.
func Start(cfg Config) (*Server, error) {
	if cfg.SearchLimit <= 0 {
		cfg.SearchLimit = 30
	}
	if cfg.SearchLimitUnauth <= 0 {
		cfg.SearchLimitUnauth = 10
	}
	if cfg.CoreLimit <= 0 {
		cfg.CoreLimit = 5000
	}
	if cfg.RateWindow <= 0 {
		cfg.RateWindow = time.Minute
	}
	if cfg.MaxPerPage <= 0 {
		cfg.MaxPerPage = 100
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	prefix := strings.TrimRight(cfg.PathPrefix, "/")
	if prefix != "" && !strings.HasPrefix(prefix, "/") {
		prefix = "/" + prefix
	}
	cfg.PathPrefix = prefix

	if err := checkIssues(cfg.Issues); err != nil {
		return nil, fmt.Errorf("ghemu: start: %w", err)
	}
	addr := cfg.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if host, _, err := net.SplitHostPort(addr); err != nil || !isLoopback(host) {
		return nil, fmt.Errorf("ghemu: start: listen address %q is not a loopback HOST:PORT such as 127.0.0.1:8080", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("ghemu: start: listen on loopback: %w", err)
	}
	base, _ := url.Parse("http://" + ln.Addr().String() + prefix + "/")
	s := &Server{
		cfg:     cfg,
		ln:      ln,
		base:    base,
		rel:     newReleaseStore(),
		buckets: map[bucketKey]*bucket{},
	}
	s.data.Store(newDataset(cfg.Issues))
	s.srv = &http.Server{Handler: s.handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// URL is the API root with a trailing slash, ready for go-github's BaseURL,
// e.g. "http://127.0.0.1:PORT/" or "http://127.0.0.1:PORT/api/v3/".
func (s *Server) URL() string { return s.base.String() }

// apiRoot is URL without its trailing slash, the prefix of every URL in a
// response body.
func (s *Server) apiRoot() string { return strings.TrimSuffix(s.base.String(), "/") }

// Close stops the server and drops open connections. It is safe to call
// more than once.
func (s *Server) Close() {
	s.closed.Do(func() { _ = s.srv.Close() })
}

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.log))
	for i, r := range s.log {
		r.Query = cloneValues(r.Query)
		out[i] = r
	}
	return out
}

// ResetLog empties the request log. Rate-limit budgets and queued faults are
// kept.
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

// Issues returns a copy of the tracker as served now (times truncated to
// seconds, FaultShift's changes applied), sorted by creation time then
// number.
func (s *Server) Issues() []Issue {
	d := s.data.Load()
	out := make([]Issue, len(d.recs))
	for i := range d.recs {
		out[i] = d.recs[i].iss.clone()
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// handler builds the request pipeline: latency, prefix, credentials, rate
// limits and faults run before the API routes, in the order GitHub applies
// them (a bad token is rejected before any budget is charged).
func (s *Server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /search/issues", s.handleSearch)
	mux.HandleFunc("GET /rate_limit", s.handleRateLimit)
	mux.HandleFunc("GET /repos/{owner}/{repo}", s.handleRepo)
	mux.HandleFunc("GET /repos/{owner}/{repo}/issues", s.handleListIssues)
	s.registerReleaseRoutes(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { writeNotFound(w) })
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serve(mux, w, r)
	})
}

func (s *Server) serve(mux http.Handler, w http.ResponseWriter, r *http.Request) {
	rec := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), At: s.cfg.Now()}
	// The entry is logged when the status goes out, before the client can
	// see the response, so a test reading Requests() right after a call
	// finds it.
	logged := false
	commit := func(status int) {
		if logged {
			return
		}
		logged = true
		rec.Status = status
		s.mu.Lock()
		s.log = append(s.log, rec)
		s.mu.Unlock()
	}
	sw := &statusWriter{ResponseWriter: w, onHeader: commit}
	defer func() { commit(sw.status) }()

	if !sleepCtx(r.Context(), s.cfg.Latency) {
		return
	}
	// Date comes from Config.Now, the clock FaultShift stamps updated_at
	// with, as GitHub's Date and updated_at share GitHub's clock. It is
	// taken before the request is served, so it is never later than a
	// change the request sees.
	sw.Header().Set("Date", s.cfg.Now().UTC().Format(http.TimeFormat))
	rel, ok := s.relPath(r.URL.Path)
	if !ok {
		writeNotFound(sw)
		return
	}
	authed, ok := s.authorize(r)
	rec.Authorized = authed
	if !ok {
		writeBadCredentials(sw)
		return
	}
	resource := "core"
	switch {
	case rel == "/rate_limit":
		resource = ""
	case strings.HasPrefix(rel, "/search/"):
		resource = "search"
	}
	rec.Resource = resource

	var f Fault
	if resource != "" {
		var allowed bool
		f, allowed = s.admit(sw.Header(), resource, authed, r.URL.Path)
		rec.Fault = f.Kind
		if !allowed {
			writeRateLimited(sw, authed)
			return
		}
	}

	if f.Kind == FaultReset {
		// No status will go out: log the request before the connection
		// closes, or a client could look at the log before the entry lands.
		commit(0)
	}
	r2 := new(http.Request)
	*r2 = *r
	u := *r.URL
	u.Path = rel
	u.RawPath = ""
	r2.URL = &u
	s.applyFault(f, mux, sw, r2)
}

// relPath strips the configured prefix; paths outside it do not exist.
func (s *Server) relPath(p string) (string, bool) {
	if s.cfg.PathPrefix == "" {
		return p, true
	}
	rest, ok := strings.CutPrefix(p, s.cfg.PathPrefix)
	if !ok || (rest != "" && !strings.HasPrefix(rest, "/")) {
		return "", false
	}
	if rest == "" {
		rest = "/"
	}
	return rest, true
}

// authorize reports whether the request carries an accepted credential, and
// false in ok when it carries a rejected one.
func (s *Server) authorize(r *http.Request) (authed, ok bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return false, true
	}
	scheme, tok, _ := strings.Cut(h, " ")
	tok = strings.TrimSpace(tok)
	if !strings.EqualFold(scheme, "bearer") && !strings.EqualFold(scheme, "token") || tok == "" {
		return false, false
	}
	if s.cfg.Token != "" && tok != s.cfg.Token {
		return false, false
	}
	return true, true
}

func (s *Server) limitFor(resource string, authed bool) int {
	switch {
	case resource == "search" && authed:
		return s.cfg.SearchLimit
	case resource == "search":
		return s.cfg.SearchLimitUnauth
	default:
		return s.cfg.CoreLimit
	}
}

// bucketLocked returns the current window of a budget, opening a new one at
// now when none is open: windows start with the first request after the
// previous one ended, as GitHub's do.
func (s *Server) bucketLocked(resource string, authed bool, now time.Time) *bucket {
	k := bucketKey{resource, authed}
	b := s.buckets[k]
	if b == nil || !now.Before(b.reset) {
		b = &bucket{limit: s.limitFor(resource, authed), reset: now.Add(s.cfg.RateWindow)}
		s.buckets[k] = b
	}
	return b
}

// admit charges one request to its budget, picks the fault to apply, and
// writes the rate-limit headers. allowed is false when the budget is spent
// (or a FaultPrimary just spent it).
func (s *Server) admit(h http.Header, resource string, authed bool, path string) (f Fault, allowed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now()
	b := s.bucketLocked(resource, authed, now)
	// A refused request takes no fault from the queue, so a test's faults
	// still reach the requests it meant once the budget is back.
	if b.used < b.limit {
		f = s.nextFaultLocked(path)
		if f.Kind == FaultPrimary {
			b.used = b.limit
		} else {
			b.used++
			allowed = true
		}
	}
	setRateHeaders(h, b, resource)
	return f, allowed
}

// setRateHeaders writes GitHub's x-ratelimit-* headers. The reset is rounded
// up to a whole second so that a client waiting until it never wakes early,
// even when RateWindow is shorter than a second. x-ratelimit-reset-ms is an
// emulator-only header with the exact reset in Unix milliseconds.
func setRateHeaders(h http.Header, b *bucket, resource string) {
	rem := b.limit - b.used
	if rem < 0 {
		rem = 0
	}
	h.Set("X-RateLimit-Limit", strconv.Itoa(b.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(rem))
	h.Set("X-RateLimit-Used", strconv.Itoa(b.used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(ceilUnix(b.reset), 10))
	h.Set("X-RateLimit-Reset-Ms", strconv.FormatInt(b.reset.UnixMilli(), 10))
	h.Set("X-RateLimit-Resource", resource)
}

func ceilUnix(t time.Time) int64 {
	sec := t.Unix()
	if t.Nanosecond() > 0 {
		sec++
	}
	return sec
}

// writeRateLimited answers a spent primary budget with 403; GitHub may also
// use 429, which go-github v62 does not recognise as a rate limit.
func writeRateLimited(w http.ResponseWriter, authed bool) {
	msg := "API rate limit exceeded for user ID 1."
	if !authed {
		msg = "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)"
	}
	writeJSON(w, http.StatusForbidden, errorBody{
		Message:          msg,
		DocumentationURL: "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting",
	})
}

func (s *Server) handleRateLimit(w http.ResponseWriter, r *http.Request) {
	authed, _ := s.authorize(r)
	type res struct {
		Limit     int    `json:"limit"`
		Used      int    `json:"used"`
		Remaining int    `json:"remaining"`
		Reset     int64  `json:"reset"`
		Resource  string `json:"resource,omitempty"`
	}
	now := s.cfg.Now()
	s.mu.Lock()
	get := func(resource string) res {
		// Reading the budget must not open a window, or /rate_limit would
		// shift the reset of the next real request.
		b := s.buckets[bucketKey{resource, authed}]
		if b == nil || !now.Before(b.reset) {
			b = &bucket{limit: s.limitFor(resource, authed), reset: now.Add(s.cfg.RateWindow)}
		}
		rem := max(b.limit-b.used, 0)
		return res{Limit: b.limit, Used: b.used, Remaining: rem, Reset: ceilUnix(b.reset), Resource: resource}
	}
	core, search := get("core"), get("search")
	s.mu.Unlock()
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(core.Limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(core.Remaining))
	h.Set("X-RateLimit-Used", strconv.Itoa(core.Used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(core.Reset, 10))
	h.Set("X-RateLimit-Resource", "core")
	rate := core
	rate.Resource = ""
	writeJSON(w, http.StatusOK, map[string]any{
		"resources": map[string]res{"core": core, "search": search},
		"rate":      rate,
	})
}

// errorBody is GitHub's JSON error shape. Status (the HTTP status as a
// string) and documentation_url are filled where GitHub sends them; its rate
// limit and 5xx bodies carry no status.
type errorBody struct {
	Message          string        `json:"message"`
	Errors           []errorDetail `json:"errors,omitempty"`
	DocumentationURL string        `json:"documentation_url,omitempty"`
	Status           string        `json:"status,omitempty"`
}

type errorDetail struct {
	Message  string `json:"message,omitempty"`
	Resource string `json:"resource,omitempty"`
	Field    string `json:"field,omitempty"`
	Code     string `json:"code,omitempty"`
}

func writeNotFound(w http.ResponseWriter) {
	writeJSON(w, http.StatusNotFound, errorBody{Message: "Not Found", DocumentationURL: "https://docs.github.com/rest", Status: "404"})
}

func writeBadCredentials(w http.ResponseWriter) {
	writeJSON(w, http.StatusUnauthorized, errorBody{Message: "Bad credentials", DocumentationURL: "https://docs.github.com/rest", Status: "401"})
}

// statusWriter remembers the status for the request log and lets faults
// hijack the connection underneath.
type statusWriter struct {
	http.ResponseWriter
	status   int
	onHeader func(status int)
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
		w.onHeader(code)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("ghemu: connection cannot be hijacked")
	}
	return hj.Hijack()
}

// sleepCtx waits d, returning false if the client went away first.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// ceilSeconds renders d as the whole seconds of a Retry-After header, never
// less than the real wait.
func ceilSeconds(d time.Duration) int {
	return int(math.Ceil(d.Seconds()))
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
