// Command outputs is the last step of the relnotes GitHub Action: it reads
// the changelog JSON and the rendered notes of a relnotes run and writes the
// step's outputs (url, count, notes-file, left-out) to $GITHUB_OUTPUT and the notes to
// $GITHUB_STEP_SUMMARY, following the runner's file formats.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stderr))
}
