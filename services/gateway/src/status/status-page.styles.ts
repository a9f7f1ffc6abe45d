import { createHash } from 'node:crypto';

/** The page's only style sheet, inline: no external asset, no script. Colours keep 4.5:1 contrast. */
export const STATUS_PAGE_CSS = [
  ':root{color-scheme:light dark;--bg:#f6f8fa;--card:#fff;--text:#1f2328;--muted:#59636e;--line:#d1d9e0;',
  '--operational:#1a7f37;--degraded:#9a6700;--partial_outage:#bc4c00;--major_outage:#cf222e;--no_data:#59636e}',
  '@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#151b23;--text:#f0f6fc;--muted:#9198a1;',
  '--line:#3d444d;--operational:#3fb950;--degraded:#d29922;--partial_outage:#f0883e;--major_outage:#f85149;',
  '--no_data:#9198a1}}',
  '*{box-sizing:border-box}',
  'body{margin:0;background:var(--bg);color:var(--text);',
  'font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}',
  'main{max-width:56rem;margin:0 auto;padding:2rem 1rem 3rem}',
  'h1{font-size:1.75rem;line-height:1.25;margin:0 0 1.5rem;overflow-wrap:anywhere}',
  'h2{font-size:1.125rem;margin:2rem 0 .75rem}',
  'p{margin:0}',
  '.banner{padding:1rem 1.25rem;border-radius:.5rem;color:#fff;font-size:1.125rem;font-weight:600}',
  '.banner.operational{background:#1a7f37}.banner.degraded{background:#9a6700}',
  '.banner.partial_outage{background:#bc4c00}.banner.major_outage{background:#cf222e}',
  '.banner.no_data{background:#59636e}',
  '.list{list-style:none;margin:0;padding:0;background:var(--card);border:1px solid var(--line);border-radius:.5rem}',
  '.list>li{padding:1rem 1.25rem;border-top:1px solid var(--line)}.list>li:first-child{border-top:0}',
  '.group{display:grid;grid-template-columns:1fr auto;gap:.25rem 1rem;align-items:baseline}',
  '.name{font-weight:600;overflow-wrap:anywhere}',
  '.state{font-weight:600;white-space:nowrap}',
  '.state::before{content:"";display:inline-block;width:.625rem;height:.625rem;margin-right:.5rem;',
  'border-radius:50%;background:currentColor}',
  '.operational .state{color:var(--operational)}.degraded .state{color:var(--degraded)}',
  '.partial_outage .state{color:var(--partial_outage)}.major_outage .state{color:var(--major_outage)}',
  '.no_data .state{color:var(--no_data)}',
  '.facts{grid-column:1/-1;display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;margin:0;color:var(--muted);font-size:.9375rem}',
  '.facts div{display:flex;gap:.375rem}dt,dd{margin:0}dd{color:var(--text);font-variant-numeric:tabular-nums}',
  '.badge{display:inline-block;margin-right:.5rem;padding:0 .5rem;border:1px solid currentColor;',
  'border-radius:999px;font-size:.8125rem;font-weight:600}',
  '.critical{color:var(--major_outage)}.warning{color:var(--degraded)}.info{color:var(--muted)}',
  '.meta,.note{color:var(--muted);font-size:.9375rem}.note{padding:1rem 1.25rem}',
  'footer{margin-top:2.5rem;color:var(--muted);font-size:.875rem}footer p+p{margin-top:.5rem}footer a{color:inherit}',
  '@media (max-width:30rem){main{padding-top:1.25rem}h1{font-size:1.5rem}.group{grid-template-columns:1fr}}',
].join('');

const styleHash = createHash('sha256').update(STATUS_PAGE_CSS).digest('base64');

/** Nothing loads but the one inline style sheet above, named by its hash; no frames, forms or base URL. */
export const STATUS_PAGE_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${styleHash}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
