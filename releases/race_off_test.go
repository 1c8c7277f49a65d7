//go:build !race

package releases

const raceEnabled = false
