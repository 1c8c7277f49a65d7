package changelog

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-github/v62/github"
	"golang.org/x/oauth2"
)

// DefaultAPIURL is GitHub.com's REST API root.
const DefaultAPIURL = "https://api.github.com/"

// ClientOptions configures NewClient.
type ClientOptions struct {
	// Token is sent as "Authorization: Bearer <Token>". Empty sends no
	// Authorization header at all (GitHub's unauthenticated budget).
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

// NewClient returns a go-github client for opt.APIURL whose requests go
// through a Transport (rate limits, faults) and carry opt.Token. The token
// is held only by the Authorization header; it never appears in errors.
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
		return nil, fmt.Errorf("GitHub API URL %q is not an http(s) URL such as https://api.github.com or https://HOST/api/v3", opt.APIURL)
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
	var rt http.RoundTripper = t
	if opt.Token != "" {
		// Above the Transport, so that its retries carry the header too.
		rt = &oauth2.Transport{Source: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: opt.Token}), Base: t}
	}
	hc.Transport = rt
	c := github.NewClient(&hc)
	c.BaseURL = u
	return c, nil
}
