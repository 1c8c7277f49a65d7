package ghemu_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relnotes/relnotes/internal/ghemu"
	"github.com/relnotes/relnotes/internal/ghemu/ghemutest"
)

// TestFaultShift checks each change FaultShift makes: how the window's set
// moves, that the changed issue carries updated_at = now, that the updated:
// qualifier finds exactly the changed issues, and that the Date header comes
// from the emulator's clock.
func TestFaultShift(t *testing.T) {
	now := time.Date(2025, 2, 1, 12, 0, 0, 0, time.UTC)
	issues := ghemu.GenerateDense(9, "o/r", 300, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 6, 30, 23, 59, 59, 0, time.UTC))
	const q = `repo:o/r is:issue reason:completed closed:2024-03-01..2024-06-30 -label:"R: duplicate" label:"T: bug","T: enhancement","T: task"`
	tests := []struct {
		shifts      []ghemu.Shift
		delta       int // change of the window's count
		left, added int // issues leaving and entering the window
	}{
		{nil, 0, 1, 1},
		{[]ghemu.Shift{ghemu.ShiftReopen}, -1, 1, 0},
		{[]ghemu.Shift{ghemu.ShiftClose}, +1, 0, 1},
		{[]ghemu.Shift{ghemu.ShiftLabelOut}, -1, 1, 0},
		{[]ghemu.Shift{ghemu.ShiftLabelIn}, +1, 0, 1},
		{[]ghemu.Shift{ghemu.ShiftMoveOut}, -1, 1, 0},
		{[]ghemu.Shift{ghemu.ShiftMoveIn}, +1, 0, 1},
		{ghemu.AllShifts(), 0, 3, 3},
	}
	run := func(t *testing.T, shifts []ghemu.Shift) (before, after []string, changed []ghemu.Issue) {
		s := ghemutest.Start(t, ghemu.Config{Issues: issues, Now: func() time.Time { return now }})
		before = keysOf(t, s, q)
		s.Inject(ghemu.Fault{Kind: ghemu.FaultShift, Shifts: shifts, Seed: 3})
		// The request pins its own slice by update time; the shift aims at
		// the window without that term.
		status, h, _, err := rawGet(s, "search/issues?"+url.Values{"q": {q + " updated:<2025-01-01"}}.Encode())
		if err != nil || status != 200 {
			t.Fatalf("status %d err %v", status, err)
		}
		if d, err := http.ParseTime(h.Get("Date")); err != nil || !d.Equal(now) {
			t.Errorf("Date %q, want the emulator's clock %v", h.Get("Date"), now)
		}
		changed, err = s.Search("repo:o/r updated:>=" + now.Format(time.RFC3339))
		if err != nil {
			t.Fatal(err)
		}
		return before, keysOf(t, s, q), changed
	}
	for _, tt := range tests {
		name := "default"
		if tt.shifts != nil {
			name = ""
			for _, k := range tt.shifts {
				name += k.String() + "+"
			}
		}
		t.Run(name, func(t *testing.T) {
			before, after, changed := run(t, tt.shifts)
			if len(after)-len(before) != tt.delta {
				t.Errorf("window has %d issues after the shift, %d before; want a change of %d", len(after), len(before), tt.delta)
			}
			left, added := diffKeys(before, after)
			if len(left) != tt.left || len(added) != tt.added {
				t.Errorf("left %v, added %v; want %d and %d", left, added, tt.left, tt.added)
			}
			want := len(tt.shifts)
			if tt.shifts == nil {
				want = 2 // the default pair
			}
			if len(changed) != want {
				t.Errorf("updated:>=now finds %d issues", len(changed))
			}
			for _, is := range changed {
				if !is.UpdatedAt.Equal(now) {
					t.Errorf("%s#%d: updated_at %v, want now", is.Repo, is.Number, is.UpdatedAt)
				}
			}
			_, again, _ := run(t, tt.shifts)
			if d := cmp.Diff(after, again); d != "" {
				t.Errorf("same seed, different changes:\n%s", d)
			}
		})
	}
}

func keysOf(t *testing.T, s *ghemu.Server, q string) []string {
	t.Helper()
	got, err := s.Search(q)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, is := range got {
		out = append(out, is.Repo+"#"+strconv.Itoa(is.Number))
	}
	slices.Sort(out)
	return out
}

func diffKeys(before, after []string) (left, added []string) {
	for _, k := range before {
		if !slices.Contains(after, k) {
			left = append(left, k)
		}
	}
	for _, k := range after {
		if !slices.Contains(before, k) {
			added = append(added, k)
		}
	}
	return left, added
}
