package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/ghapi"
	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/internal/ghemu/ghemutest"
)

// BenchmarkFetch5000 fetches a 5 000-issue window from an emulator with
// 100 ms latency and a search budget of 30 requests per 1 s window, and
// compares with a naive sequential go-github loop in the same run.
//
// Metrics per fetch:
//   - req/min: search requests / ceil(N/100), the fewest that can list N;
//   - wall/bound: wall time / the time the budget forces for those
//     requests, floor((R-1)/30) windows plus one latency;
//   - ratelimit-errors: 403/429 answers the emulator logged;
//   - last-sent-s: when the emulator received the fetch's last request;
//     what follows it is one latency plus serving and decoding the pages
//     of the last window;
//   - naive-got, naive-req, naive-ratelimit-errors, naive-wall-s: the
//     baseline, client.Search.Issues pages 1.. with a plain go-github client
//     on the same server right after the fetch;
//   - walk-got, walk-ratelimit-errors, walk-wall-s: a second baseline that
//     knows the created-order split (sequential, plain go-github client, no
//     pacing) and stops at its first error, on a fresh server.
func BenchmarkFetch5000(b *testing.B) {
	for _, conc := range []int{0, 4, 8, 16} {
		name := fmt.Sprintf("concurrency=%d", conc)
		if conc == 0 {
			name = "concurrency=default"
		}
		b.Run(name, func(b *testing.B) { benchFetch(b, 5000, conc) })
	}
}

func benchFetch(b *testing.B, n, conc int) {
	const (
		limit   = 30
		window  = time.Second
		latency = 100 * time.Millisecond
	)
	issues := ghemu.GenerateDense(5, testRepo, n, winStart, winEnd)
	q := denseQuery(b, testRepo)
	var reqs, limited, naiveGot, naiveReq, naiveLimited int
	var wall, bound, naiveWall, walkWall time.Duration
	var walkGot, walkLimited int
	var lastArrival time.Duration
	cfg := ghemu.Config{Issues: issues, Token: "tok", SearchLimit: limit, RateWindow: window, Latency: latency}
	for range b.N {
		s := startEmu(b, cfg)
		// The emulator's exact resets, as the figures in BENCHMARKS.md were
		// measured with: a one-second window would otherwise spend a second
		// of ResetBuffer per window.
		c, err := ghapi.NewClient(ghapi.ClientOptions{Token: "tok", APIURL: s.URL(), Transport: &ghapi.Transport{Timing: ghemutest.Timing}})
		if err != nil {
			b.Fatal(err)
		}
		f := &Fetcher{Client: c, Server: "https://github.com", Concurrency: conc}
		// The previous iteration's emulators and baselines leave garbage
		// that is the harness's, not the fetch's: collect it before the
		// clock starts, as testing does before each benchmark run.
		runtime.GC()
		start := time.Now()
		cl, err := f.Fetch(context.Background(), q)
		if err != nil {
			b.Fatal(err)
		}
		wall += time.Since(start)
		if cl.Total != n {
			b.Fatalf("fetched %d of %d", cl.Total, n)
		}
		r, l := searchRequests(s)
		reqs += r
		limited += l
		var last time.Time
		for _, rq := range s.Requests() {
			if rq.At.After(last) {
				last = rq.At
			}
		}
		lastArrival += last.Sub(start)
		bound += time.Duration((r-1)/limit)*window + latency

		s.ResetLog()
		runtime.GC()
		start = time.Now()
		naiveGot += naiveLoop(b, s.URL(), q.String())
		naiveWall += time.Since(start)
		r, l = searchRequests(s)
		naiveReq += r
		naiveLimited += l
		s.Close()

		s2 := startEmu(b, cfg)
		runtime.GC()
		start = time.Now()
		got, errs := naiveWalk(s2.URL(), q)
		walkWall += time.Since(start)
		walkGot += got
		walkLimited += errs
		s2.Close()
	}
	runs := float64(b.N)
	b.ReportMetric(float64(reqs)/runs/float64(ceilDiv(n, 100)), "req/min")
	b.ReportMetric(wall.Seconds()/bound.Seconds(), "wall/bound")
	b.ReportMetric(float64(limited)/runs, "ratelimit-errors")
	b.ReportMetric(wall.Seconds()/runs, "wall-s")
	b.ReportMetric(lastArrival.Seconds()/runs, "last-sent-s")
	b.ReportMetric(float64(reqs)/runs, "req")
	b.ReportMetric(float64(naiveGot)/runs, "naive-got")
	b.ReportMetric(float64(naiveReq)/runs, "naive-req")
	b.ReportMetric(float64(naiveLimited)/runs, "naive-ratelimit-errors")
	b.ReportMetric(naiveWall.Seconds()/runs, "naive-wall-s")
	b.ReportMetric(float64(walkGot)/runs, "walk-got")
	b.ReportMetric(float64(walkLimited)/runs, "walk-ratelimit-errors")
	b.ReportMetric(walkWall.Seconds()/runs, "walk-wall-s")
}

