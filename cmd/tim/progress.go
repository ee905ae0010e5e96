package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/timkit/tim/community"
)

// progressEvery is how often a load prints its progress.
const progressEvery = time.Second

// progress prints how a load goes on stderr: a line a second while it runs
// and one when it is done.
type progress struct {
	w     io.Writer
	group string
	quiet bool
	start time.Time

	mu   sync.Mutex
	last time.Time
}

func newProgress(w io.Writer, group string, quiet bool) *progress {
	now := time.Now()
	return &progress{w: w, group: group, quiet: quiet, start: now, last: now}
}

// update is a community.LoadOptions.Progress.
func (p *progress) update(pr community.Progress) {
	if p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if now := time.Now(); now.Sub(p.last) >= progressEvery {
		p.last = now
		total := "?"
		if pr.ListingDone {
			total = fmt.Sprint(pr.PermissionGroups)
		}
		fmt.Fprintf(p.w, "tim: loading %s: %d of %s permission groups read, %d pages, %d calls\n", p.group, pr.GroupsDone, total, pr.Pages, pr.Calls)
	}
}

// done prints the end of a load.
func (p *progress) done(s *community.Snapshot) {
	if p.quiet || s == nil {
		return
	}
	fmt.Fprintf(p.w, "tim: loaded %s: %d permission groups, %d memberships, %d topics in %v\n", p.group, len(s.PermissionGroups), s.Memberships(), len(s.Topics), time.Since(p.start).Round(time.Millisecond))
}
