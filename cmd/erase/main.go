// Command erase writes and sends lawful requests to have personal data
// deleted. See erase --help.
package main

import (
	"os"
	"runtime/debug"
)

// memoryLimit is the heap erase aims to stay under (a soft limit: the
// garbage collector works harder as the heap nears it, and a run that
// needs more still gets it). A run of a few letters never comes near it;
// a batch to thousands of companies stays flat instead of letting the
// heap grow to twice what it holds. GOMEMLIMIT, where set, decides.
const memoryLimit = 40 << 20

func main() {
	limitMemory()
	os.Exit(Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// limitMemory sets memoryLimit, unless GOMEMLIMIT does. It is the
// process's, so main sets it (and the tests' erase command, which is the
// same process), not Run, which tests call many times in one process.
func limitMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}
