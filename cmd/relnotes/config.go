package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/relnotes/relnotes/config"
	"github.com/relnotes/relnotes/filters"
)

// resolveQuery is where every command that searches starts: the
// configuration fills what the flags did not say (config.ApplyTo), then
// the query is built. api may be nil for commands without API flags.
func (app *App) resolveQuery(qf *queryFlags, api *apiFlags, cfg *config.Config) (filters.Query, error) {
	cfg.ApplyTo(qf.values)
	if qf.serverURL == "" {
		qf.serverURL = cfg.ServerURL
	}
	if api != nil && api.apiURL == "" {
		api.apiURL = cfg.APIURL
	}
	q, err := qf.query()
	if err != nil {
		return q, err
	}
	// A link GitHub's search would refuse is no link to publish, whether or
	// not this command fetches.
	return q, q.CheckLimits()
}

// loadConfig reads --config, else the .relnotes.yml (or .github/release.yml)
// that config.Find picks in the working directory. No file is an empty
// configuration.
func (app *App) loadConfig(path string) (*config.Config, error) {
	if path == "" {
		dir := app.workDir()
		found, ok := config.Find(dir)
		if !ok {
			return &config.Config{}, nil
		}
		path = found
		if !config.IsGitHubRelease(found) {
			for _, other := range []string{filepath.Join(".github", "release.yml"), filepath.Join(".github", "release.yaml")} {
				if st, err := os.Stat(filepath.Join(dir, other)); err == nil && st.Mode().IsRegular() {
					fmt.Fprintf(app.Stderr, "relnotes: using %s; %s is not read, since %s comes first (copy its categories into sections:, or pass --config %s)\n",
						filepath.Base(found), other, filepath.Base(found), other)
					break
				}
			}
		}
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, &usageError{msg: err.Error()}
	}
	app.warn(cfg.Warnings)
	return cfg, nil
}

// workDir is where the configuration is looked for.
func (app *App) workDir() string {
	if app.WorkDir != "" {
		return app.WorkDir
	}
	dir, _ := os.Getwd()
	return dir
}

// configLabels lists the labels the configuration names, for completion.
func (app *App) configLabels(path string) []string {
	if path == "" {
		found, ok := config.Find(app.workDir())
		if !ok {
			return nil
		}
		path = found
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil
	}
	labels := slices.Concat(cfg.Labels, cfg.ExcludeLabels, cfg.Exclude.Labels)
	for _, s := range cfg.Sections {
		labels = append(labels, s.Labels...)
		labels = append(labels, s.ExcludeLabels...)
	}
	labels = slices.DeleteFunc(labels, func(l string) bool { return l == "*" })
	slices.Sort(labels)
	return slices.Compact(labels)
}
