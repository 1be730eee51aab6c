package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/erase-cli/erase/authorities"
	"github.com/erase-cli/erase/companies"
	"github.com/erase-cli/erase/internal/badinput"
	"github.com/erase-cli/erase/internal/nearest"
	"github.com/erase-cli/erase/jurisdictions"
	"github.com/erase-cli/erase/templates"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// version is what erase --version says: set with -ldflags "-X
// main.version=..." for a release, else taken from what the Go tool
// records in the binary (buildVersion).
var version = ""

// buildVersion is the module's version where the binary was built from a
// tagged module (go install ...@v0.3.0), else the commit and its date the
// Go tool stamps from the repository (go build, go install ./cmd/erase,
// make build alike), with "+dirty" for uncommitted changes, else "devel".
func buildVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, at, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if t, err := time.Parse(time.RFC3339, at); err == nil {
		return fmt.Sprintf("devel-%s-%s%s", t.UTC().Format("20060102"), rev, dirty)
	}
	return "devel-" + rev + dirty
}

// Exit statuses. 75 is EX_TEMPFAIL, as sendmail uses it.
const (
	exitOK       = 0
	exitFailed   = 1
	exitBadInput = 2
	exitTempFail = 75
)

// env is what every command gets: the streams with their terminal flags, a
// clock, the environment, and the data sets, loaded lazily so that a
// command that does not need them never pays for them.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	stdinTTY       bool
	stdoutTTY      bool
	stderrTTY      bool
	now            func() time.Time
	getenv         func(string) string

	stdinUsedBy string   // the one flag allowed to read stdin
	tty         *os.File // the controlling terminal, opened for prompts
	lineReader  *bufio.Reader

	lawsOnce      sync.Once
	laws          *jurisdictions.Set
	lawsErr       error
	companiesOnce sync.Once
	directory     *companies.Directory
	companiesErr  error
	tmplsOnce     sync.Once
	tmpls         *templates.Set

	authoritiesOnce sync.Once
	authorities     *authorities.Directory
	authoritiesErr  error
}

func newEnv(stdin io.Reader, stdout, stderr io.Writer) *env {
	return &env{
		stdin: stdin, stdout: stdout, stderr: stderr,
		stdinTTY: isTerminal(stdin), stdoutTTY: isTerminal(stdout), stderrTTY: isTerminal(stderr),
		now: time.Now, getenv: os.Getenv,
	}
}

// clock is the time erase runs at: now, or ERASE_NOW (YYYY-MM-DD, or RFC
// 3339), which tests and a person previewing what erase status will say
// on a later day set.
func clock(fixed string) (func() time.Time, error) {
	if fixed == "" {
		return time.Now, nil
	}
	if t, err := time.Parse(time.RFC3339, fixed); err == nil {
		return func() time.Time { return t }, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, fixed, time.Local); err == nil {
		t = t.Add(12 * time.Hour) // midday: the same day in every zone near this one
		return func() time.Time { return t }, nil
	}
	return nil, badinput.Errorf("ERASE_NOW=%q is not a date: write YYYY-MM-DD or an RFC 3339 time, or unset it", fixed)
}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// helpWidth is the width help wraps at: the terminal's, at most 100; 80
// when stdout is not a terminal.
func (e *env) helpWidth() int {
	if f, ok := e.stdout.(*os.File); ok && e.stdoutTTY {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w >= 40 {
			return min(w, 100)
		}
	}
	return 80
}

// canPrompt is true when a person is at the keyboard: stdin is a terminal,
// not spoken for by --profile - or --companies -, and there is a terminal
// to ask on (stderr, else the controlling terminal, as age does), so that
// questions never mix with the output in a pipeline.
func (e *env) canPrompt() bool {
	return e.stdinTTY && e.stdinUsedBy == "" && e.questions() != nil
}

// questions is where prompts are written: stderr when it is a terminal,
// else /dev/tty; nil when there is neither.
func (e *env) questions() io.Writer {
	if e.stderrTTY {
		return e.stderr
	}
	if e.tty == nil {
		if f, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			e.tty = f
		}
	}
	if e.tty == nil {
		return nil
	}
	return e.tty
}

// claimStdin makes sure only one input reads stdin.
func (e *env) claimStdin(flag string) error {
	if e.stdinUsedBy != "" && e.stdinUsedBy != flag {
		return badinput.Errorf("%s - and %s - both want standard input: give one of them a file", e.stdinUsedBy, flag)
	}
	e.stdinUsedBy = flag
	return nil
}

