package english

import "testing"

func TestPlural(t *testing.T) {
	tests := []struct {
		n    int
		noun string
		want string
	}{
		{0, "issue", "0 issues"},
		{1, "issue", "1 issue"},
		{2, "issue", "2 issues"},
		{-1, "day", "-1 days"},
		{1000, "request", "1000 requests"},
	}
	for _, tt := range tests {
		if got := Plural(tt.n, tt.noun); got != tt.want {
			t.Errorf("Plural(%d, %q) = %q, want %q", tt.n, tt.noun, got, tt.want)
		}
	}
}
