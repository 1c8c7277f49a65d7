package fetch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/ghapi"
	"github.com/relnotes/relnotes/internal/ghemu"
)

const secretToken = "ghp_SECRETsecret1234567890"

// TestFetchFaults injects faults into a 1500-issue window (two chunks) and
// checks that each run ends with the exact set, or with the one typed error
// the fault calls for.
func TestFetchFaults(t *testing.T) {
	issues := ghemu.GenerateDense(42, testRepo, 1500, winStart, winEnd)
	type tc struct {
		name    string
		faults  []ghemu.Fault
		random  *ghemu.RandomFaults
		wantErr func(error) bool // nil: the exact set
		wantLog string           // a Progress line that must appear
	}
	is := func(target error) func(error) bool { return func(e error) bool { return errors.Is(e, target) } }
	cases := []tc{
		{name: "5xx burst", faults: []ghemu.Fault{{Kind: ghemu.Fault5xx, Count: 3}}, wantLog: "502"},
		{name: "secondary 403", faults: []ghemu.Fault{{Kind: ghemu.FaultSecondary, Count: 2, RetryAfter: 5 * time.Second}}, wantLog: "secondary"},
		{name: "secondary 429", faults: []ghemu.Fault{{Kind: ghemu.FaultSecondary429, Count: 2}}, wantLog: "secondary"},
		{name: "primary exhaustion", faults: []ghemu.Fault{{Kind: ghemu.FaultPrimary}}, wantLog: "search rate limit is exhausted"},
		{name: "malformed pages", faults: []ghemu.Fault{{Kind: ghemu.FaultMalformed, Count: 2}}, wantLog: "malformed"},
		{name: "truncated pages", faults: []ghemu.Fault{{Kind: ghemu.FaultTruncated, Count: 2}}, wantLog: "malformed"},
		{name: "connection resets", faults: []ghemu.Fault{{Kind: ghemu.FaultReset, Count: 3}}, wantLog: "EOF"},
		{name: "slow answers", faults: []ghemu.Fault{{Kind: ghemu.FaultSlow, Count: 4, Delay: 20 * time.Millisecond}}},
		{name: "incomplete results", faults: []ghemu.Fault{{Kind: ghemu.FaultIncomplete, Count: 2}}, wantLog: "incomplete"},
		{name: "mixed burst", faults: []ghemu.Fault{
			{Kind: ghemu.Fault5xx}, {Kind: ghemu.FaultSecondary}, {Kind: ghemu.FaultMalformed},
			{Kind: ghemu.FaultReset}, {Kind: ghemu.FaultIncomplete}, {Kind: ghemu.FaultTruncated}, {Kind: ghemu.FaultPrimary},
		}},
		{name: "random faults", random: &ghemu.RandomFaults{Seed: 7, Rate: 0.3, RetryAfter: 10 * time.Millisecond, Kinds: []ghemu.FaultKind{
			ghemu.Fault5xx, ghemu.FaultSecondary, ghemu.FaultSecondary429, ghemu.FaultPrimary, ghemu.FaultTruncated,
			ghemu.FaultMalformed, ghemu.FaultReset, ghemu.FaultIncomplete, ghemu.FaultSlow,
		}}},

		{name: "incomplete persists", faults: []ghemu.Fault{{Kind: ghemu.FaultIncomplete, Count: 100}}, wantErr: is(ErrIncomplete)},
		{name: "5xx persists", faults: []ghemu.Fault{{Kind: ghemu.Fault5xx, Count: 100}}, wantErr: func(e error) bool {
			var h *ghapi.HTTPError
			return errors.As(e, &h) && h.Status == 502 && h.Attempts == 5
		}},
		{name: "secondary persists", faults: []ghemu.Fault{{Kind: ghemu.FaultSecondary429, Count: 100, RetryAfter: time.Millisecond}}, wantErr: func(e error) bool {
			var rl *ghapi.RateLimitError
			return errors.As(e, &rl) && rl.Secondary
		}},
		{name: "malformed persists", faults: []ghemu.Fault{{Kind: ghemu.FaultMalformed, Count: 100}}, wantErr: is(ghapi.ErrMalformed)},
		{name: "unauthorized", faults: []ghemu.Fault{{Kind: ghemu.FaultUnauthorized}}, wantErr: func(e error) bool {
			var a *ghapi.AuthError
			return errors.As(e, &a) && a.Status == 401
		}},
		{name: "not found", faults: []ghemu.Fault{{Kind: ghemu.FaultNotFound}}, wantErr: func(e error) bool {
			var nf *ghapi.NotFoundError
			return errors.As(e, &nf) && strings.Contains(e.Error(), "repository "+testRepo+" not found")
		}},
		{name: "validation", faults: []ghemu.Fault{{Kind: ghemu.FaultValidation}}, wantErr: func(e error) bool {
			var qe *ghapi.QueryError
			return errors.As(e, &qe) && strings.Contains(e.Error(), "GitHub rejected the query: injected validation failure")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, ghemu.Config{Issues: issues, Token: secretToken, SearchLimit: 30, RateWindow: 50 * time.Millisecond}, secretToken)
			if c.random != nil {
				e.srv.SetRandomFaults(*c.random)
			}
			e.srv.Inject(c.faults...)
			q := denseQuery(t, testRepo)
			cl, err := e.f.Fetch(context.Background(), q)
			lines := e.rec.lines()
			for _, l := range append(lines, fmt.Sprint(err)) {
				if strings.Contains(l, secretToken) {
					t.Fatalf("token leaked: %s", l)
				}
			}
			if c.wantErr != nil {
				if err == nil || !c.wantErr(err) {
					t.Fatalf("error = %v (%T), want the typed error of this fault", err, err)
				}
				var fe *Error
				if !errors.As(err, &fe) || strings.Count(err.Error(), "fetching issues") != 1 {
					t.Errorf("error %q is not wrapped exactly once in *Error", err)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error is not one line: %q", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Fetch: %v\nprogress: %s", err, strings.Join(lines, "\n"))
			}
			if d := cmp.Diff(truthKeys(t, e.srv, q), gotKeys(cl)); d != "" {
				t.Fatalf("fetched set differs (-want +got):\n%s", d)
			}
			if c.wantLog != "" && !strings.Contains(strings.Join(lines, "\n"), c.wantLog) {
				t.Errorf("no progress line mentions %q:\n%s", c.wantLog, strings.Join(lines, "\n"))
			}
			if _, limited := searchRequests(e.srv); limited > faultsOfKind(c.faults, ghemu.FaultSecondary, ghemu.FaultSecondary429, ghemu.FaultPrimary) && c.random == nil {
				t.Errorf("%d rate-limited responses, more than the injected ones", limited)
			}
		})
	}
}

