// -----------------------------------------------------------------------------
// tokendesk: lazy start of app.wasm. The generator (wasm/generate.go) loads
// this file with defer right after go-app's app.js, from which it drops the
// goappInitWebAssembly() call that starts Go on page load.
//
// The prerendered form works without wasm (a plain post), so Go need not run
// while the page loads: starting it costs about a second of main thread on a
// phone. At idle the module is only fetched and compiled (WebAssembly.compile
// works off the main thread); on a first visit it is read from the service
// worker's precache once that is filled, so app.wasm is downloaded once. Go
// runs on the first interaction with the page (focus, pointer, key, touch) or
// when a hidden page becomes visible. It never takes over:
//   - while a pointer is pressed (the swap would lose the click);
//   - once the plain form has been posted (the page is leaving: no second
//     submit through fetch).
// -----------------------------------------------------------------------------
function tokendeskBoot() {
  const wasmURL = "/web/app.wasm";
  const triggers = ["focusin", "pointerdown", "keydown", "touchstart"];
  const listening = { capture: true, passive: true };
  const loader = document.getElementById("app-wasm-loader");

  if (!goappCanLoadWebAssembly() || typeof WebAssembly !== "object" || typeof Go !== "function") {
    if (loader) loader.remove();
    return;
  }

  let compiled = null; // Promise of a WebAssembly.Module
  let started = false; // start() ran
  let running = false; // Go runs
  let leaving = false; // the plain form was posted
  let pressed = 0; // pointers down
  let released = []; // callbacks waiting for no pointer down
  let updatePending = false;

  // go-app replaces this when Go starts; an update found before is replayed.
  window.goappOnUpdate = () => {
    updatePending = true;
  };

  const mark = (state) => {
    document.documentElement.dataset.wasmBoot = state;
  };
  mark("idle");

  // fromSWCache reads the service worker's precached copy, if there is one.
  const fromSWCache = () =>
    self.caches
      ? caches.match(wasmURL).catch(() => undefined)
      : Promise.resolve(undefined);

  const compile = (urgent) => {
    if (compiled) return compiled;
    let source;
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      source = fetch(wasmURL); // served by the service worker's cache
    } else if (!urgent && navigator.serviceWorker) {
      // First visit: the service worker downloads app.wasm for its
      // precache; wait for it rather than download it twice.
      source = navigator.serviceWorker.ready
        .then(fromSWCache)
        .then((res) => res || fetch(wasmURL));
    } else {
      source = fromSWCache().then((res) => res || fetch(wasmURL));
    }
    // Not compileStreaming: it hands every network chunk to the main
    // thread (tasks of 15–35 ms each, 4× that on a phone). compile() of the
    // whole buffer decodes and compiles on background threads.
    compiled = source.then((res) => {
      if (!res.ok) throw new Error("app.wasm: HTTP " + res.status);
      return res.arrayBuffer();
    }).then((bytes) => WebAssembly.compile(bytes));
    compiled.then(
      () => started || mark("compiled"),
      () => {
        compiled = null; // try again on the next start
      }
    );
    if (!started) mark("compiling");
    return compiled;
  };

  // A pointer held longer than 3 s (or whose pointerup never came) stops
  // holding the takeover back.
  const whenReleased = () =>
    new Promise((resolve) => {
      if (pressed === 0) return resolve();
      let done = false;
      const go = () => {
        if (!done) (done = true), resolve();
      };
      released.push(go);
      setTimeout(() => {
        if (done) return;
        pressed = 0;
        go();
      }, 3000);
    });

  const start = async () => {
    if (started || leaving) return;
    started = true;
    for (const t of triggers) document.removeEventListener(t, start, true);
    mark("starting");
    try {
      const mod = await compile(true);
      const go = new Go();
      const instance = await WebAssembly.instantiate(mod, go.importObject);
      // Never inside the event that started us (instantiate can resolve in
      // its microtasks); swap the form only between clicks, and never after
      // a plain post.
      await new Promise((resolve) => setTimeout(resolve, 0));
      await whenReleased();
      if (leaving) {
        started = false;
        mark("idle");
        return;
      }
      running = true;
      go.run(instance);
      if (loader) loader.remove();
      mark("running");
      if (updatePending && window.goappOnUpdate) window.goappOnUpdate();
    } catch (err) {
      started = false;
      mark("failed");
      const label = document.getElementById("app-wasm-loader-label");
      if (label) label.innerText = err;
      console.error("loading wasm failed: ", err);
      for (const t of triggers) document.addEventListener(t, start, listening);
    }
  };

  document.addEventListener("pointerdown", () => pressed++, listening);
  const release = () => {
    pressed = Math.max(0, pressed - 1);
    if (pressed > 0) return;
    // click follows pointerup in the same task: let it through first.
    setTimeout(() => {
      if (pressed > 0) return;
      const waiting = released;
      released = [];
      for (const f of waiting) f();
    }, 0);
  };
  document.addEventListener("pointerup", release, listening);
  document.addEventListener("pointercancel", release, listening);
  // After the counters: a pointerdown that starts Go is counted first.
  for (const t of triggers) document.addEventListener(t, start, listening);
  // A field focused before this deferred script ran (a quick tap on a slow
  // load) was a first interaction that no listener saw.
  const focused = document.activeElement;
  if (focused && focused !== document.body && focused.closest("form")) start();

  // A plain post (before Go runs) navigates away: Go must not take over and
  // offer a second submit. A post into another tab (the embed) leaves the
  // page here.
  document.addEventListener("submit", (e) => {
    if (running || e.defaultPrevented) return;
    const target = (e.submitter && e.submitter.formTarget) || e.target.target;
    if (!target || target === "_self") leaving = true;
  });
  window.addEventListener("pageshow", (e) => {
    if (!e.persisted) return;
    leaving = false;
    pressed = 0;
  });

  // A page that was hidden and is now looked at starts at once.
  let wasHidden = document.visibilityState === "hidden";
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") wasHidden = true;
    else if (wasHidden) start();
  });

  // Idle: fetch and compile only.
  const idle = () => {
    if (self.requestIdleCallback) requestIdleCallback(() => compile(false), { timeout: 5000 });
    else setTimeout(() => compile(false), 1000);
  };
  if (document.readyState === "complete") idle();
  else window.addEventListener("load", idle, { once: true });
}

