#!/usr/bin/python3
"""Turns the raw measurements of one `make bench` run into figures.

Reads the run's work directory (written by bench/run.sh and bench/lib/measure.sh):
  meta.tsv        key<TAB>value: machine, versions, command, settings
  rounds.tsv      proxy conns round user_jiffies sys_jiffies tcp_out_segs status  (deltas
                  over the round; + raw/wrk-*.txt)
  syscalls.tsv    proxy conns status  (+ raw/wrk-syscalls-*.txt, raw/perf-syscalls-*.csv)
  idle.tsv        proxy n rss_before_kib rss_after_kib ready still_open status
  callgrind.tsv   proxy requests ir status
  forwarded.txt   the request heads the backend received through each proxy
and writes a table to stdout (ending with one line of ratios), JSON, and optionally the
Markdown page bench/RESULTS.md. Standard library only (run by /usr/bin/python3).
"""

import argparse
import json
import os
import re
import statistics
import sys

PROXIES = ("tern", "nginx", "haproxy")
# tern's peers in the ratios: the two other proxies, and tern-base (a second tern binary,
# BENCH_TERN_BASELINE_BIN) when the run measured one.
BASELINE = "tern-base"


def peers_of(results):
    peers = ["nginx", "haproxy"]
    if BASELINE in results["settings"]["proxies"]:
        peers.append(BASELINE)
    return peers
TIME_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def read_tsv(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def parse_wrk(text):
    """The figures of one wrk --latency output; missing ones are None."""
    out = {"requests": None, "rps": None, "p50_ms": None, "p99_ms": None,
           "socket_errors": {}, "non_2xx_3xx": 0}
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", text)
    if m:
        out["requests"] = int(m.group(1))
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if m:
        out["rps"] = float(m.group(1))
    for pct, key in (("50", "p50_ms"), ("99", "p99_ms")):
        m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s|m|h)\s*$" % pct, text, re.M)
        if m:
            out[key] = float(m.group(1)) * TIME_UNITS[m.group(2)]
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        out["socket_errors"] = {k: int(v) for k, v in
                                zip(("connect", "read", "write", "timeout"), m.groups())}
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        out["non_2xx_3xx"] = int(m.group(1))
    return out


def spread(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "rounds": values}


def note_wrk_errors(where, w, problems):
    """Socket errors and non-2xx/3xx answers of one wrk run, as problems."""
    if sum(w["socket_errors"].values()):
        problems.append("%s: wrk socket errors %s" % (where, w["socket_errors"]))
    if w["non_2xx_3xx"]:
        problems.append("%s: %d non-2xx/3xx responses" % (where, w["non_2xx_3xx"]))


def load_rounds(work, clk_tck, problems):
    """{proxy: {conns: {metric: spread}}} from rounds.tsv and the raw wrk outputs."""
    per = {}
    for name, conns, rnd, user_j, sys_j, out_segs, status in read_tsv(
            os.path.join(work, "rounds.tsv")):
        raw_path = os.path.join(work, "raw", "wrk-%s-c%s-r%s.txt" % (name, conns, rnd))
        text = open(raw_path).read() if os.path.exists(raw_path) else ""
        w = parse_wrk(text)
        cpu = user = sys_ = share = segs = None
        if status == "ok" and w["requests"]:
            user_j, sys_j = int(user_j), int(sys_j)
            cpu = (user_j + sys_j) / clk_tck * 1e6 / w["requests"]
            user = user_j / clk_tck * 1e6 / w["requests"]
            sys_ = sys_j / clk_tck * 1e6 / w["requests"]
            share = sys_j / (user_j + sys_j) if user_j + sys_j else None
            segs = int(out_segs) / w["requests"]
        slot = per.setdefault(name, {}).setdefault(int(conns), {
            "rps": [], "p50_ms": [], "p99_ms": [], "cpu_us_per_request": [],
            "user_us_per_request": [], "sys_us_per_request": [], "sys_share": [],
            "tcp_segments_per_request": [], "requests": 0,
            "socket_errors": 0, "non_2xx_3xx": 0, "status": []})
        if status == "ok":  # a round whose proxy died gives errors, not figures
            slot["rps"].append(w["rps"])
            slot["p50_ms"].append(w["p50_ms"])
            slot["p99_ms"].append(w["p99_ms"])
            slot["cpu_us_per_request"].append(cpu)
            slot["user_us_per_request"].append(user)
            slot["sys_us_per_request"].append(sys_)
            slot["sys_share"].append(share)
            slot["tcp_segments_per_request"].append(segs)
        slot["requests"] += w["requests"] or 0
        slot["socket_errors"] += sum(w["socket_errors"].values())
        slot["non_2xx_3xx"] += w["non_2xx_3xx"]
        slot["status"].append(status)
        where = "%s at %s connections, round %s" % (name, conns, rnd)
        if status != "ok":
            problems.append("%s: %s (see %s)" % (where, status, raw_path))
        note_wrk_errors(where, w, problems)
        if status == "ok" and not w["requests"]:
            problems.append("%s: no requests completed (see %s)" % (where, raw_path))
    for conns_map in per.values():
        for slot in conns_map.values():
            for key in ("rps", "p50_ms", "p99_ms", "cpu_us_per_request", "user_us_per_request",
                        "sys_us_per_request", "sys_share", "tcp_segments_per_request"):
                slot[key] = spread(slot[key])
    return per


