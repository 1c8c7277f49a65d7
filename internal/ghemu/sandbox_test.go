package ghemu

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestStartSandbox(t *testing.T) {
	s, err := StartSandbox("", "sandbox-token")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	req, _ := http.NewRequest("GET", s.URL()+"repos/"+SandboxRepo+"/releases", nil)
	req.Header.Set("Authorization", "Bearer sandbox-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rels []struct {
		Tag   string `json:"tag_name"`
		Draft bool   `json:"draft"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&rels); err != nil {
		t.Fatal(err)
	}
	if len(rels) != len(SandboxReleases()) {
		t.Errorf("the sandbox serves %d releases to its token holder, want %d (drafts included)", len(rels), len(SandboxReleases()))
	}
	if n := len(s.Issues()); n != len(Sample(SandboxNow)) {
		t.Errorf("the sandbox serves %d issues, want the sample's %d", n, len(Sample(SandboxNow)))
	}
}

func TestStartListensOnLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:8080", ":0", "example.com:80", "127.0.0.1"} {
		s, err := Start(Config{Addr: addr})
		if err == nil {
			s.Close()
			t.Errorf("Start listened on %q", addr)
		} else if !strings.Contains(err.Error(), "not a loopback") {
			t.Errorf("Start(%q): %v", addr, err)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0"} {
		s, err := Start(Config{Addr: addr})
		if err != nil {
			t.Errorf("Start(%q): %v", addr, err)
			continue
		}
		s.Close()
	}
}
