//go:build race

package doccheck

// buildFlags build the relnotes the documented commands run as this test
// binary is built: under -race, from the race-instrumented packages the
// build cache already holds, rather than compiling every dependency a
// second time on a fresh machine.
var buildFlags = []string{"-race"}
