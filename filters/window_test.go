package filters

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestWindowBounds(t *testing.T) {
	tests := []struct {
		w          Window
		start, end string // "" for the zero time
		str        string
	}{
		{Window{}, "", "", ""},
		{Window{From: day("2024-03-26"), To: day("2024-09-09")}, "2024-03-26T00:00:00Z", "2024-09-10T00:00:00Z", "2024-03-26..2024-09-09"},
		{Window{From: instant("2024-03-26T10:00:00+02:00"), To: instant("2024-09-09T23:59:59Z")}, "2024-03-26T08:00:00Z", "2024-09-10T00:00:00Z", "2024-03-26T08:00:00Z..2024-09-09T23:59:59Z"},
		{Window{From: day("2024-03-26")}, "2024-03-26T00:00:00Z", "", ">=2024-03-26"},
		{Window{To: instant("2024-09-09T12:00:00Z")}, "", "2024-09-09T12:00:01Z", "<=2024-09-09T12:00:00Z"},
		{Window{From: day("2024-03-26"), To: day("2024-03-26")}, "2024-03-26T00:00:00Z", "2024-03-27T00:00:00Z", "2024-03-26"},
	}
	for _, tt := range tests {
		var start, end time.Time
		if tt.start != "" {
			start = mustTime(tt.start)
		}
		if tt.end != "" {
			end = mustTime(tt.end)
		}
		if !tt.w.Start().Equal(start) || !tt.w.End().Equal(end) {
			t.Errorf("%v: Start, End = %v, %v; want %v, %v", tt.w, tt.w.Start(), tt.w.End(), start, end)
		}
		if got := tt.w.String(); got != tt.str {
			t.Errorf("String() = %q, want %q", got, tt.str)
		}
		if got := tt.w.IsZero(); got != (tt.str == "") {
			t.Errorf("%v.IsZero() = %v", tt.w, got)
		}
		back, err := ParseWindow(tt.str)
		if err != nil {
			t.Errorf("ParseWindow(%q): %v", tt.str, err)
		} else if d := cmp.Diff(tt.w, back); d != "" {
			t.Errorf("ParseWindow(%q) (-want +got):\n%s", tt.str, d)
		}
	}
}

func TestWindowContains(t *testing.T) {
	seed := Window{From: day("2024-03-26"), To: day("2024-09-09")}
	inst := Window{From: instant("2024-03-26T10:00:00Z"), To: instant("2024-03-26T12:00:00Z")}
	tests := []struct {
		w    Window
		t    string
		want bool
	}{
		{seed, "2024-03-25T23:59:59Z", false},
		{seed, "2024-03-26T00:00:00Z", true},
		{seed, "2024-03-26T01:00:00+02:00", false}, // 2024-03-25T23:00Z
		{seed, "2024-09-09T23:59:59.999Z", true},
		{seed, "2024-09-10T00:00:00Z", false},
		{seed, "2024-09-10T01:00:00+02:00", true}, // 2024-09-09T23:00Z
		{inst, "2024-03-26T09:59:59Z", false},
		{inst, "2024-03-26T10:00:00Z", true},
		{inst, "2024-03-26T12:00:00.5Z", true},
		{inst, "2024-03-26T12:00:01Z", false},
		{Window{}, "1999-01-01T00:00:00Z", true},
		{Window{To: day("2024-03-26")}, "2024-03-26T23:00:00Z", true},
		{Window{From: day("2024-03-26")}, "2024-03-25T23:00:00Z", false},
	}
	for _, tt := range tests {
		if got := tt.w.Contains(mustTime(tt.t)); got != tt.want {
			t.Errorf("%v.Contains(%s) = %v, want %v", tt.w, tt.t, got, tt.want)
		}
	}
}

