// Node 18, the oldest Node the package declares (engines), from Debian bookworm's own packages:
// scripts/setup.mjs downloads them with apt-get download and unpacks them with dpkg -x into
// tests/.node18/ (outside git), never installing them. Debian's Node loads four of its built-in
// modules (undici, cjs-module-lexer, acorn, acorn-walk) from /usr/share/nodejs, a path compiled
// into libnode; so it runs in a mount namespace of its own (unshare, no root needed) where the
// unpacked /usr/share is laid over the real one, with libnode and its libraries on LD_LIBRARY_PATH.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

export const NODE18_DIR = fileURLToPath(new URL("../.node18/", import.meta.url));
/** The Debian packages, unpacked side by side. */
export const NODE18_PACKAGES = ["nodejs", "libnode108", "libuv1", "libc-ares2", "node-undici", "node-cjs-module-lexer", "node-acorn"];
const unpacked = join(NODE18_DIR, "root");
export const node18Present = () => existsSync(join(unpacked, "usr/bin/node"));

/** `[command, args]` that run Node 18 with `args`. */
export function node18(args) {
  const script = 'mount -t overlay overlay -o "lowerdir=$0/usr/share:/usr/share" /usr/share && LD_LIBRARY_PATH="$0/usr/lib/x86_64-linux-gnu" exec "$0/usr/bin/node" "$@"';
  return ["unshare", ["--mount", "--map-root-user", "sh", "-c", script, unpacked, ...args]];
}