// -----------------------------------------------------------------------------
// tokendesk: when the browser prefers another language the desk speaks, a
// one-line link to that language's page, at the top. No redirect, nothing
// stored. The links and their sentences are the language switcher's
// (nav#languages, rendered from the catalogs); the rule that matches a
// preference to a language is tokendesk.ParseLang's. The line is a sibling
// of go-app's root (body's first element), so the takeover keeps it.
// -----------------------------------------------------------------------------
function tokendeskOfferLanguage() {
  const links = document.querySelectorAll("#languages a[hreflang]");
  if (!links.length || !navigator.languages) return;
  const byTag = (pred) => Array.prototype.find.call(links, (a) => pred(a.hreflang.toLowerCase()));
  const match = (pref) => {
    const tag = String(pref).trim().replace(/_/g, "-").toLowerCase();
    const primary = tag.split("-")[0];
    const rest = tag.slice(primary.length + 1);
    const whole = byTag((t) => t === tag);
    if (whole) return whole;
    if (primary === "zh") {
      const simplified = rest === "" || rest === "cn" || rest === "sg" || rest.startsWith("hans");
      return simplified ? byTag((t) => t === "zh-hans") : undefined;
    }
    return byTag((t) => t.split("-")[0] === primary);
  };
  let best;
  for (const pref of navigator.languages) {
    best = match(pref);
    if (best) break;
  }
  if (!best || best.getAttribute("aria-current") === "page" || !best.dataset.offer) return;
  // A landmark of its own: all content is in one (axe's "region").
  const line = document.createElement("aside");
  line.className = "lang-offer";
  line.lang = best.lang;
  const a = document.createElement("a");
  a.href = best.getAttribute("href") + location.search;
  a.hreflang = best.hreflang;
  a.textContent = best.dataset.offer;
  line.appendChild(a);
  document.body.appendChild(line);
}

// A language link loads its page: go-app would otherwise take the click
// for an in-app navigation, and the page's head and catalog would not come.
document.addEventListener(
  "click",
  (e) => {
    if (e.target instanceof Element && e.target.closest("#languages a, .lang-offer a")) e.stopPropagation();
  },
  true
);

tokendeskOfferLanguage();
tokendeskBoot();
