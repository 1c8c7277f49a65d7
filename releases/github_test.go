package releases

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"

	"github.com/relnotes/relnotes/ghapi"
	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/internal/ghemu/ghemutest"
)

func client(t *testing.T, s *ghemu.Server, token string) *github.Client {
	t.Helper()
	c, err := ghapi.NewClient(ghapi.ClientOptions{Token: token, APIURL: s.URL(),
		Transport: &ghapi.Transport{Timing: ghemutest.Timing, RetryBase: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// count returns how many logged requests have a path containing part.
func count(s *ghemu.Server, method, part string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method == method && strings.Contains(r.Path, part) {
			n++
		}
	}
	return n
}

func seedRepo(s *ghemu.Server) {
	add := func(tag string, at string, draft, pre bool) {
		var pub time.Time
		if at != "" {
			pub = ts(at)
		}
		s.AddRelease("acme", "app", ghemu.Release{Tag: tag, Name: tag, Body: "Intro for " + tag + "\r\n", Draft: draft, Prerelease: pre,
			CreatedAt: pub.Add(-time.Hour), PublishedAt: pub})
		s.AddTag("acme", "app", ghemu.Tag{Name: tag, CommitDate: pub.Add(-time.Hour)})
	}
	add("v1.0.0", "2024-01-10T10:00:00Z", false, false)
	add("v1.1.0", "2024-02-10T10:00:00Z", false, false)
	add("v1.2.0-rc1", "2024-03-01T10:00:00Z", false, true)
	add("v1.2.0", "2024-03-10T10:00:00Z", false, false)
	add("v1.4.0", "", true, false) // draft
	// Tags without a release: one annotated, one lightweight, one not a version.
	s.AddTag("acme", "app", ghemu.Tag{Name: "v1.3.0", Annotated: true, TaggerDate: ts("2024-04-10T08:00:00Z"), CommitDate: ts("2024-04-09T08:00:00Z")})
	s.AddTag("acme", "app", ghemu.Tag{Name: "v1.3.1", CommitDate: ts("2024-04-20T08:00:00Z")})
	s.AddTag("acme", "app", ghemu.Tag{Name: "nightly", CommitDate: ts("2024-05-01T08:00:00Z")})
}

func TestGitHubSourcePlan(t *testing.T) {
	s := ghemutest.Start(t, ghemu.Config{MaxPerPage: 2}) // force several pages
	seedRepo(s)
	src := &GitHub{Client: client(t, s, "tok"), Owner: "acme", Repo: "app"}
	tests := []struct {
		tag, prev string
		origin    Origin
		window    string
		lookups   int // tag refs looked up
	}{
		{"v1.2.0", "v1.1.0", OriginPublished, "2024-02-10T10:00:01Z..2024-03-10T10:00:00Z", 0},
		{"v1.3.0", "v1.2.0", OriginAnnotatedTag, "2024-03-10T10:00:01Z..2024-04-10T08:00:00Z", 1},
		{"v1.3.1", "v1.3.0", OriginCommit, "2024-04-10T08:00:01Z..2024-04-20T08:00:00Z", 2},
	}
	for _, tt := range tests {
		t.Run(tt.tag, func(t *testing.T) {
			s.ResetLog()
			span, err := Plan(context.Background(), src, Options{Release: tt.tag})
			if err != nil {
				t.Fatal(err)
			}
			if span.Previous == nil || span.Previous.Tag != tt.prev || span.Release.Origin != tt.origin {
				t.Errorf("previous %+v, origin %q; want %s, %q", span.Previous, span.Release.Origin, tt.prev, tt.origin)
			}
			if got := span.Window.String(); got != tt.window {
				t.Errorf("window %s, want %s", got, tt.window)
			}
			if n := count(s, "GET", "/git/ref/tags/"); n != tt.lookups {
				t.Errorf("%d tag lookups, want %d", n, tt.lookups)
			}
			if n := count(s, "GET", "/releases"); n != 3 { // 5 releases at 2 a page
				t.Errorf("%d release list requests, want 3", n)
			}
		})
	}
	// Without a token, drafts are not listed.
	anon := &GitHub{Client: client(t, s, ""), Owner: "acme", Repo: "app"}
	rels, err := anon.Releases(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rels {
		if r.Tag == "v1.4.0" && r.HasRelease {
			t.Errorf("an anonymous listing showed the draft v1.4.0")
		}
		if r.Tag == "nightly" {
			t.Errorf("the unversioned tag nightly was listed as a release")
		}
	}
	if _, _, err := src.TagTime(context.Background(), "v9.9.9"); !errors.As(err, new(*UnknownTagError)) {
		t.Errorf("TagTime of a missing tag = %v, want *UnknownTagError", err)
	}
}

func TestPublish(t *testing.T) {
	s := ghemutest.Start(t, ghemu.Config{})
	seedRepo(s)
	s.AddRelease("acme", "app", ghemu.Release{Tag: "release/2.0#x", Body: "odd tag", PublishedAt: ts("2024-06-01T00:00:00Z")})
	p := &Publisher{Client: client(t, s, "tok"), Owner: "acme", Repo: "app"}
	ctx := context.Background()
	body := func(tag string) string {
		for _, r := range s.Releases("acme", "app") {
			if r.Tag == tag {
				return r.Body
			}
		}
		t.Fatalf("no release %s", tag)
		return ""
	}

	dry, err := p.Publish(ctx, "v1.2.0", "- #1 Fix\n", true)
	if err != nil || !dry.Changed || dry.Sent || count(s, "PATCH", "/releases/") != 0 {
		t.Fatalf("dry run: %+v, %v, %d PATCHes", dry, err, count(s, "PATCH", "/releases/"))
	}
	if !strings.Contains(UnifiedDiff(dry.Old, dry.New, "a", "b"), "+"+StartMarker) {
		t.Errorf("the dry-run diff does not show the new section")
	}
	for i := 0; i < 2; i++ {
		if _, err := p.Publish(ctx, "v1.2.0", "- #1 Fix\n", false); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(s, "PATCH", "/releases/"); n != 1 {
		t.Errorf("two runs sent %d PATCHes, want 1", n)
	}
	want := "Intro for v1.2.0\r\n\n" + StartMarker + "\n- #1 Fix\n" + EndMarker + "\n"
	if diff := cmp.Diff(want, body("v1.2.0")); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}

	// A draft is found through the list; an escaped tag reaches its release.
	if _, err := p.Publish(ctx, "v1.4.0", "draft notes", false); err != nil {
		t.Fatalf("publish into a draft: %v", err)
	}
	if _, err := p.Publish(ctx, "release/2.0#x", "odd", false); err != nil || !strings.Contains(body("release/2.0#x"), "odd tag\n\n"+StartMarker) {
		t.Fatalf("publish into release/2.0#x: %v, body %q", err, body("release/2.0#x"))
	}

	s.ResetLog()
	_, err = p.Publish(ctx, "v1.1.0", strings.Repeat("x", MaxBodyLen), false)
	if !errors.As(err, new(*BodyTooLongError)) || count(s, "PATCH", "/releases/") != 0 {
		t.Errorf("an over-long body: err %v, %d PATCHes; want *BodyTooLongError before sending", err, count(s, "PATCH", "/releases/"))
	}
	if _, err := p.Publish(ctx, "v7.0.0", "x", false); !errors.As(err, new(*NoReleaseError)) {
		t.Errorf("publish to a missing release = %v, want *NoReleaseError", err)
	}

	// The emulator itself refuses an over-long body like GitHub.
	long := strings.Repeat("y", MaxBodyLen+1)
	_, _, err = p.Client.Repositories.EditRelease(ctx, "acme", "app", 1001, &github.RepositoryRelease{Body: &long})
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != 422 || len(er.Errors) != 1 || er.Errors[0].Message != "body is too long (maximum is 125000 characters)" {
		t.Errorf("emulator PATCH of an over-long body = %v", err)
	}
	// Typed, it is an answer about the release, not a rejected search query.
	var he *ghapi.HTTPError
	if !errors.As(ghapi.MapError(err, "acme/app"), &he) || he.Status != 422 || !strings.Contains(he.Message, "body is too long") {
		t.Errorf("MapError of the over-long body = %v", ghapi.MapError(err, "acme/app"))
	}
}

// TestAPIErrorsTyped: failed release requests come back as ghapi's typed
// errors, told with what relnotes was doing, on one line, without the
// token, and without go-github's "GET http://...: 401 Bad credentials []".
func TestAPIErrorsTyped(t *testing.T) {
	s := ghemutest.Start(t, ghemu.Config{Token: "right-token"})
	seedRepo(s)
	tests := []struct {
		name, token, repo string
		as                func(error) bool
		want              string
	}{
		{"bad token", "wrong-token", "app", func(err error) bool { var e *ghapi.AuthError; return errors.As(err, &e) && e.Status == 401 },
			"list releases of acme/app: GitHub rejected the token (401 Bad credentials)"},
		{"missing repository", "right-token", "nope", func(err error) bool { var e *ghapi.NotFoundError; return errors.As(err, &e) },
			"list releases of acme/nope: repository acme/nope not found or not visible to this token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &GitHub{Client: client(t, s, tt.token), Owner: "acme", Repo: tt.repo}
			_, err := src.Releases(context.Background())
			if !tt.as(err) {
				t.Fatalf("Releases error = %v (%T), not the typed error wanted", err, err)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
			if strings.Contains(err.Error(), tt.token) || strings.Contains(err.Error(), "\n") {
				t.Errorf("message has the token or a line break: %q", err)
			}
		})
	}
	// An unreachable API names the host, not the whole request URL.
	down, err := ghapi.NewClient(ghapi.ClientOptions{APIURL: "http://127.0.0.1:9/",
		Transport: &ghapi.Transport{MaxRetries: 1, RetryBase: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = (&GitHub{Client: down, Owner: "acme", Repo: "app"}).Releases(context.Background())
	var ue *ghapi.UnreachableError
	if !errors.As(err, &ue) || !strings.HasPrefix(err.Error(), "list releases of acme/app: cannot reach the GitHub API at http://127.0.0.1:9 (") ||
		strings.Contains(err.Error(), "per_page") {
		t.Errorf("unreachable API: %v", err)
	}

	// Publishing without the right to write says so, and sends the body once.
	p := &Publisher{Client: client(t, s, "wrong-token"), Owner: "acme", Repo: "app"}
	_, err = p.Publish(context.Background(), "v1.2.0", "notes", false)
	if err == nil || !strings.Contains(err.Error(), "GitHub rejected the token (401") {
		t.Errorf("publish with a rejected token = %v", err)
	}
}

// TestCoreRateLimitIsNotUnreachable: an exhausted core budget beyond the
// wait bound is reported as a rate limit, not as an unreachable API.
func TestCoreRateLimitIsNotUnreachable(t *testing.T) {
	s := ghemutest.Start(t, ghemu.Config{Token: "tok", CoreLimit: 1, RateWindow: time.Hour})
	seedRepo(s)
	c, err := ghapi.NewClient(ghapi.ClientOptions{Token: "tok", APIURL: s.URL(),
		Transport: &ghapi.Transport{Timing: ghemutest.Timing, MaxWait: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	src := &GitHub{Client: c, Owner: "acme", Repo: "app"}
	_, err = src.Releases(context.Background())
	var rl *ghapi.RateLimitError
	if !errors.As(err, &rl) || rl.Resource != ghapi.ResourceCore || !rl.WaitBound() {
		t.Fatalf("error = %v (%T), want a core *ghapi.RateLimitError beyond the wait bound", err, err)
	}
	if !strings.HasPrefix(err.Error(), "list tags of acme/app: GitHub's core rate limit is exhausted until ") || strings.Contains(err.Error(), "cannot reach") {
		t.Errorf("message = %q", err)
	}
}
