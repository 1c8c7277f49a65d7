package templates

import (
	"context"
	"encoding/json"
	stdhtml "html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// harness is a trusted script the test appends to the rendered page. After
// every asynchronous handler had its chance (image errors, svg loads,
// details toggles), it records what a reader would see: whether any
// injected code set the canary, the page title, each list item's visible
// text, every link target and the elements present.
const harness = `<script>
window.addEventListener("load", function () {
  setTimeout(function () {
    var out = {
      pwned: window.__pwned === 1,
      title: document.title,
      items: Array.prototype.map.call(document.querySelectorAll("li"), function (li) { return li.textContent; }),
      links: Array.prototype.map.call(document.querySelectorAll("a"), function (a) { return a.getAttribute("href"); }),
      scripts: document.scripts.length,
      foreign: document.querySelectorAll("img,svg,iframe,body style,details,object,embed,form,input,base,meta[http-equiv]").length
    };
    var pre = document.createElement("pre");
    pre.id = "result";
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
  }, 1000);
});
</script>
`

type browserResult struct {
	Pwned   bool     `json:"pwned"`
	Title   string   `json:"title"`
	Items   []string `json:"items"`
	Links   []string `json:"links"`
	Scripts int      `json:"scripts"`
	Foreign int      `json:"foreign"`
}

// chromium finds Debian's chromium. Outside CI a missing browser skips the
// test; in CI (CI=true, where .ci/run installs it) it is a failure.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed; CI must install it (apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed; apt-get install -y chromium to run this test")
	return ""
}

// TestBrowserHostileTitles opens the standalone HTML of the hostile fixture
// in headless Chromium from a file:// URL (no network: every host resolves
// to nothing) and checks that no injected script ran and that each item's
// visible text is its normalised title and reference.
func TestBrowserHostileTitles(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	bin := chromium(t)
	cl := fixture()
	opt := fixtureOptions()
	opt.Format, opt.Standalone, opt.Title = FormatHTML, true, "<script>window.__pwned=1</script> notes"
	page := render(t, cl, opt)
	page = strings.Replace(page, "</body>", harness+"</body>", 1)

	var got browserResult
	harnessResult(t, runChromium(t, bin, page, "--virtual-time-budget=5000", "--dump-dom"), &got)

	if got.Pwned {
		t.Error("an injected script ran (window.__pwned is set)")
	}
	if want := "<script>window.__pwned=1</script> notes"; got.Title != want {
		t.Errorf("document.title = %q, want %q", got.Title, want)
	}
	if got.Scripts != 1 || got.Foreign != 0 {
		t.Errorf("page holds %d scripts (want only the harness) and %d foreign elements (want 0)", got.Scripts, got.Foreign)
	}
	var want []string
	wantLinks := []string{cl.URL}
	for _, g := range GroupIssues(cl, opt) {
		for _, is := range g.Issues {
			text := Text(is.Title, opt.Mentions)
			if text != "" {
				text += " "
			}
			want = append(want, text+"(#"+strconv.Itoa(is.Number)+")")
			wantLinks = append(wantLinks, "https://github.com/QubesOS/qubes-issues/issues/"+strconv.Itoa(is.Number))
		}
	}
	if diff := cmp.Diff(want, got.Items); diff != "" {
		t.Errorf("visible item text (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantLinks, got.Links); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
}

// runChromium opens page in headless Chromium from a file:// URL (no
// network: every host resolves to nothing) with the extra flags and
// returns its standard output.
func runChromium(t *testing.T, bin, page string, flags ...string) []byte {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "notes.html")
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars",
		"--user-data-dir=" + filepath.Join(dir, "profile")}, flags...)
	cmd := exec.CommandContext(ctx, bin, append(args, "file://"+file)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir)
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("chromium: %v\n%s", err, stderr)
	}
	return out
}

// harnessResult decodes the JSON a harness script left in <pre id=result>
// of the dumped DOM.
func harnessResult(t *testing.T, dom []byte, v any) {
	t.Helper()
	m := regexp.MustCompile(`(?s)<pre id="result">(.*?)</pre>`).FindSubmatch(dom)
	if m == nil {
		t.Fatalf("the harness did not run; DOM:\n%s", dom)
	}
	if err := json.Unmarshal([]byte(stdhtml.UnescapeString(string(m[1]))), v); err != nil {
		t.Fatal(err)
	}
}