func TestWindowIntersect(t *testing.T) {
	seed := Window{From: day("2024-03-26"), To: day("2024-09-09")}
	tests := []struct {
		a, b, want Window
		empty      bool
	}{
		{seed, Window{}, seed, false},
		{Window{}, seed, seed, false},
		{seed, Window{From: instant("2024-04-01T10:00:00Z")}, Window{From: instant("2024-04-01T10:00:00Z"), To: day("2024-09-09")}, false},
		{seed, Window{To: instant("2024-09-10T00:00:00Z")}, seed, false},
		{seed, Window{To: instant("2024-09-09T12:00:00Z")}, Window{From: day("2024-03-26"), To: instant("2024-09-09T12:00:00Z")}, false},
		{seed, Window{From: day("2025-01-01")}, Window{From: day("2025-01-01"), To: day("2024-09-09")}, true},
	}
	for _, tt := range tests {
		got := tt.a.Intersect(tt.b)
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%v.Intersect(%v) (-want +got):\n%s", tt.a, tt.b, d)
		}
		if got.Empty() != tt.empty {
			t.Errorf("%v.Empty() = %v, want %v", got, got.Empty(), tt.empty)
		}
	}
}

func TestBoundHelpers(t *testing.T) {
	local := time.FixedZone("UTC+2", 2*3600)
	if got, want := Day(time.Date(2024, 3, 26, 23, 30, 0, 0, local)), (Bound{T: time.Date(2024, 3, 26, 0, 0, 0, 0, time.UTC), Day: true}); got != want {
		t.Errorf("Day = %v, want %v", got, want)
	}
	b := Instant(time.Date(2024, 3, 26, 10, 0, 0, 999, local))
	if b.Day || b.T.Nanosecond() != 0 || !b.T.Equal(time.Date(2024, 3, 26, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("Instant = %+v, want 08:00:00Z to the second", b)
	}
	if !Instant(time.Time{}).IsOpen() || !(Bound{}).IsOpen() || day("2024-03-26").IsOpen() {
		t.Error("IsOpen wrong")
	}
}

func TestParseWindowErrors(t *testing.T) {
	for _, s := range []string{"2024-13-01", "2024-02-30", "2024-09-09..2024-03-26", ">=", "..", "2024-03-26...2024-03-27", "yesterday"} {
		_, err := ParseWindow(s)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Input != s {
			t.Errorf("ParseWindow(%q) = %v, want a *ParseError with that Input", s, err)
		}
	}
}

func TestReleaseWindow(t *testing.T) {
	tests := []struct {
		name      string
		prev, cur string
		g         Granularity
		want      Window
		empty     bool
	}{
		{"instant", "2024-07-13T10:00:00Z", "2024-09-09T12:30:00Z", GranularityInstant,
			Window{From: instant("2024-07-13T10:00:01Z"), To: instant("2024-09-09T12:30:00Z")}, false},
		{"instant first release", "", "2024-09-09T12:30:00Z", GranularityInstant,
			Window{To: instant("2024-09-09T12:30:00Z")}, false},
		{"instant truncates sub-second", "2024-07-13T10:00:00.9Z", "2024-09-09T12:30:00.5Z", GranularityInstant,
			Window{From: instant("2024-07-13T10:00:01Z"), To: instant("2024-09-09T12:30:00Z")}, false},
		{"instant converts zones to UTC", "2024-07-13T12:00:00+02:00", "2024-09-09T00:30:00-01:00", GranularityInstant,
			Window{From: instant("2024-07-13T10:00:01Z"), To: instant("2024-09-09T01:30:00Z")}, false},
		{"instant one second apart", "2024-09-09T12:00:00Z", "2024-09-09T12:00:01Z", GranularityInstant,
			Window{From: instant("2024-09-09T12:00:01Z"), To: instant("2024-09-09T12:00:01Z")}, false},
		{"instant same second is empty", "2024-09-09T12:00:00.1Z", "2024-09-09T12:00:00.9Z", GranularityInstant,
			Window{From: instant("2024-09-09T12:00:01Z"), To: instant("2024-09-09T12:00:00Z")}, true},
		{"day", "2024-07-13T10:00:00Z", "2024-09-09T12:30:00Z", GranularityDay,
			Window{From: day("2024-07-13"), To: day("2024-09-08")}, false},
		{"day first release", "", "2024-09-09T00:00:00Z", GranularityDay,
			Window{To: day("2024-09-08")}, false},
		{"day on consecutive days", "2024-09-08T23:59:59Z", "2024-09-09T00:00:00Z", GranularityDay,
			Window{From: day("2024-09-08"), To: day("2024-09-08")}, false},
		{"day same day is empty", "2024-09-09T01:00:00Z", "2024-09-09T23:00:00Z", GranularityDay,
			Window{From: day("2024-09-09"), To: day("2024-09-08")}, true},
		{"day uses the UTC date", "2024-07-13T23:30:00-05:00", "2024-09-09T01:00:00+03:00", GranularityDay,
			Window{From: day("2024-07-14"), To: day("2024-09-07")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var prev time.Time
			if tt.prev != "" {
				prev = mustTime(tt.prev)
			}
			got := ReleaseWindow(prev, mustTime(tt.cur), tt.g)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("ReleaseWindow (-want +got):\n%s", d)
			}
			if got.Empty() != tt.empty {
				t.Errorf("%v.Empty() = %v, want %v", got, got.Empty(), tt.empty)
			}
			if err := got.Validate(); (err != nil) != tt.empty {
				t.Errorf("%v.Validate() = %v, want an error only for an empty window", got, err)
			}
		})
	}
}

