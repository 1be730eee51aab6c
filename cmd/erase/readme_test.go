//go:build linux

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/erase-cli/erase/internal/smtptest"
	"github.com/erase-cli/erase/letters"
	"golang.org/x/sys/unix"
)

// The README's examples, run as written. Every line of every ```sh block
// of README.md is one of: a comment, an erase command (a line that starts
// with "erase ", or a pipeline with erase in it), a shell line that sets
// up the commands after it in its block (export), a line of a
// transcript's output (a block of "$ " lines), or a line in
// readmeSkipped. Any other line fails the test, so that a new kind of
// example is looked at rather than passed over.
//
// Each command runs through sh -c, exactly as the README has it but for
// the substitutions in readmeSubstitutions, in a sandbox of its own (the
// commands of one transcript share one, in order): this test binary as
// erase on PATH (eraseBin), the stand-ins of readmeStandIns before it,
// the README's own profile as me.yaml in the working directory, the
// README's own config.yaml in ERASE_CONFIG_DIR (pointing at a real SMTP
// server on loopback, one per sandbox, whose CA is ERASE_SMTP_CA),
// ERASE_DATA_DIR and HOME in the sandbox, and the clock (ERASE_NOW) at
// readmeNow. readmeLedgerSections, readmeClock and readmeSetups say what
// else a sandbox holds for the examples that act on earlier requests.
// Standard input and standard error are a terminal (a pseudo-terminal),
// as when a person types the command, and the test answers "y" when erase
// asks whether to send; standard output is kept.
//
// A command must exit 0, write what its -o names, deliver what it sends
// (and nothing else), and, in a transcript, print the output lines shown
// under it.

// readmeNow is the day the examples run on: the follow-up transcript's
// first `erase status`, 14 days after its request's due date (sent
// 2026-11-27, due 2026-12-28 under the GDPR).
const readmeNow = "2027-01-11"

// readmeRequest is the request of the follow-up transcript, in the
// ledger of the sandboxes of readmeLedgerSections.
const readmeRequest = "ERASE-20261127-K3F9QX"

// readmeRefused is the letter `erase outbox drop` drops in the README.
const readmeRefused = "ERASE-20270111-WX7M2P"

// readmeSkipped: the lines not run, and why.
var readmeSkipped = []struct{ prefix, why string }{
	{"go run ./cmd/erase ", "the set-up itself: it builds erase from source, which this test binary already is (CI runs it)"},
	{"make test", "the test suite this test is part of (CI runs it)"},
	{"go install ./cmd/erase", "installs into GOPATH/bin, outside the sandbox; the commands after it run the same program from the test binary"},
	{"git clone ", "fetches the Datenanfragen data from the network: readmeSetups put a small checkout in its place"},
}

// readmeSubstitutions: the only changes made to what the README says, in
// its commands and in its config.yaml. {host} and {port} are the test's
// SMTP server.
var readmeSubstitutions = []struct{ old, new, why string }{
	{"smtp.example.com", "{host}", "the README's mail server is the test's: go-smtp on loopback, with STARTTLS and AUTH"},
	{"port: 587", "port: {port}", "the test server listens on a port of its own (config.yaml)"},
}

// readmeStandIns: programs the examples call, replaced on PATH by a
// shell script. {spool} is a directory of the sandbox.
var readmeStandIns = []struct{ name, script, why string }{
	{"pass", `[ "$*" = "show mail/smtp" ] || { echo "pass stand-in: unknown entry: $*" >&2; exit 1; }
echo s3cret`, "the password store would need a GPG key: the stand-in knows the test server's password"},
	{"msmtp", `[ "$*" = "-t" ] || { echo "msmtp stand-in: want -t, got $*" >&2; exit 64; }
cat >'{spool}/msmtp.eml'`, "the real one would send through the user's own account: the stand-in keeps the message for the test"},
	{"sendmail", `[ "$*" = "-t -i" ] || { echo "sendmail stand-in: want -t -i, got $*" >&2; exit 64; }
cat >'{spool}/sendmail.eml'`, "the machine's mailer would deliver the message: the stand-in keeps it for the test (erase finds it on PATH)"},
	{"git", `[ "$*" = "-C datenanfragen log -1 --format=%cs" ] || { echo "git stand-in: want the checkout's date, got $*" >&2; exit 64; }
echo 2026-11-30`, "the checkout of readmeSetups is no git repository: the stand-in gives its commit date"},
}

