import { startRequestLog } from '../../emulator/observe/request-log.js';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../../emulator/observe/log-settings.js';
import type { HubFixture } from '../mqtt/hub-fixture.js';
import { httpsText } from '../support/https-text.js';

/** Every level in both formats, each captured on its own, all listening to one emulator's activity. */
export class CapturedLogs {
  private readonly lines = new Map<string, string[]>();

  constructor(hub: HubFixture) {
    for (const level of LOG_LEVELS) {
      for (const format of LOG_FORMATS) {
        const captured: string[] = [];
        this.lines.set(`${level}/${format}`, captured);
        startRequestLog(hub.emulator.activity, { level, format, write: (line) => captured.push(line) });
      }
    }
  }

  of(level: LogLevel, format: LogFormat): string[] {
    return this.lines.get(`${level}/${format}`) ?? [];
  }

  /** Every captured text, by `level/format`. */
  all(): [string, string][] {
    return [...this.lines].map(([name, lines]) => [name, lines.join('')]);
  }
}

/** The control plane's metrics text (and its content type). */
export async function scrape(hub: HubFixture): Promise<{ text: string; contentType: string }> {
  const reply = await httpsText({ url: `${hub.controlPlaneUrl}/metrics`, method: 'GET', ca: hub.emulator.caCertificate });
  if (reply.status !== 200) throw new Error(`GET /_emulator/metrics answered ${reply.status}: ${reply.text}`);
  return { text: reply.text, contentType: String(reply.headers['content-type']) };
}

/** The value of one series in a Prometheus text scrape (0 when absent). */
export function metricValue(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const wanted = Object.entries(labels).map(([label, value]) => `${label}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{(.*)\}/.exec(line)?.[1] ?? '';
    if (wanted.every((pair) => labelText.split(',').includes(pair))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}
