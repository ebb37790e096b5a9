#!/usr/bin/python3
"""bench_members' JSON output (Google Benchmark, aggregates of repetitions) to
bench/members/RESULTS.md. Called by bench/members/run.sh with the JSON path, the Markdown
path ("-": print only) and key=value facts about the run. Standard library only.
"""

import json
import sys

json_path, md_path = sys.argv[1], sys.argv[2]
facts = dict(a.split("=", 1) for a in sys.argv[3:])
doc = json.load(open(json_path))
UNIT = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}

median, cv = {}, {}
for b in doc["benchmarks"]:
    if b.get("run_type") != "aggregate":
        continue
    if b["aggregate_name"] == "median":
        median[b["run_name"]] = b["cpu_time"] * UNIT[b["time_unit"]]  # in ns
    elif b["aggregate_name"] == "cv":
        cv[b["run_name"]] = b["cpu_time"]  # a fraction


def t(ns):
    if ns is None:
        return "—"
    if ns >= 1e6:
        return "{:,.2f} ms".format(ns / 1e6)
    if ns >= 1e4:
        return "{:,.1f} µs".format(ns / 1e3)
    if ns >= 1e3:
        return "{:,.2f} µs".format(ns / 1e3)
    return "{:.1f} ns".format(ns)


def get(name):
    return median.get(name)


def cell(name):
    v = get(name)
    if v is None:
        return "—"
    c = cv.get(name)
    return t(v) + (" ±{:.0f} %".format(100 * c) if c is not None and c >= 0.05 else "")


def ratio(a, b):
    return "{:,.1f}×".format(a / b) if a and b else "—"


ALGORITHMS = (("round_robin", "round_robin"),
              ("least_outstanding_requests", "least_outstanding_requests"),
              ("weighted_random", "weighted_random"))
pick_rows = []
for key, label in ALGORITHMS:
    for down, state in ((0, "all routable"), (50, "half not routable")):
        small = "BM_Pick_%s/targets:3/down:%d" % (key, down)
        big = "BM_Pick_%s/targets:5000/down:%d" % (key, down)
        pick_rows.append([label, state, cell(small), cell(big), ratio(get(big), get(small))])

load_rows = [[str(n) + (" (16 words inline)" if n == 1024 else "") +
              (" (17 words: the worker's scratch)" if n == 1025 else "") +
              (" (79 words: the worker's scratch)" if n == 5000 else ""),
              cell("BM_RoutableLoad/targets:%d" % n)] for n in (3, 1024, 1025, 5000)]
change_rows = [["prepare() + install() on every worker, %d worker%s" % (w, "s" if w > 1 else ""),
                cell("BM_PrepareInstall/targets:5000/workers:%d" % w)] for w in (1, 2, 8)]
change_rows.append(["install() alone, one worker (frees its previous copy)",
                    cell("BM_Install/targets:5000")])
def table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    return "\n".join(out + ["| " + " | ".join(r) + " |" for r in rows])


rr3 = get("BM_Pick_round_robin/targets:3/down:0")
rr5k = get("BM_Pick_round_robin/targets:5000/down:0")
load5k = get("BM_RoutableLoad/targets:5000")
load1024 = get("BM_RoutableLoad/targets:1024")
load1025 = get("BM_RoutableLoad/targets:1025")
lor3 = get("BM_Pick_least_outstanding_requests/targets:3/down:0")
lor5k = get("BM_Pick_least_outstanding_requests/targets:5000/down:0")
pi1 = get("BM_PrepareInstall/targets:5000/workers:1")
pi2 = get("BM_PrepareInstall/targets:5000/workers:2")
pi8 = get("BM_PrepareInstall/targets:5000/workers:8")
rr5k_half = get("BM_Pick_round_robin/targets:5000/down:50")
rr3_half = get("BM_Pick_round_robin/targets:3/down:50")
per_worker = (pi8 - pi1) / 7 if pi8 and pi1 else None

