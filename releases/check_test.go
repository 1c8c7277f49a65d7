package releases

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relnotes/relnotes/filters"
)

func TestCompare(t *testing.T) {
	// The 4.2.3 announcement: 4.2.2 published 2024-07-13, 4.2.3 on 2024-09-09.
	prev := rel("4.2.2", "2024-07-13T10:00:00Z")
	cur := rel("4.2.3", "2024-09-09T12:00:00Z")
	daySpan := &Span{Release: cur, Previous: &prev, Granularity: filters.GranularityDay, Window: filters.ReleaseWindow(prev.Time, cur.Time, filters.GranularityDay)}
	instSpan := &Span{Release: cur, Previous: &prev, Granularity: filters.GranularityInstant, Window: filters.ReleaseWindow(prev.Time, cur.Time, filters.GranularityInstant)}
	prevLink := filters.Window{From: day("2024-03-26"), To: day("2024-07-12")}
	tests := []struct {
		name  string
		link  filters.Window
		want  *Span
		prevW *filters.Window
		out   []string
	}{
		{name: "correct day link", link: filters.Window{From: day("2024-07-13"), To: day("2024-09-08")}, want: daySpan, prevW: &prevLink},
		{name: "correct instant link", link: filters.ReleaseWindow(prev.Time, cur.Time, filters.GranularityInstant), want: instSpan},
		{name: "start copied from the release before", link: filters.Window{From: day("2024-03-26"), To: day("2024-09-08")}, want: daySpan, prevW: &prevLink,
			out: []string{
				"overlap: starts 2024-03-26 but the previous stable release 4.2.2 was published 2024-07-13: 109 days overlap",
				"overlap: starts 2024-03-26 but the previous announcement's link ends 2024-07-12: 109 days overlap",
			}},
		{name: "end days before the release", link: filters.Window{From: day("2024-07-13"), To: day("2024-09-01")}, want: daySpan,
			out: []string{"gap: ends 2024-09-01 but 4.2.3 was published 2024-09-09, so its list ends 2024-09-08: 7 days gap"}},
		{name: "start after the previous", link: filters.Window{From: day("2024-07-20"), To: day("2024-09-08")}, want: daySpan, prevW: &prevLink,
			out: []string{
				"gap: starts 2024-07-20 but the previous stable release 4.2.2 was published 2024-07-13: 7 days gap",
				"gap: starts 2024-07-20 but the previous announcement's link ends 2024-07-12: 7 days gap",
			}},
		{name: "end after the release", link: filters.Window{From: day("2024-07-13"), To: day("2024-09-10")}, want: daySpan,
			out: []string{"overlap: ends 2024-09-10 but 4.2.3 was published 2024-09-09, so its list ends 2024-09-08: 2 days overlap"}},
		{name: "no start", link: filters.Window{To: day("2024-09-08")}, want: daySpan,
			out: []string{"overlap: has no start but the previous stable release 4.2.2 was published 2024-07-13: unbounded overlap"}},
		{name: "instant link off by a second", link: filters.Window{From: inst("2024-07-13T10:00:00Z"), To: inst("2024-09-09T12:00:00Z")}, want: instSpan,
			out: []string{"overlap: starts 2024-07-13T10:00:00Z but the previous stable release 4.2.2 was published 2024-07-13T10:00:00Z: 1s overlap"}},
		{name: "only the previous link", link: filters.Window{From: day("2024-07-13"), To: day("2024-09-08")}, prevW: &filters.Window{From: day("2024-03-26")},
			out: []string{"overlap: the previous announcement's link has no end, so it covers everything from 2024-07-13 on: 58 days overlap"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := Compare(tt.link, tt.want, tt.prevW)
			var got []string
			for _, f := range rep.Findings {
				got = append(got, string(f.Kind)+": "+f.String())
			}
			if diff := cmp.Diff(tt.out, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if rep.OK() != (len(tt.out) == 0) {
				t.Errorf("OK() = %v with %d findings", rep.OK(), len(got))
			}
		})
	}
}

func TestFindingWindowAndCount(t *testing.T) {
	f := Finding{Kind: Overlap, From: ts("2024-03-26T00:00:00Z"), To: ts("2024-07-13T00:00:00Z"), Text: "starts 2024-03-26", Issues: 1}
	want := filters.Window{From: inst("2024-03-26T00:00:00Z"), To: inst("2024-07-12T23:59:59Z")}
	if diff := cmp.Diff(want, f.Window()); diff != "" {
		t.Errorf("Window (-want +got):\n%s", diff)
	}
	if got, want := f.String(), "starts 2024-03-26: 109 days overlap, 1 issue listed twice"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	f.Kind, f.Issues = Gap, 3
	if got, want := f.String(), "starts 2024-03-26: 109 days gap, 3 issues in no announcement"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	if d := (Finding{From: time.Time{}, To: ts("2024-01-01T00:00:00Z")}).Days(); d != -1 {
		t.Errorf("unbounded Days = %d, want -1", d)
	}
}
