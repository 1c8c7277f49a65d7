package releases

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplice(t *testing.T) {
	sec := func(notes string) string { return StartMarker + "\n" + notes + "\n" + EndMarker }
	tests := []struct {
		name, body, notes, want string
		changed                 bool
		err                     bool
	}{
		{name: "empty body", body: "", notes: "- #1 Fix", want: sec("- #1 Fix") + "\n", changed: true},
		{name: "append after text", body: "Intro", notes: "n", want: "Intro\n\n" + sec("n") + "\n", changed: true},
		{name: "append after newline", body: "Intro\n", notes: "n\n", want: "Intro\n\n" + sec("n") + "\n", changed: true},
		{name: "append after blank line", body: "Intro\n\n", notes: "n", want: "Intro\n\n" + sec("n") + "\n", changed: true},
		{name: "replace keeps CRLF outside", body: "A\r\n" + sec("old") + "\r\nB  \r\n", notes: "new",
			want: "A\r\n" + sec("new") + "\r\nB  \r\n", changed: true},
		{name: "same notes change nothing", body: "x " + sec("n") + " y", notes: "n\n", want: "x " + sec("n") + " y"},
		{name: "markers inline", body: "x" + StartMarker + "old" + EndMarker + "y", notes: "n", want: "x" + sec("n") + "y", changed: true},
		{name: "end without start", body: "x " + EndMarker, notes: "n", err: true},
		{name: "start without end", body: StartMarker + " x", notes: "n", err: true},
		{name: "end before start", body: EndMarker + StartMarker, notes: "n", err: true},
		{name: "two sections", body: sec("a") + sec("b"), notes: "n", err: true},
		{name: "notes with a marker", body: "", notes: "a " + EndMarker, err: true},
		{name: "notes ending in an open fence", body: "", notes: "```\ncode", err: true},
		{name: "two starts, one end", body: StartMarker + "\n" + sec("a"), notes: "n", err: true},
		{name: "one start, two ends", body: sec("a") + "\n" + EndMarker, notes: "n", err: true},
		{name: "append after CRLF blank line", body: "Intro\r\n\r\n", notes: "n", want: "Intro\r\n\r\n" + sec("n") + "\n", changed: true},
		{name: "markers in a fenced block are text", body: "Use:\n```\n" + sec("example") + "\n```\n", notes: "n",
			want: "Use:\n```\n" + sec("example") + "\n```\n\n" + sec("n") + "\n", changed: true},
		{name: "markers in a tilde fence are text, real ones replaced", body: "~~~~md\n" + EndMarker + "\n~~~\n~~~~\n" + sec("old") + "\n", notes: "n",
			want: "~~~~md\n" + EndMarker + "\n~~~\n~~~~\n" + sec("n") + "\n", changed: true},
		{name: "a fence indented four spaces is no fence", body: "    ```\n" + sec("old"), notes: "n",
			want: "    ```\n" + sec("n"), changed: true},
		{name: "body ending inside an open fence", body: "```sh\nrelnotes publish", notes: "n",
			want: "```sh\nrelnotes publish\n```\n\n" + sec("n") + "\n", changed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed, err := Splice(tt.body, tt.notes)
			if tt.err {
				if !errors.Is(err, ErrMarkers) {
					t.Fatalf("Splice error = %v, want ErrMarkers", err)
				}
				if got != tt.body || changed {
					t.Errorf("a refused splice changed the body")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Splice (-want +got):\n%s", diff)
			}
			if changed != tt.changed {
				t.Errorf("changed = %v, want %v", changed, tt.changed)
			}
			again, changed2, err := Splice(got, tt.notes)
			if err != nil || changed2 || again != got {
				t.Errorf("second Splice changed the body (changed=%v, err=%v)", changed2, err)
			}
		})
	}
}

// FuzzSplice checks the publish contract: outside the markers the body is
// kept byte for byte, and a second run with the same notes changes nothing.
func FuzzSplice(f *testing.F) {
	f.Add("Intro\r\n", "- a\n- b\n")
	f.Add("a "+StartMarker+"old"+EndMarker+" z", "new")
	f.Add("", "")
	f.Add(EndMarker, "x")
	f.Add("```\n"+StartMarker+"\n", "x")
	f.Add("~~~\n"+StartMarker+"\n~~~\n"+EndMarker, "x")
	f.Fuzz(func(t *testing.T, body, notes string) {
		out, changed, err := Splice(body, notes)
		if err != nil {
			if !errors.Is(err, ErrMarkers) || out != body || changed {
				t.Fatalf("refusal must wrap ErrMarkers and keep the body: %v", err)
			}
			return
		}
		starts, ends, _ := findMarkers(body)
		if len(starts) == 0 {
			if !strings.HasPrefix(out, body) {
				t.Fatalf("appending changed the original text")
			}
		} else {
			si, ei := starts[0], ends[0]
			_, outEnds, _ := findMarkers(out)
			oe := outEnds[0]
			if out[:si+len(StartMarker)] != body[:si+len(StartMarker)] || out[oe:] != body[ei:] {
				t.Fatalf("text outside the markers changed:\n%q\n%q", body, out)
			}
		}
		again, changed2, err := Splice(out, notes)
		if err != nil || changed2 || again != out {
			t.Fatalf("second run changed the body: %v %v", changed2, err)
		}
	})
}

