package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/erase-cli/erase/internal/smtptest"
	"github.com/rogpeppe/go-internal/testscript"
)

// The testscript commands that run a real SMTP server (go-smtp, in this
// test process, on loopback, with STARTTLS and AUTH PLAIN) for the erase
// processes a script starts:
//
//	smtpd [-notls] [-implicit]   start it; sets SMTP_HOST and SMTP_PORT, writes $WORK/ca.pem;
//	                             the account is jane@example.com / s3cret
//	smtpfail N STAGE CODE TEXT   the next N transactions answer CODE TEXT at MAIL, RCPT or DATA
//	smtpdrop N STAGE             the next N transactions lose the connection at STAGE
//	smtpmsg N FILE               write the N-th received message (1-based) to FILE
//	smtpcount N                  exactly N messages were received
var smtpServers sync.Map // *testscript.TestScript → *smtptest.Server

func smtpServer(ts *testscript.TestScript) *smtptest.Server {
	s, ok := smtpServers.Load(ts)
	if !ok {
		ts.Fatalf("no smtpd running")
	}
	return s.(*smtptest.Server)
}

var smtpCommands = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"smtpd": func(ts *testscript.TestScript, neg bool, args []string) {
		opts := smtptest.Options{User: "jane@example.com", Password: "s3cret"}
		for _, a := range args {
			switch a {
			case "-notls":
				opts.NoSTARTTLS = true
			case "-implicit":
				opts.ImplicitTLS = true
			default:
				ts.Fatalf("smtpd: unknown option %s", a)
			}
		}
		s, err := smtptest.Start(opts)
		ts.Check(err)
		smtpServers.Store(ts, s)
		ts.Defer(func() { s.Close(); smtpServers.Delete(ts) })
		ts.Check(s.WriteCA(filepath.Join(ts.Getenv("WORK"), "ca.pem")))
		ts.Setenv("SMTP_HOST", s.Host())
		ts.Setenv("SMTP_PORT", strconv.Itoa(s.Port()))
	},
	"smtpfail": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 4 {
			ts.Fatalf("usage: smtpfail N STAGE CODE TEXT")
		}
		n, _ := strconv.Atoi(args[0])
		code, _ := strconv.Atoi(args[2])
		smtpServer(ts).FailNext(n, smtptest.Stage(args[1]), code, args[3])
	},
	"smtpdrop": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: smtpdrop N STAGE")
		}
		n, _ := strconv.Atoi(args[0])
		smtpServer(ts).DropNext(n, smtptest.Stage(args[1]))
	},
	"smtpmsg": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: smtpmsg N FILE")
		}
		n, _ := strconv.Atoi(args[0])
		msgs := smtpServer(ts).Messages()
		if n < 1 || n > len(msgs) {
			ts.Fatalf("smtpmsg: %d messages received, no message %d", len(msgs), n)
		}
		ts.Check(os.WriteFile(ts.MkAbs(args[1]), msgs[n-1].Data, 0o600))
	},
	"smtpcount": func(ts *testscript.TestScript, neg bool, args []string) {
		want, _ := strconv.Atoi(args[0])
		if got := len(smtpServer(ts).Messages()); got != want {
			ts.Fatalf("%d messages received, want %d", got, want)
		}
		fmt.Fprintf(ts.Stdout(), "%d\n", want)
	},
}
