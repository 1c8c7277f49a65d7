// Package ghemu is an emulator of the parts of the GitHub REST API that
// relnotes uses, served over HTTP on loopback. Tests, benchmarks and
// "relnotes demo" talk to it exactly as relnotes talks to api.github.com.
package ghemu