func TestCheckBodyLen(t *testing.T) {
	if err := CheckBodyLen(strings.Repeat("é", MaxBodyLen)); err != nil {
		t.Errorf("a body of exactly %d characters (more bytes) was refused: %v", MaxBodyLen, err)
	}
	err := CheckBodyLen(strings.Repeat("x", MaxBodyLen+1))
	var tl *BodyTooLongError
	if !errors.As(err, &tl) || tl.Len != MaxBodyLen+1 {
		t.Fatalf("CheckBodyLen = %v, want *BodyTooLongError", err)
	}
	if !strings.Contains(err.Error(), "125001 characters") {
		t.Errorf("the error does not give the length: %v", err)
	}
}

func TestUnifiedDiff(t *testing.T) {
	a := "l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\n"
	b := "l1\nl2\nl3\nl4\nX5\nl6\nl7\nl8\nl9\nl10"
	want := `--- old
+++ new
@@ -2,8 +2,9 @@
 l2
 l3
 l4
-l5
+X5
 l6
 l7
 l8
 l9
+l10
\ No newline at end of file
`
	if diff := cmp.Diff(want, UnifiedDiff(a, b, "old", "new")); diff != "" {
		t.Errorf("UnifiedDiff (-want +got):\n%s", diff)
	}
	if got := UnifiedDiff(a, a, "old", "new"); got != "" {
		t.Errorf("equal texts gave a diff: %q", got)
	}
}

// FuzzUnifiedDiff applies the diff back to a and expects b: a diff that
// prints fine but loses a line would pass a golden test only by luck.
func FuzzUnifiedDiff(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nc\nd\n")
	f.Add("", "x")
	f.Add("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "1\n2\nX\n4\n5\n6\n7\n8\n9\n10\nY\n12\n")
	f.Fuzz(func(t *testing.T, a, b string) {
		d := UnifiedDiff(a, b, "a", "b")
		if (d == "") != (a == b) {
			t.Fatalf("diff emptiness wrong for %q vs %q", a, b)
		}
		if d == "" {
			return
		}
		if got := applyDiff(t, a, d); got != b {
			t.Fatalf("applying the diff gave %q, want %q\n%s", got, b, d)
		}
	})
}

func applyDiff(t *testing.T, a, d string) string {
	t.Helper()
	src := splitLines(a)
	lines := strings.SplitAfter(d, "\n")
	var out []string
	pos := 0
	for i := 2; i < len(lines); i++ {
		l := lines[i]
		if l == "" {
			continue
		}
		switch l[0] {
		case '@':
			var as, an, bs, bn int
			parseHunk(t, l, &as, &an, &bs, &bn)
			start := as - 1
			if an == 0 {
				start = as
			}
			out = append(out, src[pos:start]...)
			pos = start
		case ' ', '-', '+':
			text := l[1:]
			if i+1 < len(lines) && strings.HasPrefix(lines[i+1], `\ No newline`) {
				text = strings.TrimSuffix(text, "\n")
				i++
			}
			if l[0] != '+' {
				if pos >= len(src) || src[pos] != text {
					t.Fatalf("diff context %q does not match line %d of a", text, pos)
				}
				pos++
			}
			if l[0] != '-' {
				out = append(out, text)
			}
		default:
			t.Fatalf("bad diff line %q", l)
		}
	}
	out = append(out, src[pos:]...)
	return strings.Join(out, "")
}

func parseHunk(t *testing.T, l string, as, an, bs, bn *int) {
	t.Helper()
	var a, b string
	if _, err := fmtSscanf(l, &a, &b); err != nil {
		t.Fatalf("bad hunk header %q: %v", l, err)
	}
	rng := func(s string, start, n *int) {
		*n = 1
		if i := strings.IndexByte(s, ','); i >= 0 {
			*n = atoi(s[i+1:])
			s = s[:i]
		}
		*start = atoi(s)
	}
	rng(a[1:], as, an)
	rng(b[1:], bs, bn)
}
