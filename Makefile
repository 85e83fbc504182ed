# Liaison — the two commands a newcomer needs, and a few more.
#   make run     set up, build, create ./data/liaison.db with demo data, serve on :8080
#   make check   set up, build with sanitizers, run every test
#   make bench   benchmarks (see bench/README.md); figures go to bench/RESULTS.md
#   make bench-search   only the search benchmark
#   make bench-pack     only the briefing pack's benchmark
#   make bench-symbols  only the document symbols' parser against regexec
#   make bench-worddiff only the comparison of two revisions against GNU diff
#   make bench-extract  only the text of a 100-page PDF against pdftotext
#   make bench-iati     only the reading of a 100 MB IATI activity file against xmllint --stream
#   make bench-funding  only the IATI import against xmllint --stream, and the funding pivot over
#                       1,000,000 and 10,000,000 transactions against a GROUP BY on raw SQLite
#   make bench-tm       only the translation tools: the memory's matching (1,000,000 units; TM_UNITS=10000000
#                       for the large run), TMX import and leverage at 200,000 units and at TM_UNITS
#   make bench-match    only the matching of donors with programmes: hit@10 against baselines, latency
#   make bench-duplicates  only the duplicate check: precision and recall on labelled pairs over the demo
#                       at scales 1 and 10, latency, against every record compared by its words
#   make bench-import   only a migration's import of the scale-100 demo's organizations and persons at
#                       growing sizes: time, memory, growth, against a raw SQLite insert of the same rows
#   make fuzz    every parser under libFuzzer for FUZZ_SECONDS each (clang; tests/fuzz/run)

DB ?= data/liaison.db
LISTEN ?= 127.0.0.1:8080
DEBUG := build/debug
RELEASE := build/release
FUZZ := build/fuzz
FUZZ_SECONDS ?= 30

.PHONY: all setup setup-tests setup-fuzz build run check bench bench-search bench-pack bench-symbols bench-worddiff bench-extract bench-iati bench-funding bench-tm bench-match bench-duplicates bench-import fuzz clean

all: build

setup:
	@tools/setup

setup-tests:
	@tools/setup --tests

$(DEBUG)/build.ninja:
	meson setup $(DEBUG) -Dbuildtype=debug -Db_sanitize=address,undefined

# -O1 as libFuzzer's documentation builds: at -O0 every loop counter is a
# traced comparison, and the harnesses run at half their speed.
$(FUZZ)/build.ninja:
	CC=clang meson setup $(FUZZ) -Ddebug=true -Doptimization=1 -Db_sanitize=address,undefined -Dfuzz=true

$(RELEASE)/build.ninja:
	meson setup $(RELEASE) -Dbuildtype=release -Db_ndebug=true

build: setup $(RELEASE)/build.ninja
	ninja -C $(RELEASE)

run: build
	@mkdir -p $(dir $(DB))
	$(RELEASE)/liaison init --db $(DB)
	$(RELEASE)/liaison demo --db $(DB)
	$(RELEASE)/liaison demo --db $(DB) --inquiries 300
	@echo "Liaison on http://$(LISTEN)/ (Ctrl-C to stop)"
	$(RELEASE)/liaison serve --db $(DB) --listen $(LISTEN)

check: setup-tests $(DEBUG)/build.ninja
	@[ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund
	ninja -C $(DEBUG)
	tests/run $(DEBUG)

bench: build
	@tools/setup --bench
	bench/run $(RELEASE)
	$(RELEASE)/bench_search bench/work/scale100.db
	bench/desk $(RELEASE)
	bench/governance $(RELEASE)
	$(RELEASE)/bench_pack $(RELEASE)/liaison
	$(RELEASE)/bench_symbols
	$(RELEASE)/bench_worddiff
	$(RELEASE)/bench_extract
	$(RELEASE)/bench_segment
	$(RELEASE)/bench_tmx
	$(RELEASE)/bench_iati
	$(RELEASE)/bench_funding
	$(RELEASE)/bench_xliff
	$(MAKE) bench-tm
	$(RELEASE)/bench_match
	$(RELEASE)/bench_duplicates
	bench/import $(RELEASE)
	bench/soak $(RELEASE)

bench-search: build
	@tools/setup --bench
	bench/run $(RELEASE) --prepare-only
	$(RELEASE)/bench_search bench/work/scale100.db

bench-pack: build
	$(RELEASE)/bench_pack $(RELEASE)/liaison

bench-symbols: build
	$(RELEASE)/bench_symbols

bench-worddiff: build
	$(RELEASE)/bench_worddiff

bench-extract: build
	@tools/setup --bench
	$(RELEASE)/bench_extract

bench-iati: build
	$(RELEASE)/bench_iati

bench-funding: build
	$(RELEASE)/bench_funding

bench-match: build
	$(RELEASE)/bench_match

bench-duplicates: build
	$(RELEASE)/bench_duplicates

bench-import: build
	@tools/setup --bench
	bench/run $(RELEASE) --prepare-only
	bench/import $(RELEASE)

TM_UNITS ?= 1000000
bench-tm: build
	$(RELEASE)/bench_tm --units $(TM_UNITS)
	$(RELEASE)/bench_translation --units 200000
	$(RELEASE)/bench_translation --units $(TM_UNITS)

setup-fuzz:
	@tools/setup --fuzz

fuzz: setup-fuzz $(FUZZ)/build.ninja
	ninja -C $(FUZZ) fuzzers
	tests/fuzz/run $(FUZZ) --seconds $(FUZZ_SECONDS)

clean:
	rm -rf build
