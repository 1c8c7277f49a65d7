package ghemu

import "net/http"

// releaseStore holds the emulator's release, tag and commit data. It is owned
// by the release endpoints in this file; Server keeps a pointer to it so those
// endpoints can add state without touching the rest of the emulator.
type releaseStore struct{}

// registerReleaseRoutes mounts the release, tag and commit endpoints on mux.
// Routes are relative to the API root (the path prefix is already stripped).
func (s *Server) registerReleaseRoutes(mux *http.ServeMux) {}
