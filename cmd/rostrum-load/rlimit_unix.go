//go:build unix

package main

import (
	"fmt"
	"syscall"
)

// raiseOpenFiles raises this process's soft limit of open files to its
// hard limit (Go does so at start too, but says nothing when it falls
// short) and says clearly when need files will not fit under it.
func raiseOpenFiles(need int) error {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return fmt.Errorf("open-file limit: %w", err)
	}
	if l.Cur < l.Max {
		l.Cur = l.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
			return fmt.Errorf("raise the open-file limit to %d: %w", l.Max, err)
		}
	}
	if uint64(need) > l.Max {
		return fmt.Errorf("%d viewers need about %d open files in one process, and the hard limit is %d (ulimit -Hn): "+
			"raise it, or spread the viewers over more -instances", need-openFilesSpare, need, l.Max)
	}
	return nil
}
