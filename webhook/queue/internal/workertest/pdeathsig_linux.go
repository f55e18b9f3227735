package workertest

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the worker get SIGKILL when the test process dies (a test that panics or
// times out leaves no worker behind).
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
