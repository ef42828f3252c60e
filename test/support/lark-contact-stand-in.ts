/**
 * The Lark stand-in's contact directory: the two endpoints the directory reader uses, answered in
 * the documented shapes (test/fixtures/lark/contact.ts), paged by page_size and an opaque
 * page_token, with id types checked; or, when told to, refused for a missing scope (99991672).
 */
export interface StandInDepartment {
  openDepartmentId: string;
  name: string;
  /** '0' for a department under the root. */
  parent: string;
}

export interface StandInUser {
  openId: string;
  name: string;
  employeeNo?: string;
  mobile?: string;
  departments: string[];
  resigned?: boolean;
}

export interface StandInDirectory {
  departments: StandInDepartment[];
  users: StandInUser[];
  /** The app has not been given the contact scopes. */
  denied?: boolean;
}

type Answer = { status: number; code: number; payload: Record<string, unknown> };

/** One page of `items` as the platform answers it: page_size (at most 50) of them, and an opaque page_token. */
function paged<T>(items: T[], query: Record<string, string>, shape: (item: T) => object): Answer {
  const size = Math.min(50, Math.max(1, Number(query.page_size ?? 50)));
  const start = query.page_token ? Number(query.page_token.replace(/^pt_/, '')) : 0;
  const more = start + size < items.length;
  const page = items.slice(start, start + size);
  return {
    status: 200,
    code: 0,
    payload: {
      data: { has_more: more, page_token: more ? `pt_${start + size}` : '', items: page.map(shape) },
    },
  };
}

const below = (directory: StandInDirectory, parent: string): StandInDepartment[] =>
  directory.departments
    .filter((d) => d.parent === parent)
    .flatMap((d) => [d, ...below(directory, d.openDepartmentId)]);

/** The answer to a contact call, or null when the path is not one of these. */
export function contactAnswer(
  directory: StandInDirectory,
  path: string,
  query: Record<string, string>,
): Answer | null {
  const children = /^\/open-apis\/contact\/v3\/departments\/([^/]+)\/children$/.exec(path);
  const users = path === '/open-apis/contact/v3/users/find_by_department';
  if (!children && !users) return null;
  if (directory.denied) {
    return {
      status: 400,
      code: 99991672,
      payload: {
        error: {
          permission_violations: [
            { type: 'action_scope_required', subject: 'contact:contact.base:readonly' },
          ],
        },
      },
    };
  }
  if (query.department_id_type !== 'open_department_id' || query.user_id_type !== 'open_id') {
    return { status: 400, code: 99992402, payload: {} };
  }
  if (children) {
    const parent = decodeURIComponent(children[1]!);
    const all =
      query.fetch_child === 'true'
        ? below(directory, parent)
        : directory.departments.filter((d) => d.parent === parent);
    return paged(all, query, (d) => ({
      name: d.name,
      i18n_name: { zh_cn: d.name, ja_jp: '', en_us: '' },
      parent_department_id: d.parent,
      open_department_id: d.openDepartmentId,
      department_id: d.openDepartmentId.replace(/^od-/, 'D'),
      status: { is_deleted: false },
    }));
  }
  const department = query.department_id ?? '';
  const direct = directory.users.filter((u) =>
    department === '0' ? u.departments.length === 0 : u.departments.includes(department),
  );
  return paged(direct, query, (u) => ({
    union_id: `on_${u.openId.slice(3)}`,
    open_id: u.openId,
    name: u.name,
    ...(u.mobile ? { mobile: u.mobile } : {}),
    department_ids: u.departments.length > 0 ? u.departments : ['0'],
    status: { is_frozen: false, is_resigned: u.resigned === true, is_activated: true },
    ...(u.employeeNo ? { employee_no: u.employeeNo } : {}),
  }));
}
