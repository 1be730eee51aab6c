# erase: build, test, lint and benchmark. Needs only Go (and make).
GO      ?= go
# erase --version comes from what the Go tool stamps (the module version,
# else the commit): the same for make build and go install. A release
# may set VERSION=v1.2.3 to name it.
VERSION ?=
LDFLAGS := -s -w $(if $(VERSION),-X main.version=$(VERSION))

.PHONY: all build test vet lint fmt generate golden man bench fuzz clean

all: build

## build: the erase binary in bin/
build:
	$(GO) build -trimpath -buildvcs=auto -ldflags "$(LDFLAGS)" -o bin/erase ./cmd/erase

## test: vet, lint, then every test (unit, testscript, real SMTP): the packages with the race
## detector; cmd/erase without it, since its scripts and crash tests run erase as a process
## (the race detector would make each run of the test binary several times slower)
test: vet lint
	$(GO) test -race -count=1 $$($(GO) list ./... | grep -v '/cmd/erase$$')
	$(GO) test -count=1 ./cmd/erase/

vet:
	$(GO) vet ./...

## lint: gofmt and staticcheck (pinned in go.mod as a tool)
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) tool staticcheck ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

## generate: remake the build-time snapshots (jurisdictions/snapshot.gob, internal/pdffont/fontcuts) after editing their sources (a test says when)
generate:
	$(GO) generate ./...

## man: remake the man pages in docs/man from the commands' help (a test says when they are stale)
man:
	UPDATE_MAN=1 $(GO) test -count=1 -run TestManPagesCurrent ./cmd/erase/

## golden: rewrite the golden letters (testscript files, PDFs) after a deliberate change
golden:
	UPDATE_GOLDEN=1 ERASE_UPDATE_GOLDEN=1 $(GO) test ./cmd/erase/ ./letters/

## bench: benchmarks for composing and rendering letters, PDF batches and SMTP delivery
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## fuzz: run each fuzz target in FUZZ_TARGETS (package:Func) for FUZZTIME; one missing from its package is skipped
FUZZTIME     ?= 30s
FUZZ_TARGETS ?= mail:FuzzRender profile:FuzzDecode letters:FuzzCompose letters:FuzzPDF
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; fn=$${t#*:}; \
		if ! grep -qs "^func $$fn(" ./$$pkg/*_test.go; then echo "fuzz: no $$fn in ./$$pkg, skipped"; continue; fi; \
		echo "fuzz: $$fn in ./$$pkg for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) ./$$pkg/ || exit 1; \
	done

clean:
	rm -rf bin