func faultsOfKind(fs []ghemu.Fault, kinds ...ghemu.FaultKind) int {
	n := 0
	for _, f := range fs {
		for _, k := range kinds {
			if f.Kind == k {
				n += max(f.Count, 1)
			}
		}
	}
	return n
}

// TestIncompleteAllowed accepts a page that stays incomplete and says so.
func TestIncompleteAllowed(t *testing.T) {
	issues := ghemu.GenerateDense(3, testRepo, 250, winStart, winEnd)
	e := newEnv(t, ghemu.Config{Issues: issues}, "")
	e.f.AllowIncomplete = true
	e.srv.Inject(ghemu.Fault{Kind: ghemu.FaultIncomplete, Count: 4, Path: "/search/"})
	cl, err := e.f.Fetch(context.Background(), denseQuery(t, testRepo))
	if err != nil {
		t.Fatal(err)
	}
	if cl.Total >= 250 || cl.Total < 200 {
		t.Errorf("Total = %d, want the 250 minus the items an incomplete page left out", cl.Total)
	}
	if len(cl.Warnings) == 0 || !strings.Contains(cl.Warnings[0], "incomplete results for page 1") {
		t.Errorf("Warnings = %q, want one about the incomplete page", cl.Warnings)
	}
}

// TestDenseSecond puts 1000 issues into one created second, then more after
// it: the walk pages that second alone and carries on. 1001 in one second
// cannot be listed and fail with ErrTooDense.
func TestDenseSecond(t *testing.T) {
	burst := time.Date(2024, 2, 1, 10, 0, 0, 0, time.UTC)
	mk := func(inBurst, after int) []ghemu.Issue {
		var out []ghemu.Issue
		for i := range inBurst + after {
			created := burst
			if i >= inBurst {
				created = burst.Add(time.Duration(i) * time.Minute)
			}
			out = append(out, ghemu.Issue{Repo: testRepo, Number: i + 1, Title: fmt.Sprint("issue ", i+1), Author: "a",
				State: "closed", StateReason: "completed", CreatedAt: created, UpdatedAt: created,
				ClosedAt: winStart.Add(time.Duration(i) * time.Second)})
		}
		return out
	}
	t.Run("1000 in one second", func(t *testing.T) {
		e := newEnv(t, ghemu.Config{Issues: mk(1000, 150)}, "")
		q := denseQuery(t, testRepo)
		cl, err := e.f.Fetch(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(truthKeys(t, e.srv, q), gotKeys(cl)); d != "" {
			t.Fatalf("fetched set differs (-want +got):\n%s", d)
		}
		n, _ := searchRequests(e.srv)
		if n > 10+10+10+2 {
			t.Errorf("%d requests", n)
		}
	})
	t.Run("1001 in one second", func(t *testing.T) {
		e := newEnv(t, ghemu.Config{Issues: mk(1001, 5)}, "")
		_, err := e.f.Fetch(context.Background(), denseQuery(t, testRepo))
		if !errors.Is(err, ErrTooDense) {
			t.Fatalf("error = %v, want ErrTooDense", err)
		}
	})
}

// TestUnknownRepository is GitHub's real 422 for a repo: that does not exist.
func TestUnknownRepository(t *testing.T) {
	e := newEnv(t, ghemu.Config{Issues: ghemu.GenerateDense(1, testRepo, 10, winStart, winEnd)}, "")
	_, err := e.f.Fetch(context.Background(), denseQuery(t, "nobody/nothing"))
	var nf *ghapi.NotFoundError
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), "repository nobody/nothing not found or not visible to this token") {
		t.Fatalf("error = %v", err)
	}
}

