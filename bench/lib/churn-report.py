#!/usr/bin/python3
"""The raw outputs of one `make bench-churn` run (bench/churn.sh) to a table on stdout and
the Markdown page (bench/CHURN.md, or the path given; "-" writes none).

Reads WORK/meta.tsv, WORK/runs.tsv (run user_jiffies sys_jiffies status), WORK/raw/wrk-{a,b}.txt
(wrk --latency, with the `figures`/`status` lines of bench/lib/wrk-report.lua when it was
used), WORK/raw/{start,end}-b.txt (ms), WORK/churn.tsv (replacement start_ms end_ms ok
calls), WORK/raw/churn-calls.txt (replacement METHOD range call code time_s bytes),
WORK/raw/register.txt, WORK/raw/counts-*.txt, WORK/raw/log-{start,end}-{a,b}.txt (line
numbers of tern's log; (b)'s end is 1 s after the last replacement, so drains count) and
tern's log WORK/tern.err. Reuses the wrk parser and table helpers of bench/report.py.
Standard library only.
"""

import os
import re
import statistics
import sys

work, md_path = sys.argv[1], sys.argv[2]
sys.dont_write_bytecode = True  # no bench/__pycache__ left behind
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from report import parse_wrk, text_table, md_table, read_tsv, TIME_UNITS  # noqa: E402

RUNS = (("a", "(a) no churn"), ("b", "(b) member list replaced every %s s"))
# Lines about targets joining and leaving: counted, not quoted.
MEMBERSHIP = re.compile(r"^\S+ info target \S+ of \"[^\"]*\" (added|draining|removed|back|is \w+)")


def read(path, default=""):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def read_int(path):
    text = read(path).strip()
    return int(text) if text.lstrip("-").isdigit() else None


def n(v, digits=0):
    if v is None:
        return "—"
    return "{:,.{d}f}".format(v, d=digits)


def ms(v):
    if v is None:
        return "—"
    return "{:,.2f}".format(v) if v < 100 else "{:,.0f}".format(v)


meta = dict((r[0], r[1] if len(r) > 1 else "") for r in read_tsv(os.path.join(work, "meta.tsv")))
clk_tck = int(meta["clk_tck"])
interval_s = int(meta["interval_ms"]) / 1000
problems = []
log_lines = read(os.path.join(work, "tern.err")).splitlines()

runs = {}
for name, user_j, sys_j, status in read_tsv(os.path.join(work, "runs.tsv")):
    text = read(os.path.join(work, "raw", "wrk-%s.txt" % name))
    w = parse_wrk(text)
    m = re.search(r"^\s+Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s|m|h)\s", text, re.M)
    w["max_ms"] = float(m.group(1)) * TIME_UNITS[m.group(2)] if m else None
    # Exact figures from wrk-report.lua, when it was used.
    m = re.search(r"^figures (.*)$", text, re.M)
    if m:
        f = dict(kv.split("=") for kv in m.group(1).split())
        w["p50_ms"] = int(f["p50_us"]) / 1000
        w["p99_ms"] = int(f["p99_us"]) / 1000
        w["max_ms"] = int(f["max_us"]) / 1000
    w["statuses"] = {int(c): int(k) for c, k in re.findall(r"^status (\d+) (\d+)$", text, re.M)}
    w["cpu_us"] = w["cpu_share"] = None
    if status == "ok" and w["requests"]:
        w["cpu_us"] = (int(user_j) + int(sys_j)) / clk_tck * 1e6 / w["requests"]
        w["cpu_share"] = (int(user_j) + int(sys_j)) / clk_tck / int(meta["duration"])
    w["status"] = status
    first = read_int(os.path.join(work, "raw", "log-start-%s.txt" % name)) or 0
    last = read_int(os.path.join(work, "raw", "log-end-%s.txt" % name))
    w["log"] = log_lines[first:last]
    runs[name] = w
    label = dict(RUNS)[name].replace("%s", "%g" % interval_s)
    if status != "ok":
        problems.append("%s: %s (raw/wrk-%s.txt)" % (label, status, name))
    if not w["requests"]:
        problems.append("%s: no requests completed (raw/wrk-%s.txt)" % (label, name))
    socket = sum(w["socket_errors"].values())
    if socket:
        problems.append("%s: wrk socket errors %s" % (label, w["socket_errors"]))
    if w["non_2xx_3xx"] or w["statuses"]:
        codes = ", ".join("%d × %d" % (k, c) for c, k in sorted(w["statuses"].items()))
        problems.append("%s: %d non-2xx/3xx responses%s" % (
            label, w["non_2xx_3xx"], " (" + codes + ")" if codes else ""))

