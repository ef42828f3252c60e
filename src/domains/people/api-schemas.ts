/** The officer API's shapes for units and people: validated at the edge, and described in OpenAPI. */
import { z } from 'zod';
import { roles } from '../../../flows/engine/roles.ts';

const unitName = z.string().trim().min(1).max(60);

const uuidParam = z.string().uuid();

export const unitCreateBody = z
  .object({ nameZh: unitName, nameEn: unitName, parentId: uuidParam.nullable().default(null) })
  .strict();

export const unitRenameBody = z
  .object({ nameZh: unitName.optional(), nameEn: unitName.optional() })
  .strict()
  .refine((b) => b.nameZh !== undefined || b.nameEn !== undefined, { error: 'nothing to change' });

export const peopleQuery = z
  .object({
    q: z.string().trim().min(1).max(100).optional(),
    role: z.enum(roles).optional(),
    unit: uuidParam.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

export const personChangeBody = z
  .object({
    role: z.enum(roles).optional(),
    /** The unit the person belongs to (their items go there); null clears it. */
    orgUnitId: uuidParam.nullable().optional(),
    /** For officers and admins: the units whose items they handle (replaces the list). */
    officerUnitIds: z.array(uuidParam).max(50).optional(),
  })
  .strict();

export const orgUnitView = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  nameZh: z.string(),
  nameEn: z.string(),
  pathZh: z.string(),
  pathEn: z.string(),
});

export const orgUnitList = z.object({ items: z.array(orgUnitView) });

export const personView = z.object({
  memberNo: z.number().int(),
  displayName: z.string(),
  role: z.enum(roles),
  unit: z.object({ zh: z.string(), en: z.string() }).nullable(),
  officerUnits: z.array(z.object({ id: z.string(), nameZh: z.string(), nameEn: z.string() })),
  channels: z.array(z.string()),
  /** 工号, when the roster lists the person. */
  employeeNo: z.string().nullable(),
  /** false: 未核实, a web visitor nobody vouched for (no roster, directory, role, unit or messenger). */
  verified: z.boolean(),
});

export const peoplePage = z.object({
  items: z.array(personView),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
