package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/relnotes/relnotes/ghapi"
	"github.com/relnotes/relnotes/internal/bounded"
)

// apiFlags say how to reach the GitHub API.
type apiFlags struct {
	apiURL    string
	tokenFile string
	maxWait   time.Duration
	quiet     bool
}

func (f *apiFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.apiURL, "api-url", "", "GitHub REST API base URL (default $GITHUB_API_URL, else https://api.github.com; GitHub Enterprise: https://HOST/api/v3)")
	fs.StringVar(&f.tokenFile, "token-file", "", "read the GitHub token from this `file` (default: $GH_TOKEN, else $GITHUB_TOKEN)")
	fs.DurationVar(&f.maxWait, "max-wait", 15*time.Minute, "longest wait for a rate limit to reset before giving up (0: give up at once)")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "no progress on stderr (warnings and errors still appear)")
}

// wait is --max-wait as the Transport reads it: --max-wait 0 means do not
// wait at all (the Transport's zero is its default).
func (f *apiFlags) wait() time.Duration {
	if f == nil {
		return 0
	}
	if f.maxWait <= 0 {
		return -1
	}
	return f.maxWait
}

// apiURL picks the REST API base: the flag, else $GITHUB_API_URL, else
// api.github.com. It always ends in a slash, as go-github requires.
func (app *App) apiURL(flag string) (string, error) {
	s, from := flag, "--api-url"
	if s == "" {
		s, from = app.getenv("GITHUB_API_URL"), "GITHUB_API_URL"
	}
	if s == "" {
		return "https://api.github.com/", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" {
		return "", usagef("%s %q is not an API URL such as https://api.github.com or https://ghe.example.com/api/v3", from, s)
	}
	return strings.TrimRight(s, "/") + "/", nil
}

// token finds the GitHub token: --token-file, else $GH_TOKEN, else
// $GITHUB_TOKEN. "" means none (unauthenticated). A token that cannot be one
// (a line break or control character inside) is refused before any request.
// Errors never contain the token's text; every later message is scrubbed of
// it.
func (app *App) token(tokenFile string) (string, error) {
	tok, err := app.readToken(tokenFile)
	if tok != "" {
		app.secrets = append(app.secrets, tok)
	}
	return tok, err
}

func (app *App) readToken(tokenFile string) (string, error) {
	if app.Token != "" {
		if ghapi.CheckToken(app.Token) != nil {
			return "", usagef("the token holds a line break, space or control character")
		}
		return app.Token, nil
	}
	if tokenFile != "" {
		b, err := bounded.ReadFile(tokenFile, bounded.TokenLimit)
		if err != nil {
			var pe *fs.PathError
			var tl *bounded.TooLargeError
			switch {
			case errors.As(err, &tl):
				return "", usagef("--token-file %s is larger than %s, so it does not hold a token; check the path", tokenFile, bounded.Size(tl.Limit))
			case errors.As(err, &pe):
				err = pe.Err
			}
			return "", usagef("cannot read --token-file %s: %v", tokenFile, err)
		}
		tok := strings.TrimSpace(string(b))
		if tok == "" || ghapi.CheckToken(tok) != nil {
			return "", usagef("--token-file %s must hold one token on one line", tokenFile)
		}
		return tok, nil
	}
	for _, k := range []string{"GH_TOKEN", "GITHUB_TOKEN"} {
		if tok := strings.TrimSpace(app.getenv(k)); tok != "" {
			if ghapi.CheckToken(tok) != nil {
				return tok, usagef("%s holds a line break, space or control character inside the token: set it to the token alone", k)
			}
			return tok, nil
		}
	}
	return "", nil
}

// warnUnauthenticated says once per run, on stderr, what running without a
// token costs.
func (app *App) warnUnauthenticated() {
	if app.warnedNoToken {
		return
	}
	app.warnedNoToken = true
	fmt.Fprintln(app.Stderr, "relnotes: warning: no token (set GH_TOKEN or GITHUB_TOKEN, or pass --token-file): GitHub allows 10 searches a minute and 60 requests an hour without one")
}