func (e *env) configDir() (string, error) {
	if d := e.getenv("ERASE_CONFIG_DIR"); d != "" {
		return d, nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot find a config directory (%v): set ERASE_CONFIG_DIR", err)
	}
	return filepath.Join(d, "erase"), nil
}

func (e *env) dataDir() (string, error) {
	if d := e.getenv("ERASE_DATA_DIR"); d != "" {
		return d, nil
	}
	if d := e.getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "erase"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find a data directory (%v): set ERASE_DATA_DIR", err)
	}
	return filepath.Join(home, ".local", "share", "erase"), nil
}

// overlay returns the user's override directory for a kind of data
// (CONFIG/jurisdictions, CONFIG/companies, CONFIG/templates) if it exists.
func (e *env) overlay(name string) []fs.FS {
	dir, err := e.configDir()
	if err != nil {
		return nil
	}
	if st, err := os.Stat(filepath.Join(dir, name)); err == nil && st.IsDir() {
		return []fs.FS{os.DirFS(filepath.Join(dir, name))}
	}
	return nil
}

func (e *env) lawSet() (*jurisdictions.Set, error) {
	e.lawsOnce.Do(func() {
		e.laws, e.lawsErr = jurisdictions.Default(e.overlay("jurisdictions")...)
		if e.lawsErr != nil {
			e.lawsErr = fmt.Errorf("loading regimes: %w", e.lawsErr)
		}
	})
	return e.laws, e.lawsErr
}

func (e *env) companyDir() (*companies.Directory, error) {
	e.companiesOnce.Do(func() {
		dataDir, _ := e.dataDir() // no data directory: the bundled index
		idx, err := companies.DefaultIndex(dataDir)
		if err != nil {
			e.companiesErr = fmt.Errorf("loading companies: %w", err)
			return
		}
		e.directory, e.companiesErr = companies.Open(idx, append([]fs.FS{companies.Embedded()}, e.overlay("companies")...)...)
		if e.companiesErr != nil {
			e.companiesErr = fmt.Errorf("loading companies: %w", e.companiesErr)
		}
	})
	return e.directory, e.companiesErr
}

func (e *env) authorityDir() (*authorities.Directory, error) {
	e.authoritiesOnce.Do(func() {
		e.authorities, e.authoritiesErr = authorities.Load(append([]fs.FS{authorities.Embedded()}, e.overlay("authorities")...)...)
		if e.authoritiesErr != nil {
			e.authoritiesErr = fmt.Errorf("loading authorities: %w", e.authoritiesErr)
		}
	})
	return e.authorities, e.authoritiesErr
}

func (e *env) templateSet() *templates.Set {
	e.tmplsOnce.Do(func() {
		e.tmpls = templates.New(nil, append([]fs.FS{templates.Embedded()}, e.overlay("templates")...)...)
	})
	return e.tmpls
}

// Run runs erase with args (without the program name) and returns the exit
// status. It is the only place where errors become exit statuses and the
// only place that prints them.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := newEnv(stdin, stdout, stderr)
	return e.run(args)
}

