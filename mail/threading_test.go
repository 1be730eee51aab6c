package mail

import (
	"strings"
	"testing"
	"time"
)

// A reminder is a reply in the request's thread.
func TestInReplyTo(t *testing.T) {
	m := Message{From: Address{Email: "jane@example.com"}, To: Address{Email: "privacy@example.org"}, Subject: "Reminder",
		Text: "x", Date: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), MessageID: "b@example.com", InReplyTo: "a.1@example.com"}
	r, err := Render(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\r\nIn-Reply-To: <a.1@example.com>\r\n", "\r\nReferences: <a.1@example.com>\r\n"} {
		if !strings.Contains(string(r.Data), want) {
			t.Errorf("no %q in\n%s", want, r.Data)
		}
	}
	m.InReplyTo = "a@example.com>\r\nBcc: x@evil.example"
	if _, err := Render(m); err == nil {
		t.Error("an In-Reply-To with a header injection is accepted")
	}
}
