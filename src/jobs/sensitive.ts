/**
 * Keeping a sensitive flow's answers (a help request being filled in) out of the database in
 * clear: its state is sealed between turns, and once a message answered inside it has been
 * handled, the stored copy of the message is sealed in the inbox and blanked in channel history.
 */
import type { ConversationState } from '../../flows/engine/types.ts';
import type { KeyRing } from '../crypto/sealed.ts';

interface SealedData {
  sealed: string;
}

const isSealedData = (data: unknown): data is SealedData =>
  typeof data === 'object' && data !== null && typeof (data as SealedData).sealed === 'string';

export async function sealFlowState(state: ConversationState, keyRing: KeyRing): Promise<ConversationState> {
  return { ...state, data: { sealed: await keyRing.seal(JSON.stringify(state.data)) } satisfies SealedData };
}

/** The state with its data in clear again (a state that was never sealed is returned as it is). */
export async function openFlowState(
  state: ConversationState | null,
  keyRing: KeyRing,
): Promise<ConversationState | null> {
  if (!state || !isSealedData(state.data)) return state;
  try {
    return { ...state, data: JSON.parse(await keyRing.open(state.data.sealed)) };
  } catch {
    // A key no longer in DATA_KEY: the engine tells the person the form could not be continued.
    return { ...state, data: null };
  }
}

/** An inbound payload with its typed text sealed. */
export async function sealInboundText(
  payload: Record<string, unknown>,
  keyRing: KeyRing,
): Promise<Record<string, unknown>> {
  const content = payload.content as { type?: string; text?: unknown } | undefined;
  if (content?.type !== 'text' || typeof content.text !== 'string' || keyRing.isSealed(content.text))
    return payload;
  return { ...payload, content: { ...content, text: await keyRing.seal(content.text) } };
}
