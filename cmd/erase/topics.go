package main

import "github.com/spf13/cobra"

// helpTopics are `erase help TOPIC` pages: commands with no action, which
// cobra lists as additional help topics.
func helpTopics() []*cobra.Command {
	topic := func(name, short, long string) *cobra.Command {
		return &cobra.Command{Use: name, Short: short, Long: long}
	}
	return []*cobra.Command{
		topic("environment", "The environment variables erase reads", `The environment variables erase reads:

  ERASE_CONFIG_DIR   the config directory (default: ~/.config/erase, or the
                     system's config directory): profile.yaml, config.yaml,
                     and overrides in jurisdictions/, companies/, templates/,
                     authorities/
  ERASE_DATA_DIR     the data directory (default: $XDG_DATA_HOME/erase, else
                     ~/.local/share/erase): the ledger, the outbox, the kept
                     letters
  XDG_DATA_HOME      the base of the default data directory
  ERASE_SMTP_HOST, ERASE_SMTP_PORT, ERASE_SMTP_USER, ERASE_SMTP_TLS,
  ERASE_SMTP_CA      the SMTP settings, after the flags and before
                     config.yaml
  ERASE_SMTP_PASSWORD, ERASE_SMTP_PASSWORD_FILE, ERASE_SMTP_PASSWORD_COMMAND
                     the SMTP password (it is never taken from a flag, and
                     never printed or stored)
  ERASE_NOW          the day erase takes as today (YYYY-MM-DD or RFC 3339),
                     to preview what erase status will say; tests use it
  PATH               where erase send --via sendmail looks for the program`),
		topic("files", "The files erase reads and writes", `The files erase reads and writes (those it writes are 0600, in directories
0700):

  In the config directory (erase help environment):
    profile.yaml               your details (erase profile init)
    config.yaml                SMTP settings
    jurisdictions/ID.yaml      a regime that replaces the built-in one
    companies/ID.yaml          a company record that replaces or adds one
    authorities/ID.yaml        an authority record that replaces or adds one
    templates/kinds.yaml       kinds of request, added to the built-in ones
    templates/LANG/...         letter templates and words for a language

  In the data directory:
    requests/REF.yaml          the ledger: one record per request sent
    outbox/                    letters waiting to be sent (tmp/, new/,
                               sent/, failed/)
    letters/REF.entry          each delivered message, as sent, which a
                               reminder attaches
    companies/index.bin        the directory erase companies import made
                               of a Datenanfragen checkout, used in place
                               of the built-in one

erase writes output files atomically: a failure leaves no partial file.`),
		topic("exit-codes", "What erase's exit status means", `erase exits with:

  0   done
  1   failed (a file could not be written, the mail server refused the
      letter, the data is broken)
  2   bad input or usage: a flag, a file or a value is wrong, and the
      message says which; nothing was sent or written
  75  queued for retry: the letter is in the outbox, the server was not
      reachable or asked to try later; erase send --retry sends it`),
	}
}
