//go:build !linux && !windows && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package main

// isTerminal reports false where tim cannot tell: apply then needs
// -auto-approve or a saved plan.
func isTerminal(uintptr) bool { return false }