// TestBadToken: a wrong token is one clear line without the token.
func TestBadToken(t *testing.T) {
	e := newEnv(t, ghemu.Config{Token: "the-right-one"}, secretToken)
	_, err := e.f.Fetch(context.Background(), denseQuery(t, testRepo))
	var ae *ghapi.AuthError
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want *ghapi.AuthError", err)
	}
	want := `fetching issues for "repo:example/tracker is:issue reason:completed closed:2024-03-01T00:00:00Z..2024-06-30T23:59:59Z": GitHub rejected the token (401 Bad credentials)`
	if err.Error() != want {
		t.Errorf("error:\n got %s\nwant %s", err, want)
	}
	if strings.Contains(fmt.Sprintf("%v %+v %#v", err, err, e.f.Client), secretToken) {
		t.Error("token appears in the error or the client's printed form")
	}
	if n, _ := searchRequests(e.srv); n != 1 {
		t.Errorf("%d requests, want 1 (401 is not retried)", n)
	}
}

// TestPrimaryBeyondMaxWait fails at once with the reset time and the bound.
func TestPrimaryBeyondMaxWait(t *testing.T) {
	now := time.Date(2024, 7, 1, 13, 22, 7, 0, time.UTC)
	// A fetch of 10 issues takes two searches: the walk and the pass for
	// changes.
	e := newEnv(t, ghemu.Config{Issues: ghemu.GenerateDense(1, testRepo, 10, winStart, winEnd), SearchLimit: 2, RateWindow: time.Hour, Now: func() time.Time { return now }}, "tok")
	e.tr.Now = func() time.Time { return now }
	q := denseQuery(t, testRepo)
	if _, err := e.f.Fetch(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err := e.f.Fetch(context.Background(), q)
	var rl *ghapi.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("error = %v, want *ghapi.RateLimitError", err)
	}
	if !strings.Contains(err.Error(), "GitHub's search rate limit is exhausted until 14:22:07 UTC (in 1h); relnotes waits at most 15m") || !rl.WaitBound() {
		t.Errorf("error = %v", err)
	}
	if time.Since(start) > time.Second {
		t.Errorf("gave up after %v, want at once", time.Since(start))
	}
	if n, limited := searchRequests(e.srv); n != 2 || limited != 0 {
		t.Errorf("%d requests, %d limited: the second fetch must not be sent", n, limited)
	}
}

