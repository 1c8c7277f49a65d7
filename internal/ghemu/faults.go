package ghemu

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// FaultKind is one way the emulated API misbehaves.
type FaultKind int

// Fault kinds. Every fault is charged to the rate-limit budget like a normal
// request, except that FaultPrimary spends the whole budget.
const (
	// FaultNone serves the request normally.
	FaultNone FaultKind = iota
	// Fault5xx answers 502 Bad Gateway, alternating GitHub's HTML error page
	// and a JSON {"message":"Server Error"} body.
	Fault5xx
	// FaultSecondary answers 403 with Retry-After and a secondary-rate-limit
	// message whose documentation_url ends in "secondary-rate-limits" (go-github
	// v62 turns it into *github.AbuseRateLimitError).
	FaultSecondary
	// FaultSecondary429 is FaultSecondary with status 429 (go-github v62
	// returns a plain *github.ErrorResponse for it).
	FaultSecondary429
	// FaultPrimary spends the remaining primary budget of the request's
	// resource and answers 403 with x-ratelimit-remaining 0; later requests
	// are refused until the window ends.
	FaultPrimary
	// FaultSlow waits Fault.Delay (default 100ms) and then answers normally.
	FaultSlow
	// FaultTruncated answers the normal status and headers with only the first
	// half of the JSON body (Content-Length matches what is sent).
	FaultTruncated
	// FaultMalformed answers 200 with a body that is not JSON.
	FaultMalformed
	// FaultReset closes the connection without any response.
	FaultReset
	// FaultIncomplete answers a search with incomplete_results:true and some
	// items of the page missing (every third one, at least one); total_count
	// is unchanged. On other endpoints it answers normally.
	FaultIncomplete
	// FaultUnauthorized answers 401 Bad credentials.
	FaultUnauthorized
	// FaultNotFound answers 404 Not Found.
	FaultNotFound
	// FaultValidation answers 422 Validation Failed.
	FaultValidation
	// FaultShift changes the tracker and then answers normally: it makes
	// the changes Fault.Shifts names (default ShiftReopen then ShiftClose,
	// which keeps total_count as it was) to issues of Fault.Query (default:
	// the request's q without its updated: terms), each stamped with
	// updated_at = Config.Now, as GitHub stamps an edit. Issues are picked
	// by a generator seeded with Fault.Seed and the number of changes made
	// so far, so a sequential client sees the same changes on every run.
	// A change that finds no issue to act on is skipped.
	FaultShift
)

var faultNames = [...]string{"none", "5xx", "secondary", "secondary429", "primary", "slow", "truncated", "malformed", "reset", "incomplete", "unauthorized", "notfound", "validation", "shift"}