def parse_perf_count(text, event="raw_syscalls:sys_enter"):
    """The count of EVENT in `perf stat -x,` output, or None (not counted, missing)."""
    for line in text.splitlines():
        fields = line.split(",")
        if line.startswith("#") or len(fields) < 3 or fields[2] != event:
            continue
        return int(fields[0]) if fields[0].isdigit() else None
    return None


def load_syscalls(work, seconds, problems):
    """{proxy: entry} from syscalls.tsv: the extra run under perf stat at the top count."""
    out = {}
    for name, conns, status in read_tsv(os.path.join(work, "syscalls.tsv")):
        raw_path = os.path.join(work, "raw", "wrk-syscalls-%s.txt" % name)
        perf_path = os.path.join(work, "raw", "perf-syscalls-%s.csv" % name)
        w = parse_wrk(open(raw_path).read() if os.path.exists(raw_path) else "")
        count = parse_perf_count(open(perf_path).read()) if os.path.exists(perf_path) else None
        entry = {"conns": int(conns), "seconds": seconds, "requests": w["requests"],
                 "syscalls": count, "status": status, "syscalls_per_request": None}
        if status == "ok" and count is not None and w["requests"]:
            entry["syscalls_per_request"] = count / w["requests"]
        where = "%s system-call run at %s connections" % (name, conns)
        # perf failing only costs the figure; the proxy failing is a problem.
        if status == "dead" or status.startswith("wrk-exit"):
            problems.append("%s: %s (see %s)" % (where, status, raw_path))
        note_wrk_errors(where, w, problems)
        out[name] = entry
    return out


def load_idle(work, problems):
    out = {}
    for name, n, before, after, ready, still, status in read_tsv(os.path.join(work, "idle.tsv")):
        n = int(n)
        fields = dict(kv.split("=", 1) for kv in ready.split() if "=" in kv)
        ok = int(fields.get("ok", 0))
        entry = {"connections": n, "rss_before_kib": int(before), "rss_after_kib": int(after),
                 "bytes_per_connection": None, "ok": ok, "failed": int(fields.get("failed", n)),
                 "still_open": int(still), "status": status}
        if status == "ok" and ok:
            entry["bytes_per_connection"] = (int(after) - int(before)) * 1024 / n
        if status != "ok" or entry["failed"] or entry["still_open"] < ok:
            problems.append("%s idle test: status %s, %d/%d answered, %d failed, %d still open "
                            "at the end" % (name, status, ok, n, entry["failed"],
                                            entry["still_open"]))
        out[name] = entry
    return out


def load_callgrind(work, problems):
    out = {}
    for name, requests, ir, status in read_tsv(os.path.join(work, "callgrind.tsv")):
        ir = int(ir or 0)
        entry = {"requests": int(requests), "ir": ir, "status": status,
                 "ir_per_request": ir / int(requests) if status == "ok" and ir else None}
        if entry["ir_per_request"] is None:
            problems.append("%s callgrind: %s" % (name, status))
        out[name] = entry
    return out


def median_of(results, name, conns, key):
    s = results["proxies"].get(name, {}).get("load", {}).get(conns, {}).get(key)
    return s["median"] if s else None


def ratio(a, b):
    return a / b if a is not None and b else None


def compute_ratios(results):
    """tern/peer for each headline figure, from medians of the same run."""
    figures = {}
    for conns in results["settings"]["conns"]:
        for key in ("rps", "p50_ms", "p99_ms", "cpu_us_per_request"):
            figures["%s@%d" % (key, conns)] = lambda n, c=conns, k=key: median_of(results, n, c, k)
    figures["bytes_per_idle_connection"] = lambda n: (
        results["proxies"].get(n, {}).get("idle") or {}).get("bytes_per_connection")
    figures["instructions_per_request"] = lambda n: (
        results["proxies"].get(n, {}).get("callgrind") or {}).get("ir_per_request")
    out = {}
    for peer in peers_of(results):
        out["tern/" + peer] = {k: ratio(f("tern"), f(peer)) for k, f in figures.items()}
    return out


