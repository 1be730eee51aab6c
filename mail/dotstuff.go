package mail

import (
	"bufio"
	"bytes"
	"io"
)

var crlfDot = []byte("\r\n.")

// writeData writes a message after DATA: dot, the DotWriter that go-mail's
// Data returned over bw, the connection's buffered writer. Writing byte by
// byte through the DotWriter (as net/textproto does) costs more than the
// TLS; a message with CRLF line endings only (what Render makes) is
// written here in large pieces instead: the text between two lines that
// start with '.', and the extra '.' before each, straight to bw; its final
// CRLF goes through dot, so that Close ends the data with ".\r\n" and reads
// the reply. The bytes on the wire are the very ones the DotWriter would
// write. Anything else (a bare CR or LF) goes through dot.
func writeData(bw *bufio.Writer, dot io.Writer, data []byte) error {
	if !crlfOnly(data) {
		_, err := dot.Write(data)
		return err
	}
	body := data[:len(data)-2]
	if len(body) > 0 && body[0] == '.' {
		if err := bw.WriteByte('.'); err != nil {
			return err
		}
	}
	for len(body) > 0 {
		i := bytes.Index(body, crlfDot)
		if i < 0 {
			if _, err := bw.Write(body); err != nil {
				return err
			}
			break
		}
		if _, err := bw.Write(body[:i+3]); err != nil {
			return err
		}
		if err := bw.WriteByte('.'); err != nil {
			return err
		}
		body = body[i+3:]
	}
	_, err := dot.Write(data[len(data)-2:])
	return err
}

// crlfOnly reports whether data ends with CRLF and every CR and LF in it
// is part of a CRLF pair.
func crlfOnly(data []byte) bool {
	if !bytes.HasSuffix(data, []byte("\r\n")) {
		return false
	}
	n := bytes.Count(data, []byte("\r\n"))
	return bytes.Count(data, []byte("\n")) == n && bytes.Count(data, []byte("\r")) == n
}