// TestReleaseWindowAgreesWithParse is the rule link, explain and check share:
// every release window either reads back from its own text or is Empty, and
// then both Validate and ParseWindow refuse it. The windows of consecutive
// releases tile: each instant up to the last release lies in exactly one.
func TestReleaseWindowAgreesWithParse(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, g := range []Granularity{GranularityInstant, GranularityDay} {
		for run := 0; run < 200; run++ {
			// Releases minutes to weeks apart, so some share a day or a second.
			times := []time.Time{time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.Int64N(1e9)) * time.Millisecond)}
			for len(times) < 6 {
				gap := []time.Duration{time.Duration(r.Int64N(1000)) * time.Millisecond, time.Duration(r.Int64N(3600)) * time.Second, time.Duration(r.Int64N(20*86400)) * time.Second}[r.IntN(3)]
				times = append(times, times[len(times)-1].Add(gap))
			}
			var windows []Window
			prev := time.Time{}
			for _, cur := range times {
				w := ReleaseWindow(prev, cur, g)
				back, perr := ParseWindow(w.String())
				switch verr := w.Validate(); {
				case w.Empty() && (verr == nil || perr == nil):
					t.Fatalf("%s: empty %v: Validate %v, ParseWindow %v; want both to refuse it", g, w, verr, perr)
				case !w.Empty() && (verr != nil || perr != nil || !cmp.Equal(w, back)):
					t.Fatalf("%s: %v: Validate %v, ParseWindow %v, %v; want it to read back", g, w, verr, back, perr)
				}
				windows = append(windows, w)
				prev = cur
			}
			last := windows[len(windows)-1]
			limit := last.End()
			for _, probe := range []time.Duration{-2 * time.Second, -time.Second, -time.Millisecond, 0, time.Millisecond, time.Second} {
				for _, at := range times {
					c := at.Add(probe)
					if !c.Before(limit) {
						continue
					}
					n := 0
					for _, w := range windows {
						if w.Contains(c) {
							n++
						}
					}
					if n != 1 {
						t.Fatalf("%s: %v lies in %d of the windows %v", g, c, n, windows)
					}
				}
			}
		}
	}
}

