import type { DrillPhase, DrillReport, PhaseTiming } from '../core/drill/drillReport';
import type { DrillHistoryEntry } from '../core/drill/drillHistory';
import type { HostReply } from './requests';
import { accept, isFields, oneOf, refuse, type Parsed } from './validate';

/** Messages between the drill report webview and its host. */

export type { DrillReport, DrillHistoryEntry, PhaseTiming };

/** Display names of the phases; the host sends them, so the webview needs no runtime code from the engine. */
export type PhaseLabels = Record<DrillPhase | 'cleanup', string>;

export type DrillReportHostMessage =
  | { type: 'show'; report: DrillReport; history: DrillHistoryEntry[]; phaseLabels: PhaseLabels }
  | { type: 'error'; message: string };

/** A host message as the webview receives it: replies carry the id of the request they answer. */
export type DrillReportHostReply = HostReply<DrillReportHostMessage>;

export type DrillReportWebviewMessage = { type: 'ready' } | { type: 'openFile'; which: 'json' | 'markdown' };

export function parseDrillReportWebviewMessage(raw: unknown): Parsed<DrillReportWebviewMessage> {
  if (!isFields(raw)) return refuse('not an object');
  const type = oneOf(raw.type, ['ready', 'openFile'] as const);
  switch (type) {
    case 'ready':
      return accept({ type });
    case 'openFile': {
      const which = oneOf(raw.which, ['json', 'markdown'] as const);
      return which ? accept({ type, which }) : refuse('openFile needs which: json or markdown');
    }
    default:
      return refuse(`unknown message type ${JSON.stringify(raw.type)}`);
  }
}
