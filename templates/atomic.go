package templates

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// MaxOutput is the most WriteFileAtomic and LimitWriter let a render write:
// far above any real release notes (GitHub's release body holds 125 000
// characters), far below what fills a disk or memory when a template loops.
const MaxOutput = 256 << 20

// OutputTooLargeError is returned when a render writes more than its limit.
type OutputTooLargeError struct{ Limit int64 }

func (e *OutputTooLargeError) Error() string {
	return fmt.Sprintf("the rendered output exceeds %d MiB; a template that loops over the issues more than once is the usual cause", e.Limit>>20)
}

// LimitWriter returns a writer that passes at most limit bytes to w, then
// fails with *OutputTooLargeError, and that fails with ctx's error once ctx
// is done, so a runaway or cancelled render stops at its next write.
func LimitWriter(ctx context.Context, w io.Writer, limit int64) io.Writer {
	return &limitWriter{ctx: ctx, w: w, left: limit, limit: limit}
}

type limitWriter struct {
	ctx         context.Context
	w           io.Writer
	left, limit int64
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if err := l.ctx.Err(); err != nil {
		return 0, err
	}
	if int64(len(p)) > l.left {
		return 0, &OutputTooLargeError{Limit: l.limit}
	}
	n, err := l.w.Write(p)
	l.left -= int64(n)
	return n, err
}

// tempPrefix names WriteFileAtomic's temporary files: ".NAME.tmp-PID-",
// so that the next run can tell a file left by a killed run (its process is
// gone) from one another run is writing now.
func tempPrefix(base string) string { return "." + base + ".tmp-" }

// OutputPath returns where WriteFileAtomic(path) will write: path itself, or
// the file a symbolic link at path finally points to, so that the link is
// kept and its target updated. It fails, with a message that names path,
// when that file cannot be written: its directory is missing or not
// writable, or it is not a regular file. Call it before slow work (a fetch)
// to refuse a bad --output at once.
func OutputPath(path string) (string, error) {
	target, err := resolveOutput(path)
	if err != nil {
		return "", err
	}
	// Writability is what matters, and only trying tells (permissions, ACLs,
	// read-only mounts, root).
	dir := filepath.Dir(target)
	f, err := os.CreateTemp(dir, tempPrefix(filepath.Base(target))+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return "", fmt.Errorf("write %s: directory %s is not writable", path, dir)
	}
	f.Close()
	os.Remove(f.Name())
	return target, nil
}

// resolveOutput is OutputPath without the writability probe: WriteFileAtomic
// creates its temporary file at once, which is the same test.
func resolveOutput(path string) (string, error) {
	target := path
	if _, err := os.Lstat(path); err == nil {
		if target, err = filepath.EvalSymlinks(path); err != nil {
			return "", fmt.Errorf("write %s: it is a symbolic link whose target cannot be resolved: %w", path, err)
		}
	}
	if st, err := os.Stat(target); err == nil && !st.Mode().IsRegular() {
		return "", fmt.Errorf("write %s: not a regular file; choose another output file", path)
	}
	dir := filepath.Dir(target)
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return "", fmt.Errorf("write %s: directory %s does not exist", path, dir)
	}
	return target, nil
}

// WriteFileAtomic writes what render produces to path so that readers see
// either the old file or the complete new one: it writes a temporary file in
// the target's directory, syncs it and renames it over the target. A path
// that is a symbolic link keeps the link; the file it points to is replaced.
// If render or any step fails, or ctx is done before the rename, the
// temporary file is removed and the target is left untouched. Render's
// writer fails once ctx is done or after MaxOutput bytes. A new file gets
// mode 0644; an existing file keeps its mode. Temporary files that killed
// runs left next to the target are removed.
func WriteFileAtomic(ctx context.Context, path string, render func(io.Writer) error) (err error) {
	target, err := resolveOutput(path)
	if err != nil {
		return err
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	removeStaleTemps(dir, base)
	mode := fs.FileMode(0o644)
	if st, err := os.Stat(target); err == nil {
		mode = st.Mode().Perm()
	}
	f, err := os.CreateTemp(dir, tempPrefix(base)+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 64<<10)
	if err := render(LimitWriter(ctx, bw, MaxOutput)); err != nil {
		return err // the renderer's error already says what failed
	}
	// Stop at the first failure so the message names one cause on one line
	// (errors.Join would put each on a line of its own).
	err = bw.Flush()
	if err == nil {
		err = f.Chmod(mode)
	}
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = f.Close()
	}
	if err == nil {
		// The last moment a cancellation can still leave the old file.
		err = ctx.Err()
	}
	if err == nil {
		err = os.Rename(tmp, target)
	}
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// removeStaleTemps removes the temporary files of base in dir whose writer
// process no longer runs. Failures are ignored: a leftover file is untidy,
// not wrong.
func removeStaleTemps(dir, base string) {
	matches, _ := filepath.Glob(filepath.Join(dir, globEscape(tempPrefix(base))+"*"))
	for _, m := range matches {
		rest := strings.TrimPrefix(filepath.Base(m), tempPrefix(base))
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || processAlive(pid) {
			continue
		}
		os.Remove(m)
	}
}

func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