// readmeTools: programs the examples use as they are, when installed.
var readmeTools = []struct{ name, why string }{
	{"jq", "the JSON example pipes into jq: without jq installed it is skipped"},
}

// readmeLedgerSections: the README sections whose examples need the
// follow-up transcript's state: the request in the ledger, and a saved
// profile of a person in Bavaria (whose complaint goes to the BayLDA).
var readmeLedgerSections = map[string]bool{"Following up": true}

// readmeClock: from the command containing "from" on, in its sandbox,
// the clock stands at "now".
var readmeClock = []struct{ from, now, why string }{
	{"# two weeks later", "2027-01-26", "the transcript's second status: the reminder's 14 days (to 2027-01-25) have run"},
}

// readmeSetups: what the sandbox holds before a command that acts on it.
var readmeSetups = []struct {
	prefix, why string
	run         func(t *testing.T, sb *readmeSandbox)
}{
	{"erase companies import datenanfragen", "a checkout of the Datenanfragen data, of one record, where the README clones it", func(t *testing.T, sb *readmeSandbox) {
		dir := filepath.Join(sb.work, "datenanfragen", "companies")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		rec := `{"slug": "example-shop", "relevant-countries": ["all"], "name": "Example Shop GmbH", "address": "Hauptstraße 1\n10115 Berlin\nGermany",
"email": "privacy@shop.example", "sources": ["https://shop.example/privacy"], "quality": "verified"}`
		if err := os.WriteFile(filepath.Join(dir, "example-shop.json"), []byte(rec), 0o644); err != nil {
			t.Fatal(err)
		}
	}},
	{"erase outbox drop " + readmeRefused, "a letter the server refused for good, in the outbox", func(t *testing.T, sb *readmeSandbox) {
		sb.srv.FailNext(1, smtptest.StageRcpt, 550, "5.1.1 no such user")
		res := sb.run(t, "set-up for erase outbox drop", "erase send --yes --law gdpr --company alibaba --reference "+readmeRefused, readmeNow)
		if res.code != exitFailed {
			t.Fatalf("set-up: the refused send exited %d, want 1:\n%s", res.code, res.term)
		}
	}},
}

const readmeSavedProfile = `name: Jane Doe
email: jane@example.com
address:
  - Musterstraße 1
  - 80331 München
country: DE
region: BY
`

const readmeLedgerRecord = `reference: ` + readmeRequest + `
company: aliexpress
contact: dataprotection.ae@aliexpress.com
regime: gdpr
kind: erasure
sent: "2026-11-27T10:00:00Z"
message_id: k3f9qx@example.com
due: "2026-12-28"
status: sent
history:
  - status: sent
    at: "2026-11-27T10:00:00Z"
`

// readmeExample is one command of the README.
type readmeExample struct {
	section string
	line    int      // in README.md
	cmd     string   // as written
	setup   []string // the block's export lines before it
	want    []string // a transcript's output lines under it
}

type readmeBlock struct {
	lang, section string
	line          int // of the first line inside the fence
	lines         []string
}

func readmeBlocks(md string) []readmeBlock {
	var bs []readmeBlock
	var cur *readmeBlock
	section := ""
	for i, l := range strings.Split(md, "\n") {
		switch {
		case cur == nil && strings.HasPrefix(l, "```"):
			cur = &readmeBlock{lang: strings.TrimPrefix(l, "```"), section: section, line: i + 2}
		case cur != nil && strings.HasPrefix(l, "```"):
			bs = append(bs, *cur)
			cur = nil
		case cur != nil:
			cur.lines = append(cur.lines, l)
		case strings.HasPrefix(l, "#"):
			section = strings.TrimSpace(strings.TrimLeft(l, "#"))
		}
	}
	return bs
}

