// Building the page's nodes from data. textContent only, never HTML: names, ids and messages
// come from Graph and are data.

/** `el("td", { className: "x" }, "text", node)`: an element with these properties and children. */
export const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};
