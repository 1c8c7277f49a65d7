package ghapi_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/relnotes/relnotes/filters"
	"github.com/relnotes/relnotes/ghapi"
	"github.com/relnotes/relnotes/internal/ghemu"
)

// A client for an API root, one search page, and a failure told as a typed
// error that the caller inspects with errors.As.
func ExampleSearchIssues() {
	srv, err := ghemu.Start(ghemu.Config{Issues: ghemu.Sample(time.Date(2024, 9, 10, 12, 0, 0, 0, time.UTC)), Token: "tok"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	q, err := filters.Parse("repo:example/tracker is:issue is:closed reason:completed closed:2024-03-26..2024-09-09")
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := ghapi.NewClient(ghapi.ClientOptions{Token: "tok", APIURL: srv.URL()})
	if err != nil {
		fmt.Println(err)
		return
	}
	page, err := ghapi.SearchIssues(context.Background(), c, q, 1)
	fmt.Println(page.Total > 0, len(page.Items) <= ghapi.PerPage, err)

	wrong, _ := ghapi.NewClient(ghapi.ClientOptions{Token: "not-it", APIURL: srv.URL()})
	_, err = ghapi.SearchIssues(context.Background(), wrong, q, 1)
	var auth *ghapi.AuthError
	fmt.Println(errors.As(err, &auth), auth.Status, err)
	// Output:
	// true true <nil>
	// true 401 GitHub rejected the token (401 Bad credentials)
}