# Replacements during (b): those that ended while wrk ran.
b_start = read_int(os.path.join(work, "raw", "start-b.txt"))
b_end = read_int(os.path.join(work, "raw", "end-b.txt"))
replacements = []
for num, start, end, ok, calls in read_tsv(os.path.join(work, "churn.tsv")):
    replacements.append({"n": int(num), "start": int(start), "end": int(end), "ok": int(ok),
                         "calls": int(calls), "wall_ms": int(end) - int(start)})
calls = [dict(zip(("n", "method", "range", "call", "code", "time_s", "bytes"), r.split()))
         for r in read(os.path.join(work, "raw", "churn-calls.txt")).splitlines() if r.strip()]
# All replacements were started while wrk ran (the loop stops starting new ones when it
# ends, and the one under way is let finish so the list stays one range).
succeeded = [r for r in replacements if r["ok"] == r["calls"]]
complete = [r for r in succeeded if b_end is None or r["end"] <= b_end]
loop_end = read_int(os.path.join(work, "raw", "loop-end-b.txt"))
late_ms = (loop_end - b_end) if loop_end and b_end and replacements and \
    replacements[-1]["end"] > b_end else 0
for r in replacements:
    if r["ok"] != r["calls"]:
        bad = ["%s %s → %s" % (c["method"], c["call"], c["code"]) for c in calls
               if int(c["n"]) == r["n"] and c["code"] != "200"]
        problems.append("replacement %d: %d of %d API calls answered 200 (%s)" % (
            r["n"], r["ok"], r["calls"], ", ".join(bad) or "calls missing"))
if replacements and not complete:
    problems.append("no replacement of the member list completed during (b)'s %s s (%d started; "
                    "see Replacements): the run measured tern while one was under way, not "
                    "one per %g s" % (meta["duration"], len(replacements), interval_s))
api = {}
for method in ("POST", "DELETE"):
    times = [float(c["time_s"]) * 1000 for c in calls if c["method"] == method and c["code"] == "200"]
    sizes = [int(c["bytes"]) for c in calls if c["method"] == method and c["code"] == "200"]
    api[method] = {"times": times, "sizes": sizes}
per_replacement_api = {}  # n -> sum of the calls' own times (ms)
for c in calls:
    per_replacement_api[int(c["n"])] = per_replacement_api.get(int(c["n"]), 0) + float(
        c["time_s"]) * 1000
register = [line.split() for line in read(os.path.join(work, "raw", "register.txt")).splitlines()
            if line.strip()]
counts = {k: read(os.path.join(work, "raw", "counts-%s.txt" % k)).split()
          for k in ("start", "a", "b")}
if os.path.exists(os.path.join(work, "raw", "tern-died.txt")):
    problems.append("tern exited during the run; its log ends: " + " | ".join(log_lines[-3:]))
expected = meta["targets"]
for k in ("a", "b"):
    c = counts[k]
    if c and c[0] != expected:
        problems.append("after run (%s) the group lists %s members (expected %s) and %s draining" % (
            k, c[0], expected, c[1] if len(c) > 1 else "?"))

# tern's log during each run: membership lines counted, every other line quoted.
log_summary = {}
for name, w in runs.items():
    kinds = {}
    other = []
    for line in w["log"]:
        m = MEMBERSHIP.match(line)
        if m:
            kinds[m.group(1)] = kinds.get(m.group(1), 0) + 1
        else:
            other.append(line)
    log_summary[name] = (kinds, other)


def spread(values, fmt=ms):
    if not values:
        return "—"
    q = sorted(values)
    if len(q) == 1:
        return fmt(q[0])
    p = lambda x: q[min(len(q) - 1, int(round(x * (len(q) - 1))))]  # noqa: E731
    return "%s (min %s, p90 %s, max %s)" % (fmt(statistics.median(q)), fmt(q[0]), fmt(p(0.9)),
                                            fmt(q[-1]))


HEAD = ["run", "requests", "req/s", "p50 ms", "p99 ms", "max ms", "non-2xx", "socket errors",
        "tern CPU µs/req", "tern CPU"]
rows = []
for name, label in RUNS:
    w = runs.get(name)
    if not w:
        continue
    non2xx = w["non_2xx_3xx"]
    if w["statuses"]:
        non2xx = sum(w["statuses"].values())
    codes = " (" + ", ".join("%d: %d" % kv for kv in sorted(w["statuses"].items())) + ")" \
        if w["statuses"] else ""
    se = w["socket_errors"]
    rows.append([label.replace("%s", "%g" % interval_s), n(w["requests"]), n(w["rps"]),
                 ms(w["p50_ms"]), ms(w["p99_ms"]), ms(w["max_ms"]), "%d%s" % (non2xx, codes),
                 "%d" % sum(se.values()) + (" (c %d, r %d, w %d, t %d)" % (
                     se["connect"], se["read"], se["write"], se["timeout"]) if sum(se.values()) else ""),
                 n(w["cpu_us"], 2),
                 "—" if w["cpu_share"] is None else "{:.0f} %".format(100 * w["cpu_share"])])

