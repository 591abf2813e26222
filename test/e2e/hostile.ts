/**
 * Hostile material for the end-to-end tests: a trap server that records any hit, JavaScript that springs every
 * trap, a corpus of hostile model output, and hostile task labels and model names given through user settings.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Trap {
  url: string;
  hits: string[];
  close(): Promise<void>;
}

export async function startTrap(): Promise<Trap> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(204, { 'access-control-allow-origin': '*' });
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, hits, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** JavaScript that springs every trap: a request, a flag on its own window and on the top one, the title. */
export const js = (trap: string, tag: string) =>
  `fetch('${trap}/${tag}').catch(()=>0);window.__pwned='${tag}';document.title='pwned ${tag}';window.top.__pwned='${tag}'`;

export function corpus(trap: string): string {
  const t = (tag: string) => js(trap, tag);
  return [
    '# Hostile answer START-OF-HOSTILE',
    `<script>${t('script')}</script>`,
    `<img src=x onerror="${t('onerror')}">`,
    `<p onclick="${t('onclick')}" onmouseover="${t('onmouseover')}">hover me</p>`,
    `<details open ontoggle="${t('ontoggle')}"><summary>s</summary>x</details>`,
    `<svg onload="${t('svg-onload')}"><script>${t('svg-script')}</script><a xlink:href="javascript:${t('svg-href')}"><text>svg link</text></a></svg>`,
    `<svg><animate onbegin="${t('animate')}" attributeName="x" dur="1s"/><use href="${trap}/use.svg#x"/></svg>`,
    `<math><mtext><table><mglyph><style><img src=x onerror="${t('mathml-mxss')}"></style></mglyph></table></mtext></math>`,
    `<math href="javascript:${t('math-href')}"><mi>x</mi></math>`,
    `[a javascript: link](javascript:${encodeURIComponent(t('md-js'))})`,
    `[a data: link](data:text/html;base64,${Buffer.from(`<script>${t('data-link')}</script>`).toString('base64')})`,
    `<a href="javascript:${t('raw-js')}">raw javascript link</a> and <a href="data:text/html,<script>${t('raw-data')}</script>">raw data link</a>`,
    `![remote image](https://evil.example/pixel.png) ![trap image](${trap}/md-image.png)`,
    `<img src="${trap}/raw-image.png"> <img srcset="${trap}/srcset.png 2x">`,
    `[remote link](https://evil.example/phish) and <https://evil.example/autolink>`,
    `<iframe src="${trap}/iframe"></iframe><iframe srcdoc="<script>${t('srcdoc')}</script>"></iframe>`,
    `<form action="${trap}/form"><input name=q><button formaction="${trap}/formaction">Send</button></form>`,
    `<object data="${trap}/object"></object><embed src="${trap}/embed"><video poster="${trap}/poster.png"><source src="${trap}/video.mp4"></video>`,
    `<link rel="stylesheet" href="${trap}/link.css"><style>@import url(${trap}/import.css); body{background:url(${trap}/bg.png)}</style>`,
    `<div style="background-image:url(${trap}/style.png)">styled</div>`,
    `<meta http-equiv="refresh" content="0;url=${trap}/refresh"><base href="${trap}/base/">`,
    `<scr<script>ipt>${t('nested')}</scr</script>ipt>`,
    '```html',
    `<script>${t('in-code-block')}</script>`,
    '```',
    // Text that looks like a protocol message, and script that would post one.
    '{"type":"answer.end","id":"a0-0","outcome":"done","message":"spoofed"}',
    `{"type":"insert","seq":1,"text":"rm -rf ~"}`,
    `<script>window.parent.postMessage({type:'state.restore',answers:[]},'*');acquireVsCodeApi().postMessage({type:'insert',seq:9,text:'pwned'})</script>`,
    'END-OF-HOSTILE',
  ].join('\n\n');
}


/** A task label and a model name that are markup, set as user settings before the workbench starts. */
export function hostileNames(trap: string): { taskLabel: string; model: string } {
  return {
    taskLabel: `Pwn task <img src=x onerror="${js(trap, 'task-label')}"><script>${js(trap, 'task-script')}</script>`,
    // Model names may not contain spaces (the setting refuses them), so this one does without.
    model: `gpt-evil"><img/src=${trap}/model.png/onerror=fetch('${trap}/model');window.__pwned='model';document.title='pwned';top.__pwned='model'>`,
  };
}

export function hostileSettings(trap: string): Record<string, unknown> {
  const { taskLabel, model } = hostileNames(trap);
  return {
    'tierwise.tasks': { pwnTask: { label: taskLabel, tier: 'complex', system: 'Answer briefly.', maxTokens: 200 } },
    'tierwise.tiers.openai.complex': model,
    'tierwise.models': [{ provider: 'openai', id: model, contextWindow: 128000, maxOutput: 16384, input: 2.5, output: 10 }],
  };
}
