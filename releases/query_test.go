package releases

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relnotes/relnotes/filters"
)

func TestPlanQuery(t *testing.T) {
	src := &memSource{rels: []Release{rel("v4.2.1", "2024-03-26T09:00:00Z"), rel("v4.2.2", "2024-07-13T10:00:00Z")}}
	base, err := filters.ParseFlags(map[string][]string{"repo": {"o/r"}, "until": {"2024-06-30"}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		keepEnd bool
		want    filters.Window
	}{
		{"the release's window", false, filters.Window{From: inst("2024-03-26T09:00:01Z"), To: inst("2024-07-13T10:00:00Z")}},
		{"the query's end kept", true, filters.Window{From: inst("2024-03-26T09:00:01Z"), To: day("2024-06-30")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := base
			if _, err := PlanQuery(context.Background(), src, Options{Release: "v4.2.2"}, &q, tt.keepEnd); err != nil {
				t.Fatal(err)
			}
			want := base
			want.Closed = tt.want
			if d := cmp.Diff(want.String(), q.String()); d != "" {
				t.Errorf("query (-want +got):\n%s", d)
			}
		})
	}
	q := base
	if _, err := PlanQuery(context.Background(), src, Options{Release: "v9.9.9"}, &q, false); err == nil || q.String() != base.String() {
		t.Errorf("a failed plan gave %v and changed the query to %s", err, q)
	}
}
