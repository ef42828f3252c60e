/**
 * Keeping a conversation's answers out of the database in clear: a flow's state (a suggestion or
 * a help request being filled in) is sealed between turns, whatever the flow.
 */
import type { ConversationState } from '../../flows/engine/types.ts';
import type { KeyRing } from '../kernel/crypto/sealed.ts';

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
