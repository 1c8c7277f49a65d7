package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/relnotes/relnotes/internal/english"
)

// barProgress shows a fetch as a progress bar on a terminal: issues fetched
// out of the total GitHub counts, and rate-limit waits with the time left.
type barProgress struct {
	mu    sync.Mutex
	bar   *progressbar.ProgressBar
	now   func() time.Time
	pages int
	// A wait in progress, redrawn every second as a countdown.
	waitUntil  time.Time
	waitReason string
	resource   string
	stop       chan struct{}
	stopped    sync.WaitGroup
}

func newBarProgress(w io.Writer, now func() time.Time) *barProgress {
	p := &barProgress{
		now:  now,
		stop: make(chan struct{}),
		bar: progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("fetching issues"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetItsString("issues"),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetWidth(30),
		),
	}
	p.stopped.Add(1)
	go p.countdown()
	return p
}

// countdown redraws the description of a rate-limit wait every second.
func (p *barProgress) countdown() {
	defer p.stopped.Done()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
			p.mu.Lock()
			if !p.waitUntil.IsZero() {
				p.describeWait()
			}
			p.mu.Unlock()
		}
	}
}

// describeWait shows the wait with the time left; p.mu must be held.
func (p *barProgress) describeWait() {
	left := p.waitUntil.Sub(p.now())
	if left <= 0 {
		p.waitUntil = time.Time{}
		p.bar.Describe("fetching issues (" + english.Plural(p.pages, "page") + ")")
		return
	}
	p.bar.Describe(fmt.Sprintf("waiting %s for the %s rate limit (%s)", left.Round(time.Second), p.resource, p.waitReason))
}

func (p *barProgress) Planned(total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bar.ChangeMax(total)
}

func (p *barProgress) Fetched(pages, issues int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pages = pages
	p.waitUntil = time.Time{}
	p.bar.Describe("fetching issues (" + english.Plural(pages, "page") + ")")
	_ = p.bar.Set(issues)
}

func (p *barProgress) Waiting(resource string, until time.Time, reason string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.waitUntil, p.resource, p.waitReason = until, resource, reason
	p.describeWait()
}

func (p *barProgress) Retrying(err error, attempt int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bar.Describe(fmt.Sprintf("retrying (attempt %d): %v", attempt+1, err))
}

func (p *barProgress) Done() {
	close(p.stop)
	p.stopped.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.bar.Finish()
}

// lineProgress is the progress of a fetch where stderr is not a terminal (CI
// logs): one line per phase, and one per wait or retry, never one per page.
type lineProgress struct {
	mu      sync.Mutex
	w       io.Writer
	now     func() time.Time
	planned int
	said    bool
}

func (p *lineProgress) Planned(total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.said || total != p.planned {
		fmt.Fprintf(p.w, "relnotes: GitHub counts %s; fetching\n", english.Plural(total, "matching issue"))
	}
	p.planned, p.said = total, true
}

func (p *lineProgress) Fetched(int, int) {}

func (p *lineProgress) Waiting(resource string, until time.Time, reason string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "relnotes: waiting %s until %s for GitHub's %s rate limit (%s)\n",
		until.Sub(p.now()).Round(time.Second), until.UTC().Format("15:04:05 UTC"), resource, reason)
}

func (p *lineProgress) Retrying(err error, attempt int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "relnotes: retrying after: %v (attempt %d)\n", err, attempt+1)
}

func (p *lineProgress) Done() {}
