import { describe, expect, it } from 'vitest';
import { createKeyRing, generateDataKey } from '../../src/kernel/crypto/sealed.ts';
import { messagesAfter, storeIncoming, storeOutgoing } from '../../src/pipeline/web-history.ts';
import { databaseKinds, useDatabase } from '../support/databases.ts';
import { within } from '../support/eventually.ts';

const sealer = createKeyRing(generateDataKey());

describe.each(databaseKinds)('web chat store on %s', (kind) => {
  const database = useDatabase(kind);

  it('never lets a poll that follows its cursor skip a message, under concurrent writes', async () => {
    const visitor = `v_race_${kind}`;
    const writes = 60;
    const seen = new Set<number>();
    let cursor = 0;
    let writing = true;
    const poller = (async () => {
      while (writing || seen.size < writes) {
        for (const m of await messagesAfter(database.db, visitor, cursor, 500, sealer)) {
          seen.add(m.id);
          cursor = Math.max(cursor, m.id);
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    await Promise.all(
      Array.from({ length: writes }, (_, i) =>
        i % 2 === 0
          ? database.db.transaction(async (tx) => {
              await storeIncoming(tx, sealer, visitor, `in-${i}`, { text: `m${i}` });
              // Hold the transaction open a little, as an inbox write does.
              await tx.execute('select pg_sleep(0.005)' as never);
            })
          : storeOutgoing(database.db, sealer, visitor, `out-${i}`, { text: `r${i}` }),
      ),
    );
    writing = false;
    await within(poller, 'the poller to see every write');
    const all = await messagesAfter(database.db, visitor, 0, 500, sealer);
    expect(all).toHaveLength(writes);
    expect([...seen].sort((a, b) => a - b)).toEqual(all.map((m) => m.id));
  });

  it('stores a delivery once per key and returns the same id when repeated', async () => {
    const first = await storeOutgoing(database.db, sealer, 'v_once', 'key-1', { text: 'x' });
    const again = await storeOutgoing(database.db, sealer, 'v_once', 'key-1', { text: 'x' });
    expect(again).toBe(first);
    expect(await messagesAfter(database.db, 'v_once', 0, 10, sealer)).toHaveLength(1);
  });
});
