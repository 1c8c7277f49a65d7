package ghapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/google/go-github/v62/github"
)

// DefaultAPIURL is GitHub.com's REST API root.
const DefaultAPIURL = "https://api.github.com/"

// ClientOptions configures NewClient.
type ClientOptions struct {
	// Token is sent as "Authorization: Bearer <Token>", only to the host of
	// APIURL. Empty sends no Authorization header at all (GitHub's
	// unauthenticated budget).
	Token string
	// APIURL is the REST API root, e.g. https://api.github.com (the
	// default) or https://HOST/api/v3 for GitHub Enterprise Server; it is
	// used as given, with a trailing slash added.
	APIURL string
	// HTTPClient supplies the underlying transport and any client settings
	// (nil: http.DefaultTransport). It is copied, not modified.
	HTTPClient *http.Client
	// Transport handles rate limits and faults. nil: a Transport with
	// defaults. When set, its Base is used if non-nil, else the
	// HTTPClient's transport; NewClient sets Base in that case, so pass a
	// Transport to one NewClient only.
	Transport *Transport
}

// URLError reports an API URL that is not an http(s) URL.
type URLError struct {
	URL string
}

func (e *URLError) Error() string {
	return fmt.Sprintf("GitHub API URL %q is not an http(s) URL such as https://api.github.com or https://HOST/api/v3", e.URL)
}

// ErrTokenFormat is returned by CheckToken and NewClient for a token that
// holds a space, a line break or another control character: no GitHub token
// does, and such a value cannot be sent in a header.
var ErrTokenFormat = errors.New("the GitHub token holds a space, line break or control character; a token is one word")

// CheckToken reports ErrTokenFormat when tok cannot be a token. It never
// puts the token's text in its error.
func CheckToken(tok string) error {
	if strings.IndexFunc(tok, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) >= 0 {
		return ErrTokenFormat
	}
	return nil
}

// NewClient returns a go-github client for opt.APIURL whose requests go
// through a Transport (rate limits, faults) and carry opt.Token to the API
// host only. The token never appears in errors, even when the server echoes
// it in an error body.
func NewClient(opt ClientOptions) (*github.Client, error) {
	api := strings.TrimSpace(opt.APIURL)
	if api == "" {
		api = DefaultAPIURL
	}
	if !strings.HasSuffix(api, "/") {
		api += "/"
	}
	u, err := url.Parse(api)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &URLError{URL: opt.APIURL}
	}
	if err := CheckToken(opt.Token); err != nil {
		return nil, err
	}
	var hc http.Client
	if opt.HTTPClient != nil {
		hc = *opt.HTTPClient
	}
	t := opt.Transport
	if t == nil {
		t = &Transport{}
	}
	if t.Base == nil {
		t.Base = hc.Transport
	}
	if opt.Token != "" {
		// Below the Transport, so that every attempt and every redirect is
		// checked against the API host on its own. oauth2.Transport would
		// add the header to any host, defeating http.Client's stripping of
		// credentials on a redirect to another host.
		t.Base = &bearer{token: opt.Token, origin: origin(u), base: t.Base}
	}
	hc.Transport = t
	c := github.NewClient(&hc)
	c.BaseURL = u
	return c, nil
}

// bearer adds the token to requests for the API's origin and scrubs it from
// error bodies, whatever the server sent, before anything reads them.
type bearer struct {
	token  string
	origin string
	base   http.RoundTripper
}

func (b *bearer) RoundTrip(req *http.Request) (*http.Response, error) {
	base := b.base
	if base == nil {
		base = http.DefaultTransport
	}
	if origin(req.URL) == b.origin {
		r2 := req.Clone(req.Context())
		r2.Header.Set("Authorization", "Bearer "+b.token)
		req = r2
	}
	resp, err := base.RoundTrip(req)
	if err != nil || resp.StatusCode < 400 {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("reading the response to %s %s: %w", req.Method, req.URL.Path, err)
	}
	body = Scrub(body, b.token)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// Scrub replaces every occurrence of tok in b, as sent and as a JSON string
// would escape it, with "***".
func Scrub(b []byte, tok string) []byte {
	if tok == "" {
		return b
	}
	b = bytes.ReplaceAll(b, []byte(tok), []byte("***"))
	if q, err := json.Marshal(tok); err == nil {
		if esc := q[1 : len(q)-1]; string(esc) != tok {
			b = bytes.ReplaceAll(b, esc, []byte("***"))
		}
	}
	return b
}

// origin is scheme://host[:port] in lower case, without a default port, so
// that https://API.github.com:443 and https://api.github.com compare equal.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Host)
	switch {
	case scheme == "https" && strings.HasSuffix(host, ":443"):
		host = strings.TrimSuffix(host, ":443")
	case scheme == "http" && strings.HasSuffix(host, ":80"):
		host = strings.TrimSuffix(host, ":80")
	}
	return scheme + "://" + host
}
