package releases

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"

	"github.com/relnotes/relnotes/ghapi"
	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/internal/ghemu/ghemutest"
)

func bodyOf(t *testing.T, s *ghemu.Server, tag string) string {
	t.Helper()
	for _, r := range s.Releases("acme", "app") {
		if r.Tag == tag {
			return r.Body
		}
	}
	t.Fatalf("no release %s", tag)
	return ""
}

// TestPrepareChecksBeforeNotes: everything publish can know without the
// notes fails in Prepare, before a caller fetches anything: a missing
// release, unusable markers, and a body too long even with an empty
// section. Nothing is sent.
func TestPrepareChecksBeforeNotes(t *testing.T) {
	s := ghemutest.Start(t, ghemu.Config{})
	emptySection := "\n\n" + StartMarker + "\n\n" + EndMarker + "\n"
	fits := strings.Repeat("é", MaxBodyLen-len([]rune(emptySection)))
	for tag, body := range map[string]string{
		"v1": "Intro\n" + StartMarker + "\nold\n",
		"v2": "Intro\n" + StartMarker + "\n" + StartMarker + "\n" + EndMarker + "\n",
		"v3": fits + "x",
		"v4": fits,
		"v5": "Intro\n```\n" + StartMarker + "\n```\n",
	} {
		s.AddRelease("acme", "app", ghemu.Release{Tag: tag, Body: body, PublishedAt: ts("2024-06-01T00:00:00Z")})
	}
	p := &Publisher{Client: client(t, s, "tok"), Owner: "acme", Repo: "app"}
	ctx := context.Background()
	tests := []struct {
		tag string
		ok  func(error) bool
	}{
		{"v1", func(err error) bool { return errors.Is(err, ErrMarkers) }},
		{"v2", func(err error) bool { return errors.Is(err, ErrMarkers) }},
		{"v3", func(err error) bool { var e *BodyTooLongError; return errors.As(err, &e) && e.Len == MaxBodyLen+1 }},
		{"v4", func(err error) bool { return err == nil }},
		{"v5", func(err error) bool { return err == nil }}, // a marker in a code block is text
		{"v9", func(err error) bool { var e *NoReleaseError; return errors.As(err, &e) }},
	}
	for _, tt := range tests {
		if _, err := p.Prepare(ctx, tt.tag); !tt.ok(err) {
			t.Errorf("Prepare(%s) = %v", tt.tag, err)
		}
	}
	if n := count(s, "PATCH", "/releases/"); n != 0 {
		t.Errorf("%d PATCHes sent by Prepare", n)
	}
}

// TestPublishKeepsConcurrentEdit: a maintainer edits the release body after
// relnotes read it (while it fetched) and before its update. relnotes must
// read the body again, find the edit, send no PATCH, and fail with one line
// wrapping ErrBodyChanged; the maintainer's body stays.
func TestPublishKeepsConcurrentEdit(t *testing.T) {
	const edited = "Intro rewritten by a maintainer\n"
	t.Run("between Prepare and PublishTo", func(t *testing.T) {
		s := ghemutest.Start(t, ghemu.Config{})
		seedRepo(s)
		p := &Publisher{Client: client(t, s, "tok"), Owner: "acme", Repo: "app"}
		ctx := context.Background()
		target, err := p.Prepare(ctx, "v1.2.0")
		if err != nil {
			t.Fatal(err)
		}
		body := edited
		if _, _, err := p.Client.Repositories.EditRelease(ctx, "acme", "app", target.ID, &github.RepositoryRelease{Body: &body}); err != nil {
			t.Fatal(err)
		}
		s.ResetLog()
		_, err = p.PublishTo(ctx, target, "- #1 Fix\n", false)
		checkBodyChanged(t, s, err, edited)
	})
	t.Run("inside one Publish", func(t *testing.T) {
		s := ghemutest.Start(t, ghemu.Config{})
		seedRepo(s)
		// The edit lands as relnotes' second read of the release leaves:
		// after its first read, before its PATCH.
		var edits atomic.Int32
		byID := regexp.MustCompile(`/releases/[0-9]+$`)
		hook := roundTripFunc(func(req *http.Request) (*http.Response, error) {
			if req.Method == http.MethodGet && byID.MatchString(req.URL.Path) && edits.Add(1) == 1 {
				js, _ := json.Marshal(map[string]string{"body": edited})
				patch, _ := http.NewRequest(http.MethodPatch, req.URL.String(), bytes.NewReader(js))
				patch.Header.Set("Authorization", "Bearer tok")
				resp, err := http.DefaultTransport.RoundTrip(patch)
				if err != nil || resp.StatusCode != http.StatusOK {
					t.Errorf("the maintainer's edit failed: %v %v", err, resp)
				}
				resp.Body.Close()
			}
			return http.DefaultTransport.RoundTrip(req)
		})
		c, err := ghapi.NewClient(ghapi.ClientOptions{Token: "tok", APIURL: s.URL(), HTTPClient: &http.Client{Transport: hook},
			Transport: &ghapi.Transport{Timing: ghemutest.Timing, RetryBase: time.Millisecond}})
		if err != nil {
			t.Fatal(err)
		}
		p := &Publisher{Client: c, Owner: "acme", Repo: "app"}
		_, err = p.Publish(context.Background(), "v1.2.0", "- #1 Fix\n", false)
		if edits.Load() == 0 {
			t.Fatal("Publish never read the release again before its update")
		}
		if n := count(s, "PATCH", "/releases/"); n != 1 {
			t.Errorf("%d PATCHes, want only the maintainer's", n)
		}
		checkBodyChanged(t, s, err, edited)
	})
	t.Run("unchanged body is sent", func(t *testing.T) {
		s := ghemutest.Start(t, ghemu.Config{})
		seedRepo(s)
		p := &Publisher{Client: client(t, s, "tok"), Owner: "acme", Repo: "app"}
		res, err := p.Publish(context.Background(), "v1.2.0", "- #1 Fix\n", false)
		if err != nil || !res.Sent {
			t.Fatalf("Publish = %+v, %v", res, err)
		}
		if d := cmp.Diff(res.New, bodyOf(t, s, "v1.2.0")); d != "" {
			t.Error(d)
		}
	})
}

func checkBodyChanged(t *testing.T, s *ghemu.Server, err error, edited string) {
	t.Helper()
	if !errors.Is(err, ErrBodyChanged) {
		t.Fatalf("error = %v, want one wrapping ErrBodyChanged", err)
	}
	want := "publish into acme/app release v1.2.0: the release body was edited since relnotes first read it; nothing was sent, so the edit is kept: run again to publish into the new body"
	if d := cmp.Diff(want, err.Error()); d != "" {
		t.Errorf("message (-want +got):\n%s", d)
	}
	if n := count(s, "PATCH", "/releases/"); n > 1 || (n == 1 && bodyOf(t, s, "v1.2.0") != edited) {
		t.Errorf("relnotes sent its PATCH over the edit")
	}
	if d := cmp.Diff(edited, bodyOf(t, s, "v1.2.0")); d != "" {
		t.Errorf("the maintainer's body was not kept (-want +got):\n%s", d)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
