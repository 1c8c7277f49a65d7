package ghapi

import (
	"context"
	"testing"
	"time"
)

// TestAcquireWakesWhenInFlightReports: a request that finds the budget used
// up while others are in flight must look again when one reports back,
// not sleep until the reset. The server charges a request before its
// response arrives, so until then it is counted both in the remaining
// count and in flight.
func TestAcquireWakesWhenInFlightReports(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	tr := &Transport{
		Now: func() time.Time { return now },
		// A sleep until the reset never ends within the test.
		Sleep: func(ctx context.Context, d time.Duration) error { <-ctx.Done(); return ctx.Err() },
	}
	tr.init()
	b := tr.lim.budget(ResourceSearch)
	b.known, b.limit, b.remaining, b.reset, b.exact = true, 30, 1, now.Add(10*time.Minute), true
	b.inflight = 1 // already charged: remaining 1 is really free once it reports

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- tr.acquire(ctx, ResourceSearch, func() int { return 0 }, 0) }()
	time.Sleep(20 * time.Millisecond)
	tr.lim.release(ResourceSearch, report{})
	if err := <-done; err != nil {
		t.Fatalf("acquire = %v, want admitted once the request in flight reported back", err)
	}
}