wall = [r["wall_ms"] for r in succeeded]
api_sum = [per_replacement_api[r["n"]] for r in succeeded if r["n"] in per_replacement_api]
churn_rows = [
    ["complete replacements during (b)", "%d in %s s (each = %d POST + %d DELETE calls of ≤ %s "
     "targets)" % (len(complete), meta["duration"], int(meta["calls_per_range"]),
                   int(meta["calls_per_range"]), meta["per_call"])],
    ["replacements started during (b)", "%d; %s" % (
        len(replacements), "the last one finished %s s after wrk ended" % n(late_ms / 1000, 1)
        if late_ms else "none was under way when wrk ended")],
    ["replacement, wall time (first POST sent → last DELETE answered), ms", spread(wall)],
    ["replacement, sum of its calls' times (curl time_total), ms", spread(api_sum)],
    ["one POST of ≤ %s targets (answered once every worker has the list), ms" % meta["per_call"],
     spread(api["POST"]["times"])],
    ["one DELETE of ≤ %s targets, ms" % meta["per_call"], spread(api["DELETE"]["times"])],
    ["answer size of a POST / DELETE (the group's listing), bytes", "%s / %s" % (
        n(statistics.median(api["POST"]["sizes"])) if api["POST"]["sizes"] else "—",
        n(statistics.median(api["DELETE"]["sizes"])) if api["DELETE"]["sizes"] else "—")],
    ["start-up registration, %d calls, ms each" % len(register),
     ", ".join(ms(float(r[4]) * 1000) for r in register) or "—"],
    ["members / draining listed: after registration, after (a), 1 s after (b)",
     " · ".join("%s / %s" % tuple((counts[k] + ["?", "?"])[:2]) for k in ("start", "a", "b"))],
]
kinds_b, _ = log_summary.get("b", ({}, []))
log_rows = []
for name, label in RUNS:
    kinds, other = log_summary.get(name, ({}, []))
    log_rows.append([label.replace("%s", "%g" % interval_s),
                     ", ".join("%s %s" % (k, n(v)) for k, v in sorted(kinds.items())) or "none",
                     str(len(other))])

print(text_table(HEAD, rows))
print()
print(text_table(["replacements", ""], churn_rows))
print()
for p in problems:
    print("PROBLEM: " + p)
for name, _ in RUNS:
    for line in log_summary.get(name, ({}, []))[1][:20]:
        print("tern log (%s): %s" % (name, line))

def interpretation():
    """One generated paragraph, so a rerun never leaves a stale reading behind."""
    a, b = runs.get("a"), runs.get("b")
    if not a or not b or not a["rps"] or not b["rps"]:
        return "No reading: a run gave no figures (see Problems seen)."
    bad_a = sum(a["statuses"].values()) or a["non_2xx_3xx"]
    bad_b = sum(b["statuses"].values()) or b["non_2xx_3xx"]
    sock = sum(a["socket_errors"].values()) + sum(b["socket_errors"].values())
    text = ("Replacing all %s targets every %g s (%d complete replacements during the run, %s "
            "ms each at the median) left tern at %.0f %% of its no-churn throughput (%s against %s req/s); "
            "p99 went from %s to %s ms and the maximum from %s to %s ms, and tern's CPU per "
            "request from %s to %s µs." % (
                n(int(meta["targets"])), interval_s, len(complete),
                ms(statistics.median(wall)) if wall else "—", 100 * b["rps"] / a["rps"],
                n(b["rps"]), n(a["rps"]), ms(a["p99_ms"]), ms(b["p99_ms"]), ms(a["max_ms"]),
                ms(b["max_ms"]), n(a["cpu_us"], 2), n(b["cpu_us"], 2)))
    if wall and statistics.median(wall) > interval_s * 1000:
        text += (" A replacement took longer than the %g s interval (%s s at the median), so "
                 "the loop ran back to back: the churn rate was limited by the API, not by "
                 "the loop, and (b) measures tern while its control thread, on the same CPU as "
                 "the worker, is busy applying changes the whole time." % (
                     interval_s, n(statistics.median(wall) / 1000, 1)))
    if bad_a or bad_b or sock:
        text += (" Requests that did not get a 2xx: %d without churn, %d with churn; socket "
                 "errors: %d (see Problems seen and tern's log above)." % (bad_a, bad_b, sock))
    else:
        text += " Every request got a 2xx in both runs and no socket error was seen."
    return text