func TestWindowOrder(t *testing.T) {
	open := Window{}
	a := Window{From: day("2024-03-26"), To: day("2024-09-09")}
	b := Window{From: instant("2024-03-26T00:00:01Z"), To: instant("2024-09-09T23:59:58Z")}
	tests := []struct {
		w, o                    Window
		startsBefore, endsAfter bool
	}{
		{a, b, true, true},
		{b, a, false, false},
		{a, a, false, false},
		{open, a, true, true},
		{a, open, false, false},
		{open, open, false, false},
		{Window{To: day("2024-09-09")}, Window{From: day("2024-01-01")}, true, false},
	}
	for _, tt := range tests {
		if got := tt.w.StartsBefore(tt.o); got != tt.startsBefore {
			t.Errorf("%q.StartsBefore(%q) = %v", tt.w, tt.o, got)
		}
		if got := tt.w.EndsAfter(tt.o); got != tt.endsAfter {
			t.Errorf("%q.EndsAfter(%q) = %v", tt.w, tt.o, got)
		}
	}
}

func TestHalfOpen(t *testing.T) {
	tests := []struct {
		start, end string
		want       Window
	}{
		{"2024-03-26T00:00:00Z", "2024-09-10T00:00:00Z", Window{From: instant("2024-03-26T00:00:00Z"), To: instant("2024-09-09T23:59:59Z")}},
		{"2024-03-26T00:00:00.5Z", "2024-03-26T00:00:02.5Z", Window{From: instant("2024-03-26T00:00:01Z"), To: instant("2024-03-26T00:00:02Z")}},
		{"", "2024-03-26T10:00:00+02:00", Window{To: instant("2024-03-26T07:59:59Z")}},
		{"2024-03-26T00:00:00Z", "", Window{From: instant("2024-03-26T00:00:00Z")}},
		{"2024-03-26T00:00:00.2Z", "2024-03-26T00:00:00.8Z", Window{From: instant("2024-03-26T00:00:01Z"), To: instant("2024-03-26T00:00:00Z")}},
	}
	for _, tt := range tests {
		var start, end time.Time
		if tt.start != "" {
			start = mustTime(tt.start)
		}
		if tt.end != "" {
			end = mustTime(tt.end)
		}
		if d := cmp.Diff(tt.want, HalfOpen(start, end)); d != "" {
			t.Errorf("HalfOpen(%s, %s) (-want +got):\n%s", tt.start, tt.end, d)
		}
	}
	// The inverse of Start and End: the same instants, whatever the bounds.
	for _, w := range []Window{{}, {From: day("2024-03-26"), To: day("2024-09-09")}, {To: instant("2024-09-09T12:00:00Z")}} {
		h := HalfOpen(w.Start(), w.End())
		if !h.Start().Equal(w.Start()) || !h.End().Equal(w.End()) || h.IsZero() != w.IsZero() {
			t.Errorf("HalfOpen(%v.Start(), End()) = %v, want the same instants", w, h)
		}
	}
}

func TestGranularity(t *testing.T) {
	for in, want := range map[string]Granularity{"": GranularityInstant, " Instant ": GranularityInstant, "second": GranularityInstant, "day": GranularityDay, "DATE": GranularityDay} {
		if got, err := ParseGranularity(in); got != want || err != nil {
			t.Errorf("ParseGranularity(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseGranularity("week"); err == nil {
		t.Error("ParseGranularity(week) accepted it")
	}
	at := mustTime("2024-09-09T23:30:00.5-02:00")
	for _, tt := range []struct {
		g    Granularity
		t    time.Time
		want Bound
	}{
		{GranularityDay, at, day("2024-09-10")},
		{GranularityInstant, at, instant("2024-09-10T01:30:00Z")},
		{GranularityDay, time.Time{}, Bound{}},
		{GranularityInstant, time.Time{}, Bound{}},
	} {
		if d := cmp.Diff(tt.want, tt.g.Bound(tt.t)); d != "" {
			t.Errorf("%s.Bound(%v) (-want +got):\n%s", tt.g, tt.t, d)
		}
	}
}

func TestBoundString(t *testing.T) {
	for b, want := range map[Bound]string{{}: "*", day("2024-03-26"): "2024-03-26", instant("2024-03-26T10:00:00+02:00"): "2024-03-26T08:00:00Z"} {
		if got := b.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", b, got, want)
		}
	}
}
