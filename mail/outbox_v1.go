package mail

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/erase-cli/erase/internal/atomicfile"
)

// The first outbox (erase 0.1) kept its entries flat in Dir:
//
//	Dir/ID.json         the entry, with its state and the name of its message
//	Dir/ID.RANDOM.eml   the message
//	Dir/ID.lock         its lock
//	Dir/.ID.json.*.tmp  a rewrite in progress
//
// migrateV1 moves each such entry into the folder of its state, so that
// a letter waiting or delivered-but-unrecorded when erase was upgraded is
// neither lost nor sent twice, and removes the rest (messages no entry
// names, temporary files, locks). It runs under the outbox's lock.

type v1Entry struct {
	Entry
	State  State     `json:"state"`
	File   string    `json:"file"`
	SentAt time.Time `json:"sent_at,omitzero"`
}

// migrateV1 returns how many files it removed as debris.
func (o *Outbox) migrateV1() (int, error) {
	des, err := os.ReadDir(o.Dir)
	if err != nil {
		return 0, nil // nothing to migrate; Recover reports real errors
	}
	var entries, others []string
	for _, de := range des {
		name := de.Name()
		switch {
		case de.IsDir() || name == ".lock":
		case strings.HasSuffix(name, ".json") && ValidID(strings.TrimSuffix(name, ".json")):
			entries = append(entries, name)
		case strings.HasSuffix(name, ".eml") || strings.HasSuffix(name, ".tmp") || strings.HasSuffix(name, ".lock"):
			others = append(others, name)
		}
	}
	if len(entries) == 0 && len(others) == 0 {
		return 0, nil
	}
	unlock, err := o.lock()
	if err != nil {
		return 0, err
	}
	defer unlock()
	sp, err := o.openSpool()
	if err != nil {
		return 0, err
	}
	defer sp.close()
	for _, name := range entries {
		if err := o.migrateV1Entry(sp, name); err != nil {
			return 0, err
		}
	}
	removed := 0
	for _, name := range others {
		if os.Remove(filepath.Join(o.Dir, name)) == nil && !strings.HasSuffix(name, ".lock") {
			removed++
		}
	}
	return removed, nil
}

func (o *Outbox) migrateV1Entry(sp *spool, name string) error {
	path := filepath.Join(o.Dir, name)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	var old v1Entry
	if err := json.Unmarshal(data, &old); err != nil {
		return fmt.Errorf("outbox: %s (an entry of erase 0.1): %w", path, err)
	}
	id := strings.TrimSuffix(name, ".json")
	if old.ID != id || old.File == "" || old.File != filepath.Base(old.File) {
		return fmt.Errorf("outbox: %s (an entry of erase 0.1) does not name its message", path)
	}
	msg, err := os.ReadFile(filepath.Join(o.Dir, old.File))
	if err != nil {
		return fmt.Errorf("outbox: %s names %s: %w", path, old.File, err)
	}
	state := old.State
	switch state {
	case StatePending, StateSent, StateFailed:
	default:
		state = StatePending
	}
	e := old.Entry
	file, err := encodeEntry(e, msg)
	if err != nil {
		return err
	}
	tmp, err := sp.write(file, true)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if state == StateSent && !old.SentAt.IsZero() {
		if err := os.Chtimes(tmp, old.SentAt, old.SentAt); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
	}
	target := o.path(state, id)
	if err := os.Link(tmp, target); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("outbox: %w", err)
	}
	atomicfile.SyncDir(filepath.Dir(target))
	// The entry file last: until it goes, a crash repeats the migration.
	os.Remove(filepath.Join(o.Dir, old.File))
	os.Remove(filepath.Join(o.Dir, id+".lock"))
	return os.Remove(path)
}