print(interpretation())
if md_path == "-":
    sys.exit(0)

other_lines = []
for name, label in RUNS:
    kinds, other = log_summary.get(name, ({}, []))
    if other:
        other_lines += ["", "During %s (%d lines, the first 40):" % (
            label.replace("%s", "%g" % interval_s), len(other)), "", "```"] + other[:40] + ["```"]

out = [
    "# tern under membership churn",
    "",
    "Written by `make bench-churn` (bench/churn.sh); do not edit by hand. Rerun with:",
    "",
    "```", meta["command"], "```",
    "",
    "Run %s; took %s s, of which %s s building tern. tern built from `%s` (git describe of "
    "the working tree)." % (meta["started"], meta["elapsed_seconds"], meta["build_seconds"],
                            meta["tern_source"]),
    "",
    "## Machine",
    "",
    "| | |", "| --- | --- |",
    "| CPUs | %s × %s |" % (meta["nproc"], meta["cpu_model"]),
    "| kernel | %s |" % meta["kernel"],
    "| load average | %s before, %s after (the machine may be shared: figures are provisional "
    "unless it was quiet) |" % (meta["loadavg_before"], meta["loadavg_after"]),
    "| tern | %s |" % meta["tern"], "| wrk | %s |" % meta["wrk"], "| curl | %s |" % meta["curl"],
    "",
    "## Setup",
    "",
    "- One benchmark backend (bench/backend/backend.c) listening on 0.0.0.0:%s: every "
    "address of 127.0.0.0/8 reaches it, so the %s targets 127.R.X.Y:%s (range R = 0 or 1, "
    "X = i / 250, Y = i %% 250 + 1) are %s distinct targets of one process." % (
        meta["backend_port"], n(int(meta["targets"])), meta["backend_port"],
        n(int(meta["targets"]))),
    "- tern: `workers: 1`, one listener, one group `app` with `deregistration_delay: 0` and "
    "`health_check: { enabled: false }` and no targets in the file; range 0 registered "
    "through `POST /v1/target-groups/app/targets` in %s calls of at most %s. tern (all its "
    "threads, so the admin API's control thread too) pinned to CPU 0; wrk, the backend "
    "and curl to CPU 1." % (meta["calls_per_range"], meta["per_call"]),
    "- A %s s warm-up gives every target a pooled upstream connection; then two runs of "
    "`%s` on GET /: (a) no churn; (b) while a loop replaces the whole member list every "
    "%g s: `POST` the other range (%s calls, one curl process with `--next`), then `DELETE` "
    "the current one (%s calls), alternating ranges. A replacement that takes longer than "
    "the interval is followed at once by the next. A replacement counts when it ended "
    "before wrk did and all its calls answered 200." % (
        meta["warmup"], meta["wrk_args"], interval_s, meta["calls_per_range"],
        meta["calls_per_range"]),
    "- A 200 from the API means every worker has the new list (spec: \"When it takes "
    "effect\"); with delay 0 an old target leaves once no request to it is in flight.",
    "- Every new target needs a new upstream connection: in (b) that is one connect per "
    "target per replacement (plus closing the old targets' pooled ones), which is part of "
    "what churn costs any proxy.",
    "- tern CPU µs/req: user+sys jiffies of the tern process (every thread) over wrk's run ÷ "
    "requests; tern CPU: the same jiffies as a share of one CPU over the run's length. In (b) it includes the admin API's work (parsing the bodies, building and "
    "publishing the lists, the JSON listing in every answer) on the same CPU.",
    "%s" % ("- wrk ran with bench/lib/wrk-report.lua: exact p50/p99/max in µs and a count "
            "per non-2xx status code (it hands every response to Lua: same cost in both "
            "runs)." if meta["wrk_script"] == "1" else
            "- Plain wrk (CHURN_WRK_SCRIPT=0): figures as wrk prints them, non-2xx not "
            "split by status."),
    "",
    "## Load",
    "",
    md_table(HEAD, rows),
    "",
    "## Replacements",
    "",
    md_table(["", ""], churn_rows),
    "",
    "Times are median (min, p90, max), or the one value, over every replacement whose calls all answered 200, "
    "including one that finished after wrk ended; calls, over every call of those.",
    "",
    "## tern's log during the runs",
    "",
    md_table(["run", "membership lines", "other lines"], log_rows),
]
out += other_lines
out += ["", "## Problems seen", ""]
out += ["- " + p for p in problems] or ["None: no socket errors, no non-2xx responses, every "
                                        "API call answered 200, tern stayed up."]
out += ["", "## Reading it", "", interpretation(), ""]
with open(md_path, "w") as f:
    f.write("\n".join(out))