// readmeYAML is the README's yaml block that starts with first.
func readmeYAML(t *testing.T, bs []readmeBlock, first string) string {
	t.Helper()
	for _, b := range bs {
		if b.lang == "yaml" && len(b.lines) > 0 && strings.HasPrefix(b.lines[0], first) {
			return strings.Join(b.lines, "\n") + "\n"
		}
	}
	t.Fatalf("README.md has no yaml block starting %q", first)
	return ""
}

func isEraseCommand(l string) bool {
	return strings.HasPrefix(l, "erase ") || strings.Contains(l, "| erase ")
}

// readmeGroups splits the sh blocks into examples: one group per
// transcript, one per other command. Lines it cannot place are errors.
func readmeGroups(bs []readmeBlock) (groups [][]readmeExample, skipped []string, errs []string) {
	for _, b := range bs {
		if b.lang != "sh" {
			continue
		}
		transcript := false
		for _, l := range b.lines {
			transcript = transcript || strings.HasPrefix(l, "$ ")
		}
		var setup []string
		var tr []readmeExample
	lines:
		for i := 0; i < len(b.lines); i++ {
			n, l := b.line+i, strings.TrimSpace(b.lines[i])
			for strings.HasSuffix(l, `\`) && i+1 < len(b.lines) { // a continued line
				i++
				l = strings.TrimSuffix(l, `\`) + " " + strings.TrimSpace(b.lines[i])
			}
			switch {
			case l == "" || strings.HasPrefix(l, "#"):
			case transcript && strings.HasPrefix(l, "$ "):
				tr = append(tr, readmeExample{section: b.section, line: n, cmd: strings.TrimPrefix(l, "$ ")})
			case transcript && len(tr) > 0: // output, indented as shown
				tr[len(tr)-1].want = append(tr[len(tr)-1].want, strings.TrimRight(b.lines[i], " "))
			case transcript:
				errs = append(errs, fmt.Sprintf("README.md:%d: output before any command: %s", n, l))
			case strings.HasPrefix(l, "export "):
				setup = append(setup, l)
			case isEraseCommand(l):
				groups = append(groups, []readmeExample{{section: b.section, line: n, cmd: l, setup: setup}})
			default:
				for _, s := range readmeSkipped {
					if strings.HasPrefix(l, s.prefix) {
						skipped = append(skipped, fmt.Sprintf("README.md:%d: %s\n\t%s", n, l, s.why))
						continue lines
					}
				}
				errs = append(errs, fmt.Sprintf("README.md:%d: not an erase command, nor a line this test knows to skip: %s", n, l))
			}
		}
		for i := range tr {
			if !isEraseCommand(tr[i].cmd) {
				errs = append(errs, fmt.Sprintf("README.md:%d: a transcript command that is not erase: %s", tr[i].line, tr[i].cmd))
			}
		}
		if len(tr) > 0 {
			groups = append(groups, tr)
		}
	}
	return groups, skipped, errs
}

func TestREADMEExamples(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	bs := readmeBlocks(string(raw))
	groups, skipped, errs := readmeGroups(bs)
	for _, e := range errs {
		t.Error(e)
	}
	for _, s := range skipped {
		t.Logf("skipped %s", s)
	}
	if len(groups) < 20 {
		t.Fatalf("only %d examples found in README.md: is the parser still right?", len(groups))
	}
	profile := readmeYAML(t, bs, "name:")
	config := readmeYAML(t, bs, "smtp:")

	erase := eraseBin(t)
	for _, g := range groups {
		t.Run(fmt.Sprintf("line%d", g[0].line), func(t *testing.T) {
			t.Parallel()
			for _, ex := range g {
				for _, tool := range readmeTools {
					if strings.Contains(ex.cmd, "| "+tool.name+" ") {
						if _, err := exec.LookPath(tool.name); err != nil {
							t.Skipf("README.md:%d: %s", ex.line, tool.why)
						}
					}
				}
			}
			sb := newReadmeSandbox(t, erase, g[0].section, profile, config)
			now := readmeNow
			for _, ex := range g {
				for _, c := range readmeClock {
					if strings.Contains(ex.cmd, c.from) {
						now = c.now
					}
				}
				for _, s := range readmeSetups {
					if strings.HasPrefix(ex.cmd, s.prefix) {
						s.run(t, sb)
					}
				}
				sb.runExample(t, ex, now)
			}
		})
	}
}

type readmeSandbox struct {
	dir, work, data, spool string
	srv                    *smtptest.Server
	env                    []string
	replace                *strings.Replacer
}

// newReadmeSandbox makes a sandbox with an SMTP server of its own.
func newReadmeSandbox(t *testing.T, erase, section, profile, config string) *readmeSandbox {
	t.Helper()
	srv, err := smtptest.Start(smtptest.Options{User: "jane@example.com", Password: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dir := t.TempDir()
	sb := &readmeSandbox{dir: dir, work: filepath.Join(dir, "work"), data: filepath.Join(dir, "data"), spool: filepath.Join(dir, "spool"), srv: srv}
	configDir, bin := filepath.Join(dir, "config"), filepath.Join(dir, "bin")
	for _, d := range []string{sb.work, sb.data, sb.spool, configDir, bin, filepath.Join(dir, "home")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	var pairs []string
	for _, s := range readmeSubstitutions {
		pairs = append(pairs, s.old, strings.NewReplacer("{host}", srv.Host(), "{port}", strconv.Itoa(srv.Port())).Replace(s.new))
	}
	sb.replace = strings.NewReplacer(pairs...)
	write := func(path, text string, mode os.FileMode) {
		if err := os.WriteFile(path, []byte(text), mode); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range readmeStandIns {
		write(filepath.Join(bin, s.name), "#!/bin/sh\n"+strings.ReplaceAll(s.script, "{spool}", sb.spool)+"\n", 0o700)
	}
	write(filepath.Join(sb.work, "me.yaml"), profile, 0o600)
	write(filepath.Join(configDir, "config.yaml"), sb.replace.Replace(config), 0o600)
	// The install example runs go env, which would otherwise start
	// counting and uploading telemetry in the sandbox's HOME.
	if err := os.MkdirAll(filepath.Join(dir, "home", ".config", "go", "telemetry"), 0o700); err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(dir, "home", ".config", "go", "telemetry", "mode"), "off\n", 0o600)
	ca := filepath.Join(dir, "ca.pem")
	if err := srv.WriteCA(ca); err != nil {
		t.Fatal(err)
	}
	if readmeLedgerSections[section] {
		write(filepath.Join(configDir, "profile.yaml"), readmeSavedProfile, 0o600)
		if err := os.MkdirAll(filepath.Join(sb.data, "requests"), 0o700); err != nil {
			t.Fatal(err)
		}
		write(filepath.Join(sb.data, "requests", readmeRequest+".yaml"), readmeLedgerRecord, 0o600)
	}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ERASE_") && !strings.HasPrefix(kv, "PATH=") && !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "XDG_") {
			sb.env = append(sb.env, kv)
		}
	}
	sb.env = append(sb.env,
		"PATH="+bin+string(os.PathListSeparator)+filepath.Dir(erase)+string(os.PathListSeparator)+os.Getenv("PATH"),
		"HOME="+filepath.Join(dir, "home"),
		"ERASE_CONFIG_DIR="+configDir,
		"ERASE_DATA_DIR="+sb.data,
		"ERASE_SMTP_CA="+ca, // the test server's certificate is from a CA of its own
	)
	return sb
}

type readmeResult struct {
	code         int
	stdout, term string // term: what the terminal showed (standard error, prompts, echo)
}

// run runs script through sh -c in the sandbox, standard input and
// standard error on a terminal, answering yes to "Send N letter(s)?".
// where names the example in failures.
func (sb *readmeSandbox) run(t *testing.T, where, script, now string) readmeResult {
	t.Helper()
	ptm, pts, err := openPTY()
	if err != nil {
		t.Fatalf("a terminal for the examples: %v", err)
	}
	defer ptm.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", script)
	cmd.Dir = sb.work
	cmd.Env = append(append([]string{}, sb.env...), "ERASE_NOW="+now)
	var stdout bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = pts, &stdout, pts
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) } // the whole pipeline
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		pts.Close()
		t.Fatal(err)
	}
	pts.Close()
	term := make(chan string)
	go func() {
		var seen bytes.Buffer
		buf := make([]byte, 4096)
		answered := 0
		for {
			n, err := ptm.Read(buf)
			seen.Write(buf[:n])
			for ; answered < bytes.Count(seen.Bytes(), []byte("letter(s)? [y/N]")); answered++ {
				ptm.Write([]byte("y\n"))
			}
			if err != nil { // EIO once every process holding the terminal is gone
				term <- strings.ReplaceAll(seen.String(), "\r\n", "\n")
				return
			}
		}
	}()
	err = cmd.Wait()
	res := readmeResult{stdout: stdout.String(), code: cmd.ProcessState.ExitCode()}
	select {
	case res.term = <-term:
	case <-time.After(5 * time.Second):
		res.term = "(the terminal was never closed)"
	}
	if ctx.Err() != nil {
		t.Fatalf("%s\ndid not finish in 30 s (waiting for an answer?); the terminal showed:\n%s", where, res.term)
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("%s\n%v", where, err)
	}
	return res
}

func (sb *readmeSandbox) runExample(t *testing.T, ex readmeExample, now string) {
	t.Helper()
	cmd := sb.replace.Replace(ex.cmd)
	before := len(sb.srv.Messages())
	where := fmt.Sprintf("README.md:%d: %s", ex.line, ex.cmd)
	res := sb.run(t, where, strings.Join(append(append([]string{}, ex.setup...), cmd), "\n"), now)
	if res.code != 0 {
		t.Fatalf("%s\nexited %d; the terminal showed:\n%s\nstdout:\n%s", where, res.code, res.term, truncate(res.stdout, 2000))
	}
	if err := matchTranscript(ex.want, res); err != nil {
		t.Errorf("%s\n%v\nstdout:\n%s\nterminal:\n%s", where, err, res.stdout, res.term)
	}
	// What it writes: the file or directory after -o.
	fields := strings.Fields(ex.cmd)
	for i, f := range fields[:len(fields)-1] {
		if f != "-o" && f != "--ics" {
			continue
		}
		out := filepath.Join(sb.work, fields[i+1])
		if strings.HasSuffix(fields[i+1], "/") { // -o DIR/ writes PDFs
			es, err := os.ReadDir(out)
			if err != nil || len(es) == 0 {
				t.Errorf("%s\nwrote nothing into %s (%v)", where, fields[i+1], err)
			}
			for _, e := range es {
				if data, _ := os.ReadFile(filepath.Join(out, e.Name())); !strings.HasSuffix(e.Name(), ".pdf") || !bytes.HasPrefix(data, []byte("%PDF-")) {
					t.Errorf("%s\nwrote %s%s, not a PDF", where, fields[i+1], e.Name())
				}
			}
			continue
		}
		data, err := os.ReadFile(out)
		switch {
		case err != nil || len(data) == 0:
			t.Errorf("%s\ndid not write %s (%v)", where, fields[i+1], err)
		case strings.HasSuffix(out, ".pdf") && !bytes.HasPrefix(data, []byte("%PDF-")):
			t.Errorf("%s\n%s is not a PDF", where, fields[i+1])
		}
	}
	// What it sends.
	delivered := sb.srv.Messages()[before:]
	sends := strings.HasPrefix(ex.cmd, "erase send ") && !strings.Contains(ex.cmd, "--dry-run") && !strings.Contains(ex.cmd, "--check")
	switch {
	case sends && strings.Contains(ex.cmd, "--via sendmail"):
		sb.wantSpooled(t, where, "sendmail.eml")
	case sends && len(delivered) != 1:
		t.Errorf("%s\nthe server received %d messages, want 1", where, len(delivered))
	case sends && strings.Contains(ex.cmd, "--kind reminder") && !bytes.Contains(delivered[0].Data, []byte("\nIn-Reply-To: <k3f9qx@example.com>")):
		t.Errorf("%s\nthe reminder is not a reply to the request:\n%s", where, truncate(string(delivered[0].Data), 2000))
	case !sends && len(delivered) != 0:
		t.Errorf("%s\nsent %d messages, want none", where, len(delivered))
	}
	if strings.Contains(ex.cmd, "| msmtp -t") {
		sb.wantSpooled(t, where, "msmtp.eml")
	}
	if strings.Contains(ex.cmd, "--posted") {
		if es, _ := os.ReadDir(filepath.Join(sb.data, "requests")); len(es) != 1 {
			t.Errorf("%s\n%d requests in the ledger, want the one posted", where, len(es))
		}
	}
}

// wantSpooled: a stand-in mailer got the AliExpress letter.
func (sb *readmeSandbox) wantSpooled(t *testing.T, where, name string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sb.spool, name))
	if err != nil {
		t.Errorf("%s\nthe mailer got nothing: %v", where, err)
		return
	}
	if !bytes.Contains(data, []byte("\nTo: \"AliExpress.com\" <dataprotection.ae@aliexpress.com>")) {
		t.Errorf("%s\nthe mailer got something else:\n%s", where, truncate(string(data), 2000))
	}
}

var readmeReference = regexp.MustCompile(`ERASE-\d{8}-[0-9A-Z]{6}`)

// matchTranscript finds each line of want, in order, in the command's
// standard output, then on its terminal. A reference other than the
// seeded request's is random but for its date, and matches any. "..."
// stands for lines left out.
func matchTranscript(want []string, res readmeResult) error {
	var got []string
	for _, l := range strings.Split(res.stdout+"\n"+res.term, "\n") {
		got = append(got, strings.TrimRight(l, " "))
	}
	i := 0
	for _, w := range want {
		if w == "..." {
			continue
		}
		pat := readmeReference.ReplaceAllStringFunc(regexp.QuoteMeta(w), func(ref string) string {
			if ref == readmeRequest {
				return ref
			}
			return ref[:len("ERASE-20060102-")] + "[0-9A-Z]{6}"
		})
		re := regexp.MustCompile("^" + pat + "$")
		for i < len(got) && !re.MatchString(got[i]) {
			i++
		}
		if i == len(got) {
			return fmt.Errorf("the README shows %q, which it did not print (or not in that order)", w)
		}
		i++
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "\n[...]"
}

// openPTY opens a pseudo-terminal: the controlling side, and the terminal
// the command gets.
func openPTY() (ptm, pts *os.File, err error) {
	ptm, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	fd := int(ptm.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		ptm.Close()
		return nil, nil, err
	}
	n, err := unix.IoctlGetUint32(fd, unix.TIOCGPTN)
	if err != nil {
		ptm.Close()
		return nil, nil, err
	}
	pts, err = os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		ptm.Close()
		return nil, nil, err
	}
	unix.IoctlSetWinsize(int(pts.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 24, Col: 80})
	return ptm, pts, nil
}

// TestREADMEJSONFields: the README's JSON section names every field of
// erase letter --format json, at every depth, and no other.
func TestREADMEJSONFields(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	md := string(raw)
	start := strings.Index(md, "\n### JSON\n")
	if start < 0 {
		t.Fatal("README.md has no JSON section")
	}
	section := md[start+len("\n### JSON\n"):]
	section = section[:strings.Index(section, "\n#")]
	named := map[string]bool{}
	for _, m := range regexp.MustCompile("`([a-z_]+)`").FindAllStringSubmatch(section, -1) {
		if m[1] != "null" {
			named[m[1]] = true
		}
	}
	fields := map[string]bool{}
	var walk func(reflect.Type)
	walk = func(ty reflect.Type) {
		for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice {
			ty = ty.Elem()
		}
		if ty.Kind() != reflect.Struct {
			return
		}
		for i := range ty.NumField() {
			f := ty.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			fields[name] = true
			walk(f.Type)
		}
	}
	walk(reflect.TypeFor[letters.JSON]())
	for f := range fields {
		if !named[f] {
			t.Errorf("the README's JSON section does not mention the field %q", f)
		}
	}
	for n := range named {
		if !fields[n] {
			t.Errorf("the README's JSON section names %q, which the JSON does not have", n)
		}
	}
}
