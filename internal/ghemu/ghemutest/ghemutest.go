// Package ghemutest starts GitHub API emulators for tests and closes them
// when the test ends.
package ghemutest

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/relnotes/relnotes/internal/ghemu"
)

// Start serves cfg on loopback for the duration of t, failing t at once if
// the emulator cannot start.
func Start(t testing.TB, cfg ghemu.Config) *ghemu.Server {
	t.Helper()
	s, err := ghemu.Start(cfg)
	if err != nil {
		t.Fatalf("start GitHub emulator: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Timing reads the emulator's exact timing headers, x-ratelimit-reset-ms
// and x-retry-after-ms, for a client Transport's Timing hook: with rate
// windows shorter than a second, GitHub's whole-second headers would make a
// test wait for seconds it does not need to.
func Timing(h http.Header) (reset time.Time, retryAfter time.Duration) {
	if ms, err := strconv.ParseInt(h.Get("X-Ratelimit-Reset-Ms"), 10, 64); err == nil && ms > 0 {
		reset = time.UnixMilli(ms)
	}
	if ms, err := strconv.ParseInt(h.Get("X-Retry-After-Ms"), 10, 64); err == nil && ms > 0 {
		retryAfter = time.Duration(ms) * time.Millisecond
	}
	return reset, retryAfter
}
