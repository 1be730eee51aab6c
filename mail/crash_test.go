//go:build unix

package mail

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/erase-cli/erase/internal/smtptest"
)

// TestKilledMidSend: an erase process is killed (SIGKILL) while the server
// holds its message at the end of DATA, not yet answered. The message is
// in the outbox, the lock died with the process, and a retry delivers it
// exactly once.
func TestKilledMidSend(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	srv.StallNext(1, smtptest.StageData)
	conf, _ := json.Marshal(cfg)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperDeliver$")
	cmd.Env = append(os.Environ(), "MAIL_HELPER_OUTBOX="+o.Dir, "MAIL_HELPER_CONFIG="+string(conf))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for srv.Stalled() == 0 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the helper never reached DATA:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	e, err := o.Get("ERASE-CRASH")
	if err != nil || e.State != StatePending {
		t.Fatalf("after the kill: %+v %v\n%s", e, err, out.String())
	}
	want := render(t, letter("ERASE-CRASH"))
	rec := &recorder{}
	rep, err := o.Retry(context.Background(), &SMTPSender{Config: cfg}, Options{OnSent: rec.onSent})
	if err != nil || len(rep.Sent) != 1 {
		t.Fatalf("retry: %v %+v", err, rep)
	}
	got := srv.Messages()
	if len(got) != 1 || !bytes.Equal(got[0].Data, want.Data) || rec.count("ERASE-CRASH") != 1 {
		t.Fatalf("%d delivered, recorded %d", len(got), rec.count("ERASE-CRASH"))
	}
}

// TestHelperDeliver is the process TestKilledMidSend kills.
func TestHelperDeliver(t *testing.T) {
	dir := os.Getenv("MAIL_HELPER_OUTBOX")
	if dir == "" {
		t.Skip("helper process only")
	}
	var cfg SMTPConfig
	if err := json.Unmarshal([]byte(os.Getenv("MAIL_HELPER_CONFIG")), &cfg); err != nil {
		t.Fatal(err)
	}
	cfg.Timeout = time.Minute
	r := render(t, letter("ERASE-CRASH"))
	o := &Outbox{Dir: dir}
	_, err := o.Deliver(context.Background(), &SMTPSender{Config: cfg}, []Item{{Msg: r, Meta: Meta{Reference: "ERASE-CRASH", Extra: json.RawMessage(`{"company":"acme"}`)}}}, Options{})
	t.Fatalf("Deliver returned (%v); it should have been killed", err)
}
