// Command relnotes writes the "full list of issues completed since the
// previous stable release" part of a release announcement: the GitHub link,
// the issues behind it, and the rendered section.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// stopGrace is how long a run may take to wind down after SIGINT or SIGTERM
// (remove its temporary file, say what happened) before it is ended.
const stopGrace = 800 * time.Millisecond

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		cancel()
		// Every stage stops at its next read or write once ctx is done; this
		// is the backstop for one that does not, and for a second signal.
		select {
		case <-sigs:
		case <-time.After(stopGrace):
		}
		fmt.Fprintln(os.Stderr, "relnotes: interrupted")
		os.Exit(130)
	}()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}
