"""Helpers shared by the pipeline end-to-end tests: run edastack commands, start a worker,
poll DynamoDB with exponential back-off, talk to the pipeline's HTTP API."""
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from harness import BIN

# The API is on 127.0.0.1: never go through a proxy.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def edastack(*args, check=True, timeout=120):
    r = subprocess.run([BIN] + list(args), capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError("edastack %s failed (%d):\n%s\n%s" %
                             (" ".join(args), r.returncode, r.stdout, r.stderr))
    return r


def actions(deploy_output):
    """{(kind, name): action} from deploy/diff/destroy output."""
    out = {}
    for line in deploy_output.splitlines():
        m = re.match(r"^(would create|would update|created|updated|unchanged|deleted|absent|failed)"
                     r"\s+(\S+)\s+(.+?)(\s+\(.*\))?$", line)
        if m:
            out[(m.group(2), m.group(3).strip())] = m.group(1)
    return out


class Worker:
    """`edastack worker` against `endpoint`; stderr (JSON log lines) goes to a file."""

    def __init__(self, endpoint, extra=None):
        self.log_path = tempfile.mktemp(prefix="edastack-worker-", suffix=".log")
        self.log = open(self.log_path, "w")
        cmd = [BIN, "worker", "--endpoint", endpoint, "--api-port", "0", "--wait-seconds", "1"]
        self.proc = subprocess.Popen(cmd + list(extra or []), stdout=subprocess.PIPE,
                                     stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"API on http://([\d.]+):(\d+)", line)
        if not m:
            self.stop()
            raise RuntimeError("worker did not start: %r\n%s" % (line, self.logs()))
        self.api = "http://127.0.0.1:%s" % m.group(2)

    def logs(self):
        with open(self.log_path) as f:
            return f.read()

    def log_records(self):
        out = []
        for line in self.logs().splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
        return out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        try:
            os.unlink(self.log_path)
        except OSError:
            pass


def http(method, url, body=None, headers=None):
    """Returns (status, headers, parsed JSON or text)."""
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with _OPENER.open(req, timeout=30) as r:
            status, hdrs, raw = r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        status, hdrs, raw = e.code, dict(e.headers), e.read()
    text = raw.decode()
    try:
        return status, hdrs, json.loads(text)
    except ValueError:
        return status, hdrs, text


def post_event(api, doc):
    return http("POST", api + "/events", json.dumps(doc), {"Content-Type": "application/json"})


def poll(fn, timeout=30.0, first_delay=0.05, max_delay=1.0):
    """Calls fn() with exponential back-off until it returns a truthy value; returns it."""
    deadline = time.time() + timeout
    delay = first_delay
    while True:
        v = fn()
        if v:
            return v
        if time.time() > deadline:
            return v
        time.sleep(delay)
        delay = min(max_delay, delay * 2)


def get_record(ddb, table, event_id):
    item = ddb.get_item(TableName=table, Key={"eventId": {"S": event_id}},
                        ConsistentRead=True).get("Item")
    return item


def wait_confirmed(ddb, table, event_id, timeout=30.0):
    def check():
        item = get_record(ddb, table, event_id)
        return item if item and item["status"]["S"] == "CONFIRMED" else None
    return poll(check, timeout=timeout)
