// The worker scenario's page: runs the checks in a module worker, written as bundlers want it
// (`new Worker(new URL(...), { type: "module" })`), and hands back what the worker found.
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });

window.check = (params) =>
  new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => resolve(data);
    worker.onerror = (e) => reject(new Error(`worker: ${e.message}`));
    worker.postMessage(params);
  });
