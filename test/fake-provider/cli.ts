/**
 * Run the fake provider by hand: `npx tsx test/fake-provider/cli.ts [--port N] [--host H]`.
 * Prints the base URLs and serves until interrupted.
 */
import { startFakeProvider } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const port = arg('port');
  const fake = await startFakeProvider({ port: port ? Number(port) : 0, host: arg('host') });
  process.stdout.write(
    [
      `fake provider listening on ${fake.url}`,
      `  OpenAI base URL:     ${fake.openaiBaseUrl}`,
      `  Anthropic base URL:  ${fake.anthropicBaseUrl}`,
      `  DashScope base URL:  ${fake.dashscopeBaseUrl}`,
      `  control:             POST ${fake.url}/__fake/scenarios | GET /__fake/requests | POST /__fake/reset | POST /__fake/limits`,
      '',
    ].join('\n'),
  );
  const stop = () => {
    void fake.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
