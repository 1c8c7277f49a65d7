package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/relnotes/relnotes/changelog"
	"github.com/relnotes/relnotes/internal/bounded"
)

// maxSummary is the runner's limit on one step's summary; over it the
// upload fails with an annotation and the summary is lost entirely.
const maxSummary = 1 << 20

// truncationNote ends a summary cut to fit maxSummary.
const truncationNote = "\n\n> **Note:** the notes were cut to fit GitHub's 1 MiB step-summary limit; the full text is in the `notes-file` output.\n"

// run is main without the process: it returns the exit code (2 for bad
// flags, 1 when the outputs cannot be written).
func run(args []string, getenv func(string) string, stderr io.Writer) int {
	fs := flag.NewFlagSet("outputs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	clPath := fs.String("changelog", "", "relnotes JSON `file`")
	notesPath := fs.String("notes", "", "rendered notes `file`")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := write(*clPath, *notesPath, getenv); err != nil {
		fmt.Fprintf(stderr, "relnotes action: %v\n", err)
		return 1
	}
	return 0
}

func write(clPath, notesPath string, getenv func(string) string) error {
	b, err := bounded.ReadFile(clPath, bounded.InputLimit)
	if err != nil {
		return fmt.Errorf("read the changelog: %w", err)
	}
	// The changelog is notes' JSON output, which adds left_out to the
	// plain changelog.
	var cl struct {
		changelog.Changelog
		LeftOut int `json:"left_out"`
	}
	if err := json.Unmarshal(b, &cl); err != nil {
		return fmt.Errorf("changelog %s is not relnotes JSON: %w", clPath, err)
	}
	notes, err := bounded.ReadFile(notesPath, bounded.NotesLimit)
	if err != nil {
		return fmt.Errorf("read the notes: %w", err)
	}
	if p := getenv("GITHUB_OUTPUT"); p != "" {
		var sb strings.Builder
		for _, kv := range [][2]string{{"url", cl.URL}, {"count", strconv.Itoa(cl.Total)}, {"notes-file", notesPath}, {"left-out", strconv.Itoa(cl.LeftOut)}} {
			entry, err := outputEntry(kv[0], kv[1], rand.Reader)
			if err != nil {
				return err
			}
			sb.WriteString(entry)
		}
		if err := appendFile(p, sb.String()); err != nil {
			return fmt.Errorf("write GITHUB_OUTPUT: %w", err)
		}
	}
	if p := getenv("GITHUB_STEP_SUMMARY"); p != "" {
		if err := appendFile(p, summary(string(notes))); err != nil {
			return fmt.Errorf("write GITHUB_STEP_SUMMARY: %w", err)
		}
	}
	return nil
}

// outputEntry writes name=value in the runner's multiline form with a
// random delimiter that is checked not to occur in the value, so no value
// (a hostile label in a URL, a newline) can end it early or inject another
// output.
func outputEntry(name, value string, random io.Reader) (string, error) {
	for range 10 {
		var b [16]byte
		if _, err := io.ReadFull(random, b[:]); err != nil {
			return "", fmt.Errorf("make an output delimiter: %w", err)
		}
		delim := "ghadelimiter_" + hex.EncodeToString(b[:])
		if !strings.Contains(value, delim) && !strings.Contains(name, delim) {
			return name + "<<" + delim + "\n" + value + "\n" + delim + "\n", nil
		}
	}
	return "", errors.New("could not find an output delimiter absent from the value")
}

// summary returns notes cut at a line boundary to fit maxSummary together
// with the truncation note, never splitting a UTF-8 character.
func summary(notes string) string {
	if !strings.HasSuffix(notes, "\n") {
		notes += "\n"
	}
	if len(notes) <= maxSummary {
		return notes
	}
	cut := notes[:maxSummary-len(truncationNote)]
	if i := strings.LastIndexByte(cut, '\n'); i > 0 {
		cut = cut[:i+1]
	}
	for !utf8.ValidString(cut) {
		cut = cut[:len(cut)-1]
	}
	return cut + truncationNote
}

func appendFile(path, s string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(s); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
