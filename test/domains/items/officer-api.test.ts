import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, outbox, submissionEvents, submissions } from '../../../db/schema/index.ts';
import { primaryKind } from '../../support/databases.ts';
import { bubbleText, useStack, webVisitor } from '../../support/stack.ts';

const fixture = useStack();

async function fileSuggestion(title: string, opts: { anonymous?: boolean; english?: boolean } = {}) {
  const person = await webVisitor(fixture.stack);
  if (opts.english) await person.say('English');
  await person.say(opts.english ? 'suggest' : '建议');
  await person.say(title);
  await person.say('2');
  await person.say('把每周一次的人工巡检改为传感器自动监测，异常时短信提醒值班员。');
  await person.say('跳过');
  await person.say(opts.anonymous ? '匿名' : '署名');
  const receipt = bubbleText(await person.say('提交'));
  const code = /JY-\d{4}-\d{4}/.exec(receipt)?.[0];
  if (!code) throw new Error(`no reference code in: ${receipt}`);
  return { person, code };
}

const writes = async () => {
  const db = fixture.database.db;
  const [[a], [o], [e]] = await Promise.all([
    db.select({ n: count() }).from(auditLog),
    db.select({ n: count() }).from(outbox),
    db.select({ n: count() }).from(submissionEvents),
  ]);
  return { audit: a!.n, outbox: o!.n, events: e!.n };
};

