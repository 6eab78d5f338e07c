"""Starts build/edastack for end-to-end tests (stdlib unittest) and hands out clients.

Every test talks to a real edastack process over HTTP with unmodified clients (the AWS CLI,
boto3); nothing of ours is mocked.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request

import unittest

BIN = os.environ.get("EDASTACK_BIN") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "edastack")
SOURCE = os.environ.get("EDASTACK_SOURCE") or os.path.join(os.path.dirname(__file__), "..", "..")

os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ["AWS_PAGER"] = ""


class Server:
    """One edastack process. `args` are extra `serve` flags."""

    def __init__(self, args=None, data_dir=None, ephemeral=True, pipeline=False, env=None):
        cmd = [BIN, "serve", "--port", "0", "--log-level", os.environ.get("EDASTACK_LOG", "warn")]
        # The event pipeline deploys its own queues, topics, table and bucket into the server:
        # only the pipeline's tests want that (pipeline=True, with args such as --api-port 0).
        if not pipeline:
            cmd.append("--no-pipeline")
        if ephemeral and data_dir is None:
            cmd.append("--ephemeral")
        if data_dir is not None:
            cmd += ["--data", data_dir]
        cmd += list(args or [])
        penv = dict(os.environ, **(env or {}))
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=None, text=True, env=penv)
        line = self.proc.stdout.readline()
        m = re.search(r"http://([\d.]+):(\d+)", line)
        if not m:
            self.proc.kill()
            raise RuntimeError("edastack did not start: %r" % line)
        self.port = int(m.group(2))
        self.endpoint = "http://127.0.0.1:%d" % self.port
        self.wait_healthy()

    def wait_healthy(self, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.endpoint + "/_edastack/health", timeout=1) as r:
                    if r.status == 200:
                        return json.loads(r.read())
            except Exception:
                time.sleep(0.02)
        raise RuntimeError("edastack not healthy")

    def client(self, service, **kw):
        import boto3
        return boto3.client(service, endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="test", aws_secret_access_key="test", **kw)

    def aws(self, *args, check=True, env=None):
        """Runs the AWS CLI against this server; returns parsed JSON output (or None)."""
        e = dict(os.environ)
        e.update(env or {})
        r = subprocess.run(["aws", "--endpoint-url", self.endpoint, "--output", "json"] + list(args),
                           capture_output=True, text=True, env=e)
        if check and r.returncode != 0:
            raise AssertionError("aws %s failed (%d): %s" % (" ".join(args), r.returncode, r.stderr))
        if not check:
            return r
        return json.loads(r.stdout) if r.stdout.strip() else None

    def reset(self):
        req = urllib.request.Request(self.endpoint + "/_edastack/reset", method="POST", data=b"")
        urllib.request.urlopen(req).read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


class ServerTestCase(unittest.TestCase):
    """A test class sharing one ephemeral edastack process (self.server / cls.server).

    Set `server_args` on the subclass for extra `serve` flags."""

    server_args = []

    @classmethod
    def setUpClass(cls):
        cls.server = Server(cls.server_args)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()


class TempDir:
    """A temporary data directory, removed on exit."""

    def __enter__(self):
        self.path = tempfile.mkdtemp(prefix="edastack-test-")
        return self.path

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)


def main():
    unittest.main(verbosity=2)


def run_node(script, endpoint, timeout=120):
    """Runs a Node script from tests/e2e/js with ENDPOINT set; returns CompletedProcess."""
    js_dir = os.path.join(SOURCE, "tests", "e2e", "js")
    env = dict(os.environ, ENDPOINT=endpoint)
    return subprocess.run(["node", os.path.join(js_dir, script)], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=js_dir)
