package templates

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// layoutHarness records where each issue's title ends and its reference
// starts on the reference's line, and the page's styling: the width of the
// text column, the body font, the media rules and the heading. The title
// is everything in the item before the " (" that precedes the link, so
// the same measure works on a page without <bdi>.
const layoutHarness = `<script>
window.addEventListener("load", function () {
  var items = [];
  document.querySelectorAll("li").forEach(function (li) {
    var a = li.querySelector("a"), prev = a && a.previousSibling;
    if (!prev || prev.nodeType !== 3 || prev.data.length < 2) { return; }
    var r = document.createRange();
    r.setStart(li, 0);
    r.setEnd(prev, prev.data.length - 2);
    var link = a.getBoundingClientRect(), right = -1;
    Array.prototype.forEach.call(r.getClientRects(), function (q) {
      var mid = (q.top + q.bottom) / 2;
      if (q.width > 0 && mid > link.top && mid < link.bottom) { right = Math.max(right, q.right); }
    });
    items.push({text: li.textContent, titleRight: right, linkLeft: link.left});
  });
  var media = [];
  Array.prototype.forEach.call(document.styleSheets, function (sheet) {
    Array.prototype.forEach.call(sheet.cssRules, function (rule) { if (rule.media) { media.push(rule.media.mediaText); } });
  });
  var column = document.querySelector("main") || document.body;
  var out = {items: items, width: column.getBoundingClientRect().width,
    font: getComputedStyle(document.body).fontFamily, media: media,
    heading: (document.querySelector("h1") || {textContent: ""}).textContent};
  var pre = document.createElement("pre");
  pre.id = "result";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>
`

type layoutResult struct {
	Items []struct {
		Text       string  `json:"text"`
		TitleRight float64 `json:"titleRight"`
		LinkLeft   float64 `json:"linkLeft"`
	} `json:"items"`
	Width   float64  `json:"width"`
	Font    string   `json:"font"`
	Media   []string `json:"media"`
	Heading string   `json:"heading"`
}

// rtlTitles end in, start with or are right-to-left text: without
// isolation the reference after them joins their run and moves.
var rtlTitles = []string{
	"Translate installer to עברית",
	"Add Arabic keyboard layout العربية",
	"עברית",
	"תרגום: fix the updater",
	"Hebrew release 4.2 עברית 42",
}

// layoutPage is the standalone page of the fixture with rtlTitles first,
// labels and authors shown, at a window width of 1280 pixels.
func layoutPage(t *testing.T) string {
	cl := fixture()
	for i, title := range rtlTitles {
		cl.Issues[i].Title = title
		cl.Issues[i].Labels = []string{"T: bug", "באג"}
	}
	opt := fixtureOptions()
	opt.Format, opt.Standalone, opt.ShowLabels, opt.ShowAuthors = FormatHTML, true, true, true
	opt.Title = "Qubes OS 4.2.3"
	return render(t, cl, opt)
}

// layoutProblems lists what makes res an unreadable or misordered page.
func layoutProblems(res layoutResult) []string {
	var p []string
	for _, it := range res.Items {
		if it.TitleRight > it.LinkLeft+0.5 {
			p = append(p, "reference moved into the title: "+it.Text)
		}
	}
	// 46rem of 16px; an unstyled page spans the 1280-pixel window.
	if res.Width > 760 || res.Width < 400 {
		p = append(p, "text column width")
	}
	if !strings.Contains(res.Font, "sans-serif") {
		p = append(p, "default font "+res.Font)
	}
	if !strings.Contains(strings.Join(res.Media, "|"), "(prefers-color-scheme: dark)") || !strings.Contains(strings.Join(res.Media, "|"), "print") {
		p = append(p, "no dark or print styles")
	}
	if res.Heading != "Qubes OS 4.2.3" {
		p = append(p, "heading "+res.Heading)
	}
	return p
}

