//go:build race

package releases

// raceEnabled cuts the property test's seeds under -race, which makes it
// about twenty times slower; the full run happens without -race.
const raceEnabled = true