reading = [
    "- **round_robin and weighted_random, all targets routable (the usual state): flat.** "
    "A round-robin pick costs %s with 3 targets and %s with 5,000 (%s): `RoutableSet` keeps "
    "the routable count beside the bits, and while it equals the group's size the k-th "
    "routable target is target k, so nothing is copied or scanned. With half the targets "
    "not routable the pick copies the bits (79 words at 5,000 targets, into the worker's "
    "scratch: no allocation) and walks them to the k-th routable one: %s against %s at 3 "
    "targets. `RoutableSet::load` alone, one target down: %s at 5,000 targets, %s at 1,024, "
    "%s at 1,025." % (
        t(rr3), t(rr5k), ratio(rr5k, rr3), t(rr5k_half), t(rr3_half), t(load5k), t(load1024),
        t(load1025)),
    "- **least_outstanding_requests scans every target by design** (ALB's semantics: the "
    "fewest in flight over the whole group): %s per pick at 3 targets, %s at 5,000 (%s), "
    "about %.1f ns per target. Per candidate the loop loads that target's `outstanding` "
    "counter, which sits on its own cache line behind a `shared_ptr` (5,000 lines = 320 "
    "KiB, beyond L1), and takes a `%%` for the rotating start; `perf annotate` (2026-12-07) "
    "put most samples on that load and about a tenth on the division. With half the "
    "targets not routable it is hardly cheaper: the loop still visits every index. At "
    "5,000 targets that is as much CPU per request as a whole proxied request costs tern "
    "(bench/RESULTS.md: roughly 15–20 µs at 256 connections): large groups should use "
    "round_robin, or this algorithm would need "
    "sampling (e.g. the best of two random routable targets, Envoy's default for "
    "least-request) or an index kept up to date as counts change." % (
        t(lor3), t(lor5k), ratio(lor5k, lor3), (lor5k - lor3) / 5000 if lor5k and lor3 else 0),
    "- **A change costs the control thread little in this layer**: %s for one worker, %s "
    "for two, %s for eight (about %s per extra worker: each gets its own copy of 5,000 "
    "`shared_ptr`s, i.e. 5,000 atomic increments, so that holding one costs a worker a "
    "plain increment). `install()` on the worker (dropping its previous copy: 5,000 atomic "
    "decrements) is %s. These are far below the cost of the admin call around them "
    "(bench/CHURN.md: tens of milliseconds per call of 1,000 targets, spent in the health "
    "monitor's per-group bookkeeping and the listing the answer carries)." % (t(pi1), t(pi2), t(pi8), t(per_worker), t(get("BM_Install/targets:5000"))),
]

out = [
    "# Member lists: pick cost against group size",
    "",
    "What one `TargetGroup::pick` costs (as `Exchange` calls it, with a hold on the member "
    "list) for a group of 3 and of 5,000 targets, all routable and with every other target "
    "not routable; what the copy of the routable bits inside it costs; and what one "
    "membership change costs the control thread (`prepare()` of a 5,000-target list plus "
    "`install()` of each worker's copy). Source: `bench/members/members_bench.cpp`; "
    "written by `bench/members/run.sh` (do not edit by hand).",
    "",
    "## Command",
    "",
    "```",
    facts["command"],
    "```",
    "",
    "which builds `bench_members` (Release, `-j2`) in `build-bench/` and runs:",
    "",
    "```",
    facts["binary_command"],
    "```",
    "",
    "`bench_members` is configured whenever Google Benchmark is installed "
    "(`libbenchmark-dev`; option `TERN_BENCH_MEMBERS`, default ON), like `bench_router`; "
    "ctest does not run it.",
    "",
    "## Machine",
    "",
    "%s × %s, %s, %s; tern `%s`; run %s. Load average %s before, %s after. Google Benchmark "
    "reports its own library as a debug build (Debian's package); that does not touch the "
    "timed code. The figures are medians of %s repetitions, CPU time; **provisional** when "
    "the load average was above ~0.5 (the machine is shared with builds): rerun the "
    "command on a quiet machine for final figures." % (
        facts["nproc"], facts["cpu_model"], facts["kernel"], facts["gxx"], facts["source"],
        facts["date"], facts["loadavg_before"], facts["loadavg_after"],
        next((b["repetitions"] for b in doc["benchmarks"] if "repetitions" in b), "?")),
    "",
    "## Pick",
    "",
    "One worker. `least_outstanding_requests` sees every count at 0 (nothing is forwarded), "
    "so every candidate ties; it visits each one either way. Half not routable = every "
    "other target's bit cleared. A ± figure is the coefficient of variation over the "
    "repetitions when it is 5 % or more.",
    "",
    table(["algorithm", "targets", "3 targets", "5,000 targets", "5,000 ÷ 3"], pick_rows),
    "",
    "## The copy of the routable bits (`RoutableSet::load` into a fresh `View`)",
    "",
    table(["targets", "per pick"], load_rows),
    "",
    "## One membership change, 5,000 targets",
    "",
    "Two lists of 5,000 alternate, so every `install()` drops the worker's copy of the "
    "other list, as a whole replacement does. All of it runs on one thread here; in tern "
    "`prepare()` runs on the control thread and each `install()` on its worker. Building "
    "the list itself (`TargetRegistry::members`) is not included.",
    "",
    table(["what", "per change"], change_rows),
    "",
    "## Reading them",
    "",
] + reading + [""]

text = "\n".join(out)
if md_path == "-":
    print(text)
else:
    with open(md_path, "w") as f:
        f.write(text)
    print("members: wrote %s" % md_path)
print(table(["pick", "targets", "3", "5,000", "5,000 ÷ 3"], pick_rows))
