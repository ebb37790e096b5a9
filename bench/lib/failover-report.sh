# shellcheck shell=bash
# Sourced by bench/failover.sh: the raw outputs of one run to a table on stdout and the
# Markdown page (bench/FAILOVER.md). Reuses the wrk parser and table helpers of
# bench/report.py. Standard library only (/usr/bin/python3).
#
# Reads WORK/meta.tsv, WORK/runs.tsv (proxy round kill_offset_ms waited_ms status tag),
# WORK/raw/wrk-TAG.txt, WORK/raw/kill-TAG.txt, WORK/raw/health-TAG.txt, the generated
# configs WORK/TAG.conf and the proxies' logs (WORK/TAG.err: tern and HAProxy stderr;
# WORK/TAG.error.log: the nginx error log).

failover_report() { # WORK MARKDOWN_OR_DASH
  /usr/bin/python3 - "$1" "$2" "$root" <<'EOF'
import os
import re
import statistics
import sys

work, md_path, root = sys.argv[1:4]
sys.path.insert(0, os.path.join(root, "bench"))
from report import parse_wrk, text_table, md_table, read_tsv  # noqa: E402

meta = dict((r[0], r[1] if len(r) > 1 else "") for r in read_tsv(os.path.join(work, "meta.tsv")))
runs = read_tsv(os.path.join(work, "runs.tsv"))
proxies = meta["proxies"].split()
LABEL = {
    "tern": "tern (defaults)",
    "tern-hc": "tern (health_check 5 s)",
    "nginx": "nginx (max_fails=1)",
    "haproxy": "HAProxy (check inter 2s)",
}


def read(path, default=""):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def n(v):
    if v is None:
        return "—"
    if isinstance(v, float) and not v.is_integer():
        return "{:,.1f}".format(v)
    return "{:,}".format(int(v))


problems = []
per_run = []  # dicts
for name, rnd, kill_ms, waited_ms, status, tag in runs:
    w = parse_wrk(read(os.path.join(work, "raw", "wrk-%s.txt" % tag)))
    se = w["socket_errors"]
    sock = sum(se.values())
    lost = w["non_2xx_3xx"] + sock
    if status != "ok":
        problems.append("%s round %s: %s" % (name, rnd, status))
    if w["requests"] is None:
        problems.append("%s round %s: no wrk figures (raw/wrk-%s.txt)" % (name, rnd, tag))
    per_run.append({
        "name": name, "round": int(rnd), "tag": tag, "status": status,
        "kill_ms": int(kill_ms), "waited_ms": int(waited_ms),
        "requests": w["requests"], "rps": w["rps"], "non2xx": w["non_2xx_3xx"],
        "se": se, "sock": sock, "lost": lost,
    })


def spread_str(values, fmt=n):
    values = [v for v in values if v is not None]
    if not values:
        return "—"
    med = statistics.median(values)
    if len(values) == 1:
        return fmt(med)
    return "%s (%s–%s)" % (fmt(med), fmt(min(values)), fmt(max(values)))


summary_head = ["proxy", "lost: median (min–max)", "non-2xx/3xx", "socket errors",
                "requests", "req/s"]
summary = []
medians = {}
for name in proxies:
    rs = [r for r in per_run if r["name"] == name and r["requests"] is not None]
    if not rs:
        summary.append([LABEL.get(name, name), "—", "—", "—", "—", "—"])
        continue
    lost = [r["lost"] for r in rs]
    medians[name] = statistics.median(lost)
    summary.append([
        LABEL.get(name, name),
        "%s (%s–%s)" % (n(statistics.median(lost)), n(min(lost)), n(max(lost))),
        spread_str([r["non2xx"] for r in rs]),
        spread_str([r["sock"] for r in rs]),
        spread_str([r["requests"] for r in rs], lambda v: "{:,.0f}".format(v)),
        spread_str([r["rps"] for r in rs], lambda v: "{:,.0f}".format(v)),
    ])

run_head = ["proxy", "round", "requests", "req/s", "non-2xx/3xx",
            "socket errors (connect/read/write/timeout)", "lost", "kill at", "status"]
run_rows = []
for r in sorted(per_run, key=lambda r: (proxies.index(r["name"]), r["round"])):
    se = r["se"]
    se_str = "%d (%s)" % (r["sock"], "/".join(str(se.get(k, 0)) for k in
                                              ("connect", "read", "write", "timeout")))
    run_rows.append([r["name"], str(r["round"]), n(r["requests"]),
                     "{:,.0f}".format(r["rps"]) if r["rps"] is not None else "—",
                     n(r["non2xx"]), se_str, n(r["lost"]), "%.2f s" % (r["kill_ms"] / 1000),
                     r["status"]])

duration, kill_at, kill_index = meta["duration"], meta["kill_at"], meta["kill_index"]
title = ("Requests lost when backend %s of 3 gets SIGKILL %s s into wrk -t1 -c%s -d%ss "
         "(%s rounds, interleaved)" % (kill_index, kill_at, meta["conns"], duration, meta["rounds"]))
print(title)
print(text_table(summary_head, summary))
print()
print(text_table(run_head, run_rows))
for p in problems:
    print("PROBLEM: " + p)


def clean(text):
    """Paths of the work directory and the ports of this run made readable."""
    text = text.replace(work + "/", "WORKDIR/").replace(work, "WORKDIR")
    return text


def excerpt(text, limit=14):
    lines = [l for l in text.splitlines() if l.strip()]
    if len(lines) <= limit:
        return "\n".join(lines), 0
    return "\n".join(lines[:limit]), len(lines) - limit


if md_path == "-":
    sys.exit(0)

first = {}  # round 1 of each proxy: its configs
worst = {}  # the run of each proxy that lost most (the earliest of equals): its logs
for r in per_run:
    if r["name"] not in first or r["round"] < first[r["name"]]["round"]:
        first[r["name"]] = r
    w = worst.get(r["name"])
    if w is None or (r["lost"], -r["round"]) > (w["lost"], -w["round"]):
        worst[r["name"]] = r

md = []
md.append("# tern failover: requests lost when a backend dies")
md.append("")
md.append("Written by `make bench-failover` (bench/failover.sh); do not edit by hand. "
          "Rerun with:")
md.append("")
md.append("```")
md.append(meta["command"])
md.append("```")
md.append("")
md.append("Run %s; took %s s, of which %s s building tern. tern built from `%s` "
          "(git describe of the working tree)." % (meta["started"], meta["elapsed_seconds"],
                                                    meta["build_seconds"], meta["tern_source"]))
md.append("")
md.append("## Result")
md.append("")
md.append(title + ". Lost = wrk's `Non-2xx or 3xx responses` + its `Socket errors` "
          "(connect + read + write + timeout); median (min–max) over rounds.")
md.append("")
md.append(md_table(summary_head, summary))
md.append("")
if problems:
    md.append("Problems seen:")
    md.append("")
    md += ["- " + p for p in problems]
    md.append("")
md.append("Every run:")
md.append("")
md.append(md_table(run_head, run_rows))
md.append("")
md.append("## Machine and versions")
md.append("")
md.append("| | |")
md.append("| --- | --- |")
md.append("| CPUs | %s × %s |" % (meta["nproc"], meta["cpu_model"]))
md.append("| kernel | %s |" % meta["kernel"])
md.append("| tern | %s (`%s`) |" % (meta["tern"], meta["tern_source"]))
md.append("| nginx | %s |" % meta["nginx"])
md.append("| HAProxy | %s |" % meta["haproxy"])
md.append("| wrk | %s |" % meta["wrk"])
md.append("| load average | %s before, %s after |" % (meta["loadavg_before"],
                                                      meta["loadavg_after"]))
md.append("")
md.append("## Setup")
md.append("")
md += [
    "- Three backends (bench/backend/backend.c, single-threaded epoll, a fixed 200) on "
    "127.0.0.1, and for every run a fresh proxy with the three as one upstream group. One "
    "worker each (tern `workers: 1`, nginx `worker_processes 1`, HAProxy `nbthread 1`), "
    "upstream keep-alive as in `make bench`, no access logs. The proxy is pinned to CPU 0, "
    "wrk and the three backends to CPU 1.",
    "- Load: `wrk -t1 -c%s -d%ss http://127.0.0.1:PORT/` (GET /). %s s after wrk starts, "
    "backend %s gets `kill -9`; it stays dead until wrk ends, then the proxy is stopped and "
    "the backend restarted on the same port for the next run. Rounds are interleaved (%s, "
    "then again)." % (meta["conns"], duration, kill_at, kill_index, ", ".join(proxies)),
    "- wrk counts a response with a status outside 200–399 as `Non-2xx or 3xx`, and a "
    "connection the proxy resets or closes without an answer as a `read` socket error "
    "(wrk does not retry); `timeout` is a request without an answer for 2 s.",
    "- **tern (defaults)**: the product's behaviour with nothing set: active health checks "
    "with ALB's defaults (`interval: 30s`, `healthy_threshold: 5`, `unhealthy_threshold: 2`), "
    "`outlier_detection` on (5 consecutive failures, 30 s ejection), retries and connect "
    "failover on. With a 30 s interval no target becomes healthy within a 10 s run: all "
    "three stay `initial` and the group fails open (all used), so what protects the "
    "requests here is passive ejection and retries alone.",
    "- **tern (health_check 5 s)**: the same plus `health_check: { interval: 5s, timeout: 2s, "
    "healthy_threshold: 2, unhealthy_threshold: 2 }`; the load starts only once the admin "
    "API lists all three targets healthy (about 5–6 s after start), i.e. from steady state.",
    "- Both tern variants carry an `admin` listener, used only to read the target health at "
    "the end of each run (below); it runs on the control thread.",
    "- **nginx**: passive health only: `max_fails=1 fail_timeout=10s` on each server "
    "(which are also nginx's defaults) and `proxy_next_upstream error timeout` (the "
    "default): a request whose connect fails or whose upstream connection errs or closes "
    "before the response head is passed to the next server; a server with a failure is "
    "skipped for 10 s.",
    "- **HAProxy**: `balance roundrobin`, `option redispatch`, `retries 3`, and active TCP "
    "checks `check inter 2s fall 2 rise 2` (a server is DOWN after two failed connects, "
    "2–4 s after the kill). `retry-on` is left at its default, `conn-failure`: only failed "
    "connects are retried, not a request whose server connection died after it was sent.",
]
md.append("")
md.append("## What the proxies logged")
md.append("")
md.append("For each proxy, the run that lost most requests (round 1 when none did): the "
          "kill as the harness logged it (UTC), then the proxy's log of that run.")
md.append("")
for name in proxies:
    r = worst.get(name)
    if not r:
        continue
    tag = r["tag"]
    md.append("### %s, round %d (%s lost)" % (LABEL.get(name, name), r["round"], n(r["lost"])))
    md.append("")
    md.append("```")
    md.append(read(os.path.join(work, "raw", "kill-%s.txt" % tag)).strip() + "   (by the harness)")
    if name == "nginx":
        log = read(os.path.join(work, "%s.error.log" % tag))
    else:
        log = read(os.path.join(work, "%s.err" % tag))
    text, more = excerpt(clean(log), 6 if name == "nginx" else 14)
    md.append(text if text else "(nothing)")
    if more:
        md.append("... %d more lines" % more)
    md.append("```")
    health = read(os.path.join(work, "raw", "health-%s.txt" % tag)).strip()
    if health:
        md.append("")
        md.append("Target health from the admin API at the end of the run (port, state, "
                  "reason; backend %s is port %s):" % (kill_index,
                                                      meta["backend_ports"].split()[int(kill_index) - 1]))
        md.append("")
        md.append("```")
        md.append(health)
        md.append("```")
    md.append("")
md.append("## Configs (round 1, as generated)")
md.append("")
md.append("Backends on ports %s; WORKDIR is the run's temporary directory." %
          ", ".join(meta["backend_ports"].split()))
md.append("")
for name in proxies:
    r = first.get(name)
    if not r:
        continue
    lang = "yaml" if name.startswith("tern") else ("nginx" if name == "nginx" else "")
    md.append("### %s" % LABEL.get(name, name))
    md.append("")
    md.append("```" + lang)
    md.append(clean(read(os.path.join(work, "%s.conf" % r["tag"]))).rstrip())
    md.append("```")
    md.append("")

with open(md_path, "w") as f:
    f.write("\n".join(md).rstrip() + "\n")
print("failover: wrote %s" % md_path)
EOF
}
