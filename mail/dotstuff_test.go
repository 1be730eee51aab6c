package mail

import (
	"bufio"
	"bytes"
	"net/textproto"
	"strings"
	"testing"
)

// dotted is what net/textproto's DotWriter puts on the wire for data,
// ending with ".\r\n", written through writeData when fast.
func dotted(t testing.TB, data []byte, fast bool) []byte {
	t.Helper()
	var out bytes.Buffer
	bw := bufio.NewWriterSize(&out, 64) // small: exercise the buffer's edges
	tw := textproto.NewWriter(bw)
	dot := tw.DotWriter()
	var err error
	if fast {
		err = writeData(bw, dot, data)
	} else {
		_, err = dot.Write(data)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := dot.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestWriteDataSameBytes: writeData puts on the wire exactly what the
// DotWriter alone would.
func TestWriteDataSameBytes(t *testing.T) {
	for _, s := range dotSeeds {
		got, want := dotted(t, []byte(s), true), dotted(t, []byte(s), false)
		if !bytes.Equal(got, want) {
			t.Errorf("%q:\n got %q\nwant %q", s, got, want)
		}
	}
	// A rendered letter: the text has a line with a single dot.
	r := render(t, letter("ERASE-DOT"))
	if !bytes.Contains(r.Data, []byte("\r\n.")) && !bytes.HasPrefix(r.Data, []byte(".")) {
		t.Log("the letter has no line starting with a dot")
	}
	if got, want := dotted(t, r.Data, true), dotted(t, r.Data, false); !bytes.Equal(got, want) {
		t.Errorf("rendered letter differs on the wire")
	}
}

var dotSeeds = []string{
	"", "\r\n", ".", ".\r\n", "..\r\n", "a\r\n", "a", "a\n", "a\r", "\n", "\r",
	".a\r\n.b\r\n", "a\r\n.\r\n", "a\r\n.\r\nb\r\n", "a\r\n..\r\n.\r\n",
	"x\r\n.\r\n.\r\n", "a\nb\r\n", "a\r\rb\r\n", "a\r\r\n", ".\n.\n", "\r\n.\r\n",
	strings.Repeat("line\r\n.dot\r\n", 200),
	strings.Repeat("Zm9v", 400) + "\r\n",
}

func FuzzWriteData(f *testing.F) {
	for _, s := range dotSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := dotted(t, data, true), dotted(t, data, false); !bytes.Equal(got, want) {
			t.Fatalf("%q:\n got %q\nwant %q", data, got, want)
		}
	})
}
