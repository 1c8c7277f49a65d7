//go:build race

package changelog

const raceEnabled = true
