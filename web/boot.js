// Starts the page's WebAssembly without an inline script (the CSP forbids those).
// Trunk writes the app's JS and wasm names into this tag's data attributes, and a sha384
// `integrity` onto the wasm preload link; Chromium ignores integrity on preloads, so the
// wasm is fetched here with it, and a tampered file is refused.
const tag = document.querySelector('script[data-js][data-wasm]');
const { js, wasm } = tag.dataset;
const preload = [...document.querySelectorAll('link[rel="preload"][integrity]')].find((l) =>
  new URL(l.href, location.href).pathname.endsWith(wasm.split('/').pop()));
const app = await import(js);
const response = fetch(wasm, preload ? { integrity: preload.integrity } : {});
await app.default({ module_or_path: response });