// TestCancelWhileWaiting: Ctrl-C ends a wait for the reset at once.
func TestCancelWhileWaiting(t *testing.T) {
	e := newEnv(t, ghemu.Config{Issues: ghemu.GenerateDense(1, testRepo, 10, winStart, winEnd), SearchLimit: 2, RateWindow: time.Hour}, "tok")
	e.tr.Sleep = nil
	e.tr.MaxWait = 2 * time.Hour
	q := denseQuery(t, testRepo)
	if _, err := e.f.Fetch(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := e.f.Fetch(ctx, q)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want the context's", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("returned after %v", d)
	}
	if w := e.rec.lines(); len(w) == 0 || !strings.Contains(w[0], "search: the search budget of 2 requests is used up") {
		t.Errorf("progress = %q, want a Waiting line", w)
	}
}

// TestGoGithubTraps: with a GHES path prefix, go-github v62 files search
// under core and, after a response with remaining 0, refuses core calls
// locally until the reset. The Transport keeps that from happening: a core
// call right after the search budget ran out goes through, and the next
// search waits for the reset instead of being refused.
func TestGoGithubTraps(t *testing.T) {
	e := newEnv(t, ghemu.Config{Issues: ghemu.GenerateDense(1, testRepo, 10, winStart, winEnd),
		PathPrefix: "/api/v3", SearchLimit: 1, RateWindow: 150 * time.Millisecond}, "tok")
	e.tr.Sleep = nil
	ctx := context.Background()
	q := denseQuery(t, testRepo)
	if _, err := e.f.Fetch(ctx, q); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.f.Client.Repositories.Get(ctx, "example", "tracker"); err != nil {
		t.Fatalf("core call after the search budget ran out: %v", err)
	}
	cl, err := e.f.Fetch(ctx, q)
	if err != nil {
		t.Fatalf("second search: %v", err)
	}
	if cl.Total != 10 {
		t.Errorf("Total = %d", cl.Total)
	}
	for _, r := range e.srv.Requests() {
		if !strings.HasPrefix(r.Path, "/api/v3/") || r.Status != 200 {
			t.Errorf("request %s answered %d", r.Path, r.Status)
		}
	}
}

// TestSeveralRepositories: one combined search, grouped by repository.
func TestSeveralRepositories(t *testing.T) {
	a := ghemu.GenerateDense(1, "org/a", 120, winStart, winEnd)
	b := ghemu.Generate(2, ghemu.GenOptions{Repo: "org/b", Issues: 600, Completed: 80, CompletedFrom: winStart, CompletedTo: winEnd, Start: winStart.AddDate(-1, 0, 0), End: winEnd})
	e := newEnv(t, ghemu.Config{Issues: append(a, b...)}, "")
	q, err := filters.Parse(fmt.Sprintf("repo:org/b repo:org/a is:issue reason:completed closed:%s..%s", winStart.Format(time.RFC3339), winEnd.Format(time.RFC3339)))
	if err != nil {
		t.Fatal(err)
	}
	cl, err := e.f.Fetch(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(truthKeys(t, e.srv, q), gotKeys(cl)); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"org/a", "org/b"}, cl.Repositories); d != "" {
		t.Error(d)
	}
	if cl.Issues[0].Repository != "org/a" || cl.Issues[len(cl.Issues)-1].Repository != "org/b" {
		t.Error("issues are not grouped by repository")
	}
	if n, _ := searchRequests(e.srv); n != 3 {
		t.Errorf("%d requests, want 3 (one combined search of 200, one pass for changes)", n)
	}
}