def fmt(v, digits=2):
    if v is None:
        return "—"
    if abs(v) >= 1000:
        return "{:,.0f}".format(v)
    return "{:.{d}f}".format(v, d=digits)


def fmt_spread(s, digits=2):
    if not s:
        return "—"
    if len(s["rounds"]) == 1:
        return fmt(s["median"], digits)
    return "%s (%s–%s)" % (fmt(s["median"], digits), fmt(s["min"], digits), fmt(s["max"], digits))


def load_rows(results):
    rows = []
    for conns in results["settings"]["conns"]:
        for name in results["settings"]["proxies"]:
            slot = results["proxies"].get(name, {}).get("load", {}).get(conns)
            if not slot:
                continue
            errors = slot["socket_errors"] + slot["non_2xx_3xx"]
            rows.append([name, str(conns), fmt_spread(slot["rps"], 0),
                         fmt_spread(slot["p50_ms"]), fmt_spread(slot["p99_ms"]),
                         fmt_spread(slot["cpu_us_per_request"]), str(errors)])
    return rows


def cost_rows(results):
    rows = []
    for name in results["settings"]["proxies"]:
        p = results["proxies"].get(name, {})
        idle = p.get("idle") or {}
        cg = p.get("callgrind") or {}
        rows.append([name, fmt(idle.get("bytes_per_connection"), 0),
                     "%s/%s" % (idle.get("ok", "—"), idle.get("connections", "—")),
                     fmt(cg.get("ir_per_request"), 0)])
    return rows


def fmt_pct_spread(s):
    if not s:
        return "—"
    pct = ["{:.0f}%".format(v * 100) for v in (s["median"], s["min"], s["max"])]
    return pct[0] if len(s["rounds"]) == 1 else "%s (%s–%s)" % tuple(pct)


def where_rows(results):
    rows = []
    for conns in results["settings"]["conns"]:
        for name in results["settings"]["proxies"]:
            p = results["proxies"].get(name, {})
            slot = p.get("load", {}).get(conns)
            if not slot:
                continue
            sc = p.get("syscalls") or {}
            syscalls = fmt(sc.get("syscalls_per_request")) if sc.get("conns") == conns else "—"
            rows.append([name, str(conns), fmt_spread(slot.get("user_us_per_request")),
                         fmt_spread(slot.get("sys_us_per_request")),
                         fmt_pct_spread(slot.get("sys_share")), syscalls,
                         fmt_spread(slot.get("tcp_segments_per_request"))])
    return rows


LOAD_HEAD = ["proxy", "conns", "req/s", "p50 ms", "p99 ms", "CPU µs/req", "errors"]
WHERE_HEAD = ["proxy", "conns", "user µs/req", "sys µs/req", "sys share", "syscalls/req",
              "TCP segments/req"]
COST_HEAD = ["proxy", "bytes/idle conn", "idle conns ok", "instructions/req"]


