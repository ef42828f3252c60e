/** What the console's 花名册 pages say, in both languages. */
import type { RosterImportResult } from '../../../db/schema/index.ts';
import type { L10n } from '../../../kernel/l10n.ts';

export const text = {
  title: { zh: '花名册导入导出', en: 'Roster import and export' },
  back: { zh: '返回人员列表', en: 'Back to people' },
  another: { zh: '重新上传', en: 'Upload another file' },
  uploadTitle: { zh: '导入花名册', en: 'Import a roster' },
  columns: (list: string) => ({
    zh: `第 1 行为表头，列为：${list}（须有姓名、工号、单位三列；姓名、工号必填，单位写完整路径，如 林业局工会/太平林场工会，留空即不属于任何单位）。按工号导入：已有的人更新，没有的新建，不会重复。`,
    en: `Row 1 is the header, with the columns: ${list} (the name, employee number and unit columns must be there; name and number are required, the unit is its whole path, e.g. 林业局工会/太平林场工会, or empty for none). Rows are matched by employee number: people already known are updated, others are added, nobody is doubled.`,
  }),
  limits: (rows: number, mb: number) => ({
    zh: `Excel 工作簿（.xlsx，读第一个工作表）或 CSV（UTF-8 或 GBK），最多 ${rows} 人、${mb} MB。先检查，确认后才写入。`,
    en: `An Excel workbook (.xlsx, its first sheet) or a CSV (UTF-8 or GBK), at most ${rows} people and ${mb} MB. It is checked first and written only when you confirm.`,
  }),
  file: { zh: '文件', en: 'File' },
  check: { zh: '上传并检查', en: 'Upload and check' },
  exportTitle: { zh: '导出花名册', en: 'Export the roster' },
  exportHint: {
    zh: '导出有工号的全部人员，列与导入相同，含手机号；每次导出都记入审计日志。',
    en: 'Everyone with an employee number, in the import’s columns, phone numbers included; every export is written to the audit log.',
  },
  exportXlsx: { zh: '导出 Excel', en: 'Export Excel' },
  exportCsv: { zh: '导出 CSV', en: 'Export CSV' },
  noFile: { zh: '请选择要导入的文件。', en: 'Choose a file to import.' },
  tooLarge: (bytes: number) => ({
    zh: `文件超过 ${Math.round(bytes / 1024 / 1024)} MB，请分成几个文件导入。`,
    en: `The file is larger than ${Math.round(bytes / 1024 / 1024)} MB; please split it into several files.`,
  }),
  noImport: {
    zh: '找不到这次上传，请重新上传文件。',
    en: 'That upload is not here; please upload the file again.',
  },
  row: { zh: '行', en: 'Row' },
  column: { zh: '列', en: 'Column' },
  why: { zh: '问题', en: 'Problem' },
  changes: { zh: '将修改', en: 'Changes' },
  summary: (created: number, updated: number, unchanged: number, units: number) => ({
    zh: `将新增 ${created} 人，更新 ${updated} 人，${unchanged} 人不变，新建单位 ${units} 个。`,
    en: `Would add ${created}, update ${updated}, leave ${unchanged} unchanged, and create ${units} units.`,
  }),
  hasProblems: (n: number) => ({
    zh: `有 ${n} 处问题，全部改正后重新上传才能导入；现在什么都没有写入。`,
    en: `${n} problems: correct them all and upload again to import; nothing has been written.`,
  }),
  nothingToDo: {
    zh: '花名册已是最新，无需导入。',
    en: 'The roster is up to date; there is nothing to import.',
  },
  apply: { zh: '确认导入', en: 'Import' },
  refused: {
    zh: '没有导入：花名册在检查之后有了变化，出现了下列问题。',
    en: 'Not imported: the roster changed after the check, and these problems came up.',
  },
  imported: (r: RosterImportResult) => ({
    zh: `已导入：新增 ${r.created} 人，更新 ${r.updated} 人，${r.unchanged} 人不变，新建单位 ${r.unitsCreated} 个。`,
    en: `Imported: ${r.created} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.unitsCreated} units created.`,
  }),
  toPeople: { zh: '查看人员列表', en: 'See the people' },
  newUnits: (n: number) => ({ zh: `将新建的单位（${n}）`, en: `Units to create (${n})` }),
  toCreate: (n: number) => ({ zh: `将新增（${n}）`, en: `To add (${n})` }),
  toUpdate: (n: number) => ({ zh: `将更新（${n}）`, en: `To update (${n})` }),
  more: (n: number) => ({ zh: `另有 ${n} 人未列出。`, en: `${n} more not listed.` }),
} satisfies Record<string, L10n | ((...args: never[]) => L10n)>;
