package ghemu_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/google/go-github/v62/github"
	"github.com/relnotes/relnotes/internal/ghemu"
)

func Example() {
	day := func(d int) time.Time { return time.Date(2024, 3, d, 12, 0, 0, 0, time.UTC) }
	s, err := ghemu.Start(ghemu.Config{Issues: []ghemu.Issue{
		{Repo: "example/tracker", Number: 1, Title: "Fix <b>crash</b>", Author: "alice", State: "closed", StateReason: "completed", CreatedAt: day(1), ClosedAt: day(26)},
		{Repo: "example/tracker", Number: 2, Title: "Won't do", Author: "bob", State: "closed", StateReason: "not_planned", CreatedAt: day(2), ClosedAt: day(27)},
		{Repo: "example/tracker", Number: 3, Title: "Bump deps", Author: "dependabot[bot]", AuthorIsBot: true, IsPR: true, State: "closed", CreatedAt: day(3), ClosedAt: day(28)},
	}})
	if err != nil {
		panic(err)
	}
	defer s.Close()

	// go-github talks to the emulator exactly as to api.github.com.
	c := github.NewClient(nil)
	c.BaseURL, _ = url.Parse(s.URL())
	res, _, err := c.Search.Issues(context.Background(), "repo:example/tracker is:issue reason:completed closed:2024-03-26..2024-03-31", nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.GetTotal())
	for _, is := range res.Issues {
		fmt.Println(is.GetNumber(), is.GetTitle(), is.GetHTMLURL(), is.GetUser().GetLogin())
	}

	// Faults are queued and hit the next requests.
	s.Inject(ghemu.Fault{Kind: ghemu.FaultSecondary, RetryAfter: 2 * time.Second})
	_, _, err = c.Search.Issues(context.Background(), "repo:example/tracker", nil)
	var abuse *github.AbuseRateLimitError
	fmt.Println(errors.As(err, &abuse), *abuse.RetryAfter)

	for _, r := range s.Requests() {
		fmt.Println(r.Method, r.Path, r.Status, r.Resource, r.Fault)
	}
	// Output:
	// 1
	// 1 Fix <b>crash</b> https://github.com/example/tracker/issues/1 alice
	// true 2s
	// GET /search/issues 200 search none
	// GET /search/issues 403 search secondary
}