// TestFetchShifting changes the tracker between pages (FaultShift) and
// checks that every run ends with the set the query gives on the tracker's
// final state, or with ErrInconsistent or ErrShifting. The default shift
// reopens one issue of the window and closes another into it, which keeps
// every total_count as it was.
func TestFetchShifting(t *testing.T) {
	issues := ghemu.GenerateDense(42, testRepo, 1500, winStart, winEnd)
	window := fmt.Sprintf("repo:%s is:issue reason:completed closed:%s..%s -label:\"P: minor\"",
		testRepo, winStart.Format(time.RFC3339), winEnd.Format(time.RFC3339))
	type tc struct {
		name   string
		query  string // the fetched query; default window
		after  int    // search requests served before the shifts
		shifts []ghemu.Fault
		random *ghemu.RandomFaults
	}
	shift := func(count int, kinds ...ghemu.Shift) ghemu.Fault {
		return ghemu.Fault{Kind: ghemu.FaultShift, Count: count, Path: "/search/", Query: window, Shifts: kinds}
	}
	var cases []tc
	// The walk of the window takes 13 searches, of the -linked:pr query 8:
	// the shifts land on pages of the first chunk, of the second, and on
	// the pass for changes itself.
	for i, after := range []int{1, 3, 7, 12} {
		kinds := []tc{
			{name: fmt.Sprintf("reopen one close one after %d", after), after: after, shifts: []ghemu.Fault{shift(1)}},
			{name: fmt.Sprintf("every change after %d", after), after: after, shifts: []ghemu.Fault{shift(1, ghemu.AllShifts()...)}},
			{name: fmt.Sprintf("three shifts after %d", after), after: after, shifts: []ghemu.Fault{shift(3, ghemu.ShiftReopen, ghemu.ShiftClose, ghemu.ShiftLabelOut)}},
		}
		// -linked:pr is a term Match cannot check: the passes read the
		// query itself to decide.
		if after < 12 {
			kinds = append(kinds, tc{name: fmt.Sprintf("unmatchable term after %d", after), query: window + " -linked:pr", after: after, shifts: []ghemu.Fault{shift(2)}})
		}
		if testing.Short() {
			// Each point of the walk once, each kind of shift once.
			pick := []int{3, 1, 2, 0}[i]
			kinds = kinds[pick : pick+1]
		}
		cases = append(cases, kinds...)
	}
	seeds := int64(6)
	if testing.Short() {
		seeds = 2
	}
	for seed := range seeds {
		cases = append(cases, tc{name: fmt.Sprintf("random seed %d", seed), random: &ghemu.RandomFaults{
			Seed: seed, Rate: 0.15, RetryAfter: time.Millisecond, Shifts: ghemu.AllShifts(),
			Kinds: []ghemu.FaultKind{ghemu.FaultShift, ghemu.FaultShift, ghemu.Fault5xx, ghemu.FaultSecondary, ghemu.FaultMalformed, ghemu.FaultIncomplete, ghemu.FaultReset},
		}})
	}
	failed := 0
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, ghemu.Config{Issues: issues, SearchLimit: 30, RateWindow: 50 * time.Millisecond}, "tok")
			if c.random != nil {
				e.srv.SetRandomFaults(*c.random)
			}
			if c.after > 0 {
				e.srv.Inject(ghemu.Fault{Kind: ghemu.FaultNone, Count: c.after, Path: "/search/"})
			}
			e.srv.Inject(c.shifts...)
			text := c.query
			if text == "" {
				text = window
			}
			q, err := filters.Parse(text)
			if err != nil {
				t.Fatal(err)
			}
			before := truthKeys(t, e.srv, q)
			cl, err := e.f.Fetch(context.Background(), q)
			if err != nil {
				if !errors.Is(err, ErrInconsistent) && !errors.Is(err, ErrShifting) {
					t.Fatalf("Fetch: %v, want the final set, ErrInconsistent or ErrShifting", err)
				}
				failed++
				t.Logf("Fetch failed as allowed: %v", err)
				return
			}
			after := truthKeys(t, e.srv, q)
			if d := cmp.Diff(after, gotKeys(cl)); d != "" {
				t.Fatalf("fetched set differs from the tracker's final state (-want +got):\n%s", d)
			}
			n, _ := searchRequests(e.srv)
			t.Logf("%d search requests for %d issues", n, len(after))
			if cl.Dropped != 0 {
				t.Errorf("Dropped = %d: a changed issue must be settled by the passes, not dropped as index lag", cl.Dropped)
			}
			if !slices.Equal(before, after) && !slices.ContainsFunc(cl.Warnings, func(w string) bool { return strings.Contains(w, "joined or left") }) {
				t.Errorf("the set changed during the fetch, and no warning says so: %q", cl.Warnings)
			}
		})
	}
	// A design that gives up on every shift would pass the table.
	if failed > len(cases)/4 {
		t.Errorf("%d of %d runs failed: shifts must mostly be absorbed", failed, len(cases))
	}
}

