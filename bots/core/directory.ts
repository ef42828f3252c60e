/**
 * The directory port: an enterprise messenger's own list of its departments and people (Lark's
 * contact API; later WeCom's and DingTalk's), read as a whole for the union's roster. The server
 * turns departments into units and vouches for the people's accounts on that messenger.
 */
import type { ChannelName } from './messenger.ts';

export interface DirectoryUnit {
  /** The department's id on the platform (stable across renames). */
  key: string;
  parentKey: string | null;
  name: string;
}

export interface DirectoryPerson {
  /** The account's id on that channel, as its messages name the sender (Lark: open_id). */
  externalId: string;
  unionId?: string;
  name: string;
  /** 工号, when the platform gives it (Lark: with the employee-number scope). */
  employeeNo?: string;
  mobile?: string;
  unitKeys: string[];
}

export type DirectoryRead =
  | { ok: true; units: DirectoryUnit[]; people: DirectoryPerson[] }
  /** no_permission: the app lacks the contact scopes (the detail names them); failed: anything else. */
  | { ok: false; reason: 'no_permission' | 'failed'; detail: string };

export interface Directory {
  readonly channel: ChannelName;
  /** Every department and every person the app may see; nothing partial on failure. */
  read(): Promise<DirectoryRead>;
}
