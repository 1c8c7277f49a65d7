// Package ghemutest starts GitHub API emulators for tests and closes them
// when the test ends.
package ghemutest

import (
	"testing"

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
