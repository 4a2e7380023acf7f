import { DocumentEngine } from '../src/document/engine.js';
import { capturedCard, fixture } from '../test/helpers/cards.js';
const eng = await DocumentEngine.create();
const portrait = fixture('faces/franck_photo.jpg');
for (const seed of [4242, 1000, 1001, 1002, 1003, 1004]) {
  for (const withP of [true, false]) {
    const card = await capturedCard(seed, withP ? portrait : undefined);
    const out: string[] = [];
    for (const side of ['front', 'back'] as const) {
      try { const r = await eng.scan(side === 'front' ? card.front : card.back, { expectedSide: side }); out.push(`${side}:${r.data.idNumber === card.labels.front.idNumber ? 'ID ok' : 'ID bad'} findings=${r.findings.map(f => f.field + ':' + f.errors[0]?.code).join(',')}`); }
      catch (e) { out.push(`${side}:ERR ${(e as any).code}`); }
    }
    console.log(seed, withP ? 'photo' : 'drawn', out.join(' | '));
  }
}
await eng.close();
