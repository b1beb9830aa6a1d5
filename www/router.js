// The page's views behind hash routes (#assign, #pools): each can be linked to, Back moves
// between them, and the nav is plain links, reached and followed with the keyboard. Everything
// of a view carries `data-view`; only the current view's is shown.

const views = () => [...new Set([...document.querySelectorAll("[data-view]")].map((e) => e.dataset.view))];
const current = () => {
  const name = location.hash.slice(1);
  return views().includes(name) ? name : views()[0];
};

/** Shows the view the address names, now and on every change; `onShow(name)` after each. */
export function startRouter(onShow) {
  function show(name, { focus = false } = {}) {
    for (const e of document.querySelectorAll("[data-view]")) e.hidden = e.dataset.view !== name;
    for (const a of document.querySelectorAll("nav.views a")) {
      if (a.hash === `#${name}`) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    const heading = document.querySelector(`h1[data-view="${name}"]`);
    document.title = `${heading.textContent} · intune-esim demo`;
    // After a link, the focus goes to the new view's heading, so a screen reader says where it is.
    if (focus) heading.focus();
    onShow(name);
  }
  addEventListener("hashchange", () => show(current(), { focus: true }));
  show(current());
  return {
    /** Goes to `name` as a link would, leaving the focus to the caller. */
    go(name) {
      history.pushState(null, "", `#${name}`);
      show(name);
    },
  };
}
