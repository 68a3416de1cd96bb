# kechuang — the four commands a person needs. Everything else is Meson's job.
#   make run        install what is missing, build, serve the demo at http://127.0.0.1:8080
#   make test       install what is missing, build, run every suite (unit, API, browser)
#   make bench      build, then print the benchmark figures
#   make test-asan  the same tests against an ASan + UBSan build

BUILD      ?= build
ASAN_BUILD ?= build-asan
DATA       ?= ./var
LISTEN     ?= 127.0.0.1:8080
# search_bench: 1M synthetic documents for the matcher; FTS5 gets the same corpus but
# fewer timed queries (its long OR queries take seconds each). Override for a quick run,
# e.g. SEARCH_BENCH_ARGS="--docs 100000".
SEARCH_BENCH_ARGS ?= --docs 1000000 --fts-queries 10

.PHONY: all build ui run test test-unit test-api test-browser test-asan bench clean bootstrap

all: build

bootstrap:
	scripts/bootstrap

# The UI is built first: its files are embedded into the binary.
ui:
	cd web && npm run --silent build

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized -Dwerror=true

build: bootstrap ui $(BUILD)/build.ninja
	ninja -C $(BUILD)

run: build
	$(BUILD)/kechuang serve --demo --data $(DATA) --listen $(LISTEN)

test: export KC_BIN = $(abspath $(BUILD)/kechuang)
test:
	scripts/bootstrap --test
	$(MAKE) --no-print-directory build
	$(MAKE) --no-print-directory test-unit test-api test-browser

test-unit:
	meson test -C $(BUILD) --suite unit --print-errorlogs

test-api:
	node --test --test-concurrency=1 tests/api/

test-browser:
	node --test --test-concurrency=1 web/tests/e2e/

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

test-asan: export KC_BIN = $(abspath $(ASAN_BUILD)/kechuang)
test-asan: export ASAN_OPTIONS = detect_leaks=1:abort_on_error=1
test-asan: export UBSAN_OPTIONS = print_stacktrace=1:halt_on_error=1
test-asan: export LSAN_OPTIONS = suppressions=$(abspath tests/lsan.supp)
test-asan:
	scripts/bootstrap --test
	$(MAKE) --no-print-directory ui $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)
	meson test -C $(ASAN_BUILD) --suite unit --print-errorlogs
	node --test --test-concurrency=1 tests/api/

bench: export KC_BIN = $(abspath $(BUILD)/kechuang)
bench:
	scripts/bootstrap --bench
	$(MAKE) --no-print-directory build
	bench/http.sh
	@if [ -x $(BUILD)/rules_bench ]; then echo; $(BUILD)/rules_bench; fi
	@if [ -x $(BUILD)/search_bench ]; then echo; $(BUILD)/search_bench $(SEARCH_BENCH_ARGS); fi
	@# Module benchmarks: each bench/module-*.sh prints its own figures (import, recompute …).
	@for b in bench/module-*.sh; do [ -x "$$b" ] || continue; echo; "$$b" || exit 1; done

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) web/dist