// startEmu starts an emulator that the caller closes. Unlike
// ghemutest.Start it registers no cleanup, which would keep every
// iteration's 20 000-record tracker alive until the benchmark ends and make
// each garbage collection during a timed fetch slower than the last.
func startEmu(b *testing.B, cfg ghemu.Config) *ghemu.Server {
	b.Helper()
	s, err := ghemu.Start(cfg)
	if err != nil {
		b.Fatalf("start GitHub emulator: %v", err)
	}
	return s
}

// naiveWalk is the created-order walk written the plain way: go-github's
// Search.Issues, one page after another, created:>=T splits, no pacing, no
// retries. It returns the distinct issues it got before its first error and
// whether that error was a rate limit.
func naiveWalk(api string, q filters.Query) (got, rateErrs int) {
	c := github.NewClient(nil).WithAuthToken("tok")
	c.BaseURL, _ = url.Parse(api)
	seen := map[int64]bool{}
	base := q
	for {
		opt := &github.SearchOptions{Sort: "created", Order: "asc", ListOptions: github.ListOptions{PerPage: 100, Page: 1}}
		var last time.Time
		var total int
		for {
			res, resp, err := c.Search.Issues(context.Background(), q.String(), opt)
			if err != nil {
				var rl *github.RateLimitError
				if errors.As(err, &rl) {
					rateErrs++
				}
				return len(seen), rateErrs
			}
			total = res.GetTotal()
			for _, is := range res.Issues {
				seen[is.GetID()] = true
				last = is.GetCreatedAt().Time
			}
			if resp.NextPage == 0 {
				break
			}
			opt.Page = resp.NextPage
		}
		if total <= 1000 {
			return len(seen), rateErrs
		}
		q.Created = base.Created.Intersect(filters.Window{From: filters.Instant(last)})
	}
}

// naiveLoop is the loop most scripts write: go-github's Search.Issues,
// pages 1.. until NextPage is 0 or an error, no pacing, no retries.
func naiveLoop(b *testing.B, api, q string) int {
	c := github.NewClient(nil).WithAuthToken("tok")
	c.BaseURL, _ = url.Parse(api)
	got := 0
	opt := &github.SearchOptions{Sort: "created", Order: "asc", ListOptions: github.ListOptions{PerPage: 100, Page: 1}}
	for {
		res, resp, err := c.Search.Issues(context.Background(), q, opt)
		if err != nil {
			var rl *github.RateLimitError
			var er *github.ErrorResponse
			if !errors.As(err, &rl) && !(errors.As(err, &er) && er.Response.StatusCode == http.StatusUnprocessableEntity) {
				b.Logf("naive loop: %v", err)
			}
			return got
		}
		got += len(res.Issues)
		if resp.NextPage == 0 {
			return got
		}
		opt.Page = resp.NextPage
	}
}
