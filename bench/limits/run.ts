/**
 * Rate-limit benchmark, in simulated time (see sim.ts for the scenarios and their goals). The unit test
 * test/unit/resilience/limitsBench.test.ts asserts the same goals in `npm test`; this prints the figures.
 *
 * Run: npx tsx bench/limits/run.ts
 */
import { startFakeProvider } from '../../test/fake-provider/server';
import { N, RPM, TPM, cases, scenario, serverTokens, workload, type Stats } from './sim';
import { estimateInputTokens } from '../../src/core/providers/usage';

function print(title: string, s: Stats): void {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  console.log(`\n${title}`);
  console.log(`  completed            ${s.completed} / ${N}   (failed ${s.failed}, lost ${s.lost}, duplicated ${s.duplicated})`);
  console.log(`  HTTP requests        ${s.http}`);
  console.log(`  429s received        ${s.rateLimited}   (${pct(s.rateLimited / N)} of requests)`);
  console.log(`  sent before limits   ${s.sentBlind}   (limits in force at the end: ${s.learned})`);
  console.log(`  retries              ${s.retries}`);
  console.log(`  'queued' events      ${s.queuedEvents}`);
  console.log(`  simulated time       ${(s.simulatedMs / 1000).toFixed(1)} s`);
  console.log(`  binding limit        ${s.binding === 'tokens' ? `TPM ${TPM}` : `RPM ${RPM}`}`);
  console.log(`  throughput           ${pct(s.binding === 'tokens' ? s.tokenUtilisation : s.requestUtilisation)} of the binding limit (TPM ${pct(s.tokenUtilisation)}, RPM ${pct(s.requestUtilisation)}, over complete minutes, as the server counted)`);
}

async function main(): Promise<void> {
  const fake = await startFakeProvider();
  try {
    const reqs = workload();
    const server = reqs.reduce((n, r) => n + serverTokens(r), 0);
    const rough = reqs.reduce((n, r) => n + estimateInputTokens(r), 0);
    console.log(`${N} requests, ${server} input tokens in all as the server counts them (mean ${Math.round(server / N)}; the rough estimate says ${rough}, ${(((rough - server) / server) * 100).toFixed(1)} %), fake limits RPM ${RPM}, TPM ${TPM}`);
    console.log(`lower bound on simulated time: ${((Math.max(server / TPM, N / RPM) - 1) * 60).toFixed(0)} s`);
    const verdicts: string[] = [];
    let ok = true;
    for (const c of cases()) {
      const s = await scenario(fake, c.settings, c.options);
      print(c.title, s);
      const failed = c.check(s);
      ok &&= failed.length === 0;
      verdicts.push(`${c.id.padEnd(7)} ${failed.length === 0 ? 'PASS' : 'FAIL'}: ${c.goal}${failed.length ? ` (${failed.join('; ')})` : ''} [${s.rateLimited} 429s, ${((s.binding === 'tokens' ? s.tokenUtilisation : s.requestUtilisation) * 100).toFixed(1)} %]`);
    }
    console.log(`\n${verdicts.join('\n')}`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    await fake.close();
  }
}

void main();
