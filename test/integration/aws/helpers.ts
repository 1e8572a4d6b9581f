import { createAwsClients, type AwsClients } from '../../../src/core/aws/clients';
import type { Logger } from '../../../src/core/log';
import type { BrowserUi } from '../../../src/vscode/aws/browsers/browserUi';
import { awsEndpointUrl, awsRegion } from '../../support/env';

export function testClients(): AwsClients {
  return createAwsClients({ url: awsEndpointUrl(), region: awsRegion, source: { kind: 'setting' } });
}

/** A logger that keeps what it was told, so tests can check that failures are logged. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (level: string) => (m: string | Error) => lines.push(`${level} ${m instanceof Error ? m.message : m}`);
  return { lines, debug: add('debug'), info: add('info'), warn: add('warn'), error: add('error') };
}

/**
 * The editor's side of a browser, scripted: confirmations answer `confirmAnswer`, picks take the first option,
 * saves go to `saveTo`, progress runs the task directly. The AWS side is real.
 */
export function scriptedUi(
  options: { confirmAnswer?: boolean; saveTo?: string; blocked?: string } = {},
): BrowserUi & { confirms: string[] } {
  const confirms: string[] = [];
  return {
    confirms,
    async confirm(message) {
      confirms.push(message);
      return options.confirmAnswer ?? true;
    },
    async pick(_title, opts) {
      return opts[0];
    },
    async saveFile() {
      return options.saveTo;
    },
    withProgress(_title, task) {
      return task(new AbortController().signal, () => {});
    },
    writeBlockedReason: () => options.blocked,
  };
}

/** Collects what a controller posts to its webview. */
export function postbox<T extends { type: string }>() {
  const posted: T[] = [];
  return {
    posted,
    post: (m: T) => posted.push(m),
    last<K extends T['type']>(type: K): Extract<T, { type: K }> | undefined {
      return [...posted].reverse().find((m) => m.type === type) as Extract<T, { type: K }> | undefined;
    },
    clear: () => posted.splice(0),
  };
}
