package main

import (
	"fmt"
	"io"
)

// warnPDF warns, once, of what a PDF letter to post lacks that the
// person can add: a return address. Without one the PDF prints no
// return line above the window, and the post cannot send back a letter
// it cannot deliver.
func warnPDF(w io.Writer, format string, senderAddress []string) {
	if format == "pdf" && len(senderAddress) == 0 {
		fmt.Fprintln(w, "erase: warning: the letter has no return address: pass --address LINE (one per line), or save your address with erase profile init")
	}
}
