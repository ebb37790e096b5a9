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
              (" (17 words: heap)" if n == 1025 else "") + (" (79 words: heap)" if n == 5000 else ""),
              cell("BM_RoutableLoad/targets:%d" % n)] for n in (3, 1024, 1025, 5000)]
change_rows = [["prepare() + install() on every worker, %d worker%s" % (w, "s" if w > 1 else ""),
                cell("BM_PrepareInstall/targets:5000/workers:%d" % w)] for w in (1, 2, 8)]
change_rows.append(["install() alone, one worker (frees its previous copy)",
                    cell("BM_Install/targets:5000")])
sketch_rows = []
for down, state in ((0, "all routable"), (50, "half not routable")):
    sketch_rows.append([state, cell("BM_Pick_round_robin/targets:5000/down:%d" % down),
                        cell("BM_Sketch_round_robin_count/targets:5000/down:%d" % down),
                        cell("BM_Sketch_round_robin_prefix/targets:5000/down:%d" % down),
                        cell("BM_Sketch_round_robin_prefix/targets:3/down:%d" % down)])


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
sk_all = get("BM_Sketch_round_robin_count/targets:5000/down:0")
skp_half = get("BM_Sketch_round_robin_prefix/targets:5000/down:50")
per_worker = (pi8 - pi1) / 7 if pi8 and pi1 else None

reading = [
    "- **Not flat today, for any algorithm.** A round-robin pick costs %s with 3 targets and "
    "%s with 5,000 (%s); weighted_random is the same shape. Neither needs more than the "
    "routable count and the k-th routable index, but `TargetGroup::pick` first copies every routable word into a "
    "`RoutableSet::View` (79 words for 5,000 targets), and above 1,024 targets (16 words) "
    "that copy is a heap allocation and a free per pick: `RoutableSet::load` alone costs %s "
    "at 5,000 targets, %s at 1,024 and %s at 1,025 (the allocation). Then `View::select` "
    "walks the words up to the k-th routable bit (half of them on average) and "
    "`select_bit` clears up to 63 bits one at a time." % (
        t(rr3), t(rr5k), ratio(rr5k, rr3), t(load5k), t(load1024), t(load1025)),
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
    "(bench/CHURN.md: seconds per call of 1,000 targets; bench/README.md, \"Membership "
    "churn\", says where they go)." % (t(pi1), t(pi2), t(pi8), t(per_worker), t(get("BM_Install/targets:5000"))),
]

proposal = [
    "## A cheaper pick (proposal; lb/ is unchanged)",
    "",
    "`round_robin` and `weighted_random` only need the routable count and the k-th routable "
    "index; neither needs a consistent copy of all words. The sketch in "
    "`members_bench.cpp` (`SketchBits`, not tern code) measures two steps:",
    "",
    "1. **Keep the count beside the words** (the single writer updates an atomic count after "
    "each batch of `set()` calls, e.g. at the end of `HealthMonitor::refresh`). When every "
    "target is routable (the normal state) the k-th routable target is target k: no word "
    "is read at all. Otherwise read words in place (relaxed loads, no copy, no allocation) "
    "up to the one holding the k-th bit; if the writer changed a word meanwhile and the bit "
    "is not found, fall back to today's consistent copy.",
    "2. **Also keep, per word, the number of routable bits before it** (rewritten by the "
    "writer in the same batch step): a binary search finds the word holding the k-th bit, "
    "and only that word is read; a mismatch (a racing writer) falls back to the scan.",
    "",
    table(["round_robin pick, 5,000 targets", "tern today", "sketch 1: count", "sketch 2: count "
           "+ prefix", "sketch 2, 3 targets"], sketch_rows),
    "",
    "Step 1 alone makes the all-routable pick flat (%s at 5,000 targets, against %s today) "
    "and is a few lines in `RoutableSet` and the two pickers; step 2 keeps it near flat with "
    "half the targets down (%s). `select_bit` could use `_pdep_u64` where BMI2 is "
    "available to drop its loop. `weighted_random` would take the same path." % (
        t(sk_all), t(rr5k), t(skp_half)),
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
] + reading + [""] + proposal + [""]

text = "\n".join(out)
if md_path == "-":
    print(text)
else:
    with open(md_path, "w") as f:
        f.write(text)
    print("members: wrote %s" % md_path)
print(table(["pick", "targets", "3", "5,000", "5,000 ÷ 3"], pick_rows))