// String names the kind, e.g. "secondary429".
func (k FaultKind) String() string {
	if k >= 0 && int(k) < len(faultNames) {
		return faultNames[k]
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// Fault is one queued misbehaviour.
type Fault struct {
	Kind  FaultKind
	Count int // how many consecutive eligible requests it hits; default 1
	// Delay is the wait of FaultSlow; default 100ms.
	Delay time.Duration
	// RetryAfter is the wait announced by FaultSecondary and
	// FaultSecondary429, sent rounded up to whole seconds in Retry-After and
	// exactly in the emulator-only header X-Retry-After-Ms; default 1s.
	RetryAfter time.Duration
	// Path, when set, limits the fault to requests whose path contains it.
	Path string
	// Shifts, Query and Seed parameterise FaultShift (see there).
	Shifts []Shift
	Query  string
	Seed   int64
}

// RandomFaults makes every search or core request fail with probability Rate,
// with a kind drawn uniformly from Kinds. The draws come from a PCG generator
// seeded with Seed, so a sequential client sees the same faults on every run.
// Queued faults (Inject) take precedence and consume no draw.
type RandomFaults struct {
	Seed  int64
	Rate  float64
	Kinds []FaultKind
	// Delay, RetryAfter and Shifts parameterise the drawn faults as in
	// Fault; a drawn FaultShift takes its Seed from the generator.
	Delay      time.Duration
	RetryAfter time.Duration
	Shifts     []Shift
}

// Inject queues faults. Each search or core request takes the first queued
// fault whose Path it matches; a fault with Count n is taken n times.
// /rate_limit is never faulted.
func (s *Server) Inject(f ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, x := range f {
		if x.Count <= 0 {
			x.Count = 1
		}
		s.faults = append(s.faults, x)
	}
}

// SetRandomFaults replaces the random fault configuration and restarts its
// generator; the zero RandomFaults turns random faults off.
func (s *Server) SetRandomFaults(r RandomFaults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.Kinds = append([]FaultKind(nil), r.Kinds...)
	s.random = r
	s.rng = rand.New(rand.NewPCG(uint64(r.Seed), 0x9e3779b97f4a7c15))
}

func (s *Server) nextFaultLocked(path string) Fault {
	for i := range s.faults {
		f := &s.faults[i]
		if f.Path != "" && !strings.Contains(path, f.Path) {
			continue
		}
		out := *f
		out.Count = 1
		f.Count--
		if f.Count == 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		return out
	}
	if s.rng != nil && s.random.Rate > 0 && len(s.random.Kinds) > 0 {
		if s.rng.Float64() < s.random.Rate {
			k := s.random.Kinds[s.rng.IntN(len(s.random.Kinds))]
			return Fault{Kind: k, Count: 1, Delay: s.random.Delay, RetryAfter: s.random.RetryAfter,
				Shifts: s.random.Shifts, Seed: s.rng.Int64()}
		}
	}
	return Fault{}
}

const secondaryMessage = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000."

const unicornPage = `<!DOCTYPE html>
<html>
  <head>
    <meta http-equiv="Content-Type" content="text/html; charset=utf-8">
    <title>Unicorn! &middot; GitHub</title>
  </head>
  <body>
    <h1>No server is currently available to service your request.</h1>
    <p>Sorry about that. Please try refreshing and contact us if the problem persists.</p>
  </body>
</html>
`

// applyFault serves r through next, misbehaving as f says.
func (s *Server) applyFault(f Fault, next http.Handler, w *statusWriter, r *http.Request) {
	switch f.Kind {
	case FaultNone:
		next.ServeHTTP(w, r)
	case FaultIncomplete:
		next.ServeHTTP(w, r.WithContext(withIncomplete(r.Context())))
	case FaultShift:
		s.shift(f, r.URL.Query().Get("q"))
		next.ServeHTTP(w, r)
	case Fault5xx:
		s.mu.Lock()
		n := s.served5
		s.served5++
		s.mu.Unlock()
		if n%2 == 0 {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte(unicornPage))
			return
		}
		writeJSON(w, http.StatusBadGateway, errorBody{Message: "Server Error"})
	case FaultSecondary, FaultSecondary429:
		ra := f.RetryAfter
		if ra <= 0 {
			ra = time.Second
		}
		w.Header().Set("Retry-After", strconv.Itoa(max(ceilSeconds(ra), 1)))
		w.Header().Set("X-Retry-After-Ms", strconv.FormatInt(ra.Milliseconds(), 10))
		status := http.StatusForbidden
		if f.Kind == FaultSecondary429 {
			status = http.StatusTooManyRequests
		}
		writeJSON(w, status, errorBody{
			Message:          secondaryMessage,
			DocumentationURL: "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
		})
	case FaultSlow:
		d := f.Delay
		if d <= 0 {
			d = 100 * time.Millisecond
		}
		if !sleepCtx(r.Context(), d) {
			return
		}
		next.ServeHTTP(w, r)
	case FaultTruncated:
		rec := &bufferWriter{header: http.Header{}}
		next.ServeHTTP(rec, r)
		body := rec.body.Bytes()
		body = body[:len(body)/2]
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.statusOr200())
		_, _ = w.Write(body)
	case FaultMalformed:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("\x00\xff<!-- not json --> {\"items\": [,,]"))
	case FaultReset:
		conn, _, err := w.Hijack()
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		_ = conn.Close()
	case FaultUnauthorized:
		writeBadCredentials(w)
	case FaultNotFound:
		writeNotFound(w)
	case FaultValidation:
		writeValidation(w, "injected validation failure (emulator)")
	case FaultPrimary:
		// admit refuses the request that takes this fault, so it never
		// reaches here; answer as admit would, should that change.
		writeRateLimited(w, true)
	default:
		panic(fmt.Sprintf("ghemu: unknown fault kind %d", f.Kind))
	}
}

// bufferWriter captures a response so a fault can mangle it.
type bufferWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferWriter) Header() http.Header { return b.header }
func (b *bufferWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferWriter) Write(p []byte) (int, error) { return b.body.Write(p) }
func (b *bufferWriter) statusOr200() int {
	if b.status == 0 {
		return http.StatusOK
	}
	return b.status
}
