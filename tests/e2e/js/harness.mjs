// Starts build/edastack for a node:test file and returns its endpoint.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = process.env.EDASTACK_BIN || path.join(here, "..", "..", "..", "build", "edastack");

export const credentials = { accessKeyId: "test", secretAccessKey: "test" };
export const region = "us-east-1";

// Returns { endpoint, port, stop() }. Pass extra serve flags in `args`.
export async function startServer(args = []) {
  // --no-pipeline: the event pipeline would deploy its own resources into the server.
  const proc = spawn(BIN, ["serve", "--port", "0", "--ephemeral", "--log-level", "warn", "--no-pipeline", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const rl = createInterface({ input: proc.stdout });
  const line = await new Promise((resolve, reject) => {
    rl.once("line", resolve);
    proc.once("exit", (code) => reject(new Error(`edastack exited ${code}`)));
  });
  const m = /http:\/\/([\d.]+):(\d+)/.exec(line);
  if (!m) throw new Error(`edastack did not start: ${line}`);
  const endpoint = `http://127.0.0.1:${m[2]}`;
  return {
    endpoint,
    port: Number(m[2]),
    stop: () =>
      new Promise((resolve) => {
        proc.once("exit", resolve);
        proc.kill("SIGTERM");
      }),
  };
}

// Client config for any @aws-sdk/client-* v3.
export function clientConfig(endpoint, extra = {}) {
  return { endpoint, region, credentials, ...extra };
}
