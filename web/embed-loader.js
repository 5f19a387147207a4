// The embeddable verifier's single entry point. On a host page:
//   <script type="module" src="/embed/receipt-verifier.js"></script>
//   <div data-receipt-verifier data-keys="/jwks.json"></div>
// It loads the widget's stylesheet and WebAssembly from its own folder, and tells the
// widget where its worker is (the same folder). Starting the module mounts the widgets.
const base = new URL('./', import.meta.url).href;
globalThis.receiptVerifierBase = base;
if (!document.querySelector('link[data-receipt-verifier-style]')) {
  const style = document.createElement('link');
  style.rel = 'stylesheet';
  style.href = `${base}verifier.css`;
  style.dataset.receiptVerifierStyle = '';
  document.head.append(style);
}
await import('./embed-core.js');
