package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/erase-cli/erase/internal/smtptest"
	"github.com/erase-cli/erase/ledger"
)

// TestOutboxListAndDrop: erase outbox lists what waits and what was
// refused, with the next step; a refused letter can be dropped, a waiting
// one only with --force.
func TestOutboxListAndDrop(t *testing.T) {
	s := sendEnv(t, smtptest.Options{})
	send := func(company string) int {
		code, _, _ := run(t, append([]string{"send", "--yes", "--law", "gdpr", "--company", company}, janeArgs...)...)
		return code
	}
	if code, stdout, _ := run(t, "outbox", "list"); code != 0 || !strings.Contains(stdout, "the outbox is empty") {
		t.Fatalf("empty: exit %d, %q", code, stdout)
	}
	s.FailNext(1, smtptest.StageRcpt, 550, "5.1.1 unknown user")
	if send("alibaba") != exitFailed {
		t.Fatal("the refused send did not exit 1")
	}
	s.FailNext(1, smtptest.StageRcpt, 451, "4.3.0 try later")
	if send("aliexpress") != exitTempFail {
		t.Fatal("the deferred send did not exit 75")
	}
	code, stdout, stderr := run(t, "outbox", "list", "--json")
	var es []outboxEntry
	if code != 0 || json.Unmarshal([]byte(stdout), &es) != nil || len(es) != 2 {
		t.Fatalf("list --json: exit %d, %s %s", code, stdout, stderr)
	}
	states := map[string]outboxEntry{}
	for _, en := range es {
		states[en.State] = en
	}
	refused, waiting := states["refused"], states["waiting"]
	if !strings.Contains(refused.LastError, "550") || !strings.Contains(waiting.LastError, "451") {
		t.Fatalf("entries %+v", es)
	}
	code, stdout, _ = run(t, "outbox")
	if code != 0 || !strings.Contains(stdout, "erase outbox drop "+refused.Reference) || !strings.Contains(stdout, "erase send --retry") {
		t.Errorf("table:\n%s", stdout)
	}
	if code, _, stderr := run(t, "outbox", "drop", waiting.Reference); code != exitBadInput || !strings.Contains(stderr, "pass --force") {
		t.Errorf("drop waiting: exit %d, %s", code, stderr)
	}
	if code, _, stderr := run(t, "outbox", "drop", refused.Reference); code != 0 || !strings.Contains(stderr, "dropped "+refused.Reference+" (refused") {
		t.Errorf("drop refused: exit %d, %s", code, stderr)
	}
	if code, _, stderr := run(t, "outbox", "drop", refused.Reference); code != exitBadInput || !strings.Contains(stderr, "is not in the outbox") {
		t.Errorf("drop again: exit %d, %s", code, stderr)
	}
	if code, _, _ := run(t, "outbox", "drop", "--force", waiting.Reference); code != 0 {
		t.Errorf("drop --force: exit %d", code)
	}
	if code, _, stderr := run(t, "send", "--retry"); code != 0 || !strings.Contains(stderr, "nothing waiting") || len(s.Messages()) != 0 {
		t.Errorf("after dropping both: exit %d, %s, %d sent", code, stderr, len(s.Messages()))
	}
}

// TestOutboxDamagedEntry: a damaged file in the outbox does not hide the
// other letters; it is listed as damaged and dropped with --force.
func TestOutboxDamagedEntry(t *testing.T) {
	sendEnv(t, smtptest.Options{})
	ob, err := newEnv(strings.NewReader(""), &strings.Builder{}, &strings.Builder{}).outbox()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(ob.Dir, "new"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ob.Dir, "new", "ERASE-BAD"), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "outbox")
	if code != 0 || !strings.Contains(stdout, "damaged") || !strings.Contains(stdout, "erase outbox drop --force ERASE-BAD") {
		t.Fatalf("list: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := run(t, "outbox", "drop", "ERASE-BAD"); code == 0 || !strings.Contains(stderr, "--force") {
		t.Errorf("drop without --force: exit %d, %s", code, stderr)
	}
	if code, _, stderr := run(t, "outbox", "drop", "--force", "ERASE-BAD"); code != 0 || !strings.Contains(stderr, "dropped ERASE-BAD (unreadable)") {
		t.Errorf("drop --force: exit %d, %s", code, stderr)
	}
	if code, stdout, _ := run(t, "outbox"); code != 0 || !strings.Contains(stdout, "the outbox is empty") {
		t.Errorf("after: exit %d, %s", code, stdout)
	}
}

// TestStatusJSONAgreesWithTable: an open request past its due date is
// overdue in the table and in --json ("state"); "status" stays its last
// mark.
func TestStatusJSONAgreesWithTable(t *testing.T) {
	sendEnv(t, smtptest.Options{})
	e := newEnv(strings.NewReader(""), &strings.Builder{}, &strings.Builder{})
	led, err := e.ledger()
	if err != nil {
		t.Fatal(err)
	}
	sent := time.Now().AddDate(0, -3, 0)
	if err := led.Add(ledger.Record{Reference: "ERASE-OLD", Company: "aliexpress", Contact: "x@example.org", Regime: "gdpr",
		Kind: "erasure", Sent: sent, Due: sent.AddDate(0, 1, 0)}); err != nil {
		t.Fatal(err)
	}
	code, table, _ := run(t, "status")
	if code != 0 || !regexp.MustCompile(`(?m)^ERASE-OLD .* overdue by \d+ days$`).MatchString(table) ||
		!regexp.MustCompile(`(?m)^  next: erase send --kind reminder --request ERASE-OLD$`).MatchString(table) {
		t.Fatalf("table: exit %d\n%s", code, table)
	}
	code, out, _ := run(t, "status", "--json")
	var got struct {
		Requests []map[string]any `json:"requests"`
		Outbox   []map[string]any `json:"outbox"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || len(got.Requests) != 1 || got.Outbox == nil {
		t.Fatalf("json: exit %d\n%s", code, out)
	}
	r := got.Requests[0]
	next, _ := r["next"].(map[string]any)
	if r["state"] != "overdue" || r["status"] != "sent" || next["command"] != "erase send --kind reminder --request ERASE-OLD" {
		t.Errorf("json state %v, status %v, next %v", r["state"], r["status"], r["next"])
	}
	if d, ok := r["days_left"].(float64); !ok || d >= 0 {
		t.Errorf("json days_left %v, want negative", r["days_left"])
	}
	code, out, _ = run(t, "status", "--next")
	if code != 0 || out != "erase send --kind reminder --request ERASE-OLD\n" {
		t.Errorf("--next: exit %d, %q", code, out)
	}
}