// TestShiftSameCount is the plain case: between two pages one issue of the
// window is reopened and another closed into it, so total_count never moves.
// The list must hold the newly closed issue and not the reopened one. The
// walk is sequential and the shift comes after page 2 of 3, so the run is
// the same every time; before the catch-up passes it ended with the
// reopened issue listed and the newly closed one missing.
func TestShiftSameCount(t *testing.T) {
	issues := ghemu.GenerateDense(42, testRepo, 250, winStart, winEnd)
	e := newEnv(t, ghemu.Config{Issues: issues}, "")
	e.f.Concurrency = 1
	q := denseQuery(t, testRepo)
	e.srv.Inject(
		ghemu.Fault{Kind: ghemu.FaultNone, Count: 2, Path: "/search/"},
		ghemu.Fault{Kind: ghemu.FaultShift, Path: "/search/", Query: q.String(), Seed: 2},
	)
	before := truthKeys(t, e.srv, q)
	cl, err := e.f.Fetch(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	after := truthKeys(t, e.srv, q)
	if len(before) != len(after) || slices.Equal(before, after) {
		t.Fatalf("the shift must keep the count and change the set: %d before, %d after", len(before), len(after))
	}
	if d := cmp.Diff(after, gotKeys(cl)); d != "" {
		t.Fatalf("fetched set differs from the tracker's final state (-want +got):\n%s", d)
	}
}

// TestShiftTooMany: when more issues changed during the fetch than one
// search lists, the pass fails with ErrShifting rather than walking a scope
// that may be all of GitHub. Here the emulator's clock stands at the start of
// the window, so every issue closed in it looks edited after the fetch began.
func TestShiftTooMany(t *testing.T) {
	e := newEnv(t, ghemu.Config{Issues: ghemu.GenerateDense(5, testRepo, 1200, winStart, winEnd),
		Now: func() time.Time { return winStart }}, "")
	_, err := e.f.Fetch(context.Background(), denseQuery(t, testRepo))
	if !errors.Is(err, ErrShifting) || !strings.Contains(err.Error(), "more than one search lists") {
		t.Fatalf("error = %v, want ErrShifting for a pass over 1000 issues", err)
	}
}

// TestShiftEveryPage: when every search changes the tracker, no read holds
// still, and the fetch fails with the typed error for it instead of
// printing a list: ErrInconsistent when the walk's chunks keep shifting,
// ErrShifting when the passes for changes never find the results still.
func TestShiftEveryPage(t *testing.T) {
	issues := ghemu.GenerateDense(42, testRepo, 1500, winStart, winEnd)
	for _, c := range []struct {
		name  string
		extra string // query terms
		after int    // searches before the shifts begin
		want  error
	}{
		{"during the walk", "", 0, ErrInconsistent},
		// -linked:pr makes each pass read the query too; the walk of its
		// 992 issues takes 10 searches.
		{"during the passes", " -linked:pr", 10, ErrShifting},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, ghemu.Config{Issues: issues}, "")
			q, err := filters.Parse(denseQuery(t, testRepo).String() + c.extra)
			if err != nil {
				t.Fatal(err)
			}
			if c.after > 0 {
				e.srv.Inject(ghemu.Fault{Kind: ghemu.FaultNone, Count: c.after, Path: "/search/"})
			}
			e.srv.Inject(ghemu.Fault{Kind: ghemu.FaultShift, Count: 1000, Path: "/search/", Query: q.String()})
			_, err = e.f.Fetch(context.Background(), q)
			if !errors.Is(err, c.want) {
				t.Fatalf("error = %v, want %v", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}
