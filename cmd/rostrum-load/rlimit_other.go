//go:build !unix

package main

// raiseOpenFiles has nothing to raise where there are no rlimits.
func raiseOpenFiles(int) error { return nil }
