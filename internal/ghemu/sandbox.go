package ghemu

import "time"

// SandboxRepo is the repository of the sandbox tracker.
const SandboxRepo = "example/tracker"

// SandboxNow is the sandbox's "today": fixed, so that the sandbox gives the
// same links and sections on every machine and every day.
var SandboxNow = time.Date(2024, 9, 10, 12, 0, 0, 0, time.UTC)

// SandboxReleases are the sandbox's releases of SandboxRepo, shaped like
// Qubes OS 4.2's (the announcement relnotes was made for): stable releases,
// a release candidate, and a draft for the next release.
func SandboxReleases() []Release {
	at := func(day string, hour int) time.Time {
		t, _ := time.Parse("2006-01-02", day)
		return t.Add(time.Duration(hour) * time.Hour)
	}
	return []Release{
		{Tag: "v4.2.0", Name: "4.2.0", PublishedAt: at("2023-12-18", 10), Body: "Qubes-like 4.2.0.\n"},
		{Tag: "v4.2.1", Name: "4.2.1", PublishedAt: at("2024-03-26", 12)},
		{Tag: "v4.2.2", Name: "4.2.2", PublishedAt: at("2024-07-13", 9)},
		{Tag: "v4.2.3-rc1", Name: "4.2.3-rc1", Prerelease: true, PublishedAt: at("2024-08-20", 15)},
		{Tag: "v4.2.3", Name: "4.2.3", PublishedAt: at("2024-09-09", 11), Body: "Hand-written intro for 4.2.3.\n"},
		{Tag: "v4.2.4", Name: "4.2.4", Draft: true},
	}
}

// StartSandbox starts the emulator that `relnotes demo` serves: the Sample
// tracker in SandboxRepo at SandboxNow, its SandboxReleases, no faults, and
// token as the one accepted credential. addr is as Config.Addr.
func StartSandbox(addr, token string) (*Server, error) {
	s, err := Start(Config{Issues: Sample(SandboxNow), Token: token, Addr: addr})
	if err != nil {
		return nil, err
	}
	owner, repo := "example", "tracker"
	for _, r := range SandboxReleases() {
		s.AddRelease(owner, repo, r)
	}
	return s, nil
}
