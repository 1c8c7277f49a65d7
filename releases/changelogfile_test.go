package releases

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseChangelogFile(t *testing.T) {
	text := "# Changelog\n\nWritten by hand.\n\n" +
		UnreleasedMarker + "\n## Unreleased\n" + UnreleasedEndMarker + "\n\n" +
		"<!-- relnotes:section v1.2.0 -->\r\n## v1.2.0\n\n```md\n<!-- relnotes:section-end v1.2.0 -->\n```\n<!-- relnotes:section-end v1.2.0 -->\r\n" +
		"\nA note between.\n\n" +
		"<!-- relnotes:section a-%2D%3Eb -->\n## a-->b\n<!-- relnotes:section-end a-%2D%3Eb -->\n" +
		"\n## 0.9 (by hand)\n"
	f, err := ParseChangelogFile(text)
	if err != nil {
		t.Fatal(err)
	}
	want := &ChangelogFile{
		Head: "# Changelog\n\nWritten by hand.\n\n",
		Sections: []FileSection{
			{Unreleased: true, Text: UnreleasedMarker + "\n## Unreleased\n" + UnreleasedEndMarker + "\n", After: "\n"},
			{Tag: "v1.2.0", Text: "<!-- relnotes:section v1.2.0 -->\r\n## v1.2.0\n\n```md\n<!-- relnotes:section-end v1.2.0 -->\n```\n<!-- relnotes:section-end v1.2.0 -->\r\n", After: "\nA note between.\n\n"},
			{Tag: "a-->b", Text: "<!-- relnotes:section a-%2D%3Eb -->\n## a-->b\n<!-- relnotes:section-end a-%2D%3Eb -->\n", After: "\n## 0.9 (by hand)\n"},
		},
	}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Errorf("parse (-want +got):\n%s", diff)
	}
	if got := f.String(); got != text {
		t.Errorf("String() differs from the file:\n%q\n%q", got, text)
	}
}

func TestParseChangelogFileErrors(t *testing.T) {
	start := func(tag string) string { return "<!-- relnotes:section " + tag + " -->\n" }
	end := func(tag string) string { return "<!-- relnotes:section-end " + tag + " -->\n" }
	tests := []struct {
		name, text, want string
	}{
		{"no end", "x\n" + start("v1"), "CHANGELOG line 2: the section of v1 has no end marker"},
		{"end without start", end("v1"), "CHANGELOG line 1: the end marker of the section of v1 has no start marker before it"},
		{"nested", start("v2") + start("v1") + end("v1") + end("v2"), "CHANGELOG line 2: the section of v1 starts inside the section of v2, which started on line 1 and has no end marker"},
		{"crossed", start("v2") + end("v1"), "CHANGELOG line 2: the end marker of the section of v1 closes the section of v2, which started on line 1"},
		{"twice", start("v1") + end("v1") + start("v1") + end("v1"), "CHANGELOG line 3: the section of v1 is in the file twice (also on line 1)"},
		{"two unreleased", UnreleasedMarker + "\n" + UnreleasedEndMarker + "\n" + UnreleasedMarker + "\n", "CHANGELOG line 3: the Unreleased section is in the file twice (also on line 1)"},
		{"malformed", "<!-- relnotes:section v1-->\n", `CHANGELOG line 1: "<!-- relnotes:section v1-->" is not a relnotes section marker`},
		{"not canonical", "<!-- relnotes:section a--b -->\n", `CHANGELOG line 1: "<!-- relnotes:section a--b -->" is not a relnotes section marker`},
		{"fence hides the end", start("v1") + "```\n" + end("v1"), "CHANGELOG line 1: the section of v1 has no end marker"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseChangelogFile(tt.text)
			var me *MarkerError
			if !errors.As(err, &me) || !strings.HasPrefix(err.Error(), tt.want+"; ") {
				t.Errorf("error %v,\nwant *MarkerError starting %s", err, tt.want)
			}
		})
	}
}

func sec(tag, body string) string {
	return "<!-- relnotes:section " + tag + " -->\n" + body + "<!-- relnotes:section-end " + tag + " -->\n"
}

func unrel(body string) string { return UnreleasedMarker + "\n" + body + UnreleasedEndMarker + "\n" }

