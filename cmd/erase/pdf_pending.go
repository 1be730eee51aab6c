package main

import "github.com/erase-cli/erase/internal/badinput"

func (e *env) newPDF(o *letterOptions) (pdfEngine, error) {
	return nil, badinput.Errorf("pdf pending")
}
