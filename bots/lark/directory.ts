/**
 * The Lark contact directory, read through the Open API as the documentation describes it:
 * `GET /open-apis/contact/v3/departments/0/children?fetch_child=true` for every department under
 * the root, and `GET /open-apis/contact/v3/users/find_by_department` for the people of the root and
 * of each department, 50 a page, following `page_token`. Ids are open ids (open_department_id,
 * open_id). Fields the app has no scope for are simply absent (employee_no, mobile); a missing
 * scope as a whole is code 99991672, told back with what it names.
 */
import type { Directory, DirectoryPerson, DirectoryRead, DirectoryUnit } from '../core/directory.ts';
import { call } from './sender.ts';
import type { LarkTransport } from './transport.ts';

interface Page<T> {
  code?: number;
  msg?: string;
  data?: { items?: T[]; has_more?: boolean; page_token?: string };
  error?: { permission_violations?: { subject?: string }[] };
}

interface LarkDepartment {
  name?: string;
  open_department_id?: string;
  department_id?: string;
  parent_department_id?: string;
}

interface LarkUser {
  open_id?: string;
  union_id?: string;
  name?: string;
  employee_no?: string;
  mobile?: string;
  department_ids?: string[];
  status?: { is_resigned?: boolean; is_activated?: boolean };
}

/** Codes meaning the app may not read the contact directory (or this part of it). */
const permissionCodes = new Set([99991672, 99991679, 40004, 41050]);

class Refused extends Error {
  constructor(
    readonly reason: 'no_permission' | 'failed',
    detail: string,
  ) {
    super(detail);
  }
}

async function allPages<T>(
  transport: LarkTransport,
  path: string,
  query: Record<string, string | number>,
): Promise<T[]> {
  const items: T[] = [];
  let pageToken = '';
  // 1,000 pages of 50 is a company of 50,000: far past any union this serves.
  for (let page = 0; page < 1000; page++) {
    // A token the platform calls invalid is dropped and the page asked for once more.
    const answer = await call<Page<T>>(transport, {
      method: 'GET',
      path,
      query: { ...query, page_size: 50, ...(pageToken ? { page_token: pageToken } : {}) },
    });
    const body = answer.body;
    if (body?.code !== 0) {
      const code = body?.code ?? answer.status;
      const scopes = (body?.error?.permission_violations ?? []).map((v) => v.subject).filter(Boolean);
      const detail = `${path}: code ${code}${scopes.length > 0 ? ` (needs ${scopes.join(', ')})` : body?.msg ? ` (${body.msg})` : ''}`;
      throw new Refused(permissionCodes.has(Number(code)) ? 'no_permission' : 'failed', detail);
    }
    items.push(...(body.data?.items ?? []));
    if (!body.data?.has_more || !body.data.page_token) break;
    pageToken = body.data.page_token;
  }
  return items;
}

const ids = { department_id_type: 'open_department_id', user_id_type: 'open_id' } as const;

export function larkDirectory(transport: LarkTransport): Directory {
  return {
    channel: 'lark',
    async read(): Promise<DirectoryRead> {
      try {
        const departments = await allPages<LarkDepartment>(
          transport,
          '/open-apis/contact/v3/departments/0/children',
          {
            ...ids,
            fetch_child: 'true',
          },
        );
        const units: DirectoryUnit[] = departments
          .filter((d) => d.open_department_id && d.name)
          .map((d) => ({
            key: d.open_department_id!,
            parentKey:
              d.parent_department_id && d.parent_department_id !== '0' ? d.parent_department_id : null,
            name: d.name!.trim().slice(0, 60),
          }));
        const people = new Map<string, DirectoryPerson>();
        for (const department of ['0', ...units.map((u) => u.key)]) {
          const users = await allPages<LarkUser>(
            transport,
            '/open-apis/contact/v3/users/find_by_department',
            {
              ...ids,
              department_id: department,
            },
          );
          for (const user of users) {
            if (!user.open_id || !user.name || user.status?.is_resigned) continue;
            people.set(user.open_id, {
              externalId: user.open_id,
              ...(user.union_id ? { unionId: user.union_id } : {}),
              name: user.name.trim().slice(0, 30),
              ...(user.employee_no ? { employeeNo: user.employee_no.trim().toUpperCase() } : {}),
              ...(user.mobile ? { mobile: user.mobile } : {}),
              unitKeys: (user.department_ids ?? []).filter((id) => id !== '0'),
            });
          }
        }
        return { ok: true, units, people: [...people.values()] };
      } catch (error) {
        if (error instanceof Refused) return { ok: false, reason: error.reason, detail: error.message };
        return {
          ok: false,
          reason: 'failed',
          detail: error instanceof Error ? error.message : String(error),
        };
      }
    },
  };
}