def text_table(head, rows):
    widths = [max(len(r[i]) for r in [head] + rows) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [head] + rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def md_table(head, rows):
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def ratio_line(results):
    parts = []
    top = max(results["settings"]["conns"])
    for peer in peers_of(results):
        r = results["ratios"]["tern/" + peer]
        parts.append("tern/%s: CPU/req@%d %s, req/s@%d %s, p99@%d %s, mem/idle conn %s, "
                     "instr/req %s" % (peer, top, fmt(r.get("cpu_us_per_request@%d" % top)),
                                       top, fmt(r.get("rps@%d" % top)), top,
                                       fmt(r.get("p99_ms@%d" % top)),
                                       fmt(r.get("bytes_per_idle_connection")),
                                       fmt(r.get("instructions_per_request"))))
    return "ratios  " + "  |  ".join(parts)


def targets(results):
    """Issue 3's targets against this run's figures: (label, measured, goal, met)."""
    n = results["ratios"]["tern/nginx"]
    h = results["ratios"]["tern/haproxy"]
    top = max(results["settings"]["conns"])
    tern = results["proxies"].get("tern", {})
    mem = (tern.get("idle") or {}).get("bytes_per_connection")
    rows = [
        ("CPU/request @%d vs nginx" % top, n.get("cpu_us_per_request@%d" % top), "≤ 0.8×", 0.8),
        ("CPU/request @%d vs HAProxy" % top, h.get("cpu_us_per_request@%d" % top), "≤ 0.7×",
         0.7),
        ("instructions/request vs nginx", n.get("instructions_per_request"), "≤ 0.7×", 0.7),
        ("p99 @%d vs nginx" % top, n.get("p99_ms@%d" % top), "≤ 1.0×", 1.0),
    ]
    out = [(label, fmt(v) + "×" if v is not None else "—", goal,
            "—" if v is None else ("yes" if v <= limit else "no")) for label, v, goal, limit in rows]
    out.append(("memory per idle connection", fmt(mem, 0) + " B" if mem is not None else "—",
                "≤ 1024 B", "—" if mem is None else ("yes" if mem <= 1024 else "no")))
    return out


def markdown(results, forwarded):
    m, v, s = results["machine"], results["versions"], results["settings"]
    out = ["# tern benchmark results", "",
           "Written by `make bench` (bench/run.sh); do not edit by hand. Rerun with:", "",
           "```", results["command"], "```", "",
           "Run %s; took %s s, of which %s s building tern. tern built from `%s` (git "
           "describe of the working tree)." % (
               results["started"], results["elapsed_seconds"], results["build_seconds"],
               results["tern_source"]), "",
           "## Machine and versions", "",
           "| | |", "| --- | --- |",
           "| CPUs | %s × %s |" % (m["nproc"], m["cpu_model"]),
           "| kernel | %s |" % m["kernel"],
           "| tern | %s |" % v["tern"]] + (
           ["| tern-base | %s (`%s`) |" % (v[BASELINE], results["tern_base_bin"])]
           if BASELINE in v else []) + [
           "| nginx | %s |" % v["nginx"],
           "| HAProxy | %s |" % v["haproxy"], "| wrk | %s |" % v["wrk"],
           "| compiler | %s |" % v["gxx"], "| valgrind | %s |" % v["valgrind"],
           "| perf | %s |" % v["perf"], "",
           "## Setup", "",
           "- One worker each: tern `workers: 1`, nginx `worker_processes 1`, HAProxy "
           "`nbthread 1`; the proxy pinned to CPU 0, wrk and the backend "
           "(bench/backend/backend.c, single-threaded epoll) to CPU 1.",
] + ([
           "- tern-base: a second tern binary (`%s`, BENCH_TERN_BASELINE_BIN) measured "
           "exactly like tern: the same config, pinning, rounds (right after tern in each) "
           "and measurements; the ratios line compares tern with it." % results["tern_base_bin"]]
           if BASELINE in s["proxies"] else []) + [
           "- Upstream keep-alive for all: nginx `keepalive 1024`, `proxy_http_version 1.1`, "
           "`Connection \"\"`, `keepalive_requests` raised on both sides; HAProxy "
           "`http-reuse always`. No access logs anywhere.",
           "- All three add X-Forwarded-For, X-Forwarded-Proto, X-Forwarded-Port and an "
           "X-Amzn-Trace-Id style trace id, and forward Host as sent (heads below).",
           "- Load: `wrk -t1 -cN -d%ss --latency` at %s connections, %s interleaved rounds "
           "(%s in turn, then again); figures are median (min–max) over rounds." % (
               s["duration"], " and ".join(str(c) for c in s["conns"]), s["rounds"],
               ", ".join(s["proxies"])),
           "- The machine is shared: load average %s before the run, %s after. Throughput and "
           "latency move with it; CPU time per request and instructions per request much "
           "less." % (results["machine"]["loadavg_before"], results["machine"]["loadavg_after"]),
           "- CPU µs/req: user+sys jiffies of the proxy process (the nginx worker) from "
           "/proc/PID/stat around each round, divided by the requests wrk completed.",
           "- User and sys µs/req: the same readings split into utime and stime (fields 14 "
           "and 15), each divided by the requests; sys share is stime ÷ (utime + stime), "
           "the part of the proxy's CPU spent in the kernel.",
           "- TCP segments/req: OutSegs of /proc/net/snmp around each round, divided by the "
           "requests; system-wide on loopback, so anything else on the machine counts too; "
           "4 is the ideal for a proxied keep-alive request (client→proxy, proxy→backend, "
           "backend→proxy, proxy→client).",
           "- Syscalls/req: system calls of the proxy process counted by `perf stat -e "
           "raw_syscalls:sys_enter -p PID` during an extra %s s wrk run at %s connections "
           "after the rounds (kept out of them: the tracepoint costs a little per call), "
           "divided by the requests it completed; perf is optional, without it the "
           "figure is —%s." % (
               s["syscall_seconds"], max(s["conns"]),
               "" if s["syscalls_by"] == "perf" else " (this run: %s)" % s["syscalls_by"]),
           "- Memory: RSS growth of that process while bench/client/benchclient.c holds "
           "%s keep-alive connections that each carried one request, divided by %s." % (
               s["idle_conns"], s["idle_conns"]),
           "- Instructions: `valgrind --tool=callgrind` Ir of the proxy (nginx with "
           "`master_process off`, HAProxy `-db`) for %s requests over 32 connections after "
           "%s warm-up requests (counters zeroed in between), divided by %s." % (
               s["callgrind_requests"], s["callgrind_warmup"], s["callgrind_requests"]),
           "", "## Throughput, latency, CPU", "", md_table(LOAD_HEAD, load_rows(results)), "",
           "## Where the CPU goes", "", md_table(WHERE_HEAD, where_rows(results)), "",
           "## Memory and instructions", "", md_table(COST_HEAD, cost_rows(results)), "",
           "## Issue 3 targets", "",
           md_table(["target", "tern measured", "goal", "met"],
                    [list(t) for t in targets(results)]), ""]
    out += ["## Problems seen", ""]
    out += ["- " + p for p in results["problems"]] or ["None: no socket errors, no non-2xx "
                                                        "responses, no crash."]
    if forwarded:
        out += ["", "## What the backend received (one probe through each proxy)", "",
                "```", forwarded.strip(), "```"]
    out += ["", "## Ratios", "", ratio_line(results), ""]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--markdown")
    args = ap.parse_args()
    meta = dict((row + [""])[:2] for row in read_tsv(os.path.join(args.work, "meta.tsv")))
    problems = []
    settings = {
        "proxies": meta["proxies"].split(), "conns": [int(c) for c in meta["conns"].split()],
        "rounds": int(meta["rounds"]), "duration": int(meta["duration"]),
        "idle_conns": int(meta["idle_conns"]), "quick": meta["quick"] == "1",
        "callgrind_requests": int(meta["callgrind_requests"]),
        "callgrind_warmup": int(meta["callgrind_warmup"]),
        "syscalls_by": meta.get("syscalls_by", "not recorded"),
        "syscall_seconds": int(meta.get("syscall_seconds", 0)),
    }
    rounds = load_rounds(args.work, int(meta["clk_tck"]), problems)
    idle = load_idle(args.work, problems)
    cg = load_callgrind(args.work, problems)
    syscalls = load_syscalls(args.work, settings["syscall_seconds"], problems)
    results = {
        "command": meta["command"], "started": meta["started"],
        "elapsed_seconds": int(meta["elapsed_seconds"]),
        "build_seconds": int(meta["build_seconds"]), "tern_source": meta["tern_source"],
        "machine": {"nproc": int(meta["nproc"]), "cpu_model": meta["cpu_model"],
                    "kernel": meta["kernel"], "loadavg_before": meta["loadavg_before"],
                    "loadavg_after": meta["loadavg_after"]},
        "versions": dict({k: meta[k] for k in ("tern", "nginx", "haproxy", "wrk", "gxx",
                                               "valgrind")}, perf=meta.get("perf", "—"),
                         **({BASELINE: meta[BASELINE]} if BASELINE in meta else {})),
        "tern_bin": meta.get("tern_bin"),
        "tern_base_bin": meta.get("tern_base_bin"),
        "settings": settings,
        "proxies": {n: {"load": rounds.get(n, {}), "idle": idle.get(n),
                        "callgrind": cg.get(n), "syscalls": syscalls.get(n)}
                     for n in settings["proxies"]},
        "problems": problems,
    }
    for trace in read_tsv(os.path.join(args.work, "problems.tsv")):
        problems.append(trace[0])
    results["ratios"] = compute_ratios(results)
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(results, f, indent=2, ensure_ascii=False)
        f.write("\n")
    forwarded_path = os.path.join(args.work, "forwarded.txt")
    forwarded = open(forwarded_path).read() if os.path.exists(forwarded_path) else ""
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(markdown(results, forwarded))
    print(text_table(LOAD_HEAD, load_rows(results)))
    print()
    print("Where the CPU goes")
    print(text_table(WHERE_HEAD, where_rows(results)))
    print()
    print(text_table(COST_HEAD, cost_rows(results)))
    print()
    for p in problems:
        print("PROBLEM: " + p)
    print(ratio_line(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
