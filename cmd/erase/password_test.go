//go:build unix

package main

import (
	"strings"
	"testing"
	"time"
)

// TestPasswordCommandTimeout: a password command that never finishes is
// stopped, with an error that says so, instead of hanging erase.
func TestPasswordCommandTimeout(t *testing.T) {
	defer func(d time.Duration) { passwordCommandTimeout = d }(passwordCommandTimeout)
	passwordCommandTimeout = 200 * time.Millisecond
	e := newEnv(strings.NewReader(""), &strings.Builder{}, &strings.Builder{})
	start := time.Now()
	_, err := e.passwordFromCommand("sleep 30")
	if err == nil || !strings.Contains(err.Error(), "did not finish within 200ms") {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestPasswordCommandEnvironment: the command does not see erase's own
// password variables.
func TestPasswordCommandEnvironment(t *testing.T) {
	t.Setenv("ERASE_SMTP_PASSWORD_FILE", "/secret/file")
	t.Setenv("ERASE_SMTP_PASSWORD", "hunter2")
	e := newEnv(strings.NewReader(""), &strings.Builder{}, &strings.Builder{})
	pw, err := e.passwordFromCommand(`echo "x${ERASE_SMTP_PASSWORD}${ERASE_SMTP_PASSWORD_FILE}y"`)
	if err != nil || pw != "xy" {
		t.Fatalf("password %q, %v", pw, err)
	}
}
