import * as vscode from 'vscode';

/**
 * Tierwise's own log ("Tierwise" output channel). Every line passes through `redact`, so a key can
 * never reach the log even if an error message carried one.
 */
export class Log implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;
  private readonly secrets = new Set<string>();

  constructor() {
    this.channel = vscode.window.createOutputChannel('Tierwise', { log: true });
  }

  /** Remember a secret value so that it is masked wherever it appears. */
  addSecret(value: string | undefined): void {
    if (value && value.length >= 8) this.secrets.add(value);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('«key»');
    // Anything shaped like a provider key, even one we were never told about.
    return out.replace(/\b(sk-(?:ant-)?[A-Za-z0-9_-]{6})[A-Za-z0-9_-]{8,}/g, '$1…«key»').replace(/(Bearer\s+)[A-Za-z0-9._-]{8,}/gi, '$1«key»');
  }

  info(msg: string): void {
    this.channel.info(this.redact(msg));
  }
  warn(msg: string): void {
    this.channel.warn(this.redact(msg));
  }
  error(msg: string | Error): void {
    const text = msg instanceof Error ? `${msg.message}${msg.stack ? `\n${msg.stack}` : ''}` : msg;
    this.channel.error(this.redact(text));
  }
  debug(msg: string): void {
    this.channel.debug(this.redact(msg));
  }
  show(): void {
    this.channel.show(true);
  }
  dispose(): void {
    this.channel.dispose();
  }
}
