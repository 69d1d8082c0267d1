package static_test

import (
	"bytes"
	"io/fs"
	"os/exec"
	"strings"
	"testing"

	"rostrum/static"
)

// Every script is an ES module that parses: a module that does not (a
// name exported twice, say) stops every page that imports it, and only
// the browser tests would notice, each by a timeout. Node parses them in
// a second when it is installed; the browser tests remain the proof.
func TestEveryScriptParsesAsAModule(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the browser tests load every script instead")
	}
	err = fs.WalkDir(static.FS, "js", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".js") {
			return err
		}
		src, err := static.FS.ReadFile(path)
		if err != nil {
			return err
		}
		cmd := exec.Command(node, "--input-type=module", "--check")
		cmd.Stdin = bytes.NewReader(src)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s does not parse as a module: %v\n%s", path, err, out)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
