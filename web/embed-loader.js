// The embeddable verifier's single entry point. On a host page:
//   <script type="module" src="/embed/receipt-verifier.js"></script>
//   <div data-receipt-verifier data-keys="/jwks.json"></div>
// It loads the widget's WebAssembly from its own folder, and tells the widget where its
// worker and stylesheet are (the same folder). Starting the module mounts the widgets, each
// in a shadow root holding its own link to the stylesheet, so host CSS cannot restyle it.
const base = new URL('./', import.meta.url).href;
globalThis.receiptVerifierBase = base;
await import('./embed-core.js');
