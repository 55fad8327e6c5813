import type { ActivityFeed } from '../state/activity.js';
import { formatLogLine, logEntryOf } from './log-lines.js';
import { levelIncludes, type RequestLogSettings } from './log-settings.js';
import { redactSecrets } from './redact.js';

/**
 * The request log (issue 15): one line per activity at or above the configured level, in text or
 * JSON lines, every line scrubbed of credential shapes before it is written. Outside the core: it
 * only listens to the activity feed. Returns the function that stops it.
 */
export function startRequestLog(feed: ActivityFeed, settings: RequestLogSettings): () => void {
  return feed.subscribe((event) => {
    const entry = logEntryOf(event);
    if (!levelIncludes(settings.level, entry.level)) return;
    settings.write(redactSecrets(formatLogLine(entry, event.at, settings.format)));
  });
}