func (e *env) run(args []string) int {
	defer func() {
		if e.tty != nil {
			e.tty.Close()
		}
	}()
	now, err := clock(e.getenv("ERASE_NOW"))
	if err != nil {
		return e.report(err)
	}
	e.now = now
	root := newRootCmd(e)
	root.SetArgs(args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	// Ctrl-C or SIGTERM cancels the context: erase send finishes the
	// message in flight, keeps the rest in the outbox and exits 75. A
	// second signal ends the process at once, as it would without erase
	// catching the first.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { <-ctx.Done(); stop() }()
	err = root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	err = withCommandSuggestion(root, err)
	return e.report(err)
}

// temporary is implemented by errors after which a retry may succeed (a
// mail server's 4xx); erase exits 75 for them.
type temporary interface{ Temporary() bool }

// report prints err once in the tool's voice and returns its exit status.
func (e *env) report(err error) int {
	var silent *silentError
	if errors.As(err, &silent) {
		return silent.code
	}
	msg := strings.TrimPrefix(err.Error(), "erase: ")
	var hints []string
	code := exitFailed
	var h *hintedError
	if b, ok := badinput.As(err); ok {
		hints = b.Hints
		code = exitBadInput
	} else if errors.As(err, &h) {
		hints = h.hints
	} else if isUsageError(err) {
		code = exitBadInput
		hints = []string{"erase --help shows the commands and flags"}
	}
	var t temporary
	if errors.As(err, &t) && t.Temporary() {
		code = exitTempFail
	}
	fmt.Fprintf(e.stderr, "erase: %s\n", msg)
	for _, h := range hints {
		fmt.Fprintf(e.stderr, "erase: hint: %s\n", h)
	}
	return code
}

// hintedError is a failure (exit 1) with hints on how to fix it.
type hintedError struct {
	err   error
	hints []string
}

func (h *hintedError) Error() string { return h.err.Error() }
func (h *hintedError) Unwrap() error { return h.err }

// silentError carries an exit status whose message was already printed.
type silentError struct{ code int }

func (s *silentError) Error() string { return fmt.Sprintf("exit status %d", s.code) }

// isUsageError recognises cobra's own argument errors.
// withCommandSuggestion adds to "unknown command" the command a typo most
// likely meant.
func withCommandSuggestion(root *cobra.Command, err error) error {
	msg := err.Error()
	if !strings.HasPrefix(msg, "unknown command ") {
		return err
	}
	typed, parent, _ := strings.Cut(strings.TrimPrefix(msg, "unknown command "), " for ")
	typed, parent = strings.Trim(typed, `"`), strings.Trim(parent, `"`)
	if parent != root.Name() {
		// A stray argument to a command that takes none.
		return badinput.Errorf("%s takes no argument %q", parent, typed).
			Hint("%s --help shows its usage; quote a value with spaces after its flag", parent)
	}
	b := badinput.Errorf("unknown command %q", typed)
	if near := suggestCommand(root, typed); near != "" {
		b = b.Hint("did you mean erase %s?", near)
	}
	return b.Hint("erase --help lists the commands")
}

// suggestCommand is the command name a typo most likely meant, or "".
func suggestCommand(root *cobra.Command, typed string) string {
	if s := root.SuggestionsFor(typed); len(s) > 0 {
		return s[0]
	}
	var names []string
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	return nearest.Word(typed, names)
}

// newHelpCmd is erase help [command]: an unknown topic is an error (exit
// 2) with the topic a typo most likely meant, not the root help.
func newHelpCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			var names []string
			for _, c := range root.Commands() {
				if c.IsAvailableCommand() || c.IsAdditionalHelpTopicCommand() {
					names = append(names, c.Name())
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := root.Find(args)
			if len(args) > 0 && (err != nil || len(rest) > 0 || target == root) {
				topic := strings.Join(args, " ")
				b := badinput.Errorf("unknown help topic %q", topic)
				if near := suggestCommand(root, args[0]); near != "" {
					b = b.Hint("did you mean erase help %s?", near)
				}
				return b.Hint("erase --help lists the commands")
			}
			if target == nil {
				target = root
			}
			return target.Help()
		},
	}
}

func isUsageError(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "accepts ", "requires at least", "requires at most", "invalid argument", "flag needs an argument", "if any flags in the group"} {
		if strings.HasPrefix(msg, p) || strings.Contains(msg, " "+p) {
			return true
		}
	}
	return false
}

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "erase",
		Short: "Write and send lawful requests to have your personal data deleted",
		Long: `erase writes a formal right-to-erasure letter to a company, citing the law
that protects you where you live (GDPR, UK GDPR, CCPA and the US state laws,
LGPD, PIPL and more), states the legal deadline, and writes it as text, JSON,
PDF or an e-mail message, or sends it.

Your details come from flags, a --profile file, or your saved profile
(erase profile init). Nothing leaves your machine unless you send it.`,
		Version:       buildVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if e.canPrompt() { // a person at a terminal: ask what they want
				return e.guided(cmd.Context())
			}
			if e.stdoutTTY {
				return cmd.Help() // a person asked what erase is
			}
			// A script that runs erase with no command has a bug: the
			// usage on stderr, and exit 2.
			fmt.Fprint(e.stderr, cmd.UsageString())
			return badinput.Errorf("no command given").Hint("erase letter writes a letter; erase --help says more")
		},
	}
	root.SetVersionTemplate("erase {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		b := badinput.Errorf("%v", err)
		if name, ok := strings.CutPrefix(err.Error(), "unknown flag: --"); ok {
			var names []string
			c.Flags().VisitAll(func(f *pflag.Flag) {
				if !f.Hidden {
					names = append(names, f.Name)
				}
			})
			if near := nearest.Word(name, names); near != "" {
				b = b.Hint("did you mean --%s?", near)
			}
		}
		return b.Hint("%s --help shows its flags", c.CommandPath())
	})
	root.SetHelpCommand(newHelpCmd(root))
	// Flag descriptions wrap at the terminal's width (80 columns where it
	// cannot be told, as in a pipe), between words, under their column.
	// cobra keeps template functions in one global map: register the
	// function once (runs of erase in one process, as in the tests, would
	// race on it), and give it each run's width through the root command.
	addTemplateFuncs()
	root.Annotations = map[string]string{helpWidthKey: strconv.Itoa(e.helpWidth())}
	root.SetUsageTemplate(strings.NewReplacer(
		"{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}", "{{wrappedFlags . .LocalFlags | trimTrailingWhitespaces}}",
		"{{.InheritedFlags.FlagUsages | trimTrailingWhitespaces}}", "{{wrappedFlags . .InheritedFlags | trimTrailingWhitespaces}}",
	).Replace(root.UsageTemplate()))
	root.AddCommand(newLetterCmd(e), newSendCmd(e), newStatusCmd(e), newOutboxCmd(e), newLawsCmd(e), newCompaniesCmd(e), newAuthoritiesCmd(e), newProfileCmd(e))
	root.AddCommand(helpTopics()...)
	bashCompletionWithoutPackage(root)
	return root
}

