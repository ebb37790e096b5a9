# tern: the README's two commands are ./scripts/run and ./scripts/test (they need only bash
# and bring make themselves); `make run` and `make test` do the same where make is installed.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build test run check asan bench bench-failover bench-churn clean format fresh-check fresh-check-run

all: build

deps:
	@bash scripts/deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DTERN_WERROR=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) --timeout 600

# Address+UndefinedBehavior sanitizers over the same suite.
asan:
	$(MAKE) test BUILD_DIR=build-asan BUILD_TYPE=Debug CMAKE_FLAGS=-DTERN_SANITIZE=ON

run: build
	bash packaging/demo/run.sh $(BUILD_DIR)

bench: deps
	bash bench/run.sh

# Requests lost when one of three backends is killed under load: tern, nginx, HAProxy.
bench-failover: deps
	bash bench/failover.sh

# tern under load while its whole member list (5,000 targets) is replaced every second
# through the admin API, against the same load without churn (bench/CHURN.md).
bench-churn: deps
	bash bench/churn.sh

# The README's test command in a fresh minimal Debian 12 chroot (debootstrap, cached), as
# root; prints the result and each phase's time. Minutes; not part of `make test`.
fresh-check:
	bash scripts/fresh-check.sh test

# The README's run command in the same kind of chroot, until the demo answers a curl.
fresh-check-run:
	bash scripts/fresh-check.sh run

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build build-asan build-bench build-bench-uring
