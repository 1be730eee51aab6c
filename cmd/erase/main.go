// Command erase writes and sends lawful requests to have personal data
// deleted. See erase --help.
package main

import "os"

func main() {
	os.Exit(Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
