"""Load generators for the intake benchmark: wrk (Debian) with a Lua script, or a fallback of
Python threads with http.client. Both only talk to 127.0.0.1, run for a bounded time and stop
after a bounded number of requests; every request carries a unique idempotency key."""

from __future__ import annotations

import http.client
import json
import math
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field

PATH = "/api/v1/public/cases"
TITLE = "路灯不亮"
TEXT = "幸福里小区东门到菜市场一段路灯坏了两个月，晚上老人小孩出行很不安全，希望尽快修复。"


@dataclass
class LoadResult:
    tool: str
    requests: int  # completed responses counted in the window
    ok: int  # 201 Created
    duration_s: float
    p50_ms: float
    p99_ms: float
    errors: dict[str, int] = field(default_factory=dict)
    sample_error: str = ""

    @property
    def rps(self) -> float:
        return self.ok / self.duration_s if self.duration_s else 0.0

    @property
    def failed(self) -> int:
        """Responses other than 201 and socket errors."""
        return self.requests - self.ok + sum(v for k, v in self.errors.items() if k != "status")


def body(station: str, key: str, n: int) -> bytes:
    payload = {
        "station": station,
        "title": TITLE,
        "text": TEXT,
        "phone": f"138{n % 100_000_000:08d}",
        "idempotency_key": key,
    }
    return json.dumps(payload, ensure_ascii=False).encode()


# ---- wrk ----------------------------------------------------------------------------------

LUA = r"""
-- Intake load: POST JSON with a unique idempotency key per request; stop after a cap.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local stations = {}
local nonce = ""
local cap = 0
local n = 0
local responses = 0
ok = 0
bad = 0
sample = ""

function init(args)
  nonce = args[1]
  cap = tonumber(args[2])
  for code in string.gmatch(args[3], "[^,]+") do
    table.insert(stations, code)
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  local key = string.format("%s-%d-%d", nonce, tid, n)
  local station = stations[(n + tid) % #stations + 1]
  local body = string.format(
    '{"station":"%s","title":"TITLE_","text":"TEXT_","phone":"138%08d","idempotency_key":"%s"}',
    station, (tid * 10000000 + n) % 100000000, key)
  return wrk.format("POST", "PATH_", nil, body)
end

function response(status, headers, body)
  responses = responses + 1
  if status == 201 then
    ok = ok + 1
  else
    bad = bad + 1
    if sample == "" then
      sample = tostring(status) .. " " .. string.sub(body or "", 1, 300)
    end
  end
  if cap > 0 and responses >= cap then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local total_ok, total_bad, first = 0, 0, ""
  for _, t in ipairs(threads) do
    total_ok = total_ok + t:get("ok")
    total_bad = total_bad + t:get("bad")
    local s = t:get("sample")
    if first == "" and s ~= nil then first = s end
  end
  local e = summary.errors
  io.write(string.format(
    "WRKJSON {\"requests\":%d,\"duration_us\":%d,\"p50_us\":%d,\"p99_us\":%d," ..
    "\"ok\":%d,\"bad\":%d,\"connect\":%d,\"read\":%d,\"write\":%d,\"status\":%d," ..
    "\"timeout\":%d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    total_ok, total_bad, e.connect, e.read, e.write, e.status, e.timeout))
  if first ~= "" then
    io.write("WRKSAMPLE " .. first .. "\n")
  end
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(
    port: int,
    *,
    duration: float,
    connections: int,
    threads: int,
    nonce: str,
    max_requests: int,
    stations: list[str],
) -> LoadResult:
    script = LUA.replace("TITLE_", TITLE).replace("TEXT_", TEXT).replace("PATH_", PATH)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8") as f:
        f.write(script)
        lua = f.name
    threads = max(1, min(threads, connections))
    cap = math.ceil(max_requests / threads)
    try:
        proc = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{max(1, round(duration))}s",
                "--timeout",
                "30s",
                "-s",
                lua,
                f"http://127.0.0.1:{port}{PATH}",
                "--",
                nonce,
                str(cap),
                ",".join(stations),
            ],
            capture_output=True,
            text=True,
            timeout=duration + 60,
            check=False,
        )
    finally:
        os.unlink(lua)
    m = re.search(r"^WRKJSON (\{.*\})$", proc.stdout, re.M)
    if proc.returncode != 0 or m is None:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stdout}\n{proc.stderr}")
    d = json.loads(m.group(1))
    sample = re.search(r"^WRKSAMPLE (.*)$", proc.stdout, re.M)
    errors = {k: d[k] for k in ("connect", "read", "write", "timeout", "status") if d[k]}
    return LoadResult(
        tool="wrk",
        requests=d["requests"],
        ok=d["ok"],
        duration_s=d["duration_us"] / 1e6,
        p50_ms=d["p50_us"] / 1000,
        p99_ms=d["p99_us"] / 1000,
        errors=errors,
        sample_error=sample.group(1) if sample else "",
    )


# ---- Python fallback ----------------------------------------------------------------------


def run_python(
    port: int,
    *,
    duration: float,
    connections: int,
    threads: int,
    nonce: str,
    max_requests: int,
    stations: list[str],
) -> LoadResult:
    """`connections` threads, each one request at a time over http.client (a closed loop like
    wrk's). The GIL makes it costlier than wrk: use it only where wrk is not installed."""
    lock = threading.Lock()
    latencies: list[float] = []
    counts = {"requests": 0, "ok": 0, "connect": 0, "read": 0}
    sample: list[str] = []
    deadline = time.perf_counter() + duration

    def worker(tid: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        local: list[float] = []
        n = 0
        while time.perf_counter() < deadline:
            with lock:
                if counts["requests"] >= max_requests:
                    break
            n += 1
            data = body(stations[(n + tid) % len(stations)], f"{nonce}-{tid}-{n}", tid * 10**7 + n)
            t0 = time.perf_counter()
            try:
                conn.request("POST", PATH, data, {"Content-Type": "application/json"})
                resp = conn.getresponse()
                payload = resp.read()
                status = resp.status
            except (ConnectionError, http.client.HTTPException, OSError):
                conn.close()
                with lock:
                    counts["read"] += 1
                continue
            elapsed = time.perf_counter() - t0
            local.append(elapsed)
            with lock:
                counts["requests"] += 1
                if status == 201:
                    counts["ok"] += 1
                elif not sample:
                    sample.append(f"{status} {payload[:300].decode(errors='replace')}")
            if resp.will_close:
                conn.close()
        conn.close()
        with lock:
            latencies.extend(local)

    start = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(connections)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(duration + 60)
    elapsed = time.perf_counter() - start
    latencies.sort()

    def pct(p: float) -> float:
        if not latencies:
            return 0.0
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    errors = {k: counts[k] for k in ("read",) if counts[k]}
    if counts["requests"] - counts["ok"]:
        errors["status"] = counts["requests"] - counts["ok"]
    return LoadResult(
        tool="python",
        requests=counts["requests"],
        ok=counts["ok"],
        duration_s=elapsed,
        p50_ms=pct(50),
        p99_ms=pct(99),
        errors=errors,
        sample_error=sample[0] if sample else "",
    )


def run(tool: str, port: int, **kwargs) -> LoadResult:
    return (run_wrk if tool == "wrk" else run_python)(port, **kwargs)
