package main

import "github.com/erase-cli/erase/letters"

// newPDF builds the PDF renderer once per process: fonts and the signature
// are read and parsed here, not per letter.
func (e *env) newPDF(o *letterOptions) (pdfEngine, error) {
	opts := letters.PDFOptions{Paper: o.paper}
	var err error
	if opts.Regular, err = readFlagFile("--font", o.font); err != nil {
		return nil, err
	}
	if opts.Bold, err = readFlagFile("--font-bold", o.fontBold); err != nil {
		return nil, err
	}
	if opts.Signature, err = readFlagFile("--signature", o.signature); err != nil {
		return nil, err
	}
	return letters.NewPDFRenderer(opts)
}
