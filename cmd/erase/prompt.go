package main

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/erase-cli/erase/internal/badinput"
)

// Prompts: questions go to the terminal (env.questions), answers come from
// stdin through one shared reader, so that several questions in a row do
// not lose buffered input. Only called when env.canPrompt.

// askOptional reads one answer; an empty answer is allowed.
func (e *env) askOptional(question string) (string, error) {
	if e.lineReader == nil {
		e.lineReader = bufio.NewReader(e.stdin)
	}
	fmt.Fprintf(e.questions(), "%s: ", question)
	line, err := e.lineReader.ReadString('\n')
	if err != nil && line == "" {
		return "", badinput.Errorf("no answer to %q", question)
	}
	return strings.TrimSpace(line), nil
}

// ask reads one answer; an empty one is asked again, three times at most.
func (e *env) ask(question string) (string, error) {
	for tries := 0; tries < 3; tries++ {
		v, err := e.askOptional(question)
		if err != nil || v != "" {
			return v, err
		}
	}
	return "", badinput.Errorf("no answer to %q", question)
}

// askUntilValid asks until set accepts the answer, three times at most,
// showing why an answer was refused.
func (e *env) askUntilValid(question string, set func(string) error) error {
	var err error
	for tries := 0; tries < 3; tries++ {
		var v string
		if v, err = e.ask(question); err != nil {
			return err
		}
		if err = set(v); err == nil {
			return nil
		}
		e.sayInvalid(err)
	}
	return err
}

// sayInvalid tells the person at the prompt what was wrong with an
// answer, with its hints, before the question is asked again.
func (e *env) sayInvalid(err error) {
	fmt.Fprintf(e.questions(), "erase: %v\n", err)
	if b, ok := badinput.As(err); ok {
		for _, h := range b.Hints {
			fmt.Fprintf(e.questions(), "erase: hint: %s\n", h)
		}
	}
}
