// The demo page's static server, on loopback only: `/` is www/, `/pkg/` is the built npm package
// (so the page imports it as a portal would, through an import map), and `/config.json` tells the
// page where the local Graph emulator is. Used by `npm run demo` and the browser tests.
import http from "node:http";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { extname, join, normalize, sep } from "node:path";

const root = fileURLToPath(new URL("..", import.meta.url));
const MOUNTS = [
  ["/pkg/", join(root, "pkg")],
  ["/", join(root, "www")],
];
// Browsers compile wasm in a stream only when it is served as application/wasm.
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
};

/** Maps a URL path to a file under one of the mounts, or null when it would leave it. */
function fileFor(pathname) {
  const [prefix, dir] = MOUNTS.find(([p]) => pathname.startsWith(p));
  const rel = normalize(decodeURIComponent(pathname.slice(prefix.length)) || "index.html");
  const file = join(dir, rel);
  return file === dir || file.startsWith(dir + sep) ? file : null;
}

/**
 * Starts the server on 127.0.0.1 (`port` 0: any free port). `config` is served as /config.json.
 * Resolves to `{ url, close }`.
 */
export async function startDemoServer({ port = 0, config = {} } = {}) {
  const server = http.createServer(async (req, res) => {
    const { pathname } = new URL(req.url, "http://demo");
    const headers = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
    if (req.method !== "GET" && req.method !== "HEAD") return void res.writeHead(405, headers).end();
    if (pathname === "/config.json") {
      res.writeHead(200, { ...headers, "Content-Type": TYPES[".json"] });
      return void res.end(JSON.stringify(config));
    }
    let file;
    try {
      file = fileFor(pathname);
    } catch {
      file = null; // a malformed %-escape
    }
    const type = file && TYPES[extname(file)];
    const body = type && (await readFile(file).catch(() => null));
    if (!body) return void res.writeHead(404, { ...headers, "Content-Type": "text/plain" }).end("Not found\n");
    res.writeHead(200, { ...headers, "Content-Type": type });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(resolve);
      }),
  };
}