var (
	bdiTags   = regexp.MustCompile(`</?bdi>`)
	styleElem = regexp.MustCompile(`(?s)<style>.*</style>\n`)
)

// TestBrowserLayout checks the standalone page as Chromium lays it out:
// every issue reference stays after its title, right-to-left titles
// included; the text column has a reading width, the font is not the
// browser's default serif, and dark and print styles exist. The same
// checks on the page without <bdi> and without its style must fail, so
// they cannot pass by accident.
func TestBrowserLayout(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	bin := chromium(t)
	page := layoutPage(t)
	var res layoutResult
	harnessResult(t, runChromium(t, bin, strings.Replace(page, "</body>", layoutHarness+"</body>", 1), "--window-size=1280,900", "--dump-dom"), &res)
	if len(res.Items) < len(rtlTitles) {
		t.Fatalf("measured %d items, want at least %d", len(res.Items), len(rtlTitles))
	}
	if p := layoutProblems(res); len(p) > 0 {
		t.Errorf("the page has layout problems:\n%s", strings.Join(p, "\n"))
	}

	bare := styleElem.ReplaceAllString(bdiTags.ReplaceAllString(page, ""), "")
	var bad layoutResult
	harnessResult(t, runChromium(t, bin, strings.Replace(bare, "</body>", layoutHarness+"</body>", 1), "--window-size=1280,900", "--dump-dom"), &bad)
	p := strings.Join(layoutProblems(bad), "\n")
	for _, want := range []string{"into the title: Translate installer to עברית", "text column width", "default font"} {
		if !strings.Contains(p, want) {
			t.Errorf("without <bdi> and style, the checks did not find %q; they found:\n%s", want, p)
		}
	}
}

// TestScreenshot renders the standalone page to PNG in light and dark
// schemes and checks the pixels: the text sits in a column narrower than
// the window, on a light or a dark background. The unstyled page fails the
// width check.
func TestScreenshot(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	bin := chromium(t)
	page := layoutPage(t)
	shot := func(page string, flags ...string) image.Image {
		dir := t.TempDir()
		file := filepath.Join(dir, "shot.png")
		runChromium(t, bin, page, append([]string{"--window-size=1280,900", "--screenshot=" + file}, flags...)...)
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	for _, tc := range []struct {
		name  string
		page  string
		flags []string
		dark  bool
		wide  bool
	}{
		{"light", page, nil, false, false},
		{"dark", page, []string{"--force-dark-mode", "--blink-settings=preferredColorScheme=0"}, true, false},
		{"unstyled", styleElem.ReplaceAllString(page, ""), nil, false, true},
	} {
		img := shot(tc.page, tc.flags...)
		bg, ink := inkSpan(img)
		if dark := luminance(bg) < 80; dark != tc.dark {
			t.Errorf("%s: background luminance %d, want dark=%v", tc.name, luminance(bg), tc.dark)
		}
		if wide := ink > 820; wide != tc.wide {
			t.Errorf("%s: text spans %d of %d pixels, want wide=%v", tc.name, ink, img.Bounds().Dx(), tc.wide)
		}
	}
}

// inkSpan returns the background colour (the top-left pixel) and the
// width from the leftmost to the rightmost pixel that differs from it.
func inkSpan(img image.Image) (bg [3]int, span int) {
	b := img.Bounds()
	bg = rgb(img, b.Min.X, b.Min.Y)
	lo, hi := b.Max.X, b.Min.X
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := rgb(img, x, y)
			if abs(c[0]-bg[0])+abs(c[1]-bg[1])+abs(c[2]-bg[2]) > 60 {
				lo, hi = min(lo, x), max(hi, x)
			}
		}
	}
	return bg, hi - lo
}

func rgb(img image.Image, x, y int) [3]int {
	r, g, b, _ := img.At(x, y).RGBA()
	return [3]int{int(r >> 8), int(g >> 8), int(b >> 8)}
}

func luminance(c [3]int) int { return (299*c[0] + 587*c[1] + 114*c[2]) / 1000 }

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