// bashCompletionShim stands in for the bash-completion package's
// _get_comp_words_by_ref, which cobra's bash script calls, where that
// package is not installed: the words as bash split them.
const bashCompletionShim = `# erase: without the bash-completion package, a minimal _get_comp_words_by_ref.
if ! declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
_get_comp_words_by_ref() {
    # The words, with those bash split at a character of -n joined again
    # where no space parts them (--json=id is --json, =, id to bash).
    local _n= _i _w _rest=$COMP_LINE _trimmed _glue=0 _c=0
    local -a _words=()
    [[ $1 == -n ]] && { _n=$2; shift 2; }
    for ((_i = 0; _i < ${#COMP_WORDS[@]}; _i++)); do
        _w=${COMP_WORDS[_i]}
        _trimmed=${_rest#"${_rest%%[![:space:]]*}"}
        if ((_i > 0)) && [[ -n $_n && ${#_trimmed} == "${#_rest}" ]] &&
            { ((_glue)) || [[ -n $_w && -z ${_w//["$_n"]/} ]]; }; then
            _words[${#_words[@]}-1]+=$_w
        else
            _words+=("$_w")
        fi
        _glue=0
        [[ -n $_n && -n $_w && -z ${_w//["$_n"]/} ]] && _glue=1
        _rest=${_trimmed#"$_w"}
        ((_i == COMP_CWORD)) && _c=$((${#_words[@]} - 1))
    done
    while [[ $# -gt 0 ]]; do
        case "$1" in
        cur) cur=${_words[_c]}; shift ;;
        prev) prev=${_words[_c-1]}; shift ;;
        words) words=("${_words[@]}"); shift ;;
        cword) cword=$_c; shift ;;
        *) shift ;;
        esac
    done
}
fi

`

// bashCompletionWithoutPackage makes erase completion bash work without
// the bash-completion package: cobra's script, with bashCompletionShim
// before it.
func bashCompletionWithoutPackage(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		for _, sub := range c.Commands() {
			if sub.Name() != "bash" {
				continue
			}
			sub.RunE = func(cmd *cobra.Command, _ []string) error {
				noDesc, _ := cmd.Flags().GetBool("no-descriptions")
				out := cmd.OutOrStdout()
				if _, err := io.WriteString(out, bashCompletionShim); err != nil {
					return err
				}
				return root.GenBashCompletionV2(out, !noDesc)
			}
			sub.Run = nil
		}
	}
}

// usageErr is a wrong command line: exit status 2.
func usageErr(msg string) error { return badinput.Errorf("%s", msg) }

// helpWidthKey is the root command's annotation holding the help width.
const helpWidthKey = "erase.help-width"

var addTemplateFuncs = sync.OnceFunc(func() {
	cobra.AddTemplateFunc("wrappedFlags", func(c *cobra.Command, fs *pflag.FlagSet) string {
		w, err := strconv.Atoi(c.Root().Annotations[helpWidthKey])
		if err != nil {
			w = 80
		}
		return fs.FlagUsagesWrapped(w)
	})
})
