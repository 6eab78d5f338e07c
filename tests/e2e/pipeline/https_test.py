"""The pipeline commands over HTTPS, as against AWS: `edastack trigger` / `status` reach an
endpoint through TLS with the server certificate verified (AWS_CA_BUNDLE), and refuse an
untrusted one. A TLS-terminating proxy (Python's ssl, a certificate made here with the
openssl CLI for localhost) stands in front of `edastack serve`."""
import json
import os
import shutil
import socket
import ssl
import subprocess
import threading
import unittest

import boto3

from harness import Server, TempDir, main
from pipeline_util import edastack, wait_confirmed

TABLE = "event-driven-events"


def make_cert(folder):
    key, cert = os.path.join(folder, "key.pem"), os.path.join(folder, "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    return key, cert


class TlsProxy:
    """Accepts TLS on a free port and pipes the plaintext to 127.0.0.1:`target_port`."""

    def __init__(self, target_port, key, cert):
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(cert, key)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.target = target_port
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            tls = self.ctx.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError):
            conn.close()  # the client refused our certificate
            return
        up = socket.create_connection(("127.0.0.1", self.target))

        def pipe(src, dst):
            try:
                while True:
                    data = src.recv(65536)
                    if not data:
                        break
                    dst.sendall(data)
            except OSError:
                pass
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            src.close()

        threading.Thread(target=pipe, args=(up, tls), daemon=True).start()
        pipe(tls, up)

    def close(self):
        self.closed = True
        self.sock.close()


@unittest.skipIf(shutil.which("openssl") is None, "needs the openssl CLI")
class HttpsEndpointTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = TempDir()
        folder = cls.tmp.__enter__()
        cls.key, cls.cert = make_cert(folder)
        cls.server = Server(["--api-port", "0"], pipeline=True)
        cls.proxy = TlsProxy(cls.server.port, cls.key, cls.cert)
        cls.https = "https://localhost:%d" % cls.proxy.port
        cls.env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
                       AWS_DEFAULT_REGION="us-east-1")
        cls.env.pop("AWS_CA_BUNDLE", None)

    @classmethod
    def tearDownClass(cls):
        cls.proxy.close()
        cls.server.stop()
        cls.tmp.__exit__(None, None, None)

    def run_edastack(self, *args, ca=True):
        env = dict(self.env)
        if ca:
            env["AWS_CA_BUNDLE"] = self.cert
        return subprocess.run([edastack_bin()] + list(args) + ["--endpoint", self.https],
                              capture_output=True, text=True, env=env, timeout=60)

    def test_trigger_over_verified_tls_ends_confirmed(self):
        r = self.run_edastack("trigger", "--type", "tls.check", "--payload", '{"over":"https"}')
        self.assertEqual(r.returncode, 0, r.stderr)
        event_id = json.loads(r.stdout.strip().splitlines()[-1])["eventId"]
        ddb = boto3.client("dynamodb", endpoint_url=self.https, region_name="us-east-1",
                           aws_access_key_id="test", aws_secret_access_key="test",
                           verify=self.cert)
        item = wait_confirmed(ddb, TABLE, event_id)
        self.assertIsNotNone(item, "event %s never CONFIRMED: %s" % (event_id, r.stdout))
        self.assertEqual(item["type"]["S"], "tls.check")

    def test_status_over_tls(self):
        r = self.run_edastack("status")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("event-driven-main-queue", r.stdout)

    def test_untrusted_certificate_is_refused(self):
        r = self.run_edastack("trigger", "--type", "tls.check", "--payload", "{}", ca=False)
        self.assertNotEqual(r.returncode, 0, r.stdout)
        self.assertIn("SSLServerVerification", r.stderr)


def edastack_bin():
    from harness import BIN
    return BIN


if __name__ == "__main__":
    main()
