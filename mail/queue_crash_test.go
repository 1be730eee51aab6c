//go:build unix

package mail

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestKilledMidQueue: a process killed while it renames its batch into
// new/ (some letters there, the rest still in tmp/) has queued nothing: a
// retry sends none of them, Recover takes the part in new/ out again and
// clears tmp/, and the same batch can then be queued whole.
func TestKilledMidQueue(t *testing.T) {
	srv, cfg := authServer(t)
	o := newOutbox(t)
	ready := filepath.Join(t.TempDir(), "ready")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperQueue$")
	cmd.Env = append(os.Environ(), "MAIL_HELPER_QUEUE="+o.Dir, "MAIL_HELPER_READY="+ready)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := os.Stat(ready); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the helper never reached the third rename:\n%s", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()

	if es, _ := o.list(StatePending); len(es) != 2 {
		t.Fatalf("%d letters in new/ after the kill, want the 2 renamed", len(es))
	}
	// A retry started now must not send a letter of the batch.
	rep, err := o.Retry(context.Background(), &SMTPSender{Config: cfg}, Options{})
	if err != nil || len(srv.Messages()) != 0 {
		t.Fatalf("retry sent %d of an uncommitted batch: %v %+v", len(srv.Messages()), err, rep)
	}
	assertEmpty(t, o)
	items := streamItems(t, "ERASE-K", 5)
	if _, err := o.Queue(chunked(items, 5, new(int)), nil); err != nil {
		t.Fatalf("the same batch again: %v", err)
	}
	rep, err = o.Retry(context.Background(), &SMTPSender{Config: cfg}, Options{})
	if err != nil || len(rep.Sent) != 5 || len(srv.Messages()) != 5 {
		t.Fatalf("after queueing again: %v, %d sent", err, len(srv.Messages()))
	}
}

// TestHelperQueue is the process TestKilledMidQueue kills: it queues 5
// letters and stops for good at the third rename into new/.
func TestHelperQueue(t *testing.T) {
	dir := os.Getenv("MAIL_HELPER_QUEUE")
	if dir == "" {
		t.Skip("helper process only")
	}
	n := 0
	faultHook = func(step string) error {
		if step == "link" {
			if n++; n == 3 {
				os.WriteFile(os.Getenv("MAIL_HELPER_READY"), nil, 0o600)
				time.Sleep(time.Hour) // killed here
			}
		}
		return nil
	}
	o := &Outbox{Dir: dir}
	_, err := o.Queue(chunked(streamItems(t, "ERASE-K", 5), 5, new(int)), nil)
	t.Fatalf("Queue returned (%v); it should have been killed", err)
}
