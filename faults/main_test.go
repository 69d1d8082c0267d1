package faults_test

import (
	"os"
	"sync"
	"testing"

	"rostrum/internal/serverproc"
)

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// rostrumBinary builds the server once per test run and returns its path.
func rostrumBinary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "rostrum-faults-")
		if binErr == nil {
			binPath, binErr = serverproc.Build(binDir)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}