func TestChangelogFileUpdate(t *testing.T) {
	tests := []struct {
		name string
		file string
		add  []NewSection
		want string
	}{
		{"empty file", "", []NewSection{{Tag: "v1", Body: "## v1\n"}}, sec("v1", "## v1\n")},
		{"after the title", "# Changelog\n\n## 0.1 by hand\n",
			[]NewSection{{Unreleased: true, Body: "## Unreleased"}, {Tag: "v1", Body: "## v1\n"}},
			"# Changelog\n\n" + unrel("## Unreleased\n") + "\n" + sec("v1", "## v1\n") + "\n## 0.1 by hand\n"},
		{"title without blank line", "# Changelog\n## 0.1\n", []NewSection{{Tag: "v1", Body: "b"}},
			"# Changelog\n\n" + sec("v1", "b\n") + "\n## 0.1\n"},
		{"no title: at the top", "Intro\n", []NewSection{{Tag: "v1", Body: "b"}}, sec("v1", "b\n") + "\nIntro\n"},
		{"new releases replace Unreleased, on top of the old ones",
			"# C\n\n" + unrel("old\n") + "\n" + sec("v1", "one\n") + "\nhand\n",
			[]NewSection{{Unreleased: true, Body: "new"}, {Tag: "v3", Body: "three"}, {Tag: "v2", Body: "two"}},
			"# C\n\n" + unrel("new\n") + "\n" + sec("v3", "three\n") + "\n" + sec("v2", "two\n") + "\n" + sec("v1", "one\n") + "\nhand\n"},
		{"Unreleased dropped when not asked",
			"# C\n\n" + unrel("old\n") + "\n" + sec("v1", "one\n"),
			[]NewSection{{Tag: "v2", Body: "two"}},
			"# C\n\n" + sec("v2", "two\n") + "\n" + sec("v1", "one\n")},
		{"only Unreleased, dropped", "# C\n\n" + unrel("old\n") + "\nnote\n", nil, "# C\n\n\nnote\n"},
		{"Unreleased below a release is dropped",
			"# C\n\n" + sec("v1", "one\n") + "\n" + unrel("old\n") + "\n",
			[]NewSection{{Unreleased: true, Body: "new"}},
			"# C\n\n" + unrel("new\n") + "\n" + sec("v1", "one\n") + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseChangelogFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.Update(tt.add); err != nil {
				t.Fatal(err)
			}
			got := f.String()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Update (-want +got):\n%s", diff)
			}
			back, err := ParseChangelogFile(got)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(f, back); diff != "" {
				t.Errorf("the updated file parses differently (-updated +parsed):\n%s", diff)
			}
		})
	}
}

func TestChangelogFileUpdateRefuses(t *testing.T) {
	f, err := ParseChangelogFile(sec("v1", "one\n"))
	if err != nil {
		t.Fatal(err)
	}
	for name, add := range map[string][]NewSection{
		"present tag":     {{Tag: "v1", Body: "x"}},
		"tag twice":       {{Tag: "v2", Body: "x"}, {Tag: "v2", Body: "y"}},
		"two unreleased":  {{Unreleased: true}, {Unreleased: true}},
		"tag and unrel":   {{Tag: "v2", Unreleased: true}},
		"marker in body":  {{Tag: "v2", Body: "<!-- relnotes:section-end v2 -->"}},
		"open code block": {{Tag: "v2", Body: "```\ncode\n"}},
	} {
		before := f.String()
		if err := f.Update(add); !errors.Is(err, ErrSectionBody) {
			t.Errorf("%s: error %v, want ErrSectionBody", name, err)
		}
		if f.String() != before {
			t.Errorf("%s: the file changed on an error", name)
		}
	}
}

func TestHistoryMissing(t *testing.T) {
	h, err := PlanHistory(context.Background(), handHistory(), HistoryOptions{Unreleased: true, Now: func() time.Time { return ts("2024-06-01T00:00:00Z") }})
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseChangelogFile("# C\n\n" + sec("v1.2.1", "x\n") + sec("v1.2.0", "y\n"))
	if err != nil {
		t.Fatal(err)
	}
	m := h.Missing(f.Has)
	var got []string
	for _, s := range m.Sections {
		got = append(got, s.Release.Tag)
	}
	if diff := cmp.Diff([]string{"", "v1.2.2", "v1.1.3"}, got); diff != "" {
		t.Errorf("Missing (-want +got):\n%s", diff)
	}
	if want := "2024-04-15T10:00:01Z..2024-06-01T00:00:00Z"; m.Span.String() != want {
		t.Errorf("Missing Span %s, want %s", m.Span, want)
	}
	if all := h.Missing(func(string) bool { return false }); len(all.Sections) != len(h.Sections) || all.Span != h.Span {
		t.Errorf("Missing with an empty file: %d sections, Span %s; want all %d, %s", len(all.Sections), all.Span, len(h.Sections), h.Span)
	}
}

