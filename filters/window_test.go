package filters

import (
	"errors"
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
