//go:build unix

package mail

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/erase-cli/erase/internal/smtptest"
	"github.com/erase-cli/erase/ledger"
)

// TestKilledMidBatch: an erase process delivering a batch, recording with
// ledger.AddAll, is killed (SIGKILL) while the server holds one message at
// the end of DATA. Every message of the batch was in the outbox before
// the first went; after a retry every letter has reached the server and
// is in the ledger exactly once, and the outbox is empty: nothing lost.
func TestKilledMidBatch(t *testing.T) {
	const n, stallAt = 40, 25
	srv, cfg := authServer(t)
	o := newOutbox(t)
	led := &ledger.Ledger{Dir: filepath.Join(filepath.Dir(o.Dir), "requests")}
	srv.PassNext(stallAt)
	srv.StallNext(1, smtptest.StageData)
	conf, _ := json.Marshal(cfg)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperDeliverBatch$")
	cmd.Env = append(os.Environ(), "MAIL_HELPER_OUTBOX="+o.Dir, "MAIL_HELPER_CONFIG="+string(conf),
		"MAIL_HELPER_LEDGER="+led.Dir, "MAIL_HELPER_N="+strconv.Itoa(n))
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
			t.Fatalf("the helper never reached the stall:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The messages not yet sent wait in the outbox, pending.
	for i := stallAt; i < n; i++ {
		if e, err := o.Get(batchRef(i)); err != nil || e.State != StatePending {
			t.Errorf("%s while the batch is sent: %+v %v", batchRef(i), e, err)
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if len(srv.Messages()) != stallAt {
		t.Fatalf("%d delivered before the kill", len(srv.Messages()))
	}

	rep, err := o.Retry(context.Background(), &SMTPSender{Config: cfg}, Options{OnSentAll: addAll(led)})
	if err != nil {
		t.Fatalf("retry: %v %+v\n%s", err, rep, out.String())
	}
	times := map[string]int{}
	for _, m := range srv.Messages() {
		p := parse(t, m.Data)
		times[p.msg.Header.Get("Message-ID")]++
	}
	for i := range n {
		id := "<" + letter(batchRef(i)).MessageID + ">"
		switch c := times[id]; {
		case c == 0:
			t.Errorf("%s never delivered", batchRef(i))
		case c > 1 && i > stallAt:
			t.Errorf("%s, sent after the kill, delivered %d times", batchRef(i), c)
		}
		if _, err := led.Get(batchRef(i)); err != nil {
			t.Errorf("ledger: %v", err)
		}
	}
	if ids := listIDs(t, o); len(ids) != 0 {
		t.Errorf("outbox still holds %v", ids)
	}
}

func batchRef(i int) string { return fmt.Sprintf("ERASE-K%02d", i) }

// TestHelperDeliverBatch is the process TestKilledMidBatch kills.
func TestHelperDeliverBatch(t *testing.T) {
	dir := os.Getenv("MAIL_HELPER_OUTBOX")
	if dir == "" {
		t.Skip("helper process only")
	}
	var cfg SMTPConfig
	if err := json.Unmarshal([]byte(os.Getenv("MAIL_HELPER_CONFIG")), &cfg); err != nil {
		t.Fatal(err)
	}
	cfg.Timeout = time.Minute
	n, _ := strconv.Atoi(os.Getenv("MAIL_HELPER_N"))
	var items []Item
	for i := range n {
		items = append(items, Item{Msg: render(t, letter(batchRef(i))), Meta: Meta{Reference: batchRef(i)}})
	}
	led := &ledger.Ledger{Dir: os.Getenv("MAIL_HELPER_LEDGER")}
	o := &Outbox{Dir: dir}
	_, err := o.Deliver(context.Background(), &SMTPSender{Config: cfg}, items, Options{OnSentAll: addAll(led)})
	t.Fatalf("Deliver returned (%v); it should have been killed", err)
}