// FuzzChangelogFile checks that any file that parses prints back byte for
// byte, and that sections written by Update parse back to the same tags and
// texts, with every existing section and the text around them unchanged
// over further updates.
func FuzzChangelogFile(f *testing.F) {
	f.Add("# Changelog\n\nintro\n", "v1.0.0", "v1.1.0-rc.1", "## v1\n\n- fix\n", "```\n<!-- relnotes:section-end x -->\n```\n")
	f.Add("", "a-->b", "%41 c", "", "\r\n")
	f.Add("no title\r\n", "<!--", "\n", "~~~\n~~~", "text")
	f.Fuzz(func(t *testing.T, head, tag1, tag2, body1, body2 string) {
		if p, err := ParseChangelogFile(head); err == nil && p.String() != head {
			t.Fatalf("String() of a parsed file differs:\n%q\n%q", p.String(), head)
		}
		if tag1 == "" || tag2 == "" || tag1 == tag2 {
			return
		}
		file, err := ParseChangelogFile(head)
		if err != nil || len(file.Sections) > 0 || outsideFences(head, func(int, string) {}) != "" {
			return
		}
		if err := file.Update([]NewSection{{Tag: tag1, Body: body1}}); err != nil {
			if errors.Is(err, ErrSectionBody) {
				return
			}
			t.Fatal(err)
		}
		one, err := ParseChangelogFile(file.String())
		if err != nil {
			t.Fatalf("the file Update wrote does not parse: %v\n%q", err, file.String())
		}
		if len(one.Sections) != 1 || one.Sections[0].Tag != tag1 {
			t.Fatalf("sections %+v, want one of %q", one.Sections, tag1)
		}
		around := one.Head + one.Sections[0].After
		if !onlyNewlinesAdded(head, around) {
			t.Fatalf("text around the section %q is not the file %q", around, head)
		}
		if err := one.Update([]NewSection{{Unreleased: true, Body: body2}, {Tag: tag2, Body: body2}}); err != nil {
			if errors.Is(err, ErrSectionBody) {
				return
			}
			t.Fatal(err)
		}
		two, err := ParseChangelogFile(one.String())
		if err != nil {
			t.Fatalf("the file Update wrote does not parse: %v\n%q", err, one.String())
		}
		if len(two.Sections) != 3 || !two.Sections[0].Unreleased || two.Sections[1].Tag != tag2 || two.Sections[2].Text != file.Sections[0].Text {
			t.Fatalf("after the second update: %+v", two.Sections)
		}
		if two.Head != file.Head || two.Sections[2].After != file.Sections[0].After {
			t.Fatalf("the text around the sections changed: %q %q, was %q %q", two.Head, two.Sections[2].After, file.Head, file.Sections[0].After)
		}
		if err := two.Update([]NewSection{{Tag: tag2 + ".1", Body: body1}}); err != nil {
			t.Fatal(err)
		}
		three, err := ParseChangelogFile(two.String())
		if err != nil {
			t.Fatal(err)
		}
		if len(three.Sections) != 3 || three.Sections[1].Text != two.Sections[1].Text || three.Sections[2].Text != two.Sections[2].Text || three.Head != two.Head {
			t.Fatalf("the Unreleased section was not replaced by the new release alone: %+v", three.Sections)
		}
	})
}

// onlyNewlinesAdded reports whether got is want with at most three newlines
// inserted at one place.
func onlyNewlinesAdded(want, got string) bool {
	k := len(got) - len(want)
	if k < 0 || k > 3 {
		return false
	}
	i := 0
	for i < len(want) && want[i] == got[i] {
		i++
	}
	return strings.Trim(got[i:i+k], "\n") == "" && got[i+k:] == want[i:]
}
