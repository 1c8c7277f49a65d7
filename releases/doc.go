// Package releases turns a project's releases into the closed windows of its
// announcements: it reads release times from GitHub, a local git repository
// or a file, finds the previous stable release of a tag, builds the window
// between the two so that consecutive windows tile time exactly, compares a
// hand-written link with that window, and splices rendered notes into a
// release body.
//
// # Which release is "previous"
//
// A release is stable when it is neither a draft nor a prerelease (a GitHub
// prerelease flag, or a semantic version with a prerelease part such as
// 4.2.3-rc1 or v1.0.0-beta.2). The previous stable release of X is, among the
// stable releases published before X whose version is lower than X's (and
// whose tag has the same prefix, so that api-v1.2.0 and web-v1.3.0 do not
// mix), the one with the highest version, the latest one on a tie. For a
// hotfix 4.1.5 published after 4.2.0 this is 4.1.4, its own series; for
// 4.2.1 it is 4.2.0 even though 4.1.5 came out in between.
//
// # What tiles
//
// The main line is the sequence of stable releases each of which has a higher
// version than every stable release published before it. The previous stable
// release of a main-line release is always the main-line release just before
// it, so the windows of consecutive main-line releases tile time: no gap, no
// overlap, and every closed issue falls in exactly one of them. A hotfix in an
// older series is off the main line: its window runs within its own series and
// overlaps the main line, which is what a backport announcement needs (the
// same fix is announced for both series). A prerelease's window starts where
// its final release's does, so a release candidate and its final release
// share a start.
//
// The window arithmetic itself (granularity, ends, emptiness, order) is
// filters' (filters.ReleaseWindow); this package chooses which two releases
// it runs between. Two releases with nothing between them at the chosen
// granularity (the same second, or the same UTC day with whole days) make
// Plan fail with *EmptyWindowError rather than return an empty window that a
// link would print as "no issues" and that filters.ParseWindow refuses.
package releases
