"""Shared pieces of the bench/*_bench.py drivers: start edastack (durable, Release build) and
moto_server on free ports, read RSS and CPU from /proc, build the Release tree."""
import os
import shutil
import socket
import subprocess
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TICK = os.sysconf("SC_CLK_TCK")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def rss_kib(pid, field="VmRSS"):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / TICK


def wait_health(url, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return True
        except Exception:
            time.sleep(0.001)
    return False


def start_edastack(binary, data_dir):
    port = free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen([binary, "serve", "--port", str(port), "--data", data_dir,
                             "--log-level", "error", "--no-pipeline"] if has_flag(binary, "--no-pipeline")
                            else [binary, "serve", "--port", str(port), "--data", data_dir,
                                  "--log-level", "error"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ok = wait_health("http://127.0.0.1:%d/_edastack/health" % port)
    startup_ms = (time.perf_counter() - t0) * 1000
    if not ok:
        proc.kill()
        raise SystemExit("edastack did not start")
    return proc, "http://127.0.0.1:%d" % port, startup_ms


def has_flag(binary, flag):
    out = subprocess.run([binary, "serve", "--help"], capture_output=True, text=True).stdout
    return flag in out


def start_moto():
    if not shutil.which("moto_server"):
        return None, None, None
    port = free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ok = wait_health("http://127.0.0.1:%d/moto-api/" % port, timeout=60)
    startup_ms = (time.perf_counter() - t0) * 1000
    if not ok:
        proc.kill()
        return None, None, None
    return proc, "http://127.0.0.1:%d" % port, startup_ms


def build(build_dir, no_build):
    """Builds a Release tree without tests unless no_build; returns (edastack, loadgen) paths."""
    if not no_build:
        subprocess.run([os.path.join(ROOT, "scripts", "build"), build_dir, "Release",
                        "-DEDASTACK_TESTS=OFF"], check=True, stdout=subprocess.DEVNULL)
    return os.path.join(build_dir, "edastack"), os.path.join(build_dir, "bench", "loadgen")


def stop(proc):
    if proc:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
