/**
 * The panel's stylesheet and its one small script, served from memory (/static/panel.css and
 * /static/panel.js): no build step, and the same in `npm start` (tsx) and a compiled dist/.
 * Colours meet WCAG AA contrast (4.5:1 text, 3:1 controls); logical properties follow `dir="rtl"`.
 */
export const PANEL_CSS = `
:root{--fg:#1b1f24;--muted:#4a5361;--bg:#fff;--line:#c4cbd4;--accent:#3d4fc4;--ok:#17663a;--warn:#8a4b00;--bad:#b00020;--card:#f5f7fa}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;inset-inline-start:-999px}
.skip:focus{inset-inline-start:8px;top:8px;background:var(--bg);padding:8px;z-index:1}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.top{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;justify-content:space-between;padding:12px 16px;border-block-end:1px solid var(--line)}
.brand{font-weight:700;text-decoration:none;color:var(--fg)}
.signout{display:flex;gap:8px;align-items:center;margin:0}
.tabs{display:flex;flex-wrap:wrap;gap:4px;list-style:none;margin:0;padding:8px 16px;border-block-end:1px solid var(--line)}
.tabs a{display:block;padding:8px 12px;border-radius:6px;text-decoration:none}
.tabs a[aria-current=page]{background:var(--accent);color:#fff}
main{max-width:1000px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:0 0 12px}
h2{font-size:1.15rem;margin:0 0 8px}
.flash{padding:8px 12px;border-radius:6px;border:1px solid}
.flash.ok{color:var(--ok);background:#eaf6ef}
.flash.error{color:var(--bad);background:#fdecef}
.cards{list-style:none;padding:0;display:grid;gap:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:12px;background:var(--card)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;margin:0 0 8px}
dt{font-weight:600}dd{margin:0}
.runs{margin:0;padding-inline-start:18px}
.actions{display:flex;flex-wrap:wrap;gap:8px}
.actions form{margin:0}
button,.button{font:inherit;padding:8px 14px;min-height:44px;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;text-decoration:none;display:inline-flex;align-items:center}
button.danger{background:var(--bad);border-color:var(--bad)}
.signout button{background:var(--bg);color:var(--accent);min-height:36px}
form.digest,form.why{display:grid;gap:4px;max-width:520px}
form.why{margin-block-end:16px}
form.digest button,form.why button{justify-self:start;margin-block-start:8px}
label{font-weight:600;margin-block-start:6px}
input,select{font:inherit;padding:8px;min-height:44px;border:1px solid var(--muted);border-radius:6px;background:var(--bg);color:var(--fg);width:100%}
.help,.muted{color:var(--muted);font-size:.9rem;margin:0}
.status.active,.status.ok,.status.delivered,.status.not-modified{color:var(--ok);font-weight:600}
.status.paused,.status.pending,.status.failing{color:var(--warn);font-weight:600}
.status.disabled{color:var(--bad);font-weight:600}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
caption{text-align:start;color:var(--muted);padding:4px 0}
th,td{text-align:start;padding:6px 8px;border-block-end:1px solid var(--line);vertical-align:top}
.pager{display:flex;gap:16px;margin-block-start:12px}
.servers{padding-inline-start:20px}
code{font-size:.95em}
@media (max-width:600px){main{padding:12px}dl{grid-template-columns:1fr}dt{margin-block-start:6px}}
`;

/**
 * Live preview: as the topic is typed, the preview's list is fetched again (same origin, the
 * session cookie) and swapped in. Without JavaScript the form's Preview button does the same.
 */
export const PANEL_JS = `document.querySelectorAll('form[data-preview]').forEach(function (form) {
  var input = form.querySelector('input[name=query]'), out = document.getElementById('preview-items'), timer;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch(form.action + '/preview?query=' + encodeURIComponent(input.value), { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (text) { out.innerHTML = text; }, function () {});
    }, 300);
  });
});
`;