describe(`officer API (${primaryKind})`, () => {
  it('refuses a missing or wrong bearer token', async () => {
    for (const authorization of ['', 'Bearer wrong-token-0000000000', 'Basic dGVzdA==', `Bearer  `]) {
      const res = await fixture.stack.request('/api/submissions', {
        headers: authorization ? { authorization } : {},
      });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('unauthorized');
      expect(body.error.message).toContain('访问令牌');
    }
    const english = await fixture.stack.request('/api/submissions', {
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(((await english.json()) as { error: { message: string } }).error.message).toContain(
      'Missing or wrong',
    );
  });

  it('lists, filters and searches submissions, hiding anonymous proposers', async () => {
    const { code: signed } = await fileSuggestion('巡检改为自动监测');
    const { code: anonymous } = await fileSuggestion('锅炉房余热回收', { anonymous: true });
    const res = await fixture.stack.api('/submissions?limit=100');
    expect(res.status).toBe(200);
    const list = (await res.json()) as {
      items: { referenceCode: string; proposer: unknown; category: string }[];
      total: number;
    };
    expect(list.total).toBeGreaterThanOrEqual(2);
    const byCode = new Map(list.items.map((i) => [i.referenceCode, i]));
    expect(byCode.get(signed)?.proposer).toEqual({
      name: expect.stringContaining('测试员'),
      verified: false,
    });
    expect(byCode.get(anonymous)?.proposer).toBeNull();
    expect(byCode.get(signed)?.category).toBe('technology');

    const searched = (await (
      await fixture.stack.api(`/submissions?q=${encodeURIComponent('余热')}`)
    ).json()) as {
      items: { referenceCode: string }[];
    };
    expect(searched.items.map((i) => i.referenceCode)).toEqual([anonymous]);
    const byText = (await (
      await fixture.stack.api(`/submissions?q=${encodeURIComponent('传感器')}`)
    ).json()) as {
      total: number;
    };
    expect(byText.total).toBeGreaterThanOrEqual(2);
    const noneInReview = (await (await fixture.stack.api('/submissions?status=rewarded')).json()) as {
      total: number;
    };
    expect(noneInReview.total).toBe(0);
    const percent = (await (
      await fixture.stack.api(`/submissions?q=${encodeURIComponent('100%_')}`)
    ).json()) as {
      total: number;
    };
    expect(percent.total).toBe(0);
  });

  it('rejects bad list queries with the fields named', async () => {
    const res = await fixture.stack.api('/submissions?status=done&limit=1000');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toContain('status');
    expect(body.error.message).toContain('limit');
  });

  it('moves a suggestion along its lifecycle and tells the proposer in the web chat', async () => {
    const { person, code } = await fileSuggestion('夜班增加热餐');
    await person.replies();
    const moved = await fixture.stack.api(`/submissions/${code}/status`, {
      method: 'POST',
      json: { status: 'in_review', reply: '已转后勤科研究' },
    });
    expect(moved.status).toBe(200);
    const detail = (await moved.json()) as {
      status: string;
      nextStatuses: string[];
      timeline: { type: string }[];
    };
    expect(detail.status).toBe('in_review');
    expect(detail.nextStatuses).toEqual(['accepted', 'not_adopted']);
    expect(detail.timeline.map((e) => e.type)).toEqual(['submitted', 'status_changed']);

    await fixture.stack.drain();
    const notice = bubbleText(await person.replies());
    expect(notice).toContain('您的合理化建议有新进展');
    expect(notice).toContain(code);
    expect(notice).toContain('已提交 → 审核中');
    expect(notice).toContain('已转后勤科研究');

    const mine = bubbleText(await person.say('我的'));
    expect(mine).toContain('审核中');

    const [audit] = await fixture.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'submission.status'));
    expect(audit).toMatchObject({
      actorType: 'admin_token',
      subjectId: code,
      detail: { from: 'submitted', to: 'in_review' },
    });
  });

  it('tells an English-speaking proposer in English', async () => {
    const { person, code } = await fileSuggestion('Hot meals for the night shift', { english: true });
    await person.replies();
    await fixture.stack.api(`/submissions/${code}/status`, { method: 'POST', json: { status: 'in_review' } });
    await fixture.stack.drain();
    const notice = bubbleText(await person.replies());
    expect(notice).toContain('Update on your suggestion');
    expect(notice).toContain('Submitted → In review');
  });

  it('refuses skipped steps, missing reasons, long replies and unknown codes, changing nothing', async () => {
    const { code } = await fileSuggestion('更衣室加装烘干机');
    const before = await writes();
    const post = (ref: string, json: unknown, init: RequestInit = {}) =>
      fixture.stack.api(`/submissions/${ref}/status`, { method: 'POST', json, ...init });

    const skip = await post(code, { status: 'rewarded' });
    expect(skip.status).toBe(409);
    const skipBody = (await skip.json()) as { error: { message: string; details: { allowed: string[] } } };
    expect(skipBody.error.message).toContain('不能从“已提交”改为“已奖励”');
    expect(skipBody.error.details.allowed).toEqual(['in_review']);

    const unknown = await post('JY-2026-9999', { status: 'in_review' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain(
      'JY-2026-9999',
    );

    const badStatus = await post(code, { status: 'done' });
    expect(badStatus.status).toBe(400);

    const extra = await post(code, { status: 'in_review', by: 'me' });
    expect(extra.status).toBe(400);

    const tooLong = await post(code, { status: 'in_review', reply: '长'.repeat(2001) });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { error: { message: string } }).error.message).toContain(
      '最多 2000 字，您输入了 2001 字',
    );

    const malformed = await fixture.stack.api(`/submissions/${code}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"status":',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('invalid_json');

    await post(code, { status: 'in_review' });
    const afterReview = await writes();
    const noReason = await post(code, { status: 'not_adopted', reply: '   ' });
    expect(noReason.status).toBe(400);
    expect(((await noReason.json()) as { error: { message: string } }).error.message).toContain(
      '必须填写答复',
    );

    expect(await writes()).toEqual(afterReview);
    expect(afterReview.events - before.events).toBe(1);
    const [row] = await fixture.database.db
      .select()
      .from(submissions)
      .where(eq(submissions.referenceCode, code));
    expect(row?.status).toBe('in_review');
  });

  it('walks the whole lifecycle to closed, and then allows nothing more', async () => {
    const { code } = await fileSuggestion('废旧轮胎回收再利用');
    for (const status of ['in_review', 'accepted', 'implemented', 'rewarded', 'closed']) {
      const res = await fixture.stack.api(`/submissions/${code}/status`, {
        method: 'POST',
        json: { status, reply: '按计划推进' },
      });
      expect(res.status, status).toBe(200);
    }
    const after = await fixture.stack.api(`/submissions/${code}/status`, {
      method: 'POST',
      json: { status: 'in_review' },
    });
    expect(after.status).toBe(409);
    expect(((await after.json()) as { error: { message: string } }).error.message).toContain('已办结');
    const detail = (await (await fixture.stack.api(`/submissions/${code.toLowerCase()}`)).json()) as {
      timeline: unknown[];
    };
    expect(detail.timeline).toHaveLength(6);
  });

  it('serves its OpenAPI document without a token', async () => {
    const res = await fixture.stack.request('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    // Every route the API serves is documented, with the same methods.
    const served = new Set(
      fixture.stack.services.app.routes
        .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL' && r.path !== '/api/openapi.json')
        .map((r) => `${r.method.toLowerCase()} ${r.path.slice(4).replace(/:(\w+)/g, '{$1}')}`),
    );
    const documented = new Set(
      Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => `${method} ${path}`),
      ),
    );
    expect([...documented].sort()).toEqual([...served].sort());
    expect(documented.has('patch /people/{no}')).toBe(true);
    // Each says it may answer 429 to an address guessing the token.
    const operations = Object.values(
      doc.paths as Record<string, Record<string, { responses: object }>>,
    ).flatMap((methods) => Object.values(methods));
    expect(operations.filter((op) => !('429' in op.responses))).toEqual([]);
  });

  it('answers unknown paths with a bilingual 404', async () => {
    const res = await fixture.stack.request('/nowhere');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found', message_zh: '找不到该地址。' } });
  });
});
