package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/relnotes/relnotes/filters"
)

// App is what every command needs from the outside world. Commands read the
// environment, the clock and the streams only through it, so tests run them
// in-process without touching the real ones.
type App struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Now            func() time.Time
	// HTTPClient carries every request to the GitHub API; nil means a default
	// client. Tests leave it nil and point --api-url at the emulator.
	HTTPClient *http.Client
	// StderrIsTerminal turns on the progress bar.
	StderrIsTerminal bool
	// WorkDir is where .relnotes.yml is looked for; "" means the process's.
	WorkDir string
	// Token, when set, is the GitHub token, before --token-file and the
	// environment: demo gives its sandbox's this way.
	Token string

	// ran is set once a command's own code starts, so that errors cobra
	// returns before that (unknown flags, commands, arguments) count as
	// usage errors.
	ran bool
	// warnedNoToken keeps the missing-token warning to one line even when a
	// command fetches several times (check counts each finding).
	warnedNoToken bool
	// secrets are the tokens this run read, scrubbed from every message.
	secrets []string
	// timing, when set, is the Transport's Timing hook: tests against the
	// emulator's sub-second rate windows read its exact headers with it.
	timing func(http.Header) (time.Time, time.Duration)
}

// Exit codes. A usage error is the caller's to fix; a failure is the run's.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// usageError is bad input: wrong flags, dates, links. It exits 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error {
	return &usageError{msg: fmt.Sprintf(format, a...)}
}

// exitError carries a specific exit code with an already user-facing
// message, e.g. "check" reporting a gap.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	app := &App{
		Stdin:  stdin,
		Stdout: stdout,
		Stderr: stderr,
		Getenv: getenv,
		Now:    time.Now,
	}
	if f, ok := stderr.(*os.File); ok {
		app.StderrIsTerminal = term.IsTerminal(int(f.Fd()))
	}
	return app.Run(ctx, args)
}

// Run executes one command line and maps its outcome to an exit code. It is
// the one place where errors become exit codes and messages.
func (app *App) Run(ctx context.Context, args []string) int {
	root := newRootCmd(app)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		fmt.Fprintln(app.Stderr, "relnotes: interrupted; nothing was written")
		return 130
	}
	msg, code := describe(err)
	var fe *filters.FlagError
	badFlag := errors.As(err, &fe)
	if !app.ran {
		code = exitUsage
	}
	// cobra's suggestions ("Did you mean this?\n\tlink") are folded in.
	if before, suggestion, ok := strings.Cut(msg, " Did you mean this? "); ok {
		msg = before + "; did you mean " + suggestion + "?"
	}
	// A bad flag value names its flag and what it accepts: no pointer to
	// the help needed.
	if !app.ran && !badFlag && !strings.Contains(msg, "--help") && !strings.Contains(msg, "did you mean") {
		path := "relnotes"
		if cmd != nil {
			path = cmd.CommandPath()
		}
		msg += " (see '" + path + " --help')"
	}
	fmt.Fprintf(app.Stderr, "relnotes: %s\n", scrub(msg, app.secrets))
	return code
}

func (app *App) getenv(k string) string {
	if app.Getenv == nil {
		return ""
	}
	return app.Getenv(k)
}
